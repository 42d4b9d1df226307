//! Every image a body shows is credited: the lead image, or a `media:` entry under the
//! same licence rules; images of other sites are refused unless allowed.

mod common;

use common::{TestSite, sourced};

const MAP: &str = "  - src: carte.svg\n    title: Carte des régions\n    author: Atelier Nord\n    source: Atelier Nord\n    source_url: https://atelier.example.org/carte\n    license: CC-BY-4.0\n";

fn site_with(front_matter: &str, body: &str) -> TestSite {
    let site = TestSite::basic();
    site.write("content/carte.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    site.write("static/img/photo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    site.brief("a.md", &format!("{}{front_matter}", sourced("A", "2022-01-01")), body);
    site
}

#[test]
fn an_uncredited_body_image_is_a_located_error_in_check_and_build() {
    let body = "First paragraph.\n\nSee the map: ![La carte](carte.svg)\n";
    let site = site_with("", body);
    let errors = site.build_errors();
    let error = errors.iter().find(|d| d.code == "uncredited-image").expect("uncredited-image");
    // The front matter ends on line 7: the body starts on line 8.
    assert_eq!((error.line, error.column), (Some(10), Some(14)), "{error:?}");
    assert!(error.message.contains("carte.svg"), "{error:?}");
    assert!(!site.exists("index.html"), "nothing is published");
    let run = site.run(&["check"]);
    assert!(!run.status.success());
    assert!(run.stdout.contains("uncredited-image") || run.stderr.contains("uncredited-image"), "{}", run.stderr);
    assert!(run.stderr.contains("content/a.md:10:14") || run.stdout.contains("content/a.md:10:14"), "{}", run.stderr);

    // Raw HTML is an image too; code is not.
    let site = site_with(
        "",
        "<figure><img src=\"/img/photo.svg\" alt=\"x\"></figure>\n\n`![no](x.png)`\n\n    ![no](y.png)\n",
    );
    let errors = site.build_errors();
    let found: Vec<&str> = errors.iter().filter(|d| d.code == "uncredited-image").map(|d| d.message.as_str()).collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("/img/photo.svg"));
}

#[test]
fn a_body_image_credited_in_media_or_as_the_lead_image_builds() {
    let site = site_with(&format!("media:\n{MAP}"), "![La carte](./carte.svg)\n");
    let report = site.build();
    assert!(report.diagnostics.iter().all(|d| d.code != "unused-media"), "{:#?}", report.diagnostics);
    assert!(site.exists("2022/01/a/carte.svg"), "a credited file beside the brief is published with it");

    let lead =
        "image:\n  src: /img/photo.svg\n  alt: A photo\n  author: Ann\n  source: Ann's site\n  license: CC-BY-4.0\n";
    let site = site_with(lead, "![Again](/img/photo.svg)\n");
    site.build();

    // A media entry nothing shows is a warning on its line.
    let site = site_with(&format!("media:\n{MAP}"), "No image.\n");
    let report = site.build();
    let unused = report.diagnostics.iter().find(|d| d.code == "unused-media").expect("unused-media");
    assert_eq!(unused.line, Some(8), "the entry's line: {unused:?}");
}

#[test]
fn the_licence_rules_apply_to_media_entries() {
    let nd = "media:\n  - src: carte.svg\n    title: Carte\n    author: Atelier\n    source: Atelier\n    license: CC-BY-ND-4.0\n    modified: true\n";
    let errors = site_with(nd, "![x](carte.svg)\n").build_errors();
    let error = errors.iter().find(|d| d.code == "derivative-of-nd").expect("derivative-of-nd");
    assert_eq!(error.line, Some(13), "{error:?}");
    let no_author = "media:\n  - src: carte.svg\n    title: Carte\n    license: CC-BY-4.0\n";
    let errors = site_with(no_author, "![x](carte.svg)\n").build_errors();
    assert!(errors.iter().any(|d| d.code == "missing-author"), "{errors:#?}");
    let unknown = "media:\n  - src: carte.svg\n    author: A\n    license: CC-BY-9.0\n";
    let errors = site_with(unknown, "![x](carte.svg)\n").build_errors();
    assert!(errors.iter().any(|d| d.code == "unknown-license"), "{errors:#?}");
}

#[test]
fn images_of_other_sites_are_refused_unless_their_server_is_allowed() {
    let remote =
        "media:\n  - src: https://cdn.example.org/news/a.jpg\n    author: A\n    source: B\n    license: CC-BY-4.0\n";
    let body = "![x](https://cdn.example.org/news/a.jpg)\n";
    let site = site_with(remote, body);
    let errors = site.build_errors();
    assert_eq!(errors.iter().filter(|d| d.code == "remote-image").count(), 2, "the entry and the body: {errors:#?}");

    let allowed = "title = \"T\"\n\n[images]\nallow_remote = [\"https://cdn.example.org/news\"]\n";
    site.write("depeche.toml", allowed);
    site.build();
    // An allowed server's image still needs its credit.
    site.brief("b.md", &sourced("B", "2022-01-02"), "![y](https://cdn.example.org/news/b.jpg)\n");
    let errors = site.build_errors();
    assert!(errors.iter().any(|d| d.code == "uncredited-image"), "{errors:#?}");
    // A prefix is a folder of a server, not the start of a name.
    site.brief("b.md", &sourced("B", "2022-01-02"), "![y](https://cdn.example.org/newsletter/b.jpg)\n");
    assert!(site.build_errors().iter().any(|d| d.code == "remote-image"));
    site.brief("b.md", &sourced("B", "2022-01-02"), "![y](https://cdn.example.org.evil.example/news/b.jpg)\n");
    assert!(site.build_errors().iter().any(|d| d.code == "remote-image"));

    // The lead image too.
    let lead = "image:\n  src: https://elsewhere.example.org/a.jpg\n  alt: A\n  author: A\n  source: B\n  license: CC-BY-4.0\n";
    let other = site_with(lead, "x\n");
    let errors = other.build_errors();
    let error = errors.iter().find(|d| d.code == "remote-image").expect("remote-image");
    assert_eq!(error.line, Some(8), "the src line: {error:?}");

    site.write("depeche.toml", "title = \"T\"\n\n[images]\nallow_remote = [\"javascript:alert(1)\"]\n");
    let errors = site.build_errors();
    assert!(errors.iter().any(|d| d.code == "config-invalid" && d.message.contains("allow_remote")), "{errors:#?}");
}

fn json_ld(page: &common::Page) -> serde_json::Value {
    let selector = scraper::Selector::parse("script[type='application/ld+json']").unwrap();
    serde_json::from_str(&page.html.select(&selector).next().unwrap().inner_html()).unwrap()
}

#[test]
fn a_credited_body_image_is_a_figure_with_its_credit_everywhere_the_brief_is() {
    let body =
        "Intro.\n\n![Map of the regions](carte.svg \"The new regions\")\n\nAs the map ![small](carte.svg) shows.\n";
    let site = site_with(&format!("lang: fr\nmedia:\n{MAP}"), body);
    site.build();
    let page = site.page("/2022/01/a/");
    assert_eq!(page.attr(".brief-body figure.body-image img", "alt"), "Map of the regions");
    assert_eq!(page.attr(".brief-body figure.body-image img", "src"), "carte.svg");
    let caption = page.text(".brief-body figure.body-image figcaption");
    assert!(caption.starts_with("The new regions"), "the Markdown title is the caption: {caption}");
    for part in ["Image :", "« Carte des régions »", "Atelier Nord", "CC BY 4.0"] {
        assert!(caption.contains(part), "{part} in {caption}");
    }
    assert_eq!(
        page.attr(".brief-body figure.body-image figcaption a[title]", "href"),
        "https://creativecommons.org/licenses/by/4.0/deed.fr"
    );
    // An image within text is credited right after it.
    let inline = page.text(".brief-body p small.image-credit");
    assert!(inline.contains("Atelier Nord"), "{inline}");
    // No RDFa from the body: the page's licence stays the site's.
    assert!(!page.source.contains("<!--depeche:"), "every placeholder is filled");
    assert_eq!(page.count(".brief-body [rel=license]"), 0);

    // The JSON-LD lists it with its licence; the credits page and the feeds show it.
    let media = &json_ld(&page)["associatedMedia"][0];
    assert_eq!(media["@type"], "ImageObject");
    assert_eq!(media["license"], "https://creativecommons.org/licenses/by/4.0/");
    assert_eq!(media["creator"]["name"], "Atelier Nord");
    assert_eq!(media["contentUrl"], "https://news.example.org/2022/01/a/carte.svg");
    let credits = site.page("/credits/");
    assert!(credits.attrs("img", "src").contains(&"/2022/01/a/carte.svg".to_string()), "{}", credits.source);
    assert!(credits.text("main").contains("Atelier Nord"));
    let atom = site.read("atom.xml");
    assert!(atom.contains("Atelier Nord") && !atom.contains("depeche:credit"), "{atom}");

    // Text on the line after a lone image is its caption.
    let site = site_with(&format!("media:\n{MAP}"), "![La carte](carte.svg)\n*Les régions, après la réforme*\n");
    site.build();
    let caption = site.page("/2022/01/a/").text("figure.body-image figcaption");
    assert!(caption.starts_with("Les régions, après la réforme Image:"), "{caption}");
    assert_eq!(site.page("/2022/01/a/").count("figure.body-image figcaption .caption em"), 1);

    // An image written in raw HTML is credited right after it.
    let site = site_with(&format!("media:\n{MAP}"), "<figure><img src=\"carte.svg\" alt=\"La carte\"></figure>\n");
    site.build();
    let page = site.page("/2022/01/a/");
    assert!(page.text(".brief-body small.image-credit").contains("Atelier Nord"), "{}", page.source);
}

#[test]
fn one_file_credited_two_ways_across_briefs_is_a_warning_and_the_body_image_is_listed_once() {
    let site = site_with(&format!("media:\n{MAP}"), "![x](carte.svg)\n");
    site.brief(
        "b.md",
        &format!(
            "{}media:\n{}",
            sourced("B", "2022-01-02"),
            MAP.replace("src: carte.svg", "src: ../content/carte.svg")
                .replace("Atelier Nord\n    source", "Someone Else\n    source")
        ),
        "![y](../content/carte.svg)\n",
    );
    let report = site.build();
    assert!(report.diagnostics.iter().any(|d| d.code == "image-credit-differs"), "{:#?}", report.diagnostics);
}
