//! Front matter: splitting a brief into its YAML block and Markdown body, and reading the
//! YAML into [`RawFrontMatter`] (and authors.yaml into [`RawRegistry`]); `content::locator`
//! maps positions inside the YAML back to lines of the file. This is the only module that
//! knows serde_yaml, so that the deprecated crate can be swapped without touching the rest.

use crate::diagnostic::Code;
use serde::Deserialize;

/// A brief's text split at its `---` fences. Lines are 1-based lines of the whole file.
#[derive(Debug, Clone, Copy)]
pub struct Document<'a> {
    pub yaml: &'a str,
    /// The file line of the opening `---`.
    pub opening_line: usize,
    pub body: &'a str,
}

/// Why a file could not be split into front matter and body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    #[error("the file is empty: a brief starts with front matter between `---` lines")]
    Empty,
    #[error("the file has no front matter: its first line must be `---`")]
    Missing { line: usize },
    #[error("the front matter opened on line {opening_line} is never closed: add a line `---` after it")]
    Unclosed { opening_line: usize },
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Splits normalised text (see [`normalise_text`]). Blank lines before the opening fence
/// are allowed.
pub fn split(text: &str) -> Result<Document<'_>, SplitError> {
    if text.trim().is_empty() {
        return Err(SplitError::Empty);
    }
    let mut offset = 0;
    let mut line_number = 0;
    let mut lines = text.split_inclusive('\n');
    let opening_line = loop {
        let Some(line) = lines.next() else {
            return Err(SplitError::Empty);
        };
        line_number += 1;
        offset += line.len();
        if is_fence(line) {
            break line_number;
        }
        if !line.trim().is_empty() {
            return Err(SplitError::Missing { line: line_number });
        }
    };
    let yaml_start = offset;
    for line in lines {
        if is_fence(line) {
            return Ok(Document { yaml: &text[yaml_start..offset], opening_line, body: &text[offset + line.len()..] });
        }
        offset += line.len();
    }
    Err(SplitError::Unclosed { opening_line })
}

#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFrontMatter {
    pub title: Option<String>,
    pub date: Option<String>,
    pub updated: Option<String>,
    pub expires: Option<String>,
    pub lang: Option<String>,
    pub slug: Option<String>,
    pub summary: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub corrections: Option<Vec<RawCorrection>>,
    pub tags: Option<Vec<String>>,
    pub authors: Option<Vec<String>>,
    pub draft: Option<bool>,
    pub sources: Option<Vec<RawSource>>,
    pub image: Option<RawImage>,
    pub media: Option<Vec<RawImage>>,
    pub translations: Option<std::collections::BTreeMap<String, String>>,
    pub extra: Option<serde_json::Value>,
}

#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCorrection {
    pub date: Option<String>,
    pub text: Option<String>,
    pub kind: Option<String>,
}

#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSource {
    pub name: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub date: Option<String>,
    pub archive_url: Option<String>,
}

#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawImage {
    pub src: Option<String>,
    pub alt: Option<String>,
    pub title: Option<String>,
    pub author: Option<String>,
    pub author_url: Option<String>,
    pub source: Option<String>,
    pub source_url: Option<String>,
    pub license: Option<String>,
    pub modified: Option<bool>,
    pub focus: Option<Vec<f64>>,
}

/// One person of authors.yaml, under their name as bylines write it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAuthor {
    pub url: Option<String>,
    pub bio: Option<RawBio>,
    pub same_as: Option<Vec<String>>,
    pub photo: Option<RawImage>,
}

/// authors.yaml: each name with its profile (empty when the name is written alone), in
/// the file's order. A name written twice is an error, not the second one silently
/// replacing the first.
#[derive(Debug, Default)]
pub(crate) struct RawRegistry(pub Vec<(String, Option<RawAuthor>)>);

impl<'de> Deserialize<'de> for RawRegistry {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Names;
        impl<'de> serde::de::Visitor<'de> for Names {
            type Value = RawRegistry;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map from each author's name to their profile")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<RawRegistry, A::Error> {
                let mut entries: Vec<(String, Option<RawAuthor>)> = Vec::new();
                // A registry may hold thousands of names: each is looked for once.
                let mut seen = std::collections::HashSet::new();
                while let Some(name) = map.next_key::<String>()? {
                    if !seen.insert(name.clone()) {
                        return Err(serde::de::Error::custom(format!("{name:?} is written twice")));
                    }
                    entries.push((name, map.next_value()?));
                }
                Ok(RawRegistry(entries))
            }
        }
        deserializer.deserialize_map(Names)
    }
}

/// A biography: one text, or one per language (`fr: …`, `en: …`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum RawBio {
    One(String),
    PerLanguage(std::collections::BTreeMap<String, String>),
}

/// A YAML or schema error, placed in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct YamlError {
    pub code: Code,
    pub message: String,
    pub help: Option<String>,
    pub position: Option<(usize, usize)>,
}

/// The most front matter a brief may have. A brief's front matter is a few hundred bytes;
/// the limit leaves room for dozens of sources while keeping hostile input (megabytes of
/// nested brackets, which the YAML parser takes quadratic time to refuse) from stalling a
/// build or the preview.
pub const MAX_FRONT_MATTER: usize = 64 * 1024;

/// The deepest nesting of flow collections (`[`, `{`) front matter may have: ours needs
/// three, `extra` a few more.
pub const MAX_FLOW_DEPTH: usize = 16;

/// Reads the YAML block into the raw front matter. An empty block reads as empty. Front
/// matter too large or too deeply nested is refused before the YAML parser sees it.
pub(crate) fn parse(document: &Document) -> Result<RawFrontMatter, YamlError> {
    read_yaml(document, MAX_FRONT_MATTER, "the front matter", "move long text into the body of the brief")
}

/// Reads a YAML document (front matter, authors.yaml) into `T`, refusing one over `limit`
/// bytes (`what` and `help` word that refusal) or nested too deep, before the YAML parser
/// sees it. An empty document reads as `T::default()`.
pub(crate) fn read_yaml<T: serde::de::DeserializeOwned + Default>(
    document: &Document,
    limit: usize,
    what: &str,
    help: &str,
) -> Result<T, YamlError> {
    if document.yaml.trim().is_empty() {
        return Ok(T::default());
    }
    if document.yaml.len() > limit {
        return Err(YamlError {
            code: Code::TooLarge,
            message: format!("{what} is {} KiB: at most {} KiB is read", document.yaml.len() / 1024, limit / 1024),
            help: Some(help.into()),
            position: Some(document_start(document)),
        });
    }
    if let Some((offset, depth)) = too_deep(document.yaml) {
        let (line, column) = crate::diagnostic::line_column(document.yaml, offset);
        return Err(YamlError {
            code: Code::TooDeep,
            message: format!("brackets nested {depth} deep: {what} nests at most {MAX_FLOW_DEPTH} deep"),
            help: Some("write lists and maps as indented blocks, not nested brackets".into()),
            position: Some((document.opening_line + line, column)),
        });
    }
    serde_yaml::from_str(document.yaml).map_err(|error| {
        let position = error.location().map(|l| (document.opening_line + l.line(), l.column()));
        let full = in_file_lines(&error.to_string(), document.opening_line);
        // serde_yaml appends " at line L column C"; we show the position our own way.
        let message = match (position, full.rfind(" at line ")) {
            (Some(_), Some(i)) => full[..i].to_string(),
            _ => full,
        };
        yaml_error(message, position)
    })
}

/// The position of the front matter's first line.
fn document_start(document: &Document) -> (usize, usize) {
    (document.opening_line + 1, 1)
}

/// Where flow collections first nest deeper than [`MAX_FLOW_DEPTH`], and how deep: a scan
/// that skips quoted text and comments, linear in the text.
fn too_deep(yaml: &str) -> Option<(usize, usize)> {
    // Fewer brackets than the limit cannot nest past it: most front matter has one or two.
    let brackets = yaml.as_bytes().iter().fold(0usize, |n, &b| n + usize::from((b == b'[') | (b == b'{')));
    if brackets <= MAX_FLOW_DEPTH {
        return None;
    }
    // Every character that matters is ASCII, so bytes do (a UTF-8 continuation byte is
    // never one of them).
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut escaped = false;
    let mut previous = b'\n';
    let mut in_comment = false;
    for (offset, &c) in yaml.as_bytes().iter().enumerate() {
        if in_comment {
            in_comment = c != b'\n';
        } else if let Some(open) = quote {
            if escaped {
                escaped = false;
            } else if open == b'"' && c == b'\\' {
                escaped = true;
            } else if c == open {
                quote = None;
            }
        } else {
            match c {
                b'"' | b'\'' if matches!(previous, b' ' | b'\t' | b'\n' | b'[' | b'{' | b',' | b':' | b'-') => {
                    quote = Some(c)
                }
                b'#' if previous.is_ascii_whitespace() => in_comment = true,
                b'[' | b'{' => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Some((offset, depth));
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        previous = c;
    }
    None
}

/// serde_yaml's message with every "line N" counted from the file, not from the front
/// matter (a message can name two positions: "… at line 3 column 1, while parsing a block
/// mapping at line 2 column 1").
fn in_file_lines(message: &str, opening_line: usize) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find("line ") {
        let (before, after) = rest.split_at(at + "line ".len());
        out.push_str(before);
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        match after[..digits].parse::<usize>() {
            Ok(line) => out.push_str(&(line + opening_line).to_string()),
            Err(_) => out.push_str(&after[..digits]),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

fn yaml_error(message: String, position: Option<(usize, usize)>) -> YamlError {
    if let Some(at) = message.find("unknown field `") {
        let context = message[..at].trim_end_matches([':', ' ']);
        if let Some(unknown) = crate::suggest::unknown_field(&message[at..]) {
            let place = if context.is_empty() { String::new() } else { format!(" in `{context}`") };
            return YamlError {
                code: Code::UnknownKey,
                message: format!("unknown key `{}`{place}", unknown.field),
                help: Some(format!("{}; free-form data goes under `extra`", unknown.help)),
                position,
            };
        }
    }
    let help = if message.contains("expected a sequence") {
        Some("write a list, e.g. `tags: [Ukraine, Europe]` or one `- item` per line".to_string())
    } else if message.contains("expected a boolean") {
        Some("write true or false".to_string())
    } else {
        None
    };
    YamlError { code: Code::YamlSyntax, message, help, position }
}

/// Front matter written by the importer, in the order editors read it.
#[derive(Debug, serde::Serialize)]
pub struct NewFrontMatter {
    pub title: String,
    pub date: String,
    pub lang: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<NewSource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<NewImage>,
    /// The other images the text credited, for the editor to place in the body.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub media: Vec<NewImage>,
}

#[derive(Debug, serde::Serialize)]
pub struct NewSource {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, serde::Serialize)]
pub struct NewImage {
    pub src: String,
    /// Empty for the images of the body, whose alt text the Markdown gives.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub alt: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub modified: bool,
}

/// The YAML of new front matter between its `---` fences. A comment follows the image's
/// `src` placeholder so that the editor sees what to fill in.
pub fn write(front_matter: &NewFrontMatter) -> String {
    let yaml = serde_yaml::to_string(front_matter).expect("plain strings and lists always serialise");
    let placeholder_line = format!("  src: {}", super::IMAGE_SRC_PLACEHOLDER);
    let yaml = yaml.replace(
        &placeholder_line,
        &format!("{placeholder_line}  # fill in: the image file, beside this brief or under static/"),
    );
    let media_line = format!("- src: {}\n", super::IMAGE_SRC_PLACEHOLDER);
    let yaml = yaml.replace(
        &media_line,
        &format!(
            "- src: {}  # fill in: the file, and show it in the body: ![description](file)\n",
            super::IMAGE_SRC_PLACEHOLDER
        ),
    );
    format!("---\n{yaml}---\n")
}

/// One value as a YAML scalar on one line, quoted only where YAML needs it (a colon and
/// space, a leading `#`, `yes`…): for edits that add a key to a file in place.
pub fn scalar(value: &str) -> String {
    let one_line = value.split_whitespace().collect::<Vec<_>>().join(" ");
    let yaml = serde_yaml::to_string(&one_line).unwrap_or_else(|_| format!("{one_line:?}\n"));
    yaml.trim_end_matches('\n').to_string()
}

/// The front matter `depeche new` writes: the title quoted as YAML requires.
pub fn skeleton(title: &str, date: &str, lang: &str) -> String {
    let quoted = serde_yaml::to_string(title).unwrap_or_else(|_| format!("{title:?}\n"));
    format!(
        "---\ntitle: {quoted}date: {date}\nlang: {lang}\ntags: []\n\
# Who reported it, one entry per source:\n\
# sources:\n\
#   - name: Reuters\n\
#     url: https://www.reuters.com/\n\
# The lead image and its credit (title, author, source, licence):\n\
# image:\n\
#   src: photo.jpg\n\
#   alt: What the image shows\n\
#   title: Title of the original work\n\
#   author: Its author\n\
#   source: Wikimedia Commons\n\
#   source_url: https://commons.wikimedia.org/\n\
#   license: CC-BY-SA-4.0\n\
---\n\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_brackets_are_found_in_linear_time_and_quoted_ones_ignored() {
        assert_eq!(too_deep("a: [1, [2, {b: 3}]]\n"), None);
        let deep = format!("extra: {}{}\n", "[".repeat(200_000), "]".repeat(200_000));
        let started = std::time::Instant::now();
        assert_eq!(too_deep(&deep), Some((7 + MAX_FLOW_DEPTH, MAX_FLOW_DEPTH + 1)));
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        assert_eq!(too_deep(&format!("title: \"{}\"\n", "[".repeat(100))), None);
        assert_eq!(too_deep(&format!("title: x # {}\n", "[".repeat(100))), None);
    }

    #[test]
    fn yaml_messages_count_lines_from_the_file() {
        assert_eq!(
            in_file_lines(
                "did not find expected key at line 3 column 1, while parsing a block mapping at line 2 column 1",
                1
            ),
            "did not find expected key at line 4 column 1, while parsing a block mapping at line 3 column 1"
        );
    }

    #[test]
    fn splits_at_fences() {
        let doc = split("---\ntitle: a\n---\nBody\n").unwrap();
        assert_eq!(doc.yaml, "title: a\n");
        assert_eq!(doc.body, "Body\n");
        assert_eq!(doc.opening_line, 1);
    }

    #[test]
    fn split_errors() {
        assert_eq!(split("").unwrap_err(), SplitError::Empty);
        assert_eq!(split("  \n\n").unwrap_err(), SplitError::Empty);
        assert_eq!(split("\ntitle: a\n").unwrap_err(), SplitError::Missing { line: 2 });
        assert_eq!(split("---\ntitle: a\n").unwrap_err(), SplitError::Unclosed { opening_line: 1 });
    }

    #[test]
    fn bom_and_crlf_are_normalised() {
        let text = crate::site_files::normalise_text("\u{feff}---\r\ntitle: a\r\n---\r\nBody\r\n");
        let doc = split(&text).unwrap();
        assert_eq!(doc.yaml, "title: a\n");
        assert_eq!(doc.body, "Body\n");
    }

    #[test]
    fn unknown_key_is_placed_and_explained() {
        let doc = split("---\ntitle: a\nsorces: []\n---\n").unwrap();
        let error = parse(&doc).unwrap_err();
        assert_eq!(error.code, Code::UnknownKey);
        assert_eq!(error.message, "unknown key `sorces`");
        assert_eq!(error.position, Some((3, 1)));
        assert!(error.help.unwrap().starts_with("did you mean `sources`?"));
    }

    #[test]
    fn nested_unknown_key_names_its_parent() {
        let doc = split("---\ntitle: a\nimage:\n  src: a.png\n  autor: X\n---\n").unwrap();
        let error = parse(&doc).unwrap_err();
        assert_eq!(error.message, "unknown key `autor` in `image`");
        assert_eq!(error.position, Some((5, 3)));
    }

    #[test]
    fn skeleton_quotes_titles() {
        let text = skeleton("Élections : le « second tour »", "2026-11-29", "fr");
        let doc = split(&text).unwrap();
        let raw = parse(&doc).unwrap();
        assert_eq!(raw.title.as_deref(), Some("Élections : le « second tour »"));
        assert_eq!(raw.lang.as_deref(), Some("fr"));
    }
}
