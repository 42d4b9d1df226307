//! Property tests at scale for what reads hostile input: the brief loader and every output
//! made from it (feeds must stay well-formed XML, whatever the text), and the importer.
//! `cargo test` runs a few hundred cases; CI runs many more, for a bounded time
//! (`PROPTEST_CASES`, see .ci/run).

mod common;

use common::TestSite;
use proptest::prelude::*;

/// Text as editors and attackers write it: markup, CDATA ends, entities, quotes, YAML
/// punctuation, control characters, right-to-left marks, emoji, long runs.
fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<img src=x onerror=alert(1)>".to_string()),
        Just("]]>".to_string()),
        Just("<![CDATA[".to_string()),
        Just("&amp; &#0; &#x1b; &lt;".to_string()),
        Just("\"'`".to_string()),
        Just(": - [ ] { } # | > * & ! % @".to_string()),
        Just("\u{0}\u{8}\u{b}\u{c}\u{1b}\u{7f}\u{85}\u{9b}\u{fffe}\u{ffff}".to_string()),
        Just("\u{202e}\u{200b}\u{feff}".to_string()),
        Just("é à ç « » — 🇺🇦".to_string()),
        Just("`<script>x</script>`".to_string()),
        "[a-zA-Z ]{1,12}",
        "\\PC{0,8}",
        any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 1..8).prop_map(|pieces| pieces.concat())
}

/// A YAML double-quoted scalar holding `text`: JSON's escapes are YAML's, so control
/// characters arrive through escapes, as a careful editor (or an attacker) writes them.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("a string always serialises")
}

fn assert_outputs_well_formed(output: &std::path::Path) -> Result<(), TestCaseError> {
    for entry in walkdir::WalkDir::new(output).into_iter().map(|e| e.unwrap()) {
        let path = entry.path();
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
        if extension == "xml" {
            let text = std::fs::read_to_string(path).unwrap();
            prop_assert!(roxmltree::Document::parse(&text).is_ok(), "{} is not well-formed:\n{text}", path.display());
        } else if extension == "json" {
            let text = std::fs::read_to_string(path).unwrap();
            prop_assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok(), "{}", path.display());
        }
    }
    Ok(())
}

/// 48 cases by default (a few seconds); `PROPTEST_CASES` asks for more.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(48)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn any_text_in_a_brief_builds_or_fails_with_diagnostics_and_feeds_stay_well_formed(
        title in hostile_text(),
        summary in hostile_text(),
        tag in hostile_text(),
        outlet in hostile_text(),
        body in hostile_text(),
        literal in hostile_text(),
    ) {
        let site = TestSite::basic();
        let front = format!(
            "title: {}\ndate: 2022-01-01\nsummary: {}\ntags: [{}]\nsources:\n  - name: {}\n    url: https://a.example.org/\n",
            quoted(&title), quoted(&summary), quoted(&tag), quoted(&outlet)
        );
        site.brief("a.md", &front, &format!("{body}\n\n{literal}\n"));
        // Literal characters in the front matter too, where YAML allows them.
        site.brief("b.md", &format!("title: B {}\ndate: 2022-01-02\n", literal.replace(['\n', '\r'], " ")), "b\n");
        match site.try_build() {
            Ok(_) => assert_outputs_well_formed(&site.output())?,
            Err(depeche::Error::Site(diagnostics)) => {
                prop_assert!(diagnostics.iter().any(depeche::Diagnostic::is_error));
                prop_assert!(!site.output().exists(), "a failed build writes nothing");
            }
            Err(other) => prop_assert!(false, "not a site error: {other}"),
        }
    }

    #[test]
    fn whatever_text_is_imported_its_front_matter_reads_back(text in proptest::collection::vec(hostile_text(), 1..12)) {
        let text = text.join("\n");
        if let Some(converted) = depeche::import::to_markdown(&text, &depeche::import::LangChoice::Auto, ("2022-03-04", "fr"), false, None) {
            let site = TestSite::basic();
            site.write("content/imported.md", &converted.markdown);
            if let Err(depeche::Error::Site(diagnostics)) = site.try_build() {
                for diagnostic in &diagnostics {
                    prop_assert!(
                        !matches!(diagnostic.code.as_str(), "yaml-syntax" | "unknown-key" | "no-front-matter" | "unclosed-front-matter"),
                        "the importer wrote front matter that does not read back: {diagnostic}\n{}",
                        converted.markdown
                    );
                }
            }
        }
    }
}
