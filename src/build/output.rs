//! Writing the site: into a staging folder beside the output, then swapped in, so that a
//! failed build leaves the previous output exactly as it was and readers never see a
//! half-written site. Only the output folder is ever replaced, and only when it is safe.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};

/// What a file of the output holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    Text(String),
    Bytes(std::borrow::Cow<'static, [u8]>),
    /// A file of the site copied as it is.
    Copy(PathBuf),
    /// A page of the previous build, unchanged: hard-linked into the new one (copied
    /// where the file system cannot link).
    Reuse(PathBuf),
}

pub struct OutputFile {
    /// Relative to the output folder, with `/` separators.
    pub path: String,
    pub contents: Contents,
}

/// Every file of a site, by path relative to the output folder. Contents are shared so
/// that a rebuild can keep the pages it did not render again without copying them.
pub type OutputMap = std::collections::BTreeMap<String, std::sync::Arc<Contents>>;

/// Makes `path` absolute and resolves `.`, `..` and symbolic links of the part that exists,
/// so that comparisons between folders cannot be fooled by spelling.
pub fn resolve_path(path: &Path) -> std::io::Result<PathBuf> {
    let absolute = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir()?.join(path) };
    let mut lexical = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    // Canonicalise the longest existing ancestor and re-append the rest.
    let mut existing = lexical.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name().map(ToOwned::to_owned), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    resolved.extend(rest.iter().rev());
    Ok(resolved)
}

/// Refuses output folders whose replacement would destroy something that is not a build:
/// the file-system root, the site or any folder holding it, the site's input folders, a
/// home folder, another site, or a git checkout.
pub fn check_output_folder(root: &Path, output: &Path) -> Result<PathBuf> {
    let refuse = |reason: &str| Error::UnsafeOutput { path: output.to_path_buf(), reason: reason.to_string() };
    let root = resolve_path(root).map_err(|e| Error::io("resolve", root, e))?;
    let resolved = resolve_path(output).map_err(|e| Error::io("resolve", output, e))?;
    if resolved.parent().is_none() {
        return Err(refuse("it is the root of the file system"));
    }
    if root.starts_with(&resolved) {
        return Err(refuse("it is the site folder, or a folder that contains it"));
    }
    for input in ["content", "static", "templates", "themes", crate::config::CONFIG_FILE] {
        let input_path = resolve_path(&root.join(input)).map_err(|e| Error::io("resolve", root.join(input), e))?;
        if input_path.starts_with(&resolved) || resolved.starts_with(&input_path) {
            return Err(refuse(&format!("it is, holds or lies inside the site's {input}")));
        }
    }
    if std::env::var_os("HOME").is_some_and(|home| Path::new(&home) == resolved) {
        return Err(refuse("it is your home folder"));
    }
    if let Ok(metadata) = std::fs::symlink_metadata(&resolved) {
        if !metadata.is_dir() {
            return Err(refuse("it exists and is not a folder"));
        }
        if resolved.join(crate::config::CONFIG_FILE).exists() {
            return Err(refuse("it holds a depeche.toml: it is a site, not a build"));
        }
        if resolved.join(".git").exists() {
            return Err(refuse("it is a git checkout; build elsewhere and copy the files in"));
        }
    }
    Ok(resolved)
}

/// Writes `files` into a staging folder beside `output` and swaps it in. On any error the
/// staging folder is removed and `output` is left untouched.
pub fn publish(output: &Path, files: &OutputMap) -> Result<()> {
    let parent = output
        .parent()
        .ok_or_else(|| Error::UnsafeOutput { path: output.to_path_buf(), reason: "it has no parent folder".into() })?;
    std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
    let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.staging-"))
        .tempdir_in(parent)
        .map_err(|e| Error::io("create a staging folder in", parent, e))?;

    write_all(staging.path(), files)?;
    set_readable(staging.path())?;

    if output.exists() {
        let retired = tempfile::Builder::new()
            .prefix(&format!(".{name}.previous-"))
            .tempdir_in(parent)
            .map_err(|e| Error::io("create a folder in", parent, e))?;
        let retired_path = retired.path().join(&name);
        std::fs::rename(output, &retired_path).map_err(|e| Error::io("move aside", output, e))?;
        if let Err(error) = std::fs::rename(staging.path(), output) {
            // Put the previous build back before reporting.
            let _ = std::fs::rename(&retired_path, output);
            return Err(Error::io("move the new build to", output, error));
        }
        // `retired` is dropped here, deleting the previous build.
    } else {
        let staged = staging.keep();
        std::fs::rename(&staged, output).map_err(|e| {
            let _ = std::fs::remove_dir_all(&staged);
            Error::io("move the new build to", output, e)
        })?;
    }
    Ok(())
}

fn write_all(folder: &Path, files: &OutputMap) -> Result<()> {
    let folders: BTreeSet<PathBuf> =
        files.keys().filter_map(|path| Path::new(path).parent().map(|p| folder.join(p))).collect();
    for dir in &folders {
        std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
    }
    let files: Vec<(&String, &std::sync::Arc<Contents>)> = files.iter().collect();
    files.par_iter().try_for_each(|(path, contents)| {
        let target = folder.join(path);
        let written = match contents.as_ref() {
            Contents::Text(text) => std::fs::write(&target, text),
            Contents::Bytes(bytes) => std::fs::write(&target, bytes),
            Contents::Copy(source) => std::fs::copy(source, &target).map(|_| ()),
            Contents::Reuse(source) => {
                std::fs::hard_link(source, &target).or_else(|_| std::fs::copy(source, &target).map(|_| ()))
            }
        };
        written.map_err(|e| match contents.as_ref() {
            Contents::Copy(source) | Contents::Reuse(source) => Error::io("copy", source, e),
            _ => Error::io("write", &target, e),
        })
    })
}

/// Temporary folders are private (0700); a published site must be readable by the web
/// server.
fn set_readable(folder: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| Error::io("set permissions of", folder, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publish_replaces_the_whole_folder() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        std::fs::create_dir_all(output.join("old")).unwrap();
        std::fs::write(output.join("old/index.html"), "old").unwrap();
        let files = OutputMap::from([("a/b.html".to_string(), std::sync::Arc::new(Contents::Text("new".into())))]);
        publish(&output, &files).unwrap();
        assert_eq!(std::fs::read_to_string(output.join("a/b.html")).unwrap(), "new");
        assert!(!output.join("old").exists());
        // Nothing is left beside the output.
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn failed_write_leaves_output_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        std::fs::create_dir_all(&output).unwrap();
        std::fs::write(output.join("index.html"), "old").unwrap();
        let files = OutputMap::from([(
            "x.png".to_string(),
            std::sync::Arc::new(Contents::Copy(dir.path().join("missing.png"))),
        )]);
        assert!(publish(&output, &files).is_err());
        assert_eq!(std::fs::read_to_string(output.join("index.html")).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn resolve_path_handles_missing_parts() {
        let dir = tempfile::tempdir().unwrap();
        let resolved = resolve_path(&dir.path().join("a/../b/c")).unwrap();
        assert_eq!(resolved, dir.path().canonicalize().unwrap().join("b/c"));
    }
}
