//! Every image a brief's body shows must be credited: its `src` is the lead image's or a
//! `media:` entry's, or the brief has an `uncredited-image` error on the line of the
//! body that shows it. An image from another site is an error unless `depeche.toml`
//! allows its address (`[images] allow_remote`), and a `media:` entry no image uses is a
//! warning.

use super::ImageCredit;
use super::files::BriefFile;
use super::front_matter::Document;
use super::located::{Problems, help};
use super::locator::{Locator, Step};
use crate::diagnostic::Code;

/// Which credit an image of the body has: the lead image's, or a `media:` entry's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreditKey {
    Lead,
    Media(usize),
}

impl CreditKey {
    /// As the body's placeholders write it (`lead`, `media-2`).
    pub fn marker(self) -> String {
        match self {
            CreditKey::Lead => "lead".into(),
            CreditKey::Media(index) => format!("media-{index}"),
        }
    }

    /// The key a placeholder wrote with [`CreditKey::marker`].
    pub fn from_marker(marker: &str) -> Option<CreditKey> {
        match marker {
            "lead" => Some(CreditKey::Lead),
            other => other.strip_prefix("media-")?.parse().ok().map(CreditKey::Media),
        }
    }
}

/// An address as compared: written with or without a leading `./`.
fn normalised(src: &str) -> &str {
    let mut src = src.trim();
    while let Some(rest) = src.strip_prefix("./") {
        src = rest;
    }
    src
}

/// The credit of the body's image at `src`: the first `media:` entry, else the lead
/// image, written with the same address (a leading `./` aside).
pub fn credit_for(src: &str, lead: Option<&ImageCredit>, media: &[ImageCredit]) -> Option<CreditKey> {
    let src = normalised(src);
    let same = |credit: &ImageCredit| normalised(&credit.src_as_written) == src;
    media.iter().position(same).map(CreditKey::Media).or_else(|| lead.filter(|l| same(l)).map(|_| CreditKey::Lead))
}

/// A brief's body as HTML, each credited image with the placeholder of its credit
/// (filled in when a page shows it).
pub fn render(
    markdown: &str,
    french_typography: bool,
    lead: Option<&ImageCredit>,
    media: &[ImageCredit],
) -> crate::markdown::Rendered {
    let credit_of = |src: &str| credit_for(src, lead, media).map(CreditKey::marker);
    crate::markdown::render_body(markdown, french_typography, &credit_of)
}

/// The file line where the body of `document` starts: after the YAML and its closing
/// `---`.
fn body_first_line(document: &Document) -> usize {
    document.opening_line + document.yaml.lines().count() + 2
}

/// Checks the images of `document`'s body against the brief's lead image and `media`.
pub(super) fn check(
    document: &Document,
    (lead, media): (Option<&ImageCredit>, &[ImageCredit]),
    (file, locator): (&BriefFile, &Locator),
    problems: &mut Problems,
) {
    let mut used = vec![false; media.len()];
    let first_line = body_first_line(document);
    for image in crate::markdown::images(document.body) {
        let before = &document.body[..image.offset];
        let line = first_line + before.matches('\n').count();
        let column = before.len() - before.rfind('\n').map_or(0, |at| at + 1) + 1;
        let src = image.src.trim();
        let remote = url::Url::parse(src).ok();
        if let Some(url) = &remote
            && matches!(url.scheme(), "http" | "https")
            && !file.config.allows_remote_image(src)
        {
            let d = problems.error(
                Code::RemoteImage,
                (line, column),
                format!("the image {src} is on another site: readers' browsers would fetch it from there"),
            );
            help(
                d,
                "put the file beside the brief or under static/ and credit it in `media:`; a server the newsroom controls can be allowed in depeche.toml (`[images] allow_remote`)",
            );
            continue;
        }
        match credit_for(src, lead, media) {
            Some(CreditKey::Media(index)) => used[index] = true,
            Some(CreditKey::Lead) => {}
            None => {
                let d = problems.error(
                    Code::UncreditedImage,
                    (line, column),
                    format!("the image {src} in the body has no credit"),
                );
                help(
                    d,
                    "add it to `media:`, with the same `src`, its title, author, source and licence, as for the lead `image`",
                );
            }
        }
    }
    for (index, credit) in media.iter().enumerate() {
        if !used[index] {
            let at = locator.locate(&[Step::Key("media"), Step::Item(index)]);
            let d = problems.warning(
                Code::UnusedMedia,
                at,
                format!("`media` credits {}, which the body does not show", credit.src_as_written),
            );
            help(d, "show it in the body (`![description](file)`), or remove the entry");
        }
    }
}
