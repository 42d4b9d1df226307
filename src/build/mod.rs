//! The pipeline: load config, theme and content → validate the whole site → render every
//! page, in parallel, into a staging folder → publish it (swapped in whole, or the changed
//! files moved in, the manifest last).

mod assets;
pub mod cache;
pub mod feeds;
pub mod incremental;
pub mod output;
pub mod pages;
pub mod plan;
pub mod shared;
pub mod site;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::{self, CONFIG_FILE, Config};

use crate::content::cache::BriefCache;
use crate::content::load::display_path;
use crate::content::{self, LoadOptions};
use crate::diagnostic::{self, Code, Diagnostic};
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
    /// Ignore what previous builds left (the page manifest and the brief cache): parse
    /// every brief, render every page and replace the output whole.
    pub fresh: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions { root: root.into(), output: None, include_drafts: false, fresh: false }
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
    let text = content::front_matter::normalise_text(text);
    config::parse(&text, &shown).map_err(Error::Site)
}

/// Reads and validates depeche.toml.
pub fn load_config(root: &Path) -> Result<(Config, Vec<Diagnostic>)> {
    parse_config(root, &read_config(root)?)
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
    load_site_with(options, &read_config(&options.root)?, None)
}

/// [`load_site`] from depeche.toml's bytes, taking unchanged briefs from `cache`.
fn load_site_with(options: &BuildOptions, config_text: &[u8], cache: Option<&BriefCache>) -> Result<LoadedSite> {
    let (config, mut diagnostics) = parse_config(&options.root, config_text)?;
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

/// Builds the site into its output folder. On error the output folder is untouched; a
/// build killed at any moment is followed by one that publishes what a clean build would.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let started = Instant::now();
    if !options.root.is_dir() {
        return Err(Error::Usage(format!("site folder {} not found", options.root.display())));
    }
    let output = output::check_output_folder(&options.root, &options.output_folder())?;
    let _lock = output::OutputLock::acquire(&output)?;
    let config_text = read_config(&options.root)?;
    let binary = cache::binary_fingerprint();
    // What the previous build left is checked while the site is read.
    let (existing, (brief_cache, loaded)) = rayon::join(
        || if options.fresh { None } else { cache::Existing::read(&output) },
        || {
            let key = content::cache::key(&options.root, &config_text, binary);
            let brief_cache = if options.fresh { BriefCache::empty(key) } else { BriefCache::read(&output, key) };
            let loaded = load_site_with(options, &config_text, Some(&brief_cache));
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
    let generation = cache::generation(&config_text, binary, &loaded.theme);
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
                previous.as_ref(),
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
            // The manifest and the brief cache describe the pages: they go in last.
            staging.patch_in(&removed, &[cache::MANIFEST, content::cache::CACHE_FILE])?;
        }
        None => {
            staging.write(output::MARKER, &output::Contents::Text(output::MARKER_TEXT.into()))?;
            staging.swap_in()?;
        }
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
