//! `depeche build`: the pipeline into a staging folder beside the output, with what the
//! previous build left (its manifest of page fingerprints and its brief cache), then
//! published: exchanged with the output whole, or the changed files moved in and the
//! manifest and cache last.

use std::collections::HashSet;
use std::path::Path;
use std::time::Instant;

use super::{Base, BuildOptions, BuildReport, cache, load_briefs, output, read_config, run};
use crate::content::{self, cache::BriefCache};
use crate::error::{Error, Result};

/// Builds the site into its output folder. On error the output folder is untouched; a
/// build killed at any moment is followed by one that publishes what a clean build would.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let started = Instant::now();
    if !options.root.is_dir() {
        return Err(Error::Usage(format!("site folder {} not found", options.root.display())));
    }
    let output = output::check_output_folder(&options.root, &options.output_folder())?;
    let _lock = output::OutputLock::acquire(&output)?;
    let base = Base::load(&options.root, read_config(&options.root)?)?;
    let binary = cache::binary_fingerprint();
    // What the previous build left is checked while the site is read.
    let (existing, (brief_cache, (site, diagnostics, cached_briefs))) = rayon::join(
        || if options.fresh { None } else { cache::Existing::read(&output) },
        || {
            let key = content::cache::key(&options.root, &base.config_text, binary);
            let brief_cache = if options.fresh { BriefCache::empty(key) } else { BriefCache::read(&output, key) };
            let loaded = load_briefs(options, &base, Some(&brief_cache));
            (brief_cache, loaded)
        },
    );
    // Briefs with a warning or note are parsed again next time, so that it is shown again.
    let mentioned: HashSet<&Path> = diagnostics.iter().map(|d| d.path.as_path()).collect();
    let to_cache: Vec<(&content::Brief, &content::LoadRecord)> = site
        .briefs
        .iter()
        .map(AsRef::as_ref)
        .zip(&site.records)
        .filter(|(brief, _)| content::cache::is_cacheable(brief) && !mentioned.contains(brief.path.as_path()))
        .collect();
    let generation = base
        .theme
        .as_ref()
        .map(|(theme, _)| cache::generation(&base.config_text, base.authors_text.as_deref(), binary, theme));
    let previous = existing.zip(generation.as_deref()).and_then(|(existing, generation)| existing.previous(generation));
    // A rebuild leaves the output's cache where it is when it would write the same.
    let write_cache = previous.is_none() || !brief_cache.holds_exactly(&to_cache);
    let cache_key = brief_cache.key();
    drop(brief_cache);
    // With errors already found, `run` reports them all without rendering anything: no
    // staging folder is made beside the output.
    if diagnostics.has_errors() || base.theme.is_none() {
        return match run(&options.root, &base, &site, diagnostics, super::Previous::default(), &super::InMemory) {
            Err(error) => Err(error),
            Ok(_) => unreachable!("`run` renders nothing for a site with errors or without a theme"),
        };
    }
    let staging = output::Staging::new(&output)?;
    // The cache is written while pages render.
    let (outcome, cache_written) = rayon::join(
        || {
            let previous = super::Previous { rendered: previous.as_ref(), plan: None };
            run(&options.root, &base, &site, diagnostics, previous, &staging)
        },
        || {
            write_cache.then(|| {
                staging.write_with(content::cache::CACHE_FILE, |writer| BriefCache::write(cache_key, &to_cache, writer))
            })
        },
    );
    let super::Run { rendered, stats, diagnostics, .. } = outcome?;
    let Some(generation) = generation else {
        unreachable!("`run` succeeded, so the theme loaded and the generation was made from it")
    };
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
        briefs: site.briefs.iter().filter(|b| !b.draft).count(),
        pages: stats.pages,
        rendered: stats.rendered,
        cached_briefs,
        files: rendered.fingerprints().len(),
        output,
        elapsed: started.elapsed(),
        diagnostics,
    };
    // Freeing the site brief by brief takes a fifth of a second at 100,000 briefs: a
    // worker does it while the report is shown (or the process exits).
    drop(to_cache);
    rayon::spawn(move || drop((site, base, rendered)));
    Ok(report)
}
