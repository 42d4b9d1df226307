//! Presents diagnostics to people: `path:line:col`, the message, and the offending line of
//! the file with a caret under the spot (codespan-reporting), followed by a count.

use std::io::IsTerminal;
use std::path::Path;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as ReportSeverity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config as TermConfig, Styles, StylesWriter, termcolor};

use crate::diagnostic::{Diagnostic, Severity, printable};
use crate::site_files::normalise_text;

/// Where a diagnostic sits in its file, as a byte range for the label, given the file's
/// text: from the line and column to the end of that line's text.
fn span(text: &str, line: usize, column: usize) -> Option<std::ops::Range<usize>> {
    let line_start = if line <= 1 { 0 } else { text.match_indices('\n').nth(line - 2).map(|(i, _)| i + 1)? };
    let line_text = text[line_start..].split('\n').next().unwrap_or("");
    let start = line_start + line_text.char_indices().nth(column.saturating_sub(1)).map_or(line_text.len(), |(i, _)| i);
    // Underline from the spot to the end of the line's text: a value, or a key and its value.
    let rest = text[start..line_start + line_text.len()].trim_end();
    let length = rest.len().max(rest.chars().next().map_or(0, char::len_utf8));
    Some(start..start + length)
}

fn severity(severity: Severity) -> ReportSeverity {
    match severity {
        Severity::Error => ReportSeverity::Error,
        Severity::Warning => ReportSeverity::Warning,
        Severity::Note => ReportSeverity::Note,
    }
}

/// Emits one diagnostic, with an excerpt when its file can still be read; `base` is the
/// folder that relative paths in diagnostics start from.
fn emit(diagnostic: &Diagnostic, base: &Path, writer: &mut dyn term::WriteStyle) {
    let config = TermConfig::default();
    let text = diagnostic
        .line
        .and_then(|_| std::fs::read(base.join(&diagnostic.path)).ok())
        .map(|bytes| printable(&normalise_text(&String::from_utf8_lossy(&bytes))).into_owned());
    let path = printable(&diagnostic.path.display().to_string()).into_owned();
    let name = match (diagnostic.line, diagnostic.column) {
        (Some(line), Some(column)) => format!("{path}:{line}:{column}"),
        (Some(line), None) => format!("{path}:{line}"),
        _ => path.clone(),
    };
    let mut report = Report::new(severity(diagnostic.severity))
        .with_code(diagnostic.code)
        .with_message(printable(&diagnostic.message));
    let file = SimpleFile::new(path, text.clone().unwrap_or_default());
    let range = match (text.as_deref(), diagnostic.line) {
        (Some(text), Some(line)) => span(text, line, diagnostic.column.unwrap_or(1)),
        _ => None,
    };
    report = match range {
        Some(range) => report.with_labels(vec![Label::primary((), range)]),
        None => report.with_notes(vec![format!("in {name}")]),
    };
    if let Some(help) = &diagnostic.help {
        report.notes.push(format!("help: {}", printable(help)));
    }
    let _ = term::emit_to_write_style(writer, &config, &file, &report);
}

/// All diagnostics as plain text (for tests and logs).
pub fn to_string(diagnostics: &[Diagnostic], base: &Path) -> String {
    let mut buffer = Vec::new();
    {
        let mut writer = StylesWriter::new(termcolor::NoColor::new(&mut buffer), &NO_STYLES);
        for diagnostic in diagnostics {
            emit(diagnostic, base, &mut writer);
        }
    }
    String::from_utf8_lossy(&buffer).into_owned()
}

static NO_STYLES: std::sync::LazyLock<Styles> = std::sync::LazyLock::new(Styles::default);

/// Prints diagnostics to standard error, in colour when it is a terminal.
pub fn print(diagnostics: &[Diagnostic], base: &Path) {
    let choice = if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        termcolor::ColorChoice::Auto
    } else {
        termcolor::ColorChoice::Never
    };
    let stream = termcolor::StandardStream::stderr(choice);
    let styles = Styles::default();
    let mut writer = StylesWriter::new(stream.lock(), &styles);
    for diagnostic in diagnostics {
        emit(diagnostic, base, &mut writer);
    }
}

/// "2 errors, 1 warning", or `None` when there is nothing to count.
pub fn summary(diagnostics: &[Diagnostic]) -> Option<String> {
    let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let parts: Vec<String> = [(Severity::Error, "error"), (Severity::Warning, "warning")]
        .into_iter()
        .filter(|(s, _)| count(*s) > 0)
        .map(|(s, word)| plural(count(s), word))
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    #[test]
    fn excerpt_points_at_the_spot() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "---\ntitle: x\nsorces: []\n---\n").unwrap();
        let diagnostic = Diagnostic::error(Code::UnknownKey, "a.md", "unknown key `sorces`")
            .at(Some((3, 1)))
            .with_help("did you mean `sources`?");
        let text = to_string(&[diagnostic], dir.path());
        assert!(text.contains("error[unknown-key]: unknown key `sorces`"), "{text}");
        assert!(text.contains("a.md:3:1"), "{text}");
        assert!(text.contains("sorces: []"), "{text}");
        assert!(text.contains("^^^^^^^"), "{text}");
        assert!(text.contains("help: did you mean `sources`?"), "{text}");
    }

    #[test]
    fn unreadable_files_still_report() {
        let diagnostic = Diagnostic::error(Code::Io, "missing.md", "cannot read").at(Some((2, 4)));
        let text = to_string(&[diagnostic], Path::new("/nonexistent"));
        assert!(text.contains("missing.md:2:4"), "{text}");
    }

    #[test]
    fn summary_counts() {
        let d = |s| Diagnostic::new(s, Code::Io, "a", "m");
        assert_eq!(
            summary(&[d(Severity::Error), d(Severity::Error), d(Severity::Warning)]).unwrap(),
            "2 errors, 1 warning"
        );
        assert_eq!(summary(&[d(Severity::Note)]), None);
    }
}
