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
    /// The credit keys of the images written in raw HTML (shown as written).
    pub html_images: Vec<String>,
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
    Rendered {
        html: html.as_str().to_owned(),
        first_paragraph: collapse_spaces(&first_paragraph.text),
        html_images: Vec::new(),
    }
}

/// Renders a brief's body: as [`render_with`], and each image that `credit_of` knows (by
/// its `src`, giving the key of its credit) is shown with a placeholder for its credit,
/// which the page fills in with the theme's words: an image alone in its paragraph
/// becomes a `<figure>` whose caption is the image's Markdown title and
/// `<!--depeche:credit:KEY-->`; an image within text, or written in raw HTML, is followed
/// by `<!--depeche:inline-credit:KEY-->`. A Markdown image's `<img>` is wrapped in
/// `<!--depeche:image:KEY-->` and `<!--/depeche:image-->`, for the page to show the
/// image's variants instead (raw HTML is shown as written).
pub fn render_body(markdown: &str, french_typography: bool, credit_of: &dyn Fn(&str) -> Option<String>) -> Rendered {
    if !markdown.contains("![") && !may_hold_html_image(markdown) {
        return render_with(markdown, french_typography);
    }
    let mut first_paragraph = FirstParagraph::default();
    let events: Vec<Event> = events(markdown, french_typography).inspect(|event| first_paragraph.see(event)).collect();
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut html_images = Vec::new();
    let mut at = 0;
    while at < events.len() {
        if let Some((figure, length)) = lone_image(&events[at..], credit_of) {
            out.push(Event::Html(figure.into()));
            at += length;
            continue;
        }
        let event = events[at].clone();
        let opens_image = match &event {
            Event::Start(Tag::Image { dest_url, .. }) => credit_of(dest_url),
            _ => None,
        };
        if let Some(key) = opens_image {
            out.push(Event::InlineHtml(format!("<!--depeche:image:{key}-->").into()));
        }
        let credits: Vec<String> = match &event {
            Event::End(TagEnd::Image) => {
                image_start(&events[..at]).and_then(|src| credit_of(&src)).into_iter().collect()
            }
            // An image written in raw HTML is credited right after its HTML.
            Event::Html(html) | Event::InlineHtml(html) => {
                let keys: Vec<String> =
                    html_image_sources(html).into_iter().filter_map(|(_, src)| credit_of(&src)).collect();
                html_images.extend(keys.iter().cloned());
                keys
            }
            _ => Vec::new(),
        };
        let closes_image = matches!(event, Event::End(TagEnd::Image)) && !credits.is_empty();
        out.push(event);
        if closes_image {
            out.push(Event::InlineHtml(IMAGE_END.into()));
        }
        for key in credits {
            out.push(Event::InlineHtml(format!("<!--depeche:inline-credit:{key}-->").into()));
        }
        at += 1;
    }
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut html, out.into_iter());
    Rendered { html: html.as_str().to_owned(), first_paragraph: collapse_spaces(&first_paragraph.text), html_images }
}

/// What closes a Markdown image's `<img>` wrapped for its variants.
pub const IMAGE_END: &str = "<!--/depeche:image-->";

/// The `src` of the image that the last `End(Image)` before `events`' end closes.
fn image_start(events: &[Event]) -> Option<String> {
    events.iter().rev().find_map(|event| match event {
        Event::Start(Tag::Image { dest_url, .. }) => Some(dest_url.to_string()),
        _ => None,
    })
}

/// A paragraph that opens with one credited image, alone or followed on the next line by
/// its caption (`![alt](map.png)` then `*The new regions*`), as a figure, and how many
/// events it took. The caption is the text after the image, else the image's Markdown
/// title.
fn lone_image(events: &[Event], credit_of: &dyn Fn(&str) -> Option<String>) -> Option<(String, usize)> {
    let [Event::Start(Tag::Paragraph), Event::Start(Tag::Image { dest_url, title, .. }), rest @ ..] = events else {
        return None;
    };
    let key = credit_of(dest_url)?;
    let mut alt = String::new();
    let image_end = rest.iter().position(|event| matches!(event, Event::End(TagEnd::Image)))?;
    for event in &rest[..image_end] {
        match event {
            Event::Text(text) | Event::Code(text) => alt.push_str(text),
            Event::SoftBreak | Event::HardBreak => alt.push(' '),
            _ => {}
        }
    }
    let after = &rest[image_end + 1..];
    let paragraph_end = after.iter().position(|event| matches!(event, Event::End(TagEnd::Paragraph)))?;
    let caption_events = &after[..paragraph_end];
    let caption = match caption_events {
        [] if title.is_empty() => String::new(),
        [] => format!("<span class=\"caption\">{}</span> ", escape(title)),
        // Text on the line after the image: the caption, with its own markup. Anything
        // else after the image (text on the same line, another image, raw HTML, which may
        // hold one) keeps the paragraph, each image credited where it is.
        [Event::SoftBreak | Event::HardBreak, text @ ..]
            if !text.is_empty()
                && !text
                    .iter()
                    .any(|e| matches!(e, Event::Start(Tag::Image { .. }) | Event::Html(_) | Event::InlineHtml(_))) =>
        {
            let mut html = String::new();
            html::push_html(&mut html, text.iter().cloned());
            format!("<span class=\"caption\">{}</span> ", html.trim())
        }
        _ => return None,
    };
    let figure = format!(
        "<figure class=\"body-image\"><!--depeche:image:{key}--><img src=\"{}\" alt=\"{}\" loading=\"lazy\" decoding=\"async\">{IMAGE_END}<figcaption class=\"credit\">{caption}<!--depeche:credit:{key}--></figcaption></figure>\n",
        url_attribute(dest_url),
        escape(&alt),
    );
    // The paragraph's start, the image's start, its events, its end, the caption's, the
    // paragraph's end.
    Some((figure, 2 + image_end + 1 + paragraph_end + 1))
}

/// An address as pulldown-cmark writes it in `src`: unsafe characters percent-encoded.
fn url_attribute(url: &str) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_href(&mut out, url);
    out
}

/// Text as HTML text or a quoted attribute value.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
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
    // Most bodies show no image: a byte scan spares them a second parse.
    if !markdown.contains("![") && !may_hold_html_image(markdown) {
        return found;
    }
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

/// Whether raw HTML in the text may hold an `<img>` or `<source>` (`<` followed by `i` or
/// `s`, in either case).
fn may_hold_html_image(text: &str) -> bool {
    text.as_bytes().windows(2).any(|pair| pair[0] == b'<' && matches!(pair[1], b'i' | b'I' | b's' | b'S'))
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

    proptest::proptest! {
        /// Any body, every image credited: rendering never panics, and every image of the
        /// body gets exactly one credit placeholder.
        #[test]
        fn any_body_renders_with_one_credit_per_image(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    "\\PC{0,12}",
                    proptest::strategy::Just("![a](x.png)".to_string()),
                    proptest::strategy::Just("![a *b*](y.png \"T\")\n*caption*".to_string()),
                    proptest::strategy::Just("<img src=z.png>".to_string()),
                    proptest::strategy::Just("\n\n".to_string()),
                    proptest::strategy::Just("`![c](w.png)`".to_string()),
                ],
                0..12,
            )
        ) {
            let body = parts.concat();
            let html = render_body(&body, false, &|_| Some("lead".to_string())).html;
            let placeholders = html.matches("<!--depeche:credit:").count() + html.matches("<!--depeche:inline-credit:").count();
            proptest::prop_assert_eq!(placeholders, images(&body).len(), "{}", html);
            proptest::prop_assert_eq!(html.matches("<!--depeche:image:").count(), html.matches(IMAGE_END).count());
        }
    }

    #[test]
    fn straight_quotes_stay() {
        let html = render("l'\"avion\"").html;
        assert!(html.contains("l'\"avion\""), "{html}");
    }
}
