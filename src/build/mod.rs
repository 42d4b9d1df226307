//! The pipeline: load config, theme and content → validate the whole site → render every
//! page in memory, in parallel → publish atomically.

mod assets;
pub mod cache;
pub mod feeds;
pub mod incremental;
pub mod output;
pub mod pages;
pub mod shared;
pub mod site;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::{self, CONFIG_FILE, Config};

use crate::content::cache::BriefCache;
use crate::content::load::display_path;
use crate::content::{self, LoadOptions};
use crate::diagnostic::{self, Diagnostic};
use crate::error::{Error, Result};
use crate::render::{Renderer, Theme};
pub use site::Site;

/// What `depeche build` is asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder (holding depeche.toml).
    pub root: PathBuf,
    /// Where to write; `root/public` when not given.
    pub output: Option<PathBuf>,
    pub include_drafts: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions { root: root.into(), output: None, include_drafts: false }
    }

    pub fn output_folder(&self) -> PathBuf {
        self.output.clone().unwrap_or_else(|| self.root.join("public"))
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

/// Reads and validates depeche.toml.
pub fn load_config(root: &Path) -> Result<(Config, Vec<Diagnostic>)> {
    let path = root.join(CONFIG_FILE);
    let shown = display_path(root, Path::new(CONFIG_FILE));
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::Site(vec![
                Diagnostic::error(
                    "no-config",
                    &shown,
                    format!("{} has no {CONFIG_FILE}: it is not a Depeche site", root.display()),
                )
                .with_help("run `depeche init` to make one, or pass --root SITE"),
            ]));
        }
        Err(error) => return Err(Error::io("read", path, error)),
    };
    let text = content::front_matter::normalise_text(&text);
    config::parse(&text, &shown).map_err(Error::Site)
}

/// A site loaded and validated, ready to render.
pub struct LoadedSite {
    pub site: Site,
    pub theme: Theme,
    pub renderer: Renderer,
    /// Warnings and notes found while loading.
    pub diagnostics: Vec<Diagnostic>,
    /// Briefs taken from the cache of the previous build.
    pub cached_briefs: usize,
}

/// Loads and validates everything, without rendering: the model `build` renders and
/// `check`-style callers inspect. Errors come back all together.
pub fn load_site(options: &BuildOptions) -> Result<LoadedSite> {
    load_site_with(options, None)
}

/// [`load_site`], taking unchanged briefs from `cache`.
fn load_site_with(options: &BuildOptions, cache: Option<&BriefCache>) -> Result<LoadedSite> {
    let (config, mut diagnostics) = load_config(&options.root)?;
    let theme_and_renderer = Theme::load(&options.root, &config.theme)
        .and_then(|theme| Renderer::new(&theme).map(|renderer| (theme, renderer)));
    let loaded = content::load(&LoadOptions {
        root: &options.root,
        config: &config,
        include_drafts: options.include_drafts,
        cache,
    });
    diagnostics.extend(loaded.diagnostics);
    let cached_briefs = loaded.from_cache;
    let site = Site::new(config, loaded.briefs);
    diagnostics.extend(site.problems());
    let theme_and_renderer = match theme_and_renderer {
        Ok(pair) => Some(pair),
        Err(found) => {
            diagnostics.extend(found);
            None
        }
    };
    diagnostic::sort(&mut diagnostics);
    match theme_and_renderer {
        Some((theme, renderer)) if !diagnostic::has_errors(&diagnostics) => {
            Ok(LoadedSite { site, theme, renderer, diagnostics, cached_briefs })
        }
        _ => Err(Error::Site(diagnostics)),
    }
}

/// Builds the site into its output folder. On error the output folder is untouched.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let started = Instant::now();
    if !options.root.is_dir() {
        return Err(Error::Usage(format!("site folder {} not found", options.root.display())));
    }
    let output = output::check_output_folder(&options.root, &options.output_folder())?;
    // Both caches depend on depeche.toml's exact bytes (read once here).
    let config_text = std::fs::read(options.root.join(CONFIG_FILE)).unwrap_or_default();
    // What the previous build left is checked while the site is read.
    let (existing, (brief_cache, loaded)) = rayon::join(
        || cache::Existing::read(&output),
        || {
            let brief_cache = BriefCache::read(&output, content::cache::key(&options.root, &config_text));
            let loaded = load_site_with(options, Some(&brief_cache));
            (brief_cache, loaded)
        },
    );
    let loaded = loaded?;
    let mut diagnostics = loaded.diagnostics.clone();
    // Briefs with a warning or note are parsed again next time, so that it is shown again.
    let mentioned: HashSet<&Path> = loaded.diagnostics.iter().map(|d| d.path.as_path()).collect();
    let to_cache: Vec<&content::Brief> = loaded
        .site
        .briefs
        .iter()
        .map(AsRef::as_ref)
        .filter(|brief| content::cache::is_cacheable(brief) && !mentioned.contains(brief.path.as_path()))
        .collect();
    let generation = cache::generation(&config_text, &loaded.theme);
    let previous = existing.and_then(|existing| existing.previous(&generation));
    // A rebuild leaves the output's cache where it is when it would write the same.
    let write_cache = previous.is_none() || !brief_cache.holds_exactly(&to_cache);
    let cache_key = brief_cache.key();
    drop(brief_cache);
    let staging = output::Staging::new(&output)?;
    // The cache is written while pages render.
    let (rendered, cache_written) = rayon::join(
        || {
            incremental::render(
                &options.root,
                &loaded.site,
                &loaded.theme,
                &loaded.renderer,
                previous.as_ref().map(|rendered| incremental::Previous { rendered, same_pages: false }),
                &staging,
                &mut diagnostics,
            )
        },
        || {
            write_cache.then(|| {
                staging.write_with(content::cache::CACHE_FILE, |writer| BriefCache::write(cache_key, &to_cache, writer))
            })
        },
    );
    let (rendered, stats) = rendered?;
    if diagnostic::has_errors(&diagnostics) {
        return Err(Error::Site(diagnostics));
    }
    staging.write(cache::MANIFEST, &cache::manifest(&rendered, &generation))?;
    cache_written.transpose()?;
    match previous {
        Some(previous) => {
            let removed: Vec<String> = previous
                .fingerprints()
                .keys()
                .filter(|path| !rendered.fingerprints().contains_key(*path))
                .cloned()
                .collect();
            staging.patch_in(&removed)?;
        }
        None => staging.swap_in()?,
    }
    let report = BuildReport {
        briefs: loaded.site.briefs.iter().filter(|b| !b.draft).count(),
        pages: stats.pages,
        rendered: stats.rendered,
        cached_briefs: loaded.cached_briefs,
        files: rendered.fingerprints().len(),
        output,
        elapsed: started.elapsed(),
        diagnostics,
    };
    // Freeing the site brief by brief takes a fifth of a second at 100,000 briefs: a
    // worker does it while the report is shown (or the process exits).
    drop(to_cache);
    rayon::spawn(move || drop((loaded, rendered)));
    Ok(report)
}
