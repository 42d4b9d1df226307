//! A brief's body as a page shows it: the credit placeholders its images carry (see
//! [`crate::content::body_images`]) filled in with the theme's `partials/credit.html`, in
//! the page's language, so that every image of the body is credited as the lead image is;
//! and each Markdown image published as variants shown through them, with the theme's
//! `partials/picture.html`.

use std::borrow::Cow;

use tera::Context;

use super::views::ImageView;
use super::{Renderer, UiStrings};
use crate::config::Config;
use crate::content::Brief;
use crate::content::body_images::CreditKey;
use crate::diagnostic::Diagnostic;
use crate::images::ImageLibrary;
use crate::markdown::IMAGE_END;

const OPEN: &str = "<!--depeche:";
const CLOSE: &str = "-->";

/// How the images of a body published as variants are shown.
#[derive(Clone, Copy)]
pub enum ImagesShown<'l> {
    /// Through their variants, with the theme's `partials/picture.html`: pages.
    Pictures(&'l ImageLibrary),
    /// As one `<img>` of the widest JPEG or PNG, at its absolute address, with its size:
    /// feeds, whose readers take neither `<picture>` nor relative addresses.
    Img(&'l ImageLibrary),
}

/// `body` with each credit placeholder replaced by the credit of its image, and each image
/// that the library publishes as variants shown through them as `shown` says (an image
/// without variants keeps its `<img>` as written); as it is when it has none.
pub fn fill_credits<'a>(
    body: Cow<'a, str>,
    brief: &Brief,
    renderer: &Renderer,
    (config, lang, strings): (&Config, &str, &UiStrings),
    shown: ImagesShown,
) -> Result<Cow<'a, str>, Diagnostic> {
    let images = match shown {
        ImagesShown::Pictures(images) | ImagesShown::Img(images) => images,
    };
    if !body.contains(OPEN) {
        return Ok(body);
    }
    let mut out = String::with_capacity(body.len() + 512);
    let mut rest: &str = &body;
    while let Some(start) = rest.find(OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + OPEN.len()..];
        let Some(end) = after.find(CLOSE) else {
            // An unclosed comment (raw HTML can hold one): kept as it is.
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        // Another comment that happens to start the same way is left out, not shown.
        let (inline, marker) = match after[..end].split_once(':') {
            Some(("credit", marker)) => (false, marker),
            Some(("inline-credit", marker)) => (true, marker),
            Some(("image", marker)) => {
                let inner_start = end + CLOSE.len();
                let Some(inner_end) = after[inner_start..].find(IMAGE_END).map(|at| inner_start + at) else {
                    rest = &after[inner_start..];
                    continue;
                };
                let img = &after[inner_start..inner_end];
                let credit = CreditKey::from_marker(marker).and_then(|key| match key {
                    CreditKey::Lead => brief.image.as_ref(),
                    CreditKey::Media(index) => brief.media.get(index),
                });
                match credit.filter(|credit| images.get(&credit.src).is_some()) {
                    Some(credit) => {
                        let view = ImageView::new(credit, &brief.permalink, (lang, config, strings), images);
                        let alt = attribute(img, "alt").unwrap_or_default();
                        if let ImagesShown::Img(_) = shown {
                            let mut src = String::new();
                            // Writing into a String cannot fail.
                            let _ = pulldown_cmark_escape::escape_html(&mut src, &view.absolute_url);
                            // `alt` is still escaped as pulldown-cmark wrote it.
                            out.push_str(&format!(
                                "<img src=\"{src}\" alt=\"{alt}\" width=\"{}\" height=\"{}\">",
                                view.fallback_width.unwrap_or_default(),
                                view.fallback_height.unwrap_or_default(),
                            ));
                        } else {
                            let mut context = Context::new();
                            context.insert("image", &view);
                            context.insert("alt", &unescape(alt));
                            context.insert("lead", &false);
                            context.insert("small", &false);
                            out.push_str(renderer.render("partials/picture.html", &context)?.trim());
                        }
                    }
                    None => out.push_str(img),
                }
                rest = &after[inner_end + IMAGE_END.len()..];
                continue;
            }
            _ => (false, ""),
        };
        let credit = CreditKey::from_marker(marker).and_then(|key| match key {
            CreditKey::Lead => brief.image.as_ref(),
            CreditKey::Media(index) => brief.media.get(index),
        });
        if let Some(credit) = credit {
            let mut context = Context::new();
            // The credit's words only: the image itself is in the body already.
            let view = ImageView::new(credit, &brief.permalink, (lang, config, strings), &Default::default());
            context.insert("image", &view);
            context.insert_value("t", strings.value());
            context.insert("lang", lang);
            context.insert("rdfa", &false);
            let text = renderer.render("partials/credit.html", &context)?;
            if inline {
                out.push_str(" <small class=\"image-credit\">");
                out.push_str(text.trim());
                out.push_str("</small>");
            } else {
                out.push_str(text.trim());
            }
        }
        rest = &after[end + CLOSE.len()..];
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

/// The value of attribute `name` of the first tag of `html`, as written (escaped).
fn attribute<'h>(html: &'h str, name: &str) -> Option<&'h str> {
    let start = html.find(&format!(" {name}=\""))? + name.len() + 3;
    let length = html[start..].find('"')?;
    Some(&html[start..start + length])
}

/// An attribute value as pulldown-cmark escapes it, read back as text.
fn unescape(value: &str) -> String {
    value.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&#39;", "'").replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_around_placeholders_is_kept_once_and_unknown_ones_are_dropped() {
        let config = crate::config::parse("title = \"T\"\n", std::path::Path::new("depeche.toml")).unwrap().0;
        let theme = crate::render::Theme::load(std::path::Path::new("."), "default").unwrap();
        let renderer = Renderer::new(&theme).unwrap();
        let strings = renderer.ui_strings.for_language("en");
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/a.md"), "---\ntitle: A\ndate: 2022-01-01\n---\nx\n").unwrap();
        let options =
            crate::content::LoadOptions { root: dir.path(), config: &config, include_drafts: false, cache: None };
        let brief = crate::content::load(&options).briefs.remove(0).brief;
        let library = ImageLibrary::default();
        let fill = |body: &str| {
            let page = (&config, "en", strings);
            fill_credits(Cow::Borrowed(body), &brief, &renderer, page, ImagesShown::Pictures(&library))
                .unwrap()
                .into_owned()
        };
        assert_eq!(fill("a <!--depeche:credit:media-9--> b"), "a  b", "a credit the brief does not have");
        assert_eq!(fill("a <!--other--> b"), "a <!--other--> b");
        assert_eq!(fill("a <!--depeche:credit:lead"), "a <!--depeche:credit:lead", "unclosed: kept once");
    }
}
