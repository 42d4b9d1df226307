//! What a site's own templates can do: replace the card that lists show, read `briefs`
//! on list pages, and get template errors that point into the template.

mod common;

use common::{TestSite, sourced};

fn three_briefs(config: &str) -> TestSite {
    let site = TestSite::new(config);
    for (day, lang) in [(1, "en"), (2, "fr"), (3, "en")] {
        let front_matter =
            format!("{}lang: {lang}\ntags: [Europe]\n", sourced(&format!("Brief {day}"), &format!("2022-01-0{day}")));
        site.brief(&format!("b{day}.md"), &front_matter, "x\n");
    }
    site
}

#[test]
fn a_card_template_changes_every_list() {
    let site = three_briefs("title = \"T\"\nlanguage = \"en\"\npaginate = 2\n");
    site.write(
        "templates/partials/brief_card.html",
        "<p class=\"card\" data-lang=\"{{ lang }}\">{{ brief.title }} ({{ brief.date.display }}, {{ t.home }})</p>\n",
    );
    site.build();
    for page in ["/", "/tags/europe/", "/sources/agence/"] {
        let cards = site.page(page).texts(".brief-list .card");
        assert_eq!(cards, vec!["Brief 3 (3 January 2022, Home)", "Brief 2 (2 January 2022, Home)"], "{page}");
    }
    assert_eq!(site.page("/page/2/").texts(".card"), vec!["Brief 1 (1 January 2022, Home)"]);
}

#[test]
fn cards_follow_the_language_of_the_list() {
    let site = three_briefs("title = \"T\"\nlanguage = \"en\"\nlanguages = [\"en\", \"fr\"]\n");
    site.write("templates/partials/brief_card.html", "<p class=\"card\">{{ brief.date.display }} {{ t.home }}</p>\n");
    site.build();
    let everything = site.page("/").texts(".card");
    assert_eq!(everything[1], "2 January 2022 Home", "the French brief, on an English list");
    assert_eq!(site.page("/fr/").texts(".card"), vec!["2 janvier 2022 Accueil"]);
}

#[test]
fn a_list_template_may_still_read_briefs() {
    let site = three_briefs("title = \"T\"\n");
    site.write(
        "templates/tag.html",
        "{% extends \"base.html\" %}{% block main %}<ul>{% for item in briefs %}<li class=\"own\" lang=\"{{ item.lang }}\">{{ item.title }}</li>{% endfor %}</ul>{% endblock main %}",
    );
    site.build();
    let tag = site.page("/tags/europe/");
    assert_eq!(tag.texts("li.own"), vec!["Brief 3", "Brief 2", "Brief 1"]);
    assert_eq!(tag.attrs("li.own", "lang"), vec!["en", "fr", "en"]);
    assert_eq!(site.page("/").count(".brief-list li"), 3, "the other lists keep the theme's cards");
}

#[test]
fn a_broken_card_template_fails_the_build_with_its_line() {
    let site = three_briefs("title = \"T\"\n");
    site.write("templates/partials/brief_card.html", "<p>\n{{ brief.nope }}</p>\n");
    let errors = site.build_errors();
    let error = errors.iter().find(|d| d.code == "template").expect("a template error");
    assert!(error.path.ends_with("templates/partials/brief_card.html"), "{error:?}");
    assert_eq!(error.line, Some(2), "{error:?}");
    assert!(error.message.contains("nope"), "{}", error.message);
    assert_eq!(errors.iter().filter(|d| d.code == "template").count(), 1, "reported once: {errors:#?}");
}
