//! Raw front matter → a validated [`Brief`], with every problem of the file reported
//! (not only the first) and placed at its line.

use std::path::{Path, PathBuf};

use super::body_images;
use super::files::{BriefFile, bundle_assets, normalise_within};
use super::front_matter::{Document, RawCorrection, RawFrontMatter, RawSource};
use super::image::Alt;
use super::located::{Problems, checked_url, help, optional_text};
use super::locator::{Locator, Step};
use super::{Brief, BriefDate, Correction, CorrectionKind, ImageCredit, ImageSrc, Source, WorkType, slugify};
use crate::diagnostic::{Code, Diagnostic};
use crate::permalink::PermalinkParts;

pub(super) fn resolve(raw: RawFrontMatter, document: &Document, file: &BriefFile) -> (Option<Brief>, Vec<Diagnostic>) {
    let locator = Locator::new(document);
    let mut problems = Problems { path: file.display, found: Vec::new() };
    let key = |name: &str| locator.locate(&[Step::Key(name)]);

    // Destructured in full so that a new key cannot be forgotten here.
    let RawFrontMatter {
        title,
        date,
        updated,
        expires,
        lang,
        slug,
        summary,
        kind,
        corrections,
        tags,
        authors,
        draft,
        sources,
        image,
        media,
        translations,
        extra,
    } = raw;

    let title = title.map(|t| t.trim().to_string()).unwrap_or_default();
    if title.is_empty() {
        let d = problems.error(Code::MissingKey, key("title"), "the brief has no `title`");
        help(d, "add a line such as: title: \"What happened\"");
    }
    check_length(&title, "title", MAX_TITLE, &[Step::Key("title")], &locator, &mut problems);

    let date = parse_date(date.as_deref(), "date", &locator, &mut problems);
    if date.is_none() && !problems.found.iter().any(|d| d.code == Code::InvalidDate) {
        let d = problems.error(Code::MissingKey, locator.opening(), "the brief has no `date`");
        help(d, "add a line such as: date: 2022-03-04");
    }
    let updated = parse_date(updated.as_deref(), "updated", &locator, &mut problems);
    let expires = parse_date(expires.as_deref(), "expires", &locator, &mut problems);
    if let (Some(date), Some(expires)) = (date, expires)
        && expires.datetime <= date.datetime
    {
        let d = problems.error(
            Code::InvalidDate,
            key("expires"),
            format!("`expires` {} is not after the brief's `date` {}", expires.iso(), date.iso()),
        );
        help(d, "a brief expires after it is published");
    }

    let lang = match lang.map(|l| l.trim().to_string()) {
        None => file.config.language.clone(),
        Some(l) if language_tags::LanguageTag::parse(&l).is_ok_and(|t| t.is_valid()) => l,
        Some(l) => {
            let d = problems.error(
                Code::InvalidLang,
                locator.locate_value(&[Step::Key("lang")], &l),
                format!("`lang` {l:?} is not a BCP 47 language tag"),
            );
            help(d, "write a tag such as fr, en or fr-CA");
            file.config.language.clone()
        }
    };

    let slug = resolve_slug(slug, file, &locator, &mut problems);

    let typography = file.config.french_typography && crate::license::is_french(&lang);
    let summary = summary.map(|s| crate::markdown::collapse_spaces(&s)).filter(|s| !s.is_empty());
    if let Some(summary) = &summary {
        check_length(summary, "summary", MAX_SUMMARY, &[Step::Key("summary")], &locator, &mut problems);
    }

    let kind = resolve_kind(kind, &locator, &mut problems);
    let corrections = resolve_corrections(corrections.unwrap_or_default(), date, &locator, &mut problems);
    let tags = clean_list(tags, "tags", &locator, &mut problems);
    let authors = clean_list(authors, "authors", &locator, &mut problems);
    let sources = resolve_sources(sources.unwrap_or_default(), &locator, &mut problems);
    let image = image.and_then(|raw| {
        super::image::resolve(raw, &[Step::Key("image")], Alt::Required, (file, &locator), &mut problems)
    });
    let media: Vec<ImageCredit> = media
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .filter_map(|(index, raw)| {
            let at = [Step::Key("media"), Step::Item(index)];
            let credit = super::image::resolve(raw, &at, Alt::InTheBody, (file, &locator), &mut problems)?;
            if let ImageSrc::Remote(url) = &credit.src
                && !file.config.allows_remote_image(url)
            {
                let position = locator.locate_value(&[at[0], at[1], Step::Key("src")], url);
                let d = problems.error(Code::RemoteImage, position, format!("the image {url} is on another site"));
                help(
                    d,
                    "publish the file with the site, or allow its server in depeche.toml (`[images] allow_remote`)",
                );
            }
            Some(credit)
        })
        .collect();
    body_images::check(document, (image.as_ref(), &media), (file, &locator), &mut problems);
    let rendered = body_images::render(document.body, typography, image.as_ref(), &media);
    let mut images_in_html: Vec<ImageSrc> = rendered
        .html_images
        .iter()
        .filter_map(|key| match body_images::CreditKey::from_marker(key)? {
            body_images::CreditKey::Lead => image.as_ref().map(|credit| credit.src.clone()),
            body_images::CreditKey::Media(index) => media.get(index).map(|credit| credit.src.clone()),
        })
        .collect();
    images_in_html.dedup();
    let (body, summary) = (super::Body::Rendered(rendered.html), summary.unwrap_or(rendered.first_paragraph));
    let typeset = |text: String| if typography { crate::typography::french(&text) } else { text };
    let summary = typeset(summary);
    let title = typeset(title);

    let translations = resolve_translations(translations.unwrap_or_default(), file, &locator, &mut problems);
    let extra = extra.unwrap_or(serde_json::Value::Object(Default::default()));
    if !extra.is_object() {
        problems.error(Code::InvalidExtra, key("extra"), "`extra` must be a map of keys to values");
    }

    let mut assets = Vec::new();
    for credit in image.iter().chain(&media) {
        if let ImageSrc::Colocated { file: image_file, .. } = &credit.src
            && !assets.contains(image_file)
        {
            assets.push(image_file.clone());
        }
    }
    if file.is_bundle() {
        assets.extend(bundle_assets(file.file));
    }
    assets.sort();
    assets.dedup();

    let (Some(date), false) = (date, crate::diagnostic::has_errors(&problems.found)) else {
        return (None, problems.found);
    };
    let permalink = file.config.permalink.render(&PermalinkParts {
        year: chrono::Datelike::year(&date.day()),
        month: chrono::Datelike::month(&date.day()),
        day: chrono::Datelike::day(&date.day()),
        slug: &slug,
        lang: &lang,
    });
    let brief = Brief {
        path: file.display.to_path_buf(),
        title,
        date,
        updated,
        expires,
        lang,
        slug,
        summary,
        kind,
        corrections,
        tags,
        authors,
        draft: draft.unwrap_or(false),
        sources,
        image,
        media,
        extra,
        body,
        permalink,
        assets,
        images_in_html,
        file: file.file.to_path_buf(),
        translations,
    };
    (Some(brief), problems.found)
}

fn parse_date(value: Option<&str>, key: &str, locator: &Locator, problems: &mut Problems) -> Option<BriefDate> {
    let value = value?;
    match BriefDate::read(value) {
        Ok(date) => Some(date),
        Err(reason) => {
            let d = problems.error(
                Code::InvalidDate,
                locator.locate_value(&[Step::Key(key)], value),
                format!("`{key}` {reason}"),
            );
            help(d, "write YYYY-MM-DD (2022-03-04) or an RFC 3339 moment (2022-03-04T10:30:00+01:00)");
            None
        }
    }
}

fn resolve_slug(slug: Option<String>, file: &BriefFile, locator: &Locator, problems: &mut Problems) -> String {
    if let Some(slug) = slug {
        let clean = slugify(&slug);
        if clean != slug || clean.is_empty() {
            let d = problems.error(
                Code::InvalidSlug,
                locator.locate_value(&[Step::Key("slug")], &slug),
                format!("`slug` {slug:?} may only contain lower-case letters, digits and hyphens"),
            );
            if !clean.is_empty() {
                help(d, format!("did you mean {clean:?}?"));
            }
        }
        if clean.len() > MAX_NAME {
            let d = problems.error(
                Code::TooLong,
                locator.locate(&[Step::Key("slug")]),
                format!("`slug` is {} characters long: at most {MAX_NAME} make an address", clean.len()),
            );
            help(d, "shorten it");
        }
        return clean;
    }
    let name = if file.is_bundle() { file.file.parent().and_then(Path::file_name) } else { file.file.file_stem() };
    let from_name = slugify(&name.map(|n| n.to_string_lossy()).unwrap_or_default());
    if from_name.is_empty() {
        let d = problems.error(Code::InvalidSlug, locator.opening(), "cannot make a slug from this file name");
        help(d, "rename the file with letters or digits, or add a `slug` key");
    } else if from_name.len() > MAX_NAME {
        let d = problems.error(
            Code::TooLong,
            locator.opening(),
            format!("the address made from the file name is {} characters long: at most {MAX_NAME}", from_name.len()),
        );
        help(d, "rename the file, or add a shorter `slug` key");
    }
    from_name
}

/// `translations: {en: ../ukraine-en.md}`: each language's file, relative to this brief's
/// folder (or to content/). Whether the file is a brief in that language is checked once
/// every brief is loaded.
fn resolve_translations(
    raw: std::collections::BTreeMap<String, String>,
    file: &BriefFile,
    locator: &Locator,
    problems: &mut Problems,
) -> Vec<(String, PathBuf)> {
    let mut found = Vec::new();
    for (lang, target) in raw {
        let position = locator.locate_value(&[Step::Key("translations"), Step::Key(&lang)], &target);
        if !language_tags::LanguageTag::parse(&lang).is_ok_and(|t| t.is_valid()) {
            problems.error(Code::InvalidLang, position, format!("`translations` key {lang:?} is not a language tag"));
            continue;
        }
        let folder = file.file.parent().unwrap_or(file.content_dir);
        let candidates = [
            normalise_within(folder, Path::new(&target), file.content_dir),
            normalise_within(file.content_dir, Path::new(&target), file.content_dir),
        ];
        match candidates.into_iter().flatten().find(|path| path.is_file()) {
            Some(path) => found.push((lang, path)),
            None => {
                let d = problems.error(
                    Code::InvalidTranslation,
                    position,
                    format!("the {lang} translation {target:?} is not a file under content/"),
                );
                help(d, "give the path of the translated brief, relative to this one, e.g. en: ../ukraine-en.md");
            }
        }
    }
    found
}

/// Trims the entries of a list of names, refusing empty ones and dropping repeats.
/// `type:`: one of the types of work, news when not given.
fn resolve_kind(kind: Option<String>, locator: &Locator, problems: &mut Problems) -> WorkType {
    let Some(written) = kind else { return WorkType::default() };
    match WorkType::from_name(written.trim()) {
        Some(kind) => kind,
        None => {
            let names = WorkType::ALL.map(WorkType::name);
            let d = problems.error(
                Code::UnknownType,
                locator.locate_value(&[Step::Key("type")], &written),
                format!("`type` {written:?} is not a type of work"),
            );
            let nearest = crate::suggest::nearest(&written, names, 1);
            match nearest.first() {
                Some(name) => help(d, format!("did you mean `{name}`? (one of {})", names.join(", "))),
                None => help(d, format!("one of {}", names.join(", "))),
            }
            WorkType::default()
        }
    }
}

/// `corrections:`: each dated (on or after the brief's `date`), with text, of a known kind.
fn resolve_corrections(
    raw: Vec<RawCorrection>,
    published: Option<BriefDate>,
    locator: &Locator,
    problems: &mut Problems,
) -> Vec<Correction> {
    let mut corrections = Vec::new();
    for (index, raw) in raw.into_iter().enumerate() {
        let at = |key: &'static str| [Step::Key("corrections"), Step::Item(index), Step::Key(key)];
        let item = [Step::Key("corrections"), Step::Item(index)];
        let RawCorrection { date, text, kind } = raw;
        let date = match date {
            Some(written) => match BriefDate::read(&written) {
                Ok(date) => Some(date),
                Err(reason) => {
                    problems.error(
                        Code::InvalidDate,
                        locator.locate_value(&at("date"), &written),
                        format!("correction date {reason}"),
                    );
                    None
                }
            },
            None => {
                let d = problems.error(
                    Code::MissingKey,
                    locator.locate(&item),
                    format!("correction {} has no `date`", index + 1),
                );
                help(d, "say when it was corrected, e.g. date: 2022-03-05");
                None
            }
        };
        if let (Some(date), Some(published)) = (date, published)
            && date.datetime < published.datetime
        {
            let d = problems.error(
                Code::InvalidDate,
                locator.locate(&at("date")),
                format!(
                    "correction {} is dated {}, before the brief was published ({})",
                    index + 1,
                    date.iso(),
                    published.iso()
                ),
            );
            help(d, "a correction follows publication");
        }
        let text = optional_text(text);
        if text.is_none() {
            let d = problems.error(
                Code::MissingKey,
                locator.locate(&item),
                format!("correction {} has no `text`", index + 1),
            );
            help(d, "say what was wrong and what is right");
        }
        let kind = match kind.as_deref().map(str::trim) {
            None => CorrectionKind::default(),
            Some(written) => match CorrectionKind::ALL.into_iter().find(|k| k.name() == written) {
                Some(kind) => kind,
                None => {
                    let names = CorrectionKind::ALL.map(CorrectionKind::name);
                    let d = problems.error(
                        Code::UnknownType,
                        locator.locate_value(&at("kind"), written),
                        format!("correction `kind` {written:?} is not one of {}", names.join(", ")),
                    );
                    if let Some(name) = crate::suggest::nearest(written, names, 1).first() {
                        help(d, format!("did you mean `{name}`?"));
                    }
                    CorrectionKind::default()
                }
            },
        };
        if let (Some(date), Some(text)) = (date, text) {
            corrections.push(Correction { date, text, kind });
        }
    }
    corrections
}

/// The longest title, in characters: a headline is rarely over 150.
pub const MAX_TITLE: usize = 1_000;
/// The longest summary, in characters.
pub const MAX_SUMMARY: usize = 5_000;
/// The longest name (a tag, an author, an outlet) or slug, in characters; its address
/// (slug) is also kept under this many bytes, since each is a folder name and file
/// systems refuse names over 255 bytes.
pub const MAX_NAME: usize = 200;

/// A `too-long` error when `value` has more than `max` characters.
fn check_length(value: &str, key: &str, max: usize, path: &[Step], locator: &Locator, problems: &mut Problems) {
    let length = value.chars().count();
    if length > max {
        let d = problems.error(
            Code::TooLong,
            locator.locate(path),
            format!("`{key}` is {length} characters long: at most {max} are published"),
        );
        help(d, "shorten it; long text belongs in the body");
    }
}

/// The entries of a list of names (tags, authors), trimmed and without repeats. Each
/// becomes an address (`/tags/{slug}/`), so a name whose slug is empty or too long is an
/// error.
fn clean_list(list: Option<Vec<String>>, key: &str, locator: &Locator, problems: &mut Problems) -> Vec<String> {
    let mut clean: Vec<(String, String)> = Vec::new();
    for (index, item) in list.unwrap_or_default().into_iter().enumerate() {
        let item = item.split_whitespace().collect::<Vec<_>>().join(" ");
        let at = [Step::Key(key), Step::Item(index)];
        if item.is_empty() {
            problems.error(Code::EmptyValue, locator.locate(&at), format!("an entry of `{key}` is empty"));
            continue;
        }
        let slug = slugify(&item);
        check_name(&item, &slug, key, &at, locator, problems);
        if !clean.iter().any(|(_, known)| *known == slug) {
            clean.push((item, slug));
        }
    }
    clean.into_iter().map(|(item, _)| item).collect()
}

/// A name that becomes an address (`slug`): not too long, and with letters or digits to
/// make it.
fn check_name(name: &str, slug: &str, key: &str, at: &[Step], locator: &Locator, problems: &mut Problems) {
    if slug.is_empty() {
        let d = problems.error(
            Code::InvalidSlug,
            locator.locate(at),
            format!("`{key}` entry {name:?} has no letter or digit to make its address from"),
        );
        help(d, "name it with words");
    } else if name.chars().count() > MAX_NAME || slug.len() > MAX_NAME {
        let d = problems.error(
            Code::TooLong,
            locator.locate(at),
            format!("`{key}` entry is {} characters long: at most {MAX_NAME} make an address", name.chars().count()),
        );
        help(d, "shorten it");
    }
}

fn resolve_sources(raw: Vec<RawSource>, locator: &Locator, problems: &mut Problems) -> Vec<Source> {
    if raw.is_empty() {
        let d = problems.warning(Code::NoSources, locator.opening(), "the brief cites no source");
        help(d, "add a `sources` list saying who reported it");
    }
    let mut sources: Vec<Source> = Vec::new();
    for (index, raw) in raw.into_iter().enumerate() {
        let item = [Step::Key("sources"), Step::Item(index)];
        let at = |key: &'static str| [item[0], item[1], Step::Key(key)];
        let RawSource { name, url, title, date, archive_url } = raw;
        let name = match (name.is_some(), optional_text(name)) {
            (_, Some(name)) => Some(name),
            (true, None) => {
                let d = problems.error(
                    Code::EmptyValue,
                    locator.locate(&at("name")),
                    format!("source {} has an empty `name`", index + 1),
                );
                help(d, "say who reported it, e.g. name: Reuters");
                None
            }
            (false, None) => {
                let d = problems.error(
                    Code::MissingKey,
                    locator.locate(&item),
                    format!("source {} has no `name`", index + 1),
                );
                help(d, "say who reported it, e.g. name: Reuters");
                None
            }
        };
        let url_given = url.as_deref().is_some_and(|u| !u.trim().is_empty());
        let url = checked_url(url, &at("url"), "url", locator, problems);
        let archive_url = checked_url(archive_url, &at("archive_url"), "archive_url", locator, problems);
        let date = date.and_then(|d| match BriefDate::read(&d) {
            Ok(date) => Some(date),
            Err(reason) => {
                problems.error(
                    Code::InvalidDate,
                    locator.locate_value(&at("date"), &d),
                    format!("source date {reason}"),
                );
                None
            }
        });
        let Some(name) = name else { continue };
        check_name(&name, &slugify(&name), "sources", &at("name"), locator, problems);
        if !url_given {
            let d = problems.warning(
                Code::NoSourceUrl,
                locator.locate(&at("name")),
                format!("source {name:?} has no `url`"),
            );
            help(d, "link to the report so that readers can check it");
        }
        let source = Source { name, url, title: optional_text(title), date, archive_url };
        let same = |other: &Source| match (&other.url, &source.url) {
            (Some(a), Some(b)) => a == b,
            (None, None) => other.name.to_lowercase() == source.name.to_lowercase(),
            _ => false,
        };
        if sources.iter().any(same) {
            let d = problems.error(
                Code::DuplicateSource,
                locator.locate(&item),
                format!("source {:?} is listed twice", source.name),
            );
            help(d, "remove one of the two entries");
            continue;
        }
        sources.push(source);
    }
    sources
}
