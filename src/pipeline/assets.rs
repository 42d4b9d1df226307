//! The files copied as they are: the theme's static files, the site's static/ folder and
//! the files beside briefs.

use std::collections::HashSet;
use std::hash::Hash;
use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

use walkdir::WalkDir;
use xxhash_rust::xxh3::Xxh3;

use super::output::{Contents, OutputMap};
use super::site::Site;
use crate::content::cache::FileStamp;
use crate::diagnostic::{Code, Diagnostic};
use crate::render::Theme;
use crate::site_files::{STATIC_DIR, display_path, is_ignored_name};

/// The files to copy, by output path. The site's static files replace the theme's; one
/// that would replace a page (a path of `pages`) is an error, except robots.txt, which a
/// site may write itself.
pub(super) fn collect(
    root: &Path,
    site: &Site,
    theme: &Theme,
    pages: &foldhash::HashSet<String>,
    diagnostics: &mut Vec<Diagnostic>,
) -> OutputMap {
    let mut files = OutputMap::default();
    let mut add = |path: String, contents: Contents, origin: &Path, replaceable: bool| {
        let is_page = pages.contains(&path);
        if is_page && path != "robots.txt" {
            diagnostics.push(Diagnostic::error(
                Code::OutputConflict,
                origin,
                format!("{path} would replace a page of the same name"),
            ));
        } else if replaceable || is_page || !files.contains_key(&path) {
            files.insert(path, Arc::new(contents));
        }
    };
    let theme_static: HashSet<&String> = theme.static_files.keys().collect();
    for (relative, file) in &theme.static_files {
        let contents = match &file.data {
            crate::render::theme::ThemeFileData::Embedded(bytes) => Contents::Bytes(std::borrow::Cow::Borrowed(bytes)),
            crate::render::theme::ThemeFileData::Disk(path) => Contents::Copy(path.clone()),
        };
        add(relative.clone(), contents, &file.origin, false);
    }
    let static_dir = root.join(STATIC_DIR);
    if static_dir.is_dir() {
        let entries = WalkDir::new(&static_dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_ignored_name(e.path()))
            .filter_map(std::result::Result::ok)
            .filter(|e| e.file_type().is_file());
        for entry in entries {
            let Ok(relative) = entry.path().strip_prefix(&static_dir) else {
                continue;
            };
            let path = relative.to_string_lossy().replace('\\', "/");
            let replaceable = theme_static.contains(&path);
            let origin = display_path(root, entry.path().strip_prefix(root).unwrap_or(entry.path()));
            add(path, Contents::Copy(entry.path().to_path_buf()), &origin, replaceable);
        }
    }
    for brief in &site.briefs {
        for asset in &brief.assets {
            let Some(name) = asset.file_name() else {
                continue;
            };
            let path = format!("{}{}", brief.permalink.trim_start_matches('/'), name.to_string_lossy());
            add(path, Contents::Copy(asset.clone()), &brief.path, true);
        }
    }
    files
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
