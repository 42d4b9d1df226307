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

use crate::config::Config;
use crate::content::{self, load::Loaded};
use crate::error::{Error, Result};
use crate::pipeline::{BuildOptions, parse_config, read_config};

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

/// The site's configuration and its briefs as the online commands read them: every brief
/// (none from the cache), drafts when `site` asks for them.
fn load_site(site: &BuildOptions) -> Result<(Config, Loaded)> {
    let root = &site.root;
    let (config, _) = parse_config(root, &read_config(root)?)?;
    let options =
        content::load::LoadOptions { root, config: &config, include_drafts: site.include_drafts, cache: None };
    let loaded = content::load(&options);
    Ok((config, loaded))
}

/// The runtime the requests of one command run on.
fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| Error::Network(format!("cannot start the HTTP runtime: {error}")))
}
