//! Every image a brief's body shows must be credited: its `src` is the lead image's or a
//! `media:` entry's, or the brief has an `uncredited-image` error on the line of the
//! body that shows it. An image from another site is an error unless `depeche.toml`
//! allows its address (`[images] allow_remote`), and a `media:` entry no image uses is a
//! warning.

use super::ImageCredit;
use super::files::{BriefFile, resolve_src};
use super::front_matter::{Document, Locator, Step};
use super::located::{Problems, help};
use crate::diagnostic::Code;

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
        // The same file written two ways (`carte.png`, `./carte.png`) is one image.
        let resolved = if remote.is_some() { None } else { resolve_src(src, file).ok() };
        let credits = |credit: &ImageCredit| {
            credit.src_as_written == src || resolved.as_ref().is_some_and(|resolved| *resolved == credit.src)
        };
        let in_media = media.iter().position(credits);
        if let Some(index) = in_media {
            used[index] = true;
        }
        if in_media.is_none() && !lead.is_some_and(credits) {
            let d = problems.error(
                Code::UncreditedImage,
                (line, column),
                format!("the image {src} in the body has no credit"),
            );
            help(d, "add it to `media:` with its title, author, source and licence, as for the lead `image`");
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
