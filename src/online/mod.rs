//! The commands that go online, and only they (`build`, `check` and `serve` never touch
//! the network): `check --sources` ([`health`], with what it learnt kept in [`ledger`]),
//! `archive` ([`wayback`]) and `credit` ([`commons`]). Every request goes through one
//! [`http::Client`] with per-host manners, and each command takes an `--api` address or a
//! local server in its tests.

pub mod commons;
pub mod health;
pub mod http;
pub mod ledger;
pub mod wayback;

use std::path::Path;

pub use health::{SourceCheckOptions, SourceCheckReport, check_sources};

/// Replaces a file's text through a temporary file beside it renamed over it, keeping its
/// permissions: a killed run leaves the old file or the new one.
pub(crate) fn replace_file(path: &Path, text: &str) -> std::result::Result<(), String> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let permissions = std::fs::metadata(path).map_err(|error| error.to_string())?.permissions();
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(|error| error.to_string())?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|error| error.to_string())?;
    std::fs::set_permissions(file.path(), permissions).map_err(|error| error.to_string())?;
    file.persist(path).map_err(|error| error.error.to_string())?;
    Ok(())
}
