//! `publisher`: the newsroom, as a name (`publisher = "Les Dépêches"`) or as a table with
//! its address, logo, founding date and the policies the Trust Project asks a newsroom to
//! publish, which pages link to and JSON-LD declares (schema.org's NewsMediaOrganization).

use serde::Deserialize;

/// The publisher as validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publisher {
    pub name: String,
    pub url: Option<String>,
    /// An absolute URL, or a path of the site (`/logo.png`).
    pub logo: Option<String>,
    /// A year or a day, as schema.org's `foundingDate`.
    pub founding_date: Option<String>,
    /// In the order of [`POLICIES`].
    pub policies: Vec<Policy>,
}

/// One published policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Its key in depeche.toml, and in the theme's UI strings (`policy_{key}`).
    pub key: &'static str,
    /// The schema.org property of a NewsMediaOrganization that holds it.
    pub property: &'static str,
    pub url: String,
}

/// The policies a publisher table may give: key in depeche.toml, schema.org property.
pub const POLICIES: [(&str, &str); 9] = [
    ("corrections_policy", "correctionsPolicy"),
    ("ethics_policy", "ethicsPolicy"),
    ("diversity_policy", "diversityPolicy"),
    ("masthead", "masthead"),
    ("ownership_funding", "ownershipFundingInfo"),
    ("verification_policy", "verificationFactCheckingPolicy"),
    ("unnamed_sources_policy", "unnamedSourcesPolicy"),
    ("feedback_policy", "actionableFeedbackPolicy"),
    ("mission_policy", "missionCoveragePrioritiesPolicy"),
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPublisherTable {
    name: Option<String>,
    url: Option<String>,
    logo: Option<String>,
    founding_date: Option<String>,
    corrections_policy: Option<String>,
    ethics_policy: Option<String>,
    diversity_policy: Option<String>,
    masthead: Option<String>,
    ownership_funding: Option<String>,
    verification_policy: Option<String>,
    unnamed_sources_policy: Option<String>,
    feedback_policy: Option<String>,
    mission_policy: Option<String>,
}

/// The publisher written as `value`, or every problem with it.
pub(super) fn resolve(value: toml::Value) -> Result<Option<Publisher>, Vec<String>> {
    let table = match value {
        toml::Value::String(name) if name.trim().is_empty() => return Ok(None),
        toml::Value::String(name) => {
            return Ok(Some(Publisher {
                name: name.trim().to_string(),
                url: None,
                logo: None,
                founding_date: None,
                policies: Vec::new(),
            }));
        }
        table @ toml::Value::Table(_) => table,
        other => return Err(vec![format!("`publisher` is a name or a table, not a {}", other.type_str())]),
    };
    let raw: RawPublisherTable =
        table.try_into().map_err(|e: toml::de::Error| vec![format!("`publisher`: {}", e.message())])?;
    // Destructured in full so that a new key cannot be forgotten here.
    let RawPublisherTable {
        name,
        url,
        logo,
        founding_date,
        corrections_policy,
        ethics_policy,
        diversity_policy,
        masthead,
        ownership_funding,
        verification_policy,
        unnamed_sources_policy,
        feedback_policy,
        mission_policy,
    } = raw;
    let mut problems = Vec::new();
    let name = name.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    if name.is_none() {
        problems.push("`publisher` has no `name`".to_string());
    }
    let mut checked = |key: &str, value: Option<String>| -> Option<String> {
        let value = value?;
        let value = value.trim();
        match url::Url::parse(value) {
            Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && !value.contains(char::is_whitespace) => {
                Some(value.to_string())
            }
            _ => {
                problems.push(format!("`publisher.{key}` {value:?} is not an absolute http(s) address"));
                None
            }
        }
    };
    let url = checked("url", url);
    let logo = match logo.as_deref().map(str::trim) {
        Some(path) if path.starts_with('/') && !path.starts_with("//") => Some(path.to_string()),
        _ => checked("logo", logo),
    };
    let values = [
        corrections_policy,
        ethics_policy,
        diversity_policy,
        masthead,
        ownership_funding,
        verification_policy,
        unnamed_sources_policy,
        feedback_policy,
        mission_policy,
    ];
    let policies: Vec<Policy> = POLICIES
        .iter()
        .zip(values)
        .filter_map(|(&(key, property), value)| checked(key, value).map(|url| Policy { key, property, url }))
        .collect();
    let founding_date = founding_date.map(|d| d.trim().to_string());
    if let Some(date) = &founding_date {
        let is_year = date.len() == 4 && date.bytes().all(|b| b.is_ascii_digit());
        if !is_year && chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_err() {
            problems.push(format!("`publisher.founding_date` {date:?} is not a year (1944) or a day (1944-12-18)"));
        }
    }
    match name {
        Some(name) if problems.is_empty() => Ok(Some(Publisher { name, url, logo, founding_date, policies })),
        _ => Err(problems),
    }
}
