//! The author registry: `authors.yaml` at the site's root gives the names that bylines use
//! a page address of their own (`url`), a biography (one, or one per language), links to
//! the same person elsewhere (`same_as`: Wikidata, ORCID, Mastodon…) and a photo credited
//! like a lead image. Optional: without it, every author still gets a page.

use std::collections::BTreeMap;
use std::path::Path;

use super::files::{BriefFile, RealFolders};
use super::front_matter::{self, Document, RawAuthor, RawBio, RawRegistry};
use super::image::Alt;
use super::located::{Problems, checked_url, help};
use super::locator::{Locator, Step};
use super::{ImageCredit, ImageSrc, slugify};
use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic};
use crate::site_files::{CONTENT_DIR, STATIC_DIR};

/// The registry's file, at the site's root.
pub const AUTHORS_FILE: &str = "authors.yaml";

/// The largest authors.yaml read: room for thousands of people.
const MAX_REGISTRY: usize = 4 * 1024 * 1024;

/// Everything the registry says of one person.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthorProfile {
    /// As the registry spells it: the spelling bylines are checked against.
    pub name: String,
    pub slug: String,
    /// The line of the name in authors.yaml, for diagnostics.
    pub line: usize,
    /// Their own site.
    pub url: Option<String>,
    /// By language tag; the key "" holds a biography given in no particular language.
    pub bio: BTreeMap<String, String>,
    pub same_as: Vec<String>,
    /// Published from static/ or linked from elsewhere, never from content/.
    pub photo: Option<ImageCredit>,
}

impl AuthorProfile {
    /// The biography for a page in `lang`: written in that language, else in its primary
    /// language (`fr` for `fr-CA`), else in no language in particular, else in
    /// `fallback` (the site's language), else the first given.
    pub fn bio_for(&self, lang: &str, fallback: &str) -> Option<&str> {
        let primary = |tag: &str| tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
        let find = |wanted: &str| {
            self.bio.iter().find(|(tag, _)| tag.eq_ignore_ascii_case(wanted)).map(|(_, text)| text.as_str())
        };
        find(lang)
            .or_else(|| self.bio.iter().find(|(tag, _)| primary(tag) == primary(lang)).map(|(_, t)| t.as_str()))
            .or_else(|| find(""))
            .or_else(|| find(fallback))
            .or_else(|| self.bio.values().next().map(String::as_str))
    }
}

/// The people of authors.yaml, sorted by slug.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuthorRegistry {
    profiles: Vec<AuthorProfile>,
}

impl AuthorRegistry {
    pub fn profiles(&self) -> &[AuthorProfile] {
        &self.profiles
    }

    pub fn is_empty(&self) -> bool {
        self.profiles.is_empty()
    }

    /// The person whose name has this slug.
    pub fn by_slug(&self, slug: &str) -> Option<&AuthorProfile> {
        self.profiles.binary_search_by(|p| p.slug.as_str().cmp(slug)).ok().map(|at| &self.profiles[at])
    }

    /// The person a byline names, by the name's slug ("Élise Roy" and "Elise Roy" are one).
    pub fn by_name(&self, name: &str) -> Option<&AuthorProfile> {
        self.by_slug(&slugify(name))
    }
}

/// Reads authors.yaml's bytes, `None` when the site has none.
pub fn read(root: &Path) -> std::io::Result<Option<Vec<u8>>> {
    match std::fs::read(root.join(AUTHORS_FILE)) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error),
    }
}

/// The registry written `bytes` (authors.yaml as read by [`read`]), with every problem
/// found in it, placed at its line. A person with errors is left out; the rest are kept.
pub fn parse(root: &Path, bytes: &[u8], config: &Config) -> (AuthorRegistry, Vec<Diagnostic>) {
    let display = Path::new(AUTHORS_FILE);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid = std::str::from_utf8(&bytes[..error.valid_up_to()]).unwrap_or_default();
            let position = crate::diagnostic::line_column(valid, valid.len());
            let found = Diagnostic::error(Code::NotUtf8, display, format!("{AUTHORS_FILE} is not valid UTF-8"));
            return (AuthorRegistry::default(), vec![found.at(Some(position))]);
        }
    };
    let text = crate::site_files::normalise_text(text);
    let document = Document { yaml: &text, opening_line: 0, body: "" };
    let raw: RawRegistry = match front_matter::read_yaml(
        &document,
        MAX_REGISTRY,
        AUTHORS_FILE,
        "split the biographies' text: a registry holds short profiles",
    ) {
        Ok(raw) => raw,
        Err(error) => {
            let mut found = Diagnostic::error(error.code, display, error.message).at(error.position);
            found.help = error.help.or_else(|| {
                Some("authors.yaml maps each name to its profile: `Jeanne Dupont: {url: …, bio: …}`".into())
            });
            return (AuthorRegistry::default(), vec![found]);
        }
    };
    let content_dir = root.join(CONTENT_DIR);
    let static_dir = root.join(STATIC_DIR);
    let real_content_dir = content_dir.canonicalize().ok();
    let real_static_dir = static_dir.canonicalize().ok();
    let real_folders = RealFolders::default();
    let file = BriefFile {
        display,
        file: &root.join(AUTHORS_FILE),
        content_dir: &content_dir,
        static_dir: &static_dir,
        real_content_dir: real_content_dir.as_deref(),
        real_static_dir: real_static_dir.as_deref(),
        real_folders: &real_folders,
        config,
    };
    let locator = Locator::new(&document);
    let mut problems = Problems { path: display, found: Vec::new() };
    let mut profiles: Vec<AuthorProfile> = Vec::new();
    for (name, raw) in raw.0 {
        let errors_before = problems.found.len();
        if let Some(profile) = resolve_profile(name, raw.unwrap_or_default(), &file, &locator, &mut problems) {
            let has_errors = problems.found[errors_before..].iter().any(Diagnostic::is_error);
            if !has_errors {
                profiles.push(profile);
            }
        }
    }
    profiles.sort_by(|a, b| a.slug.cmp(&b.slug));
    for pair in profiles.windows(2) {
        if pair[0].slug == pair[1].slug {
            let d = problems.error(
                Code::DuplicateAuthor,
                (pair[1].line, 1),
                format!(
                    "{:?} and {:?} are one name to bylines (both are /authors/{}/)",
                    pair[0].name, pair[1].name, pair[1].slug
                ),
            );
            help(d, "keep one of the two entries");
        }
    }
    profiles.dedup_by(|a, b| a.slug == b.slug);
    (AuthorRegistry { profiles }, problems.found)
}

fn resolve_profile(
    name: String,
    raw: RawAuthor,
    file: &BriefFile,
    locator: &Locator,
    problems: &mut Problems,
) -> Option<AuthorProfile> {
    let key = [Step::Key(name.as_str())];
    let line = locator.locate(&key).0.max(1);
    let trimmed = name.trim();
    let slug = slugify(trimmed);
    if slug.is_empty() {
        let d = problems.error(Code::EmptyValue, (line, 1), format!("{name:?} is not a name"));
        help(d, "write the name as bylines write it");
        return None;
    }
    let RawAuthor { url, bio, same_as, photo } = raw;
    let at = |field: &'static str| [key[0], Step::Key(field)];
    let url = checked_url(url, &at("url"), "url", locator, problems);
    let bio = match bio {
        None => BTreeMap::new(),
        Some(RawBio::One(text)) => BTreeMap::from([(String::new(), text.trim().to_string())]),
        Some(RawBio::PerLanguage(texts)) => {
            texts.into_iter().map(|(lang, text)| (lang.trim().to_string(), text.trim().to_string())).collect()
        }
    };
    let same_as = same_as
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .filter_map(|(index, link)| {
            let path = [key[0], Step::Key("same_as"), Step::Item(index)];
            checked_url(Some(link), &path, "same_as", locator, problems)
        })
        .collect();
    let photo = photo.and_then(|raw| {
        let prefix = [key[0], Step::Key("photo")];
        let photo = super::image::resolve(raw, &prefix, Alt::Required, (file, locator), problems)?;
        if let ImageSrc::Colocated { .. } = photo.src {
            let d = problems.error(
                Code::ImageSrc,
                locator.locate(&[key[0], Step::Key("photo"), Step::Key("src")]),
                format!("{}'s photo is under content/, where nothing but briefs' files is published", trimmed),
            );
            help(d, "put it under static/ and write its address from there, e.g. /img/authors/name.jpg");
            return None;
        }
        Some(photo)
    });
    Some(AuthorProfile { name: trimmed.to_string(), slug, line, url, bio, same_as, photo })
}
