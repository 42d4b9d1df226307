//! `depeche archive`: each source with an address and no `archive_url` looked up in a
//! Wayback-style availability API (`/wayback/available?url=…&timestamp=…`, the source's
//! date as the timestamp), and the copy found written into the brief in place.

use std::path::PathBuf;
use std::sync::Arc;

use url::Url;

use super::http::{AskError, Client};
use crate::content::BriefDate;
use crate::content::edit;
use crate::error::{Error, Result};
use crate::pipeline::BuildOptions;

/// The Internet Archive's availability API.
pub const DEFAULT_API: &str = "https://archive.org/wayback/available";

#[derive(Debug, Clone)]
pub struct ArchiveOptions {
    /// The site and whether drafts are included.
    pub site: BuildOptions,
    /// The availability API: its full address, or a server's root (`/wayback/available`
    /// is then added).
    pub api: Url,
    /// Print what would change and write nothing.
    pub dry_run: bool,
}

/// One source looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    /// The brief as shown.
    pub path: PathBuf,
    /// 1-based, as messages count sources.
    pub source: usize,
    pub name: String,
    pub url: String,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A copy was found and written (or would be, with `--dry-run`).
    Archived { archive_url: String },
    /// The archive holds no copy of the page.
    NoCopy,
    /// The API did not answer usefully, or the file could not be edited.
    Failed(String),
}

/// The API address to ask: `api` itself, or `/wayback/available` on a bare server.
pub fn endpoint(api: &Url) -> Url {
    if api.path().trim_matches('/').is_empty() {
        api.join("/wayback/available").unwrap_or_else(|_| api.clone())
    } else {
        api.clone()
    }
}

/// Looks up every source that lacks `archive_url` and writes what is found into its brief.
pub fn archive(options: &ArchiveOptions) -> Result<Vec<Lookup>> {
    let (config, loaded) = super::load_site(&options.site)?;
    let mut wanted = Vec::new();
    for loaded in &loaded.briefs {
        let brief = &loaded.brief;
        for (index, source) in brief.sources.iter().enumerate() {
            if let (Some(url), None) = (&source.url, &source.archive_url) {
                let date = source.date.as_ref().unwrap_or(&brief.date);
                let lookup = Lookup {
                    path: brief.path.clone(),
                    source: index + 1,
                    name: source.name.clone(),
                    url: url.clone(),
                    outcome: Outcome::NoCopy,
                };
                wanted.push((lookup, brief.file.clone(), loaded.record.file_hash, timestamp(date)));
            }
        }
    }
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let client = Client::new(&config.sources, config.base_url.as_ref()).map_err(Error::Network)?;
    let api = endpoint(&options.api);
    let answers =
        ask_all(client, &api, wanted.iter().map(|(lookup, _, _, stamp)| (lookup.url.clone(), stamp.clone())))?;
    let mut lookups = Vec::new();
    for ((mut lookup, file, hash, _), answer) in wanted.into_iter().zip(answers) {
        lookup.outcome = match answer {
            Ok(Some(archive_url)) => Outcome::Archived { archive_url },
            Ok(None) => Outcome::NoCopy,
            Err(error) => Outcome::Failed(error.to_string()),
        };
        lookups.push((lookup, file, hash));
    }
    if !options.dry_run {
        write_found(&mut lookups);
    }
    Ok(lookups.into_iter().map(|(lookup, _, _)| lookup).collect())
}

/// The Wayback timestamp of a date: `YYYYMMDD`, with the time when the date has one.
fn timestamp(date: &BriefDate) -> String {
    let utc = date.datetime.with_timezone(&chrono::Utc);
    if date.has_time { utc.format("%Y%m%d%H%M%S").to_string() } else { utc.format("%Y%m%d").to_string() }
}

/// Asks the API about each address, in the order given.
fn ask_all(
    client: Client,
    api: &Url,
    queries: impl Iterator<Item = (String, String)>,
) -> Result<Vec<std::result::Result<Option<String>, AskError>>> {
    let runtime = super::runtime()?;
    let client = Arc::new(client);
    let tasks: Vec<_> = queries
        .map(|(url, stamp)| {
            let mut query = api.clone();
            query.query_pairs_mut().append_pair("url", &url).append_pair("timestamp", &stamp);
            let client = client.clone();
            runtime.spawn(async move { client.get_json(&query).await.map(|answer| closest_copy(&answer)) })
        })
        .collect();
    runtime.block_on(async move {
        let mut answers = Vec::with_capacity(tasks.len());
        for task in tasks {
            answers.push(task.await.map_err(|error| Error::Network(format!("a request task failed: {error}")))?);
        }
        Ok(answers)
    })
}

/// The address of the closest copy in an availability answer, if it is one a reader can
/// open: available, archived with a 2xx status, at an http(s) address (given as https
/// where the archive is the Internet Archive, which answers with http).
pub fn closest_copy(answer: &serde_json::Value) -> Option<String> {
    let closest = answer.pointer("/archived_snapshots/closest")?;
    if closest.get("available").and_then(serde_json::Value::as_bool) == Some(false) {
        return None;
    }
    let status = closest.get("status").and_then(serde_json::Value::as_str).unwrap_or("200");
    if !status.starts_with('2') {
        return None;
    }
    let mut url = Url::parse(closest.get("url")?.as_str()?).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    if url.scheme() == "http" && url.host_str() == Some("web.archive.org") {
        // Setting https on an http URL cannot fail.
        url.set_scheme("https").ok()?;
    }
    Some(url.to_string())
}

/// Writes each copy found into its brief, one file at a time, each edit checked; a file
/// changed since it was read is left alone.
fn write_found(lookups: &mut [(Lookup, PathBuf, u64)]) {
    let mut files: Vec<PathBuf> = lookups.iter().map(|(_, file, _)| file.clone()).collect();
    files.dedup();
    for file in files {
        let mine: Vec<usize> = (0..lookups.len()).filter(|&i| lookups[i].1 == file).collect();
        let expected_hash = lookups[mine[0]].2;
        let result = std::fs::read_to_string(&file).map_err(|error| error.to_string()).and_then(|text| {
            if xxhash_rust::xxh3::xxh3_64(text.as_bytes()) != expected_hash {
                return Err("the file changed since it was read: run `depeche archive` again".to_string());
            }
            let mut edited = text.clone();
            for &i in &mine {
                if let Outcome::Archived { archive_url } = &lookups[i].0.outcome {
                    edited = edit::add_source_key(&edited, lookups[i].0.source - 1, "archive_url", archive_url)
                        .map_err(|error| error.to_string())?;
                }
            }
            if edited != text { super::replace_file(&file, &edited) } else { Ok(()) }
        });
        if let Err(reason) = result {
            for &i in &mine {
                if matches!(lookups[i].0.outcome, Outcome::Archived { .. }) {
                    lookups[i].0.outcome = Outcome::Failed(format!("not written: {reason}"));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_closest_readable_copy_is_taken() {
        let found = json!({"url": "example.com", "archived_snapshots": {"closest": {"status": "200", "available": true,
            "url": "http://web.archive.org/web/20130919044612/http://example.com/", "timestamp": "20130919044612"}}});
        assert_eq!(
            closest_copy(&found).as_deref(),
            Some("https://web.archive.org/web/20130919044612/http://example.com/")
        );
        assert_eq!(closest_copy(&json!({"url": "example.com", "archived_snapshots": {}})), None);
        let redirect = json!({"archived_snapshots": {"closest": {"status": "302", "available": true, "url": "http://web.archive.org/web/1/x"}}});
        assert_eq!(closest_copy(&redirect), None);
        let script = json!({"archived_snapshots": {"closest": {"available": true, "url": "javascript:alert(1)"}}});
        assert_eq!(closest_copy(&script), None);
    }

    #[test]
    fn a_bare_server_gets_the_api_path() {
        assert_eq!(
            endpoint(&Url::parse("http://127.0.0.1:9/").unwrap()).as_str(),
            "http://127.0.0.1:9/wayback/available"
        );
        let full = Url::parse("http://mirror.example/api/available").unwrap();
        assert_eq!(endpoint(&full), full);
    }
}
