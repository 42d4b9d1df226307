//! The theme: templates, static files and UI strings. The default theme is built into
//! the binary; a site's themes/NAME/ and then its templates/ (and i18n/) folders replace
//! it file by file, so an override holds only the files it changes. UI strings are
//! layered key by key rather than file by file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use walkdir::WalkDir;

use crate::diagnostic::{Code, Diagnostic};
use crate::site_files::{display_path, is_ignored_name};

static DEFAULT_THEME: Dir = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A theme file's bytes: built in, or a file of the site's.
#[derive(Debug, Clone)]
pub enum ThemeFileData {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

/// One theme file and where it came from (for error messages).
#[derive(Debug, Clone)]
pub struct ThemeFile {
    pub data: ThemeFileData,
    pub origin: PathBuf,
}

impl ThemeFile {
    pub fn read(&self) -> std::io::Result<std::borrow::Cow<'static, [u8]>> {
        match &self.data {
            ThemeFileData::Embedded(bytes) => Ok(std::borrow::Cow::Borrowed(bytes)),
            ThemeFileData::Disk(path) => std::fs::read(path).map(std::borrow::Cow::Owned),
        }
    }
}

/// The merged theme, keyed by paths relative to templates/, static/ and i18n/.
#[derive(Debug, Default)]
pub struct Theme {
    pub templates: BTreeMap<String, ThemeFile>,
    pub static_files: BTreeMap<String, ThemeFile>,
    /// UI string files by name (`fr.toml`), lowest layer first: a theme's or site's file
    /// adds to the built-in one key by key instead of replacing it.
    pub i18n: BTreeMap<String, Vec<ThemeFile>>,
}

const EMBEDDED_ORIGIN: &str = "<built-in theme>";

impl Theme {
    /// Layers the built-in default theme, the site's themes/NAME/ and its templates/.
    pub fn load(root: &Path, theme_name: &str) -> Result<Theme, Vec<Diagnostic>> {
        let mut theme = Theme::default();
        theme.add_embedded(&DEFAULT_THEME);
        let theme_dir = root.join("themes").join(theme_name);
        if theme_dir.is_dir() {
            theme.add_folder(root, &theme_dir.join("templates"), Part::Templates);
            theme.add_folder(root, &theme_dir.join("static"), Part::Static);
            theme.add_folder(root, &theme_dir.join("i18n"), Part::I18n);
        } else if theme_name != "default" {
            return Err(vec![
                Diagnostic::error(
                    Code::UnknownTheme,
                    display_path(root, Path::new(crate::config::CONFIG_FILE)),
                    format!("theme {theme_name:?} not found: there is no folder themes/{theme_name}/"),
                )
                .with_help("remove `theme` to use the built-in default theme"),
            ]);
        }
        theme.add_folder(root, &root.join("templates"), Part::Templates);
        theme.add_folder(root, &root.join("i18n"), Part::I18n);
        Ok(theme)
    }

    fn add_embedded(&mut self, dir: &'static Dir<'static>) {
        for entry in dir.entries() {
            if let Some(sub) = entry.as_dir() {
                self.add_embedded(sub);
            } else if let Some(file) = entry.as_file() {
                let path = file.path().to_string_lossy().replace('\\', "/");
                let Some((part, relative)) = path.split_once('/') else {
                    continue;
                };
                let theme_file = ThemeFile {
                    data: ThemeFileData::Embedded(file.contents()),
                    origin: PathBuf::from(format!("{EMBEDDED_ORIGIN}/{path}")),
                };
                match part {
                    "templates" => {
                        self.templates.insert(relative.to_string(), theme_file);
                    }
                    "static" => {
                        self.static_files.insert(relative.to_string(), theme_file);
                    }
                    "i18n" => self.i18n.entry(relative.to_string()).or_default().push(theme_file),
                    _ => {}
                }
            }
        }
    }

    fn add_folder(&mut self, root: &Path, folder: &Path, part: Part) {
        if !folder.is_dir() {
            return;
        }
        let files = WalkDir::new(folder)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_ignored_name(e.path()))
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file());
        for entry in files {
            let Ok(relative) = entry.path().strip_prefix(folder) else {
                continue;
            };
            let key = relative.to_string_lossy().replace('\\', "/");
            let origin = display_path(root, entry.path().strip_prefix(root).unwrap_or(entry.path()));
            let file = ThemeFile { data: ThemeFileData::Disk(entry.path().to_path_buf()), origin };
            match part {
                Part::Templates => {
                    self.templates.insert(key, file);
                }
                Part::Static => {
                    self.static_files.insert(key, file);
                }
                Part::I18n => self.i18n.entry(key).or_default().push(file),
            }
        }
    }
}

enum Part {
    Templates,
    Static,
    I18n,
}
