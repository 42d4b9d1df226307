//! The one place that owns pulldown-cmark's options: Markdown text → HTML, and the plain
//! text of the first paragraph for summaries.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};

/// The Markdown dialect of briefs: CommonMark plus tables, footnotes, strikethrough and
/// `{#id}` heading attributes. Smart punctuation stays off: editors type their own
/// typographic quotes (« », ’), and straight quotes in code must stay straight.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

pub struct Rendered {
    pub html: String,
    /// The first paragraph as plain text (markup removed, whitespace collapsed).
    pub first_paragraph: String,
}

pub fn render(markdown: &str) -> Rendered {
    render_with(markdown, false)
}

/// The events of a brief's Markdown, with French typography applied to the text (never
/// to code or markup) when asked.
fn events(markdown: &str, french_typography: bool) -> impl Iterator<Item = Event<'_>> {
    let mut in_code_block = false;
    Parser::new_ext(markdown, options()).map(move |event| match event {
        Event::Start(Tag::CodeBlock(_)) => {
            in_code_block = true;
            event
        }
        Event::End(TagEnd::CodeBlock) => {
            in_code_block = false;
            event
        }
        Event::Text(text) if french_typography && !in_code_block && crate::typography::needs_french_spacing(&text) => {
            Event::Text(crate::typography::french(&text).into())
        }
        other => other,
    })
}

/// Renders with French typography applied to the text (never to code or markup), in one
/// pass: the first paragraph is gathered as the events go by.
pub fn render_with(markdown: &str, french_typography: bool) -> Rendered {
    let mut first_paragraph = FirstParagraph::default();
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut html, events(markdown, french_typography).inspect(|event| first_paragraph.see(event)));
    // Kept for the whole build: a copy of the exact size, rather than the buffer with its
    // room to grow (a third more, 130 MB at 100,000 briefs; shrinking in place may keep
    // the block as it is).
    Rendered { html: html.as_str().to_owned(), first_paragraph: collapse_spaces(&first_paragraph.text) }
}

/// The text of the first paragraph, gathered from the events of a document.
#[derive(Default)]
struct FirstParagraph {
    text: String,
    inside: bool,
    done: bool,
}

impl FirstParagraph {
    fn see(&mut self, event: &Event) {
        if self.done {
            return;
        }
        match event {
            Event::Start(Tag::Paragraph) if !self.inside => self.inside = true,
            Event::End(TagEnd::Paragraph) if self.inside => self.done = true,
            Event::Text(t) | Event::Code(t) if self.inside => self.text.push_str(t),
            Event::SoftBreak | Event::HardBreak if self.inside => self.text.push(' '),
            _ => {}
        }
    }
}

/// Collapses runs of ordinary white space into one space, keeping no-break spaces, which
/// are there on purpose.
pub fn collapse_spaces(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}'))
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_html_and_first_paragraph() {
        let rendered = render("# Title\n\nThe *first*\nparagraph with `code`.\n\nSecond.\n");
        assert!(rendered.html.contains("<em>first</em>"));
        assert_eq!(rendered.first_paragraph, "The first paragraph with code.");
    }

    #[test]
    fn tables_and_heading_ids() {
        let rendered = render("## Facts {#facts}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(rendered.html.contains("<h2 id=\"facts\">Facts</h2>"));
        assert!(rendered.html.contains("<table>"));
    }

    #[test]
    fn french_typography_spares_code() {
        let html = render_with("Note : « oui » `a : b`\n\n```\nx : y\n```\n\n[lien](https://a.fr/?q=1) !", true).html;
        assert!(html.contains("Note\u{202f}: «\u{202f}oui\u{202f}» <code>a : b</code>"), "{html}");
        assert!(html.contains("<pre><code>x : y\n</code></pre>"), "{html}");
        assert!(html.contains("href=\"https://a.fr/?q=1\""), "{html}");
        assert!(html.contains("</a>\u{202f}!"), "{html}");
    }

    #[test]
    fn straight_quotes_stay() {
        let html = render("l'\"avion\"").html;
        assert!(html.contains("l'\"avion\""), "{html}");
    }
}
