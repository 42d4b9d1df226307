//! What templates see: plain serializable views of the model, with URLs made and dates
//! formatted in the page's language. Templates only lay these out.

use std::borrow::Cow;

use serde::Serialize;

use super::strings::UiStrings;
use crate::config::Config;
use crate::content::Taxonomy;
use crate::content::{Brief, BriefDate, CorrectionKind, ImageCredit, ImageSrc, Source, WorkType, slugify};
use crate::images::{Container, ImageLibrary, PublishedVariant};
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
        DateView { iso: date.iso(), display: strings.format_date(date.day()) }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct LicenseView {
    pub id: String,
    pub short_name: String,
    /// The full name in the page's language.
    pub name: String,
    /// The deed in the page's language (`…/by-sa/3.0/deed.fr` for French pages).
    pub deed_url: String,
    /// The canonical deed, the licence's identity for machines.
    pub canonical_deed_url: String,
    /// `attribution`, `cc0` or `public-domain-mark`.
    pub kind: &'static str,
    pub share_alike: bool,
}

impl LicenseView {
    pub fn new(license: &License, lang: &str) -> Self {
        LicenseView {
            id: license.id.clone(),
            short_name: license.short_name.clone(),
            name: license.name(lang).to_string(),
            deed_url: license.deed_url_for(lang),
            canonical_deed_url: license.deed_url.clone(),
            kind: match license.kind {
                Kind::Attribution(_) => "attribution",
                Kind::Cc0 => "cc0",
                Kind::PublicDomainMark => "public-domain-mark",
            },
            share_alike: license.elements().is_some_and(|e| e.share_alike),
        }
    }
}

/// The folder of the pages in `lang` (`/fr/`) when the site has pages per language and
/// `lang` is one of them, else the site's (`/`).
fn language_folder(config: &Config, lang: &str) -> String {
    match config.languages.iter().find(|l| l.eq_ignore_ascii_case(lang)) {
        Some(language) => format!("/{language}/"),
        None => "/".into(),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub home_url: String,
    /// The absolute address of the home page (root-relative without `base_url`).
    pub absolute_url: String,
    pub tags_url: String,
    pub sources_url: String,
    pub credits_url: String,
    /// The corrections and archives of the page's language when the site has pages per
    /// language, else of the whole site.
    pub corrections_url: String,
    pub archives_url: String,
    /// The search page, when the site has search.
    pub search_url: Option<String>,
    /// Where Pagefind's bundle is published (`/pagefind/`).
    pub search_bundle_url: String,
    pub authors_url: String,
    pub language: String,
    /// The publisher's name, when given.
    pub publisher: Option<String>,
    pub publisher_url: Option<String>,
    /// Absolute when `base_url` is set.
    pub publisher_logo: Option<String>,
    pub publisher_founding_date: Option<String>,
    /// The policies the publisher links (corrections, ethics…), in the page's language.
    pub policies: Vec<PolicyView>,
    pub license: Option<LicenseView>,
    pub stylesheet_url: String,
    /// Absolute, so only known when `base_url` is set.
    pub sitemap_url: Option<String>,
    /// Google's news sitemap, announced in robots.txt.
    pub news_sitemap_url: Option<String>,
}

impl SiteView {
    pub fn new(config: &Config, lang: &str, strings: &UiStrings) -> Self {
        SiteView {
            title: config.title.clone(),
            home_url: config.url_path("/"),
            absolute_url: config.absolute_url("/"),
            tags_url: config.url_path("/tags/"),
            sources_url: config.url_path("/sources/"),
            credits_url: config.url_path("/credits/"),
            corrections_url: config.url_path(&format!("{}corrections/", language_folder(config, lang))),
            archives_url: config.url_path(&format!("{}archives/", language_folder(config, lang))),
            search_url: config.search.then(|| config.url_path(&format!("{}search/", language_folder(config, lang)))),
            search_bundle_url: config.url_path("/pagefind/"),
            authors_url: config.url_path("/authors/"),
            language: config.language.clone(),
            publisher: config.publisher.as_ref().map(|p| p.name.clone()),
            publisher_url: config.publisher.as_ref().and_then(|p| p.url.clone()),
            publisher_logo: config
                .publisher
                .as_ref()
                .and_then(|p| p.logo.as_deref())
                .map(|logo| if logo.starts_with('/') { config.absolute_url(logo) } else { logo.to_string() }),
            publisher_founding_date: config.publisher.as_ref().and_then(|p| p.founding_date.clone()),
            policies: config
                .publisher
                .iter()
                .flat_map(|p| &p.policies)
                .map(|policy| PolicyView {
                    label: strings.get(&format!("policy_{}", policy.key)).to_string(),
                    url: policy.url.clone(),
                    property: policy.property,
                })
                .collect(),
            license: config.license.map(|l| LicenseView::new(l, lang)),
            stylesheet_url: config.url_path("/style.css"),
            sitemap_url: config.base_url.is_some().then(|| config.absolute_url("/sitemap.xml")),
            news_sitemap_url: config.base_url.is_some().then(|| config.absolute_url("/news-sitemap.xml")),
        }
    }
}

/// A policy of the publisher, linked from every page.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyView {
    pub label: String,
    pub url: String,
    /// The schema.org property that declares it.
    pub property: &'static str,
}

/// A link to the page of a tag or of a cited outlet.
#[derive(Debug, Clone, Serialize)]
pub struct GroupLink {
    pub name: String,
    pub slug: String,
    pub url: String,
}

impl GroupLink {
    pub fn new(name: &str, taxonomy: Taxonomy, config: &Config) -> Self {
        let slug = slugify(name);
        GroupLink { name: name.to_string(), url: config.url_path(&taxonomy.first_page(&slug)), slug }
    }
}

/// A byline: the name as the brief writes it, and the author's page on the site.
#[derive(Debug, Clone, Serialize)]
pub struct AuthorLink {
    pub name: String,
    pub url: String,
    pub absolute_url: String,
}

impl AuthorLink {
    pub fn new(name: &str, config: &Config) -> Self {
        let page = Taxonomy::Authors.first_page(&slugify(name));
        AuthorLink { name: name.to_string(), url: config.url_path(&page), absolute_url: config.absolute_url(&page) }
    }
}

/// What an author's page shows of them beyond their briefs: the registry's profile.
#[derive(Debug, Clone, Serialize)]
pub struct ProfileView {
    pub name: String,
    pub absolute_url: String,
    /// In the page's language when the registry has it so.
    pub bio: Option<String>,
    /// Their own site.
    pub website: Option<LinkView>,
    /// The same person elsewhere (Wikidata, ORCID, Mastodon…), each named by its host.
    pub same_as: Vec<LinkView>,
    pub photo: Option<ImageView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub url: String,
    /// The address's host, without `www.`: "wikidata.org", "orcid.org".
    pub label: String,
}

impl LinkView {
    pub fn new(url: &str) -> Self {
        let host = url::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_string));
        let label = host.map_or_else(|| url.to_string(), |h| h.trim_start_matches("www.").to_string());
        LinkView { url: url.to_string(), label }
    }
}

impl ProfileView {
    /// The page of the author named `name` (as the registry spells it, when it knows them),
    /// whose first page is at `page`, in `lang`.
    pub fn new(
        name: &str,
        profile: Option<&crate::content::authors::AuthorProfile>,
        page: &str,
        (config, lang, strings): (&Config, &str, &UiStrings),
    ) -> Self {
        ProfileView {
            name: name.to_string(),
            absolute_url: config.absolute_url(page),
            bio: profile.and_then(|p| p.bio_for(lang, &config.language)).map(str::to_string),
            website: profile.and_then(|p| p.url.as_deref()).map(LinkView::new),
            same_as: profile.map(|p| p.same_as.iter().map(|u| LinkView::new(u)).collect()).unwrap_or_default(),
            photo: profile
                .and_then(|p| p.photo.as_ref())
                .map(|photo| ImageView::new(photo, page, (lang, config, strings), &ImageLibrary::default())),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub name: String,
    /// The site's page listing every brief citing this outlet.
    pub outlet_url: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub date: Option<DateView>,
    pub archive_url: Option<String>,
}

impl SourceView {
    fn new(source: &Source, config: &Config, strings: &UiStrings) -> Self {
        SourceView {
            name: source.name.clone(),
            outlet_url: GroupLink::new(&source.name, Taxonomy::Outlets, config).url,
            url: source.url.clone(),
            title: source.title.clone(),
            date: source.date.as_ref().map(|d| DateView::new(d, strings)),
            archive_url: source.archive_url.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ImageView {
    /// The image to show: its widest JPEG or PNG variant, or the file itself when it is
    /// not published as variants (SVG, another site's image).
    pub url: String,
    /// Absolute when `base_url` is known, for machine-readable metadata.
    pub absolute_url: String,
    /// The upright image's size, when it is published as variants.
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// `srcset` of the WebP variants and of their JPEG or PNG fallbacks ("…-480.webp 480w,
    /// …"), empty when the image has no variants.
    pub srcset_webp: String,
    pub srcset: String,
    /// The narrowest JPEG or PNG, for thumbnails' `src`.
    pub thumbnail_url: String,
    /// The JPEG or PNG shown when the page is shared (`og:image`), absolute, and its size;
    /// the image itself when it has no variants.
    pub share_url: String,
    pub share_width: Option<u32>,
    pub share_height: Option<u32>,
    /// The size of the file at `url` (the widest JPEG or PNG), when it is a variant.
    pub fallback_width: Option<u32>,
    pub fallback_height: Option<u32>,
    /// The crops made for search engines around the image's focus (16:9, 4:3, 1:1),
    /// empty when it has none (an SVG, a small image, not a lead image).
    pub crops: Vec<CropView>,
    /// The credit as plain text, in the page's language.
    pub credit_text: String,
    pub alt: String,
    pub title: Option<String>,
    pub author: Option<String>,
    pub author_url: Option<String>,
    pub source: Option<String>,
    pub source_url: Option<String>,
    pub license: Option<LicenseView>,
    pub modified: bool,
}

/// A crop of an image for sharing: its absolute address and size.
#[derive(Debug, Clone, Serialize)]
pub struct CropView {
    pub url: String,
    pub width: u32,
    pub height: u32,
}

impl ImageView {
    /// The lead image of the brief at `permalink`, seen from a page in `lang`, shown
    /// through its variants when `images` publishes it so.
    pub fn new(
        image: &ImageCredit,
        permalink: &str,
        (lang, config, strings): (&str, &Config, &UiStrings),
        images: &ImageLibrary,
    ) -> Self {
        let mut view = Self::original(image, permalink, lang, config, strings);
        if let Some(published) = images.get(&image.src) {
            let srcset = |variants: &mut dyn Iterator<Item = &PublishedVariant>| {
                let urls = variants.map(|v| format!("{} {}w", config.url_path(&v.site_path), v.width));
                urls.collect::<Vec<_>>().join(", ")
            };
            view.srcset_webp = srcset(&mut published.in_container(Container::WebP));
            view.srcset = srcset(&mut published.srcset_fallbacks());
            if let Some(narrowest) = published.srcset_fallbacks().next() {
                view.thumbnail_url = config.url_path(&narrowest.site_path);
            }
            if let Some(shared) = published.shared() {
                view.share_url = config.absolute_url(&shared.site_path);
                view.share_width = Some(shared.width);
                view.share_height = Some(shared.height);
            }
            if let Some(widest) = published.fallback() {
                view.url = config.url_path(&widest.site_path);
                view.absolute_url = config.absolute_url(&widest.site_path);
                view.fallback_width = Some(widest.width);
                view.fallback_height = Some(widest.height);
            }
            view.width = Some(published.width);
            view.height = Some(published.height);
            view.crops = published
                .crops_around(image.focus)
                .map(|crop| CropView {
                    url: config.absolute_url(&crop.variant.site_path),
                    width: crop.variant.width,
                    height: crop.variant.height,
                })
                .collect();
        }
        view
    }

    /// The image as its file is, before any variant.
    fn original(image: &ImageCredit, permalink: &str, lang: &str, config: &Config, strings: &UiStrings) -> Self {
        let (url, absolute_url) = match &image.src {
            ImageSrc::Colocated { file_name, .. } => {
                let path = format!("{permalink}{file_name}");
                (config.url_path(&path), config.absolute_url(&path))
            }
            ImageSrc::Static { site_path } => (config.url_path(site_path), config.absolute_url(site_path)),
            ImageSrc::Remote(url) => (url.clone(), url.clone()),
        };
        ImageView {
            share_url: absolute_url.clone(),
            share_width: None,
            share_height: None,
            crops: Vec::new(),
            fallback_width: None,
            fallback_height: None,
            url,
            absolute_url,
            width: None,
            height: None,
            srcset_webp: String::new(),
            srcset: String::new(),
            thumbnail_url: String::new(),
            credit_text: credit_text(image, strings),
            alt: image.alt.clone(),
            title: image.title.clone(),
            author: image.author.clone(),
            author_url: image.author_url.clone(),
            source: image.origin.clone(),
            source_url: image.origin_url.clone(),
            license: image.license.map(|l| LicenseView::new(l, lang)),
            modified: image.modified,
        }
    }
}

/// The TASL credit as plain text, worded like the theme's figure caption:
/// "Based on “Flag of Ukraine” by UP9, via Wikimedia Commons, licensed under CC BY-SA 3.0".
pub fn credit_text(image: &ImageCredit, strings: &UiStrings) -> String {
    let mut text = String::new();
    if image.modified {
        text.push_str(strings.get("credit_based_on"));
        text.push(' ');
    }
    match &image.title {
        Some(title) => text.push_str(&format!("{}{title}{}", strings.get("quote_open"), strings.get("quote_close"))),
        None => text.push_str(strings.get("credit_untitled")),
    }
    if let Some(author) = &image.author {
        text.push_str(&format!(" {} {author}", strings.get("credit_by")));
    }
    if let Some(source) = &image.origin {
        text.push_str(&format!(", {} {source}", strings.get("credit_via")));
    }
    if let Some(license) = image.license {
        let verb = if license.kind == Kind::PublicDomainMark { "credit_marked_with" } else { "credit_licensed_under" };
        text.push_str(&format!(", {} {}", strings.get(verb), license.short_name));
    }
    capitalise_first(text)
}

/// The text with its first letter in upper case ("based on…" → "Based on…").
fn capitalise_first(text: String) -> String {
    match text.chars().next() {
        Some(first) if !first.is_uppercase() => {
            let mut capitalised: String = first.to_uppercase().collect();
            capitalised.push_str(&text[first.len_utf8()..]);
            capitalised
        }
        _ => text,
    }
}

/// A correction notice as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct CorrectionView<'a> {
    /// `correction`, `clarification`, `update` or `retraction`.
    pub kind: &'static str,
    /// "Correction", "Précision": in the page's language.
    pub label: String,
    pub date: DateView,
    pub text: &'a str,
}

/// A brief's type of work as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct WorkTypeView {
    /// As the front matter writes it (`opinion`), for class names.
    pub name: &'static str,
    /// "Opinion", "Contenu sponsorisé": in the page's language.
    pub label: String,
    /// Every type but news is labelled where the brief appears.
    pub labelled: bool,
    /// Paid for by an advertiser: marked unmistakably.
    pub sponsored: bool,
    pub schema_type: &'static str,
}

impl WorkTypeView {
    pub fn new(kind: WorkType, strings: &UiStrings) -> Self {
        WorkTypeView {
            name: kind.name(),
            label: work_type_label(kind, strings).to_string(),
            labelled: kind != WorkType::News,
            sponsored: kind == WorkType::Sponsored,
            schema_type: kind.schema_type(),
        }
    }
}

/// The label of a correction notice's kind, from the UI strings (`correction_retraction`).
pub fn correction_label(kind: CorrectionKind, strings: &UiStrings) -> &str {
    strings.get(&format!("correction_{}", kind.name()))
}

/// The label of a type of work, from the UI strings (`type_fact_check`).
pub fn work_type_label(kind: WorkType, strings: &UiStrings) -> &str {
    strings.get(match kind {
        WorkType::News => "type_news",
        WorkType::Analysis => "type_analysis",
        WorkType::Opinion => "type_opinion",
        WorkType::Explainer => "type_explainer",
        WorkType::FactCheck => "type_fact_check",
        WorkType::Interview => "type_interview",
        WorkType::Review => "type_review",
        WorkType::Obituary => "type_obituary",
        WorkType::Sponsored => "type_sponsored",
        WorkType::Satire => "type_satire",
    })
}

/// A brief as templates see it. Borrows what it shows as it is from the brief (its
/// body above all), so that a page copies those only once, into the template's values.
#[derive(Debug, Clone, Serialize)]
pub struct BriefView<'a> {
    pub title: &'a str,
    pub url: String,
    pub absolute_url: String,
    pub lang: &'a str,
    pub date: DateView,
    /// The latest of `updated` and the corrections' dates.
    pub updated: Option<DateView>,
    /// Oldest first.
    pub corrections: Vec<CorrectionView<'a>>,
    pub summary: &'a str,
    pub kind: WorkTypeView,
    pub tags: Vec<GroupLink>,
    /// The bylines, each linking to its author's page.
    pub authors: Vec<AuthorLink>,
    pub sources: Vec<SourceView>,
    pub image: Option<ImageView>,
    /// The credits of the other images the body shows (`media:`), in the order written.
    pub media: Vec<ImageView>,
    /// Rendered Markdown: the one field templates print unescaped. Empty in lists.
    pub body: Cow<'a, str>,
    pub extra: &'a serde_json::Value,
    /// Dated after the moment the site is built as of: only the preview shows such a
    /// brief (a build leaves it out), with a banner.
    pub scheduled: bool,
}

impl<'a> BriefView<'a> {
    /// A brief as seen from its own page or a feed, in `page_lang`.
    pub fn new(
        brief: &'a Brief,
        config: &Config,
        (page_lang, page_strings): (&str, &UiStrings),
        images: &ImageLibrary,
    ) -> Result<Self, crate::diagnostic::Diagnostic> {
        let mut view = Self::card(brief, config, (page_lang, page_strings), images);
        view.body = crate::content::load::body_html(brief, config)?;
        Ok(view)
    }

    /// A brief as a list shows it: everything but the body, so that editing a body
    /// re-renders its page and feeds but not every list it appears in.
    pub fn card(
        brief: &'a Brief,
        config: &Config,
        (page_lang, page_strings): (&str, &UiStrings),
        images: &ImageLibrary,
    ) -> Self {
        let image_view = |image| ImageView::new(image, &brief.permalink, (page_lang, config, page_strings), images);
        BriefView {
            title: &brief.title,
            url: config.url_path(&brief.permalink),
            absolute_url: config.absolute_url(&brief.permalink),
            lang: &brief.lang,
            date: DateView::new(&brief.date, page_strings),
            updated: brief.modified().map(|d| DateView::new(&d, page_strings)),
            corrections: brief
                .corrections
                .iter()
                .map(|c| CorrectionView {
                    kind: c.kind.name(),
                    label: correction_label(c.kind, page_strings).to_string(),
                    date: DateView::new(&c.date, page_strings),
                    text: &c.text,
                })
                .collect(),
            summary: &brief.summary,
            kind: WorkTypeView::new(brief.kind, page_strings),
            tags: brief.tags.iter().map(|t| GroupLink::new(t, Taxonomy::Tags, config)).collect(),
            authors: brief.authors.iter().map(|name| AuthorLink::new(name, config)).collect(),
            sources: brief.sources.iter().map(|s| SourceView::new(s, config, page_strings)).collect(),
            image: brief.image.as_ref().map(image_view),
            media: brief.media.iter().map(image_view).collect(),
            body: Cow::Borrowed(""),
            extra: &brief.extra,
            scheduled: false,
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
    /// The links' text: "← Newer briefs" and "Older briefs →" on lists of briefs.
    pub previous_label: String,
    pub next_label: String,
}
