//! Every field of a brief, changed one after another: after each change, the cached
//! rebuild and the preview's rebuild publish exactly what a clean build publishes.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::TestSite;
use depeche::content::Brief;
use depeche::pipeline::output::Contents;
use depeche::serve::session::Session;
use depeche::serve::watch::Changes;

/// The fields of `Brief`, written out without `..`: a field added to `Brief` does not
/// compile here until it is listed, and the test below fails until it has an edit.
fn fields(brief: &Brief) -> Vec<&'static str> {
    let Brief {
        path: _,
        title: _,
        date: _,
        updated: _,
        expires: _,
        lang: _,
        slug: _,
        summary: _,
        kind: _,
        corrections: _,
        tags: _,
        authors: _,
        draft: _,
        sources: _,
        image: _,
        media: _,
        extra: _,
        body: _,
        permalink: _,
        assets: _,
        images_in_html: _,
        file: _,
        translations: _,
    } = brief;
    vec![
        "path",
        "title",
        "date",
        "updated",
        "expires",
        "lang",
        "slug",
        "summary",
        "kind",
        "corrections",
        "tags",
        "authors",
        "draft",
        "sources",
        "image",
        "media",
        "extra",
        "body",
        "permalink",
        "assets",
        "images_in_html",
        "file",
        "translations",
    ]
}

const MAIN: &str = "---
title: Main
date: 2022-01-10
updated: 2022-01-11
lang: fr
slug: main
summary: Un résumé
tags: [Alpha, Beta]
authors: [Ann]
sources:
  - name: AFP
    url: https://afp.example.org/a
    title: Une dépêche
    date: 2022-01-09
    archive_url: https://archive.example.org/a
image:
  src: /img/a.svg
  alt: A flag
  title: Flag
  author: Bob
  source: Commons
  source_url: https://commons.example.org/a
  license: CC-BY-SA-4.0
extra:
  note: one
---
The body of the main brief.
";

/// One change to the site: the field it changes, and the files to write (relative path,
/// text), the text replacing a piece of the main brief, or a file to rename.
enum Edit {
    Main { field: &'static str, from: &'static str, to: &'static str },
    Write { field: &'static str, file: &'static str, text: &'static str },
    Rename { field: &'static str, from: &'static str, to: &'static str },
}

fn edits() -> Vec<Edit> {
    use Edit::{Main, Rename, Write};
    vec![
        Main { field: "title", from: "title: Main", to: "title: Main retitled" },
        Main { field: "date", from: "date: 2022-01-10", to: "date: 2022-01-02" },
        Main { field: "updated", from: "updated: 2022-01-11", to: "updated: 2022-01-12" },
        Main { field: "summary", from: "summary: Un résumé", to: "summary: Un autre résumé" },
        Main { field: "tags", from: "tags: [Alpha, Beta]", to: "tags: [Alpha, Gamma]" },
        Main { field: "kind", from: "tags: [Alpha, Gamma]", to: "type: opinion\ntags: [Alpha, Gamma]" },
        Main { field: "kind", from: "type: opinion", to: "type: sponsored" },
        Main {
            field: "corrections",
            from: "type: sponsored",
            to: "type: sponsored\ncorrections:\n  - date: 2022-01-20\n    text: The figure was 51 %, not 15 %.",
        },
        Main { field: "corrections", from: "date: 2022-01-20", to: "date: 2022-01-25\n    kind: clarification" },
        Main { field: "authors", from: "authors: [Ann]", to: "authors: [Ann, Carl]" },
        Main {
            field: "media",
            from: "extra:\n  note: one\n---\nThe body of the main brief.",
            to: "media:\n  - src: /img/b.svg\n    title: Map\n    author: Eve\n    source: Atlas\n    license: CC-BY-4.0\nextra:\n  note: one\n---\nThe body of the main brief.\n\n![A map](/img/b.svg)",
        },
        Main { field: "media", from: "author: Eve", to: "author: Finn" },
        Main { field: "sources", from: "name: AFP", to: "name: Reuters" },
        Main { field: "sources", from: "url: https://afp.example.org/a", to: "url: https://afp.example.org/b" },
        Main { field: "sources", from: "title: Une dépêche", to: "title: Une autre dépêche" },
        Main { field: "sources", from: "date: 2022-01-09", to: "date: 2022-01-08" },
        Main { field: "sources", from: "archive.example.org/a", to: "archive.example.org/b" },
        Main { field: "image", from: "alt: A flag", to: "alt: Another flag" },
        Main { field: "image", from: "title: Flag", to: "title: Banner" },
        Main { field: "image", from: "author: Bob", to: "author: Dora" },
        Main { field: "image", from: "source: Commons", to: "source: Flickr" },
        Main { field: "image", from: "commons.example.org/a", to: "commons.example.org/b" },
        Main { field: "image", from: "license: CC-BY-SA-4.0", to: "license: CC-BY-4.0\n  modified: true" },
        Main { field: "image", from: "src: /img/a.svg", to: "src: /img/b.svg" },
        Main { field: "extra", from: "note: one", to: "note: two" },
        Main { field: "body", from: "The body of", to: "The new body of" },
        Main {
            field: "images_in_html",
            from: "The new body of the main brief.",
            to: "The new body of the main brief.\n\n<p><img src=\"/img/b.svg\" alt=\"The map\"></p>",
        },
        Main { field: "lang", from: "lang: fr", to: "lang: en" },
        Main { field: "slug", from: "slug: main", to: "slug: main-moved" },
        Main { field: "permalink", from: "date: 2022-01-02", to: "date: 2021-12-30" },
        Main { field: "draft", from: "extra:", to: "draft: true\nextra:" },
        Main { field: "draft", from: "draft: true", to: "draft: false" },
        Main { field: "expires", from: "extra:", to: "expires: 2099-01-01\nextra:" },
        Main { field: "expires", from: "expires: 2099-01-01", to: "expires: 2022-03-01" },
        Main { field: "expires", from: "expires: 2022-03-01\n", to: "" },
        Main { field: "translations", from: "extra:", to: "translations:\n  fr: other-fr.md\nextra:" },
        Rename { field: "path", from: "content/main.md", to: "content/2021/main.md" },
        Rename { field: "file", from: "content/2021/main.md", to: "content/2021/12/main.md" },
        Write { field: "assets", file: "content/bundle/map.svg", text: "<svg xmlns=\"http://www.w3.org/2000/svg\"/>" },
        Write {
            field: "assets",
            file: "content/bundle/map.svg",
            text: "<svg xmlns=\"http://www.w3.org/2000/svg\">x</svg>",
        },
    ]
}

/// Every file of a built output but the build's own records.
fn on_disk(folder: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(folder)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(folder).unwrap().display().to_string(), std::fs::read(e.path()).unwrap()))
        .filter(|(path, _)| !path.starts_with(".depeche"))
        .collect()
}

/// What the preview serves, as file contents.
fn in_memory(session: &Session) -> BTreeMap<String, Vec<u8>> {
    let rendered = session.rendered().expect("a good render");
    rendered
        .files
        .iter()
        .flat_map(|(path, contents)| match &**contents {
            Contents::Text(text) => vec![(path.clone(), text.as_bytes().to_vec())],
            Contents::Bytes(bytes) => vec![(path.clone(), bytes.to_vec())],
            Contents::Copy(file) | Contents::Kept(file) => vec![(path.clone(), std::fs::read(file).unwrap())],
            Contents::KeptFolder(folder) => walkdir::WalkDir::new(folder)
                .into_iter()
                .map(|e| e.unwrap())
                .filter(|e| e.file_type().is_file())
                .map(|e| {
                    let inside = e.path().strip_prefix(folder).unwrap().display().to_string();
                    (format!("{path}{inside}"), std::fs::read(e.path()).unwrap())
                })
                .collect(),
        })
        .collect()
}

fn assert_same(what: &str, ours: &BTreeMap<String, Vec<u8>>, clean: &BTreeMap<String, Vec<u8>>) {
    assert_eq!(ours.keys().collect::<Vec<_>>(), clean.keys().collect::<Vec<_>>(), "{what}: not the same files");
    for (path, bytes) in ours {
        if bytes != &clean[path] {
            panic!(
                "{what}: {path} differs from a clean build:\n{}\n---\n{}",
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(&clean[path])
            );
        }
    }
}

#[test]
fn every_field_of_a_brief_reaches_the_cached_rebuild_and_the_preview() {
    let site = TestSite::new(
        "title = \"Fields\"\nbase_url = \"https://fields.example.org/\"\npaginate = 2\nlanguages = [\"fr\", \"en\"]\n",
    );
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
    site.write("static/img/a.svg", svg).write("static/img/b.svg", svg);
    site.write("content/main.md", MAIN);
    for (name, date, lang) in [("other-fr", "2022-01-05", "fr"), ("older", "2021-06-01", "en")] {
        site.brief(
            &format!("{name}.md"),
            &format!("{}lang: {lang}\ntags: [Alpha]\n", common::sourced(name, date)),
            "Another brief.\n",
        );
    }
    site.brief("bundle/index.md", &common::sourced("Bundle", "2022-01-07"), "A bundle.\n");
    site.write("content/bundle/photo.svg", svg);

    let root = site.root().canonicalize().unwrap();
    let mut session = Session::new(&root, false);
    session.rebuild(&Changes::default()).unwrap();
    site.build();

    let mut edited: Vec<&'static str> = Vec::new();
    let mut main_path = PathBuf::from("content/main.md");
    for edit in edits() {
        let mut changes = Changes::default();
        let field = match edit {
            Edit::Main { field, from, to } => {
                let text = std::fs::read_to_string(site.root().join(&main_path)).unwrap();
                assert!(text.contains(from), "{field}: {from:?} not in\n{text}");
                site.write(main_path.to_str().unwrap(), &text.replacen(from, to, 1));
                changes.briefs.insert(root.join(&main_path));
                field
            }
            Edit::Write { field, file, text } => {
                site.write(file, text);
                changes.content_files = true;
                field
            }
            Edit::Rename { field, from, to } => {
                std::fs::create_dir_all(site.root().join(to).parent().unwrap()).unwrap();
                std::fs::rename(site.root().join(from), site.root().join(to)).unwrap();
                changes.briefs.extend([root.join(from), root.join(to)]);
                main_path = PathBuf::from(to);
                field
            }
        };
        edited.push(field);
        let clean_folder = tempfile::tempdir().unwrap();
        let clean_output = clean_folder.path().join("out");
        depeche::build(&depeche::BuildOptions {
            output: Some(clean_output.clone()),
            fresh: true,
            ..depeche::BuildOptions::new(site.root())
        })
        .unwrap_or_else(|e| panic!("{field}: {e} {:?}", e.diagnostics()));
        let clean = on_disk(&clean_output);

        site.build();
        assert_same(&format!("cached rebuild after the {field} edit"), &on_disk(&site.output()), &clean);
        session.rebuild(&changes).unwrap_or_else(|e| panic!("{field}: {e:?}"));
        // As the preview does, off the edit path: the search index, then a rebuild.
        while let Some(work) = session.take_pending_work() {
            work.make();
            session.rebuild(&Changes { work_done: true, ..Changes::default() }).unwrap();
        }
        assert_same(&format!("preview after the {field} edit"), &in_memory(&session), &clean);
    }

    // Every field is edited.
    let brief = depeche::pipeline::load_site(&depeche::BuildOptions::new(site.root())).unwrap().site.briefs[0].clone();
    for field in fields(&brief) {
        assert!(edited.contains(&field), "no edit changes `{field}`");
    }
}
