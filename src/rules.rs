//! The attribution rules: what a licence asks of a credit, and what it forbids. Shared by
//! `depeche build` and `depeche check` (both resolve briefs through `content`, which
//! applies these rules to every image credit).

use crate::diagnostic::{Code, Severity};
use crate::license::{Kind, License};

/// What the rules need to know about one image credit.
pub struct ImageFacts<'a> {
    pub license: &'a License,
    pub has_title: bool,
    pub has_author: bool,
    pub has_source: bool,
    pub modified: bool,
    /// The site is published commercially (`commercial = true` in depeche.toml).
    pub commercial: bool,
}

/// One rule broken, and the front-matter key of the image it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub code: Code,
    pub field: &'static str,
    pub message: String,
    pub help: &'static str,
}

fn finding(severity: Severity, code: Code, field: &'static str, message: String, help: &'static str) -> Finding {
    Finding { severity, code, field, message, help }
}

pub fn check_image(facts: &ImageFacts) -> Vec<Finding> {
    let license = facts.license;
    let short = &license.short_name;
    let mut findings = Vec::new();
    let Kind::Attribution(elements) = license.kind else {
        // CC0 and the Public Domain Mark ask for no credit; we still show what is known.
        return findings;
    };
    if !facts.has_author {
        findings.push(finding(
            Severity::Error,
            Code::MissingAuthor,
            "license",
            format!("{short} requires attribution, but the image has no `author`"),
            "name the author as the source credits them, e.g. author: UP9",
        ));
    }
    if !facts.has_title {
        findings.push(finding(
            Severity::Warning,
            Code::MissingTitle,
            "license",
            format!("the image has no `title`: {short} asks for the title of the work when it is supplied"),
            "give the title of the original work, e.g. title: Flag of Ukraine",
        ));
    }
    if !facts.has_source {
        findings.push(finding(
            Severity::Warning,
            Code::MissingSource,
            "license",
            "the image has neither `source` nor `source_url`: readers cannot find the original work".into(),
            "say where the work comes from, e.g. source: Wikimedia Commons and its source_url",
        ));
    }
    if elements.no_derivatives && facts.modified {
        findings.push(finding(
            Severity::Error,
            Code::DerivativeOfNd,
            "modified",
            format!("{short} forbids adaptations, but `modified: true` says this image is adapted"),
            "use the work unmodified, or find one under a licence that allows adaptations",
        ));
    }
    if elements.non_commercial && facts.commercial {
        findings.push(finding(
            Severity::Error,
            Code::NonCommercial,
            "license",
            format!("{short} forbids commercial use, and depeche.toml says the site is commercial"),
            "find an image under a licence without NC, or remove `commercial = true` if the site is not commercial",
        ));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::license::by_id;

    fn facts(id: &str) -> ImageFacts<'static> {
        ImageFacts {
            license: by_id(id).unwrap(),
            has_title: true,
            has_author: true,
            has_source: true,
            modified: false,
            commercial: false,
        }
    }

    fn codes(findings: &[Finding]) -> Vec<(Code, Severity)> {
        findings.iter().map(|f| (f.code, f.severity)).collect()
    }

    #[test]
    fn a_complete_credit_passes() {
        assert!(check_image(&facts("CC-BY-SA-3.0")).is_empty());
        assert!(check_image(&ImageFacts { modified: true, ..facts("CC-BY-SA-3.0") }).is_empty());
    }

    #[test]
    fn attribution_licences_need_an_author() {
        let found =
            check_image(&ImageFacts { has_author: false, has_title: false, has_source: false, ..facts("CC-BY-4.0") });
        assert_eq!(
            codes(&found),
            vec![
                (Code::MissingAuthor, Severity::Error),
                (Code::MissingTitle, Severity::Warning),
                (Code::MissingSource, Severity::Warning)
            ]
        );
    }

    #[test]
    fn public_domain_needs_nothing() {
        for id in ["CC0-1.0", "CC-PDM-1.0"] {
            let bare = ImageFacts {
                has_author: false,
                has_title: false,
                has_source: false,
                modified: true,
                commercial: true,
                ..facts(id)
            };
            assert!(check_image(&bare).is_empty());
        }
    }

    #[test]
    fn no_derivatives_and_non_commercial() {
        assert_eq!(
            codes(&check_image(&ImageFacts { modified: true, ..facts("CC-BY-ND-4.0") })),
            vec![(Code::DerivativeOfNd, Severity::Error)]
        );
        assert_eq!(
            codes(&check_image(&ImageFacts { commercial: true, ..facts("CC-BY-NC-2.0") })),
            vec![(Code::NonCommercial, Severity::Error)]
        );
        assert!(check_image(&facts("CC-BY-NC-ND-3.0-FR")).is_empty(), "allowed when unmodified and not commercial");
    }
}
