//! The pipeline: load config, theme and content → validate the whole site → render every
//! page in memory, in parallel → publish atomically.

pub mod output;
pub mod pages;
pub mod site;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::{self, CONFIG_FILE, Config};

use crate::content::load::{STATIC_DIR, display_path, is_ignored_name};
use crate::content::{self, LoadOptions};
use crate::diagnostic::{self, Diagnostic};
use crate::error::{Error, Result};
use crate::render::{Renderer, Theme};
use output::{Contents, OutputFile};
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
}

/// Loads and validates everything, without rendering: the model `build` renders and
/// `check`-style callers inspect. Errors come back all together.
pub fn load_site(options: &BuildOptions) -> Result<LoadedSite> {
    let (config, mut diagnostics) = load_config(&options.root)?;
    let theme_and_renderer = Theme::load(&options.root, &config.theme)
        .and_then(|theme| Renderer::new(&theme).map(|renderer| (theme, renderer)));
    let (briefs, found) =
        content::load(&LoadOptions { root: &options.root, config: &config, include_drafts: options.include_drafts });
    diagnostics.extend(found);
    let site = Site::new(config, briefs);
    diagnostics.extend(site.check_addresses());
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
            Ok(LoadedSite { site, theme, renderer, diagnostics })
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
    let loaded = load_site(options)?;
    let mut diagnostics = loaded.diagnostics.clone();
    let (files, page_count) = render_site(&options.root, &loaded, &mut diagnostics);
    if diagnostic::has_errors(&diagnostics) {
        return Err(Error::Site(diagnostics));
    }
    output::publish(&output, &files)?;
    Ok(BuildReport {
        briefs: loaded.site.briefs.iter().filter(|b| !b.draft).count(),
        pages: page_count,
        files: files.len(),
        output,
        elapsed: started.elapsed(),
        diagnostics,
    })
}

/// Renders every page in parallel and gathers every file of the output in memory, with
/// the number of pages among them. Problems are added to `diagnostics`, each once.
pub fn render_site(root: &Path, loaded: &LoadedSite, diagnostics: &mut Vec<Diagnostic>) -> (Vec<OutputFile>, usize) {
    let LoadedSite { site, theme, renderer, .. } = loaded;
    let rendered: Vec<std::result::Result<OutputFile, Diagnostic>> = pages::all_pages(site)
        .par_iter()
        .map(|&page| {
            pages::render(site, renderer, page)
                .map(|text| OutputFile { path: pages::output_file(site, page), contents: Contents::Text(text) })
        })
        .collect();
    let mut files = Vec::with_capacity(rendered.len());
    let mut render_errors = Vec::new();
    for result in rendered {
        match result {
            Ok(file) => files.push(file),
            Err(diagnostic) => render_errors.push(diagnostic),
        }
    }
    // One broken template fails every page that uses it: report it once.
    render_errors.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    render_errors.dedup_by(|a, b| a.path == b.path && a.message == b.message);
    diagnostics.extend(render_errors);
    let page_count = files.len();
    add_assets(root, site, theme, &mut files, diagnostics);
    diagnostic::sort(diagnostics);
    (files, page_count)
}

/// Adds the theme's static files, the site's static/ folder and each brief's files to the
/// output. The site's static files replace the theme's; one that would replace a page is
/// an error, except robots.txt, which a site may write itself.
fn add_assets(root: &Path, site: &Site, theme: &Theme, files: &mut Vec<OutputFile>, diagnostics: &mut Vec<Diagnostic>) {
    let mut taken: std::collections::BTreeMap<String, usize> =
        files.iter().enumerate().map(|(i, f)| (f.path.clone(), i)).collect();
    let mut add = |file: OutputFile, origin: &Path, diagnostics: &mut Vec<Diagnostic>, replaceable: bool| match taken
        .get(&file.path)
    {
        Some(&index) if replaceable || file.path == "robots.txt" => files[index] = file,
        Some(_) => diagnostics.push(Diagnostic::error(
            "output-conflict",
            origin,
            format!("{} would replace a page of the same name", file.path),
        )),
        None => {
            taken.insert(file.path.clone(), files.len());
            files.push(file);
        }
    };
    let theme_static: std::collections::BTreeSet<&String> = theme.static_files.keys().collect();
    for (relative, file) in &theme.static_files {
        let contents = match &file.source {
            crate::render::theme::FileSource::Embedded(bytes) => Contents::Bytes(std::borrow::Cow::Borrowed(bytes)),
            crate::render::theme::FileSource::Disk(path) => Contents::Copy(path.clone()),
        };
        add(OutputFile { path: relative.clone(), contents }, &file.origin, diagnostics, false);
    }
    let static_dir = root.join(STATIC_DIR);
    if static_dir.is_dir() {
        let entries = WalkDir::new(&static_dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_ignored_name(e.path()))
            .filter_map(std::result::Result::ok)
            .filter(|e| e.file_type().is_file());
        for entry in entries {
            let Ok(relative) = entry.path().strip_prefix(&static_dir) else {
                continue;
            };
            let path = relative.to_string_lossy().replace('\\', "/");
            let replaceable = theme_static.contains(&path);
            let origin = display_path(root, entry.path().strip_prefix(root).unwrap_or(entry.path()));
            add(
                OutputFile { path, contents: Contents::Copy(entry.path().to_path_buf()) },
                &origin,
                diagnostics,
                replaceable,
            );
        }
    }
    for brief in &site.briefs {
        for asset in &brief.assets {
            let Some(name) = asset.file_name() else {
                continue;
            };
            let path = format!("{}{}", brief.permalink.trim_start_matches('/'), name.to_string_lossy());
            add(OutputFile { path, contents: Contents::Copy(asset.clone()) }, &brief.path, diagnostics, true);
        }
    }
}
