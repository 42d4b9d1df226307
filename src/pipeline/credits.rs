//! The credits as the whole site sees them: every lead image once per credit, with the
//! briefs that use it, and every author's photo; a warning where two briefs credit one
//! file differently.

use std::collections::HashMap;
use std::sync::Arc;

use crate::content::authors::AuthorRegistry;
use crate::content::{Brief, ImageSrc};
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
    pub fn of(brief: &'a Brief) -> Option<Self> {
        brief.image.as_ref().map(|image| CreditIdentity {
            src: &image.src,
            title: image.title.as_deref(),
            author: image.author.as_deref(),
            author_url: image.author_url.as_deref(),
            source: image.origin.as_deref(),
            source_url: image.origin_url.as_deref(),
            license: image.license.map(|l| l.id.as_str()),
            modified: image.modified,
        })
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
    let mut entries: Vec<(Option<usize>, Vec<usize>)> = Vec::new();
    let mut by_credit: HashMap<CreditIdentity, usize> = HashMap::new();
    // The newest brief using each file, whose credit the others are compared with.
    let mut first_use: HashMap<&ImageSrc, usize> = HashMap::new();
    let mut problems = Vec::new();
    for (index, brief) in briefs.iter().enumerate() {
        let Some(identity) = CreditIdentity::of(brief) else { continue };
        let newest = *first_use.entry(identity.src).or_insert(index);
        let differences = CreditIdentity::of(&briefs[newest]).map(|n| identity.differences(&n)).unwrap_or_default();
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
        match by_credit.get(&identity) {
            Some(&at) => entries[at].1.push(index),
            None => {
                let order = license_order(brief.image.as_ref().and_then(|image| image.license));
                by_credit.insert(identity, entries.len());
                entries.push((order, vec![index]));
            }
        }
    }
    (entries.into_iter().map(|(order, briefs)| (order, CreditUse::Briefs(briefs))).collect(), problems)
}

/// Where an entry of the credits pages is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreditUse {
    /// As the lead image of these briefs, newest first (indexes into `Site::briefs`).
    Briefs(Vec<usize>),
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
