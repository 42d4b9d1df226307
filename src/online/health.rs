//! `depeche check --sources`: every address a brief cites or credits (each source's `url`
//! and `archive_url`, each image's `source_url` and `author_url`) asked over HTTP, and
//! each finding placed on the line of the address.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use reqwest::StatusCode;
use url::Url;

use super::http::{Client, End, Probe};
use super::ledger::{Checked, Health, Ledger};
use crate::config::Config;
use crate::content::front_matter;
use crate::content::locator::{Locator, Step};
use crate::content::{Brief, LoadedBrief, Moment};
use crate::diagnostic::{Code, Diagnostic};
use crate::error::{Error, Result};
use crate::pipeline::BuildOptions;

/// Requests under way at once over every host.
const REQUESTS_AT_ONCE: usize = 32;

/// What `check --sources` is asked to do.
#[derive(Debug, Clone)]
pub struct SourceCheckOptions {
    /// The site, the drafts and the moment (source ages are counted to it).
    pub site: BuildOptions,
    /// Only the briefs whose file changed since the last run.
    pub changed_only: bool,
    /// Ask again for every address, however recently it was asked.
    pub ignore_ledger: bool,
}

/// What the check found, with its counts.
#[derive(Debug, Default)]
pub struct SourceCheckReport {
    pub diagnostics: Vec<Diagnostic>,
    pub briefs: usize,
    /// Distinct addresses checked.
    pub addresses: usize,
    /// Of them, asked now (the rest came from the ledger).
    pub asked: usize,
    pub hosts: usize,
}

/// One address of a brief and where it is written.
#[derive(Debug, Clone)]
struct Link {
    url: String,
    /// The key and whose it is, as messages name it: "`url` of source 1 (Reuters)".
    label: String,
    key: &'static str,
    path: PathBuf,
    position: (usize, usize),
}

/// Checks the addresses of the site's briefs, asking only what the ledger does not hold
/// fresh, and records what it learnt.
pub fn check_sources(options: &SourceCheckOptions) -> Result<SourceCheckReport> {
    let root = &options.site.root;
    let (config, loaded) = super::load_site(&options.site)?;
    let mut ledger = Ledger::read(root);
    let briefs: Vec<&LoadedBrief> = loaded
        .briefs
        .iter()
        .filter(|loaded| {
            !options.changed_only
                || ledger.briefs.get(&ledger_key(root, &loaded.brief.file)) != Some(&loaded.record.file_hash)
        })
        .collect();

    let mut links = Vec::new();
    let mut diagnostics = Vec::new();
    for loaded in &briefs {
        let (found, located) = brief_links(&loaded.brief);
        links.extend(found);
        diagnostics.extend(no_archive(&loaded.brief, &located, &config, options.site.moment()));
    }
    let now = chrono::Utc::now().timestamp();
    let addresses: BTreeSet<&str> = links.iter().map(|link| link.url.as_str()).collect();
    let to_ask: Vec<Url> = addresses
        .iter()
        .filter(|url| options.ignore_ledger || !ledger.links.get(**url).is_some_and(|checked| checked.is_fresh(now)))
        .filter_map(|url| Url::parse(url).ok().filter(|url| matches!(url.scheme(), "http" | "https")))
        .collect();
    let hosts = addresses.iter().filter_map(|url| Url::parse(url).ok()?.host_str().map(str::to_string));
    let hosts = hosts.collect::<BTreeSet<_>>().len();

    let asked = to_ask.len();
    if !to_ask.is_empty() {
        let client = Client::new(&config.sources, config.base_url.as_ref()).map_err(Error::Network)?;
        for (url, probe) in probe_all(client, to_ask)? {
            ledger.links.insert(url, Checked { checked_at: now, health: classify(&probe) });
        }
    }
    for link in &links {
        if let Some(checked) = ledger.links.get(&link.url) {
            diagnostics.extend(finding(link, &checked.health));
        }
    }
    for loaded in &briefs {
        ledger.briefs.insert(ledger_key(root, &loaded.brief.file), loaded.record.file_hash);
    }
    ledger.write(root)?;
    crate::diagnostic::sort(&mut diagnostics);
    Ok(SourceCheckReport { diagnostics, briefs: briefs.len(), addresses: addresses.len(), asked, hosts })
}

/// A brief's key in the ledger: its path under the site folder.
fn ledger_key(root: &Path, file: &Path) -> String {
    file.strip_prefix(root).unwrap_or(file).to_string_lossy().replace('\\', "/")
}

/// Asks for every address, each host within its limits, many hosts at once.
fn probe_all(client: Client, urls: Vec<Url>) -> Result<Vec<(String, Probe)>> {
    let runtime = super::runtime()?;
    runtime.block_on(async move {
        let client = Arc::new(client);
        let at_once = Arc::new(tokio::sync::Semaphore::new(REQUESTS_AT_ONCE));
        let mut tasks = tokio::task::JoinSet::new();
        for url in urls {
            let (client, at_once) = (client.clone(), at_once.clone());
            tasks.spawn(async move {
                let _turn = at_once.acquire_owned().await.expect("the semaphore is never closed");
                let probe = client.probe(&url).await;
                (url.to_string(), probe)
            });
        }
        let mut probes = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            let (url, probe) = joined.map_err(|error| Error::Network(format!("a request task failed: {error}")))?;
            probes.push((url, probe));
        }
        Ok(probes)
    })
}

/// The health of an address from what asking found.
pub fn classify(probe: &Probe) -> Health {
    let last = probe.hops.last().map(|hop| hop.to.clone());
    let status = match &probe.end {
        End::Failed(reason) => return Health::Unreachable { reason: reason.clone() },
        End::Status(status) => *status,
    };
    match status {
        200..=299 => {
            // The new address is where the permanent redirects at the start lead: a later
            // temporary one (to a login or a cookie page) is not where the page lives.
            let moved = probe.hops.iter().take_while(|hop| matches!(hop.status, 301 | 308)).last();
            match (moved, last) {
                (Some(hop), _) => Health::Moved { to: hop.to.clone() },
                (None, Some(to)) => Health::Redirected { to },
                (None, None) => Health::Good,
            }
        }
        429 => Health::Unreachable { reason: "answered 429 Too Many Requests: the server asks to slow down".into() },
        400..=499 => Health::Dead { status, at: last.unwrap_or_default() },
        _ => Health::Unreachable { reason: format!("answered {}", status_text(status)) },
    }
}

fn status_text(status: u16) -> String {
    match StatusCode::from_u16(status).ok().and_then(|code| code.canonical_reason()) {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

/// The diagnostic an address's health calls for, if any.
fn finding(link: &Link, health: &Health) -> Option<Diagnostic> {
    let Link { url, label, key, path, position } = link;
    let diagnostic = match health {
        Health::Good | Health::Redirected { .. } => return None,
        Health::Moved { to } => Diagnostic::warning(
            Code::SourceMoved,
            path,
            format!("{label} moved permanently: {url} now redirects to {to}"),
        )
        .with_help(format!("write `{key}: {to}`")),
        Health::Dead { status, at } => {
            let place = if at.is_empty() { String::new() } else { format!(" (after redirects, at {at})") };
            let help = if *key == "archive_url" {
                "this archived copy is gone: remove `archive_url` and run `depeche archive` to look up another"
                    .to_string()
            } else {
                "find where the page went, or link an archived copy with `archive_url` (`depeche archive` looks one up)"
                    .to_string()
            };
            Diagnostic::error(
                Code::SourceDead,
                path,
                format!("{label} is dead: {url} answered {}{place}", status_text(*status)),
            )
            .with_help(help)
        }
        Health::Unreachable { reason } => {
            Diagnostic::warning(Code::SourceUnreachable, path, format!("{label} could not be reached: {url}: {reason}"))
                .with_help("often passing: check again later; a source that stays unreachable needs an archived copy")
        }
    };
    Some(diagnostic.at(Some(*position)))
}

/// Where each source's `url` is written, for `source-no-archive`.
type SourcePositions = BTreeMap<usize, (usize, usize)>;

/// The addresses of a brief, each placed on its line, and where its sources' `url`s are.
fn brief_links(brief: &Brief) -> (Vec<Link>, SourcePositions) {
    let text = std::fs::read_to_string(&brief.file).unwrap_or_default();
    let text = crate::site_files::normalise_text(&text);
    let document = front_matter::split(&text).ok();
    let locator = document.as_ref().map(Locator::new);
    let place = |path: &[Step], value: &str| locator.as_ref().map_or((1, 1), |l| l.locate_value(path, value));
    let mut links = Vec::new();
    let mut positions = SourcePositions::new();
    let mut add = |url: &Option<String>, label: String, key: &'static str, path: &[Step]| {
        if let Some(url) = url {
            let position = place(path, url);
            links.push(Link { url: url.clone(), label, key, path: brief.path.clone(), position });
            Some(position)
        } else {
            None
        }
    };
    for (index, source) in brief.sources.iter().enumerate() {
        let whose = format!("source {} ({})", index + 1, source.name);
        let item = [Step::Key("sources"), Step::Item(index)];
        let url_path = [item[0], item[1], Step::Key("url")];
        if let Some(position) = add(&source.url, format!("`url` of {whose}"), "url", &url_path) {
            positions.insert(index, position);
        }
        let archive_path = [item[0], item[1], Step::Key("archive_url")];
        add(&source.archive_url, format!("`archive_url` of {whose}"), "archive_url", &archive_path);
    }
    let images =
        brief.image.iter().map(|image| (image, None)).chain(brief.media.iter().enumerate().map(|(i, m)| (m, Some(i))));
    for (image, media) in images {
        let (whose, steps): (String, Vec<Step>) = match media {
            None => ("the lead image".into(), vec![Step::Key("image")]),
            Some(i) => (format!("`media` entry {}", i + 1), vec![Step::Key("media"), Step::Item(i)]),
        };
        for (key, url) in [("source_url", &image.origin_url), ("author_url", &image.author_url)] {
            let path: Vec<Step> = steps.iter().copied().chain([Step::Key(key)]).collect();
            add(url, format!("`{key}` of {whose}"), key, &path);
        }
    }
    (links, positions)
}

/// `source-no-archive` for each source older than `archive_after_days` (its own date, else
/// the brief's) that has an address and no archived copy.
fn no_archive(brief: &Brief, positions: &SourcePositions, config: &Config, now: Moment) -> Vec<Diagnostic> {
    let limit = i64::from(config.sources.archive_after_days);
    brief
        .sources
        .iter()
        .enumerate()
        .filter(|(_, source)| source.url.is_some() && source.archive_url.is_none())
        .filter_map(|(index, source)| {
            let date = source.date.as_ref().unwrap_or(&brief.date);
            let days = (now - date.datetime).num_days();
            (days > limit).then(|| {
                Diagnostic::warning(
                    Code::SourceNoArchive,
                    &brief.path,
                    format!("source {} ({}) is {days} days old and has no `archive_url`", index + 1, source.name),
                )
                .at(positions.get(&index).copied())
                .with_help("run `depeche archive` to look up an archived copy, or add `archive_url` by hand")
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::online::http::Hop;

    fn probe(hops: &[(u16, &str)], end: End) -> Probe {
        Probe { hops: hops.iter().map(|(status, to)| Hop { status: *status, to: to.to_string() }).collect(), end }
    }

    #[test]
    fn each_answer_is_classified() {
        assert_eq!(classify(&probe(&[], End::Status(200))), Health::Good);
        assert_eq!(classify(&probe(&[], End::Status(404))), Health::Dead { status: 404, at: String::new() });
        assert_eq!(classify(&probe(&[], End::Status(410))), Health::Dead { status: 410, at: String::new() });
        assert_eq!(classify(&probe(&[], End::Status(403))), Health::Dead { status: 403, at: String::new() });
        assert!(matches!(classify(&probe(&[], End::Status(429))), Health::Unreachable { .. }));
        assert!(matches!(classify(&probe(&[], End::Status(503))), Health::Unreachable { .. }));
        assert!(matches!(classify(&probe(&[], End::Failed("refused".into()))), Health::Unreachable { .. }));
        assert_eq!(
            classify(&probe(&[(301, "https://b/")], End::Status(200))),
            Health::Moved { to: "https://b/".into() }
        );
        assert_eq!(
            classify(&probe(&[(308, "https://b/")], End::Status(204))),
            Health::Moved { to: "https://b/".into() }
        );
        assert_eq!(
            classify(&probe(&[(302, "https://login/")], End::Status(200))),
            Health::Redirected { to: "https://login/".into() }
        );
        // Moved to where the permanent redirects lead, not to the login page after them.
        assert_eq!(
            classify(&probe(&[(301, "https://b/"), (302, "https://login/")], End::Status(200))),
            Health::Moved { to: "https://b/".into() }
        );
        assert_eq!(
            classify(&probe(&[(301, "https://b/")], End::Status(404))),
            Health::Dead { status: 404, at: "https://b/".into() }
        );
    }
}
