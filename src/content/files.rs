//! What a brief's file finds around it on disk: its image's file (beside it, or under
//! static/, never through a link out of the site), its bundle's files, and the real
//! location of the folders involved, found once per load.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use super::{ImageCredit, ImageSrc, check_http_url};
use crate::config::Config;

/// Where the brief sits, for resolving its slug and image.
pub(super) struct BriefFile<'a> {
    /// The path shown in diagnostics.
    pub display: &'a Path,
    /// The file on disk.
    pub file: &'a Path,
    pub content_dir: &'a Path,
    pub static_dir: &'a Path,
    /// The two folders with symbolic links resolved; `None` when they do not exist.
    pub real_content_dir: Option<&'a Path>,
    pub real_static_dir: Option<&'a Path>,
    /// Shared by the briefs of one load.
    pub real_folders: &'a RealFolders,
    pub config: &'a Config,
}

/// The real location (symbolic links resolved) of each folder holding a candidate image,
/// found once for all the briefs of a load: finding it takes a system call per level of
/// the path, and a site's images sit in a few folders.
#[derive(Default)]
pub struct RealFolders(Mutex<HashMap<PathBuf, Option<PathBuf>>>);

impl RealFolders {
    fn real(&self, folder: &Path) -> Option<PathBuf> {
        // Nothing panics while holding the lock, so a poisoned one still holds good data.
        let known = self.0.lock().unwrap_or_else(PoisonError::into_inner).get(folder).cloned();
        known.unwrap_or_else(|| {
            let real = folder.canonicalize().ok();
            self.0.lock().unwrap_or_else(PoisonError::into_inner).insert(folder.to_path_buf(), real.clone());
            real
        })
    }
}

impl BriefFile<'_> {
    /// A brief named `index.md` is a page bundle: its folder names it and holds its files.
    pub fn is_bundle(&self) -> bool {
        self.file.file_stem().is_some_and(|stem| stem == "index")
            && self.file.parent().is_some_and(|p| p != self.content_dir)
    }
}

/// Whether the image of a brief parsed by an earlier build still resolves to the same
/// file: one `lstat`, as when the brief was parsed.
pub(super) fn image_still_resolves(image: &ImageCredit, file: &BriefFile) -> bool {
    resolve_src(&image.src_as_written, file).is_ok_and(|src| src == image.src)
}

/// Finds the image file: an http(s) address, a path relative to the brief, or a path
/// under static/ (tried second, or only, for paths starting with `/`). Paths may not
/// climb out of content/ or static/.
pub(super) fn resolve_src(src: &str, file: &BriefFile) -> Result<ImageSrc, String> {
    if url::Url::parse(src).is_ok() {
        return check_http_url(src).map(ImageSrc::Remote).map_err(|m| format!("image `src`: {m}"));
    }
    let relative = Path::new(src.trim_start_matches('/'));
    if relative.components().any(|c| !matches!(c, Component::Normal(_) | Component::CurDir | Component::ParentDir)) {
        return Err(format!("image `src` {src:?} is not a usable path"));
    }
    if !src.starts_with('/') {
        let folder = file.file.parent().unwrap_or(file.content_dir);
        if let Some(candidate) = normalise_within(folder, Path::new(src), file.content_dir)
            && is_file_inside(&candidate, file.real_content_dir, file.real_folders)
        {
            let file_name = candidate.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            return Ok(ImageSrc::Colocated { file: candidate, file_name });
        }
    }
    if let Some(candidate) = normalise_within(file.static_dir, relative, file.static_dir)
        && is_file_inside(&candidate, file.real_static_dir, file.real_folders)
    {
        let site_path = candidate
            .strip_prefix(file.static_dir)
            .map(|p| format!("/{}", p.to_string_lossy().replace('\\', "/")))
            .unwrap_or_default();
        return Ok(ImageSrc::Static { site_path });
    }
    Err(format!("image file {src:?} not found beside the brief or in static/"))
}

/// A regular file whose real location (after symbolic links) is inside `real_root`: a
/// link pointing elsewhere on the machine is never published.
fn is_file_inside(path: &Path, real_root: Option<&Path>, folders: &RealFolders) -> bool {
    let Some(root) = real_root else { return false };
    match path.symlink_metadata() {
        // A file itself: where its folder really is decides.
        Ok(metadata) if metadata.is_file() => match (path.parent(), path.file_name()) {
            (Some(folder), Some(name)) => folders.real(folder).is_some_and(|real| real.join(name).starts_with(root)),
            _ => false,
        },
        Ok(metadata) if metadata.is_symlink() => {
            path.canonicalize().is_ok_and(|real| real.starts_with(root) && real.is_file())
        }
        _ => false,
    }
}

/// Joins `relative` to `base`, resolving `.` and `..`, and returns it only if it stays
/// inside `root`.
pub(super) fn normalise_within(base: &Path, relative: &Path, root: &Path) -> Option<PathBuf> {
    let mut path = base.to_path_buf();
    for component in relative.components() {
        match component {
            Component::Normal(part) => path.push(part),
            Component::ParentDir => {
                if !path.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            _ => return None,
        }
    }
    path.starts_with(root).then_some(path)
}

/// The non-Markdown files in a page bundle's folder.
pub(super) fn bundle_assets(brief: &Path) -> Vec<PathBuf> {
    let Some(folder) = brief.parent() else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
                && !crate::site_files::is_markdown(path)
                && !crate::site_files::is_ignored_name(path)
        })
        .collect()
}
