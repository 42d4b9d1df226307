//! The site's folders and how its files are named and read: what every layer that walks
//! or reads the site's files agrees on. Depends on nothing.

use std::path::{Path, PathBuf};

pub const CONTENT_DIR: &str = "content";
pub const STATIC_DIR: &str = "static";

pub fn is_markdown(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "md" || e == "markdown")
}

/// Hidden files and editors' temporary files: vim's `.x.swp`, `x~` and `4913`, Emacs'
/// `.#x` and `#x#`, JetBrains' `x___jb_tmp___`, GNOME's `.goutputstream-*`, Kate's
/// `x.kate-swp`, macOS's `.DS_Store`.
pub fn is_ignored_name(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return true };
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".kate-swp")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
}

/// The path to show for a site file: relative to the current folder when the site is.
pub fn display_path(root: &Path, relative: &Path) -> PathBuf {
    if root == Path::new(".") || root.as_os_str().is_empty() { relative.to_path_buf() } else { root.join(relative) }
}

/// Strips a UTF-8 byte-order mark and turns CRLF line endings into LF, so that files
/// saved by any editor read the same.
pub fn normalise_text(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}
