//! File-system events → the changes a rebuild needs to know about. `classify` is a pure
//! function, tested with the event sequences editors really produce; `watch` wires it to
//! notify's debouncer. Folders are watched, never single files: an editor that saves by
//! renaming a new file over the old one (vim, JetBrains, Sublime, Helix) would leave a
//! watch on a single file pointing at a deleted inode.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use crate::config::CONFIG_FILE;
use crate::content::authors::AUTHORS_FILE;
use crate::site_files::{CONTENT_DIR, STATIC_DIR, is_ignored_name, is_markdown};

/// Top-level folders whose changes matter, beside depeche.toml.
pub const WATCHED_FOLDERS: [&str; 5] = [CONTENT_DIR, STATIC_DIR, "templates", "themes", "i18n"];

/// What a batch of events changed, by what a rebuild must redo.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Briefs written, created, deleted or renamed (absolute paths).
    pub briefs: BTreeSet<PathBuf>,
    /// Other files under content/ (images beside briefs): briefs may now resolve
    /// differently, so every brief is read again.
    pub content_files: bool,
    /// Files under static/: copied files change, pages do not.
    pub static_files: bool,
    /// The configuration, templates, theme or UI strings: everything is rebuilt.
    pub everything: bool,
    /// Image variants were made off the edit path: the images are published again.
    pub work_done: bool,
    /// Watched folders that appeared and need a watch of their own.
    pub new_folders: BTreeSet<PathBuf>,
    /// The paths that changed, relative to the site, for the terminal line.
    pub described: BTreeSet<String>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.briefs.is_empty() && !self.content_files && !self.static_files && !self.everything && !self.work_done
    }

    /// "content/a.md, content/b.md" or "3 files".
    pub fn describe(&self) -> String {
        match self.described.len() {
            0 => "nothing".to_string(),
            1..=3 => self.described.iter().cloned().collect::<Vec<_>>().join(", "),
            n => format!("{n} files"),
        }
    }
}

/// Sorts raw events into changes. `root` is the canonical site folder; events elsewhere
/// (the output folder, target/) and editors' temporary files are ignored.
pub fn classify(root: &Path, events: &[(EventKind, Vec<PathBuf>)]) -> Changes {
    let mut changes = Changes::default();
    for (kind, paths) in events {
        if matches!(kind, EventKind::Access(_)) {
            continue;
        }
        for path in paths {
            let Ok(relative) = path.strip_prefix(root) else { continue };
            let mut components = relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned());
            let Some(top) = components.next() else { continue };
            if relative.components().any(|c| is_ignored_name(Path::new(c.as_os_str()))) {
                continue;
            }
            let is_top_level = relative.components().count() == 1;
            let described = relative.to_string_lossy().replace('\\', "/");
            match top.as_str() {
                CONFIG_FILE | AUTHORS_FILE if is_top_level => changes.everything = true,
                folder if WATCHED_FOLDERS.contains(&folder) && is_top_level => {
                    // A whole folder appeared, vanished or was renamed.
                    changes.new_folders.insert(path.clone());
                    changes.everything = true;
                }
                CONTENT_DIR if is_markdown(path) => {
                    changes.briefs.insert(path.clone());
                }
                CONTENT_DIR => changes.content_files = true,
                STATIC_DIR => changes.static_files = true,
                "templates" | "themes" | "i18n" => changes.everything = true,
                _ => continue,
            }
            changes.described.insert(described);
        }
    }
    changes
}

/// How long the watcher waits for the file system to be quiet before reporting changes.
pub const DEBOUNCE: Duration = Duration::from_millis(15);

/// The running watch; dropping it stops watching.
pub type Watch = notify_debouncer_full::Debouncer<notify::RecommendedWatcher, notify_debouncer_full::RecommendedCache>;

/// Watches the site's folders (and the site folder itself, not recursively, for
/// depeche.toml) and sends each debounced batch of changes.
pub fn watch(root: &Path, changes: std::sync::mpsc::Sender<Changes>) -> notify::Result<Watch> {
    let root_for_events = root.to_path_buf();
    let (sender, receiver) = std::sync::mpsc::channel::<DebounceEventResult>();
    // Editors finish a save (temporary file, rename, delete) within a few milliseconds;
    // 15 ms of quiet is enough to see it whole, and is most of a preview's delay.
    let mut debouncer = new_debouncer(DEBOUNCE, None, sender)?;
    debouncer.watch(root, RecursiveMode::NonRecursive)?;
    for folder in WATCHED_FOLDERS {
        let path = root.join(folder);
        if path.is_dir() {
            debouncer.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    std::thread::spawn(move || {
        for result in receiver {
            let Ok(events) = result else { continue };
            let raw: Vec<(EventKind, Vec<PathBuf>)> = events.iter().map(|e| (e.kind, e.paths.clone())).collect();
            let found = classify(&root_for_events, &raw);
            if !found.is_empty() && changes.send(found).is_err() {
                break;
            }
        }
    });
    Ok(debouncer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, CreateKind, DataChange, ModifyKind, RemoveKind, RenameMode};

    const ROOT: &str = "/site";

    fn p(relative: &str) -> PathBuf {
        Path::new(ROOT).join(relative)
    }

    fn write(relative: &str) -> (EventKind, Vec<PathBuf>) {
        (EventKind::Modify(ModifyKind::Data(DataChange::Content)), vec![p(relative)])
    }
    fn create(relative: &str) -> (EventKind, Vec<PathBuf>) {
        (EventKind::Create(CreateKind::File), vec![p(relative)])
    }
    fn remove(relative: &str) -> (EventKind, Vec<PathBuf>) {
        (EventKind::Remove(RemoveKind::File), vec![p(relative)])
    }
    fn rename(from: &str, to: &str) -> (EventKind, Vec<PathBuf>) {
        (EventKind::Modify(ModifyKind::Name(RenameMode::Both)), vec![p(from), p(to)])
    }

    fn briefs(changes: &Changes) -> Vec<String> {
        changes.briefs.iter().map(|b| b.strip_prefix(ROOT).unwrap().display().to_string()).collect()
    }

    #[test]
    fn a_plain_save() {
        let changes = classify(Path::new(ROOT), &[write("content/a.md")]);
        assert_eq!(briefs(&changes), vec!["content/a.md"]);
        assert!(!changes.everything);
    }

    #[test]
    fn vim_writes_a_probe_a_swap_and_renames_over() {
        // vim: creates 4913 to test the folder, renames a.md to a.md~, writes a.md anew,
        // and keeps .a.md.swp open all along.
        let events = [
            create("content/4913"),
            remove("content/4913"),
            write("content/.a.md.swp"),
            rename("content/a.md", "content/a.md~"),
            create("content/a.md"),
            write("content/a.md"),
            remove("content/a.md~"),
        ];
        let changes = classify(Path::new(ROOT), &events);
        assert_eq!(briefs(&changes), vec!["content/a.md"]);
        assert!(!changes.content_files, "the swap, probe and backup files are ignored");
        assert_eq!(changes.describe(), "content/a.md");
    }

    #[test]
    fn jetbrains_safe_write() {
        let events = [
            create("content/a.md___jb_tmp___"),
            write("content/a.md___jb_tmp___"),
            rename("content/a.md", "content/a.md___jb_old___"),
            rename("content/a.md___jb_tmp___", "content/a.md"),
            remove("content/a.md___jb_old___"),
        ];
        let changes = classify(Path::new(ROOT), &events);
        assert_eq!(briefs(&changes), vec!["content/a.md"]);
        assert!(!changes.content_files);
    }

    #[test]
    fn emacs_gnome_and_macos_leftovers_are_ignored() {
        let events = [
            create("content/.#a.md"),
            create("content/#a.md#"),
            create("content/.goutputstream-XYZ123"),
            create("static/.DS_Store"),
            create("content/a.md.kate-swp"),
            (EventKind::Access(AccessKind::Read), vec![p("content/b.md")]),
        ];
        assert!(classify(Path::new(ROOT), &events).is_empty());
    }

    #[test]
    fn config_saved_by_renaming_over_it() {
        let events = [create("depeche.toml.tmp"), rename("depeche.toml.tmp", "depeche.toml")];
        let changes = classify(Path::new(ROOT), &events);
        assert!(changes.everything);
    }

    #[test]
    fn deletions_renames_and_new_folders() {
        let changes =
            classify(Path::new(ROOT), &[remove("content/old.md"), rename("content/x.md", "content/2024/x.md")]);
        assert_eq!(briefs(&changes), vec!["content/2024/x.md", "content/old.md", "content/x.md"]);
        let changes = classify(Path::new(ROOT), &[(EventKind::Create(CreateKind::Folder), vec![p("content/2025")])]);
        assert!(changes.content_files, "a new folder under content/ means reading briefs again");
        let changes = classify(Path::new(ROOT), &[(EventKind::Create(CreateKind::Folder), vec![p("static")])]);
        assert!(changes.everything);
        assert_eq!(changes.new_folders.len(), 1);
    }

    #[test]
    fn what_each_folder_means() {
        assert!(classify(Path::new(ROOT), &[write("templates/brief.html")]).everything);
        assert!(classify(Path::new(ROOT), &[write("themes/paper/static/style.css")]).everything);
        assert!(classify(Path::new(ROOT), &[write("i18n/fr.toml")]).everything);
        assert!(classify(Path::new(ROOT), &[write("authors.yaml")]).everything, "the registry is on every page");
        assert!(!classify(Path::new(ROOT), &[write("content/authors.yaml")]).everything);
        let static_change = classify(Path::new(ROOT), &[write("static/logo.svg")]);
        assert!(static_change.static_files && !static_change.everything);
        assert!(classify(Path::new(ROOT), &[write("content/flag.png")]).content_files);
        assert!(
            classify(Path::new(ROOT), &[write("public/index.html"), write("target/x"), write("README.md")]).is_empty()
        );
        assert!(classify(Path::new("/elsewhere"), &[write("content/a.md")]).is_empty());
    }
}
