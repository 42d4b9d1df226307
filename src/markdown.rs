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

/// An image the body shows: written `![alt](src)`, or `<img src="…">` in raw HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyImage {
    pub src: String,
    /// Where it is written, in bytes from the start of the Markdown.
    pub offset: usize,
}

/// Every image of a body, in order, however it is written (code blocks and code spans
/// are text, not images).
pub fn images(markdown: &str) -> Vec<BodyImage> {
    let mut found = Vec::new();
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                found.push(BodyImage { src: dest_url.into_string(), offset: range.start })
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                for (at, src) in html_image_sources(&html) {
                    found.push(BodyImage { src, offset: range.start + at });
                }
            }
            _ => {}
        }
    }
    found
}

/// The `src` of each `<img>` (and `<source srcset>`'s first address) in raw HTML, with its
/// offset: enough to find every image a body shows, not an HTML parser.
fn html_image_sources(html: &str) -> Vec<(usize, String)> {
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(start) = lower[from..].find('<').map(|i| i + from) {
        let end = lower[start..].find('>').map_or(lower.len(), |i| start + i);
        let tag = &lower[start..end];
        let attribute = if tag.starts_with("<img") {
            Some("src=")
        } else if tag.starts_with("<source") {
            Some("srcset=")
        } else {
            None
        };
        if let Some(attribute) = attribute
            && let Some(at) = tag.find(attribute)
        {
            let value_start = start + at + attribute.len();
            let rest = &html[value_start..end.max(value_start)];
            let value = match rest.chars().next() {
                Some(quote @ ('"' | '\'')) => rest[1..].split(quote).next().unwrap_or_default(),
                _ => rest.split(|c: char| c.is_whitespace()).next().unwrap_or_default(),
            };
            let first = value.split(',').next().unwrap_or_default().split_whitespace().next().unwrap_or_default();
            found.push((start, first.to_string()));
        }
        from = end.max(start + 1);
    }
    found
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
    fn every_image_of_a_body_is_found_with_its_place() {
        let body = "Text ![a](carte.png) and\n\n<p><IMG alt=x SRC='/img/b.jpg'></p>\n\n`![no](code.png)`\n\n<picture><source srcset=\"c.webp 1x, d.webp 2x\"></picture>\n";
        let found = images(body);
        let srcs: Vec<&str> = found.iter().map(|i| i.src.as_str()).collect();
        assert_eq!(srcs, vec!["carte.png", "/img/b.jpg", "c.webp"]);
        assert_eq!(&body[found[0].offset..found[0].offset + 2], "![");
        assert_eq!(&body[found[1].offset..found[1].offset + 4], "<IMG");
    }

    #[test]
    fn straight_quotes_stay() {
        let html = render("l'\"avion\"").html;
        assert!(html.contains("l'\"avion\""), "{html}");
    }
}
