//! Walks content/, reads and resolves every brief in parallel, and never stops at the
//! first bad file: every problem of every brief comes back together.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;
use walkdir::WalkDir;

use super::cache::{BriefCache, FileStamp};
use super::files::{BriefFile, RealFolders};
use super::front_matter::{self, SplitError};
use super::resolve::resolve;
use super::{Brief, LoadRecord, LoadedBrief};
use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic, line_column};
use crate::site_files::{CONTENT_DIR, STATIC_DIR, display_path, is_ignored_name, is_markdown};

pub struct LoadOptions<'a> {
    pub root: &'a Path,
    pub config: &'a Config,
    pub include_drafts: bool,
    /// Briefs parsed by a previous build, taken instead of parsing unchanged files.
    pub cache: Option<&'a BriefCache>,
}

/// The briefs of a site, as loaded.
pub struct Loaded {
    /// Sorted newest first. Shared from the start: made in the loading threads, and
    /// sorted and handed to the site without moving a brief.
    pub briefs: Vec<LoadedBrief>,
    pub diagnostics: Vec<Diagnostic>,
    /// How many briefs came from the cache rather than being parsed.
    pub from_cache: usize,
}

/// Loads every brief under content/ (drafts only when asked), sorted newest first.
pub fn load(options: &LoadOptions) -> Loaded {
    let (files, mut diagnostics) = brief_files(options.root);
    let mut briefs = Vec::with_capacity(files.len());
    let mut from_cache = 0;
    for loaded in load_files(options, &files) {
        diagnostics.extend(loaded.diagnostics);
        from_cache += usize::from(loaded.from_cache && loaded.brief.is_some());
        briefs.extend(loaded.brief);
    }
    sort_newest_first(&mut briefs);
    Loaded { briefs, diagnostics, from_cache }
}

/// Every Markdown file under content/, in file-name order, and the problems met on the way.
pub fn brief_files(root: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let content_dir = root.join(CONTENT_DIR);
    let mut diagnostics = Vec::new();
    if !content_dir.is_dir() {
        diagnostics.push(Diagnostic::warning(
            Code::NoContent,
            display_path(root, Path::new(CONTENT_DIR)),
            "there is no content/ folder: the site has no briefs",
        ));
        return (Vec::new(), diagnostics);
    }
    let mut files = Vec::new();
    let shown = |path: &Path| display_path(root, path.strip_prefix(root).unwrap_or(path));
    // Names that are not UTF-8 pass the filter, to be reported below.
    let walker = WalkDir::new(&content_dir).sort_by_file_name().into_iter().filter_entry(|entry| {
        entry.depth() == 0 || entry.file_name().to_str().is_none() || !is_ignored_name(entry.path())
    });
    for entry in walker {
        match entry {
            Ok(entry) if entry.depth() > 0 && entry.file_name().to_str().is_none() => {
                diagnostics.push(
                    Diagnostic::warning(Code::NotPublished, shown(entry.path()), "not read: its name is not UTF-8")
                        .with_help("rename it with a UTF-8 name"),
                );
            }
            Ok(entry) if entry.path_is_symlink() && is_markdown(entry.path()) => {
                diagnostics.push(
                    Diagnostic::warning(
                        Code::NotPublished,
                        shown(entry.path()),
                        "not published: the brief is a symbolic link, which is never followed",
                    )
                    .with_help("move the file itself into content/"),
                );
            }
            Ok(entry) if entry.file_type().is_file() && is_markdown(entry.path()) => {
                // `X.MD` is read, but said: servers and tools that go by the exact name may not.
                if let Some(extension) = entry.path().extension().and_then(|e| e.to_str())
                    && extension != extension.to_lowercase()
                {
                    diagnostics.push(
                        Diagnostic::warning(
                            Code::FileName,
                            shown(entry.path()),
                            format!("the extension `.{extension}` is read as `.{}`", extension.to_lowercase()),
                        )
                        .with_help("rename the file with a lower-case extension"),
                    );
                }
                files.push(entry.into_path());
            }
            Ok(_) => {}
            Err(error) => {
                let path = error.path().map(Path::to_path_buf).unwrap_or_else(|| content_dir.clone());
                diagnostics.push(Diagnostic::error(Code::Io, path, format!("cannot read: {error}")));
            }
        }
    }
    (files, diagnostics)
}

/// Newest first; the path breaks ties so that order never depends on the file system.
pub fn sort_newest_first<B: std::borrow::Borrow<Brief>>(briefs: &mut [B]) {
    briefs.sort_by(|a, b| {
        let (a, b) = (a.borrow(), b.borrow());
        b.date.cmp(&a.date).then_with(|| a.path.cmp(&b.path))
    });
}

/// The largest brief file read: briefs are a few kilobytes; a larger file is a mistake
/// (or hostile), and every byte of it would be published several times (page, feeds).
pub const MAX_BRIEF_FILE: u64 = 2 << 20;

/// One brief file, loaded: the brief when it is valid and published (drafts only when
/// asked), and its diagnostics.
pub struct LoadedFile {
    pub file: PathBuf,
    pub brief: Option<LoadedBrief>,
    pub diagnostics: Vec<Diagnostic>,
    /// Taken from the cache, not parsed.
    pub from_cache: bool,
}

/// Loads the given brief files in parallel (for a whole site, or the files an editor
/// just saved).
pub fn load_files(options: &LoadOptions, files: &[PathBuf]) -> Vec<LoadedFile> {
    let content_dir = options.root.join(CONTENT_DIR);
    let static_dir = options.root.join(STATIC_DIR);
    // Resolved once here rather than for each image of each brief.
    let real_content_dir = content_dir.canonicalize().ok();
    let real_static_dir = static_dir.canonicalize().ok();
    let real_folders = RealFolders::default();
    files
        .par_iter()
        .map(|file| {
            let relative = file.strip_prefix(options.root).unwrap_or(file);
            let display = display_path(options.root, relative);
            let brief_file = BriefFile {
                display: &display,
                file,
                content_dir: &content_dir,
                static_dir: &static_dir,
                real_content_dir: real_content_dir.as_deref(),
                real_static_dir: real_static_dir.as_deref(),
                real_folders: &real_folders,
                config: options.config,
            };
            let (brief, found, from_cache) = load_one(&brief_file, options.cache);
            // A draft left out of the build is work in progress: its warnings are noise,
            // but its errors still count, so that publishing it later cannot break the site.
            let skipped_draft = brief.as_ref().is_some_and(|(b, _)| b.draft && !options.include_drafts);
            LoadedFile {
                file: file.clone(),
                diagnostics: found.into_iter().filter(|d| !skipped_draft || d.is_error()).collect(),
                brief: brief
                    .filter(|(b, _)| options.include_drafts || !b.draft)
                    .map(|(brief, record)| LoadedBrief { brief: Arc::new(brief), record }),
                from_cache,
            }
        })
        .collect()
}

/// One file's brief and diagnostics, and whether the brief came from the cache.
fn load_one(file: &BriefFile, cache: Option<&BriefCache>) -> (Option<(Brief, LoadRecord)>, Vec<Diagnostic>, bool) {
    // A file the previous build read may be unchanged since: its stamp, from one `stat`,
    // then spares reading it.
    if let Some(cache) = cache.filter(|cache| cache.holds(file.file)) {
        let stamp = std::fs::metadata(file.file).ok().and_then(|m| FileStamp::of(&m, SystemTime::now()));
        if let Some(cached) = stamp.and_then(|stamp| cache.take_unchanged(file.file, stamp))
            && still_valid(&cached.0, file)
        {
            return (Some(cached), Vec::new(), true);
        }
    }
    let (bytes, stamp) = match read_stamped(file.file) {
        Ok(read) => read,
        Err(error) if error.kind() == std::io::ErrorKind::FileTooLarge => {
            let diagnostic = Diagnostic::error(
                Code::TooLarge,
                file.display,
                format!("the file is over {} MiB: a brief is read only up to that size", MAX_BRIEF_FILE >> 20),
            )
            .with_help("a brief is a few kilobytes of text: is this the right file?");
            return (None, vec![diagnostic], false);
        }
        Err(error) => {
            let diagnostic = Diagnostic::error(Code::Io, file.display, format!("cannot read the file: {error}"));
            return (None, vec![diagnostic], false);
        }
    };
    let file_hash = xxhash_rust::xxh3::xxh3_64(&bytes);
    if let Some((brief, mut record)) =
        cache.and_then(|cache| cache.take(file.file, file_hash)).filter(|(b, _)| still_valid(b, file))
    {
        // The same bytes, perhaps touched since: the new stamp spares the next build a read.
        record.file_stamp = stamp;
        return (Some((brief, record)), Vec::new(), true);
    }
    let (brief, diagnostics) = parse_brief(&bytes, file);
    let loaded = brief.map(|brief| {
        let (fingerprint, card_fingerprint) = fingerprints(file_hash, &brief);
        (brief, LoadRecord { file_hash, file_stamp: stamp, fingerprint, card_fingerprint })
    });
    (loaded, diagnostics, false)
}

/// Whether a brief from the cache is what parsing its unchanged file would give now. Of
/// a cacheable brief (see [`super::cache::is_cacheable`]), only its images depend on other
/// files.
fn still_valid(cached: &Brief, file: &BriefFile) -> bool {
    cached.image.iter().chain(&cached.media).all(|image| super::files::image_still_resolves(image, file))
}

/// A file's bytes and its stamp, taken from the open file before reading it: a write
/// after that changes the stamp the next build sees.
fn read_stamped(path: &Path) -> std::io::Result<(Vec<u8>, Option<FileStamp>)> {
    use std::io::Read;
    let opened = std::fs::File::open(path)?;
    let metadata = opened.metadata()?;
    // Read one byte past the limit, whatever the file claims, to know it is too large.
    let mut opened = opened.take(MAX_BRIEF_FILE + 1);
    if metadata.len() > MAX_BRIEF_FILE {
        return Err(std::io::ErrorKind::FileTooLarge.into());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0).saturating_add(1));
    opened.read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_BRIEF_FILE {
        return Err(std::io::ErrorKind::FileTooLarge.into());
    }
    Ok((bytes, FileStamp::of(&metadata, SystemTime::now())))
}

/// A brief's body as HTML: the one it was parsed with, or, for a brief that came from the
/// cache without it, rendered from its file now (not kept: a brief's page and its feed
/// entry are each rendered once per build). The file must still be what the brief was
/// read from.
pub fn body_html<'a>(brief: &'a Brief, config: &Config) -> Result<std::borrow::Cow<'a, str>, Diagnostic> {
    match brief.body {
        super::Body::Rendered(ref html) => Ok(html.into()),
        super::Body::InFile { file_hash } => render_body(brief, file_hash, config).map(Into::into),
    }
}

fn render_body(brief: &Brief, file_hash: u64, config: &Config) -> Result<String, Diagnostic> {
    let changed = || {
        Diagnostic::error(Code::ChangedDuringBuild, &brief.path, "the file changed during the build")
            .with_help("build again")
    };
    let bytes = std::fs::read(&brief.file).map_err(|_| changed())?;
    if xxhash_rust::xxh3::xxh3_64(&bytes) != file_hash {
        return Err(changed());
    }
    let text = std::str::from_utf8(&bytes).map_err(|_| changed())?;
    let text = crate::site_files::normalise_text(text);
    let document = front_matter::split(&text).map_err(|_| changed())?;
    let typography = config.french_typography && crate::license::is_french(&brief.lang);
    Ok(super::body_images::render(document.body, typography, brief.image.as_ref(), &brief.media).html)
}

/// A brief's fingerprints (its pages', and its card's) from the brief as serialised, so
/// that every field it has or will gain counts without being listed here, and from its
/// file's bytes, which hold the body (not serialised). A brief that cannot be serialised
/// (a path that is not UTF-8) is fingerprinted from its debug form, which holds every
/// field too.
fn fingerprints(file_hash: u64, brief: &Brief) -> (u64, u64) {
    let mut model = HashWriter(xxhash_rust::xxh3::Xxh3::new());
    let card = match postcard::to_io(brief, &mut model) {
        Ok(_) => model.0.digest(),
        Err(_) => xxhash_rust::xxh3::xxh3_64(format!("{brief:?}").as_bytes()),
    };
    let mut page = xxhash_rust::xxh3::Xxh3::new();
    page.update(&card.to_le_bytes());
    page.update(&file_hash.to_le_bytes());
    (page.digest(), card)
}

/// Feeds what is written to a hasher, so that a brief is hashed without being copied.
struct HashWriter(xxhash_rust::xxh3::Xxh3);

impl std::io::Write for HashWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Turns the bytes of a brief into a brief and its diagnostics. Never panics, whatever
/// the bytes (see the property test below).
fn parse_brief(bytes: &[u8], file: &BriefFile) -> (Option<Brief>, Vec<Diagnostic>) {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid = std::str::from_utf8(&bytes[..error.valid_up_to()]).unwrap_or_default();
            let position = line_column(valid, valid.len());
            return (
                None,
                vec![
                    Diagnostic::error(Code::NotUtf8, file.display, "the file is not valid UTF-8")
                        .at(Some(position))
                        .with_help("save the file as UTF-8 (Latin-1 and Windows-1252 are not read)"),
                ],
            );
        }
    };
    let (brief, mut diagnostics) = parse_text(text, file);
    if let Some(warning) = control_characters_warning(text, file) {
        diagnostics.push(warning);
    }
    (brief, diagnostics)
}

/// The warning for characters [`crate::site_files::normalise_text`] replaced, placed at
/// the first of them.
fn control_characters_warning(text: &str, file: &BriefFile) -> Option<Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (count, offset, first) = crate::site_files::forbidden_characters(text)?;
    let what = match count {
        1 => "a control character".to_string(),
        n => format!("{n} control characters"),
    };
    Some(
        Diagnostic::warning(
            Code::ControlCharacter,
            file.display,
            format!("{what} (the first is U+{:04X}) replaced by spaces: feeds cannot hold them", u32::from(first)),
        )
        .at(Some(line_column(text, offset)))
        .with_help("text pasted from a word processor often brings them; retype the line, or save it as plain text"),
    )
}

fn parse_text(text: &str, file: &BriefFile) -> (Option<Brief>, Vec<Diagnostic>) {
    let text = crate::site_files::normalise_text(text);
    let document = match front_matter::split(&text) {
        Ok(document) => document,
        Err(error) => {
            let (code, line) = match &error {
                SplitError::Empty => (Code::EmptyFile, None),
                SplitError::Missing { line } => (Code::NoFrontMatter, Some(*line)),
                SplitError::Unclosed { opening_line } => (Code::UnclosedFrontMatter, Some(*opening_line)),
            };
            let diagnostic = Diagnostic::error(code, file.display, error.to_string()).at(line.map(|l| (l, 1)));
            return (None, vec![diagnostic]);
        }
    };
    match front_matter::parse(&document) {
        Ok(raw) => resolve(raw, &document, file),
        Err(error) => {
            let mut diagnostic = Diagnostic::error(error.code, file.display, error.message).at(error.position);
            diagnostic.help = error.help;
            (None, vec![diagnostic])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn config() -> Config {
        crate::config::parse("title = \"T\"\n", Path::new("depeche.toml")).unwrap().0
    }

    fn parse(text: &[u8]) -> (Option<Brief>, Vec<Diagnostic>) {
        let config = config();
        let dir = std::env::temp_dir();
        let file = dir.join("content/brief.md");
        let brief_file = BriefFile {
            display: Path::new("content/brief.md"),
            file: &file,
            content_dir: &dir.join("content"),
            static_dir: &dir.join("static"),
            real_content_dir: None,
            real_static_dir: None,
            real_folders: &RealFolders::default(),
            config: &config,
        };
        parse_brief(text, &brief_file)
    }

    /// Front-matter-shaped text: fences, known and unknown keys, YAML punctuation.
    fn brief_like() -> impl Strategy<Value = String> {
        let line = prop_oneof![
            Just("---".to_string()),
            Just("title: Flag".to_string()),
            Just("date: 2022-03-04".to_string()),
            Just("sources:".to_string()),
            Just("  - name: AFP".to_string()),
            Just("    url: javascript:x".to_string()),
            Just("image:".to_string()),
            Just("  src: a.png".to_string()),
            Just("  license: CC BY-SA 3.0".to_string()),
            "[a-z_]{1,8}: [^\n]{0,12}".prop_map(|s| s),
            "[ \t-]{0,4}[^\n]{0,16}".prop_map(|s| s),
        ];
        proptest::collection::vec(line, 0..14).prop_map(|lines| lines.join("\n"))
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let (brief, diagnostics) = parse(&bytes);
            prop_assert!(brief.is_some() || diagnostics.iter().any(Diagnostic::is_error));
        }

        #[test]
        fn brief_like_text_never_panics_and_errors_are_placed(text in brief_like()) {
            let (brief, diagnostics) = parse(text.as_bytes());
            prop_assert!(brief.is_some() || diagnostics.iter().any(Diagnostic::is_error));
            let lines = text.lines().count().max(1);
            for diagnostic in &diagnostics {
                if let Some(line) = diagnostic.line {
                    prop_assert!(line >= 1 && line <= lines + 1, "{diagnostic} in {text:?}");
                }
            }
        }

        #[test]
        fn any_title_round_trips_through_the_skeleton(title in "\\PC{1,40}") {
            prop_assume!(!title.trim().is_empty());
            let text = front_matter::skeleton(&title, "2022-03-04", "en");
            let (brief, diagnostics) = parse(text.as_bytes());
            let brief = brief.unwrap_or_else(|| panic!("{diagnostics:?}"));
            prop_assert_eq!(brief.title, title.trim());
        }
    }
}
