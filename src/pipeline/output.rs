//! Writing the site: into a staging folder beside the output, then either exchanged with
//! the published folder in one step (a first or clean build) or moved over the files that
//! changed, one rename per file (a rebuild). A failed build leaves the previous output
//! exactly as it was; a killed one leaves an output the next build recognises and
//! repairs. Only an output folder that is missing, empty or a previous Depeche build is
//! ever replaced.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, Result};

/// The file that marks a folder as a Depeche build, written into every build the build
/// swaps in: only a folder holding it (or, from builds before it existed, a manifest) may
/// be replaced.
pub const MARKER: &str = ".depeche/output";

/// What the marker says to someone who opens it.
pub const MARKER_TEXT: &str = "This folder is a site built by Depeche. `depeche build` replaces it.\n";

/// The manifest of builds made before the marker existed, which marks them as well.
const OLDER_MARKER: &str = ".depeche/manifest.json";

/// What a file of the output holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    Text(String),
    Bytes(std::borrow::Cow<'static, [u8]>),
    /// A file of the site copied as it is.
    Copy(PathBuf),
    /// A file of Depeche's cache (an image variant, a file of the search index), copied
    /// as it is. Never changed once written, in a folder named by what it holds: its path
    /// alone says what it holds, so a rebuild need not look at it.
    Kept(PathBuf),
    /// A folder of Depeche's cache (a shard of the search index), copied whole to an
    /// output path that ends in `/`: kept like [`Contents::Kept`], as one entry of the
    /// plan, the manifest and the preview however many files it holds. Only its regular
    /// files and folders are copied, never a link.
    KeptFolder(PathBuf),
}

impl Contents {
    /// Whether it is one file (not a folder).
    pub fn is_file(&self) -> bool {
        !matches!(self, Contents::KeptFolder(_))
    }

    /// Where the bytes are, for a file copied as it is.
    pub fn source(&self) -> Option<&Path> {
        match self {
            Contents::Copy(source) | Contents::Kept(source) | Contents::KeptFolder(source) => Some(source),
            Contents::Text(_) | Contents::Bytes(_) => None,
        }
    }
}

/// Every file of a site, by path relative to the output folder. Contents are shared so
/// that a rebuild can keep the pages it did not render again without copying them.
/// foldhash rather than SipHash: the keys are the site's own paths, not an attacker's,
/// and a preview rebuild looks up and inserts every one of them.
pub type OutputMap = PathMap<std::sync::Arc<Contents>>;

/// Something for each output path.
pub type PathMap<V> = foldhash::HashMap<String, V>;

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
/// whatever it holds, an existing folder is replaced only when it is empty or marked as a
/// Depeche build ([`MARKER`]). The file-system root, the site or a folder holding it, the
/// site's input folders and a home folder are refused even when marked.
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
    for input in ["content", "static", "templates", "themes", "i18n", ".git", crate::config::CONFIG_FILE] {
        let input_path = resolve_path(&root.join(input)).map_err(|e| Error::io("resolve", root.join(input), e))?;
        if input_path.starts_with(&resolved) || resolved.starts_with(&input_path) {
            return Err(refuse(&format!("it is, holds or lies inside the site's {input}")));
        }
    }
    let home =
        std::env::var_os("HOME").filter(|home| !home.is_empty()).and_then(|home| resolve_path(Path::new(&home)).ok());
    if home.is_some_and(|home| home.starts_with(&resolved)) {
        return Err(refuse("it is your home folder, or a folder that contains it"));
    }
    match std::fs::symlink_metadata(&resolved) {
        Ok(metadata) if !metadata.is_dir() => Err(refuse("it exists and is not a folder")),
        Ok(_) => {
            let mut entries = std::fs::read_dir(&resolved).map_err(|e| Error::io("read", &resolved, e))?;
            let is_empty = entries.next().is_none();
            let is_build = [MARKER, OLDER_MARKER]
                .iter()
                .any(|marker| std::fs::symlink_metadata(resolved.join(marker)).is_ok_and(|m| m.is_file()));
            if is_empty || is_build {
                Ok(resolved)
            } else {
                Err(refuse(&format!(
                    "it holds files and is not a Depeche build (it has no {MARKER}); \
                     build into a new or empty folder, or delete this one yourself"
                )))
            }
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(resolved),
        Err(error) => Err(Error::io("inspect", &resolved, error)),
    }
}

/// The right to write one output folder, held for a whole build: a second build of the
/// same output waits for the first. The lock is taken on the folder that holds the output
/// (so nothing is left beside it), and the operating system releases it when the process
/// ends, however it ends.
pub struct OutputLock {
    _folder: Option<std::fs::File>,
}

impl OutputLock {
    /// Waits for the lock of `output`, then removes what killed builds of it left beside
    /// it (their staging folders and the previous builds they had moved aside). A folder
    /// that does not exist yet holds no earlier build: nothing is made or locked then, so
    /// that a build that fails leaves no folder behind.
    pub fn acquire(output: &Path) -> Result<OutputLock> {
        let parent = parent_of(output)?;
        // Folders can be opened and locked on Unix; elsewhere builds are not serialised
        // and leftovers are kept.
        let folder = if cfg!(unix) && parent.is_dir() {
            Some(std::fs::File::open(parent).map_err(|e| Error::io("open", parent, e))?)
        } else {
            None
        };
        let locked = match &folder {
            Some(folder) => match folder.lock() {
                Ok(()) => true,
                // Some network file systems have no locks: build unserialised, keep leftovers.
                Err(error) if error.kind() == std::io::ErrorKind::Unsupported => false,
                Err(error) => return Err(Error::io("lock", parent, error)),
            },
            None => false,
        };
        if locked {
            remove_leftovers(output);
        }
        Ok(OutputLock { _folder: folder.filter(|_| locked) })
    }
}

/// Removes the staging and retired folders of earlier builds of `output`. Called with the
/// output's lock held, so none of them belongs to a build still running.
fn remove_leftovers(output: &Path) {
    let Ok(parent) = parent_of(output) else { return };
    let name = folder_name(output);
    let prefixes = [format!(".{name}.staging-"), format!(".{name}.previous-")];
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else { continue };
        let is_leftover = prefixes.iter().any(|prefix| file_name.starts_with(prefix.as_str()));
        // Only folders this module made: never follow a link out of the parent.
        if is_leftover && entry.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// A build being written: a private folder beside the output that pages are written into
/// as soon as they are rendered (so that no build holds all its pages in memory), then
/// either swapped in whole or, for a rebuild, moved over the files that changed. Dropped
/// without being published, it is removed and the output is left as it was.
pub struct Staging {
    output: PathBuf,
    folder: tempfile::TempDir,
    /// Every file written, relative to the folder.
    written: Mutex<Vec<String>>,
}

impl Staging {
    pub fn new(output: &Path) -> Result<Staging> {
        let parent = parent_of(output)?;
        std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
        let folder = tempfile::Builder::new()
            .prefix(&format!(".{}.staging-", folder_name(output)))
            .tempdir_in(parent)
            .map_err(|e| Error::io("create a staging folder in", parent, e))?;
        Ok(Staging { output: output.to_path_buf(), folder, written: Mutex::new(Vec::new()) })
    }

    /// Writes one file, `relative` to the output folder with `/` separators. Safe to call
    /// from many threads at once.
    pub fn write(&self, relative: &str, contents: &Contents) -> Result<()> {
        let target = self.folder.path().join(relative.trim_end_matches('/'));
        let written = match write_file(&target, contents) {
            // Folders are made on demand: one system call in the common case. (Another
            // thread may have made the folder since: making it is then a no-op.) A folder
            // copied half-way is not copied again.
            Err(error) if error.kind() == std::io::ErrorKind::NotFound && contents.is_file() => match target.parent() {
                Some(parent) => std::fs::create_dir_all(parent).and_then(|()| write_file(&target, contents)),
                None => Err(error),
            },
            other => other,
        };
        written.map_err(|e| match contents.source() {
            Some(source) => Error::io("copy", source, e),
            None => Error::io("write", &target, e),
        })?;
        self.written.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(relative.to_string());
        Ok(())
    }

    /// Writes one file by streaming into it, for a file too large to build in memory first.
    pub fn write_with(
        &self,
        relative: &str,
        fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<()> {
        let target = self.folder.path().join(relative);
        let written = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::File::create(&target))
            .and_then(|file| {
                let mut writer = std::io::BufWriter::new(file);
                fill(&mut writer)?;
                std::io::Write::flush(&mut writer)
            });
        written.map_err(|e| Error::io("write", &target, e))?;
        self.written.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(relative.to_string());
        Ok(())
    }

    /// Replaces the whole output folder with the staged one. Where the system can exchange
    /// two folders in one step (Linux), readers see the old build or the new one, never
    /// neither; elsewhere the old one is moved aside first.
    pub fn swap_in(self) -> Result<()> {
        let Staging { output, folder, .. } = self;
        set_readable(folder.path())?;
        if !output.exists() {
            let staged = folder.keep();
            return std::fs::rename(&staged, &output).map_err(|e| {
                let _ = std::fs::remove_dir_all(&staged);
                Error::io("move the new build to", &output, e)
            });
        }
        if exchange(folder.path(), &output).is_ok() {
            // `folder` now holds the previous build, deleted when it is dropped here.
            return Ok(());
        }
        let parent = parent_of(&output)?;
        let retired = tempfile::Builder::new()
            .prefix(&format!(".{}.previous-", folder_name(&output)))
            .tempdir_in(parent)
            .map_err(|e| Error::io("create a folder in", parent, e))?;
        let retired_path = retired.path().join(folder_name(&output));
        std::fs::rename(&output, &retired_path).map_err(|e| Error::io("move aside", &output, e))?;
        if let Err(error) = std::fs::rename(folder.path(), &output) {
            // Put the previous build back before reporting.
            let _ = std::fs::rename(&retired_path, &output);
            return Err(Error::io("move the new build to", &output, error));
        }
        // `retired` is dropped here, deleting the previous build.
        Ok(())
    }

    /// Updates the output folder in place: removes `removed` (paths relative to it), then
    /// moves each staged file over its counterpart, one rename each. The staged files among
    /// `committed` (the manifest and caches, which describe the rest) are taken out first
    /// and moved in last: a build killed half-way leaves an output without a manifest, which the next
    /// build rebuilds whole. Every file replaced or removed is first moved aside, so that
    /// on any error everything done so far is undone and the output is left as it was.
    pub fn patch_in(self, removed: &[String], committed: &[&str]) -> Result<()> {
        let parent = parent_of(&self.output)?;
        let retired = tempfile::Builder::new()
            .prefix(&format!(".{}.previous-", folder_name(&self.output)))
            .tempdir_in(parent)
            .map_err(|e| Error::io("create a folder in", parent, e))?;
        let mut written = std::mem::take(&mut *self.written.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        written.sort();
        let (last, first): (Vec<String>, Vec<String>) =
            written.into_iter().partition(|path| committed.contains(&path.as_str()));
        let mut moves = Moves::new();
        // A folder entry's path ends in `/`: the folder itself is moved.
        let inside = |folder: &Path, path: &str| folder.join(path.trim_end_matches('/'));
        let apply = |moves: &mut Moves| -> Result<()> {
            for path in &last {
                let current = inside(&self.output, path);
                if current.exists() {
                    moves.step(&current, &inside(retired.path(), path))?;
                }
            }
            for path in removed {
                moves.step(&inside(&self.output, path), &inside(retired.path(), path))?;
            }
            // A file may now stand where a folder of removed files stood.
            remove_empty_folders(&self.output, removed);
            for path in &first {
                let current = inside(&self.output, path);
                if current.exists() {
                    moves.step(&current, &inside(retired.path(), path))?;
                }
                moves.step(&inside(self.folder.path(), path), &current)?;
            }
            for path in &last {
                moves.step(&inside(self.folder.path(), path), &inside(&self.output, path))?;
            }
            Ok(())
        };
        if let Err(error) = apply(&mut moves) {
            moves.undo();
            return Err(error);
        }
        Ok(())
    }
}

/// Exchanges two folders in one step, where the system can.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(Into::into)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// A fault injected for the tests that kill a build while it publishes: with this
/// variable set to N, the process aborts, as if killed, after the Nth rename of a patch.
pub const ABORT_AFTER_MOVES: &str = "DEPECHE_TEST_ABORT_AFTER_MOVES";

/// The renames done while patching an output, to be undone in reverse on error.
struct Moves {
    done: Vec<(PathBuf, PathBuf)>,
    abort_after: Option<usize>,
}

impl Moves {
    fn new() -> Moves {
        let abort_after = std::env::var(ABORT_AFTER_MOVES).ok().and_then(|n| n.parse().ok());
        Moves { done: Vec::new(), abort_after }
    }

    fn step(&mut self, from: &Path, to: &Path) -> Result<()> {
        if self.abort_after == Some(self.done.len()) {
            std::process::abort();
        }
        rename_making_folders(from, to).map_err(|e| Error::io("move", from, e))?;
        self.done.push((from.to_path_buf(), to.to_path_buf()));
        Ok(())
    }

    fn undo(self) {
        for (from, to) in self.done.into_iter().rev() {
            let _ = rename_making_folders(&to, &from);
        }
    }
}

fn rename_making_folders(from: &Path, to: &Path) -> std::io::Result<()> {
    match std::fs::rename(from, to) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound && from.exists() => {
            std::fs::create_dir_all(to.parent().unwrap_or(Path::new("."))).and_then(|()| std::fs::rename(from, to))
        }
        other => other,
    }
}

/// Removes the folders that `removed` files leave empty, deepest first, never the output
/// folder itself.
fn remove_empty_folders(output: &Path, removed: &[String]) {
    let mut folders: BTreeSet<PathBuf> = BTreeSet::new();
    for path in removed {
        let mut folder = Path::new(path).parent();
        while let Some(current) = folder.filter(|f| !f.as_os_str().is_empty()) {
            folders.insert(current.to_path_buf());
            folder = current.parent();
        }
    }
    for folder in folders.iter().rev() {
        // Fails, harmlessly, on folders that still hold files.
        let _ = std::fs::remove_dir(output.join(folder));
    }
}

fn write_file(target: &Path, contents: &Contents) -> std::io::Result<()> {
    match contents {
        Contents::Text(text) => std::fs::write(target, text),
        Contents::Bytes(bytes) => std::fs::write(target, bytes),
        Contents::Copy(source) | Contents::Kept(source) => std::fs::copy(source, target).map(|_| ()),
        Contents::KeptFolder(source) => {
            target.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| copy_folder(source, target))
        }
    }
}

/// Copies the regular files and folders under `source` to `target`, which must not
/// exist. Links are left out: nothing outside the cache reaches the output.
fn copy_folder(source: &Path, target: &Path) -> std::io::Result<()> {
    if !std::fs::symlink_metadata(source)?.is_dir() {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "not a folder"));
    }
    std::fs::create_dir(target)?;
    for entry in walkdir::WalkDir::new(source).min_depth(1) {
        let entry = entry.map_err(std::io::Error::other)?;
        let relative = entry.path().strip_prefix(source).map_err(std::io::Error::other)?;
        if entry.file_type().is_dir() {
            std::fs::create_dir(target.join(relative))?;
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), target.join(relative))?;
        }
    }
    Ok(())
}

fn parent_of(output: &Path) -> Result<&Path> {
    output
        .parent()
        .ok_or_else(|| Error::UnsafeOutput { path: output.to_path_buf(), reason: "it has no parent folder".into() })
}

fn folder_name(output: &Path) -> String {
    output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
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
    use rayon::prelude::*;

    use super::*;

    /// Writes `files` into a staging folder beside `output` and swaps it in. On any error the
    /// staging folder is removed and `output` is left untouched.
    fn publish(output: &Path, files: &OutputMap) -> Result<()> {
        let staging = Staging::new(output)?;
        let files: Vec<(&String, &std::sync::Arc<Contents>)> = files.iter().collect();
        files.par_iter().try_for_each(|(path, contents)| staging.write(path, contents))?;
        staging.swap_in()
    }

    #[test]
    fn publish_replaces_the_whole_folder() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        std::fs::create_dir_all(output.join("old")).unwrap();
        std::fs::write(output.join("old/index.html"), "old").unwrap();
        let files: OutputMap =
            [("a/b.html".to_string(), std::sync::Arc::new(Contents::Text("new".into())))].into_iter().collect();
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
        let files: OutputMap =
            [("x.png".to_string(), std::sync::Arc::new(Contents::Copy(dir.path().join("missing.png"))))]
                .into_iter()
                .collect();
        assert!(publish(&output, &files).is_err());
        assert_eq!(std::fs::read_to_string(output.join("index.html")).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_failed_patch_puts_everything_back() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        std::fs::create_dir_all(output.join("a")).unwrap();
        std::fs::write(output.join("a/gone.html"), "gone").unwrap();
        std::fs::write(output.join("kept.html"), "old").unwrap();
        let staging = Staging::new(&output).unwrap();
        staging.write("kept.html", &Contents::Text("new".into())).unwrap();
        // The second removal fails (no such file): the first is undone, nothing is moved in.
        let removed = ["a/gone.html".to_string(), "missing.html".to_string()];
        assert!(staging.patch_in(&removed, &[]).is_err());
        assert_eq!(std::fs::read_to_string(output.join("a/gone.html")).unwrap(), "gone");
        assert_eq!(std::fs::read_to_string(output.join("kept.html")).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no staging or retired folder is left");
    }

    #[test]
    fn a_patch_replaces_changed_files_and_removes_gone_ones() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        std::fs::create_dir_all(output.join("x")).unwrap();
        std::fs::write(output.join("x/index.html"), "a folder before").unwrap();
        std::fs::write(output.join("same.html"), "same").unwrap();
        let staging = Staging::new(&output).unwrap();
        // `x` was a folder holding a page; it is now a file.
        staging.write("x", &Contents::Text("a file now".into())).unwrap();
        staging.write("deep/new/page.html", &Contents::Text("new".into())).unwrap();
        staging.patch_in(&["x/index.html".to_string()], &[]).unwrap();
        assert_eq!(std::fs::read_to_string(output.join("x")).unwrap(), "a file now");
        assert_eq!(std::fs::read_to_string(output.join("deep/new/page.html")).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(output.join("same.html")).unwrap(), "same");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_patch_replaces_removes_and_adds_folders_copied_whole() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        for (folder, file) in [("index/old", "stale.txt"), ("index/gone", "gone.txt")] {
            std::fs::create_dir_all(output.join(folder)).unwrap();
            std::fs::write(output.join(folder).join(file), "before").unwrap();
        }
        let kept = dir.path().join("cache");
        std::fs::create_dir_all(kept.join("deep")).unwrap();
        std::fs::write(kept.join("deep/new.txt"), "after").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("public/index/gone/gone.txt"), kept.join("link.txt")).unwrap();
        let staging = Staging::new(&output).unwrap();
        for folder in ["index/old/", "index/added/"] {
            staging.write(folder, &Contents::KeptFolder(kept.clone())).unwrap();
        }
        staging.patch_in(&["index/gone/".to_string()], &[]).unwrap();
        for folder in ["index/old", "index/added"] {
            let files: Vec<String> = walkdir::WalkDir::new(output.join(folder))
                .into_iter()
                .map(|e| e.unwrap())
                .filter(|e| !e.file_type().is_dir())
                .map(|e| e.path().strip_prefix(output.join(folder)).unwrap().display().to_string())
                .collect();
            assert_eq!(files, ["deep/new.txt"], "{folder}: replaced whole, its link left out");
        }
        assert!(!output.join("index/gone").exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2, "no staging or retired folder is left");
    }

    #[test]
    fn resolve_path_handles_missing_parts() {
        let dir = tempfile::tempdir().unwrap();
        let resolved = resolve_path(&dir.path().join("a/../b/c")).unwrap();
        assert_eq!(resolved, dir.path().canonicalize().unwrap().join("b/c"));
    }
}
