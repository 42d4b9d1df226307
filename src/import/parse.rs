//! Plain text → the parts of a brief: title, paragraphs, sources, image credit, and the
//! lines removed as debris or left in the body unclassified. Pure: no I/O.

use super::credit::{self, Credit};

/// A source named by a "Source:" or "Via" line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLine {
    pub name: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Parsed {
    pub title: String,
    /// Body paragraphs, each a list of lines, as written (trimmed at both ends).
    pub paragraphs: Vec<Vec<String>>,
    pub sources: Vec<SourceLine>,
    pub credit: Option<Credit>,
    /// The credit line as written, for the report.
    pub credit_line: Option<String>,
    /// The credits after the first, which credit other images (`media:`), with their
    /// lines as written.
    pub more_credits: Vec<(Credit, String)>,
    /// Short lines between the title and the body that were removed.
    pub debris: Vec<String>,
    /// Lines kept in the body that looked like metadata the importer could not read.
    pub unclassified: Vec<String>,
}

fn is_blank(line: &str) -> bool {
    line.chars().all(char::is_whitespace)
}

/// A short line without sentence punctuation: a menu label or button text ("Partager",
/// "Lire aussi", "Share this").
fn is_debris_like(line: &str) -> bool {
    let line = line.trim();
    let words = line.split_whitespace().count();
    words > 0
        && words <= 4
        && line.chars().count() <= 32
        && !line.contains(['.', '!', '?', '…', ':', ';', '»', '”', '"', ')'])
}

/// Reads "Source: Microsoft", "Source : Microsoft", "Sources : AFP, Reuters",
/// "Source: Microsoft (https://example.org/post)", "Via The Verge".
fn source_line(line: &str) -> Option<Vec<SourceLine>> {
    let line = line.trim().replace(['\u{a0}', '\u{202f}'], " ");
    let lower = line.to_lowercase();
    let rest = if let Some(after) = ["sources", "source"].iter().find_map(|w| lower.strip_prefix(w)) {
        let after = after.trim_start();
        after.strip_prefix(':')?;
        line[line.len() - after.len() + 1..].trim()
    } else if let Some(after) = lower.strip_prefix("via ") {
        // "Via a decree, the government…" is a sentence: a via line is short and unpunctuated.
        let rest = line[line.len() - after.len()..].trim();
        if rest.split_whitespace().count() > 6 || rest.ends_with(['.', '!', '?']) || rest.contains(", ") {
            return None;
        }
        rest
    } else {
        return None;
    };
    let sources: Vec<SourceLine> =
        split_outside_parentheses(rest).into_iter().filter_map(|part| one_source(&part)).collect();
    (!sources.is_empty()).then_some(sources)
}

/// Splits "Microsoft (https://a.example/x, y), AFP et Reuters" at commas, semicolons and
/// " et " / " and " outside parentheses.
fn split_outside_parentheses(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' | ';' if depth == 0 => {
                parts.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    parts.push(current);
    parts
        .into_iter()
        .flat_map(|part| {
            let mut pieces = vec![part];
            for joint in [" et ", " and "] {
                pieces = pieces
                    .into_iter()
                    .flat_map(|p| if p.contains('(') { vec![p] } else { p.split(joint).map(String::from).collect() })
                    .collect();
            }
            pieces
        })
        .collect()
}

fn one_source(part: &str) -> Option<SourceLine> {
    let part = part.trim().trim_end_matches('.').trim();
    if part.is_empty() {
        return None;
    }
    let is_url = |s: &str| s.starts_with("http://") || s.starts_with("https://");
    if let (Some(open), true) = (part.find('('), part.ends_with(')')) {
        let inside = part[open + 1..part.len() - 1].trim();
        let name = part[..open].trim();
        if is_url(inside) && !name.is_empty() {
            return Some(SourceLine { name: name.to_string(), url: Some(inside.to_string()) });
        }
    }
    if let Some((name, url)) = part.rsplit_once(' ').filter(|(_, url)| is_url(url)) {
        let name = name.trim().trim_end_matches([':', '-', '–']).trim();
        if !name.is_empty() {
            return Some(SourceLine { name: name.to_string(), url: Some(url.to_string()) });
        }
    }
    if is_url(part) {
        // Only an address: name the source after its host.
        let host = url::Url::parse(part).ok()?.host_str()?.trim_start_matches("www.").to_string();
        return Some(SourceLine { name: host, url: Some(part.to_string()) });
    }
    Some(SourceLine { name: part.to_string(), url: None })
}

pub struct ParseOptions {
    /// Keep the short lines between title and body instead of removing them.
    pub keep_all: bool,
}

/// Reads normalised text (LF line endings, no BOM). `None` when it holds no title.
pub fn parse(text: &str, options: &ParseOptions) -> Option<Parsed> {
    let mut lines = text.lines().map(str::trim).peekable();
    let title = loop {
        let line = lines.next()?;
        if !is_blank(line) {
            break line.split_whitespace().collect::<Vec<_>>().join(" ");
        }
    };
    let mut parsed = Parsed { title, ..Parsed::default() };
    let mut body_started = false;
    let mut current: Vec<String> = Vec::new();
    let flush = |current: &mut Vec<String>, parsed: &mut Parsed| {
        if !current.is_empty() {
            parsed.paragraphs.push(std::mem::take(current));
        }
    };
    for line in lines {
        if is_blank(line) {
            flush(&mut current, &mut parsed);
            continue;
        }
        if let Some(sources) = source_line(line) {
            flush(&mut current, &mut parsed);
            for source in sources {
                if !parsed.sources.contains(&source) {
                    parsed.sources.push(source);
                }
            }
            continue;
        }
        if let Some(rest) = credit::credit_opening(line) {
            let credit = credit::parse(&rest);
            if credit.says_something() {
                flush(&mut current, &mut parsed);
                if parsed.credit.is_none() {
                    parsed.credit = Some(credit);
                    parsed.credit_line = Some(line.to_string());
                } else {
                    parsed.more_credits.push((credit, line.to_string()));
                }
                continue;
            }
            // It opens like a credit but says nothing we can read: keep it, and say so.
            parsed.unclassified.push(line.to_string());
            current.push(line.to_string());
            body_started = true;
            continue;
        }
        if is_debris_like(line) {
            if !body_started && current.is_empty() && !options.keep_all {
                parsed.debris.push(line.to_string());
                continue;
            }
            // A lone short line inside the text: kept, but worth a look.
            if current.is_empty() {
                parsed.unclassified.push(line.to_string());
            }
        }
        body_started = true;
        current.push(line.to_string());
    }
    flush(&mut current, &mut parsed);
    Some(parsed)
}

/// French or English, by counting each language's most common words.
pub fn detect_language(text: &str) -> Option<&'static str> {
    const FRENCH: &[&str] = &[
        "le", "la", "les", "des", "du", "de", "et", "est", "une", "un", "dans", "pour", "que", "qui", "sur", "au",
        "aux", "par", "pas", "ne", "se", "ce", "il", "elle", "ont", "été", "avec", "son", "sa", "ses", "selon",
    ];
    const ENGLISH: &[&str] = &[
        "the", "and", "of", "to", "in", "is", "a", "that", "for", "on", "with", "as", "was", "were", "by", "it", "its",
        "from", "has", "have", "be", "are", "this", "at", "an", "which", "said", "after",
    ];
    let (mut french, mut english) = (0usize, 0usize);
    for word in text.split(|c: char| !(c.is_alphanumeric() || c == '\'')).filter(|w| !w.is_empty()) {
        let word = word.to_lowercase();
        let word = word.rsplit('\'').next().unwrap_or(&word);
        french += usize::from(FRENCH.contains(&word));
        english += usize::from(ENGLISH.contains(&word));
    }
    match french.cmp(&english) {
        std::cmp::Ordering::Greater => Some("fr"),
        std::cmp::Ordering::Less => Some("en"),
        std::cmp::Ordering::Equal => None,
    }
}

/// Escapes what Markdown would read as markup, so that the text renders as written:
/// emphasis, links, code, HTML, entities and tables anywhere; headings, quotes, lists
/// and rules at the start of a line.
pub fn escape_markdown_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    for c in line.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '!') {
            out.push('\\');
        }
        out.push(c);
    }
    // Line starts: "# ", "+ ", "- ", "= ", "1. ", "1) ".
    let first = out.chars().next();
    if matches!(first, Some('#' | '+' | '-' | '=')) {
        out.insert(0, '\\');
    } else if first.is_some_and(|c| c.is_ascii_digit()) {
        let digits = out.chars().take_while(char::is_ascii_digit).count();
        if matches!(out[digits..].chars().next(), Some('.' | ')')) {
            out.insert(digits, '\\');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Parsed {
        parse(text, &ParseOptions { keep_all: false }).unwrap()
    }

    #[test]
    fn source_lines_in_every_form() {
        let s = |line: &str| source_line(line).unwrap();
        assert_eq!(s("Source: Microsoft"), vec![SourceLine { name: "Microsoft".into(), url: None }]);
        assert_eq!(s("Source : Microsoft"), vec![SourceLine { name: "Microsoft".into(), url: None }]);
        assert_eq!(s("Sources : AFP, Reuters").len(), 2);
        assert_eq!(
            s("Source: Microsoft (https://example.org/post)"),
            vec![SourceLine { name: "Microsoft".into(), url: Some("https://example.org/post".into()) }]
        );
        assert_eq!(s("Via The Verge"), vec![SourceLine { name: "The Verge".into(), url: None }]);
        assert_eq!(s("Sources : AFP et Reuters").len(), 2);
        assert!(source_line("Via a decree signed on Monday, the government changed course.").is_none());
        assert!(source_line("Sourcing is hard").is_none());
    }

    #[test]
    fn debris_between_title_and_body_only() {
        let p = parse_text("Title\nPartager\nMenu\n\nFirst paragraph here.\n\nShare\n\nLast one.\n");
        assert_eq!(p.debris, vec!["Partager", "Menu"]);
        assert_eq!(p.unclassified, vec!["Share"]);
        assert_eq!(p.paragraphs.len(), 3);
    }

    #[test]
    fn language_by_stop_words() {
        assert_eq!(detect_language("Le gouvernement a annoncé que la réforme est reportée"), Some("fr"));
        assert_eq!(detect_language("The government said that the reform was delayed"), Some("en"));
        assert_eq!(detect_language("Microsoft"), None);
    }

    #[test]
    fn escaping_keeps_text_as_text() {
        assert_eq!(escape_markdown_line("# not a heading"), "\\# not a heading");
        assert_eq!(escape_markdown_line("1. not a list"), "1\\. not a list");
        assert_eq!(escape_markdown_line("a *b* [c](d) <e> & f"), "a \\*b\\* \\[c\\](d) \\<e\\> \\& f");
        assert_eq!(escape_markdown_line("« Bonjour » l’été"), "« Bonjour » l’été");
    }
}
