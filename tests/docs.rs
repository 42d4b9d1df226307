//! The user guide states facts the code owns; these tests keep the two in step.
//! Run with UPDATE_DOCS=1 to rewrite the generated parts.

use std::path::Path;

const START: &str = "<!-- licence-table:start (generated from src/license/; tests/docs.rs checks it) -->\n";
const END: &str = "<!-- licence-table:end -->";

fn licence_table() -> String {
    let mut table =
        String::from("| SPDX id | short name | English name | French name | deed |\n| --- | --- | --- | --- | --- |\n");
    for license in depeche::license::international() {
        table.push_str(&format!(
            "| `{}` | {} | {} | {} | <{}> |\n",
            license.id, license.short_name, license.name_en, license.name_fr, license.deed_url
        ));
    }
    table.push_str(
        "\n### Ported licences\n\nEach jurisdiction below has the six attribution licences (BY, BY-SA, BY-ND, BY-NC, BY-NC-SA, BY-NC-ND) in the versions listed. The id adds the code to the international id (`CC-BY-SA-3.0-FR`), the deed adds it to the path (`https://creativecommons.org/licenses/by-sa/3.0/fr/`), and the name ends with the jurisdiction instead of *Unported* or *Generic* (*Creative Commons Attribution - Partage dans les Mêmes Conditions 3.0 France*). Ids marked † are in the SPDX list; the others follow the same shape, which SPDX does not list.\n\n| code | English | French | versions | SPDX ids |\n| --- | --- | --- | --- | --- |\n",
    );
    for jurisdiction in depeche::license::JURISDICTIONS {
        let spdx: Vec<String> = depeche::license::all()
            .iter()
            .filter(|l| l.jurisdiction == Some(jurisdiction.code) && l.spdx)
            .map(|l| format!("`{}`†", l.id))
            .collect();
        table.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            jurisdiction.code,
            jurisdiction.name_en,
            jurisdiction.name_fr,
            jurisdiction.versions.join(", "),
            spdx.join(", ")
        ));
    }
    table
}

#[test]
fn the_licence_table_matches_the_registry() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/licences.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find(START).expect("start marker") + START.len();
    let end = text.find(END).expect("end marker");
    let expected = licence_table();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, format!("{}{}{}", &text[..start], expected, &text[end..])).unwrap();
        return;
    }
    assert_eq!(&text[start..end], expected, "run UPDATE_DOCS=1 cargo test --test docs");
}

#[test]
fn every_front_matter_key_is_documented() {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/reference/front-matter.md")).unwrap();
    for key in [
        "title",
        "date",
        "updated",
        "lang",
        "slug",
        "summary",
        "tags",
        "authors",
        "draft",
        "sources",
        "image",
        "translations",
        "extra",
        "sources[].name",
        "sources[].url",
        "sources[].title",
        "sources[].date",
        "sources[].archive_url",
        "image.src",
        "image.alt",
        "image.title",
        "image.author",
        "image.author_url",
        "image.source",
        "image.source_url",
        "image.license",
        "image.modified",
    ] {
        assert!(text.contains(&format!("## `{key}`")), "docs/reference/front-matter.md lacks a section for `{key}`");
    }
}

#[test]
fn every_config_key_is_documented() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/reference/config.md")).unwrap();
    for key in [
        "title",
        "base_url",
        "language",
        "license",
        "publisher",
        "paginate",
        "permalink",
        "theme",
        "commercial",
        "languages",
        "french_typography",
    ] {
        assert!(text.contains(&format!("## `{key}`")), "docs/reference/config.md lacks a section for `{key}`");
    }
}

#[test]
fn every_diagnostic_code_is_documented_and_every_documented_code_exists() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/reference/diagnostics.md"))
        .expect("the diagnostics reference");
    let table = text.split("## Codes").nth(1).expect("a Codes section");
    let documented: Vec<&str> = table
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split_once('`').map(|(code, _)| code))
        .collect();
    let known: Vec<&str> = depeche::diagnostic::Code::ALL.iter().map(|code| code.as_str()).collect();
    for code in &known {
        assert!(documented.contains(code), "`{code}` is not in docs/reference/diagnostics.md");
    }
    for code in &documented {
        assert!(known.contains(code), "docs/reference/diagnostics.md documents `{code}`, which Depeche never reports");
    }
    assert_eq!(documented, known, "the docs list the codes in the order of `Code`");
}
