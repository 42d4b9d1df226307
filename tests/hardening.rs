//! Hostile and broken input: every case gets a clear, located error or warning, no panic,
//! and nothing of the user's is lost.

mod common;

use common::{TestSite, sourced};

fn find<'a>(diagnostics: &'a [depeche::Diagnostic], code: &str) -> &'a depeche::Diagnostic {
    diagnostics.iter().find(|d| d.code == code).unwrap_or_else(|| panic!("no {code} in {diagnostics:#?}"))
}

#[test]
fn dates_no_feed_can_hold_are_located_errors_in_build_check_and_import() {
    let site = TestSite::basic();
    site.brief("neg.md", &sourced("Negative", "-0001-01-01"), "x\n");
    site.brief(
        "upd.md",
        &format!("{}updated: 10000-01-01\n", sourced("Far", "2022-01-01")),
        "x\n",
    );
    let errors = site.build_errors();
    let negative = errors.iter().find(|d| d.path.ends_with("neg.md") && d.code == "invalid-date").expect("neg.md");
    assert_eq!(negative.line, Some(3), "{negative:?}");
    assert!(negative.message.contains("year -1"), "{}", negative.message);
    assert!(errors.iter().any(|d| d.path.ends_with("upd.md") && d.code == "invalid-date"), "{errors:#?}");

    let check = site.run(&["check", "--format", "json"]);
    assert_eq!(check.status.code(), Some(1), "{}", check.stderr);
    let json: serde_json::Value = serde_json::from_str(&check.stdout).expect("JSON on stdout");
    assert!(json.as_array().unwrap().iter().any(|d| d["code"] == "invalid-date"), "{json}");
    let build = site.run(&["build"]);
    assert_eq!(build.status.code(), Some(1), "no panic (101): {}", build.stderr);

    let text = site.root().join("brief.txt");
    std::fs::write(&text, "Un titre\n\nUn paragraphe assez long pour faire un texte.\n").unwrap();
    let import = site.run(&["import", "--date=-0001-01-01", text.to_str().unwrap()]);
    assert!(!import.status.success());
    assert!(import.stderr.contains("year -1"), "{}", import.stderr);
    let _ = find(&errors, "invalid-date");
}

#[test]
fn markup_in_a_summary_stays_text_in_every_feed() {
    let site = TestSite::basic();
    site.brief(
        "a.md",
        &format!("{}summary: \"<img src=x onerror=alert(1)> & co\"\n", sourced("A", "2022-01-01")),
        "Body.\n",
    );
    site.brief("b.md", &sourced("B", "2022-01-02"), "Shows `<script>alert(1)</script>` in code.\n");
    site.build();
    let rss = site.read("rss.xml");
    // Whatever the reader does with CDATA, no tag of the summaries reaches it.
    assert!(!rss.contains("<img"), "{rss}");
    assert!(!rss.contains("<script>"), "{rss}");
    assert!(rss.contains("&lt;img src=x onerror=alert(1)&gt; &amp; co"), "{rss}");
    // Atom says its summary is text; JSON Feed's summary is plain text by definition.
    let atom = site.read("atom.xml");
    assert!(atom.contains("<summary>&lt;img src=x onerror=alert(1)&gt; &amp; co</summary>"), "{atom}");
    let json: serde_json::Value = serde_json::from_str(&site.read("feed.json")).unwrap();
    assert_eq!(json["items"][1]["summary"], "<img src=x onerror=alert(1)> & co");
}
