//! Image credit sentences, as newsrooms write them in French and English:
//!
//! - "Featured image based on Flag of Ukraine by Wikimedia user UP9, used under the
//!   Creative Commons Attribution-ShareAlike 3.0 Unported License"
//! - "Image sélectionnée basée sur Tour Eiffel de nuit par l'utilisateur Flickr Jean
//!   Martin, utilisation autorisée par Creative Commons Attribution 2.0 Générique Licence"
//! - "Photo : Jean Martin / Wikimedia Commons, CC BY-SA 4.0"
//! - "Image: Le Monde diplomatique, CC0"

use crate::license::{self, License};

/// What a credit sentence says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Credit {
    pub title: Option<String>,
    pub author: Option<String>,
    /// The site the work was found on: Wikimedia Commons, Flickr…
    pub source: Option<String>,
    pub license: Option<&'static License>,
    /// The licence as written, kept when it names no known licence so that the build
    /// can say what is wrong with it.
    pub license_text: Option<String>,
    pub modified: bool,
}

impl Credit {
    /// Whether the line read as a credit: a licence, a title or a site, or at least an
    /// author that reads as a name ("Jean Martin", not "the photographer asked not to be
    /// named").
    pub fn says_something(&self) -> bool {
        let name_like = |author: &String| {
            author.split_whitespace().count() <= 5 && author.chars().next().is_some_and(|c| !c.is_lowercase())
        };
        self.license_text.is_some()
            || self.title.is_some()
            || self.source.is_some()
            || self.author.as_ref().is_some_and(name_like)
    }
}

/// Words that open a credit line, longest first, lower-case.
const OPENERS: &[&str] = &[
    "image sélectionnée",
    "image selectionnee",
    "image à la une",
    "image de une",
    "image d'illustration",
    "featured image",
    "lead image",
    "header image",
    "cover image",
    "image credit",
    "photo credit",
    "crédit photo",
    "crédits photo",
    "crédit image",
    "illustration",
    "crédits",
    "crédit",
    "credits",
    "credit",
    "picture",
    "image",
    "photo",
];

/// Phrases saying the image is an adaptation of the credited work.
const ADAPTED: &[&str] = &[
    "basée sur",
    "basé sur",
    "basee sur",
    "base sur",
    "adaptée de",
    "adapté de",
    "adaptée d'",
    "adapté d'",
    "d'après",
    "based on",
    "adapted from",
    "derived from",
    "modified from",
];

/// Phrases that introduce the licence, lower-case.
const LICENSE_LEADS: &[&str] = &[
    "utilisation autorisée par",
    "utilisée sous licence",
    "utilisé sous licence",
    "utilisée sous",
    "utilisé sous",
    "sous licence",
    "is licensed under",
    "licensed under",
    "used under",
    "licence :",
    "licence:",
    "license:",
    "under",
];

/// Sites that works are commonly found on, with the name a credit should give.
const SITES: &[(&str, &str)] = &[
    ("wikimedia commons", "Wikimedia Commons"),
    ("wikimedia", "Wikimedia Commons"),
    ("wikipedia", "Wikipedia"),
    ("flickr", "Flickr"),
    ("unsplash", "Unsplash"),
    ("pixabay", "Pixabay"),
    ("pexels", "Pexels"),
    ("openverse", "Openverse"),
];

fn normalise_quotes(text: &str) -> String {
    text.replace('’', "'").replace(['\u{a0}', '\u{202f}'], " ")
}

/// Finds `needle` (lower-case) in `text` case-insensitively; returns the byte range in
/// `text`. Works on text whose lower-casing keeps byte lengths for the needle's
/// characters, which holds for the Latin phrases used here.
fn find_ci(text: &str, needle: &str) -> Option<std::ops::Range<usize>> {
    search_ci(text, needle, |haystack, needle| haystack.find(needle))
}

/// Like [`find_ci`], the last occurrence.
fn find_ci_last(text: &str, needle: &str) -> Option<std::ops::Range<usize>> {
    search_ci(text, needle, |haystack, needle| haystack.rfind(needle))
}

fn search_ci(text: &str, needle: &str, search: impl Fn(&str, &str) -> Option<usize>) -> Option<std::ops::Range<usize>> {
    let lower = text.to_lowercase();
    // Rare: a character whose lower case has another length. Fall back to exact search.
    let haystack = if lower.len() == text.len() { lower.as_str() } else { text };
    search(haystack, needle).map(|i| i..i + needle.len())
}

/// Whether a line opens like an image credit ("Photo :", "Featured image based on…").
/// Returns the rest of the line after the opener and any colon.
pub fn credit_opening(line: &str) -> Option<String> {
    let line = normalise_quotes(line.trim());
    let lower = line.to_lowercase();
    for opener in OPENERS {
        if lower.starts_with(opener) && lower.len() == line.len() {
            let rest = &line[opener.len()..];
            // "Images of the day" is not a credit: the opener must end a word.
            if rest.chars().next().is_some_and(char::is_alphanumeric) {
                continue;
            }
            let rest = rest.trim_start().trim_start_matches([':', '-', '–', '—']).trim();
            if rest.is_empty() {
                return None;
            }
            return Some(rest.to_string());
        }
    }
    None
}

/// Splits "MAIN, used under LICENCE" into main and licence text.
fn split_license(rest: &str) -> (String, Option<String>) {
    let mut best: Option<std::ops::Range<usize>> = None;
    for lead in LICENSE_LEADS {
        if let Some(range) = find_ci(rest, &format!(" {lead} ")).or_else(|| find_ci(rest, &format!(",{lead} "))) {
            // The earliest lead wins; on a tie, the longest.
            if best.as_ref().is_none_or(|b| range.start < b.start) {
                best = Some(range);
            }
        }
    }
    if let Some(range) = best {
        let main = rest[..range.start].trim().trim_end_matches([',', ';']).trim().to_string();
        let license = rest[range.end..].trim().trim_end_matches('.').trim().to_string();
        return (main, Some(license));
    }
    // "Jean Martin / Wikimedia Commons, CC BY-SA 4.0": a last segment naming a licence.
    if let Some(comma) = rest.rfind([',', ';']) {
        let tail = rest[comma + 1..].trim().trim_end_matches('.').trim();
        if looks_like_license(tail) {
            return (rest[..comma].trim().to_string(), Some(tail.to_string()));
        }
    }
    (rest.trim().trim_end_matches('.').to_string(), None)
}

fn looks_like_license(text: &str) -> bool {
    let lower = text.to_lowercase();
    license::lookup(text).is_ok()
        || lower.starts_with("cc")
        || lower.contains("creative commons")
        || lower.contains("domaine public")
        || lower.contains("public domain")
}

/// Drops "the" and a trailing "License"/"Licence" around a licence name.
fn clean_license_text(text: &str) -> String {
    let mut text = text.trim().to_string();
    for article in ["the ", "la ", "le "] {
        if text.to_lowercase().starts_with(article) {
            text = text[article.len()..].to_string();
        }
    }
    text
}

fn strip_quotes(text: &str) -> String {
    text.trim()
        .trim_start_matches(['«', '“', '"', '‘', '\''])
        .trim_end_matches(['»', '”', '"', '’', '\''])
        .trim()
        .to_string()
}

fn canonical_site(name: &str) -> String {
    let lower = name.trim().to_lowercase();
    SITES.iter().find(|(key, _)| *key == lower).map_or_else(|| name.trim().to_string(), |(_, site)| site.to_string())
}

/// Reads "Wikimedia user UP9", "l'utilisateur Flickr Jean Martin", "Jean Martin /
/// Wikimedia Commons", "Jean Martin on Flickr", "Jean Martin (Flickr)" as author and site.
fn author_and_source(text: &str) -> (Option<String>, Option<String>) {
    let text = text.trim().trim_end_matches('.').trim();
    if text.is_empty() {
        return (None, None);
    }
    let lower = text.to_lowercase();
    // French: "l'utilisateur Flickr Jean Martin", "l'utilisatrice Wikimedia Commons Ann".
    for lead in ["l'utilisateur ", "l'utilisatrice ", "utilisateur ", "utilisatrice "] {
        if let Some(rest) = lower.strip_prefix(lead) {
            let rest_original = &text[text.len() - rest.len()..];
            for (key, site) in SITES {
                if rest.starts_with(&format!("{key} ")) {
                    return (Some(rest_original[key.len()..].trim().to_string()), Some(site.to_string()));
                }
            }
            return match rest_original.split_once(' ') {
                Some((site, author)) => (Some(author.trim().to_string()), Some(canonical_site(site))),
                None => (Some(rest_original.to_string()), None),
            };
        }
    }
    // English: "Wikimedia user UP9", "Flickr user Jean Martin".
    if let Some(range) = find_ci(text, " user ") {
        let site = &text[..range.start];
        let author = &text[range.end..];
        if !site.is_empty() && !author.trim().is_empty() {
            return (Some(author.trim().to_string()), Some(canonical_site(site)));
        }
    }
    // "Jean Martin / Wikimedia Commons".
    if let Some((author, site)) = text.rsplit_once(" / ").or_else(|| text.rsplit_once('/'))
        && !author.trim().is_empty()
        && !site.trim().is_empty()
        && !site.contains("://")
    {
        return (Some(author.trim().to_string()), Some(canonical_site(site)));
    }
    // "Jean Martin (Flickr)".
    if let (Some(open), true) = (text.rfind(" ("), text.ends_with(')')) {
        let site = &text[open + 2..text.len() - 1];
        return (Some(text[..open].trim().to_string()), Some(canonical_site(site)));
    }
    // "Jean Martin on Flickr", "Jean Martin via Wikimedia Commons", "Jean Martin sur Flickr".
    for joint in [" on ", " via ", " sur ", " from ", " de "] {
        if let Some(range) = find_ci(text, joint) {
            let site = &text[range.end..];
            if SITES.iter().any(|(key, _)| site.trim().to_lowercase() == *key) {
                return (Some(text[..range.start].trim().to_string()), Some(canonical_site(site)));
            }
        }
    }
    (Some(text.to_string()), None)
}

/// Parses the part of a credit line after its opener ("Photo :", "Featured image").
pub fn parse(rest: &str) -> Credit {
    let rest = normalise_quotes(rest);
    let (main, license_text) = split_license(&rest);
    let mut credit = Credit::default();
    if let Some(text) = license_text.map(|t| clean_license_text(&t)).filter(|t| !t.is_empty()) {
        credit.license = license::lookup(&text).ok().map(|r| r.license);
        credit.license_text = Some(text);
    }
    let mut main = main.trim().to_string();
    let lower = main.to_lowercase();
    if let Some(lead) = ADAPTED.iter().find(|lead| lower.starts_with(*lead)) {
        credit.modified = true;
        main = main[lead.len()..].trim().to_string();
    }
    // "TITLE by AUTHOR" / "TITLE par AUTHOR": the last " by " splits, since titles rarely
    // end in one and author parts rarely hold one.
    let split = [" by ", " par "].iter().filter_map(|joint| find_ci_last(&main, joint)).max_by_key(|r| r.start);
    let (title, author_part) = match split {
        Some(range) => (Some(strip_quotes(&main[..range.start])), main[range.end..].to_string()),
        None if credit.modified => (Some(strip_quotes(&main)), String::new()),
        None => (None, main.clone()),
    };
    credit.title = title.filter(|t| !t.is_empty());
    let (author, source) = author_and_source(&author_part);
    credit.author = author.filter(|a| !a.is_empty());
    credit.source = source.filter(|s| !s.is_empty());
    credit
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credit(line: &str) -> Credit {
        parse(&credit_opening(line).unwrap_or_else(|| panic!("not a credit: {line}")))
    }

    #[test]
    fn french_flickr_adaptation() {
        let c = credit(
            "Image sélectionnée basée sur Tour Eiffel de nuit par l'utilisateur Flickr Jean Martin, utilisation autorisée par Creative Commons Attribution 2.0 Générique Licence",
        );
        assert_eq!(c.title.as_deref(), Some("Tour Eiffel de nuit"));
        assert_eq!(c.author.as_deref(), Some("Jean Martin"));
        assert_eq!(c.source.as_deref(), Some("Flickr"));
        assert_eq!(c.license.map(|l| l.id.as_str()), Some("CC-BY-2.0"));
        assert!(c.modified);
    }

    #[test]
    fn english_wikimedia_adaptation() {
        let c = credit(
            "Featured image based on Flag of Ukraine by Wikimedia user UP9, used under the Creative Commons Attribution-ShareAlike 3.0 Unported License",
        );
        assert_eq!(c.title.as_deref(), Some("Flag of Ukraine"));
        assert_eq!(c.author.as_deref(), Some("UP9"));
        assert_eq!(c.source.as_deref(), Some("Wikimedia Commons"));
        assert_eq!(c.license.map(|l| l.id.as_str()), Some("CC-BY-SA-3.0"));
        assert!(c.modified);
    }

    #[test]
    fn short_forms() {
        let c = credit("Photo : Jean Martin / Wikimedia Commons, CC BY-SA 4.0");
        assert_eq!(
            (c.title, c.author.as_deref(), c.source.as_deref()),
            (None, Some("Jean Martin"), Some("Wikimedia Commons"))
        );
        assert_eq!(c.license.map(|l| l.id.as_str()), Some("CC-BY-SA-4.0"));
        assert!(!c.modified);
        let c = credit("Image: Le Monde diplomatique, CC0");
        assert_eq!(c.author.as_deref(), Some("Le Monde diplomatique"));
        assert_eq!(c.license.map(|l| l.id.as_str()), Some("CC0-1.0"));
    }

    #[test]
    fn non_credits() {
        assert!(credit_opening("Images of the war reached Paris on Monday.").is_none());
        assert!(credit_opening("Photographers gathered.").is_none());
        assert!(credit_opening("Photo:").is_none());
    }

    #[test]
    fn unknown_licences_are_kept_as_written() {
        let c = credit("Photo: Ann Lee, CC BY-SA 3.1");
        assert_eq!(c.license, None);
        assert_eq!(c.license_text.as_deref(), Some("CC BY-SA 3.1"));
    }
}
