//! "Did you mean …?" for unknown keys and ids. serde reports an unknown field as
//! "unknown field `x`, expected one of `a`, `b`"; we turn that into a short message and a
//! suggestion of the nearest known key, for YAML front matter and TOML config alike.

/// The known candidates closest to `input`, best first: at most `limit`, and only those
/// close enough to be a plausible typo.
pub fn nearest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>, limit: usize) -> Vec<&'a str> {
    let input = input.to_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|candidate| {
            let lower = candidate.to_lowercase();
            let mut score = strsim::jaro_winkler(&input, &lower);
            if lower.contains(&input) || input.contains(&lower) {
                score = score.max(0.85);
            }
            (score, candidate)
        })
        .filter(|(score, _)| *score >= 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(limit).map(|(_, c)| c).collect()
}

/// An unknown-field error taken apart: the field, and the help line suggesting the nearest
/// known one (or listing them all when none is close).
pub struct UnknownField {
    pub field: String,
    pub help: String,
}

/// Recognises serde's unknown-field message (`unknown field `x`, expected one of `a`, `b``,
/// or `expected `a`` for a single field).
pub fn unknown_field(message: &str) -> Option<UnknownField> {
    let rest = message.strip_prefix("unknown field `")?;
    let end = rest.find('`')?;
    let field = rest[..end].to_string();
    let expected: Vec<&str> = rest[end + 1..].split('`').skip(1).step_by(2).collect();
    let help = match nearest(&field, expected.iter().copied(), 1).first() {
        Some(best) => format!("did you mean `{best}`?"),
        None if expected.is_empty() => "this key takes no fields".to_string(),
        None => {
            format!("known keys here: {}", expected.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "))
        }
    };
    Some(UnknownField { field, help })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_key() {
        let parsed = unknown_field("unknown field `sorces`, expected one of `title`, `sources`, `summary`").unwrap();
        assert_eq!(parsed.field, "sorces");
        assert_eq!(parsed.help, "did you mean `sources`?");
    }

    #[test]
    fn lists_keys_when_nothing_is_close() {
        let parsed = unknown_field("unknown field `zzz`, expected `name` or `url`").unwrap();
        assert_eq!(parsed.help, "known keys here: `name`, `url`");
    }

    #[test]
    fn other_messages_are_not_unknown_fields() {
        assert!(unknown_field("missing field `title`").is_none());
    }

    #[test]
    fn nearest_ranks_and_filters() {
        let ids = ["CC-BY-SA-3.0", "CC-BY-SA-4.0", "CC0-1.0"];
        assert_eq!(nearest("CC-BY-SA-3.1", ids, 2), vec!["CC-BY-SA-3.0", "CC-BY-SA-4.0"]);
        assert!(nearest("GPL", ids, 2).is_empty());
    }
}
