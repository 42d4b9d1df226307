//! `depeche init` and `depeche new`: files written for the editor to fill in. Neither ever
//! overwrites a file.

use std::path::{Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::content::front_matter::skeleton;
use crate::content::slugify;
use crate::error::{Error, Result};
use crate::pipeline::load_config;
use crate::site_files::CONTENT_DIR;

const INIT_CONFIG: &str = r#"# The site's settings: https://depeche.example.org/guide/reference/config.html
title = "My briefs"
# base_url = "https://news.example.org/"
language = "en"
# The licence of your own text, shown in every page footer.
license = "CC-BY-4.0"
# publisher = "My newsroom"
# paginate = 20
# permalink = "/{year}/{month}/{slug}/"
"#;

const INIT_BRIEF: &str = r#"---
title: Welcome to your Depeche site
date: {date}
tags: [Depeche]
sources:
  - name: The Depeche user guide
    url: https://depeche.example.org/guide/
---

This is your first brief. Each brief is one Markdown file in `content/`, with its
sources and its image credit in the front matter above.

Write a new one with `depeche new "Title"`, then run `depeche build`: the site is
written to `public/`.
"#;

fn write_new(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut file| std::io::Write::write_all(&mut file, text.as_bytes()))
        .map_err(|e| Error::io("create", path, e))
}

/// Scaffolds a site in `dir` (created if missing) and returns the files written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>> {
    if dir.join(CONFIG_FILE).exists() {
        return Err(Error::Usage(format!("{} already holds a {CONFIG_FILE}: nothing written", dir.display())));
    }
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    let files = [
        (dir.join(CONFIG_FILE), INIT_CONFIG.to_string()),
        (dir.join(CONTENT_DIR).join("welcome.md"), INIT_BRIEF.replace("{date}", &today)),
        (dir.join(".gitignore"), "/public/\n/.depeche/\n".to_string()),
    ];
    if let Some((existing, _)) = files.iter().find(|(path, _)| path.exists()) {
        return Err(Error::Usage(format!("{} already exists: nothing written", existing.display())));
    }
    for (path, text) in &files {
        write_new(path, text)?;
    }
    std::fs::create_dir_all(dir.join("static")).map_err(|e| Error::io("create", dir.join("static"), e))?;
    Ok(files.into_iter().map(|(path, _)| path).collect())
}

/// Writes a new brief with a front-matter skeleton into content/ and returns its path.
/// The language defaults to the site's.
pub fn new_brief(root: &Path, title: &str, lang: Option<&str>) -> Result<PathBuf> {
    let (config, _) = load_config(root)?;
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(Error::Usage(format!("cannot make a file name from the title {title:?}")));
    }
    let lang = lang.unwrap_or(&config.language);
    if !language_tags::LanguageTag::parse(lang).is_ok_and(|t| t.is_valid()) {
        return Err(Error::Usage(format!("--lang {lang:?} is not a BCP 47 language tag such as fr or en")));
    }
    let path = root.join(CONTENT_DIR).join(format!("{slug}.md"));
    if path.exists() {
        return Err(Error::Usage(format!("{} already exists: choose another title", path.display())));
    }
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    write_new(&path, &skeleton(title, &today, lang))?;
    Ok(path)
}
