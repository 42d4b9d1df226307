//! The credits as the whole site sees them: every image of the briefs (lead images and
//! the images of their bodies) once per credit, with the briefs that show it, and every
//! author's photo; a warning where two briefs credit one file differently.

use std::collections::HashMap;
use std::sync::Arc;

use crate::content::authors::AuthorRegistry;
use crate::content::body_images::CreditKey;
use crate::content::{Brief, ImageCredit, ImageSrc};
use crate::diagnostic::{Code, Diagnostic};

/// What makes two uses of an image one entry of the credits: the same file with the same
/// title, author, source and licence. (The alt text describes it for one page and may
/// differ.)
#[derive(Debug, PartialEq, Eq, Hash)]
pub(super) struct CreditIdentity<'a> {
    src: &'a ImageSrc,
    title: Option<&'a str>,
    author: Option<&'a str>,
    author_url: Option<&'a str>,
    source: Option<&'a str>,
    source_url: Option<&'a str>,
    license: Option<&'a str>,
    modified: bool,
}

impl<'a> CreditIdentity<'a> {
    fn new(image: &'a ImageCredit) -> Self {
        CreditIdentity {
            src: &image.src,
            title: image.title.as_deref(),
            author: image.author.as_deref(),
            author_url: image.author_url.as_deref(),
            source: image.origin.as_deref(),
            source_url: image.origin_url.as_deref(),
            license: image.license.map(|l| l.id.as_str()),
            modified: image.modified,
        }
    }

    /// The credits of every image of a brief: its lead image, then its `media:`.
    pub fn all(brief: &'a Brief) -> impl Iterator<Item = (CreditKey, CreditIdentity<'a>)> {
        let lead = brief.image.iter().map(|image| (CreditKey::Lead, CreditIdentity::new(image)));
        let media = brief.media.iter().enumerate().map(|(i, image)| (CreditKey::Media(i), CreditIdentity::new(image)));
        lead.chain(media)
    }

    /// Whether two versions of a brief credit the same images the same way.
    pub fn same_for(old: &Brief, new: &Brief) -> bool {
        CreditIdentity::all(old).map(|(_, i)| i).eq(CreditIdentity::all(new).map(|(_, i)| i))
    }

    /// The front-matter keys whose values differ between two credits of one file.
    fn differences(&self, other: &CreditIdentity) -> Vec<&'static str> {
        [
            ("title", self.title != other.title),
            ("author", self.author != other.author),
            ("author_url", self.author_url != other.author_url),
            ("source", self.source != other.source),
            ("source_url", self.source_url != other.source_url),
            ("license", self.license != other.license),
            ("modified", self.modified != other.modified),
        ]
        .into_iter()
        .filter_map(|(key, differs)| differs.then_some(key))
        .collect()
    }
}

/// The image file as an editor wrote it, for messages.
fn shown_src(src: &ImageSrc) -> String {
    match src {
        ImageSrc::Colocated { file_name, .. } => file_name.clone(),
        ImageSrc::Static { site_path } => site_path.clone(),
        ImageSrc::Remote(url) => url.clone(),
    }
}

/// The entries of the credits (each the briefs crediting one image the same way), and a
/// warning for each brief that credits a file differently from the newest brief using it: a file has
/// one title, author, source and licence, so one of the two credits is wrong. Both are
/// listed on the credits page, each with the briefs that give it, rather than one of them
/// being shown for briefs that say otherwise.
pub(super) fn credit_entries(briefs: &[Arc<Brief>]) -> (Vec<(Option<usize>, CreditUse)>, Vec<Diagnostic>) {
    let mut entries: Vec<(Option<usize>, CreditUse)> = Vec::new();
    let mut by_credit: HashMap<CreditIdentity, usize> = HashMap::new();
    // The newest brief showing each file, and which of its images it is: the credit the
    // others are compared with.
    let mut first_use: HashMap<&ImageSrc, (usize, CreditKey)> = HashMap::new();
    let mut problems = Vec::new();
    for (index, brief) in briefs.iter().enumerate() {
        for (which, identity) in CreditIdentity::all(brief) {
            let (newest, newest_which) = *first_use.entry(identity.src).or_insert((index, which));
            let newest_identity =
                CreditIdentity::all(&briefs[newest]).find(|(w, _)| *w == newest_which).map(|(_, i)| i);
            let differences = newest_identity.map(|n| identity.differences(&n)).unwrap_or_default();
            if !differences.is_empty() {
                problems.push(
                    Diagnostic::warning(
                        Code::ImageCreditDiffers,
                        &brief.path,
                        format!(
                            "the image {} is credited differently in {} (`{}`): one of the two credits is wrong",
                            shown_src(identity.src),
                            briefs[newest].path.display(),
                            differences.join("`, `"),
                        ),
                    )
                    .with_help(
                        "a file has one title, author, source and licence: make the credits agree, or use another file",
                    ),
                );
            }
            let license = identity.license;
            match by_credit.get(&identity) {
                Some(&at) => {
                    let CreditUse::Briefs { briefs: users, .. } = &mut entries[at].1 else { continue };
                    // A brief showing one image twice is listed once.
                    if users.last() != Some(&index) {
                        users.push(index);
                    }
                }
                None => {
                    let order = license.and_then(|id| crate::license::all().iter().position(|known| known.id == id));
                    by_credit.insert(identity, entries.len());
                    entries.push((order, CreditUse::Briefs { briefs: vec![index], which }));
                }
            }
        }
    }
    (entries, problems)
}

/// Where an entry of the credits pages is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreditUse {
    /// In these briefs, newest first (indexes into `Site::briefs`), as the image `which`
    /// of the first of them (its lead image, or one of its `media:`).
    Briefs { briefs: Vec<usize>, which: CreditKey },
    /// As the photo of the registry's person at this index, on their page.
    AuthorPhoto(usize),
}

/// The credits pages' entries: `entries` (the lead images, from [`credit_entries`]) and
/// the photos of the people of `registry` who have a page (`has_page`, by slug), sorted by licence
/// in the licence registry's order (images without licence last), lead images first
/// within a licence, each kind in its own order.
pub(super) fn with_author_photos(
    mut entries: Vec<(Option<usize>, CreditUse)>,
    registry: &AuthorRegistry,
    has_page: impl Fn(&str) -> bool,
) -> Vec<CreditUse> {
    for (index, profile) in registry.profiles().iter().enumerate() {
        let Some(photo) = &profile.photo else { continue };
        if has_page(&profile.slug) {
            entries.push((license_order(photo.license), CreditUse::AuthorPhoto(index)));
        }
    }
    // Stable: within a licence, images keep the order in which they were found.
    entries.sort_by_key(|(order, _)| order.unwrap_or(usize::MAX));
    entries.into_iter().map(|(_, entry)| entry).collect()
}

/// Where a licence sits in the licence registry, which orders the credits pages.
fn license_order(license: Option<&crate::license::License>) -> Option<usize> {
    license.and_then(|l| crate::license::all().iter().position(|known| known.id == l.id))
}
