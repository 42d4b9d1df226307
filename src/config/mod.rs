//! `depeche.toml` → [`RawConfig`] (what serde reads, every key optional, unknown keys
//! refused) → [`Config`] (validated, with defaults applied), reporting every problem at
//! once with its line and column.

mod images;
mod publisher;
mod sources;

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;
use url::Url;

use crate::diagnostic::{Code, Diagnostic, line_column};
use crate::license::{self, License};
use crate::permalink::Permalink;
pub use images::ImageSettings;
pub use publisher::{POLICIES, Policy, Publisher};
pub use sources::SourceSettings;

pub const CONFIG_FILE: &str = "depeche.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<Spanned<String>>,
    base_url: Option<Spanned<String>>,
    language: Option<Spanned<String>>,
    license: Option<Spanned<String>>,
    publisher: Option<Spanned<toml::Value>>,
    paginate: Option<Spanned<i64>>,
    permalink: Option<Spanned<String>>,
    theme: Option<Spanned<String>>,
    commercial: Option<bool>,
    languages: Option<Spanned<Vec<String>>>,
    french_typography: Option<bool>,
    search: Option<bool>,
    images: Option<Spanned<images::RawImages>>,
    sources: Option<Spanned<sources::RawSources>>,
}

/// The validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    /// The public address of the site, always ending in `/`, when known.
    pub base_url: Option<Url>,
    /// The path part of `base_url` (`/` or e.g. `/news/`): every internal link starts with it.
    pub base_path: String,
    pub language: String,
    /// The licence of the site's own text, shown in every page footer.
    pub license: Option<&'static License>,
    /// The newsroom: a name, or a table with its address, logo and policies.
    pub publisher: Option<Publisher>,
    pub paginate: usize,
    pub permalink: Permalink,
    pub theme: String,
    /// The site is published commercially: NC-licensed images are refused.
    pub commercial: bool,
    /// Languages with a home page and feeds of their own (`/fr/`, `/fr/atom.xml`).
    pub languages: Vec<String>,
    /// Narrow no-break spaces in French briefs before ; : ! ? and inside « ».
    pub french_typography: bool,
    /// A search index and a search box (`search = false` turns them off).
    pub search: bool,
    /// Address prefixes (each ending in `/`) from which a brief's body may show images
    /// it does not publish: servers the newsroom controls. Empty by default.
    pub allow_remote_images: Vec<String>,
    /// `[images]`: the variants published of each raster image.
    pub images: ImageSettings,
    /// `[sources]`: what the commands that ask other servers about sources may do.
    pub sources: SourceSettings,
}

impl Config {
    /// The publisher's name, else the site's title: who publishes the briefs.
    pub fn publisher_name(&self) -> &str {
        self.publisher.as_ref().map_or(&self.title, |p| &p.name)
    }

    /// The address of a site path (`/2022/03/x/`): absolute when `base_url` is known,
    /// root-relative otherwise.
    pub fn absolute_url(&self, site_path: &str) -> String {
        let relative = site_path.trim_start_matches('/');
        match &self.base_url {
            // Most site paths need no resolving: joining them is appending them.
            Some(base) if is_plain_path(relative) && base.query().is_none() && base.fragment().is_none() => {
                format!("{base}{relative}")
            }
            Some(base) => base.join(relative).map_or_else(|_| format!("{base}{relative}"), String::from),
            None => self.url_path(site_path),
        }
    }

    /// The root-relative link to a site path, under `base_path`.
    pub fn url_path(&self, site_path: &str) -> String {
        format!("{}{}", self.base_path, site_path.trim_start_matches('/'))
    }
}

/// Parses and validates the text of a `depeche.toml`, with the warnings and notes found on
/// success. `path` is only used in diagnostics.
pub fn parse(text: &str, path: &Path) -> Result<(Config, Vec<Diagnostic>), Vec<Diagnostic>> {
    let raw: RawConfig = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(error) => return Err(vec![toml_error(&error, text, path)]),
    };
    let at = |span: std::ops::Range<usize>| Some(line_column(text, span.start));
    let mut problems = Vec::new();

    // Destructured in full so that a new key cannot be forgotten here.
    let RawConfig {
        title,
        base_url,
        language,
        license,
        publisher,
        paginate,
        permalink,
        theme,
        commercial,
        languages,
        french_typography,
        search,
        images,
        sources,
    } = raw;

    let title = match title {
        Some(t) if !t.get_ref().trim().is_empty() => t.into_inner(),
        Some(t) => {
            problems.push(Diagnostic::error(Code::ConfigInvalid, path, "`title` is empty").at(at(t.span())));
            String::new()
        }
        None => {
            problems.push(
                Diagnostic::error(Code::ConfigMissingKey, path, "`title` is required")
                    .with_help("add a line such as: title = \"My newsroom\""),
            );
            String::new()
        }
    };

    let mut base_path = "/".to_string();
    let base_url = base_url.and_then(|b| match parse_base_url(b.get_ref()) {
        Ok(url) => {
            base_path = url.path().to_string();
            Some(url)
        }
        Err(message) => {
            problems.push(Diagnostic::error(Code::ConfigInvalid, path, message).at(at(b.span())));
            None
        }
    });

    let language = match language {
        None => "en".to_string(),
        Some(l) => match language_tags::LanguageTag::parse(l.get_ref()) {
            Ok(tag) if tag.is_valid() => l.into_inner(),
            _ => {
                problems.push(
                    Diagnostic::error(
                        Code::ConfigInvalid,
                        path,
                        format!(
                            "`language` must be a BCP 47 language tag such as \"en\" or \"fr-CA\", not {:?}",
                            l.get_ref()
                        ),
                    )
                    .at(at(l.span())),
                );
                "en".to_string()
            }
        },
    };

    let license = license.and_then(|l| match license::lookup(l.get_ref()) {
        Ok(resolved) if resolved.exact => Some(resolved.license),
        Ok(resolved) => {
            problems.push(
                Diagnostic::note(
                    Code::LicenseNormalised,
                    path,
                    format!("licence {:?} read as {}", l.get_ref(), resolved.license.id),
                )
                .at(at(l.span()))
                .with_help(format!("write license = \"{}\"", resolved.license.id)),
            );
            Some(resolved.license)
        }
        Err(error) => {
            problems.push(license_diagnostic(&error, path).at(at(l.span())));
            None
        }
    });

    let paginate = match paginate {
        None => 20,
        Some(p) if *p.get_ref() >= 1 => *p.get_ref() as usize,
        Some(p) => {
            problems
                .push(Diagnostic::error(Code::ConfigInvalid, path, "`paginate` must be at least 1").at(at(p.span())));
            20
        }
    };

    let permalink = match permalink {
        None => Permalink::default(),
        Some(p) => Permalink::parse(p.get_ref()).unwrap_or_else(|message| {
            problems.push(Diagnostic::error(Code::ConfigInvalid, path, message).at(at(p.span())));
            Permalink::default()
        }),
    };

    let languages = match languages {
        None => Vec::new(),
        Some(list) => {
            let mut clean: Vec<String> = Vec::new();
            for tag in list.get_ref() {
                if !language_tags::LanguageTag::parse(tag).is_ok_and(|t| t.is_valid()) {
                    problems.push(
                        Diagnostic::error(
                            Code::ConfigInvalid,
                            path,
                            format!("`languages` holds {tag:?}, which is not a BCP 47 language tag"),
                        )
                        .at(at(list.span())),
                    );
                } else if !clean.contains(tag) {
                    clean.push(tag.clone());
                }
            }
            clean
        }
    };

    let theme = match theme {
        None => "default".to_string(),
        Some(t) if is_plain_name(t.get_ref()) => t.into_inner(),
        Some(t) => {
            problems.push(
                Diagnostic::error(
                    Code::ConfigInvalid,
                    path,
                    "`theme` must be the name of a folder under themes/, such as \"default\"",
                )
                .at(at(t.span())),
            );
            "default".to_string()
        }
    };

    if base_url.is_none() {
        problems.push(
            Diagnostic::warning(
                Code::NoBaseUrl,
                path,
                "`base_url` is not set: sitemap.xml and canonical links hold relative addresses",
            )
            .with_help("set base_url = \"https://…/\" to the site's public address before publishing"),
        );
    }
    let publisher = publisher.and_then(|p| {
        let span = p.span();
        publisher::resolve(p.into_inner()).unwrap_or_else(|found| {
            for message in found {
                problems.push(Diagnostic::error(Code::ConfigInvalid, path, message).at(at(span.clone())));
            }
            None
        })
    });
    let (allow_remote_images, images) = match images {
        None => (Vec::new(), ImageSettings::default()),
        Some(table) => {
            let span = table.span();
            images::resolve(table.into_inner()).unwrap_or_else(|found| {
                for message in found {
                    problems.push(Diagnostic::error(Code::ConfigInvalid, path, message).at(at(span.clone())));
                }
                (Vec::new(), ImageSettings::default())
            })
        }
    };
    let sources = match sources {
        None => SourceSettings::default(),
        Some(table) => {
            let span = table.span();
            sources::resolve(table.into_inner()).unwrap_or_else(|found| {
                for message in found {
                    problems.push(Diagnostic::error(Code::ConfigInvalid, path, message).at(at(span.clone())));
                }
                SourceSettings::default()
            })
        }
    };
    if crate::diagnostic::has_errors(&problems) {
        return Err(problems);
    }
    let config = Config {
        title,
        base_url,
        base_path,
        language,
        license,
        publisher,
        paginate,
        permalink,
        theme,
        commercial: commercial.unwrap_or(false),
        languages,
        french_typography: french_typography.unwrap_or(true),
        search: search.unwrap_or(true),
        allow_remote_images,
        images,
        sources,
    };
    Ok((config, problems))
}

/// The diagnostic for a licence that could not be resolved, shared by config and front matter.
pub(crate) fn license_diagnostic(error: &license::LookupError, path: &Path) -> Diagnostic {
    let diagnostic = Diagnostic::error(Code::UnknownLicense, path, error.to_string());
    match error.suggestions() {
        [] => diagnostic.with_help("use an SPDX id such as CC-BY-4.0, CC-BY-SA-3.0 or CC0-1.0"),
        ids => diagnostic.with_help(format!("did you mean {}?", ids.join(", "))),
    }
}

impl Config {
    /// Whether a body may show the image at `url` without publishing it.
    pub fn allows_remote_image(&self, url: &str) -> bool {
        let normalised = Url::parse(url).map(String::from).unwrap_or_default();
        self.allow_remote_images.iter().any(|prefix| normalised.starts_with(prefix.as_str()))
    }
}

fn parse_base_url(input: &str) -> Result<Url, String> {
    let with_slash = if input.ends_with('/') { input.to_string() } else { format!("{input}/") };
    match Url::parse(&with_slash) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => Ok(url),
        _ => Err(format!("`base_url` must be an http(s) address such as \"https://example.org/\", not {input:?}")),
    }
}

/// A relative path that URL resolution leaves as it is: no characters to encode, no `.`
/// or `..` segment, no query or fragment.
fn is_plain_path(path: &str) -> bool {
    path.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/'))
        && path.split('/').all(|segment| segment != "." && segment != "..")
}

fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && name.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn toml_error(error: &toml::de::Error, text: &str, path: &Path) -> Diagnostic {
    let position = error.span().map(|span| line_column(text, span.start));
    let message = error.message().trim().to_string();
    match crate::suggest::unknown_field(&message) {
        Some(unknown) => {
            Diagnostic::error(Code::UnknownKey, path, format!("unknown key `{}` in {CONFIG_FILE}", unknown.field))
                .at(position)
                .with_help(unknown.help)
        }
        None => Diagnostic::error(Code::ConfigSyntax, path, message).at(position),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn appending_a_plain_path_is_joining_it(path in "[a-z0-9./_~-]{0,30}", base in "https://example\\.org(/[a-z]{1,5}){0,2}/?") {
            let config = parse(&format!("title = \"T\"\nbase_url = \"{base}\"\n"), Path::new("depeche.toml")).unwrap().0;
            let relative = path.trim_start_matches('/');
            let joined = config.base_url.as_ref().unwrap().join(relative).unwrap().to_string();
            if is_plain_path(relative) {
                proptest::prop_assert_eq!(config.absolute_url(&format!("/{path}")), joined);
            }
        }
    }

    fn parse_ok(text: &str) -> Config {
        parse(text, Path::new("depeche.toml")).unwrap().0
    }

    fn parse_err(text: &str) -> Vec<Diagnostic> {
        parse(text, Path::new("depeche.toml")).unwrap_err()
    }

    #[test]
    fn defaults_apply() {
        let config = parse_ok("title = \"Brèves\"\n");
        assert_eq!(config.language, "en");
        assert_eq!(config.paginate, 20);
        assert_eq!(config.theme, "default");
        assert_eq!(config.base_path, "/");
        assert_eq!(config.absolute_url("/a/"), "/a/");
    }

    #[test]
    fn base_url_with_a_path_prefixes_links() {
        let config = parse_ok("title = \"x\"\nbase_url = \"https://example.org/news\"\n");
        assert_eq!(config.base_path, "/news/");
        assert_eq!(config.url_path("/tags/"), "/news/tags/");
        assert_eq!(config.absolute_url("/tags/"), "https://example.org/news/tags/");
    }

    #[test]
    fn unknown_key_suggests_nearest() {
        let errors = parse_err("title = \"x\"\nlicence = \"CC-BY-4.0\"\n");
        assert_eq!(errors[0].code, Code::UnknownKey);
        assert_eq!(errors[0].line, Some(2));
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `license`?"));
    }

    #[test]
    fn every_invalid_value_is_reported() {
        let errors = parse_err(
            "title = \"x\"\nlanguage = \"not a tag!\"\npaginate = 0\nlicense = \"CC-BY-9.0\"\nbase_url = \"ftp://x\"\n",
        );
        let codes: Vec<_> = errors.iter().filter(|d| d.is_error()).map(|d| (d.code, d.line)).collect();
        assert_eq!(
            codes,
            vec![
                (Code::ConfigInvalid, Some(5)),
                (Code::ConfigInvalid, Some(2)),
                (Code::UnknownLicense, Some(4)),
                (Code::ConfigInvalid, Some(3)),
            ]
        );
    }

    #[test]
    fn title_is_required() {
        assert_eq!(parse_err("language = \"fr\"\n")[0].code, Code::ConfigMissingKey);
    }
}
