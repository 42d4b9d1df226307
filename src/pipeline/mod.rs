//! The pipeline, one orchestrator for `build`, `check` and the preview: depeche.toml and
//! the theme ([`Base`]) and the briefs are loaded into the site model ([`Site`], with its
//! plan of pages), the whole-site checks run, and [`run`] renders the plan into a
//! [`Sink`]: a staging folder that [`build()`] then publishes, nothing for `check`,
//! memory for the preview. The three differ only in that sink and in how they learn what
//! changed (the caches of the previous build, nothing, the file watcher).

pub mod archive;
mod assets;
mod build;
pub mod cache;
mod credits;
pub mod feeds;
pub mod incremental;
mod lists;
pub mod output;
pub mod pages;
pub mod plan;
pub mod search;
pub mod shared;
pub mod site;
pub mod variants;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::config::{self, CONFIG_FILE, Config};
use crate::content::authors::AuthorRegistry;
use crate::content::{self, LoadOptions};
use crate::diagnostic::{self, Code, Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::render::{Renderer, Theme};
use crate::site_files::display_path;
pub use build::build;
pub use incremental::{InMemory, RenderStats, RenderedSite, Sink};
pub use plan::Plan;
pub use site::Site;

/// What `depeche build` is asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder (holding depeche.toml).
    pub root: PathBuf,
    /// Where to write; `root/public` when not given.
    pub output: Option<PathBuf>,
    pub include_drafts: bool,
    /// Ignore what previous builds left (the page manifest and the brief cache): parse
    /// every brief, render every page and replace the output whole.
    pub fresh: bool,
    /// Build as of this moment (`--now`): briefs dated later are embargoed, briefs
    /// expired by then are left out. The clock's moment when `None`.
    pub now: Option<crate::content::Moment>,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions { root: root.into(), output: None, include_drafts: false, fresh: false, now: None }
    }

    pub fn output_folder(&self) -> PathBuf {
        self.output.clone().unwrap_or_else(|| self.root.join("public"))
    }

    /// The moment the site is built as of.
    pub fn moment(&self) -> crate::content::Moment {
        self.now.unwrap_or_else(|| chrono::Utc::now().fixed_offset())
    }
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub briefs: usize,
    pub pages: usize,
    /// Pages rendered this time; the others were unchanged since the previous build.
    pub rendered: usize,
    /// Briefs taken from the previous build's cache instead of being parsed again.
    pub cached_briefs: usize,
    /// All files written: pages, copied static files and images.
    pub files: usize,
    pub output: PathBuf,
    pub elapsed: Duration,
    /// Warnings and notes: they do not stop a build but deserve a look.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads depeche.toml's bytes, once per build: the caches' keys and the configuration
/// are made from the same bytes, whatever an editor saves meanwhile.
pub fn read_config(root: &Path) -> Result<Vec<u8>> {
    let path = root.join(CONFIG_FILE);
    match std::fs::read(&path) {
        Ok(bytes) => Ok(bytes),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Err(Error::Site(vec![
            Diagnostic::error(
                Code::NoConfig,
                display_path(root, Path::new(CONFIG_FILE)),
                format!("{} has no {CONFIG_FILE}: it is not a Depeche site", root.display()),
            )
            .with_help("run `depeche init` to make one, or pass --root SITE"),
        ])),
        Err(error) => Err(Error::io("read", path, error)),
    }
}

/// Validates depeche.toml's bytes, as read by [`read_config`].
pub fn parse_config(root: &Path, bytes: &[u8]) -> Result<(Config, Vec<Diagnostic>)> {
    let shown = display_path(root, Path::new(CONFIG_FILE));
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid = std::str::from_utf8(&bytes[..error.valid_up_to()]).unwrap_or_default();
            return Err(Error::Site(vec![
                Diagnostic::error(Code::NotUtf8, &shown, format!("{CONFIG_FILE} is not valid UTF-8"))
                    .at(Some(diagnostic::line_column(valid, valid.len()))),
            ]));
        }
    };
    let text = crate::site_files::normalise_text(text);
    config::parse(&text, &shown).map_err(Error::Site)
}

/// Reads and validates depeche.toml.
pub fn load_config(root: &Path) -> Result<(Config, Vec<Diagnostic>)> {
    parse_config(root, &read_config(root)?)
}

/// What every page depends on besides the briefs, read once per run: depeche.toml (its
/// bytes, from which the caches' keys are made too), the author registry and the theme
/// with its templates.
pub struct Base {
    pub config_text: Vec<u8>,
    pub config: Config,
    /// authors.yaml's bytes, `None` when the site has none.
    pub authors_text: Option<Vec<u8>>,
    /// Empty when the site has no authors.yaml, or when it has errors (they are in
    /// `diagnostics`).
    pub authors: Arc<AuthorRegistry>,
    /// `None` when the theme or a template has errors (they are in `diagnostics`).
    pub theme: Option<(Theme, Renderer)>,
    /// The problems of the configuration and the theme.
    pub diagnostics: Diagnostics,
}

impl Base {
    /// Validates `config_text` (depeche.toml's bytes) and loads the theme it names.
    /// `Err` when the configuration cannot be read; a broken theme is reported among the
    /// diagnostics, so that the briefs' problems are reported with it.
    pub fn load(root: &Path, config_text: Vec<u8>) -> Result<Base> {
        let (config, found) = parse_config(root, &config_text)?;
        let mut diagnostics = Diagnostics::from(found);
        let authors_text = content::authors::read(root)
            .map_err(|error| Error::io("read", root.join(content::authors::AUTHORS_FILE), error))?;
        let authors = match &authors_text {
            Some(bytes) => {
                let (registry, found) = content::authors::parse(root, bytes, &config);
                diagnostics.extend(found);
                registry
            }
            None => AuthorRegistry::default(),
        };
        let theme = match Theme::load(root, &config.theme).and_then(|theme| Renderer::new(&theme).map(|r| (theme, r))) {
            Ok(pair) => Some(pair),
            Err(found) => {
                diagnostics.extend(found);
                None
            }
        };
        Ok(Base { config_text, config, authors_text, authors: Arc::new(authors), theme, diagnostics })
    }
}

/// What a run may take from the one before it.
#[derive(Clone, Copy, Default)]
pub struct Previous<'a> {
    /// The previous render (its files, or only its fingerprints for a build): a page whose
    /// fingerprint is unchanged is kept rather than rendered again.
    pub rendered: Option<&'a RenderedSite>,
    /// The previous site's plan, when this site has the same pages at the same addresses
    /// (it was made by [`Site::replacing`]) and the same copied files: it is used rather
    /// than worked out again.
    pub plan: Option<&'a Arc<Plan>>,
}

/// What [`run`] produced.
pub struct Run {
    pub rendered: RenderedSite,
    pub stats: RenderStats,
    /// The pages and files of the site, for the next run.
    pub plan: Arc<Plan>,
    /// Every warning and note of the run, sorted.
    pub diagnostics: Vec<Diagnostic>,
}

/// The pipeline after loading, the same for every command: the site's own checks, its
/// plan (every page and its file) and the address collisions found on it, then every page
/// whose fingerprint differs from the previous render rendered into `sink` (with the
/// files copied as they are). `diagnostics` holds those of loading; every stage adds its
/// own, and they come back sorted, in the [`Run`] or, when any is an error, at once as
/// back at once as [`Error::Site`]; other errors are failures to write.
pub fn run(
    root: &Path,
    base: &Base,
    site: &Site,
    mut diagnostics: Diagnostics,
    previous: Previous,
    sink: &dyn Sink,
) -> Result<Run> {
    diagnostics.extend(site.problems().iter().cloned());
    let Some((theme, renderer)) = &base.theme else {
        return Err(Error::Site(diagnostics.into_sorted()));
    };
    let plan = match previous.plan {
        Some(plan) => plan.clone(),
        None => Arc::new(Plan::new(root, site, theme)),
    };
    diagnostics.extend(plan.problems.iter().cloned());
    if diagnostics.has_errors() {
        return Err(Error::Site(diagnostics.into_sorted()));
    }
    let (rendered, stats) = incremental::render(site, &plan, renderer, previous.rendered, sink, &mut diagnostics)?;
    if diagnostics.has_errors() {
        return Err(Error::Site(diagnostics.into_sorted()));
    }
    Ok(Run { rendered, stats, plan, diagnostics: diagnostics.into_sorted() })
}

/// The briefs of `base`'s site loaded into a site as of `options.moment()`: briefs whose
/// date is still to come (embargoed) or that have expired are left out of it, whatever
/// output it goes to. The diagnostics of loading them (and of `base`) come with it, a
/// note on the brief that changes the output next (for a scheduler: when to build again),
/// and how many briefs came from `cache`.
pub fn load_briefs(
    options: &BuildOptions,
    base: &Base,
    cache: Option<&content::cache::BriefCache>,
) -> (Site, Diagnostics, usize) {
    let mut loaded = content::load(&LoadOptions {
        root: &options.root,
        config: &base.config,
        include_drafts: options.include_drafts,
        cache,
    });
    let now = options.moment();
    let mut diagnostics = base.diagnostics.clone();
    diagnostics.extend(loaded.diagnostics);
    let next = loaded
        .briefs
        .iter()
        .filter_map(|loaded| loaded.brief.next_change_after(now).map(|(at, what)| (at, what, &loaded.brief.path)))
        .min_by_key(|(at, ..)| *at);
    if let Some((at, what, path)) = next {
        diagnostics.push(
            Diagnostic::note(
                Code::NextChange,
                path,
                format!("the output changes next at {}, when this brief {what}", at.to_rfc3339()),
            )
            .with_help("build again then (a scheduler can read this moment from `depeche check --format json`)"),
        );
    }
    loaded.briefs.retain(|loaded| loaded.brief.is_published_at(now));
    let mut site = Site::new(base.config.clone(), base.authors.clone(), loaded.briefs, now);
    diagnostics.extend(publish_images(&options.root, base, &mut site, variants::Making::Now).0);
    diagnostics.extend(publish_search(&options.root, base, &mut site, (variants::Making::Now, None)));
    (site, diagnostics, loaded.from_cache)
}

/// Publishes the site's raster images as variants ([`variants::publish`]), their credit
/// worded in the site's language, and returns the problems found and how many images are
/// left for later. Nothing to do when the theme, and so the words of the credit, could not
/// be read (that is an error already).
pub fn publish_images(root: &Path, base: &Base, site: &mut Site, making: variants::Making) -> (Vec<Diagnostic>, usize) {
    let Some((_, renderer)) = &base.theme else {
        return (Vec::new(), 0);
    };
    let strings = renderer.ui_strings.for_language(&site.config.language);
    let published = variants::publish(root, site, strings, making);
    site.images = Arc::new(published.library);
    for index in 0..site.briefs.len() {
        site.fold_image_identity(index);
    }
    (published.problems, published.pending)
}

/// Indexes the site for search ([`search::publish`]) when its configuration asks for it,
/// and returns the problems, if any. With [`variants::Making::Later`] (the preview), an
/// index not in the cache yet is left for [`PendingWork`], and the site keeps `stale`.
pub fn publish_search(
    root: &Path,
    base: &Base,
    site: &mut Site,
    (making, stale): (variants::Making, Option<Arc<search::SearchIndex>>),
) -> Vec<Diagnostic> {
    let Some((_, renderer)) = base.theme.as_ref().filter(|_| site.config.search) else { return Vec::new() };
    if making == variants::Making::Later {
        site.search = match search::cached_for(root, site, &renderer.ui_strings) {
            Some(index) => Arc::new(index),
            None => stale.unwrap_or_default(),
        };
        return Vec::new();
    }
    match search::publish(root, site, &renderer.ui_strings) {
        Ok(index) => {
            site.search = Arc::new(index);
            Vec::new()
        }
        Err(problems) => problems,
    }
}

/// What the preview makes off the edit path, on another thread, into the caches where
/// the next rebuild finds it: the images [`publish_images`] left for later, and the
/// search index when the site's is not made yet.
pub struct PendingWork {
    root: PathBuf,
    site: Arc<Site>,
    strings: crate::render::UiStringsByLanguage,
    images: bool,
    search: bool,
}

impl PendingWork {
    /// The work left for `site`, if any: `images` when images were left for later, and
    /// the search index when the site does not hold its own (the cache may have it
    /// already, made by a build: the rebuild that follows then finds it).
    pub fn new(root: &Path, base: &Base, site: Arc<Site>, images: bool) -> Option<PendingWork> {
        let (_, renderer) = base.theme.as_ref()?;
        let search = site.config.search
            && search::cached_for(root, &site, &renderer.ui_strings).as_ref() != Some(site.search.as_ref());
        (images || search).then(|| PendingWork {
            root: root.to_path_buf(),
            strings: renderer.ui_strings.clone(),
            site,
            images,
            search,
        })
    }

    /// Does it. What is wrong (a bad image file), the next rebuild reports.
    pub fn make(self) {
        if self.images {
            let strings = self.strings.for_language(&self.site.config.language);
            variants::publish(&self.root, &self.site, strings, variants::Making::Now);
        }
        if self.search {
            let _ = search::publish(&self.root, &self.site, &self.strings);
        }
    }
}

/// A site loaded and checked, ready to render: for tests and tools that look at the model.
pub struct LoadedSite {
    pub base: Base,
    pub site: Site,
    /// Warnings and notes found while loading.
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads and checks everything, without rendering. Errors come back all together.
pub fn load_site(options: &BuildOptions) -> Result<LoadedSite> {
    let base = Base::load(&options.root, read_config(&options.root)?)?;
    let (site, mut diagnostics, _) = load_briefs(options, &base, None);
    if let Some((theme, _)) = &base.theme {
        diagnostics.extend(Plan::new(&options.root, &site, theme).problems);
    }
    diagnostics.extend(site.problems().iter().cloned());
    if diagnostics.has_errors() || base.theme.is_none() {
        return Err(Error::Site(diagnostics.into_sorted()));
    }
    Ok(LoadedSite { base, site, diagnostics: diagnostics.into_sorted() })
}
