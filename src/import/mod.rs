//! `depeche import`: plain-text briefs (title on the first line, paragraphs, a
//! "Source: …" line, an image credit written as a sentence) → Markdown briefs with
//! structured sources and image credits.

pub mod credit;
pub mod parse;

use std::path::{Path, PathBuf};

use crate::content::front_matter::{self, NewFrontMatter, NewImage, NewSource};
use crate::content::{BriefDate, IMAGE_SRC_PLACEHOLDER, slugify};
use crate::error::{Error, Result};
use crate::images::metadata::Embedded;
use crate::pipeline::load_config;
use crate::site_files::CONTENT_DIR;
pub use parse::Parsed;

/// `--lang`: detect, or force a language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LangChoice {
    Auto,
    Given(String),
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The site, for its content/ folder and default language.
    pub root: PathBuf,
    pub lang: LangChoice,
    /// Where to write the briefs; the site's content/ by default.
    pub into: Option<PathBuf>,
    /// The briefs' date (YYYY-MM-DD or RFC 3339); each file's modification date otherwise.
    pub date: Option<String>,
    /// Print the Markdown instead of writing it.
    pub dry_run: bool,
    /// Replace existing briefs.
    pub force: bool,
    /// Keep the short lines between title and body.
    pub keep_all: bool,
}

/// What importing one file did.
#[derive(Debug)]
pub struct Imported {
    pub input: PathBuf,
    /// The brief written (or that would be written, with `--dry-run`).
    pub output: PathBuf,
    pub markdown: String,
    pub parsed: Parsed,
    pub lang: String,
    pub lang_detected: bool,
    /// The image found beside the text, and where it was copied.
    pub image: Option<(ImageBeside, PathBuf)>,
}

/// An image beside the text file, with the same name (`storm.txt`, `storm.jpg`): the
/// brief's lead image, its credit started from what the file says of itself.
#[derive(Debug, Clone)]
pub struct ImageBeside {
    pub file: PathBuf,
    /// Its `src` in the brief: the brief's slug with the image's extension.
    pub src: String,
    /// The creator and copyright notice written in the file (XMP, EXIF).
    pub embedded: crate::images::metadata::Embedded,
}

/// The extensions an image beside a text file may have.
const IMAGE_EXTENSIONS: [&str; 7] = ["jpg", "jpeg", "png", "webp", "gif", "svg", "avif"];

/// The image beside `input` with its name, if there is one (`storm.txt` → `storm.jpg`,
/// `storm.JPG`…), to be published as `slug.EXT`.
fn image_beside(input: &Path, slug: &str) -> Result<Option<ImageBeside>> {
    let Some(folder) = input.parent() else {
        return Ok(None);
    };
    let stem = input.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let Ok(entries) = std::fs::read_dir(if folder.as_os_str().is_empty() { Path::new(".") } else { folder }) else {
        return Ok(None);
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.file_stem().is_some_and(|s| s.to_string_lossy() == stem) && path.is_file())
        .filter(|path| {
            let extension = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
            IMAGE_EXTENSIONS.contains(&extension.as_str())
        })
        .collect();
    found.sort();
    let Some(file) = found.first().cloned() else {
        return Ok(None);
    };
    if found.len() > 1 {
        let names: Vec<String> = found.iter().map(|f| f.display().to_string()).collect();
        return Err(Error::Usage(format!(
            "{}: more than one image beside it ({}): keep the one the brief leads with",
            input.display(),
            names.join(", ")
        )));
    }
    let extension = file.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let extension = if extension == "jpeg" { "jpg".to_string() } else { extension };
    let bytes = std::fs::read(&file).map_err(|e| Error::io("read", &file, e))?;
    let embedded = crate::images::metadata::read(&bytes);
    Ok(Some(ImageBeside { file, src: format!("{slug}.{extension}"), embedded }))
}

/// Plain text turned into a brief.
#[derive(Debug)]
pub struct Converted {
    pub markdown: String,
    pub parsed: Parsed,
    pub lang: String,
    pub lang_detected: bool,
}

/// Turns plain text into the Markdown of a brief. `default_lang` serves when the text
/// says too little to tell French from English. An image found beside the text fills the
/// lead image's `src`, and its `author` when the credit sentence names none (or when
/// there is no credit sentence).
pub fn to_markdown(
    text: &str,
    lang: &LangChoice,
    (date, default_lang): (&str, &str),
    keep_all: bool,
    beside: Option<&ImageBeside>,
) -> Option<Converted> {
    let text = crate::site_files::normalise_text(text);
    let parsed = parse::parse(&text, &parse::ParseOptions { keep_all })?;
    let body_text: String = parsed.paragraphs.iter().flatten().map(|l| format!("{l}\n")).collect();
    let (lang, lang_detected) = match lang {
        LangChoice::Given(lang) => (lang.clone(), false),
        LangChoice::Auto => match parse::detect_language(&format!("{}\n{body_text}", parsed.title)) {
            Some(lang) => (lang.to_string(), true),
            None => (default_lang.to_string(), false),
        },
    };
    let new_image = |credit: &credit::Credit, alt: String| NewImage {
        src: IMAGE_SRC_PLACEHOLDER.to_string(),
        alt,
        title: credit.title.clone(),
        author: credit.author.clone(),
        source: credit.source.clone(),
        license: credit.license.map(|l| l.id.clone()).or_else(|| credit.license_text.clone()),
        modified: credit.modified,
    };
    let image = match (&parsed.credit, beside) {
        (Some(credit), _) => Some(new_image(credit, credit.title.clone().unwrap_or_else(|| parsed.title.clone()))),
        (None, Some(_)) => Some(NewImage {
            src: String::new(),
            alt: parsed.title.clone(),
            title: None,
            author: None,
            source: None,
            license: None,
            modified: false,
        }),
        (None, None) => None,
    };
    let image = image.map(|image| match beside {
        Some(beside) => NewImage {
            src: beside.src.clone(),
            author: image.author.or_else(|| beside.embedded.creator.clone()),
            ..image
        },
        None => image,
    });
    let media = parsed.more_credits.iter().map(|(credit, _)| new_image(credit, String::new())).collect();
    let front = NewFrontMatter {
        title: parsed.title.clone(),
        date: date.to_string(),
        lang: lang.clone(),
        sources: parsed.sources.iter().map(|s| NewSource { name: s.name.clone(), url: s.url.clone() }).collect(),
        image,
        media,
    };
    let mut markdown = front_matter::write(&front);
    for paragraph in &parsed.paragraphs {
        markdown.push('\n');
        for line in paragraph {
            markdown.push_str(&parse::escape_markdown_line(line));
            markdown.push('\n');
        }
    }
    Some(Converted { markdown, parsed, lang, lang_detected })
}

fn file_date(path: &Path) -> Option<String> {
    let modified = std::fs::metadata(path).ok()?.modified().ok()?;
    Some(chrono::DateTime::<chrono::Local>::from(modified).format("%Y-%m-%d").to_string())
}

/// Imports one file; errors name it.
pub fn import_file(input: &Path, options: &ImportOptions, default_lang: &str) -> Result<Imported> {
    let bytes = std::fs::read(input).map_err(|e| Error::io("read", input, e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::Usage(format!(
            "{}: not UTF-8 text (first bad byte at offset {})",
            input.display(),
            e.utf8_error().valid_up_to()
        ))
    })?;
    let date = match &options.date {
        Some(date) => date.clone(),
        None => file_date(input).unwrap_or_else(|| chrono::Local::now().format("%Y-%m-%d").to_string()),
    };
    let title = crate::site_files::normalise_text(&text);
    let title = parse::parse(&title, &parse::ParseOptions { keep_all: options.keep_all }).map(|p| p.title);
    let beside = match &title {
        Some(title) => image_beside(input, &slugify(title))?,
        None => None,
    };
    let Converted { markdown, parsed, lang, lang_detected } =
        to_markdown(&text, &options.lang, (&date, default_lang), options.keep_all, beside.as_ref())
            .ok_or_else(|| Error::Usage(format!("{}: the file is empty: nothing to import", input.display())))?;
    let slug = slugify(&parsed.title);
    if slug.is_empty() {
        return Err(Error::Usage(format!(
            "{}: cannot make a file name from the title {:?}",
            input.display(),
            parsed.title
        )));
    }
    let folder = options.into.clone().unwrap_or_else(|| options.root.join(CONTENT_DIR));
    let output = folder.join(format!("{slug}.md"));
    let image = beside.map(|beside| {
        let copy = folder.join(&beside.src);
        (beside, copy)
    });
    if !options.dry_run {
        let image_bytes = match &image {
            Some((beside, copy)) => {
                let bytes = std::fs::read(&beside.file).map_err(|e| Error::io("read", &beside.file, e))?;
                // The same file already there (imported before) is no conflict.
                let same = std::fs::read(copy).is_ok_and(|existing| existing == bytes);
                writable(input, copy, options.force || same)?;
                Some((bytes, copy))
            }
            None => None,
        };
        writable(input, &output, options.force)?;
        std::fs::create_dir_all(&folder).map_err(|e| Error::io("create", &folder, e))?;
        if let Some((bytes, copy)) = image_bytes {
            write_replacing(&folder, copy, &bytes)?;
        }
        write_replacing(&folder, &output, markdown.as_bytes())?;
    }
    Ok(Imported { input: input.to_path_buf(), output, markdown, parsed, lang, lang_detected, image })
}

/// Whether `output` may be written: never through a symbolic link, and over an existing
/// file only when `replace` says so.
fn writable(input: &Path, output: &Path, replace: bool) -> Result<()> {
    let existing = std::fs::symlink_metadata(output).ok();
    if existing.as_ref().is_some_and(|m| m.file_type().is_symlink()) {
        return Err(Error::Usage(format!(
            "{}: {} is a symbolic link: refusing to write through it, whatever --force says",
            input.display(),
            output.display()
        )));
    }
    if existing.is_some() && !replace {
        return Err(Error::Usage(format!(
            "{}: {} already exists; pass --force to replace it",
            input.display(),
            output.display()
        )));
    }
    Ok(())
}

/// Writes `bytes` to `output` through a new file in `folder` renamed over it: whatever
/// stands at `output` meanwhile (a link put there since the check) is replaced, never
/// followed, and a failed write leaves the previous file whole.
fn write_replacing(folder: &Path, output: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = tempfile::NamedTempFile::new_in(folder).map_err(|e| Error::io("create a file in", folder, e))?;
    std::io::Write::write_all(&mut file, bytes).map_err(|e| Error::io("write", output, e))?;
    // Temporary files are private (0600); a brief is an ordinary file of the site.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = file.as_file().set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    file.persist(output).map_err(|e| Error::io("write", output, e.error))?;
    Ok(())
}

/// Imports every file, going on after a file fails; one result per file, in order.
pub fn import_all(files: &[PathBuf], options: &ImportOptions) -> Result<Vec<Result<Imported>>> {
    if let Some(date) = &options.date
        && let Err(reason) = BriefDate::read(date)
    {
        return Err(Error::Usage(format!("--date {reason}")));
    }
    if let LangChoice::Given(lang) = &options.lang
        && !language_tags::LanguageTag::parse(lang).is_ok_and(|t| t.is_valid())
    {
        return Err(Error::Usage(format!("--lang {lang:?} is not a language tag such as fr or en")));
    }
    // The site's language breaks ties; without a site, English.
    let default_lang = load_config(&options.root).map(|(config, _)| config.language).unwrap_or_else(|_| "en".into());
    Ok(files.iter().map(|file| import_file(file, options, &default_lang)).collect())
}

/// What the importer recognised in one file, for people.
pub fn report(imported: &Imported, dry_run: bool) -> String {
    let p = &imported.parsed;
    let mut lines = vec![format!(
        "{} {} → {}",
        if dry_run { "Would import" } else { "Imported" },
        imported.input.display(),
        imported.output.display()
    )];
    lines.push(format!("  title:        {}", p.title));
    lines.push(format!("  language:     {}{}", imported.lang, if imported.lang_detected { " (detected)" } else { "" }));
    let sources: Vec<String> = p
        .sources
        .iter()
        .map(|s| match &s.url {
            Some(url) => format!("{} <{url}>", s.name),
            None => s.name.clone(),
        })
        .collect();
    lines.push(format!(
        "  sources:      {}",
        if sources.is_empty() { "none found".to_string() } else { sources.join("; ") }
    ));
    if let Some((beside, copy)) = &imported.image {
        lines.push(format!("  image:        {} → {}", beside.file.display(), copy.display()));
        let Embedded { creator, rights } = &beside.embedded;
        let said =
            [creator.as_ref().map(|c| format!("creator {c}")), rights.as_ref().map(|r| format!("copyright {r:?}"))];
        let said: Vec<String> = said.into_iter().flatten().collect();
        lines.push(format!(
            "  file says:    {}",
            if said.is_empty() { "no creator or copyright".to_string() } else { said.join(", ") }
        ));
    }
    let to_do = match imported.image {
        Some(_) => "check image.alt".to_string(),
        None => format!("fill in image.src ({IMAGE_SRC_PLACEHOLDER}) and check image.alt"),
    };
    match &p.credit {
        None if imported.image.is_some() => {
            lines.push("  credit:       none found".into());
            lines.push("  to do:        fill in image.title, source and license, and check image.alt".into());
        }
        None => lines.push("  credit:       none found".into()),
        Some(credit) => {
            let parts = [
                credit.title.as_ref().map(|t| format!("title “{t}”")),
                credit.author.as_ref().map(|a| format!("author {a}")),
                credit.source.as_ref().map(|s| format!("source {s}")),
                credit.modified.then(|| "adapted".to_string()),
            ];
            lines.push(format!("  credit:       {}", parts.into_iter().flatten().collect::<Vec<_>>().join(", ")));
            lines.push(format!(
                "  licence:      {}",
                match (credit.license, &credit.license_text) {
                    (Some(license), Some(text)) => format!("{} (from {text:?})", license.id),
                    (None, Some(text)) => format!("not recognised: {text:?} (the build will say why)"),
                    _ => "none found".to_string(),
                }
            ));
            lines.push(format!("  to do:        {to_do}"));
        }
    }
    for (_, line) in &p.more_credits {
        lines.push(format!("  more credit:  {line:?} → a media: entry: fill in its src and show it in the body"));
    }
    if !p.debris.is_empty() {
        lines.push(format!("  debris removed: {}", quoted(&p.debris)));
    }
    if !p.unclassified.is_empty() {
        lines.push(format!("  left in the body, unclassified: {}", quoted(&p.unclassified)));
    }
    crate::diagnostic::printable(&lines.join("\n")).into_owned()
}

fn quoted(lines: &[String]) -> String {
    lines.iter().map(|l| format!("{l:?}")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use pulldown_cmark::{Event, Parser};

    fn import(text: &str) -> Option<(String, Parsed)> {
        to_markdown(text, &LangChoice::Auto, ("2024-05-06", "en"), false, None).map(|c| (c.markdown, c.parsed))
    }

    /// The text a reader sees in the body of a brief, rendered by our Markdown dialect.
    fn rendered_words(markdown: &str) -> Vec<String> {
        let body = markdown.splitn(3, "---\n").nth(2).unwrap_or_default();
        let mut text = String::new();
        for event in Parser::new(body) {
            match event {
                Event::Text(t) | Event::Code(t) => text.push_str(&t),
                Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
                _ => {}
            }
        }
        text.split_whitespace().map(String::from).collect()
    }

    /// A word of a body paragraph, Markdown's special characters included.
    fn word() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zàéèêçôœ’']{1,10}",
            Just("*gras*".to_string()),
            Just("_souligné_".to_string()),
            Just("#tag".to_string()),
            Just("<b>".to_string()),
            Just("[lien](x)".to_string()),
            Just("a|b".to_string()),
            Just("`code`".to_string()),
            Just("&amp;".to_string()),
            Just("~x~".to_string()),
            Just("«".to_string()),
            Just("»".to_string()),
            Just("1.".to_string()),
            Just("-".to_string()),
            Just(">".to_string()),
            Just("\\".to_string()),
            Just("!".to_string()),
            "[0-9]{1,4}".prop_map(|s| s),
        ]
    }

    /// A body line: at least six words, ending with a full stop, so that it can only be
    /// body text.
    fn body_line() -> impl Strategy<Value = String> {
        (proptest::collection::vec(word(), 6..14), "[a-z]{2,8}")
            .prop_map(|(words, last)| format!("Texte {} {last}.", words.join(" ")))
    }

    fn source_line() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("Source : AFP".to_string()),
            Just("Sources: Microsoft (https://example.org/post), Reuters".to_string()),
            Just("Via The Verge".to_string()),
        ]
    }

    fn credit_line() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("Photo : Jean Martin / Wikimedia Commons, CC BY-SA 4.0".to_string()),
            Just("Featured image based on Flag of Ukraine by Wikimedia user UP9, used under the Creative Commons Attribution-ShareAlike 3.0 Unported License".to_string()),
        ]
    }

    /// Metadata lines after the body: sources, and at most one credit (a second credit
    /// line is kept in the body, by design).
    fn extra_lines() -> impl Strategy<Value = Vec<String>> {
        (proptest::collection::vec(source_line(), 0..3), proptest::option::of(credit_line())).prop_map(
            |(mut lines, credit)| {
                lines.extend(credit);
                lines
            },
        )
    }

    proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
            let _ = import(&text);
        }

        #[test]
        fn arbitrary_lines_never_panic(lines in proptest::collection::vec(prop_oneof![body_line(), source_line(), credit_line(), "\\PC{0,30}"], 0..12)) {
            let _ = import(&lines.join("\n"));
        }

        #[test]
        fn every_word_of_the_body_is_in_the_output(
            title in "[A-Z][a-z]{2,10}( [a-z]{2,10}){1,5}",
            paragraphs in proptest::collection::vec(proptest::collection::vec(body_line(), 1..4), 1..5),
            extras in extra_lines(),
            crlf in any::<bool>(),
        ) {
            let mut text = format!("{title}\n\n");
            for paragraph in &paragraphs {
                text.push_str(&paragraph.join("\n"));
                text.push_str("\n\n");
            }
            for extra in &extras {
                text.push_str(extra);
                text.push_str("\n\n");
            }
            if crlf {
                text = text.replace('\n', "\r\n");
            }
            let (markdown, parsed) = import(&text).unwrap();
            prop_assert_eq!(&parsed.title, &title);
            prop_assert_eq!(parsed.paragraphs.len(), paragraphs.len());
            let output = rendered_words(&markdown);
            let input: Vec<String> = paragraphs.iter().flatten().flat_map(|l| l.split_whitespace().map(String::from)).collect();
            prop_assert_eq!(output, input, "{}", markdown);
        }
    }
}
