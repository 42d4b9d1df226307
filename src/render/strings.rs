//! UI strings: one TOML file per language in the theme's i18n/ folder. A language falls
//! back key by key to its base language (fr-CA → fr) and then to English, so a partial
//! translation still renders.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::theme::Theme;
use crate::diagnostic::{Code, Diagnostic};

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct UiStrings {
    #[serde(flatten)]
    pub strings: BTreeMap<String, String>,
    #[serde(skip)]
    months: Vec<String>,
    /// `strings` as templates see them, made once: Tera values are shared, not copied, so
    /// each page gets `t` for the cost of a reference count.
    #[serde(skip)]
    value: std::sync::OnceLock<tera::Value>,
}

impl UiStrings {
    /// The strings as a template variable (`t`).
    pub fn value(&self) -> tera::Value {
        self.value.get_or_init(|| tera::Value::from_serializable(&self.strings)).clone()
    }

    /// Every string and month name, as a number: what a cache of text made with them
    /// (the search index's records) is keyed by.
    pub fn fingerprint(&self) -> u64 {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(&(self.strings.len() as u64).to_le_bytes());
        let texts = self.strings.iter().flat_map(|(key, text)| [key, text]).chain(&self.months);
        for text in texts {
            hasher.update(&(text.len() as u64).to_le_bytes());
            hasher.update(text.as_bytes());
        }
        hasher.digest()
    }

    pub fn get(&self, key: &str) -> &str {
        self.strings.get(key).map_or("", String::as_str)
    }

    /// Formats a day as the language writes it: "4 March 2022", "4 mars 2022", "1er mars".
    pub fn format_date(&self, day: NaiveDate) -> String {
        let month = self.months.get(day.month0() as usize).map_or("", String::as_str);
        let day_text = match (day.day(), self.strings.get("first_day_of_month")) {
            (1, Some(first)) => first.clone(),
            (n, _) => n.to_string(),
        };
        self.get("date_format")
            .replace("{day}", &day_text)
            .replace("{month}", month)
            .replace("{year}", &day.year().to_string())
    }

    /// Names a month as the language writes it: "March 2022", "mars 2022".
    pub fn format_month(&self, year: i32, month: u32) -> String {
        let name = self.months.get(month.saturating_sub(1) as usize).map_or("", String::as_str);
        self.get("month_format").replace("{month}", name).replace("{year}", &year.to_string())
    }

    /// Fills `{name}` placeholders of a string.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        values.iter().fold(self.get(key).to_string(), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
    }
}

/// The UI strings of every language the theme has.
#[derive(Debug, Clone, Default)]
pub struct UiStringsByLanguage {
    by_language: BTreeMap<String, UiStrings>,
}

impl UiStringsByLanguage {
    pub fn load(theme: &Theme) -> Result<UiStringsByLanguage, Vec<Diagnostic>> {
        // Each language's layers (built-in first), read as TOML tables.
        let mut raw: BTreeMap<String, Vec<toml::Table>> = BTreeMap::new();
        let mut problems = Vec::new();
        for (name, files) in &theme.i18n {
            let Some(language) = name.strip_suffix(".toml") else {
                continue;
            };
            for file in files {
                let parsed = file
                    .read()
                    .map_err(|e| e.to_string())
                    .and_then(|bytes| String::from_utf8(bytes.into_owned()).map_err(|e| e.to_string()))
                    .and_then(|text| toml::from_str::<toml::Table>(&text).map_err(|e| e.to_string()));
                match parsed {
                    Ok(table) => raw.entry(language.to_lowercase()).or_default().push(table),
                    Err(message) => problems.push(Diagnostic::error(Code::I18n, &file.origin, message)),
                }
            }
        }
        if !raw.contains_key("en") {
            problems.push(Diagnostic::error(
                Code::I18n,
                "i18n/en.toml",
                "the theme has no English strings (i18n/en.toml)",
            ));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let english = raw.get("en").cloned().unwrap_or_default();
        let by_language = raw
            .iter()
            .map(|(language, table)| {
                let base = language.split('-').next().unwrap_or(language);
                let mut layers: Vec<&toml::Table> = english.iter().collect();
                if base != language {
                    layers.extend(raw.get(base).into_iter().flatten());
                }
                if language != "en" {
                    layers.extend(table);
                }
                (language.clone(), merge(&layers))
            })
            .collect();
        Ok(UiStringsByLanguage { by_language })
    }

    /// The strings for a language tag: exact, then its base language, then English.
    pub fn for_language(&self, lang: &str) -> &UiStrings {
        let lang = lang.to_lowercase();
        let base = lang.split('-').next().unwrap_or(&lang).to_string();
        self.by_language
            .get(&lang)
            .or_else(|| self.by_language.get(&base))
            .or_else(|| self.by_language.get("en"))
            .expect("UiStringsByLanguage::load refuses a theme without English strings")
    }
}

fn merge(layers: &[&toml::Table]) -> UiStrings {
    let mut strings = UiStrings::default();
    for layer in layers {
        for (key, value) in layer.iter() {
            match (key.as_str(), value) {
                ("months", toml::Value::Array(months)) => {
                    strings.months = months.iter().filter_map(|m| m.as_str().map(String::from)).collect();
                }
                (_, toml::Value::String(text)) => {
                    strings.strings.insert(key.clone(), text.clone());
                }
                _ => {}
            }
        }
    }
    strings
}
