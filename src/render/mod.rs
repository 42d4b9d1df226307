//! Tera templates over the merged theme: compiled once per build, rendered in parallel.
//! Autoescaping is on for .html and .xml templates, so text from front matter is shown as
//! text, never injected; only the rendered Markdown body is marked safe.

pub mod body;
pub mod json_ld;
pub mod strings;
pub mod theme;
pub mod views;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use tera::{Context, ErrorKind, Tera};

use crate::diagnostic::{Code, Diagnostic};
pub use strings::{UiStrings, UiStringsByLanguage};
pub use theme::Theme;

pub struct Renderer {
    tera: Tera,
    /// Whether a list template (index.html, tag.html, source.html, or one they extend or
    /// include) reads `briefs`: only then are the lists' brief views built.
    pub lists_read_briefs: bool,
    origins: BTreeMap<String, PathBuf>,
    pub ui_strings: UiStringsByLanguage,
}

impl Renderer {
    pub fn new(theme: &Theme) -> Result<Renderer, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let mut sources = Vec::new();
        let mut origins = BTreeMap::new();
        for (name, file) in &theme.templates {
            match file.read().map(|bytes| String::from_utf8(bytes.into_owned())) {
                Ok(Ok(text)) => {
                    sources.push((name.clone(), text));
                    origins.insert(name.clone(), file.origin.clone());
                }
                Ok(Err(_)) => {
                    problems.push(Diagnostic::error(Code::Template, &file.origin, "the template is not valid UTF-8"))
                }
                Err(error) => problems.push(Diagnostic::error(
                    Code::Io,
                    &file.origin,
                    format!("cannot read the template: {error}"),
                )),
            }
        }
        let ui_strings = UiStringsByLanguage::load(theme).map_err(|mut p| {
            problems.append(&mut p);
            std::mem::take(&mut problems)
        });
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        tera.set_escape_fn(write_escaped);
        if let Err(error) = tera.add_raw_templates(sources) {
            problems.push(template_diagnostic(&error, &origins));
        }
        let ui_strings = ui_strings?;
        if !problems.is_empty() {
            return Err(problems);
        }
        let lists_read_briefs =
            ["index.html", "tag.html", "source.html"].iter().any(|name| Renderer::reads(&tera, name, "briefs"));
        Ok(Renderer { tera, lists_read_briefs, origins, ui_strings })
    }

    pub fn render(&self, template: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera.render(template, context).map_err(|error| template_diagnostic(&error, &self.origins))
    }

    /// Whether template `name`, or a template it extends or includes, reads the top-level
    /// variable `variable` (anywhere in it, whatever the conditions around it).
    fn reads(tera: &Tera, name: &str, variable: &str) -> bool {
        tera.get_template_variables(name).is_ok_and(|variables| variables.contains(variable))
    }
}

/// Escapes the characters that can break out of text or a double-quoted attribute.
/// Tera's own escaper also turns `/` and `'` into entities, which is safe but makes every
/// URL and French apostrophe unreadable in the page source; our templates always quote
/// attributes with `"`, so `&`, `<`, `>` and `"` are the characters that matter.
pub fn escape_markup(input: &str) -> String {
    let mut escaped = Vec::with_capacity(input.len() + input.len() / 8);
    // Writing to a Vec cannot fail, and escaping keeps UTF-8 valid: only ASCII bytes are
    // replaced, by ASCII.
    write_escaped(input, &mut escaped).expect("writing to memory");
    String::from_utf8(escaped).expect("escaping keeps UTF-8")
}

/// `escape_markup`, written to `out`: Tera's escape function.
fn write_escaped(input: &str, out: &mut dyn Write) -> std::io::Result<()> {
    let mut plain_from = 0;
    // The four characters are ASCII, so byte positions are character boundaries; runs of
    // plain text are copied whole (most values have nothing to escape).
    for (at, byte) in input.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => continue,
        };
        out.write_all(&input.as_bytes()[plain_from..at])?;
        out.write_all(entity.as_bytes())?;
        plain_from = at + 1;
    }
    out.write_all(&input.as_bytes()[plain_from..])
}

/// A Tera error as a diagnostic on the template file it concerns, with the line and column
/// of the expression at fault when Tera knows it.
fn template_diagnostic(error: &tera::Error, origins: &BTreeMap<String, PathBuf>) -> Diagnostic {
    let path_of = |name: &str| origins.get(name).cloned();
    let (template, message, position) = match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let span = report.span();
            let position = (span.start_line > 0).then_some((span.start_line, span.start_col + 1));
            (path_of(report.filename()), report.message().to_string(), position)
        }
        _ => {
            let text = error.to_string();
            match text.split_once(" --> ") {
                // A report in text ("error: Unknown filter `x` --> brief.html:3:21 | …"),
                // as for filters missing when the templates are compiled; its column counts from 1.
                Some((message, place)) => {
                    let place = place.split_whitespace().next().unwrap_or_default();
                    let mut parts = place.rsplitn(3, ':');
                    let column: Option<usize> = parts.next().and_then(|c| c.parse().ok());
                    let line = parts.next().and_then(|l| l.parse().ok());
                    let name = parts.next().unwrap_or_default();
                    let message = message.trim_start().trim_start_matches("error:").trim().to_string();
                    (path_of(name), message, line.zip(column))
                }
                // Other errors name their template in quotes: "Template 'x' not found"…
                None => {
                    let named =
                        origins.keys().filter(|name| text.contains(&format!("'{name}'"))).max_by_key(|name| name.len());
                    (named.and_then(|name| path_of(name)), text, None)
                }
            }
        }
    };
    let path = template.unwrap_or_else(|| PathBuf::from("templates"));
    let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
    Diagnostic::error(Code::Template, path, message).at(position)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::escape_markup;

    #[test]
    fn escapes_the_four_characters_only() {
        assert_eq!(escape_markup("l’« a » & <b> \"c\" 'd' /e"), "l’« a » &amp; &lt;b&gt; &quot;c&quot; 'd' /e");
        assert_eq!(escape_markup(""), "");
        assert_eq!(escape_markup("&&"), "&amp;&amp;");
    }

    proptest! {
        #[test]
        fn escaping_is_undone_by_unescaping(text in "\\PC*") {
            let escaped = escape_markup(&text);
            prop_assert!(!escaped.contains(['<', '>', '"']));
            let back = escaped.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
            prop_assert_eq!(back, text);
        }
    }
}
