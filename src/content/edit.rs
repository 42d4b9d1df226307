//! Edits of a brief's front matter made in place, for the commands that fill in what a
//! server told them (`depeche archive`, `depeche credit --into`): one key added or set,
//! every other byte of the file as it was (comments, order, quoting, line endings, the
//! body). Each edit is checked by reading the front matter before and after it: the
//! edited file must read as the original with that one change, or the edit is refused.

use super::front_matter::{self, Document, RawFrontMatter, RawImage, SplitError};
use super::locator::{Locator, Step};

/// Why a file was not edited.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("{0}")]
    Split(#[from] SplitError),
    #[error("the front matter does not read as YAML: {0}")]
    Yaml(String),
    #[error("{what} is not written in block style (one key per line), which this edit needs")]
    NotBlockStyle { what: String },
    #[error("the edit would change more than {what}: the file is left as it was")]
    Unsafe { what: String },
}

/// The text of a brief file, split where edits need it: the byte-order mark, if any, is
/// kept aside and put back.
struct Lines<'a> {
    bom: &'a str,
    lines: Vec<&'a str>,
    /// The end of line the file uses, for lines this edit adds.
    eol: &'static str,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        let (bom, rest) = match text.strip_prefix('\u{feff}') {
            Some(rest) => (&text[..'\u{feff}'.len_utf8()], rest),
            None => ("", text),
        };
        let eol = if rest.contains("\r\n") { "\r\n" } else { "\n" };
        Lines { bom, lines: rest.split_inclusive('\n').collect(), eol }
    }

    /// The text with `replacement` in place of lines `start..end` (0-based).
    fn splice(&self, start: usize, end: usize, replacement: &[String]) -> String {
        let mut text = String::from(self.bom);
        self.lines[..start].iter().for_each(|line| text.push_str(line));
        replacement.iter().for_each(|line| text.push_str(line));
        self.lines[end..].iter().for_each(|line| text.push_str(line));
        text
    }

    fn indent(&self, index: usize) -> usize {
        let line = self.lines[index];
        line.len() - line.trim_start_matches(' ').len()
    }

    /// The end (exclusive, 0-based) of the value of the key on line `index` written at
    /// `key_indent`: the lines after it indented deeper (a folded or continued value),
    /// without the blank lines and comments that follow them.
    fn value_end(&self, index: usize, key_indent: usize, limit: usize) -> usize {
        let mut end = index + 1;
        for next in index + 1..limit {
            let trimmed = self.lines[next].trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if self.indent(next) <= key_indent {
                break;
            }
            end = next + 1;
        }
        end
    }
}

fn read(document: &Document) -> Result<RawFrontMatter, EditError> {
    front_matter::parse(document).map_err(|error| EditError::Yaml(error.message))
}

/// The split document of a file's text without its byte-order mark, and its front matter.
fn parsed(text: &str) -> Result<(Document<'_>, RawFrontMatter), EditError> {
    let document = front_matter::split(text.strip_prefix('\u{feff}').unwrap_or(text))?;
    let raw = read(&document)?;
    Ok((document, raw))
}

/// Checks that `edited` reads as `expected`: the original front matter with the edit made.
fn verify(expected: RawFrontMatter, edited: &str, what: &str) -> Result<(), EditError> {
    match parsed(edited) {
        Ok((_, found)) if found == expected => Ok(()),
        _ => Err(EditError::Unsafe { what: what.to_string() }),
    }
}

/// Adds `key: value` to source number `index` (0-based) of `sources:`, on the line after
/// its `url` (and the lines that continue it). The source must not have `key` yet.
pub fn add_source_key(text: &str, index: usize, key: &str, value: &str) -> Result<String, EditError> {
    let (document, mut expected) = parsed(text)?;
    let what = format!("`{key}` of source {}", index + 1);
    let Some(source) = expected.sources.as_mut().and_then(|sources| sources.get_mut(index)) else {
        return Err(EditError::Unsafe { what });
    };
    let slot = match key {
        "archive_url" => &mut source.archive_url,
        "url" => &mut source.url,
        "title" => &mut source.title,
        "date" => &mut source.date,
        _ => return Err(EditError::Unsafe { what }),
    };
    if slot.is_some() {
        return Err(EditError::Unsafe { what });
    }
    *slot = Some(value.to_string());

    let locator = Locator::new(&document);
    let anchor = locator
        .find(&[Step::Key("sources"), Step::Item(index), Step::Key("url")])
        .or_else(|| locator.find(&[Step::Key("sources"), Step::Item(index), Step::Key("name")]))
        .ok_or_else(|| EditError::NotBlockStyle { what: format!("source {}", index + 1) })?;
    let lines = Lines::new(text);
    let (first, count) = locator.extent();
    let limit = first - 1 + count;
    let (line, column) = anchor;
    let key_indent = column - 1;
    let at = lines.value_end(line - 1, key_indent, limit);
    let added = format!("{}{key}: {}{}", " ".repeat(key_indent), front_matter::scalar(value), lines.eol);
    let edited = lines.splice(at, at, &[added]);
    verify(expected, &edited, &what)?;
    Ok(edited)
}

/// The keys of an image credit `set_image_credit` writes, in the order it adds them.
pub const CREDIT_KEYS: [&str; 6] = ["title", "author", "author_url", "source", "source_url", "license"];

/// Whether the front matter of `text` has a lead image.
pub fn has_image(text: &str) -> Result<bool, EditError> {
    Ok(parsed(text)?.1.image.is_some())
}

/// Sets the credit of the lead image (`image:`): each of `fields` (keys of
/// [`CREDIT_KEYS`], or `src`/`alt`) with a value replaces the key's value where it is
/// written, or is added at the end of the block; one without a value is removed; keys not
/// given are kept. A brief without `image:` gets a block at the end of its front matter.
pub fn set_image_credit(text: &str, fields: &[(&str, Option<String>)]) -> Result<String, EditError> {
    let (document, mut expected) = parsed(text)?;
    let image = expected.image.get_or_insert_with(RawImage::default);
    for (key, value) in fields {
        let slot = match *key {
            "src" => &mut image.src,
            "alt" => &mut image.alt,
            "title" => &mut image.title,
            "author" => &mut image.author,
            "author_url" => &mut image.author_url,
            "source" => &mut image.source,
            "source_url" => &mut image.source_url,
            "license" => &mut image.license,
            other => return Err(EditError::Unsafe { what: format!("`image.{other}`") }),
        };
        *slot = value.clone();
    }

    let locator = Locator::new(&document);
    let lines = Lines::new(text);
    let (first, count) = locator.extent();
    let limit = first - 1 + count;
    let line_of = |key: &str, indent: usize, value: &str| {
        format!("{}{key}: {}{}", " ".repeat(indent), front_matter::scalar(value), lines.eol)
    };
    let edited = match locator.find(&[Step::Key("image")]) {
        None => {
            if text.lines().any(|line| line.starts_with("image:")) {
                return Err(EditError::NotBlockStyle { what: "`image`".into() });
            }
            let block: Vec<String> = std::iter::once(format!("image:{}", lines.eol))
                .chain(fields.iter().filter_map(|(key, value)| Some(line_of(key, 2, value.as_deref()?))))
                .collect();
            lines.splice(limit, limit, &block)
        }
        Some((image_line, _)) => {
            let image_index = image_line - 1;
            let block_end = lines.value_end(image_index, lines.indent(image_index), limit);
            if block_end == image_index + 1 {
                return Err(EditError::NotBlockStyle { what: "`image`".into() });
            }
            let key_indent = lines.indent(
                image_index
                    + 1
                    + (image_index + 1..block_end)
                        .position(|i| !lines.lines[i].trim().is_empty() && !lines.lines[i].trim().starts_with('#'))
                        .unwrap_or(0),
            );
            // Each key written already is replaced where it stands, the others appended:
            // worked from the last line up so that earlier line numbers stay right.
            let mut edits: Vec<(usize, usize, Vec<String>)> = Vec::new();
            let mut appended = Vec::new();
            for (key, value) in fields {
                let written = value.as_deref().map(|value| line_of(key, key_indent, value));
                match locator.find(&[Step::Key("image"), Step::Key(key)]) {
                    Some((line, column)) if column - 1 == key_indent => {
                        let end = lines.value_end(line - 1, key_indent, block_end);
                        edits.push((line - 1, end, written.into_iter().collect()));
                    }
                    Some(_) => return Err(EditError::NotBlockStyle { what: format!("`image.{key}`") }),
                    None => appended.extend(written),
                }
            }
            let last = (image_index + 1..block_end)
                .rev()
                .find(|&i| !lines.lines[i].trim().is_empty() && !lines.lines[i].trim().starts_with('#'))
                .map_or(block_end, |i| i + 1);
            edits.push((last, last, appended));
            edits.sort_by_key(|(start, _, _)| std::cmp::Reverse(*start));
            let mut text = text.to_string();
            for (start, end, replacement) in edits {
                text = Lines::new(&text).splice(start, end, &replacement);
            }
            text
        }
    };
    verify(expected, &edited, "the image credit")?;
    Ok(edited)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BRIEF: &str = "---\r\ntitle: \"Un titre : citation\"   # a comment\r\ndate: 2024-03-01\r\nsources:\r\n  - name: Reuters\r\n    url: https://www.reuters.com/a\r\n    # a note on the source\r\n    title: 'Quoted'\r\n  - url: >-\r\n      https://example.org/a/very/long/address\r\n    name: Example\r\n---\r\n\r\nBody: url: kept.\r\n";

    #[test]
    fn an_archived_copy_is_added_after_the_url_and_every_other_byte_kept() {
        let edited =
            add_source_key(BRIEF, 0, "archive_url", "https://web.archive.org/web/2024/https://www.reuters.com/a")
                .unwrap();
        let expected = BRIEF.replace(
            "    url: https://www.reuters.com/a\r\n",
            "    url: https://www.reuters.com/a\r\n    archive_url: https://web.archive.org/web/2024/https://www.reuters.com/a\r\n",
        );
        assert_eq!(edited, expected);
        let second = add_source_key(&edited, 1, "archive_url", "https://archive.example/x").unwrap();
        assert_eq!(
            second,
            expected.replace(
                "long/address\r\n    name",
                "long/address\r\n    archive_url: https://archive.example/x\r\n    name"
            )
        );
    }

    #[test]
    fn flow_style_and_a_present_key_are_refused() {
        let flow = "---\ntitle: a\nsources: [{name: A, url: 'https://a.example/'}]\n---\n";
        assert!(matches!(
            add_source_key(flow, 0, "archive_url", "https://x.example/"),
            Err(EditError::NotBlockStyle { .. })
        ));
        let edited = add_source_key(BRIEF, 0, "archive_url", "https://x.example/").unwrap();
        assert!(matches!(
            add_source_key(&edited, 0, "archive_url", "https://y.example/"),
            Err(EditError::Unsafe { .. })
        ));
    }

    #[test]
    fn an_image_credit_replaces_keys_where_they_stand_and_appends_the_others() {
        let text = "\u{feff}---\ntitle: a\nimage:\n  src: flag.svg  # the file\n  alt: A flag\n  author: >-\n    Someone\n    else\n  # credit below\ntags: [x]\n---\nbody\n";
        let fields = [
            ("author", Some("UP9".to_string())),
            ("license", Some("CC-BY-SA-3.0".to_string())),
            ("title", Some("Flag: Ukraine".into())),
            ("alt", None),
        ];
        let edited = set_image_credit(text, &fields).unwrap();
        assert_eq!(
            edited,
            "\u{feff}---\ntitle: a\nimage:\n  src: flag.svg  # the file\n  author: UP9\n  license: CC-BY-SA-3.0\n  title: 'Flag: Ukraine'\n  # credit below\ntags: [x]\n---\nbody\n"
        );
    }

    #[test]
    fn a_brief_without_an_image_gets_a_block_at_the_end_of_its_front_matter() {
        let text = "---\ntitle: a\n---\nbody\n";
        let edited =
            set_image_credit(text, &[("src", Some("a.jpg".into())), ("alt", Some("An A".into())), ("title", None)])
                .unwrap();
        assert_eq!(edited, "---\ntitle: a\nimage:\n  src: a.jpg\n  alt: An A\n---\nbody\n");
    }

    mod property {
        use super::*;
        use proptest::prelude::*;

        /// One source written as editors do: keys in any order, values plain, quoted or
        /// folded, comments and blank lines between.
        fn source() -> impl Strategy<Value = String> {
            let url = prop_oneof![
                Just("https://a.example/x".to_string()),
                Just("'https://a.example/q?x=1&y=2'".to_string()),
                Just("\"https://a.example/é\"".to_string()),
                Just(">-\n      https://a.example/folded".to_string()),
            ];
            let name = prop_oneof![
                Just("Agence".to_string()),
                Just("'Le Monde : Europe'".to_string()),
                Just("\"A # B\"".to_string())
            ];
            let extra = prop_oneof![
                Just(String::new()),
                Just("    # a comment\n".to_string()),
                Just("\n".to_string()),
                Just("    title: Un titre\n".to_string()),
                Just("    date: 2024-01-02\n".to_string()),
            ];
            (url, name, extra, any::<bool>()).prop_map(|(url, name, extra, url_first)| {
                if url_first {
                    format!("  - url: {url}\n{extra}    name: {name}\n")
                } else {
                    format!("  - name: {name}\n{extra}    url: {url}\n")
                }
            })
        }

        proptest! {
            #[test]
            fn adding_an_archived_copy_inserts_one_line_and_keeps_every_other_byte(
                sources in proptest::collection::vec(source(), 1..5),
                crlf in any::<bool>(),
                pick in any::<proptest::sample::Index>(),
            ) {
                let text = format!("---\ntitle: T\ndate: 2024-01-01\nsources:\n{}tags: [a]\n---\n\nBody.\n", sources.concat());
                let text = if crlf { text.replace('\n', "\r\n") } else { text };
                let index = pick.index(sources.len());
                let edited = add_source_key(&text, index, "archive_url", "https://web.archive.org/web/2024/x").unwrap();
                let eol = if crlf { "\r\n" } else { "\n" };
                let added = format!("    archive_url: https://web.archive.org/web/2024/x{eol}");
                let at = edited.find(&added).expect("the line is added");
                prop_assert_eq!(format!("{}{}", &edited[..at], &edited[at + added.len()..]), text);
                let (_, raw) = parsed(&edited).unwrap();
                let sources = raw.sources.unwrap();
                prop_assert_eq!(sources[index].archive_url.as_deref(), Some("https://web.archive.org/web/2024/x"));
            }
        }
    }
}
