//! The search index: every published brief (never a list) as a Pagefind record made from
//! the model (title, text, date, language) with its filters (tags, cited outlets, type of
//! work, year), indexed by Pagefind used as a library.
//!
//! The index is made of shards, one per language and year, each a Pagefind bundle of its
//! own, indexed in parallel and merged in the reader's browser (Pagefind's multisite
//! search): an edit re-indexes the shard of its brief's language and year, and nothing
//! else. Each shard is kept in `.depeche/search/KEY/`, where KEY hashes what its records
//! are made of: an unchanged rebuild indexes nothing. Published under `pagefind/`:
//! Pagefind's program (JavaScript, styles) once at its root, and each shard's folder
//! (its index, and the worker and WebAssembly its searches run in) copied whole to
//! `pagefind/LANGUAGE-YEAR/`, one entry of the plan however many files it holds.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use super::cache::{META_DIR, binary_fingerprint};
pub use super::site::SearchIndex;
use super::site::Site;
use crate::content::load::body_html;
use crate::diagnostic::{Code, Diagnostic};
use crate::render::UiStringsByLanguage;

/// Raised when what a key's folder holds changes.
const FORMAT: u32 = 3;
const SEARCH_DIR: &str = "search";
/// Where the index is published, and what its files' paths start with in the output.
pub const BUNDLE_DIR: &str = "pagefind";
/// Lists a shard's files in its key's folder, written last: a folder without it is not
/// trusted. Its modification time says when the shard was last used.
const MANIFEST: &str = "files.json";
/// In a key's folder: the shard's own files, published as they are in its folder.
const SHARD_DIR: &str = "shard";
/// In a key's folder: Pagefind's program (JavaScript, styles), the same for every shard
/// and published once.
const PROGRAM_DIR: &str = "program";
/// How many shards no longer used the cache keeps besides the current ones (a preview and
/// a build of the same site may differ, and each would otherwise undo the other's).
const KEPT_UNUSED: usize = 8;

/// One brief as the index holds it.
struct Record {
    url: String,
    content: String,
    language: String,
    meta: BTreeMap<String, String>,
    filters: BTreeMap<String, Vec<String>>,
    sort: BTreeMap<String, String>,
}

/// The briefs of one language and year that the index holds, and the key of their shard.
struct Shard {
    /// Pagefind's name of the language ([`SearchIndex::language_of`]).
    language: String,
    year: i32,
    /// Places in the site's list of briefs.
    briefs: Vec<usize>,
    key: u64,
}

impl Shard {
    /// Its folder under `pagefind/`.
    fn name(&self) -> String {
        format!("{}-{}", self.language, self.year)
    }
}

/// A brief of a shard: its place in the site's list, and the hash of its language's
/// words ([`words_hash`]).
type Member = (usize, u64);

/// The shards of `site`'s index, the newest year of each language first: the briefs
/// published now (not scheduled, which the preview shows), by language and year.
fn shards(site: &Site, strings: &UiStringsByLanguage) -> Vec<Shard> {
    // A site's briefs use few `lang` values: each one's language and the hash of its
    // words are worked out once (an unchanged rebuild makes every key).
    let mut langs: Vec<(&str, String, u64)> = Vec::new();
    // By place in `langs` and year: each brief's place and its words' hash.
    let mut grouped: foldhash::HashMap<(usize, i32), Vec<Member>> = Default::default();
    for (index, brief) in site.briefs.iter().enumerate() {
        if site.is_scheduled(index) {
            continue;
        }
        let slot = match langs.iter().position(|(lang, ..)| *lang == brief.lang) {
            Some(slot) => slot,
            None => {
                langs.push((&brief.lang, SearchIndex::language_of(&brief.lang), words_hash(strings, &brief.lang)));
                langs.len() - 1
            }
        };
        let year = chrono::Datelike::year(&brief.date.day());
        grouped.entry((slot, year)).or_default().push((index, langs[slot].2));
    }
    let program = binary_fingerprint();
    // Two `lang` values of one language (`fr`, `fr-CA`) share its shards.
    let mut by_language: BTreeMap<(&str, std::cmp::Reverse<i32>), Vec<Member>> = BTreeMap::new();
    for ((slot, year), briefs) in grouped {
        by_language.entry((&langs[slot].1, std::cmp::Reverse(year))).or_default().extend(briefs);
    }
    by_language
        .into_par_iter()
        .map(|((language, std::cmp::Reverse(year)), mut briefs)| {
            // In the site's order, whichever `lang` each was grouped under.
            briefs.sort_unstable();
            let key = key(site, program, (language, year), &briefs);
            Shard {
                language: language.to_string(),
                year,
                briefs: briefs.into_iter().map(|(index, _)| index).collect(),
                key,
            }
        })
        .collect()
}

/// The words of `lang` that records are made with (filter names, type names, dates), as
/// a hash: all of its UI strings, so that no word a record uses is left out.
fn words_hash(strings: &UiStringsByLanguage, lang: &str) -> u64 {
    strings.for_language(lang).fingerprint()
}

/// What a shard is made of, as a hash: its briefs (each file's bytes, its address and
/// language, the words of its filters and dates), the settings their text is rendered
/// with, the program.
fn key(site: &Site, program: u64, (language, year): (&str, i32), briefs: &[Member]) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(&FORMAT.to_le_bytes());
    hasher.update(&program.to_le_bytes());
    hasher.update(site.config.base_path.as_bytes());
    hasher.update(&[u8::from(site.config.french_typography)]);
    hasher.update(site.config.language.as_bytes());
    hasher.update(language.as_bytes());
    hasher.update(&year.to_le_bytes());
    for &(index, words) in briefs {
        let brief = &site.briefs[index];
        hasher.update(&site.records[index].file_hash.to_le_bytes());
        hasher.update(brief.lang.as_bytes());
        hasher.update(brief.permalink.as_bytes());
        hasher.update(&words.to_le_bytes());
    }
    hasher.digest()
}

/// What the cache holds for one shard.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kept {
    /// Its folder, whole.
    Found,
    /// Making it failed: it is left out, so that the preview does not try again and again.
    Failed,
    Missing,
}

fn folder_of(cache: &Path, key: u64) -> PathBuf {
    cache.join(format!("{key:016x}"))
}

fn kept(cache: &Path, key: u64) -> Kept {
    kept_in(&folder_of(cache, key))
}

/// Whether a key's folder is whole: its manifest is written last. What it holds is not
/// read: the folder is copied as it is, links left out ([`Contents::KeptFolder`]).
///
/// [`Contents::KeptFolder`]: super::output::Contents::KeptFolder
fn kept_in(folder: &Path) -> Kept {
    if folder.join(MANIFEST).is_file() {
        Kept::Found
    } else if folder.with_extension("failed").is_file() {
        // A build that made it after a failure leaves the mark behind: the files win.
        Kept::Failed
    } else {
        Kept::Missing
    }
}

/// `site`'s index, if the cache holds every shard of it (a shard that failed is left out).
pub fn cached_for(root: &Path, site: &Site, strings: &UiStringsByLanguage) -> Option<SearchIndex> {
    let cache = root.join(META_DIR).join(SEARCH_DIR);
    let shards = shards(site, strings);
    let mut found = Vec::new();
    for shard in &shards {
        match kept(&cache, shard.key) {
            Kept::Found => found.push(shard),
            Kept::Failed => {}
            Kept::Missing => return None,
        }
    }
    Some(assemble(site, &cache, found))
}

/// `site`'s index: each shard found in the cache or made now, those to make in parallel.
/// A failure of Pagefind is an error of the site (its search would miss briefs), reported
/// with every other shard's.
pub fn publish(root: &Path, site: &Site, strings: &UiStringsByLanguage) -> Result<SearchIndex, Vec<Diagnostic>> {
    let cache = root.join(META_DIR).join(SEARCH_DIR);
    let shards = shards(site, strings);
    let mut found: Vec<Kept> = shards.iter().map(|shard| kept(&cache, shard.key)).collect();
    let to_make: Vec<usize> = (0..shards.len()).filter(|&place| found[place] != Kept::Found).collect();
    let mut problems = Vec::new();
    let made = in_parallel(to_make.iter().map(|&place| &shards[place]).collect(), |shard| {
        let files = records(site, &shard.briefs, strings).and_then(|records| {
            index(records).map_err(|error| {
                // Only spares the preview trying again: a failure to write it costs time.
                let failed = folder_of(&cache, shard.key).with_extension("failed");
                let _ = std::fs::create_dir_all(&cache).and_then(|()| std::fs::write(failed, &error));
                Diagnostic::error(
                    Code::Internal,
                    root,
                    format!("the search index of {} cannot be made: {error}", shard.name()),
                )
            })
        })?;
        store(&folder_of(&cache, shard.key), &files)
            .map_err(|error| Diagnostic::error(Code::Io, &cache, format!("cannot keep the search index: {error}")))
    });
    for (place, result) in to_make.into_iter().zip(made) {
        match result {
            Ok(()) => found[place] = kept(&cache, shards[place].key),
            Err(problem) => problems.push(problem),
        }
    }
    let mut published = Vec::new();
    for (shard, kept) in shards.iter().zip(found) {
        match kept {
            Kept::Found => {
                touch(&folder_of(&cache, shard.key));
                published.push(shard);
            }
            Kept::Failed | Kept::Missing if problems.is_empty() => problems.push(Diagnostic::error(
                Code::Io,
                folder_of(&cache, shard.key),
                "the search index just written cannot be read",
            )),
            Kept::Failed | Kept::Missing => {}
        }
    }
    prune(&cache, &shards);
    if problems.is_empty() { Ok(assemble(site, &cache, published)) } else { Err(problems) }
}

/// The published index made of the shards found: Pagefind's program once at the root of
/// `pagefind/` (from the first shard's folder: every shard's is the same), and each
/// shard's folder whole, with the worker and WebAssembly its searches run in.
fn assemble(site: &Site, cache: &Path, found: Vec<&Shard>) -> SearchIndex {
    let mut index = SearchIndex::default();
    if let Some(first) = found.first() {
        let program = folder_of(cache, first.key).join(PROGRAM_DIR);
        let mut names: Vec<String> = std::fs::read_dir(&program)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|entry| entry.file_name().into_string().ok())
            .collect();
        names.sort();
        index.files = names.into_iter().map(|name| (format!("{BUNDLE_DIR}/{name}"), program.join(name))).collect();
    }
    for shard in found {
        let folder = format!("{BUNDLE_DIR}/{}/", shard.name());
        index.shards.entry(shard.language.clone()).or_default().push(site.config.url_path(&format!("/{folder}")));
        index.folders.push((folder, folder_of(cache, shard.key).join(SHARD_DIR)));
    }
    index
}

/// Marks a shard's folder as used now, so that pruning keeps it.
fn touch(folder: &Path) {
    // Only its place among unused folders depends on it.
    let _ = std::fs::File::options()
        .write(true)
        .open(folder.join(MANIFEST))
        .and_then(|file| file.set_modified(std::time::SystemTime::now()));
}

/// Writes a key's folder whole, into a temporary folder renamed into place: Pagefind's
/// program (the JavaScript and styles at the top of its bundle but the worker) in
/// `program/`, the rest in `shard/`.
fn store(folder: &Path, files: &[(String, Vec<u8>)]) -> std::io::Result<()> {
    let cache = folder.parent().unwrap_or(folder);
    std::fs::create_dir_all(cache)?;
    let staging = tempfile::tempdir_in(cache)?;
    for (name, contents) in files {
        let is_program =
            !name.contains('/') && (name.ends_with(".js") || name.ends_with(".css")) && name != "pagefind-worker.js";
        let path = staging.path().join(if is_program { PROGRAM_DIR } else { SHARD_DIR }).join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, contents)?;
    }
    let names: Vec<&String> = files.iter().map(|(name, _)| name).collect();
    std::fs::write(staging.path().join(MANIFEST), serde_json::to_vec(&names).map_err(std::io::Error::other)?)?;
    if std::fs::rename(staging.path(), folder).is_err() {
        // Another build of the same site stored it first; or what is there is damaged,
        // and replaced.
        if kept_in(folder) == Kept::Found {
            return Ok(());
        }
        std::fs::remove_dir_all(folder)?;
        std::fs::rename(staging.path(), folder)?;
    }
    // Renamed away: nothing is left for the guard to remove.
    let _ = staging.keep();
    Ok(())
}

/// Drops the folders of shards no longer used, but for the few used last. Only our own
/// key folders (sixteen hexadecimal digits) live here.
fn prune(cache: &Path, shards: &[Shard]) {
    let current: std::collections::HashSet<PathBuf> = shards.iter().map(|shard| folder_of(cache, shard.key)).collect();
    let Ok(entries) = std::fs::read_dir(cache) else { return };
    let mut unused: Vec<(std::time::SystemTime, PathBuf)> = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| !current.contains(path))
        .filter(|path| path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.len() == 16))
        .filter_map(|path| Some((std::fs::metadata(path.join(MANIFEST)).ok()?.modified().ok()?, path)))
        .collect();
    unused.sort();
    for (_, path) in unused.iter().rev().skip(KEPT_UNUSED) {
        // An old shard left behind costs disk, not results.
        let _ = std::fs::remove_dir_all(path);
    }
}

/// The records of the briefs at `briefs` in the site.
fn records(site: &Site, briefs: &[usize], strings: &UiStringsByLanguage) -> Result<Vec<Record>, Diagnostic> {
    let mut records = Vec::new();
    for brief in briefs.iter().map(|&index| &site.briefs[index]) {
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
            language: SearchIndex::language_of(&brief.lang),
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

/// Runs `job` on each of `items`, several at once, and returns what each returned, in
/// order.
///
/// Each job runs in a thread pool of its own, one job at a time: Pagefind uses rayon
/// inside the async runtime a job starts. On a pool shared with other jobs, a worker
/// waiting there could take on another job (another shard, another site's indexing in
/// tests and tools building several at once) and start a runtime within the runtime,
/// which tokio refuses with a panic; and a shared worker blocked waiting for a thread of
/// ours could leave Pagefind's jobs no worker at all. The cores are shared among the
/// pools; the caller's thread waits.
fn in_parallel<T: Send, R: Send>(
    items: Vec<T>,
    job: impl Fn(T) -> Result<R, Diagnostic> + Sync,
) -> Vec<Result<R, Diagnostic>> {
    let count = items.len();
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let pools = cores.min(count);
    let queue = Mutex::new(items.into_iter().enumerate());
    let results: Mutex<Vec<Option<Result<R, Diagnostic>>>> = Mutex::new((0..count).map(|_| None).collect());
    let stopped = |error: String| Diagnostic::error(Code::Internal, Path::new(SEARCH_DIR), error);
    std::thread::scope(|scope| {
        for _ in 0..pools {
            scope.spawn(|| {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(cores.div_ceil(pools))
                    .thread_name(|n| format!("depeche-search-{n}"))
                    .build();
                loop {
                    // A poisoned lock means another of these threads panicked, which
                    // catch_unwind below prevents: its data is still whole.
                    let next = queue.lock().unwrap_or_else(std::sync::PoisonError::into_inner).next();
                    let Some((place, item)) = next else { break };
                    let result = match &pool {
                        Ok(pool) => {
                            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| pool.install(|| job(item))))
                                .unwrap_or_else(|_| Err(stopped("Pagefind stopped on an internal error".to_string())))
                        }
                        Err(error) => Err(stopped(format!("no threads to index with: {error}"))),
                    };
                    results.lock().unwrap_or_else(std::sync::PoisonError::into_inner)[place] = Some(result);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .into_iter()
        .map(|result| result.unwrap_or_else(|| Err(stopped("an indexing thread stopped".to_string()))))
        .collect()
}

/// Indexes `records` with Pagefind and returns its bundle's files, by path in the bundle.
/// On a thread of a pool that runs nothing else meanwhile ([`in_parallel`]).
fn index(records: Vec<Record>) -> Result<Vec<(String, Vec<u8>)>, String> {
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
