//! The problems of one YAML file (a brief's front matter, authors.yaml), each placed at
//! its line, and the small readings of values every such file shares.

use std::path::Path;

use super::check_http_url;
use super::locator::{Locator, Step};
use crate::diagnostic::{Code, Diagnostic};

/// Collects the problems of one file.
pub(super) struct Problems<'a> {
    pub path: &'a Path,
    pub found: Vec<Diagnostic>,
}

impl Problems<'_> {
    pub fn error(&mut self, code: Code, at: (usize, usize), message: impl Into<String>) -> &mut Diagnostic {
        self.found.push(Diagnostic::error(code, self.path, message).at(Some(at)));
        self.found.last_mut().expect("just pushed")
    }

    pub fn warning(&mut self, code: Code, at: (usize, usize), message: impl Into<String>) -> &mut Diagnostic {
        self.found.push(Diagnostic::warning(code, self.path, message).at(Some(at)));
        self.found.last_mut().expect("just pushed")
    }
}

pub(super) fn help(diagnostic: &mut Diagnostic, text: impl Into<String>) {
    diagnostic.help = Some(text.into());
}

pub(super) fn optional_text(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

pub(super) fn checked_url(
    value: Option<String>,
    path: &[Step],
    key: &str,
    locator: &Locator,
    problems: &mut Problems,
) -> Option<String> {
    let value = optional_text(value)?;
    match check_http_url(&value) {
        Ok(url) => Some(url),
        Err(message) => {
            let d = problems.error(Code::InvalidUrl, locator.locate_value(path, &value), format!("`{key}`: {message}"));
            help(d, "links must start with https:// or http://");
            None
        }
    }
}
