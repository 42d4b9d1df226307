//! What `check --sources` learnt, kept in `.depeche/sources.json`: each address with its
//! health and when it was asked, so that a second run soon after asks nothing (a week for
//! an address that answered, a day for one that failed), and each brief's file hash at
//! the last run, for `--changed`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::pipeline::cache::META_DIR;

pub const LEDGER_FILE: &str = "sources.json";
/// How long an address that answered is trusted.
pub const GOOD_FOR_SECONDS: i64 = 7 * 24 * 3600;
/// How long a failure is trusted: failures are often passing.
pub const FAILED_FOR_SECONDS: i64 = 24 * 3600;
/// Raised when the layout changes: an older ledger is then ignored.
const VERSION: u32 = 1;

/// What asking for an address found, after its redirects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "health", rename_all = "kebab-case")]
pub enum Health {
    /// It answered with a page (2xx), directly.
    Good,
    /// It answered after temporary redirects only: nothing to change.
    Redirected { to: String },
    /// It redirects permanently (301, 308) to `to`, which answers.
    Moved { to: String },
    /// A 4xx other than 429, at `at` (the address itself, or where it led).
    Dead { status: u16, at: String },
    /// No usable answer: a failure to connect or resolve, a timeout, a 5xx or a 429.
    Unreachable { reason: String },
}

impl Health {
    fn is_failure(&self) -> bool {
        matches!(self, Health::Dead { .. } | Health::Unreachable { .. })
    }
}

/// One address as last asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checked {
    /// When it was asked, in seconds since the Unix epoch.
    pub checked_at: i64,
    #[serde(flatten)]
    pub health: Health,
}

impl Checked {
    /// Whether it is recent enough to be trusted at `now` (seconds since the epoch).
    pub fn is_fresh(&self, now: i64) -> bool {
        let age = now - self.checked_at;
        let lasts = if self.health.is_failure() { FAILED_FOR_SECONDS } else { GOOD_FOR_SECONDS };
        (0..lasts).contains(&age)
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Ledger {
    version: u32,
    /// Each address asked, by address.
    pub links: BTreeMap<String, Checked>,
    /// Each brief checked, by its path under the site folder: its file's hash then.
    pub briefs: BTreeMap<String, u64>,
}

fn path(root: &Path) -> PathBuf {
    root.join(META_DIR).join(LEDGER_FILE)
}

impl Ledger {
    /// The ledger of the last run, or an empty one when there is none or it cannot be
    /// read (it only saves requests: losing it costs time, never a wrong finding).
    pub fn read(root: &Path) -> Ledger {
        std::fs::read(path(root))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Ledger>(&bytes).ok())
            .filter(|ledger| ledger.version == VERSION)
            .unwrap_or_default()
    }

    /// Writes the ledger whole, through a temporary file renamed over the old one, so
    /// that a killed run leaves the old ledger or the new one.
    pub fn write(&mut self, root: &Path) -> Result<()> {
        self.version = VERSION;
        let dir = root.join(META_DIR);
        std::fs::create_dir_all(&dir).map_err(|error| Error::io("create", &dir, error))?;
        let json = serde_json::to_vec_pretty(self).expect("the ledger always serialises");
        let mut file = tempfile::NamedTempFile::new_in(&dir).map_err(|error| Error::io("write", &dir, error))?;
        std::io::Write::write_all(&mut file, &json).map_err(|error| Error::io("write", file.path(), error))?;
        file.persist(path(root)).map_err(|error| Error::io("write", path(root), error.error))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_addresses_are_trusted_for_a_week_and_failures_for_a_day() {
        let good = Checked { checked_at: 1_000_000, health: Health::Good };
        let dead =
            Checked { checked_at: 1_000_000, health: Health::Dead { status: 404, at: "https://a.example/".into() } };
        assert!(good.is_fresh(1_000_000 + 6 * 24 * 3600));
        assert!(!good.is_fresh(1_000_000 + 7 * 24 * 3600));
        assert!(dead.is_fresh(1_000_000 + 23 * 3600));
        assert!(!dead.is_fresh(1_000_000 + 24 * 3600));
        // A clock set back makes nothing fresh.
        assert!(!good.is_fresh(999_999));
    }

    #[test]
    fn a_ledger_reads_back_what_was_written() {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = Ledger::default();
        ledger.links.insert(
            "https://a.example/".into(),
            Checked { checked_at: 5, health: Health::Moved { to: "https://b.example/".into() } },
        );
        let dead = Health::Dead { status: 410, at: "https://c.example/".into() };
        ledger.links.insert("https://c.example/".into(), Checked { checked_at: 6, health: dead });
        ledger.briefs.insert("content/a.md".into(), 42);
        ledger.write(dir.path()).unwrap();
        let read = Ledger::read(dir.path());
        assert_eq!(read.links, ledger.links);
        assert_eq!(read.briefs, ledger.briefs);
    }
}
