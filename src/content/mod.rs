//! The typed, validated model of a site's briefs: plain data, no I/O.

pub mod authors;
pub mod body_images;
pub mod cache;
pub mod edit;
mod files;
pub mod front_matter;
mod image;
pub mod load;
mod located;
pub(crate) mod locator;
mod resolve;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};

use crate::license::License;

pub use load::{LoadOptions, Loaded, load};

/// A publication or update date. Editors write either a day (`2022-03-04`) or a moment
/// (RFC 3339, or `2022-03-04 10:30` read as UTC); we keep which, so that a day is never
/// shown or exported with an invented time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct BriefDate {
    pub datetime: DateTime<FixedOffset>,
    pub has_time: bool,
}

/// The years every output can hold: RSS writes RFC 2822 dates and Atom, JSON Feed and
/// sitemaps RFC 3339 ones, both with a year of four digits.
pub const YEARS: std::ops::RangeInclusive<i32> = 0..=9999;

impl BriefDate {
    /// The date written `input`, if it is one every output can hold.
    pub fn parse(input: &str) -> Option<BriefDate> {
        BriefDate::read(input).ok()
    }

    /// The date written `input`, or why it is not one: a message for the editor.
    pub fn read(input: &str) -> Result<BriefDate, String> {
        use chrono::Datelike;
        let date = BriefDate::parse_any(input)
            .ok_or_else(|| format!("{input:?} is not a date: write YYYY-MM-DD or an RFC 3339 moment"))?;
        let year = date.datetime.year();
        if YEARS.contains(&year) {
            Ok(date)
        } else {
            Err(format!(
                "{input:?} is in the year {year}, which feeds cannot hold: a date's year is between {} and {}",
                YEARS.start(),
                YEARS.end()
            ))
        }
    }

    fn parse_any(input: &str) -> Option<BriefDate> {
        let input = input.trim();
        if let Ok(day) = NaiveDate::parse_from_str(input, "%Y-%m-%d") {
            let midnight = day.and_hms_opt(0, 0, 0)?;
            return Some(BriefDate { datetime: Utc.from_utc_datetime(&midnight).fixed_offset(), has_time: false });
        }
        if let Ok(moment) = DateTime::parse_from_rfc3339(input) {
            return Some(BriefDate { datetime: moment, has_time: true });
        }
        ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
            .iter()
            .find_map(|format| NaiveDateTime::parse_from_str(input, format).ok())
            .map(|naive| BriefDate { datetime: Utc.from_utc_datetime(&naive).fixed_offset(), has_time: true })
    }

    pub fn day(&self) -> NaiveDate {
        self.datetime.date_naive()
    }

    /// The machine-readable form for `<time datetime>`, feeds and sitemaps:
    /// `2022-03-04` for a day, RFC 3339 for a moment.
    pub fn iso(&self) -> String {
        if self.has_time { self.datetime.to_rfc3339() } else { self.day().format("%Y-%m-%d").to_string() }
    }
}

/// What kind of piece a brief is (the Trust Project's "type of work"), with its front-matter
/// name, the schema.org type a page declares, and the UI string of its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum WorkType {
    #[default]
    News,
    Analysis,
    Opinion,
    Explainer,
    FactCheck,
    Interview,
    Review,
    Obituary,
    /// Paid for by an advertiser: marked as such wherever the brief appears.
    Sponsored,
    Satire,
}

impl WorkType {
    pub const ALL: [WorkType; 10] = [
        WorkType::News,
        WorkType::Analysis,
        WorkType::Opinion,
        WorkType::Explainer,
        WorkType::FactCheck,
        WorkType::Interview,
        WorkType::Review,
        WorkType::Obituary,
        WorkType::Sponsored,
        WorkType::Satire,
    ];

    /// As the front matter writes it.
    pub fn name(self) -> &'static str {
        match self {
            WorkType::News => "news",
            WorkType::Analysis => "analysis",
            WorkType::Opinion => "opinion",
            WorkType::Explainer => "explainer",
            WorkType::FactCheck => "fact-check",
            WorkType::Interview => "interview",
            WorkType::Review => "review",
            WorkType::Obituary => "obituary",
            WorkType::Sponsored => "sponsored",
            WorkType::Satire => "satire",
        }
    }

    pub fn from_name(name: &str) -> Option<WorkType> {
        WorkType::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// The schema.org type of the brief's article.
    pub fn schema_type(self) -> &'static str {
        match self {
            WorkType::Analysis => "AnalysisNewsArticle",
            WorkType::Opinion => "OpinionNewsArticle",
            WorkType::Explainer => "BackgroundNewsArticle",
            WorkType::Review => "ReviewNewsArticle",
            WorkType::Sponsored => "AdvertiserContentArticle",
            WorkType::Satire => "SatiricalArticle",
            WorkType::News | WorkType::FactCheck | WorkType::Interview | WorkType::Obituary => "NewsArticle",
        }
    }
}

/// What a correction notice says of the brief (the Trust Project's "corrections", and
/// schema.org's `CorrectionComment`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum CorrectionKind {
    /// A fact was wrong and is now right.
    #[default]
    Correction,
    Clarification,
    Update,
    /// The brief no longer stands.
    Retraction,
}

impl CorrectionKind {
    pub const ALL: [CorrectionKind; 4] =
        [CorrectionKind::Correction, CorrectionKind::Clarification, CorrectionKind::Update, CorrectionKind::Retraction];

    pub fn name(self) -> &'static str {
        match self {
            CorrectionKind::Correction => "correction",
            CorrectionKind::Clarification => "clarification",
            CorrectionKind::Update => "update",
            CorrectionKind::Retraction => "retraction",
        }
    }
}

/// A dated notice of what changed in a brief after it was published.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Correction {
    pub date: BriefDate,
    pub text: String,
    pub kind: CorrectionKind,
}

/// What `depeche import` writes as the image's `src`, since plain text cannot say which
/// file the image is: the build refuses it until an editor fills it in.
pub const IMAGE_SRC_PLACEHOLDER: &str = "FILL-IN-image-file";

/// Where a report came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Source {
    pub name: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub date: Option<BriefDate>,
    pub archive_url: Option<String>,
}

/// Where a lead image's file is, and so how it reaches the output.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ImageSrc {
    /// A file beside the brief, copied into the brief's own output folder.
    Colocated { file: PathBuf, file_name: String },
    /// A file under the site's static/ folder, published at this site path.
    Static { site_path: String },
    /// An image hosted elsewhere (http or https).
    Remote(String),
}

/// The lead image and its credit: title, author, source and licence (TASL).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ImageCredit {
    pub src: ImageSrc,
    /// `src` as the front matter gives it: a brief taken from the cache resolves it again,
    /// since a file may have appeared beside the brief or left static/ since.
    pub src_as_written: String,
    pub alt: String,
    pub title: Option<String>,
    pub author: Option<String>,
    pub author_url: Option<String>,
    /// Where the work was found (the front matter's `source`, the S of TASL: a site or
    /// an archive, never a cited source), and its page (`source_url`).
    pub origin: Option<String>,
    pub origin_url: Option<String>,
    #[serde(with = "cache::license_id")]
    pub license: Option<&'static License>,
    /// The image is adapted from (based on) the credited work.
    pub modified: bool,
    /// Where its subject is, which the crops made for sharing keep in frame.
    pub focus: Option<Focus>,
}

/// A point of an image, as fractions of its width and height from its top left corner
/// in ten-thousandths (`focus: [0.25, 0.4]` is `x: 2500, y: 4000`): whole numbers, so
/// that a credit can be hashed and compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Focus {
    pub x: u16,
    pub y: u16,
}

impl Focus {
    pub const SCALE: u16 = 10_000;

    /// The point at fractions `x` and `y` of the width and height, if both are in [0, 1].
    pub fn from_fractions(x: f64, y: f64) -> Option<Focus> {
        let part = |f: f64| (0.0..=1.0).contains(&f).then(|| (f * f64::from(Self::SCALE)).round() as u16);
        Some(Focus { x: part(x)?, y: part(y)? })
    }
}

/// A brief's body: its HTML, or, for a brief read from the cache of a previous build,
/// where to render it from (the brief's file, as long as its bytes still hash to the
/// same), which [`load::body_html`] does if a page showing it changed (its own page, a
/// feed); most never are.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Rendered(String),
    /// In the brief's file, whose bytes hashed to `file_hash` when it was read.
    InFile {
        file_hash: u64,
    },
}

/// What a brief read back from the cache has until the cache says which file bytes it came
/// from: a hash no file has, so that rendering it fails rather than shows another body.
impl Default for Body {
    fn default() -> Body {
        Body::InFile { file_hash: 0 }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Brief {
    /// The Markdown file, as shown in diagnostics.
    pub path: PathBuf,
    pub title: String,
    pub date: BriefDate,
    pub updated: Option<BriefDate>,
    /// When the brief leaves every output (a build after this moment publishes nothing
    /// of it).
    pub expires: Option<BriefDate>,
    pub lang: String,
    pub slug: String,
    /// Plain text: the front matter's `summary`, else the first paragraph.
    pub summary: String,
    /// The type of work (`type:` in the front matter): news unless said otherwise.
    pub kind: WorkType,
    /// Oldest first, as written.
    pub corrections: Vec<Correction>,
    pub tags: Vec<String>,
    pub authors: Vec<String>,
    pub draft: bool,
    pub sources: Vec<Source>,
    pub image: Option<ImageCredit>,
    /// The credits of the other images the body shows (`media:`), in the order written:
    /// every image of the body is the lead image or one of these.
    pub media: Vec<ImageCredit>,
    #[serde(with = "cache::json_text")]
    pub extra: serde_json::Value,
    #[serde(skip)]
    pub body: Body,
    /// The site path of the brief's page, e.g. `/2022/03/flag/`.
    pub permalink: String,
    /// Files beside the brief (a page bundle's images…) copied into its output folder.
    pub assets: Vec<PathBuf>,
    /// The images its body shows in raw HTML, as written: their files are published as
    /// they are, beside their variants.
    pub images_in_html: Vec<ImageSrc>,
    /// The Markdown file on disk.
    pub file: PathBuf,
    /// The same brief in other languages: language tag → its Markdown file on disk.
    pub translations: Vec<(String, PathBuf)>,
}

/// A moment, as the build sees it: the clock's, or `--now`'s.
pub type Moment = DateTime<FixedOffset>;

impl Brief {
    /// When the brief last changed after it was published: the latest of `updated` and
    /// its corrections. The one modified date of every output (the page, its JSON-LD, the
    /// sitemap, the feeds).
    pub fn modified(&self) -> Option<BriefDate> {
        self.corrections.iter().map(|c| c.date).chain(self.updated).max_by_key(|date| date.datetime)
    }

    /// Whether the brief is to be published at `now`: its date has come and it has not
    /// expired. A brief dated later is embargoed until then.
    pub fn is_published_at(&self, now: Moment) -> bool {
        !self.is_scheduled_at(now) && !self.has_expired_at(now)
    }

    /// Its date is still to come: embargoed.
    pub fn is_scheduled_at(&self, now: Moment) -> bool {
        self.date.datetime > now
    }

    pub fn has_expired_at(&self, now: Moment) -> bool {
        self.expires.is_some_and(|expires| expires.datetime <= now)
    }

    /// The next moment after `now` at which the brief enters or leaves the output.
    pub fn next_change_after(&self, now: Moment) -> Option<(Moment, &'static str)> {
        if self.is_scheduled_at(now) {
            Some((self.date.datetime, "is published"))
        } else {
            self.expires.filter(|expires| expires.datetime > now).map(|expires| (expires.datetime, "expires"))
        }
    }
}

/// A brief as loaded: the brief, and what loading noted about its file.
#[derive(Debug, Clone)]
pub struct LoadedBrief {
    pub brief: std::sync::Arc<Brief>,
    pub record: LoadRecord,
}

impl std::borrow::Borrow<Brief> for LoadedBrief {
    fn borrow(&self) -> &Brief {
        &self.brief
    }
}

/// What loading a brief noted about its file, for the caches and invalidation: not part
/// of the brief (the brief cache stores it beside the brief).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LoadRecord {
    /// The hash of the file's bytes.
    pub file_hash: u64,
    /// The file's size and times when it was read, if it had not changed for a while:
    /// a later build that finds the same takes the brief from the cache without reading
    /// the file.
    pub file_stamp: Option<cache::FileStamp>,
    /// What the brief's own pages are made of: every field of the brief as serialised,
    /// and its file's bytes (the body). Changes whenever either does.
    pub fingerprint: u64,
    /// What lists, feeds of other briefs and translations show of it: every serialised
    /// field (everything but the body).
    pub card_fingerprint: u64,
}

/// The ways briefs are grouped into list pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taxonomy {
    Tags,
    /// The outlets cited as sources.
    Outlets,
    /// The people named in bylines.
    Authors,
}

impl Taxonomy {
    /// The site path of the index, under which each group has its pages.
    pub fn base(self) -> &'static str {
        match self {
            Taxonomy::Tags => "/tags/",
            Taxonomy::Outlets => "/sources/",
            Taxonomy::Authors => "/authors/",
        }
    }

    pub fn first_page(self, slug: &str) -> String {
        format!("{}{slug}/", self.base())
    }
}

/// Turns a title or file name into a URL slug, transliterating accents:
/// "Élections à Paris" → "elections-a-paris".
pub fn slugify(text: &str) -> String {
    slug::slugify(text)
}

/// Checks that a front-matter URL is an absolute http(s) address.
pub fn check_http_url(input: &str) -> Result<String, String> {
    let trimmed = input.trim();
    if let Some(c) =
        trimmed.chars().find(|c| c.is_whitespace() || c.is_control() || crate::site_files::is_forbidden(*c))
    {
        return Err(format!(
            "{trimmed:?} holds {}, which no address may hold",
            match c {
                ' ' => "a space".to_string(),
                c => format!("the character U+{:04X}", u32::from(c)),
            }
        ));
    }
    match url::Url::parse(trimmed) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => Ok(trimmed.to_string()),
        Ok(url) => Err(format!("{trimmed:?} is not an http(s) address (scheme `{}:`)", url.scheme())),
        Err(_) => Err(format!("{trimmed:?} is not an absolute http(s) address")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_their_precision() {
        assert_eq!(BriefDate::parse("2022-03-04").unwrap().iso(), "2022-03-04");
        assert_eq!(BriefDate::parse("2022-03-04T10:30:00+01:00").unwrap().iso(), "2022-03-04T10:30:00+01:00");
        assert_eq!(BriefDate::parse("2022-03-04 10:30").unwrap().iso(), "2022-03-04T10:30:00+00:00");
        assert!(BriefDate::parse("2022-13-04").is_none());
        assert!(BriefDate::parse("4 mars 2022").is_none());
        for outside in ["-0001-01-01", "-2022-03-04", "+10000-01-01", "10000-01-01", "-0001-01-01T00:00:00"] {
            assert!(BriefDate::parse(outside).is_none(), "{outside}");
        }
        assert!(BriefDate::read("-0001-01-01").unwrap_err().contains("year -1"));
    }

    #[test]
    fn slugs_transliterate() {
        assert_eq!(slugify("Élections à Paris"), "elections-a-paris");
        assert_eq!(slugify("L’Ukraine : « drapeau »"), "l-ukraine-drapeau");
    }

    #[test]
    fn only_http_urls_pass() {
        assert!(check_http_url("https://example.org/a").is_ok());
        assert!(check_http_url("javascript:alert(1)").unwrap_err().contains("`javascript:`"));
        assert!(check_http_url("/relative").is_err());
        assert!(check_http_url("mailto:a@b.c").is_err());
        assert!(check_http_url("https://example.org/a\u{b}b").unwrap_err().contains("U+000B"));
        assert!(check_http_url("https://example.org/a b").unwrap_err().contains("a space"));
    }
}
