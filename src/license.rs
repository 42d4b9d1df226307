//! The licence registry: every Creative Commons licence we know, with its SPDX id, names in
//! English and French and deed URL, and the one parser that turns what editors write
//! ("CC BY-SA 3.0", "cc-by-sa-3.0", "by-sa/3.0", a deed URL…) into a registry entry.
//! Licence facts live here and nowhere else.

use std::sync::LazyLock;

/// The elements a Creative Commons licence adds to attribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Elements {
    pub non_commercial: bool,
    pub no_derivatives: bool,
    pub share_alike: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// An attribution licence (BY and its variants).
    Attribution(Elements),
    /// CC0 1.0: a public-domain dedication.
    Cc0,
    /// The Public Domain Mark 1.0: a label for works already in the public domain.
    PublicDomainMark,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct License {
    /// The SPDX identifier, e.g. `CC-BY-SA-3.0`.
    pub id: String,
    /// The short name used in credits, e.g. `CC BY-SA 3.0`.
    pub short_name: String,
    pub version: &'static str,
    pub kind: Kind,
    pub name_en: String,
    pub name_fr: String,
    /// The canonical deed, e.g. `https://creativecommons.org/licenses/by-sa/3.0/`.
    pub deed_url: String,
}

impl License {
    /// The full name in the given language (French for any `fr` tag, English otherwise).
    pub fn name(&self, lang: &str) -> &str {
        if is_french(lang) {
            &self.name_fr
        } else {
            &self.name_en
        }
    }

    pub fn requires_attribution(&self) -> bool {
        matches!(self.kind, Kind::Attribution(_))
    }

    pub fn elements(&self) -> Option<Elements> {
        match self.kind {
            Kind::Attribution(elements) => Some(elements),
            _ => None,
        }
    }
}

pub fn is_french(lang: &str) -> bool {
    lang.eq_ignore_ascii_case("fr") || lang.to_ascii_lowercase().starts_with("fr-")
}

const VERSIONS: [&str; 5] = ["1.0", "2.0", "2.5", "3.0", "4.0"];

/// (url code, non-commercial, no-derivatives, share-alike) in the order CC lists them.
const VARIANTS: [(&str, bool, bool, bool); 6] = [
    ("by", false, false, false),
    ("by-sa", false, false, true),
    ("by-nd", false, true, false),
    ("by-nc", true, false, false),
    ("by-nc-sa", true, false, true),
    ("by-nc-nd", true, true, false),
];

static REGISTRY: LazyLock<Vec<License>> = LazyLock::new(build_registry);

/// Every licence in the registry, attribution licences first by variant then version,
/// then CC0 and the Public Domain Mark.
pub fn all() -> &'static [License] {
    &REGISTRY
}

/// The registry entry with exactly this SPDX id.
pub fn by_id(id: &str) -> Option<&'static License> {
    all().iter().find(|l| l.id == id)
}

fn build_registry() -> Vec<License> {
    let mut licenses = Vec::new();
    for (code, non_commercial, no_derivatives, share_alike) in VARIANTS {
        for version in VERSIONS {
            let elements = Elements {
                non_commercial,
                no_derivatives,
                share_alike,
            };
            let upper = code.to_uppercase();
            // NC-ND 1.0 is the one licence whose deed path orders the elements differently.
            let path = if code == "by-nc-nd" && version == "1.0" {
                "by-nd-nc"
            } else {
                code
            };
            licenses.push(License {
                id: format!("CC-{upper}-{version}"),
                short_name: format!("CC {upper} {version}"),
                version,
                kind: Kind::Attribution(elements),
                name_en: format!(
                    "Creative Commons {} {version} {}",
                    english_elements(elements, version),
                    english_suffix(version)
                ),
                name_fr: format!(
                    "Creative Commons {} {version} {}",
                    french_elements(elements),
                    french_suffix(version)
                ),
                deed_url: format!("https://creativecommons.org/licenses/{path}/{version}/"),
            });
        }
    }
    licenses.push(License {
        id: "CC0-1.0".into(),
        short_name: "CC0 1.0".into(),
        version: "1.0",
        kind: Kind::Cc0,
        name_en: "CC0 1.0 Universal".into(),
        name_fr: "CC0 1.0 Universel".into(),
        deed_url: "https://creativecommons.org/publicdomain/zero/1.0/".into(),
    });
    licenses.push(License {
        id: "CC-PDM-1.0".into(),
        short_name: "Public Domain Mark 1.0".into(),
        version: "1.0",
        kind: Kind::PublicDomainMark,
        name_en: "Public Domain Mark 1.0".into(),
        name_fr: "Marque du domaine public 1.0".into(),
        deed_url: "https://creativecommons.org/publicdomain/mark/1.0/".into(),
    });
    licenses
}

fn english_elements(e: Elements, version: &str) -> String {
    // CC renamed "NoDerivs" to "NoDerivatives" in 4.0; 1.0 named NC-ND "NoDerivs-NonCommercial".
    let nd = if version == "4.0" {
        "NoDerivatives"
    } else {
        "NoDerivs"
    };
    match (e.non_commercial, e.no_derivatives, e.share_alike) {
        (false, false, false) => "Attribution".into(),
        (false, false, true) => "Attribution-ShareAlike".into(),
        (false, true, _) => format!("Attribution-{nd}"),
        (true, false, false) => "Attribution-NonCommercial".into(),
        (true, false, true) => "Attribution-NonCommercial-ShareAlike".into(),
        (true, true, _) if version == "1.0" => "Attribution-NoDerivs-NonCommercial".into(),
        (true, true, _) => format!("Attribution-NonCommercial-{nd}"),
    }
}

fn french_elements(e: Elements) -> String {
    let mut name = String::from("Attribution");
    if e.non_commercial {
        name.push_str(" - Pas d'Utilisation Commerciale");
    }
    if e.no_derivatives {
        name.push_str(" - Pas de Modification");
    }
    if e.share_alike {
        name.push_str(" - Partage dans les Mêmes Conditions");
    }
    name
}

fn english_suffix(version: &str) -> &'static str {
    match version {
        "3.0" => "Unported",
        "4.0" => "International",
        _ => "Generic",
    }
}

fn french_suffix(version: &str) -> &'static str {
    match version {
        "3.0" => "non transposé",
        "4.0" => "International",
        _ => "Générique",
    }
}

/// A successful look-up: the licence, and whether the input was already its exact SPDX id
/// (when not, callers may say which id the spelling was normalised to).
#[derive(Debug, Clone, Copy)]
pub struct Resolved {
    pub license: &'static License,
    pub exact: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    #[error("unknown licence `{input}`")]
    Unknown {
        input: String,
        suggestions: Vec<&'static str>,
    },
    #[error("`{input}` is ambiguous: it does not say which version")]
    Ambiguous {
        input: String,
        candidates: Vec<&'static str>,
    },
    #[error(
        "`{input}` names Creative Commons but not which licence: \"Creative Commons\" alone is not a licence"
    )]
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

/// Resolves what an editor wrote to a licence of the registry. Accepts SPDX ids in any
/// case, short names ("CC BY-SA 3.0"), English and French full names, URL paths
/// ("by-sa/3.0") and deed URLs.
pub fn lookup(input: &str) -> Result<Resolved, LookupError> {
    let trimmed = input.trim();
    if let Some(license) = by_id(trimmed) {
        return Ok(Resolved {
            license,
            exact: true,
        });
    }
    let words = normalise_words(trimmed);
    let tokens: Vec<&str> = words
        .split(|c: char| !(c.is_alphanumeric() || c == '.'))
        .map(|t| t.trim_matches('.'))
        .filter(|t| !t.is_empty())
        .collect();
    let unknown = || LookupError::Unknown {
        input: trimmed.to_string(),
        suggestions: suggest(trimmed),
    };

    let mut by = false;
    let mut elements = Elements {
        non_commercial: false,
        no_derivatives: false,
        share_alike: false,
    };
    let mut version: Option<&'static str> = None;
    let mut special: Option<Kind> = None;
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
            other => match normalise_version(other) {
                Some(v) if version.is_none() || version == Some(v) => version = Some(v),
                _ => return Err(unknown()),
            },
        }
    }
    if let Some(kind) = special {
        if by || elements.share_alike || elements.non_commercial || elements.no_derivatives {
            return Err(unknown());
        }
        if version.is_some_and(|v| v != "1.0") {
            return Err(unknown());
        }
        let license = all()
            .iter()
            .find(|l| l.kind == kind)
            .expect("registry holds CC0 and PDM");
        return Ok(Resolved {
            license,
            exact: false,
        });
    }
    if !by {
        return Err(
            if names_cc
                && !elements.share_alike
                && !elements.non_commercial
                && !elements.no_derivatives
                && version.is_none()
            {
                LookupError::NotALicense {
                    input: trimmed.to_string(),
                }
            } else {
                unknown()
            },
        );
    }
    let kind = Kind::Attribution(elements);
    match version {
        None => Err(LookupError::Ambiguous {
            input: trimmed.to_string(),
            candidates: all()
                .iter()
                .filter(|l| l.kind == kind)
                .map(|l| l.id.as_str())
                .collect(),
        }),
        Some(version) => all()
            .iter()
            .find(|l| l.kind == kind && l.version == version)
            .map(|license| Resolved {
                license,
                exact: false,
            })
            .ok_or_else(unknown),
    }
}

/// Lower-cases and rewrites the English and French words of licence names to the
/// short codes (by, sa, nc, nd, cc0, pdm) and drops words that carry no information.
fn normalise_words(input: &str) -> String {
    let lowered = input
        .to_lowercase()
        .replace('’', "'")
        .replace(['\u{a0}', '\u{202f}'], " ");
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
    const NOISE_PHRASES: [&str; 6] = [
        "non transposé",
        "non transpose",
        "non porté",
        "non porte",
        "non adapté",
        "non adapte",
    ];
    for noise in NOISE_PHRASES {
        s = s.replace(noise, " ");
    }
    s
}

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
    VERSIONS
        .iter()
        .copied()
        .find(|v| *v == token || v.strip_suffix(".0") == Some(token))
}

/// The known ids nearest to a spelling we could not resolve.
pub fn suggest(input: &str) -> Vec<&'static str> {
    let ids = all().iter().map(|l| l.id.as_str());
    let mut found = crate::suggest::nearest(input, ids, 3);
    if found.is_empty() {
        let by_short: Vec<&'static str> =
            crate::suggest::nearest(input, all().iter().map(|l| l.short_name.as_str()), 3);
        found = by_short
            .into_iter()
            .filter_map(|short| {
                all()
                    .iter()
                    .find(|l| l.short_name == short)
                    .map(|l| l.id.as_str())
            })
            .collect();
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(input: &str) -> &'static str {
        lookup(input)
            .unwrap_or_else(|e| panic!("{input}: {e}"))
            .license
            .id
            .as_str()
    }

    #[test]
    fn registry_has_every_cc_licence() {
        // 6 variants × 5 versions + CC0 + PDM.
        assert_eq!(all().len(), 32);
        let sa3 = by_id("CC-BY-SA-3.0").unwrap();
        assert_eq!(sa3.short_name, "CC BY-SA 3.0");
        assert_eq!(
            sa3.name_en,
            "Creative Commons Attribution-ShareAlike 3.0 Unported"
        );
        assert_eq!(
            sa3.name_fr,
            "Creative Commons Attribution - Partage dans les Mêmes Conditions 3.0 non transposé"
        );
        assert_eq!(
            sa3.deed_url,
            "https://creativecommons.org/licenses/by-sa/3.0/"
        );
        assert_eq!(
            by_id("CC-BY-2.0").unwrap().name_fr,
            "Creative Commons Attribution 2.0 Générique"
        );
        assert_eq!(
            by_id("CC-BY-4.0").unwrap().name_en,
            "Creative Commons Attribution 4.0 International"
        );
        assert_eq!(
            by_id("CC-BY-ND-4.0").unwrap().name_en,
            "Creative Commons Attribution-NoDerivatives 4.0 International"
        );
        assert_eq!(
            by_id("CC-BY-ND-2.5").unwrap().name_en,
            "Creative Commons Attribution-NoDerivs 2.5 Generic"
        );
    }

    #[test]
    fn deed_urls_follow_creative_commons() {
        assert_eq!(
            by_id("CC-BY-NC-ND-1.0").unwrap().deed_url,
            "https://creativecommons.org/licenses/by-nd-nc/1.0/"
        );
        assert_eq!(
            by_id("CC-BY-NC-ND-2.0").unwrap().deed_url,
            "https://creativecommons.org/licenses/by-nc-nd/2.0/"
        );
        assert_eq!(
            by_id("CC0-1.0").unwrap().deed_url,
            "https://creativecommons.org/publicdomain/zero/1.0/"
        );
        assert_eq!(
            by_id("CC-PDM-1.0").unwrap().deed_url,
            "https://creativecommons.org/publicdomain/mark/1.0/"
        );
    }

    #[test]
    fn accepts_common_spellings() {
        assert!(lookup("CC-BY-SA-3.0").unwrap().exact);
        for spelling in [
            "CC BY-SA 3.0",
            "cc-by-sa-3.0",
            "by-sa/3.0",
            "CC-BY-SA 3.0 Unported",
            "Creative Commons Attribution-ShareAlike 3.0 Unported License",
            "Creative Commons Attribution - Partage dans les Mêmes Conditions 3.0 non transposé",
            "Creative Commons Attribution - Partage dans les Mêmes Conditions 3.0 non porté",
            "https://creativecommons.org/licenses/by-sa/3.0/",
            "https://creativecommons.org/licenses/by-sa/3.0/deed.fr",
            "CC BY SA 3",
        ] {
            assert_eq!(id(spelling), "CC-BY-SA-3.0", "{spelling}");
            assert!(!lookup(spelling).unwrap().exact);
        }
        assert_eq!(
            id("Creative Commons Attribution 2.0 Générique"),
            "CC-BY-2.0"
        );
        assert_eq!(id("CC0"), "CC0-1.0");
        assert_eq!(id("cc0-1.0"), "CC0-1.0");
        assert_eq!(id("Public Domain Mark 1.0"), "CC-PDM-1.0");
        assert_eq!(id("by-nd-nc/1.0"), "CC-BY-NC-ND-1.0");
        assert_eq!(id("CC BY-NC-ND 4.0"), "CC-BY-NC-ND-4.0");
        assert_eq!(
            id("Attribution - Pas d’Utilisation Commerciale 4.0 International"),
            "CC-BY-NC-4.0"
        );
    }

    #[test]
    fn refuses_what_is_not_one_licence() {
        assert!(matches!(
            lookup("CC BY-SA"),
            Err(LookupError::Ambiguous { .. })
        ));
        assert!(matches!(
            lookup("Creative Commons"),
            Err(LookupError::NotALicense { .. })
        ));
        assert!(matches!(
            lookup("GPL-3.0"),
            Err(LookupError::Unknown { .. })
        ));
        assert!(matches!(
            lookup("CC BY 5.0"),
            Err(LookupError::Unknown { .. })
        ));
        let err = lookup("CC-BY-SA-3.1").unwrap_err();
        assert!(
            err.suggestions().contains(&"CC-BY-SA-3.0"),
            "{:?}",
            err.suggestions()
        );
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn lookup_never_panics(input in "\\PC{0,60}") {
                let _ = lookup(&input);
            }

            #[test]
            fn every_name_of_every_licence_resolves_to_it(index in 0..32usize, lower in any::<bool>()) {
                let license = &all()[index];
                for spelling in [&license.id, &license.short_name, &license.name_en, &license.name_fr, &license.deed_url] {
                    let spelling = if lower { spelling.to_lowercase() } else { spelling.clone() };
                    let found = lookup(&spelling).map(|r| r.license.id.as_str());
                    prop_assert_eq!(found, Ok(license.id.as_str()), "{}", spelling);
                }
            }
        }
    }
}
