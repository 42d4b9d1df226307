//! The site's folders and how its files are named and read: what every layer that walks
//! or reads the site's files agrees on. Depends on nothing.

use std::path::{Path, PathBuf};

pub const CONTENT_DIR: &str = "content";
pub const STATIC_DIR: &str = "static";

/// A brief's file: `.md` or `.markdown`, in any case (`X.MD` from a Windows editor too).
pub fn is_markdown(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// Hidden files and editors' temporary files: what is never a brief, a template or a
/// file to publish (see [`is_editor_or_system_file`] for static/, where other hidden
/// files are reported rather than skipped).
pub fn is_ignored_name(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return true };
    name.starts_with('.') || is_editor_or_system_file(path)
}

/// Editors' temporary files and systems' own: vim's `.x.swp`, `x~` and `4913`, Emacs'
/// `.#x` and `#x#`, JetBrains' `x___jb_tmp___`, GNOME's `.goutputstream-*`, Kate's
/// `x.kate-swp`, macOS's `.DS_Store` and `._x`, Windows' `Thumbs.db`.
pub fn is_editor_or_system_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return false };
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".kate-swp")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || (name.starts_with('#') && name.ends_with('#'))
        || name.starts_with(".#")
        || name.starts_with(".goutputstream-")
        || name.starts_with("._")
        || name == ".DS_Store"
        || name == "Thumbs.db"
        || name == "4913"
}

/// The path to show for a site file: relative to the current folder when the site is.
pub fn display_path(root: &Path, relative: &Path) -> PathBuf {
    if root == Path::new(".") || root.as_os_str().is_empty() { relative.to_path_buf() } else { root.join(relative) }
}

/// Strips a UTF-8 byte-order mark, turns CRLF line endings into LF, and replaces each
/// character no XML document may hold (the C0 controls but tab and line ends, such as the
/// vertical tab Word pastes for a line break, and U+FFFE, U+FFFF) by a space, so that
/// files saved by any editor read the same and no feed is ill-formed. A space keeps every
/// column where it was.
pub fn normalise_text(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.contains('\r') && !may_hold_forbidden(text) {
        return std::borrow::Cow::Borrowed(text);
    }
    let text = text.replace("\r\n", "\n");
    std::borrow::Cow::Owned(if text.contains(is_forbidden) { text.replace(is_forbidden, " ") } else { text })
}

/// Whether `text` may hold a [forbidden](is_forbidden) character: a control byte, or the
/// first byte of U+FFFE and U+FFFF (0xEF, which other characters start with too). Nearly
/// every text has none, so this is a scan of bytes in blocks the compiler vectorises, several
/// times faster than one of characters.
pub fn may_hold_forbidden(text: &str) -> bool {
    text.as_bytes().chunks(64).any(|block| {
        block
            .iter()
            .fold(false, |found, &b| found | ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r')) | (b == 0xef))
    })
}

/// A character no XML 1.0 document may hold.
pub fn is_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// How many characters of `text` [`normalise_text`] replaces, and the first with its
/// byte offset, for a warning.
pub fn forbidden_characters(text: &str) -> Option<(usize, usize, char)> {
    if !may_hold_forbidden(text) {
        return None;
    }
    let mut found = text.char_indices().filter(|&(_, c)| is_forbidden(c));
    let (offset, first) = found.next()?;
    Some((found.count() + 1, offset, first))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_read_the_same_whatever_saved_it() {
        assert_eq!(normalise_text("\u{feff}a\r\nb"), "a\nb");
        assert_eq!(normalise_text("a\u{b}b\u{0}c\u{ffff}\td"), "a b c \td");
        assert_eq!(forbidden_characters("ok\nthen\u{c}x\u{1b}"), Some((2, 7, '\u{c}')));
        assert_eq!(forbidden_characters("plain é\t\n"), None);
    }
}
