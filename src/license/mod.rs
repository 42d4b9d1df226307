//! The licence registry: every Creative Commons licence we know, with its id, names in
//! English and French and deed URL, and the one parser that turns what editors write
//! ("CC BY-SA 3.0", "cc-by-sa-3.0", "by-sa/3.0", a deed URL…) into a registry entry.
//! Licence facts live here and nowhere else.

mod jurisdictions;
mod lookup;

use std::sync::LazyLock;

pub use jurisdictions::{JURISDICTIONS, Jurisdiction};
pub use lookup::{LookupError, Resolved, lookup, suggest};

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
    /// The SPDX identifier (`CC-BY-SA-3.0`), or for ports SPDX does not list an id of
    /// the same shape (`CC-BY-SA-3.0-FR`).
    pub id: String,
    /// Whether `id` is in the SPDX licence list.
    pub spdx: bool,
    /// The short name used in credits, e.g. `CC BY-SA 3.0`.
    pub short_name: String,
    pub version: &'static str,
    pub kind: Kind,
    /// The jurisdiction of a ported licence (`fr` for CC BY-SA 3.0 France).
    pub jurisdiction: Option<&'static str>,
    pub name_en: String,
    pub name_fr: String,
    /// The canonical deed, e.g. `https://creativecommons.org/licenses/by-sa/3.0/`.
    pub deed_url: String,
}

/// A licence is its identifier: the registry holds each once.
impl std::hash::Hash for License {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}

impl License {
    /// The full name in the given language (French for any `fr` tag, English otherwise).
    pub fn name(&self, lang: &str) -> &str {
        if is_french(lang) { &self.name_fr } else { &self.name_en }
    }

    /// The deed in the reader's language where Creative Commons translates it (every
    /// deed has a French translation, `deed.fr`); the canonical deed otherwise.
    pub fn deed_url_for(&self, lang: &str) -> String {
        if is_french(lang) { format!("{}deed.fr", self.deed_url) } else { self.deed_url.clone() }
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

/// Versions of the international licences; 2.1 exists only as ports.
const VERSIONS: [&str; 5] = ["1.0", "2.0", "2.5", "3.0", "4.0"];
const ALL_VERSIONS: [&str; 6] = ["1.0", "2.0", "2.1", "2.5", "3.0", "4.0"];

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

/// Every licence in the registry: the international attribution licences by variant then
/// version, CC0 and the Public Domain Mark, then the ported licences.
pub fn all() -> &'static [License] {
    &REGISTRY
}

/// The international licences and public-domain tools, without ports.
pub fn international() -> impl Iterator<Item = &'static License> {
    all().iter().filter(|l| l.jurisdiction.is_none())
}

/// The registry entry with exactly this id.
pub fn by_id(id: &str) -> Option<&'static License> {
    all().iter().find(|l| l.id == id)
}

fn attribution(code: &str, elements: Elements, version: &'static str, port: Option<&'static Jurisdiction>) -> License {
    let upper = code.to_uppercase();
    // NC-ND 1.0 is the one licence whose deed path orders the elements differently.
    let path = if code == "by-nc-nd" && version == "1.0" { "by-nd-nc" } else { code };
    let (id, short_name, suffix_en, suffix_fr, deed_url) = match port {
        None => (
            format!("CC-{upper}-{version}"),
            format!("CC {upper} {version}"),
            english_suffix(version),
            french_suffix(version),
            format!("https://creativecommons.org/licenses/{path}/{version}/"),
        ),
        Some(j) => (
            format!("CC-{upper}-{version}-{}", j.code.to_uppercase()),
            format!("CC {upper} {version} {}", j.code.to_uppercase()),
            j.name_en,
            j.name_fr,
            format!("https://creativecommons.org/licenses/{path}/{version}/{}/", j.code),
        ),
    };
    License {
        spdx: port.is_none() || jurisdictions::SPDX_PORTS.contains(&id.as_str()),
        id,
        short_name,
        version,
        kind: Kind::Attribution(elements),
        jurisdiction: port.map(|j| j.code),
        name_en: format!("Creative Commons {} {version} {suffix_en}", english_elements(elements, version)),
        name_fr: format!("Creative Commons {} {version} {suffix_fr}", french_elements(elements)),
        deed_url,
    }
}

fn build_registry() -> Vec<License> {
    let mut licenses = Vec::new();
    let variants = VARIANTS.map(|(code, non_commercial, no_derivatives, share_alike)| {
        (code, Elements { non_commercial, no_derivatives, share_alike })
    });
    for (code, elements) in variants {
        for version in VERSIONS {
            licenses.push(attribution(code, elements, version, None));
        }
    }
    licenses.push(License {
        id: "CC0-1.0".into(),
        spdx: true,
        short_name: "CC0 1.0".into(),
        version: "1.0",
        kind: Kind::Cc0,
        jurisdiction: None,
        name_en: "CC0 1.0 Universal".into(),
        name_fr: "CC0 1.0 Universel".into(),
        deed_url: "https://creativecommons.org/publicdomain/zero/1.0/".into(),
    });
    licenses.push(License {
        id: "CC-PDM-1.0".into(),
        spdx: true,
        short_name: "Public Domain Mark 1.0".into(),
        version: "1.0",
        kind: Kind::PublicDomainMark,
        jurisdiction: None,
        name_en: "Public Domain Mark 1.0".into(),
        name_fr: "Marque du domaine public 1.0".into(),
        deed_url: "https://creativecommons.org/publicdomain/mark/1.0/".into(),
    });
    for jurisdiction in JURISDICTIONS {
        for (code, elements) in variants {
            for version in ALL_VERSIONS.iter().filter(|v| jurisdiction.versions.contains(v)) {
                licenses.push(attribution(code, elements, version, Some(jurisdiction)));
            }
        }
    }
    licenses
}

fn english_elements(e: Elements, version: &str) -> String {
    // CC renamed "NoDerivs" to "NoDerivatives" in 4.0; 1.0 named NC-ND "NoDerivs-NonCommercial".
    let nd = if version == "4.0" { "NoDerivatives" } else { "NoDerivs" };
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

#[cfg(test)]
mod tests {
    use super::*;

    fn id(input: &str) -> &'static str {
        lookup(input).unwrap_or_else(|e| panic!("{input}: {e}")).license.id.as_str()
    }

    #[test]
    fn registry_has_every_cc_licence() {
        // 6 variants × 5 versions + CC0 + PDM, then the ports.
        assert_eq!(international().count(), 32);
        let sa3 = by_id("CC-BY-SA-3.0").unwrap();
        assert_eq!(sa3.short_name, "CC BY-SA 3.0");
        assert_eq!(sa3.name_en, "Creative Commons Attribution-ShareAlike 3.0 Unported");
        assert_eq!(sa3.name_fr, "Creative Commons Attribution - Partage dans les Mêmes Conditions 3.0 non transposé");
        assert_eq!(sa3.deed_url, "https://creativecommons.org/licenses/by-sa/3.0/");
        assert_eq!(by_id("CC-BY-2.0").unwrap().name_fr, "Creative Commons Attribution 2.0 Générique");
        assert_eq!(by_id("CC-BY-4.0").unwrap().name_en, "Creative Commons Attribution 4.0 International");
        assert_eq!(
            by_id("CC-BY-ND-4.0").unwrap().name_en,
            "Creative Commons Attribution-NoDerivatives 4.0 International"
        );
        assert_eq!(by_id("CC-BY-ND-2.5").unwrap().name_en, "Creative Commons Attribution-NoDerivs 2.5 Generic");
    }

    #[test]
    fn deed_urls_follow_creative_commons() {
        assert_eq!(by_id("CC-BY-NC-ND-1.0").unwrap().deed_url, "https://creativecommons.org/licenses/by-nd-nc/1.0/");
        assert_eq!(by_id("CC-BY-NC-ND-2.0").unwrap().deed_url, "https://creativecommons.org/licenses/by-nc-nd/2.0/");
        assert_eq!(by_id("CC0-1.0").unwrap().deed_url, "https://creativecommons.org/publicdomain/zero/1.0/");
        assert_eq!(by_id("CC-PDM-1.0").unwrap().deed_url, "https://creativecommons.org/publicdomain/mark/1.0/");
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
        assert_eq!(id("Creative Commons Attribution 2.0 Générique"), "CC-BY-2.0");
        assert_eq!(id("CC0"), "CC0-1.0");
        assert_eq!(id("cc0-1.0"), "CC0-1.0");
        assert_eq!(id("Public Domain Mark 1.0"), "CC-PDM-1.0");
        assert_eq!(id("by-nd-nc/1.0"), "CC-BY-NC-ND-1.0");
        assert_eq!(id("CC BY-NC-ND 4.0"), "CC-BY-NC-ND-4.0");
        assert_eq!(id("Attribution - Pas d’Utilisation Commerciale 4.0 International"), "CC-BY-NC-4.0");
    }

    #[test]
    fn refuses_what_is_not_one_licence() {
        assert!(matches!(lookup("CC BY-SA"), Err(LookupError::Ambiguous { .. })));
        assert!(matches!(lookup("Creative Commons"), Err(LookupError::NotALicense { .. })));
        assert!(matches!(lookup("GPL-3.0"), Err(LookupError::Unknown { .. })));
        assert!(matches!(lookup("CC BY 5.0"), Err(LookupError::Unknown { .. })));
        let err = lookup("CC-BY-SA-3.1").unwrap_err();
        assert!(err.suggestions().contains(&"CC-BY-SA-3.0"), "{:?}", err.suggestions());
    }

    #[test]
    fn ports_have_their_deed_name_and_id() {
        let fr = by_id("CC-BY-SA-3.0-FR").unwrap();
        assert!(!fr.spdx, "SPDX has no CC-BY-SA-3.0-FR");
        assert_eq!(fr.deed_url, "https://creativecommons.org/licenses/by-sa/3.0/fr/");
        assert_eq!(fr.name_en, "Creative Commons Attribution-ShareAlike 3.0 France");
        assert_eq!(fr.name_fr, "Creative Commons Attribution - Partage dans les Mêmes Conditions 3.0 France");
        assert_eq!(fr.short_name, "CC BY-SA 3.0 FR");
        assert!(by_id("CC-BY-SA-3.0-DE").unwrap().spdx);
        assert!(by_id("CC-BY-NC-SA-2.0-FR").unwrap().spdx);
        assert!(by_id("CC-BY-SA-2.1-JP").unwrap().spdx);
        assert_eq!(
            by_id("CC-BY-NC-ND-1.0-FI").unwrap().deed_url,
            "https://creativecommons.org/licenses/by-nd-nc/1.0/fi/"
        );
        assert!(by_id("CC-BY-SA-4.0-FR").is_none(), "4.0 has no ports");
        assert!(by_id("CC-BY-SA-2.5-FR").is_none(), "France has 2.0 and 3.0 only");
        for id in super::jurisdictions::SPDX_PORTS {
            assert!(by_id(id).is_some_and(|l| l.spdx), "{id}");
        }
    }

    #[test]
    fn ports_are_read_from_common_spellings() {
        for spelling in [
            "CC BY-SA 3.0 FR",
            "cc-by-sa-3.0-fr",
            "by-sa/3.0/fr",
            "CC BY-SA 3.0 France",
            "https://creativecommons.org/licenses/by-sa/3.0/fr/deed.fr",
            "Creative Commons Attribution - Partage dans les Mêmes Conditions 3.0 France",
        ] {
            assert_eq!(id(spelling), "CC-BY-SA-3.0-FR", "{spelling}");
        }
        assert_eq!(id("CC BY 3.0 United States"), "CC-BY-3.0-US");
        assert_eq!(id("CC BY-NC-SA 2.0 UK: England & Wales"), "CC-BY-NC-SA-2.0-UK");
        let missing = lookup("CC BY-SA 2.5 FR").unwrap_err();
        assert_eq!(missing.suggestions(), ["CC-BY-SA-2.0-FR", "CC-BY-SA-3.0-FR"]);
        assert!(lookup("CC BY-SA 4.0 FR").is_err());
    }

    #[test]
    fn deeds_are_localised_for_french() {
        let sa3 = by_id("CC-BY-SA-3.0").unwrap();
        assert_eq!(sa3.deed_url_for("fr"), "https://creativecommons.org/licenses/by-sa/3.0/deed.fr");
        assert_eq!(sa3.deed_url_for("fr-CA"), "https://creativecommons.org/licenses/by-sa/3.0/deed.fr");
        assert_eq!(sa3.deed_url_for("en"), sa3.deed_url);
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
            fn every_name_of_every_licence_resolves_to_it(index in 0..all().len(), lower in any::<bool>()) {
                let license = &all()[index];
                let deed_fr = license.deed_url_for("fr");
                for spelling in [&license.id, &license.short_name, &license.name_en, &license.name_fr, &license.deed_url, &deed_fr] {
                    let spelling = if lower { spelling.to_lowercase() } else { spelling.clone() };
                    let found = lookup(&spelling).map(|r| r.license.id.as_str());
                    prop_assert_eq!(found, Ok(license.id.as_str()), "{}", spelling);
                }
            }
        }
    }
}
