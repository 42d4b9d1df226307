//! The whole site as one validated model: config, briefs, the groups they form (tags and
//! cited outlets), and the checks that need every brief at once (translations, credits;
//! addresses are checked on the plan, which is made from this model).

use std::collections::HashMap;
use std::sync::Arc;

use super::archive::Archive;
use super::credits::{CreditIdentity, CreditUse, credit_entries, with_author_photos};
use crate::config::Config;
use crate::content::authors::AuthorRegistry;
use crate::content::{Brief, LoadRecord, LoadedBrief, Taxonomy, slugify};
use crate::diagnostic::{Code, Diagnostic};

/// A tag or an outlet, and the briefs under it.
#[derive(Clone)]
pub struct Group {
    /// As first written in the newest brief.
    pub name: String,
    pub slug: String,
    /// Indexes into `Site::briefs`, newest first.
    pub briefs: Vec<usize>,
}

/// A page of a paginated list, counted from 1 (where `Page::Brief` holds an index into
/// `Site::briefs`, counted from 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PageNumber(std::num::NonZeroUsize);

impl PageNumber {
    pub const FIRST: PageNumber = PageNumber(std::num::NonZeroUsize::MIN);

    /// Pages 1 to `count`.
    pub fn up_to(count: usize) -> impl Iterator<Item = PageNumber> {
        (1..=count).filter_map(std::num::NonZeroUsize::new).map(PageNumber)
    }

    pub fn get(self) -> usize {
        self.0.get()
    }

    /// How many items of a list come before this page, `per_page` to a page.
    pub fn skip(self, per_page: usize) -> usize {
        (self.get() - 1) * per_page
    }

    pub fn previous(self) -> Option<PageNumber> {
        std::num::NonZeroUsize::new(self.get() - 1).map(PageNumber)
    }

    pub fn next(self) -> PageNumber {
        PageNumber(self.0.saturating_add(1))
    }
}

impl std::fmt::Display for PageNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The search index as published (the pipeline's search index makes it), and the address
/// of each shard's folder by language, the newest first (the one a search page opens,
/// merging the others).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchIndex {
    /// Pagefind's program: each file's path in the output, and the file in the cache
    /// copied there.
    pub files: Vec<(String, std::path::PathBuf)>,
    /// The shards: each folder's path in the output (ending in `/`), and the folder in the
    /// cache copied there whole.
    pub folders: Vec<(String, std::path::PathBuf)>,
    pub shards: std::collections::BTreeMap<String, Vec<String>>,
}

impl SearchIndex {
    /// The language a brief in `lang` is indexed as: Pagefind stems by the primary
    /// subtag, lower case (`fr-CA` as `fr`).
    pub fn language_of(lang: &str) -> String {
        lang.split('-').next().unwrap_or(lang).to_ascii_lowercase()
    }

    /// The shards a search page in `lang` searches, each as (language, address), the one
    /// it opens first: `lang`'s, the newest first, then for the page of the whole site
    /// (`everything`) every other language's.
    pub fn shards_searched(&self, lang: &str, everything: bool) -> Vec<(&str, &str)> {
        let own = Self::language_of(lang);
        let mut languages: Vec<(&String, &Vec<String>)> = self.shards.get_key_value(&own).into_iter().collect();
        if everything {
            languages.extend(self.shards.iter().filter(|(language, _)| **language != own));
        }
        languages
            .into_iter()
            .flat_map(|(language, shards)| shards.iter().map(move |shard| (language.as_str(), shard.as_str())))
            .collect()
    }
}

pub struct Site {
    pub config: Config,
    /// Newest first. Shared, so that the preview server can rebuild the site after a
    /// save without copying every brief.
    pub briefs: Vec<Arc<Brief>>,
    /// Sorted by slug.
    pub tags: Vec<Group>,
    /// Sorted by slug.
    pub outlets: Vec<Group>,
    /// The people named in bylines, sorted by slug; named as the registry spells them.
    pub authors: Vec<Group>,
    /// authors.yaml: the profiles of the people of `authors`.
    pub registry: Arc<AuthorRegistry>,
    /// For each brief, the briefs that are the same brief in other languages, whichever
    /// of the two declared the link.
    pub translations: Vec<Vec<usize>>,
    /// Every brief's index, newest first: the home page's list.
    pub everything: Vec<usize>,
    /// For each of `config.languages`, its briefs' indexes, newest first.
    pub by_language: Vec<Vec<usize>>,
    /// The moment the site is built as of: the preview shows briefs dated after it as
    /// scheduled (a build leaves them out).
    pub now: crate::content::Moment,
    /// How each brief was loaded (its file's hash and stamp, its fingerprints), side by
    /// side: fingerprinting every page reads them many times, and reading them from the
    /// briefs, scattered in memory, made that the slowest part of a preview's rebuild.
    pub records: Vec<LoadRecord>,
    /// Every lead image once per credit, with the briefs that use it (newest first), and
    /// every photo of an author with a page, for the credits pages: in the licence
    /// registry's order (images without licence last), lead images newest first, then
    /// photos.
    pub credits: Vec<CreditUse>,
    /// Every correction, newest first: of the whole site (`[0]`), then of the briefs in
    /// each of `config.languages`.
    pub corrections: Vec<Vec<CorrectionRef>>,
    /// The briefs by year and month: of the whole site (`[0]`), then of each of
    /// `config.languages`.
    pub archives: Vec<Archive>,
    /// The raster images published as variants, by source (empty until the pipeline has
    /// published them).
    pub images: Arc<crate::images::ImageLibrary>,
    /// The search bundle's files (none until the pipeline has indexed the site, or with
    /// `search = false`).
    pub search: Arc<SearchIndex>,
    /// Two briefs on one address, translations leading nowhere, a file credited two ways:
    /// worked out once.
    problems: Vec<Diagnostic>,
}

/// One correction of one brief.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CorrectionRef {
    /// An index into `Site::briefs`.
    pub brief: usize,
    /// An index into that brief's `corrections`.
    pub correction: usize,
}

impl CorrectionRef {
    /// The notice's anchor on the brief's page.
    pub fn anchor(self) -> String {
        format!("correction-{}", self.correction + 1)
    }
}

/// The corrections of the briefs of `list`, newest first (a brief's own in reverse order
/// of writing when they share a date).
fn corrections_of(briefs: &[Arc<Brief>], list: &[usize]) -> Vec<CorrectionRef> {
    let mut found: Vec<CorrectionRef> = list
        .iter()
        .flat_map(|&brief| {
            (0..briefs[brief].corrections.len()).map(move |correction| CorrectionRef { brief, correction })
        })
        .collect();
    let date = |at: &CorrectionRef| briefs[at.brief].corrections[at.correction].date.datetime;
    // Stable: between equal dates, the newer brief first.
    found.sort_by(|a, b| date(b).cmp(&date(a)).then(b.correction.cmp(&a.correction)));
    found
}

fn group<'a, Names: Iterator<Item = &'a str>>(
    briefs: &'a [Arc<Brief>],
    names: impl Fn(&'a Brief) -> Names,
) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    // The same few names recur across thousands of briefs: each is slugified once, and
    // names with the same slug ("Élections", "elections") make one group.
    let mut by_name: HashMap<&str, usize> = HashMap::new();
    let mut by_slug: HashMap<String, usize> = HashMap::new();
    for (index, brief) in briefs.iter().enumerate() {
        for name in names(brief) {
            let at = *by_name.entry(name).or_insert_with(|| {
                let slug = slugify(name);
                *by_slug.entry(slug.clone()).or_insert_with(|| {
                    groups.push(Group { name: name.to_string(), slug, briefs: Vec::new() });
                    groups.len() - 1
                })
            });
            let group = &mut groups[at];
            // A brief citing one outlet twice is listed once.
            if group.briefs.last() != Some(&index) {
                group.briefs.push(index);
            }
        }
    }
    groups.retain(|group| !group.slug.is_empty());
    groups.sort_unstable_by(|a, b| a.slug.cmp(&b.slug));
    groups
}

fn link_translations(briefs: &[Arc<Brief>]) -> (Vec<Vec<usize>>, Vec<Diagnostic>) {
    let mut links: Vec<Vec<usize>> = vec![Vec::new(); briefs.len()];
    if briefs.iter().all(|brief| brief.translations.is_empty()) {
        return (links, Vec::new());
    }
    // Keyed by the path's bytes: hashing a `Path` walks its components, ten times slower.
    let by_file: HashMap<&std::ffi::OsStr, usize> =
        briefs.iter().enumerate().map(|(i, b)| (b.file.as_os_str(), i)).collect();
    let mut problems = Vec::new();
    for (index, brief) in briefs.iter().enumerate() {
        for (lang, file) in &brief.translations {
            match by_file.get(file.as_os_str()) {
                None => problems.push(
                    Diagnostic::warning(
                        Code::InvalidTranslation,
                        &brief.path,
                        format!(
                            "the {lang} translation {} is not published (a draft, or a brief with errors)",
                            file.display()
                        ),
                    )
                    .with_help("publish it, or remove it from `translations`"),
                ),
                Some(&other) if !briefs[other].lang.eq_ignore_ascii_case(lang) => problems.push(Diagnostic::error(
                    Code::InvalidTranslation,
                    &brief.path,
                    format!(
                        "`translations` says {} is in {lang}, but its `lang` is {}",
                        briefs[other].path.display(),
                        briefs[other].lang
                    ),
                )),
                Some(&other) if other != index => {
                    for (from, to) in [(index, other), (other, index)] {
                        if !links[from].contains(&to) {
                            links[from].push(to);
                        }
                    }
                }
                Some(_) => {}
            }
        }
    }
    (links, problems)
}

/// The bylines checked against the registry, when the site has one: a byline the
/// registry spells otherwise (a typo, or accents dropped) and a person of the registry no
/// published brief names are warnings. A group whose name the registry knows takes the
/// registry's spelling.
fn check_bylines(briefs: &[Arc<Brief>], authors: &mut [Group], registry: &AuthorRegistry) -> Vec<Diagnostic> {
    if registry.is_empty() {
        return Vec::new();
    }
    let mut problems = Vec::new();
    for group in authors.iter_mut() {
        if let Some(profile) = registry.by_slug(&group.slug) {
            group.name = profile.name.clone();
        }
    }
    let registry_names = || registry.profiles().iter().map(|p| p.name.as_str());
    // The same few names recur across thousands of briefs: each is looked up once (a
    // search for the nearest compares it with every name of the registry).
    let mut hints: HashMap<&str, Option<&str>> = HashMap::new();
    for brief in briefs {
        for name in &brief.authors {
            let hint = *hints.entry(name.as_str()).or_insert_with(|| match registry.by_name(name) {
                Some(profile) if profile.name != *name => Some(profile.name.as_str()),
                Some(_) => None,
                None => nearest_name(name, registry_names()),
            });
            if let Some(spelling) = hint {
                problems.push(
                    Diagnostic::warning(
                        Code::AuthorSpelling,
                        &brief.path,
                        format!("the byline {name:?} is spelled {spelling:?} in authors.yaml"),
                    )
                    .with_help(format!(
                        "write `{spelling}` if it is the same person, so that the byline links to their profile"
                    )),
                );
            }
        }
    }
    for profile in registry.profiles() {
        if authors.binary_search_by(|g| g.slug.as_str().cmp(&profile.slug)).is_err() {
            problems.push(
                Diagnostic::warning(
                    Code::AuthorUnused,
                    crate::content::authors::AUTHORS_FILE,
                    format!("no published brief names {:?}", profile.name),
                )
                .at(Some((profile.line, 1)))
                .with_help("remove the entry, or check how the briefs spell the name"),
            );
        }
    }
    problems
}

/// The registry's name a byline most likely misspells: close in letters once case is set
/// aside (a letter or two off in a name of a dozen).
fn nearest_name<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let name = name.to_lowercase();
    candidates
        .map(|candidate| (strsim::normalized_damerau_levenshtein(&name, &candidate.to_lowercase()), candidate))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

impl Site {
    /// The site of these briefs, which must be sorted newest first.
    pub fn new(
        config: Config,
        registry: Arc<AuthorRegistry>,
        loaded: Vec<LoadedBrief>,
        now: crate::content::Moment,
    ) -> Site {
        let (briefs, records): (Vec<Arc<Brief>>, Vec<LoadRecord>) =
            loaded.into_iter().map(|loaded| (loaded.brief, loaded.record)).unzip();
        // Each pass reads every brief, scattered in memory: a tenth of a second each at
        // 100,000 briefs, so independent passes run side by side.
        let (((tags, outlets), mut authors), ((translations, mut problems), (credits, credit_problems))) = rayon::join(
            || {
                rayon::join(
                    || {
                        rayon::join(
                            || group(&briefs, |b| b.tags.iter().map(String::as_str)),
                            || group(&briefs, |b| b.sources.iter().map(|s| s.name.as_str())),
                        )
                    },
                    || group(&briefs, |b| b.authors.iter().map(String::as_str)),
                )
            },
            || rayon::join(|| link_translations(&briefs), || credit_entries(&briefs)),
        );
        let everything: Vec<usize> = (0..briefs.len()).collect();
        let by_language: Vec<Vec<usize>> = config
            .languages
            .iter()
            .map(|lang| (0..briefs.len()).filter(|&i| briefs[i].lang.eq_ignore_ascii_case(lang)).collect())
            .collect();
        problems.extend(credit_problems);
        problems.extend(check_bylines(&briefs, &mut authors, &registry));
        let has_page = |slug: &str| authors.binary_search_by(|group| group.slug.as_str().cmp(slug)).is_ok();
        let credits = with_author_photos(credits, &registry, has_page);
        let lists = std::iter::once(&everything).chain(&by_language);
        let (corrections, archives) =
            lists.map(|list| (corrections_of(&briefs, list), Archive::new(&briefs, list))).unzip();
        Site {
            config,
            briefs,
            tags,
            outlets,
            authors,
            registry,
            translations,
            everything,
            by_language,
            records,
            now,
            credits,
            corrections,
            archives,
            images: Default::default(),
            search: Default::default(),
            problems,
        }
    }

    /// This site with some briefs replaced by new versions of themselves (`index` → new
    /// brief), when none of them moves in any list or group, changes address or gains,
    /// loses or credits otherwise an image: the groups and checks are then kept rather than worked out
    /// again, which is most of a preview's rebuild after a save. `None` otherwise.
    /// Folds the identity of brief `index`'s published images (their variants' addresses,
    /// which change with the source's bytes, the settings and the credit) into its
    /// fingerprints, so that every page showing them is rendered again when they change:
    /// a photo replaced under the same name changes no field of the brief.
    pub fn fold_image_identity(&mut self, index: usize) {
        let brief = &self.briefs[index];
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        let mut published = false;
        for credit in brief.image.iter().chain(&brief.media) {
            if let Some(variant) = self.images.get(&credit.src).and_then(|image| image.variants.first()) {
                hasher.update(variant.site_path.as_bytes());
                published = true;
            }
        }
        if published {
            let identity = hasher.digest();
            self.records[index].fingerprint ^= identity;
            self.records[index].card_fingerprint ^= identity.rotate_left(17);
        }
    }

    pub fn replacing(&self, replaced: &[(usize, LoadedBrief)]) -> Option<Site> {
        let keeps_its_place = |old: &Brief, new: &Brief| {
            old.date == new.date
                && old.expires == new.expires
                && old.path == new.path
                && old.file == new.file
                && old.permalink == new.permalink
                && old.lang == new.lang
                && old.draft == new.draft
                && old.tags == new.tags
                && old.authors == new.authors
                && old.corrections == new.corrections
                && old.sources.iter().map(|s| &s.name).eq(new.sources.iter().map(|s| &s.name))
                && old.translations == new.translations
                && CreditIdentity::same_for(old, new)
        };
        if !replaced
            .iter()
            .all(|(index, new)| self.briefs.get(*index).is_some_and(|old| keeps_its_place(old, &new.brief)))
        {
            return None;
        }
        let mut site = Site {
            config: self.config.clone(),
            briefs: self.briefs.clone(),
            tags: self.tags.clone(),
            outlets: self.outlets.clone(),
            authors: self.authors.clone(),
            registry: self.registry.clone(),
            translations: self.translations.clone(),
            everything: self.everything.clone(),
            by_language: self.by_language.clone(),
            records: self.records.clone(),
            now: self.now,
            credits: self.credits.clone(),
            corrections: self.corrections.clone(),
            archives: self.archives.clone(),
            images: self.images.clone(),
            search: self.search.clone(),
            problems: self.problems.clone(),
        };
        for (index, loaded) in replaced {
            site.records[*index] = loaded.record;
            site.briefs[*index] = loaded.brief.clone();
            site.fold_image_identity(*index);
        }
        Some(site)
    }

    pub fn groups(&self, taxonomy: Taxonomy) -> &[Group] {
        match taxonomy {
            Taxonomy::Tags => &self.tags,
            Taxonomy::Outlets => &self.outlets,
            Taxonomy::Authors => &self.authors,
        }
    }

    /// The folder of a language's pages (`/fr/`), or the site's (`/`) for `None`.
    pub fn language_folder(&self, language: Option<usize>) -> String {
        language.map_or_else(|| "/".to_string(), |index| format!("/{}/", self.config.languages[index]))
    }

    /// The language of a language's pages, or the site's for `None`.
    pub fn language_of(&self, language: Option<usize>) -> &str {
        language.map_or(&self.config.language, |index| &self.config.languages[index])
    }

    /// The corrections of the site (`None`) or of a language of `config.languages`.
    pub fn corrections_of(&self, language: Option<usize>) -> &[CorrectionRef] {
        &self.corrections[language.map_or(0, |index| index + 1)]
    }

    /// The archive of the site (`None`) or of a language of `config.languages`.
    pub fn archive_of(&self, language: Option<usize>) -> &Archive {
        &self.archives[language.map_or(0, |index| index + 1)]
    }

    /// Number of pages of a list of `count` briefs (at least one, even when empty).
    pub fn page_count(&self, count: usize) -> usize {
        count.div_ceil(self.config.paginate).max(1)
    }

    /// The pages of a list of `count` items.
    pub fn pages_of(&self, count: usize) -> impl Iterator<Item = PageNumber> + use<> {
        PageNumber::up_to(self.page_count(count))
    }

    /// The site path of page `page` of a list whose first page is `first`.
    pub fn list_page_path(first: &str, page: PageNumber) -> String {
        if page == PageNumber::FIRST { first.to_string() } else { format!("{first}page/{page}/") }
    }

    /// Whether brief `index` is dated after the site's moment: only the preview holds such
    /// briefs, shown with a banner.
    pub fn is_scheduled(&self, index: usize) -> bool {
        self.briefs[index].is_scheduled_at(self.now)
    }

    /// What only the whole site shows: two briefs, or a brief and a list page, on one
    /// address, and translations that lead nowhere valid, are errors naming every file
    /// involved; an image file credited differently by two briefs is a warning.
    pub fn problems(&self) -> &[Diagnostic] {
        &self.problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brief(dir: &std::path::Path, title: &str, tags: &[&str]) -> LoadedBrief {
        brief_with(dir, title, tags, "")
    }

    /// A brief with `more` front matter (whole lines) after its sources.
    fn brief_with(dir: &std::path::Path, title: &str, tags: &[&str], more: &str) -> LoadedBrief {
        let text = format!(
            "---\ntitle: {title}\ndate: 2022-01-01\ntags: [{}]\nsources:\n  - name: AFP\n    url: https://afp.example.org/\n{more}---\nBody.\n",
            tags.join(", ")
        );
        std::fs::create_dir_all(dir.join("content")).unwrap();
        std::fs::write(dir.join("content/a.md"), text).unwrap();
        let config = crate::config::parse("title = \"T\"\n", std::path::Path::new("depeche.toml")).unwrap().0;
        let options = crate::content::LoadOptions { root: dir, config: &config, include_drafts: false, cache: None };
        let mut loaded = crate::content::load(&options);
        assert!(loaded.briefs.len() == 1, "{:?}", loaded.diagnostics);
        loaded.briefs.remove(0)
    }

    #[test]
    fn a_brief_edited_in_place_keeps_the_groups_and_one_that_moves_does_not() {
        let config = crate::config::parse("title = \"T\"\n", std::path::Path::new("depeche.toml")).unwrap().0;
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        let site =
            Site::new(config, Default::default(), vec![brief(dir, "Old", &["A"])], chrono::Utc::now().fixed_offset());
        let retitled = site.replacing(&[(0, brief(dir, "New", &["A"]))]).expect("same place");
        assert_eq!(retitled.briefs[0].title, "New");
        assert_ne!(retitled.records[0].card_fingerprint, site.records[0].card_fingerprint);
        assert_eq!(retitled.tags[0].slug, "a");
        assert!(site.replacing(&[(0, brief(dir, "Old", &["B"]))]).is_none(), "new tags regroup the site");
        assert!(site.replacing(&[(1, brief(dir, "Old", &["A"]))]).is_none(), "no such brief");
    }

    #[test]
    fn a_brief_that_credits_its_image_otherwise_regroups_the_credits() {
        let config = crate::config::parse("title = \"T\"\n", std::path::Path::new("depeche.toml")).unwrap().0;
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        std::fs::create_dir_all(dir.join("static/img")).unwrap();
        std::fs::write(dir.join("static/img/x.svg"), "<svg/>").unwrap();
        let image = |author: &str| {
            format!("image:\n  src: /img/x.svg\n  alt: X\n  title: X\n  author: {author}\n  license: CC0-1.0\n")
        };
        let site = Site::new(
            config,
            Default::default(),
            vec![brief_with(dir, "Old", &["A"], &image("Ann"))],
            chrono::Utc::now().fixed_offset(),
        );
        assert_eq!(
            site.credits,
            vec![CreditUse::Briefs { briefs: vec![0], which: crate::content::body_images::CreditKey::Lead }]
        );
        let new_alt = brief_with(dir, "Old", &["A"], &image("Ann").replace("alt: X", "alt: Another"));
        assert!(site.replacing(&[(0, new_alt)]).is_some(), "the alt text is not part of the credit");
        let new_author = brief_with(dir, "Old", &["A"], &image("Bob"));
        assert!(site.replacing(&[(0, new_author)]).is_none(), "another author is another credit");
    }
}
