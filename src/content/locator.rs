//! Where keys and values sit in YAML text (front matter, authors.yaml), for diagnostics
//! about values that parsed but are invalid: serde_yaml keeps no positions for them.

use super::front_matter::Document;

/// One step in a path through the YAML: a mapping key or a list item.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Step<'a> {
    Key(&'a str),
    Item(usize),
}

/// Finds where keys and values sit in the YAML text, for diagnostics about values that
/// parsed but are invalid (serde_yaml keeps no positions for them). It reads block-style
/// YAML as editors write it; anything it cannot place falls back to the nearest known
/// line.
pub(crate) struct Locator<'a> {
    lines: Vec<&'a str>,
    /// The file line of the first YAML line.
    first_line: usize,
}

impl<'a> Locator<'a> {
    pub fn new(document: &Document<'a>) -> Self {
        Locator { lines: document.yaml.lines().collect(), first_line: document.opening_line + 1 }
    }

    /// The opening `---`, for problems with the front matter as a whole.
    pub fn opening(&self) -> (usize, usize) {
        (self.first_line - 1, 1)
    }

    fn position(&self, index: usize, column: usize) -> (usize, usize) {
        (self.first_line + index, column + 1)
    }

    fn indent(line: &str) -> usize {
        line.len() - line.trim_start().len()
    }

    /// The content of a line after its indentation and any list dashes.
    fn content(line: &str) -> (usize, &str) {
        let mut column = Self::indent(line);
        let mut rest = &line[column..];
        while let Some(after) = rest.strip_prefix("- ") {
            column += 2 + (after.len() - after.trim_start().len());
            rest = after.trim_start();
        }
        (column, rest)
    }

    fn key_line(&self, start: usize, end: usize, key: &str) -> Option<(usize, usize)> {
        (start..end).find_map(|i| {
            let (column, rest) = Self::content(self.lines[i]);
            let matches = rest.strip_prefix(key).is_some_and(|after| after.starts_with(':'));
            matches.then_some((i, column))
        })
    }

    /// The end (exclusive) of the block that starts at line `start`: the next line
    /// indented no deeper than it that is not blank or a comment.
    fn block_end(&self, start: usize) -> usize {
        let base = Self::indent(self.lines[start]);
        (start + 1..self.lines.len())
            .find(|&i| {
                let line = self.lines[i];
                let trimmed = line.trim_start();
                !trimmed.is_empty() && !trimmed.starts_with('#') && Self::indent(line) <= base
            })
            .unwrap_or(self.lines.len())
    }

    fn item_line(&self, start: usize, end: usize, index: usize) -> Option<(usize, usize)> {
        let mut items = (start..end).filter(|&i| self.lines[i].trim_start().starts_with("- "));
        let first = items.next()?;
        let indent = Self::indent(self.lines[first]);
        std::iter::once(first)
            .chain(items.filter(|&i| Self::indent(self.lines[i]) == indent))
            .nth(index)
            .map(|i| (i, indent + 2))
    }

    /// The position of the last step of `path` that could be found.
    pub fn locate(&self, path: &[Step]) -> (usize, usize) {
        match self.walk(path).1 {
            Some((line, column)) => self.position(line, column),
            None => self.opening(),
        }
    }

    /// The file line and column of the whole of `path`, or `None` when some step of it is
    /// not written in block style: for edits, which must not guess.
    pub fn find(&self, path: &[Step]) -> Option<(usize, usize)> {
        match self.walk(path) {
            (steps, Some((line, column))) if steps == path.len() => Some(self.position(line, column)),
            _ => None,
        }
    }

    /// The file line of the first YAML line, and the number of YAML lines.
    pub fn extent(&self) -> (usize, usize) {
        (self.first_line, self.lines.len())
    }

    /// How many steps of `path` were found, and the line index and column of the last.
    fn walk(&self, path: &[Step]) -> (usize, Option<(usize, usize)>) {
        let mut steps = 0;
        let mut found = None;
        let (mut start, mut end) = (0, self.lines.len());
        for step in path {
            let hit = match *step {
                Step::Key(key) => self.key_line(start, end, key),
                Step::Item(index) => self.item_line(start, end, index),
            };
            let Some((line, column)) = hit else { break };
            steps += 1;
            found = Some((line, column));
            // A list item's keys may sit on the dash line itself.
            start = if matches!(step, Step::Item(_)) { line } else { line + 1 };
            end = self.block_end(line);
            if matches!(step, Step::Item(_)) {
                end = self.item_end(line, end);
            }
        }
        (steps, found)
    }

    /// A list item ends where the next item of the same list begins.
    fn item_end(&self, line: usize, end: usize) -> usize {
        let indent = Self::indent(self.lines[line]);
        (line + 1..end)
            .find(|&i| Self::indent(self.lines[i]) == indent && self.lines[i].trim_start().starts_with("- "))
            .unwrap_or(end)
    }

    /// The position of `value` on the line of `path`, or of the key when the value is
    /// written elsewhere (quoted oddly, or on a continuation line).
    pub fn locate_value(&self, path: &[Step], value: &str) -> (usize, usize) {
        let (line, column) = self.locate(path);
        let Some(text) = line.checked_sub(self.first_line).and_then(|i| self.lines.get(i)) else {
            return (line, column);
        };
        match text.find(value.trim()) {
            Some(byte) if !value.trim().is_empty() => (line, text[..byte].chars().count() + 1),
            _ => (line, column),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::front_matter::split;

    #[test]
    fn locator_finds_list_items() {
        let doc = split(
            "---\ntitle: a\nsources:\n  - name: A\n    url: https://a.example/\n  - name: B\n    url: javascript:x\nimage:\n  alt: x\n---\n",
        )
        .unwrap();
        let locator = Locator::new(&doc);
        assert_eq!(locator.locate(&[Step::Key("sources"), Step::Item(1), Step::Key("url")]), (7, 5));
        assert_eq!(
            locator.locate_value(&[Step::Key("sources"), Step::Item(1), Step::Key("url")], "javascript:x"),
            (7, 10)
        );
        assert_eq!(locator.locate(&[Step::Key("sources"), Step::Item(0), Step::Key("name")]), (4, 5));
        assert_eq!(locator.locate(&[Step::Key("image"), Step::Key("alt")]), (9, 3));
        assert_eq!(locator.locate(&[Step::Key("image"), Step::Key("src")]), (8, 1));
        assert_eq!(locator.locate(&[Step::Key("missing")]), (1, 1));
    }
}
