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
pub fn new_brief(root: &Path, title: &str, lang: Option<&str>, image: Option<&Path>) -> Result<PathBuf> {
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
    let mut text = skeleton(title, &today, lang);
    if let Some(image) = image {
        text = with_image(root, &text, image)?;
    }
    write_new(&path, &text)?;
    Ok(path)
}

/// The skeleton with an `image:` block for `image`, its credit started from what the file
/// says of itself (its creator; its copyright notice as a comment, to read before choosing
/// the licence).
fn with_image(root: &Path, text: &str, image: &Path) -> Result<String> {
    let absolute = |path: &Path| std::fs::canonicalize(path).map_err(|error| Error::io("read", path, error));
    let file = absolute(image)?;
    let src = if let Ok(relative) = file.strip_prefix(absolute(&root.join(CONTENT_DIR))?) {
        relative.to_string_lossy().replace('\\', "/")
    } else if let Some(relative) = absolute(&root.join(crate::site_files::STATIC_DIR))
        .ok()
        .and_then(|dir| file.strip_prefix(dir).ok().map(Path::to_path_buf))
    {
        format!("/{}", relative.to_string_lossy().replace('\\', "/"))
    } else {
        return Err(Error::Usage(format!(
            "{} is outside the site: put it into content/ (beside the brief) or static/ first",
            image.display()
        )));
    };
    let bytes = std::fs::read(&file).map_err(|error| Error::io("read", &file, error))?;
    let embedded = crate::images::metadata::read(&bytes);
    let mut fields = vec![("src", Some(src)), ("alt", Some(String::new()))];
    fields.push(("author", embedded.creator.clone()));
    let written = crate::content::edit::set_image_credit(text, &fields)
        .map_err(|error| Error::Usage(format!("cannot write the image block: {error}")))?;
    let note = match (&embedded.creator, &embedded.rights) {
        (None, None) => {
            "  # the file names no creator or copyright: fill in title, author, source and licence\n".to_string()
        }
        (_, Some(rights)) => format!(
            "  # the file's copyright notice: {}: fill in title, source and the licence it allows\n",
            crate::content::front_matter::scalar(rights)
        ),
        (Some(_), None) => "  # author from the file's metadata: fill in title, source and licence\n".to_string(),
    };
    Ok(written.replacen("  alt: ''\n", &format!("  alt: ''  # say what the image shows\n{note}"), 1))
}
