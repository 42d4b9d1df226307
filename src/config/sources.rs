//! `[sources]`: how `depeche check --sources` and `depeche archive` treat the servers they
//! ask (a timeout, a pause between two requests to one host) and when a source should
//! have an archived copy. Plain `build`, `check` and `serve` never read these.

use std::time::Duration;

use serde::Deserialize;

/// `[sources]` as written; every key optional.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSources {
    archive_after_days: Option<i64>,
    timeout_seconds: Option<i64>,
    host_delay_ms: Option<i64>,
}

/// The validated settings, defaults applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceSettings {
    /// A source older than this without `archive_url` draws a `source-no-archive` warning.
    pub archive_after_days: u32,
    /// How long one request may take, connection included: one dead server cannot hold
    /// the check longer.
    pub timeout: Duration,
    /// The pause a request slot keeps after each request to a host, on top of the limit
    /// of two requests at once per host.
    pub host_delay: Duration,
}

impl Default for SourceSettings {
    fn default() -> SourceSettings {
        SourceSettings {
            archive_after_days: 30,
            timeout: Duration::from_secs(10),
            host_delay: Duration::from_millis(500),
        }
    }
}

/// Validates `[sources]`, each problem as a message.
pub(super) fn resolve(raw: RawSources) -> Result<SourceSettings, Vec<String>> {
    let RawSources { archive_after_days, timeout_seconds, host_delay_ms } = raw;
    let defaults = SourceSettings::default();
    let mut problems = Vec::new();
    let mut within = |key: &str, value: Option<i64>, range: std::ops::RangeInclusive<i64>, default: u64| match value {
        None => default,
        Some(v) if range.contains(&v) => v as u64,
        Some(v) => {
            problems.push(format!(
                "`sources.{key}` is {v}: write a whole number from {} to {}",
                range.start(),
                range.end()
            ));
            default
        }
    };
    let archive_after_days = within("archive_after_days", archive_after_days, 0..=36_500, 30) as u32;
    let timeout = Duration::from_secs(within("timeout_seconds", timeout_seconds, 1..=300, defaults.timeout.as_secs()));
    let host_delay = Duration::from_millis(within("host_delay_ms", host_delay_ms, 0..=60_000, 500));
    if problems.is_empty() { Ok(SourceSettings { archive_after_days, timeout, host_delay }) } else { Err(problems) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_out_of_range_are_each_reported() {
        let raw = RawSources { archive_after_days: Some(-1), timeout_seconds: Some(0), host_delay_ms: Some(100) };
        let problems = resolve(raw).unwrap_err();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("`sources.archive_after_days` is -1"));
        let raw = RawSources { archive_after_days: None, timeout_seconds: Some(3), host_delay_ms: Some(0) };
        let settings = resolve(raw).unwrap();
        assert_eq!(
            (settings.archive_after_days, settings.timeout, settings.host_delay),
            (30, Duration::from_secs(3), Duration::ZERO)
        );
    }
}
