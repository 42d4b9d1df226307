//! Reading what editors write ("CC BY-SA 3.0", "cc-by-sa-3.0", "by-sa/3.0/fr", a deed URL,
//! "Creative Commons Attribution - Partage dans les Mêmes Conditions 3.0 non transposé")
//! as one licence of the registry, or saying precisely why not.

use super::{ALL_VERSIONS, Elements, JURISDICTIONS, Kind, License, all, by_id};

/// A successful look-up: the licence, and whether the input was already its exact id
/// (when not, callers say which id the spelling was read as).
#[derive(Debug, Clone, Copy)]
pub struct Resolved {
    pub license: &'static License,
    pub exact: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    #[error("unknown licence `{input}`")]
    Unknown { input: String, suggestions: Vec<&'static str> },
    #[error("`{input}` is ambiguous: it does not say which version")]
    Ambiguous { input: String, candidates: Vec<&'static str> },
    #[error("`{input}` names Creative Commons but not which licence: \"Creative Commons\" alone is not a licence")]
    NotALicense { input: String },
}

impl LookupError {
    /// The ids worth suggesting to the editor.
    pub fn suggestions(&self) -> &[&'static str] {
        match self {
            LookupError::Unknown { suggestions, .. } => suggestions,
            LookupError::Ambiguous { candidates, .. } => candidates,
            LookupError::NotALicense { .. } => &[],
        }
    }
}

/// Resolves what an editor wrote to a licence of the registry. Accepts ids in any case,
/// short names ("CC BY-SA 3.0"), English and French full names, URL paths ("by-sa/3.0",
/// "by-sa/3.0/fr") and deed URLs, with or without a jurisdiction.
pub fn lookup(input: &str) -> Result<Resolved, LookupError> {
    let trimmed = input.trim();
    if let Some(license) = by_id(trimmed) {
        return Ok(Resolved { license, exact: true });
    }
    let words = normalise_words(trimmed);
    let tokens: Vec<&str> = words
        .split(|c: char| !(c.is_alphanumeric() || c == '.'))
        .map(|t| t.trim_matches('.'))
        .filter(|t| !t.is_empty())
        .collect();
    let unknown = || LookupError::Unknown { input: trimmed.to_string(), suggestions: suggest(trimmed) };

    let mut by = false;
    let mut elements = Elements { non_commercial: false, no_derivatives: false, share_alike: false };
    let mut version: Option<&'static str> = None;
    let mut special: Option<Kind> = None;
    let mut jurisdiction: Option<&'static str> = None;
    let mut names_cc = false;
    for token in &tokens {
        match *token {
            "cc" => names_cc = true,
            "by" => by = true,
            "sa" => elements.share_alike = true,
            "nc" => elements.non_commercial = true,
            "nd" => elements.no_derivatives = true,
            "cc0" | "zero" => special = Some(Kind::Cc0),
            "pdm" | "mark" => special = Some(Kind::PublicDomainMark),
            "publicdomain" => {}
            noise if is_noise_word(noise) => {}
            other => {
                if let Some(j) = JURISDICTIONS.iter().find(|j| j.code == other) {
                    if jurisdiction.is_some_and(|code| code != j.code) {
                        return Err(unknown());
                    }
                    jurisdiction = Some(j.code);
                    continue;
                }
                match normalise_version(other) {
                    Some(v) if version.is_none() || version == Some(v) => version = Some(v),
                    _ => return Err(unknown()),
                }
            }
        }
    }
    let any_element = by || elements.share_alike || elements.non_commercial || elements.no_derivatives;
    if let Some(kind) = special {
        if any_element || jurisdiction.is_some() || version.is_some_and(|v| v != "1.0") {
            return Err(unknown());
        }
        let license = all().iter().find(|l| l.kind == kind).expect("the registry holds CC0 and the PDM");
        return Ok(Resolved { license, exact: false });
    }
    if !by {
        return Err(if names_cc && !any_element && version.is_none() && jurisdiction.is_none() {
            LookupError::NotALicense { input: trimmed.to_string() }
        } else {
            unknown()
        });
    }
    let kind = Kind::Attribution(elements);
    let matches = |l: &&License| l.kind == kind && l.jurisdiction == jurisdiction;
    match version {
        None => Err(LookupError::Ambiguous {
            input: trimmed.to_string(),
            candidates: all().iter().filter(matches).map(|l| l.id.as_str()).collect(),
        }),
        Some(version) => all()
            .iter()
            .filter(matches)
            .find(|l| l.version == version)
            .map(|license| Resolved { license, exact: false })
            .ok_or_else(|| match jurisdiction {
                // A port that does not exist in this version: offer the ones that do.
                Some(_) => LookupError::Unknown {
                    input: trimmed.to_string(),
                    suggestions: all().iter().filter(matches).map(|l| l.id.as_str()).collect(),
                },
                None => unknown(),
            }),
    }
}

/// Lower-cases and rewrites the English and French words of licence names to the short
/// codes (by, sa, nc, nd, cc0, pdm, jurisdiction codes) and drops phrases that carry no
/// information.
fn normalise_words(input: &str) -> String {
    let lowered = input.to_lowercase().replace('’', "'").replace(['\u{a0}', '\u{202f}'], " ");
    let mut s = format!(" {lowered} ");
    // Longest phrases first, so that "public domain mark" wins over "public domain".
    const REWRITES: [(&str, &str); 29] = [
        ("https://creativecommons.org/", " "),
        ("http://creativecommons.org/", " "),
        ("creativecommons.org/", " "),
        ("creative commons", " cc "),
        ("public domain mark", " pdm "),
        ("marque du domaine public", " pdm "),
        ("public domain dedication", " cc0 "),
        ("cc zero", " cc0 "),
        ("cc-zero", " cc0 "),
        ("partage dans les mêmes conditions", " sa "),
        ("partage dans les memes conditions", " sa "),
        ("pas d'utilisation commerciale", " nc "),
        ("pas de modification", " nd "),
        ("share-alike", " sa "),
        ("share alike", " sa "),
        ("sharealike", " sa "),
        ("non-commercial", " nc "),
        ("non commercial", " nc "),
        ("noncommercial", " nc "),
        ("no derivatives", " nd "),
        ("no-derivatives", " nd "),
        ("noderivatives", " nd "),
        ("no derivs", " nd "),
        ("noderivs", " nd "),
        ("attribution", " by "),
        ("by-nd-nc", " by nd nc "),
        ("paternité", " by "),
        ("legal code", " "),
        ("legalcode", " "),
    ];
    for (from, to) in REWRITES {
        s = s.replace(from, to);
    }
    const NOISE_PHRASES: [&str; 6] =
        ["non transposé", "non transpose", "non porté", "non porte", "non adapté", "non adapte"];
    for noise in NOISE_PHRASES {
        s = s.replace(noise, " ");
    }
    for (name, code) in JURISDICTION_NAMES.iter() {
        if s.contains(name.as_str()) {
            s = s.replace(name.as_str(), code);
        }
    }
    s
}

/// Jurisdiction names in English and French as ` name ` → ` code `, longest first
/// ("UK: England & Wales" before shorter names it contains).
static JURISDICTION_NAMES: std::sync::LazyLock<Vec<(String, String)>> = std::sync::LazyLock::new(|| {
    let mut names: Vec<(String, String)> = JURISDICTIONS
        .iter()
        .flat_map(|j| {
            [j.name_en, j.name_fr].map(|name| (format!(" {} ", name.to_lowercase()), format!(" {} ", j.code)))
        })
        .collect();
    names.sort_by_key(|(name, _)| std::cmp::Reverse(name.len()));
    names
});

/// Words that carry no information about which licence is meant.
fn is_noise_word(token: &str) -> bool {
    const NOISE: [&str; 15] = [
        "générique",
        "generique",
        "unported",
        "generic",
        "international",
        "universal",
        "universel",
        "licences",
        "licenses",
        "licence",
        "license",
        "licensed",
        "version",
        "the",
        "deed",
    ];
    NOISE.contains(&token) || token.starts_with("deed.")
}

fn normalise_version(token: &str) -> Option<&'static str> {
    let token = token.strip_prefix('v').unwrap_or(token);
    ALL_VERSIONS.iter().copied().find(|v| *v == token || v.strip_suffix(".0") == Some(token))
}

/// The known ids nearest to a spelling that could not be resolved.
pub fn suggest(input: &str) -> Vec<&'static str> {
    let ids = all().iter().map(|l| l.id.as_str());
    let mut found = crate::suggest::nearest(input, ids, 3);
    if found.is_empty() {
        let by_short: Vec<&'static str> =
            crate::suggest::nearest(input, all().iter().map(|l| l.short_name.as_str()), 3);
        found = by_short
            .into_iter()
            .filter_map(|short| all().iter().find(|l| l.short_name == short).map(|l| l.id.as_str()))
            .collect();
    }
    found
}
