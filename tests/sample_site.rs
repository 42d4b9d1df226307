//! The repository root is itself a Depeche site: it must build cleanly and show what the
//! sample promises (French and English briefs, an adapted CC BY-SA 3.0 image, a CC0
//! image, a brief without image, a source with a name only, shared tags).

mod common;

use std::path::Path;

use scraper::{Html, Selector};

fn build_sample() -> (tempfile::TempDir, depeche::BuildReport) {
    let out = tempfile::tempdir().unwrap();
    let options = depeche::BuildOptions {
        output: Some(out.path().join("public")),
        ..depeche::BuildOptions::new(env!("CARGO_MANIFEST_DIR"))
    };
    let report = depeche::build(&options).unwrap_or_else(|e| panic!("{e}: {:#?}", e.diagnostics()));
    (out, report)
}

fn pages(root: &Path) -> Vec<Html> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_name() == "index.html" && e.path().components().count() > root.components().count() + 2)
        .map(|e| Html::parse_document(&std::fs::read_to_string(e.path()).unwrap()))
        .filter(|html| html.select(&Selector::parse("article.brief").unwrap()).next().is_some())
        .collect()
}

fn text(html: &Html, css: &str) -> Vec<String> {
    html.select(&Selector::parse(css).unwrap())
        .map(|e| e.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn the_sample_site_builds_without_unexpected_warnings() {
    let (_out, report) = build_sample();
    // The sample cites some sources by name only (a wire agency), on purpose.
    let unexpected: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity != depeche::Severity::Note && d.code != "no-source-url")
        .collect();
    assert!(unexpected.is_empty(), "{unexpected:#?}");
    assert!(report.briefs >= 6);
}

#[test]
fn the_sample_site_exercises_what_it_promises() {
    let (out, _) = build_sample();
    let briefs = pages(&out.path().join("public"));
    assert!(briefs.len() >= 6, "{} brief pages", briefs.len());
    let langs: Vec<String> = briefs
        .iter()
        .map(|h| h.select(&Selector::parse("html").unwrap()).next().unwrap().value().attr("lang").unwrap().to_string())
        .collect();
    assert!(langs.contains(&"fr".to_string()) && langs.contains(&"en".to_string()));
    let credits: Vec<String> = briefs.iter().flat_map(|h| text(h, "figcaption")).collect();
    assert!(credits.iter().any(|c| c.contains("d'après") && c.contains("CC BY-SA 3.0")), "{credits:?}");
    assert!(credits.iter().any(|c| c.contains("CC0 1.0")), "{credits:?}");
    assert!(briefs.iter().any(|h| text(h, "figure").is_empty()), "a brief without image");
    assert!(briefs.iter().any(|h| !text(h, ".sources .source-name").is_empty()), "a source with a name only");
    assert!(briefs.iter().all(|h| !text(h, ".sources li").is_empty()), "every sample brief is sourced");
    let tag_pages = out.path().join("public/tags");
    let shared = std::fs::read_dir(&tag_pages)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("index.html").exists())
        .filter(|e| {
            let html = Html::parse_document(&std::fs::read_to_string(e.path().join("index.html")).unwrap());
            text(&html, ".brief-list h2").len() > 1
        })
        .count();
    assert!(shared >= 2, "tags shared between briefs");
}
