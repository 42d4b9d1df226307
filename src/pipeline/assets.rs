//! The files copied as they are: the theme's static files, the site's static/ folder and
//! the files beside briefs.

use std::hash::Hash;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use walkdir::WalkDir;
use xxhash_rust::xxh3::Xxh3;

use super::output::{Contents, OutputMap};
use super::site::Site;
use crate::content::ImageSrc;
use crate::content::cache::FileStamp;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::render::Theme;
use crate::site_files::{STATIC_DIR, display_path, is_editor_or_system_file};

/// Where a copied file comes from, which decides what it may replace.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The theme's static files, which the site's replace.
    Theme,
    Static,
    /// A file beside a brief, copied into the brief's folder.
    Bundle,
}

/// The files to copy, by output path. The site's static files replace the theme's; a file
/// that would replace a page (a path of `pages`) is an error, except robots.txt, which a
/// site may write itself, and so is a brief's file that a static file would also be
/// published as (one would silently win). Files that cannot be published are reported:
/// an unreadable file (an error, as writing it would fail), a symbolic link (not
/// followed), a hidden file other than `.well-known/`, a name that is not UTF-8.
pub(super) fn collect(
    root: &Path,
    site: &Site,
    theme: &Theme,
    pages: &foldhash::HashSet<String>,
    diagnostics: &mut Diagnostics,
) -> OutputMap {
    let variants_only = published_as_variants(root, site);
    let mut files = OutputMap::default();
    let mut kinds: foldhash::HashMap<String, (Kind, PathBuf)> = foldhash::HashMap::default();
    let mut conflicts = Vec::new();
    let mut add = |path: String, contents: Contents, origin: &Path, kind: Kind| {
        if let Contents::Copy(source) = &contents
            && let Err(error) = std::fs::File::open(source)
        {
            conflicts.push(Diagnostic::error(Code::Io, origin, format!("cannot read {}: {error}", source.display())));
            return;
        }
        if pages.contains(&path) && path != "robots.txt" {
            conflicts.push(Diagnostic::error(
                Code::OutputConflict,
                origin,
                format!("{path} would replace a page of the same name"),
            ));
            return;
        }
        match kinds.get(&path) {
            Some((Kind::Theme, _)) | None => {}
            Some(_) if kind == Kind::Theme => return,
            Some((_, other)) => {
                conflicts.push(
                    Diagnostic::error(
                        Code::OutputConflict,
                        origin,
                        format!("{path} would be published from both {} and {}", other.display(), origin.display()),
                    )
                    .with_help("rename one of the two files"),
                );
                return;
            }
        }
        kinds.insert(path.clone(), (kind, origin.to_path_buf()));
        files.insert(path, Arc::new(contents));
    };
    for (relative, file) in &theme.static_files {
        let contents = match &file.data {
            crate::render::theme::ThemeFileData::Embedded(bytes) => Contents::Bytes(std::borrow::Cow::Borrowed(bytes)),
            crate::render::theme::ThemeFileData::Disk(path) => Contents::Copy(path.clone()),
        };
        add(relative.clone(), contents, &file.origin, Kind::Theme);
    }
    let static_dir = root.join(STATIC_DIR);
    if static_dir.is_dir() {
        let shown = |path: &Path| display_path(root, path.strip_prefix(root).unwrap_or(path));
        let mut entries = WalkDir::new(&static_dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_editor_or_system_file(e.path()));
        while let Some(entry) = entries.next() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    let path = error.path().map_or_else(|| static_dir.clone(), Path::to_path_buf);
                    diagnostics.push(Diagnostic::error(Code::Io, shown(&path), format!("cannot read: {error}")));
                    continue;
                }
            };
            if entry.depth() == 0 {
                continue;
            }
            if let Some(warning) = unpublished(&entry, &shown(entry.path())) {
                diagnostics.push(warning);
                if entry.file_type().is_dir() {
                    entries.skip_current_dir();
                }
                continue;
            }
            if !entry.file_type().is_file() || variants_only.contains(entry.path()) {
                continue;
            }
            let Ok(relative) = entry.path().strip_prefix(&static_dir) else {
                continue;
            };
            let path = relative.to_string_lossy().replace('\\', "/");
            add(path, Contents::Copy(entry.path().to_path_buf()), &shown(entry.path()), Kind::Static);
        }
    }
    for brief in &site.briefs {
        for asset in brief.assets.iter().filter(|asset| !variants_only.contains(asset.as_path())) {
            let Some(name) = asset.file_name() else {
                continue;
            };
            let path = format!("{}{}", brief.permalink.trim_start_matches('/'), name.to_string_lossy());
            add(path, Contents::Copy(asset.clone()), &brief.path, Kind::Bundle);
        }
    }
    diagnostics.extend(conflicts);
    files
}

/// The image files published as variants, whose originals are not copied: no page shows
/// them, they may weigh megabytes, and they carry what the variants leave out (a GPS
/// position, a camera owner's name). A file that the raw HTML of a brief shows as written
/// (`images_in_html`) is still copied, for that HTML to find it.
fn published_as_variants(root: &Path, site: &Site) -> foldhash::HashSet<PathBuf> {
    let file_of = |src: &ImageSrc| match src {
        ImageSrc::Colocated { file, .. } => Some(file.clone()),
        ImageSrc::Static { site_path } => Some(root.join(STATIC_DIR).join(site_path.trim_start_matches('/'))),
        ImageSrc::Remote(_) => None,
    };
    let shown_as_written: foldhash::HashSet<PathBuf> =
        site.briefs.iter().flat_map(|brief| brief.images_in_html.iter().filter_map(file_of)).collect();
    site.briefs
        .iter()
        .flat_map(|brief| brief.image.iter().chain(&brief.media))
        .filter(|credit| site.images.get(&credit.src).is_some())
        .filter_map(|credit| file_of(&credit.src))
        .filter(|file| !shown_as_written.contains(file))
        .collect()
}

/// A warning for an entry of static/ that is not published and might be expected to be:
/// a symbolic link (never followed: it could lead out of the site), a hidden file or
/// folder other than `.well-known/` (security.txt, the files that prove a domain is
/// yours, which is published), a name that is not UTF-8. Editors' and systems' own files
/// (`.DS_Store`, `.x.swp`) are skipped without a word before this.
fn unpublished(entry: &walkdir::DirEntry, shown: &Path) -> Option<Diagnostic> {
    let name = entry.file_name();
    let well_known = entry.depth() == 1 && name == ".well-known";
    let reason = match name.to_str() {
        None => "its name is not UTF-8",
        Some(_) if entry.path_is_symlink() => "it is a symbolic link, which is never followed",
        Some(name) if name.starts_with('.') && !well_known => "hidden files are not published (only .well-known/ is)",
        Some(_) => return None,
    };
    Some(
        Diagnostic::warning(Code::NotPublished, shown, format!("not published: {reason}"))
            .with_help("put the file itself into static/, under a UTF-8 name that does not start with a dot"),
    )
}

/// What a copied file is, as a number: its bytes when they are built in, else its path
/// and [`FileStamp`] (size, modification and change times, inode: a file rewritten with
/// its old size and modification time still has a new change time), or its bytes when it
/// changed too recently for its times to be trusted. Reading every image of a site at
/// each build would cost more than copying the few that changed.
pub(super) fn fingerprint(contents: &Contents, now: SystemTime) -> u64 {
    let mut hasher = Xxh3::new();
    match contents {
        Contents::Text(text) => hasher.update(text.as_bytes()),
        Contents::Bytes(bytes) => hasher.update(bytes),
        Contents::Kept(path) => {
            hasher.update(b"kept:");
            hasher.update(path.as_os_str().as_encoded_bytes());
        }
        Contents::KeptFolder(path) => {
            hasher.update(b"kept folder:");
            hasher.update(path.as_os_str().as_encoded_bytes());
        }
        Contents::Copy(path) => {
            hasher.update(path.as_os_str().as_encoded_bytes());
            if let Ok(metadata) = std::fs::metadata(path) {
                match FileStamp::of(&metadata, now) {
                    Some(stamp) => stamp.hash(&mut hasher),
                    None => hasher.update(&std::fs::read(path).unwrap_or_default()),
                }
            }
        }
    }
    hasher.digest()
}
