//! schema.org metadata for search engines and other machines: each brief page carries a
//! NewsArticle with its sources as `citation` and its lead image as an ImageObject with
//! the licence metadata Google reads (license, creditText, creator, copyrightNotice,
//! acquireLicensePage).
//!
//! The shapes are structs borrowing from the page's views, serialised in the order their
//! fields are declared: one pass, no intermediate JSON tree (which cost a tenth of a
//! brief page's rendering).

use serde::Serialize;

use super::views::{AuthorLink, BriefView, ImageView, ProfileView, SiteView, SourceView};
use crate::content::authors::{AuthorProfile, AuthorRegistry};

#[derive(Serialize)]
struct NewsArticle<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    headline: &'a str,
    description: &'a str,
    url: &'a str,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: &'a str,
    #[serde(rename = "datePublished")]
    date_published: &'a str,
    #[serde(rename = "dateModified")]
    date_modified: &'a str,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    author: Authors<'a>,
    publisher: NewsMediaOrganization<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    keywords: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    citation: Vec<Citation<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<Images<'a>>,
    /// The other images the body shows, each with its licence and credit.
    #[serde(rename = "associatedMedia", skip_serializing_if = "Vec::is_empty")]
    associated_media: Vec<ImageObject<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    license: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    correction: Vec<CorrectionComment<'a>>,
}

/// A correction notice, as schema.org's `correction` holds it.
#[derive(Serialize)]
struct CorrectionComment<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    text: &'a str,
    #[serde(rename = "datePublished")]
    date_published: &'a str,
}

/// The people who wrote the brief, or the publisher when none is named.
#[derive(Serialize)]
#[serde(untagged)]
enum Authors<'a> {
    People(Vec<Person<'a>>),
    Organization(Organization<'a>),
}

#[derive(Serialize)]
struct Person<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    /// The same person elsewhere: their own site and the registry's `same_as` links.
    #[serde(rename = "sameAs", skip_serializing_if = "Vec::is_empty")]
    same_as: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
}

impl<'a> Person<'a> {
    fn new(name: &'a str, url: Option<&'a str>) -> Self {
        Person { kind: "Person", name, url, same_as: Vec::new(), description: None, image: None }
    }

    /// A byline's author: their page on the site, and the registry's links when it knows them.
    fn byline(author: &'a AuthorLink, registry: &'a AuthorRegistry) -> Self {
        let profile = registry.by_name(&author.name);
        Person {
            same_as: profile.map(same_as).unwrap_or_default(),
            ..Person::new(&author.name, Some(&author.absolute_url))
        }
    }
}

fn same_as(profile: &AuthorProfile) -> Vec<&str> {
    profile.url.iter().chain(&profile.same_as).map(String::as_str).collect()
}

#[derive(Serialize)]
struct ProfilePage<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    url: &'a str,
    #[serde(rename = "mainEntity")]
    main_entity: Person<'a>,
}

/// The JSON-LD of an author's page: a ProfilePage about the Person.
pub fn profile_page(profile: &ProfileView) -> String {
    let person = Person {
        same_as: profile.website.iter().chain(&profile.same_as).map(|link| link.url.as_str()).collect(),
        description: profile.bio.as_deref(),
        image: profile.photo.as_ref().map(|photo| photo.absolute_url.as_str()),
        ..Person::new(&profile.name, Some(&profile.absolute_url))
    };
    script_safe(&ProfilePage {
        context: "https://schema.org",
        kind: "ProfilePage",
        url: &profile.absolute_url,
        main_entity: person,
    })
}

/// `value` as JSON that can sit inside `<script type="application/ld+json">`.
fn script_safe(value: &impl Serialize) -> String {
    // Serialising plain strings and structs into memory cannot fail.
    let text = serde_json::to_string(value).expect("JSON-LD of plain structs always serialises");
    // `<` cannot end the script element when written as an escape.
    if text.contains('<') { text.replace('<', "\\u003c") } else { text }
}

#[derive(Serialize)]
struct Organization<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

/// The publisher, with the policies the Trust Project asks for (`correctionsPolicy`…).
#[derive(Serialize)]
struct NewsMediaOrganization<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    logo: Option<&'a str>,
    #[serde(rename = "foundingDate", skip_serializing_if = "Option::is_none")]
    founding_date: Option<&'a str>,
    #[serde(flatten)]
    policies: std::collections::BTreeMap<&'static str, &'a str>,
}

#[derive(Serialize)]
struct Citation<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    headline: Option<&'a str>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<&'a str>,
    #[serde(rename = "archivedAt", skip_serializing_if = "Option::is_none")]
    archived_at: Option<&'a str>,
}

impl<'a> Citation<'a> {
    fn new(source: &'a SourceView) -> Self {
        Citation {
            kind: "CreativeWork",
            name: &source.name,
            url: source.url.as_deref(),
            headline: source.title.as_deref(),
            date_published: source.date.as_ref().map(|d| d.iso.as_str()),
            archived_at: source.archive_url.as_deref(),
        }
    }
}

/// A lead image: the image alone, or, when crops were made of it, the image and its
/// crops (16:9, 4:3, 1:1), each with the credit and licence, as Google asks.
#[derive(Serialize)]
#[serde(untagged)]
enum Images<'a> {
    One(Box<ImageObject<'a>>),
    Several(Vec<ImageObject<'a>>),
}

impl<'a> Images<'a> {
    fn new(image: &'a ImageView) -> Self {
        if image.crops.is_empty() {
            return Images::One(Box::new(ImageObject::new(image)));
        }
        let crops = image.crops.iter().map(|crop| ImageObject {
            content_url: &crop.url,
            url: &crop.url,
            width: Some(crop.width),
            height: Some(crop.height),
            ..ImageObject::new(image)
        });
        Images::Several(std::iter::once(ImageObject::new(image)).chain(crops).collect())
    }
}

#[derive(Serialize)]
struct ImageObject<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "contentUrl")]
    content_url: &'a str,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    width: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    height: Option<u32>,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    #[serde(rename = "creditText")]
    credit_text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    license: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    creator: Option<Person<'a>>,
    #[serde(rename = "copyrightNotice", skip_serializing_if = "Option::is_none")]
    copyright_notice: Option<&'a str>,
    #[serde(rename = "acquireLicensePage", skip_serializing_if = "Option::is_none")]
    acquire_license_page: Option<&'a str>,
    /// The original of an adaptation (schema.org's isBasedOn).
    #[serde(rename = "isBasedOn", skip_serializing_if = "Option::is_none")]
    is_based_on: Option<&'a str>,
}

impl<'a> ImageObject<'a> {
    fn new(image: &'a ImageView) -> Self {
        ImageObject {
            kind: "ImageObject",
            content_url: &image.absolute_url,
            url: &image.absolute_url,
            width: None,
            height: None,
            description: &image.alt,
            credit_text: &image.credit_text,
            name: image.title.as_deref(),
            license: image.license.as_ref().map(|l| l.canonical_deed_url.as_str()),
            creator: image.author.as_deref().map(|author| Person::new(author, image.author_url.as_deref())),
            copyright_notice: image.author.as_deref().or(image.source.as_deref()),
            acquire_license_page: image.source_url.as_deref(),
            is_based_on: image.modified.then(|| image.source_url.as_deref().or(image.title.as_deref())).flatten(),
        }
    }
}

/// The JSON-LD of a brief page, safe to print inside `<script type="application/ld+json">`.
pub fn news_article(brief: &BriefView, site: &SiteView, registry: &AuthorRegistry) -> String {
    let publisher_name = site.publisher.as_deref().unwrap_or(&site.title);
    let author = if brief.authors.is_empty() {
        Authors::Organization(Organization { kind: "Organization", name: publisher_name, url: None })
    } else {
        Authors::People(brief.authors.iter().map(|author| Person::byline(author, registry)).collect())
    };
    let article = NewsArticle {
        context: "https://schema.org",
        kind: brief.kind.schema_type,
        headline: brief.title,
        description: brief.summary,
        url: &brief.absolute_url,
        main_entity_of_page: &brief.absolute_url,
        date_published: &brief.date.iso,
        date_modified: &brief.updated.as_ref().unwrap_or(&brief.date).iso,
        in_language: brief.lang,
        author,
        publisher: NewsMediaOrganization {
            kind: "NewsMediaOrganization",
            name: publisher_name,
            url: site.publisher_url.as_deref().unwrap_or(&site.absolute_url),
            logo: site.publisher_logo.as_deref(),
            founding_date: site.publisher_founding_date.as_deref(),
            policies: site.policies.iter().map(|policy| (policy.property, policy.url.as_str())).collect(),
        },
        keywords: brief.tags.iter().map(|t| t.name.as_str()).collect(),
        citation: brief.sources.iter().map(Citation::new).collect(),
        image: brief.image.as_ref().map(Images::new),
        associated_media: brief.media.iter().map(ImageObject::new).collect(),
        license: site.license.as_ref().map(|l| l.canonical_deed_url.as_str()),
        correction: brief
            .corrections
            .iter()
            .map(|c| CorrectionComment { kind: "CorrectionComment", text: c.text, date_published: &c.date.iso })
            .collect(),
    };
    script_safe(&article)
}
