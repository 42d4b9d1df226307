//! Permalink patterns such as `/{year}/{month}/{slug}/`.

const PLACEHOLDERS: [&str; 5] = ["year", "month", "day", "slug", "lang"];

/// The longest text each placeholder can put into an address, in bytes: a slug is at most
/// 200 (`content::resolve::MAX_NAME`), a language tag rarely over 35.
const PLACEHOLDER_LENGTHS: [(&str, usize); 5] = [("year", 4), ("month", 2), ("day", 2), ("slug", 200), ("lang", 35)];

/// The longest a segment of a pattern can become once its placeholders are filled in.
fn longest_rendering(segment: &str) -> usize {
    PLACEHOLDER_LENGTHS.iter().fold(segment.len(), |length, (name, longest)| {
        let written = format!("{{{name}}}");
        let count = segment.matches(written.as_str()).count();
        // The segment holds each occurrence, so this never goes below zero.
        length - count * written.len() + count * longest
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permalink {
    pattern: String,
}

impl Default for Permalink {
    fn default() -> Self {
        Permalink { pattern: "/{year}/{month}/{slug}/".into() }
    }
}

/// What a permalink is made of for one brief.
pub struct PermalinkParts<'a> {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub slug: &'a str,
    pub lang: &'a str,
}

impl Permalink {
    /// Checks a pattern: only known placeholders, `{slug}` present (without it every
    /// brief of a day would share one address), and no `..` segments. Adds the leading and
    /// trailing slashes when missing.
    pub fn parse(pattern: &str) -> Result<Permalink, String> {
        let mut rest = pattern;
        while let Some(open) = rest.find('{') {
            let close =
                rest[open..].find('}').ok_or_else(|| format!("`permalink` {pattern:?} has a `{{` without its `}}`"))?;
            let name = &rest[open + 1..open + close];
            if !PLACEHOLDERS.contains(&name) {
                return Err(format!(
                    "`permalink` {pattern:?} uses an unknown placeholder `{{{name}}}`; known: {}",
                    PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(", ")
                ));
            }
            rest = &rest[open + close + 1..];
        }
        if !pattern.contains("{slug}") {
            return Err(format!("`permalink` {pattern:?} must contain {{slug}}"));
        }
        if pattern.split('/').any(|segment| segment == ".." || segment == ".") || pattern.contains(['\\', '?', '#']) {
            return Err(format!("`permalink` {pattern:?} may not contain `.` or `..` segments, `\\`, `?` or `#`"));
        }
        // A folder whose name starts with a dot is hidden, and often private (`.git`,
        // `.depeche`, which holds the build's own records); `%` would let a dot in encoded.
        if let Some(segment) = pattern.split('/').find(|segment| segment.starts_with('.')) {
            return Err(format!("`permalink` {pattern:?} puts pages in the hidden folder `{segment}`"));
        }
        if pattern.contains('%') {
            return Err(format!("`permalink` {pattern:?} may not contain `%`: write characters as they are"));
        }
        // Each segment is a folder name, and file systems refuse names over 255 bytes.
        if let Some(segment) = pattern.split('/').find(|segment| longest_rendering(segment) > 255) {
            return Err(format!(
                "`permalink` segment {:?} can make a folder name over 255 bytes, which no file system allows",
                segment.chars().take(40).collect::<String>()
            ));
        }
        let mut normalised = pattern.trim_matches('/').to_string();
        normalised.insert(0, '/');
        normalised.push('/');
        Ok(Permalink { pattern: normalised })
    }

    /// The site path of a brief, e.g. `/2022/03/flag/`.
    pub fn render(&self, parts: &PermalinkParts) -> String {
        self.pattern
            .replace("{year}", &format!("{:04}", parts.year))
            .replace("{month}", &format!("{:02}", parts.month))
            .replace("{day}", &format!("{:02}", parts.day))
            .replace("{slug}", parts.slug)
            .replace("{lang}", parts.lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts() -> PermalinkParts<'static> {
        PermalinkParts { year: 2022, month: 3, day: 4, slug: "flag", lang: "fr" }
    }

    #[test]
    fn default_pattern() {
        assert_eq!(Permalink::default().render(&parts()), "/2022/03/flag/");
    }

    #[test]
    fn custom_pattern_is_normalised() {
        let p = Permalink::parse("{lang}/{year}-{month}-{day}/{slug}").unwrap();
        assert_eq!(p.render(&parts()), "/fr/2022-03-04/flag/");
    }

    #[test]
    fn bad_patterns_are_refused() {
        assert!(Permalink::parse("/{year}/{titel}/").unwrap_err().contains("unknown placeholder `{titel}`"));
        assert!(Permalink::parse("/{year}/").unwrap_err().contains("must contain {slug}"));
        assert!(Permalink::parse("/../{slug}/").is_err());
        assert!(Permalink::parse("/{slug").is_err());
        for hidden in ["/.depeche/{slug}/", "/.git/{slug}/", "/news/.{slug}/", "/%2e%2e/{slug}/", "/%2Edepeche/{slug}/"]
        {
            assert!(Permalink::parse(hidden).is_err(), "{hidden}");
        }
        assert!(Permalink::parse("/.git/{slug}/").unwrap_err().contains("hidden folder `.git`"));
        assert!(Permalink::parse(&format!("/{}/{{slug}}/", "a".repeat(300))).unwrap_err().contains("255"));
        assert!(Permalink::parse(&format!("/{{slug}}-{}/", "a".repeat(60))).unwrap_err().contains("255"));
        assert!(Permalink::parse(&format!("/{}/{{slug}}-{}/", "a".repeat(250), "b".repeat(50))).is_ok());
    }
}
