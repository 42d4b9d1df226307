//! A brief's body as a page shows it: the credit placeholders its images carry (see
//! [`crate::content::body_images`]) filled in with the theme's `partials/credit.html`, in
//! the page's language, so that every image of the body is credited as the lead image is.

use std::borrow::Cow;

use tera::Context;

use super::views::ImageView;
use super::{Renderer, UiStrings};
use crate::config::Config;
use crate::content::Brief;
use crate::content::body_images::CreditKey;
use crate::diagnostic::Diagnostic;

const OPEN: &str = "<!--depeche:";
const CLOSE: &str = "-->";

/// `body` with each credit placeholder replaced by the credit of its image; as it is when
/// it has none.
pub fn fill_credits<'a>(
    body: Cow<'a, str>,
    brief: &Brief,
    renderer: &Renderer,
    (config, lang, strings): (&Config, &str, &UiStrings),
) -> Result<Cow<'a, str>, Diagnostic> {
    if !body.contains(OPEN) {
        return Ok(body);
    }
    let mut out = String::with_capacity(body.len() + 512);
    let mut rest: &str = &body;
    while let Some(start) = rest.find(OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + OPEN.len()..];
        let Some(end) = after.find(CLOSE) else { break };
        // Another comment that happens to start the same way is left out, not shown.
        let (inline, marker) = match after[..end].split_once(':') {
            Some(("credit", marker)) => (false, marker),
            Some(("inline-credit", marker)) => (true, marker),
            _ => (false, ""),
        };
        let credit = CreditKey::from_marker(marker).and_then(|key| match key {
            CreditKey::Lead => brief.image.as_ref(),
            CreditKey::Media(index) => brief.media.get(index),
        });
        if let Some(credit) = credit {
            let mut context = Context::new();
            context.insert("image", &ImageView::new(credit, &brief.permalink, lang, config, strings));
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
