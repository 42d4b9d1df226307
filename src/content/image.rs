//! An image credit as the YAML gives it (a brief's lead image, an author's photo) → a
//! resolved [`ImageCredit`]: its file found, its licence looked up, the licence's rules
//! applied to its title, author and source.

use super::files::{BriefFile, resolve_src};
use super::front_matter::RawImage;
use super::located::{Problems, checked_url, help, optional_text};
use super::locator::{Locator, Step};
use super::{ImageCredit, ImageSrc};
use crate::config::license_diagnostic;
use crate::diagnostic::{Code, Diagnostic};
use crate::license;
use crate::rules::{self, ImageFacts};

/// Whether an image credit must give its alt text: a lead image and a photo must, an
/// image of the body has it from the Markdown (`![alt](src)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Alt {
    Required,
    InTheBody,
}

/// Resolves the image credit found at `prefix` in the YAML (`image` or a `media` entry in
/// a brief, `Name, photo` in authors.yaml): its file, its alt text, its TASL credit and
/// licence, checked against the licence's rules.
pub(super) fn resolve(
    raw: RawImage,
    prefix: &[Step],
    alt_needed: Alt,
    (file, locator): (&BriefFile, &Locator),
    problems: &mut Problems,
) -> Option<ImageCredit> {
    let at = |key: &'static str| -> Vec<Step> { prefix.iter().copied().chain([Step::Key(key)]).collect() };
    let image_line = locator.locate(prefix);
    let RawImage { src, alt, title, author, author_url, source, source_url, license, modified, focus } = raw;

    let src = match optional_text(src) {
        None => {
            let d = problems.error(Code::MissingKey, image_line, "the image has no `src`");
            help(d, "give the image file, relative to the brief or to static/");
            None
        }
        Some(src) if src == super::IMAGE_SRC_PLACEHOLDER => {
            let d = problems.error(
                Code::ImagePlaceholder,
                locator.locate_value(&at("src"), &src),
                "the image `src` is still the placeholder left by `depeche import`",
            );
            help(d, "put the image file beside the brief (or under static/) and write its name here");
            None
        }
        Some(src) => match resolve_src(&src, file) {
            Ok(ImageSrc::Remote(url)) if !file.config.allows_remote_image(&url) => {
                let d = problems.error(
                    Code::RemoteImage,
                    locator.locate_value(&at("src"), &src),
                    format!("the image {url} is on another site: readers' browsers would fetch it from there"),
                );
                help(
                    d,
                    "publish the file with the site, or allow its server in depeche.toml (`[images] allow_remote`)",
                );
                None
            }
            Ok(resolved) => Some((resolved, src)),
            Err(message) => {
                problems.error(Code::ImageSrc, locator.locate_value(&at("src"), &src), message);
                None
            }
        },
    };
    let alt = optional_text(alt).or_else(|| (alt_needed == Alt::InTheBody).then(String::new));
    if alt.is_none() {
        let d = problems.error(Code::MissingAlt, image_line, "the image has no `alt` text");
        help(d, "describe what the image shows, for readers who cannot see it");
    }
    let author_url = checked_url(author_url, &at("author_url"), "author_url", locator, problems);
    let source_url = checked_url(source_url, &at("source_url"), "source_url", locator, problems);
    let license = match optional_text(license) {
        None => {
            let d = problems.warning(Code::NoLicense, image_line, "the image has no `license`");
            help(d, "say under which licence it is used, e.g. license: CC-BY-SA-4.0");
            None
        }
        Some(text) => {
            let position = locator.locate_value(&at("license"), &text);
            match license::lookup(&text) {
                Ok(resolved) => {
                    if !resolved.exact {
                        problems.found.push(
                            Diagnostic::note(
                                Code::LicenseNormalised,
                                problems.path,
                                format!("licence {text:?} read as {}", resolved.license.id),
                            )
                            .at(Some(position))
                            .with_help(format!("write license: {}", resolved.license.id)),
                        );
                    }
                    Some(resolved.license)
                }
                Err(error) => {
                    let mut d = license_diagnostic(&error, problems.path).at(Some(position));
                    d.message = format!("{error} in the image credit");
                    problems.found.push(d);
                    None
                }
            }
        }
    };
    let title = optional_text(title);
    let author = optional_text(author);
    let source = optional_text(source);
    let modified = modified.unwrap_or(false);
    let focus = focus.and_then(|point| {
        let focus = match point[..] {
            [x, y] => super::Focus::from_fractions(x, y),
            _ => None,
        };
        if focus.is_none() {
            let d = problems.error(
                Code::ImageFocus,
                locator.locate(&at("focus")),
                format!("the image's `focus` is {point:?}: it must be two numbers from 0 to 1"),
            );
            help(d, "give where the subject is across and down the image, e.g. focus: [0.3, 0.4] (0.5 is the middle)");
        }
        focus
    });
    if let Some(license) = license {
        let facts = ImageFacts {
            license,
            has_title: title.is_some(),
            has_author: author.is_some(),
            has_source: source.is_some() || source_url.is_some(),
            modified,
            commercial: file.config.commercial,
        };
        for finding in rules::check_image(&facts) {
            problems.found.push(
                Diagnostic::new(finding.severity, finding.code, problems.path, finding.message)
                    .at(Some(locator.locate(&at(finding.field))))
                    .with_help(finding.help),
            );
        }
    }
    let (src, src_as_written) = src?;
    Some(ImageCredit {
        src,
        src_as_written,
        alt: alt?,
        title,
        author,
        author_url,
        origin: source,
        origin_url: source_url,
        license,
        modified,
        focus,
    })
}
