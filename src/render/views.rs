//! What templates see: plain serializable views of the model, with URLs made and dates
//! formatted in the page's language. Templates only lay these out.

use serde::Serialize;

use super::strings::UiStrings;
use crate::config::Config;
use crate::content::{Brief, BriefDate, ImageCredit, ImageSrc, Source, slugify};
use crate::license::{Kind, License};

#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    /// For `<time datetime>`: `2022-03-04` or RFC 3339.
    pub iso: String,
    /// As the language writes it: "4 March 2022", "4 mars 2022".
    pub display: String,
}

impl DateView {
    pub fn new(date: &BriefDate, strings: &UiStrings) -> Self {
        DateView {
            iso: date.iso(),
            display: strings.format_date(date.day()),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct LicenseView {
    pub id: String,
    pub short_name: String,
    /// The full name in the page's language.
    pub name: String,
    pub deed_url: String,
    /// `attribution`, `cc0` or `public-domain-mark`.
    pub kind: &'static str,
}

impl LicenseView {
    pub fn new(license: &License, lang: &str) -> Self {
        LicenseView {
            id: license.id.clone(),
            short_name: license.short_name.clone(),
            name: license.name(lang).to_string(),
            deed_url: license.deed_url.clone(),
            kind: match license.kind {
                Kind::Attribution(_) => "attribution",
                Kind::Cc0 => "cc0",
                Kind::PublicDomainMark => "public-domain-mark",
            },
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub home_url: String,
    pub tags_url: String,
    pub language: String,
    pub publisher: Option<String>,
    pub license: Option<LicenseView>,
    pub stylesheet_url: String,
    /// Absolute, so only known when `base_url` is set.
    pub sitemap_url: Option<String>,
}

impl SiteView {
    pub fn new(config: &Config, lang: &str) -> Self {
        SiteView {
            title: config.title.clone(),
            home_url: config.url_path("/"),
            tags_url: config.url_path("/tags/"),
            language: config.language.clone(),
            publisher: config.publisher.clone(),
            license: config.license.map(|l| LicenseView::new(l, lang)),
            stylesheet_url: config.url_path("/style.css"),
            sitemap_url: config
                .base_url
                .is_some()
                .then(|| config.absolute_url("/sitemap.xml")),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TagLink {
    pub name: String,
    pub slug: String,
    pub url: String,
}

impl TagLink {
    pub fn new(name: &str, config: &Config) -> Self {
        let slug = slugify(name);
        TagLink {
            name: name.to_string(),
            url: config.url_path(&format!("/tags/{slug}/")),
            slug,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub name: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub date: Option<DateView>,
    pub archive_url: Option<String>,
}

impl SourceView {
    fn new(source: &Source, strings: &UiStrings) -> Self {
        SourceView {
            name: source.name.clone(),
            url: source.url.clone(),
            title: source.title.clone(),
            date: source.date.as_ref().map(|d| DateView::new(d, strings)),
            archive_url: source.archive_url.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ImageView {
    pub url: String,
    pub alt: String,
    pub title: Option<String>,
    pub author: Option<String>,
    pub author_url: Option<String>,
    pub source: Option<String>,
    pub source_url: Option<String>,
    pub license: Option<LicenseView>,
    pub modified: bool,
}

impl ImageView {
    fn new(image: &ImageCredit, brief: &Brief, config: &Config) -> Self {
        let url = match &image.src {
            ImageSrc::Colocated { file_name, .. } => {
                config.url_path(&format!("{}{file_name}", brief.permalink))
            }
            ImageSrc::Static { site_path } => config.url_path(site_path),
            ImageSrc::Remote(url) => url.clone(),
        };
        ImageView {
            url,
            alt: image.alt.clone(),
            title: image.title.clone(),
            author: image.author.clone(),
            author_url: image.author_url.clone(),
            source: image.source.clone(),
            source_url: image.source_url.clone(),
            license: image.license.map(|l| LicenseView::new(l, &brief.lang)),
            modified: image.modified,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BriefView {
    pub title: String,
    pub url: String,
    pub absolute_url: String,
    pub lang: String,
    pub date: DateView,
    pub updated: Option<DateView>,
    pub summary: String,
    pub tags: Vec<TagLink>,
    pub authors: Vec<String>,
    pub sources: Vec<SourceView>,
    pub image: Option<ImageView>,
    /// Rendered Markdown: the one field templates print unescaped.
    pub body: String,
    pub extra: serde_json::Value,
}

impl BriefView {
    /// A brief as seen from a page in `page_strings`' language (its own page, or a list).
    pub fn new(brief: &Brief, config: &Config, page_strings: &UiStrings) -> Self {
        BriefView {
            title: brief.title.clone(),
            url: config.url_path(&brief.permalink),
            absolute_url: config.absolute_url(&brief.permalink),
            lang: brief.lang.clone(),
            date: DateView::new(&brief.date, page_strings),
            updated: brief
                .updated
                .as_ref()
                .map(|d| DateView::new(d, page_strings)),
            summary: brief.summary.clone(),
            tags: brief.tags.iter().map(|t| TagLink::new(t, config)).collect(),
            authors: brief.authors.clone(),
            sources: brief
                .sources
                .iter()
                .map(|s| SourceView::new(s, page_strings))
                .collect(),
            image: brief
                .image
                .as_ref()
                .map(|i| ImageView::new(i, brief, config)),
            body: brief.body_html.clone(),
            extra: brief.extra.clone(),
        }
    }
}

/// Links between the pages of a paginated list.
#[derive(Debug, Clone, Serialize)]
pub struct PagerView {
    pub current: usize,
    pub total: usize,
    pub previous_url: Option<String>,
    pub next_url: Option<String>,
    /// "Page 2 of 5", in the page's language.
    pub label: String,
}
