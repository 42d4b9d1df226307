//! The files copied as they are: the theme's static files, the site's static/ folder and
//! the files beside briefs.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use walkdir::WalkDir;

use super::output::{Contents, OutputFile, OutputMap};
use super::site::Site;
use crate::content::load::{STATIC_DIR, display_path, is_ignored_name};
use crate::diagnostic::Diagnostic;
use crate::render::Theme;

/// Adds the theme's static files, the site's static/ folder and each brief's files to the
/// output. The site's static files replace the theme's; one that would replace a page is
/// an error, except robots.txt, which a site may write itself.
pub(super) fn add_assets(
    root: &Path,
    site: &Site,
    theme: &Theme,
    files: &mut OutputMap,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let pages: BTreeSet<String> = files.keys().cloned().collect();
    let mut add = |file: OutputFile, origin: &Path, diagnostics: &mut Vec<Diagnostic>, replaceable: bool| {
        if pages.contains(&file.path) && file.path != "robots.txt" {
            diagnostics.push(Diagnostic::error(
                "output-conflict",
                origin,
                format!("{} would replace a page of the same name", file.path),
            ));
        } else if replaceable || !files.contains_key(&file.path) || pages.contains(&file.path) {
            files.insert(file.path, Arc::new(file.contents));
        }
    };
    let theme_static: std::collections::BTreeSet<&String> = theme.static_files.keys().collect();
    for (relative, file) in &theme.static_files {
        let contents = match &file.source {
            crate::render::theme::FileSource::Embedded(bytes) => Contents::Bytes(std::borrow::Cow::Borrowed(bytes)),
            crate::render::theme::FileSource::Disk(path) => Contents::Copy(path.clone()),
        };
        add(OutputFile { path: relative.clone(), contents }, &file.origin, diagnostics, false);
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
            add(
                OutputFile { path, contents: Contents::Copy(entry.path().to_path_buf()) },
                &origin,
                diagnostics,
                replaceable,
            );
        }
    }
    for brief in &site.briefs {
        for asset in &brief.assets {
            let Some(name) = asset.file_name() else {
                continue;
            };
            let path = format!("{}{}", brief.permalink.trim_start_matches('/'), name.to_string_lossy());
            add(OutputFile { path, contents: Contents::Copy(asset.clone()) }, &brief.path, diagnostics, true);
        }
    }
}
