//! Plain data describing a problem in the user's files. Depends on nothing else in the crate,
//! so every layer (config, content, render, build) can produce diagnostics and the CLI,
//! `depeche check` and the preview server can all present them.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is. Errors stop a build; warnings and notes do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// Declares [`Code`]: each variant with its kebab-case name, and the list of all.
macro_rules! codes {
    ($($variant:ident = $name:literal,)*) => {
        /// What kind of problem a diagnostic is: a stable, kebab-case name (`unknown-key`)
        /// for tools, tests and the docs (reference/diagnostics.md lists every one; a test
        /// checks the two lists agree).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            /// Every code, in the order the docs list them.
            pub const ALL: &[Code] = &[$(Code::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }
        }
    };
}

codes! {
    NoConfig = "no-config",
    ConfigSyntax = "config-syntax",
    ConfigMissingKey = "config-missing-key",
    ConfigInvalid = "config-invalid",
    NoBaseUrl = "no-base-url",
    UnknownKey = "unknown-key",
    UnknownTheme = "unknown-theme",
    LicenseNormalised = "license-normalised",
    NoContent = "no-content",
    EmptyFile = "empty-file",
    NoFrontMatter = "no-front-matter",
    UnclosedFrontMatter = "unclosed-front-matter",
    NotUtf8 = "not-utf8",
    YamlSyntax = "yaml-syntax",
    MissingKey = "missing-key",
    EmptyValue = "empty-value",
    InvalidDate = "invalid-date",
    InvalidLang = "invalid-lang",
    InvalidSlug = "invalid-slug",
    InvalidUrl = "invalid-url",
    InvalidExtra = "invalid-extra",
    NoSources = "no-sources",
    DuplicateSource = "duplicate-source",
    ImageSrc = "image-src",
    ImagePlaceholder = "image-placeholder",
    MissingAlt = "missing-alt",
    NoLicense = "no-license",
    MissingAuthor = "missing-author",
    MissingTitle = "missing-title",
    MissingSource = "missing-source",
    DerivativeOfNd = "derivative-of-nd",
    NonCommercial = "non-commercial",
    NoSourceUrl = "no-source-url",
    UnknownLicense = "unknown-license",
    InvalidTranslation = "invalid-translation",
    DuplicateUrl = "duplicate-url",
    ImageCreditDiffers = "image-credit-differs",
    OutputConflict = "output-conflict",
    Template = "template",
    I18n = "i18n",
    Io = "io",
    ChangedDuringBuild = "changed-during-build",
    Internal = "internal-error",
    ControlCharacter = "control-character",
    TooLarge = "too-large",
    TooDeep = "too-deep",
    TooLong = "too-long",
    NotPublished = "not-published",
    FileName = "file-name",
    NextChange = "next-change",
    UnknownType = "unknown-type",
    DuplicateAuthor = "duplicate-author",
    AuthorUnused = "author-unused",
    AuthorSpelling = "author-spelling",
    UncreditedImage = "uncredited-image",
    RemoteImage = "remote-image",
    UnusedMedia = "unused-media",
    ImageInvalid = "image-invalid",
    ImageTooLarge = "image-too-large",
    UnsafeSvg = "unsafe-svg",
    ImageMetadataDiffers = "image-metadata-differs",
    ImageFocus = "image-focus",
    SourceDead = "source-dead",
    SourceMoved = "source-moved",
    SourceUnreachable = "source-unreachable",
    SourceNoArchive = "source-no-archive",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Codes compare with their names, as tools and tests write them.
impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

/// One problem, located as precisely as we can: always a file, and a 1-based line and
/// column (counted in characters) when the problem sits at a known spot in that file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    #[serde(rename = "file")]
    pub path: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub severity: Severity,
    /// What kind of problem it is (`unknown-key`), for tools and tests.
    pub code: Code,
    pub message: String,
    /// A hint on how to fix it, e.g. "did you mean `sources`?".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(severity: Severity, code: Code, path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.as_ref().to_path_buf(),
            line: None,
            column: None,
            severity,
            code,
            message: message.into(),
            help: None,
        }
    }

    pub fn error(code: Code, path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, path, message)
    }

    pub fn warning(code: Code, path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, path, message)
    }

    pub fn note(code: Code, path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Self::new(Severity::Note, code, path, message)
    }

    /// Places the diagnostic at a 1-based line and column; `None` leaves it unplaced.
    pub fn at(mut self, position: Option<(usize, usize)>) -> Self {
        if let Some((line, column)) = position {
            self.line = Some(line);
            self.column = Some(column);
        }
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", printable(&self.path.display().to_string()))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}[{}]: {}", self.severity, self.code, printable(&self.message))?;
        if let Some(help) = &self.help {
            write!(f, " ({})", printable(help))?;
        }
        Ok(())
    }
}

/// Every diagnostic of a run, gathered as the stages of the pipeline find them: loading
/// adds each file's, the site and its plan theirs, rendering the templates'. Whatever
/// failed, the run reports them all at once, sorted ([`Diagnostics::into_sorted`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn has_errors(&self) -> bool {
        has_errors(&self.0)
    }

    /// The diagnostics in reading order: by file, then position.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        sort(&mut self.0);
        self.0
    }
}

impl std::ops::Deref for Diagnostics {
    type Target = [Diagnostic];

    fn deref(&self) -> &[Diagnostic] {
        &self.0
    }
}

impl Extend<Diagnostic> for Diagnostics {
    fn extend<I: IntoIterator<Item = Diagnostic>>(&mut self, found: I) {
        self.0.extend(found);
    }
}

impl From<Vec<Diagnostic>> for Diagnostics {
    fn from(list: Vec<Diagnostic>) -> Diagnostics {
        Diagnostics(list)
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// `text` safe to print on a terminal: control characters (an escape sequence in a file
/// name could recolour, retitle or clear the terminal) are written as `\u{1b}`; line
/// breaks and tabs are kept.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let is_hidden_control = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.contains(is_hidden_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_hidden_control(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Sorts diagnostics into the order a reader wants: by file, then by position.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.column, std::cmp::Reverse(a.severity)).cmp(&(
            &b.path,
            b.line,
            b.column,
            std::cmp::Reverse(b.severity),
        ))
    });
}

pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

/// Converts a byte offset in `text` to a 1-based (line, column), the column counted in
/// characters so that carets line up under accented text.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters_not_bytes() {
        let text = "title: x\ndate: é!\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 9), (2, 1));
        // "é" is two bytes; the "!" after it is the 8th character of line 2.
        assert_eq!(line_column(text, 17), (2, 8));
        assert_eq!(line_column(text, 1000), (3, 1));
    }

    #[test]
    fn terminal_escapes_are_printed_as_text() {
        let d = Diagnostic::error(Code::Io, "content/\u{1b}]0;owned\u{7}\u{9b}2J.md", "cannot read \u{1b}[2J");
        let shown = d.to_string();
        assert!(!shown.contains(['\u{1b}', '\u{7}', '\u{9b}']), "{shown:?}");
        assert!(shown.contains("\\u{1b}]0;owned\\u{7}\\u{9b}2J.md"), "{shown}");
    }

    #[test]
    fn display_names_file_line_and_code() {
        let d = Diagnostic::error(Code::UnknownKey, "content/a.md", "unknown key `sorces`")
            .at(Some((4, 1)))
            .with_help("did you mean `sources`?");
        assert_eq!(
            d.to_string(),
            "content/a.md:4:1: error[unknown-key]: unknown key `sorces` (did you mean `sources`?)"
        );
    }
}
