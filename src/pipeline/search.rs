//! The search index: every published brief (never a list) as a Pagefind record made from
//! the model (title, text, date, language) with its filters (tags, cited outlets, type of
//! work, year), indexed by Pagefind used as a library into its bundle (one index per
//! language, stemmed as that language, and Pagefind's JavaScript, WebAssembly and UI),
//! published under `pagefind/`. The bundle is kept in `.depeche/search/KEY/`, where KEY
//! hashes what the records are made of: an unchanged rebuild indexes nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::cache::{META_DIR, binary_fingerprint};
pub use super::site::SearchIndex;
use super::site::Site;
use crate::content::load::body_html;
use crate::diagnostic::{Code, Diagnostic};
use crate::render::UiStringsByLanguage;

/// Raised when what a key's folder holds changes.
const FORMAT: u32 = 1;
const SEARCH_DIR: &str = "search";
/// Where the bundle is published, and what its files' paths start with in the output.
pub const BUNDLE_DIR: &str = "pagefind";
/// Lists the bundle's files in a key's folder, written last: a folder without it is not
/// trusted.
const MANIFEST: &str = "files.json";
/// How many indexes the cache keeps, the current one included.
const KEPT: usize = 4;

/// One brief as the index holds it.
struct Record {
    url: String,
    content: String,
    language: String,
    meta: BTreeMap<String, String>,
    filters: BTreeMap<String, Vec<String>>,
    sort: BTreeMap<String, String>,
}

/// The briefs the index holds, with their place in the site: those published now (not
/// scheduled, which the preview shows).
fn searchable(site: &Site) -> impl Iterator<Item = (usize, &std::sync::Arc<crate::content::Brief>)> {
    site.briefs.iter().enumerate().filter(|(index, _)| !site.is_scheduled(*index))
}

/// What the index of `site` is made of, as a hash: the briefs indexed (each file's bytes,
/// its address and language), the settings their text is rendered with, the words of the
/// filters and dates, the program.
fn key(site: &Site, strings: &UiStringsByLanguage) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(&FORMAT.to_le_bytes());
    hasher.update(&binary_fingerprint().to_le_bytes());
    hasher.update(site.config.base_path.as_bytes());
    hasher.update(&[u8::from(site.config.french_typography)]);
    hasher.update(site.config.language.as_bytes());
    for (index, brief) in searchable(site) {
        hasher.update(&site.records[index].file_hash.to_le_bytes());
        hasher.update(brief.lang.as_bytes());
        hasher.update(brief.permalink.as_bytes());
        let words = strings.for_language(&brief.lang);
        for key in ["date_format", "tags", "nav_sources", "search_type", "search_year"] {
            hasher.update(words.get(key).as_bytes());
        }
    }
    hasher.digest()
}

/// The bundle of `site`'s index, if the cache holds it; none (no search) when making it
/// failed, so that the preview does not try again and again.
pub fn cached_for(root: &Path, site: &Site, strings: &UiStringsByLanguage) -> Option<SearchIndex> {
    let folder = root.join(META_DIR).join(SEARCH_DIR).join(format!("{:016x}", key(site, strings)));
    if folder.with_extension("failed").is_file() {
        return Some(SearchIndex::default());
    }
    cached(&folder)
}

/// The bundle of `site`'s index, found in the cache or made now. A failure of Pagefind is
/// an error of the site: its search would be missing.
pub fn publish(root: &Path, site: &Site, strings: &UiStringsByLanguage) -> Result<SearchIndex, Diagnostic> {
    let key = key(site, strings);
    let cache = root.join(META_DIR).join(SEARCH_DIR);
    let folder = cache.join(format!("{key:016x}"));
    if let Some(index) = cached(&folder) {
        return Ok(index);
    }
    let records = records(site, strings)?;
    let files = index(records).map_err(|error| {
        // Only spares the preview trying again: a failure to write it costs time.
        let _ = std::fs::create_dir_all(&cache).and_then(|()| std::fs::write(folder.with_extension("failed"), &error));
        Diagnostic::error(Code::Internal, root, format!("the search index cannot be made: {error}"))
    })?;
    store(&cache, &folder, &files)
        .map_err(|error| Diagnostic::error(Code::Io, &cache, format!("cannot keep the search index: {error}")))?;
    cached(&folder).ok_or_else(|| Diagnostic::error(Code::Io, &folder, "the search index just written cannot be read"))
}

/// The bundle kept in `folder`, if it is whole.
fn cached(folder: &Path) -> Option<SearchIndex> {
    let names: Vec<String> = serde_json::from_slice(&std::fs::read(folder.join(MANIFEST)).ok()?).ok()?;
    let files = names
        .into_iter()
        .map(|name| {
            let kept = folder.join("files").join(&name);
            (format!("{BUNDLE_DIR}/{name}"), kept)
        })
        .collect();
    Some(SearchIndex { files })
}

/// Writes a key's folder whole, into a temporary folder renamed into place, and drops
/// the folders of older keys (an index is only ever read for the current site).
fn store(cache: &Path, folder: &Path, files: &[(String, Vec<u8>)]) -> std::io::Result<()> {
    std::fs::create_dir_all(cache)?;
    let staging = tempfile::tempdir_in(cache)?;
    for (name, contents) in files {
        let path = staging.path().join("files").join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, contents)?;
    }
    let names: Vec<&String> = files.iter().map(|(name, _)| name).collect();
    std::fs::write(staging.path().join(MANIFEST), serde_json::to_vec(&names).map_err(std::io::Error::other)?)?;
    match std::fs::rename(staging.path(), folder) {
        Ok(()) => {
            // Renamed away: nothing is left for the guard to remove.
            let _ = staging.keep();
        }
        Err(_) if folder.join(MANIFEST).is_file() => {}
        Err(error) => return Err(error),
    }
    // Only our own key folders live here. The newest few are kept, for a preview and a
    // build of the same site (their keys differ) not to take each other's away.
    let mut older: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(cache)?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path != folder && path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.len() == 16))
        .filter_map(|path| Some((std::fs::metadata(&path).ok()?.modified().ok()?, path)))
        .collect();
    older.sort();
    for (_, path) in older.iter().rev().skip(KEPT - 1) {
        // An old index left behind costs disk, not results.
        let _ = std::fs::remove_dir_all(path);
    }
    Ok(())
}

/// The records of every searchable brief, in the site's order.
fn records(site: &Site, strings: &UiStringsByLanguage) -> Result<Vec<Record>, Diagnostic> {
    let mut records = Vec::new();
    for (_, brief) in searchable(site) {
        let words = strings.for_language(&brief.lang);
        let html = body_html(brief, &site.config)?;
        let mut content = format!("{}\n{}\n", brief.title, brief.summary);
        content.push_str(&crate::html_text::text_of(&html));
        let mut meta = BTreeMap::new();
        meta.insert("title".to_string(), brief.title.clone());
        meta.insert("date".to_string(), words.format_date(brief.date.day()));
        let label = |key: &str, fallback: &str| {
            let word = words.get(key);
            if word.is_empty() { fallback.to_string() } else { word.to_string() }
        };
        let mut filters = BTreeMap::new();
        if !brief.tags.is_empty() {
            filters.insert(label("tags", "Tags"), brief.tags.clone());
        }
        let outlets: Vec<String> = brief.sources.iter().map(|source| source.name.clone()).collect();
        if !outlets.is_empty() {
            filters.insert(label("nav_sources", "Sources"), outlets);
        }
        let kind = label(&format!("type_{}", brief.kind.name().replace('-', "_")), brief.kind.name());
        filters.insert(label("search_type", "Type"), vec![kind]);
        filters.insert(label("search_year", "Year"), vec![brief.date.day().format("%Y").to_string()]);
        let mut sort = BTreeMap::new();
        sort.insert("date".to_string(), brief.date.iso());
        records.push(Record {
            url: site.config.url_path(&brief.permalink),
            content,
            language: brief.lang.split('-').next().unwrap_or(&brief.lang).to_ascii_lowercase(),
            meta,
            filters,
            sort,
        });
    }
    Ok(records)
}

/// Pagefind's error with its causes.
fn failed(error: impl std::fmt::Display) -> String {
    format!("{error:#}")
}

/// Indexes `records` with Pagefind and returns its bundle's files, by path in the bundle.
///
/// In a thread pool of its own: Pagefind uses rayon inside the async runtime this starts.
/// On the shared pool, a worker waiting there could take on another rayon job (another
/// site's indexing, in tests and tools building several at once) and start a runtime
/// within the runtime, which tokio refuses with a panic; and a shared worker blocked
/// waiting for a thread of ours could leave Pagefind's jobs no worker at all. The pool
/// holds only this indexing's jobs; the caller's worker keeps busy meanwhile.
fn index(records: Vec<Record>) -> Result<Vec<(String, Vec<u8>)>, String> {
    let pool = rayon::ThreadPoolBuilder::new()
        .thread_name(|n| format!("depeche-search-{n}"))
        .build()
        .map_err(|error| format!("no threads to index with: {error}"))?;
    let indexed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| pool.install(|| index_here(records))));
    indexed.unwrap_or_else(|_| Err("Pagefind stopped on an internal error".to_string()))
}

fn index_here(records: Vec<Record>) -> Result<Vec<(String, Vec<u8>)>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let mut index = pagefind::api::PagefindIndex::new(None).map_err(failed)?;
        for record in records {
            index
                .add_custom_record(
                    record.url,
                    record.content,
                    record.language,
                    Some(record.meta),
                    Some(record.filters),
                    Some(record.sort),
                )
                .await
                .map_err(failed)?;
        }
        let files = index.get_files().await.map_err(failed)?;
        Ok(files.into_iter().map(|file| (file.filename.to_string_lossy().replace('\\', "/"), file.contents)).collect())
    })
}
