//! Tera templates over the merged theme: compiled once per build, rendered in parallel.
//! Autoescaping is on for .html and .xml templates, so text from front matter is shown as
//! text, never injected; only the rendered Markdown body is marked safe.

pub mod json_ld;
pub mod strings;
pub mod theme;
pub mod views;

use std::collections::BTreeMap;
use std::path::PathBuf;

use tera::{Context, Tera};

use crate::diagnostic::Diagnostic;
pub use strings::{Translations, UiStrings};
pub use theme::Theme;

pub struct Renderer {
    tera: Tera,
    origins: BTreeMap<String, PathBuf>,
    pub translations: Translations,
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
                    problems.push(Diagnostic::error("template", &file.origin, "the template is not valid UTF-8"))
                }
                Err(error) => {
                    problems.push(Diagnostic::error("io", &file.origin, format!("cannot read the template: {error}")))
                }
            }
        }
        let translations = Translations::load(theme).map_err(|mut p| {
            problems.append(&mut p);
            std::mem::take(&mut problems)
        });
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_markup);
        if let Err(error) = tera.add_raw_templates(sources) {
            problems.push(template_diagnostic(&error, &origins));
        }
        let translations = translations?;
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Renderer { tera, origins, translations })
    }

    pub fn render(&self, template: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera.render(template, context).map_err(|error| template_diagnostic(&error, &self.origins))
    }
}

/// Escapes the characters that can break out of text or a double-quoted attribute.
/// Tera's own escaper also turns `/` and `'` into entities, which is safe but makes every
/// URL and French apostrophe unreadable in the page source; our templates always quote
/// attributes with `"`, so `&`, `<`, `>` and `"` are the characters that matter.
pub fn escape_markup(input: &str) -> String {
    let mut escaped = String::with_capacity(input.len() + input.len() / 8);
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
        escaped.push_str(&input[plain_from..at]);
        escaped.push_str(entity);
        plain_from = at + 1;
    }
    escaped.push_str(&input[plain_from..]);
    escaped
}

/// A Tera error as a diagnostic on the template file it concerns, with the whole chain of
/// causes ("Failed to render 'brief.html'" alone says nothing) and the line and column
/// when Tera's parser gives them.
fn template_diagnostic(error: &tera::Error, origins: &BTreeMap<String, PathBuf>) -> Diagnostic {
    let mut messages = vec![error.to_string()];
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        messages.push(inner.to_string());
        cause = inner.source();
    }
    let full = messages.join(": ");
    let template = origins
        .keys()
        .filter(|name| full.contains(&format!("'{name}'")))
        .max_by_key(|name| full.rfind(&format!("'{name}'")))
        .cloned();
    let path =
        template.as_ref().and_then(|name| origins.get(name).cloned()).unwrap_or_else(|| PathBuf::from("templates"));
    let position = full.find("--> ").and_then(|at| {
        let rest = &full[at + 4..];
        let end = rest.find(|c: char| !(c.is_ascii_digit() || c == ':')).unwrap_or(rest.len());
        let (line, column) = rest[..end].split_once(':')?;
        Some((line.parse().ok()?, column.parse().ok()?))
    });
    let message = full.split_whitespace().collect::<Vec<_>>().join(" ");
    Diagnostic::error("template", path, message).at(position)
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
