//! The preview's rebuild engine: keeps every brief file's latest load and the last good
//! render, and after each batch of changes reads only what changed and renders only the
//! pages whose inputs changed. The result is the same as a clean build (tested).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::watch::Changes;
use crate::config::Config;
use crate::content::LoadedBrief;
use crate::content::load::{LoadOptions, brief_files, load_files, sort_newest_first};
use crate::diagnostic::{Code, Diagnostic};
use crate::error::Error;
use crate::pipeline::variants::Making;
use crate::pipeline::{
    self, Base, InMemory, PendingWork, Plan, Previous, RenderStats, RenderedSite, Site, read_config,
};

/// One brief file's latest state.
struct FileState {
    brief: Option<LoadedBrief>,
    diagnostics: Vec<Diagnostic>,
}

/// A rendered site, the position of each brief in it by file, and its plan.
struct Rendered {
    site: Arc<Site>,
    positions: Arc<HashMap<PathBuf, usize>>,
    plan: Arc<Plan>,
}

pub struct Session {
    root: PathBuf,
    include_drafts: bool,
    base: Option<Base>,
    /// Every brief file under content/, by path.
    files: BTreeMap<PathBuf, FileState>,
    /// The last render that succeeded, served until the next one succeeds.
    rendered: Option<Arc<RenderedSite>>,
    /// The site of that render, with each brief's position by file, while it still
    /// matches `files` but for the changes of the next rebuild.
    site: Option<Rendered>,
    /// Briefs found missing once, still served: an editor that saves by renaming the old
    /// file away and writing a new one (vim, with an fsync between) leaves no file for a
    /// moment. A brief still missing at the next rebuild is gone.
    missing: std::collections::BTreeSet<PathBuf>,
    /// The images the last rebuild left for later (shown meanwhile as their files are).
    pending_work: Option<PendingWork>,
}

/// How long a missing brief is still served before it is taken as deleted: the preview
/// rebuilds after this long when a brief went missing (see [`Session::missing_briefs`]).
pub const MISSING_GRACE: std::time::Duration = std::time::Duration::from_millis(400);

/// A successful rebuild.
pub struct Rebuilt {
    pub rendered: Arc<RenderedSite>,
    pub stats: RenderStats,
    pub briefs: usize,
    /// Warnings and notes of the whole site.
    pub diagnostics: Vec<Diagnostic>,
}

impl Session {
    pub fn new(root: &Path, include_drafts: bool) -> Session {
        Session {
            root: root.to_path_buf(),
            include_drafts,
            base: None,
            files: BTreeMap::new(),
            rendered: None,
            site: None,
            missing: std::collections::BTreeSet::new(),
            pending_work: None,
        }
    }

    /// The images the last rebuild left for later: make them off the edit path, then
    /// rebuild with [`Changes::work_done`].
    pub fn take_pending_work(&mut self) -> Option<PendingWork> {
        self.pending_work.take()
    }

    /// The briefs found missing by the last rebuild and still served: rebuild with them
    /// after [`MISSING_GRACE`] to drop the ones still missing.
    pub fn missing_briefs(&self) -> Changes {
        Changes { briefs: self.missing.clone(), ..Changes::default() }
    }

    /// Whether the last rebuild found briefs missing that it still serves.
    pub fn has_missing_briefs(&self) -> bool {
        !self.missing.is_empty()
    }

    /// A new session of the same site, which reads everything again on its first rebuild.
    pub fn fresh(&self) -> Session {
        Session::new(&self.root, self.include_drafts)
    }

    /// The path the site lives under (`/`, or `/news/` for a `base_url` with a path), as
    /// the last configuration read says.
    pub fn base_path(&self) -> &str {
        self.base.as_ref().map_or("/", |base| base.config.base_path.as_str())
    }

    /// The last render that succeeded.
    pub fn rendered(&self) -> Option<&Arc<RenderedSite>> {
        self.rendered.as_ref()
    }

    /// depeche.toml and the theme, which every page depends on: read again from scratch
    /// when any of them changes.
    fn load_base(&self) -> Result<Base, Vec<Diagnostic>> {
        read_config(&self.root).and_then(|text| Base::load(&self.root, text)).map_err(|error| match error {
            Error::Site(found) => found,
            other => vec![Diagnostic::error(Code::Io, &self.root, other.to_string())],
        })
    }

    fn reload_files(&mut self, config: &Config, files: &[PathBuf]) {
        let options = LoadOptions { root: &self.root, config, include_drafts: self.include_drafts, cache: None };
        for loaded in load_files(&options, files) {
            let state = FileState { brief: loaded.brief, diagnostics: loaded.diagnostics };
            self.files.insert(loaded.file, state);
        }
    }

    /// Reads what `changes` says changed (everything the first time) and renders what it
    /// affects. On error the last good render is kept and every problem returned.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Rebuilt, Vec<Diagnostic>> {
        // Whatever fails below, the next rebuild starts from every file again.
        let previous_site = self.site.take();
        let everything = self.base.is_none() || changes.everything;
        if everything {
            self.base = None;
            let base = self.load_base().map_err(|found| self.relative(found))?;
            let (files, found) = brief_files(&self.root);
            self.files.clear();
            self.missing.clear();
            self.reload_files(&base.config, &files);
            let mut base = base;
            base.diagnostics.extend(found);
            self.base = Some(base);
        } else if changes.content_files {
            let base = self.base.take().expect("checked: not everything, so the base is loaded");
            let (files, _) = brief_files(&self.root);
            self.files.clear();
            self.missing.clear();
            self.reload_files(&base.config, &files);
            self.base = Some(base);
        } else {
            let base = self.base.take().expect("checked: not everything, so the base is loaded");
            let (present, gone): (Vec<PathBuf>, Vec<PathBuf>) =
                changes.briefs.iter().cloned().partition(|p| p.is_file());
            for path in &present {
                self.missing.remove(path);
            }
            // A file gone while another appeared is a rename (or a move): no grace then.
            let renamed = present.iter().any(|path| !self.files.contains_key(path));
            for path in gone {
                // Missing for the first time: still served, until the next rebuild.
                if !renamed && self.files.contains_key(&path) && self.missing.insert(path.clone()) {
                    continue;
                }
                self.missing.remove(&path);
                self.files.remove(&path);
            }
            self.reload_files(&base.config, &present);
            self.base = Some(base);
        }
        let base = self.base.as_ref().expect("loaded above");

        let mut diagnostics = base.diagnostics.clone();
        for state in self.files.values() {
            diagnostics.extend(state.diagnostics.iter().cloned());
        }
        // A changed static file may be the source of published image variants, which are
        // made again with the site; so are images just made off the edit path.
        let images_may_change = changes.work_done
            || changes.static_files && previous_site.as_ref().is_some_and(|previous| !previous.site.images.is_empty());
        let edited_in_place = (!everything && !changes.content_files && !images_may_change)
            .then(|| self.edited_in_place(previous_site.as_ref(), changes))
            .flatten();
        let mut images_pending = false;
        let (site, positions, plan) = match edited_in_place {
            // Copied files may have come or gone: the plan is made again then.
            Some(Rendered { site, positions, plan }) => (site, positions, Some(plan).filter(|_| !changes.static_files)),
            None => {
                // The preview shows embargoed briefs, with a banner, so that editors can read
                // them before they are published; expired ones are gone, as from a build.
                let now = chrono::Utc::now().fixed_offset();
                let mut briefs: Vec<LoadedBrief> = self
                    .files
                    .values()
                    .filter_map(|state| state.brief.clone())
                    .filter(|loaded| !loaded.brief.has_expired_at(now))
                    .collect();
                sort_newest_first(&mut briefs);
                let positions = Arc::new(briefs.iter().enumerate().map(|(i, b)| (b.brief.file.clone(), i)).collect());
                let mut site = Site::new(base.config.clone(), base.authors.clone(), briefs, now);
                let (found, pending) = pipeline::publish_images(&self.root, base, &mut site, Making::Later);
                diagnostics.extend(found);
                let stale = previous_site.as_ref().map(|previous| previous.site.search.clone());
                pipeline::publish_search(&self.root, base, &mut site, (Making::Later, stale));
                images_pending = pending > 0;
                (Arc::new(site), positions, None)
            }
        };
        self.pending_work = PendingWork::new(&self.root, base, site.clone(), images_pending);
        let previous = Previous { rendered: self.rendered.as_deref().filter(|_| !everything), plan: plan.as_ref() };
        let (rendered, stats, plan, diagnostics) =
            match pipeline::run(&self.root, base, &site, diagnostics, previous, &InMemory) {
                Ok(run) => (run.rendered, run.stats, run.plan, run.diagnostics),
                Err(Error::Site(found)) => return Err(self.relative(found)),
                Err(other) => return Err(vec![Diagnostic::error(Code::Io, &self.root, other.to_string())]),
            };
        let rendered = Arc::new(rendered);
        self.rendered = Some(rendered.clone());
        self.site = Some(Rendered { site: site.clone(), positions, plan });
        Ok(Rebuilt { rendered, stats, briefs: site.briefs.len(), diagnostics: self.relative(diagnostics) })
    }

    /// The previous site with the briefs of `changes` replaced, when they were edited
    /// without moving (same date, address, groups…): see [`Site::replacing`].
    fn edited_in_place(&self, previous: Option<&Rendered>, changes: &Changes) -> Option<Rendered> {
        let Rendered { site, positions, plan } = previous?;
        let replaced: Option<Vec<(usize, LoadedBrief)>> = changes
            .briefs
            .iter()
            .map(|path| Some((*positions.get(path)?, self.files.get(path)?.brief.clone()?)))
            .collect();
        let site = Arc::new(site.replacing(&replaced?)?);
        Some(Rendered { site, positions: positions.clone(), plan: plan.clone() })
    }

    /// Diagnostics name files relative to the site, as the editor knows them.
    fn relative(&self, mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        for diagnostic in &mut diagnostics {
            if let Ok(relative) = diagnostic.path.strip_prefix(&self.root) {
                diagnostic.path = relative.to_path_buf();
            }
        }
        diagnostics
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::BuildOptions;

    fn write(root: &Path, relative: &str, text: &str) -> PathBuf {
        let path = root.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    fn brief(title: &str, date: &str, tags: &str) -> String {
        format!(
            "---\ntitle: {title}\ndate: {date}\ntags: [{tags}]\nsources:\n  - name: AFP\n    url: https://afp.example.org/\n---\nText of {title}.\n"
        )
    }

    fn clean_build(root: &Path) -> Arc<crate::pipeline::output::OutputMap> {
        let loaded = crate::pipeline::load_site(&BuildOptions::new(root)).unwrap();
        let run = pipeline::run(root, &loaded.base, &loaded.site, Default::default(), Previous::default(), &InMemory);
        run.unwrap_or_else(|e| panic!("{e}")).rendered.files
    }

    /// Rebuilds, then does what the rebuild left for later (new images, the search index)
    /// and rebuilds again, as the preview does: what it serves once settled.
    fn settled(session: &mut Session, changes: &Changes) -> Result<Rebuilt, Vec<Diagnostic>> {
        let mut outcome = session.rebuild(changes);
        while let Some(work) = session.take_pending_work() {
            work.make();
            outcome = session.rebuild(&Changes { work_done: true, ..Changes::default() });
        }
        outcome
    }

    fn changed(paths: &[&PathBuf]) -> Changes {
        Changes { briefs: paths.iter().map(|p| (*p).clone()).collect(), ..Changes::default() }
    }

    #[test]
    fn incremental_rebuilds_equal_a_clean_build() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        write(&root, "depeche.toml", "title = \"T\"\npaginate = 2\n");
        for day in 1..=5 {
            write(&root, &format!("content/b{day}.md"), &brief(&format!("B{day}"), &format!("2022-01-0{day}"), "A, B"));
        }
        let mut session = Session::new(&root, false);
        let first = session.rebuild(&Changes::default()).unwrap();
        assert_eq!(first.stats.rendered, first.stats.pages);
        let first = settled(&mut session, &Changes::default()).unwrap();
        assert_eq!(first.rendered.files, clean_build(&root));

        // An edit of the body alone re-renders its page and the list pages showing it.
        let b3 = write(&root, "content/b3.md", &brief("B3", "2022-01-03", "A, B").replace("Text of", "New text of"));
        let edit = settled(&mut session, &changed(&[&b3])).unwrap();
        assert!(edit.stats.rendered < edit.stats.pages / 2, "{:?}", edit.stats);
        assert_eq!(edit.rendered.files, clean_build(&root));

        // A new title keeps the brief in place (the previous site is reused, lists showing
        // it render again); new tags move it between groups (the site is regrouped).
        let b3 = write(&root, "content/b3.md", &brief("B3 retitled", "2022-01-03", "A, B"));
        assert_eq!(settled(&mut session, &changed(&[&b3])).unwrap().rendered.files, clean_build(&root));
        let b3 = write(&root, "content/b3.md", &brief("B3 retitled", "2022-01-03", "B, D"));
        assert_eq!(settled(&mut session, &changed(&[&b3])).unwrap().rendered.files, clean_build(&root));
        assert!(clean_build(&root).contains_key("tags/d/index.html"));

        // A new brief, a moved date, a new tag, a deletion and a rename, one after another.
        let b6 = write(&root, "content/b6.md", &brief("B6", "2022-01-06", "C"));
        assert_eq!(settled(&mut session, &changed(&[&b6])).unwrap().rendered.files, clean_build(&root));
        let b1 = write(&root, "content/b1.md", &brief("B1", "2022-01-09", "A"));
        assert_eq!(settled(&mut session, &changed(&[&b1])).unwrap().rendered.files, clean_build(&root));
        // A deleted brief is still served until the next rebuild confirms it gone (an
        // editor saving by rename leaves no file for a moment); then it goes.
        let b2 = root.join("content/b2.md");
        std::fs::remove_file(&b2).unwrap();
        let kept = settled(&mut session, &changed(&[&b2])).unwrap();
        assert!(kept.rendered.files.contains_key("2022/01/b2/index.html"));
        assert_eq!(session.missing_briefs(), changed(&[&b2]));
        let missing = session.missing_briefs();
        assert_eq!(settled(&mut session, &missing).unwrap().rendered.files, clean_build(&root));
        assert!(session.missing_briefs().is_empty());
        // Back before the grace ends: served from the new file, never missing.
        let b5 = root.join("content/b5.md");
        let b5_text = std::fs::read_to_string(&b5).unwrap();
        std::fs::remove_file(&b5).unwrap();
        settled(&mut session, &changed(&[&b5])).unwrap();
        std::fs::write(&b5, b5_text.replace("Text of", "Saved text of")).unwrap();
        assert_eq!(settled(&mut session, &changed(&[&b5])).unwrap().rendered.files, clean_build(&root));
        assert!(session.missing_briefs().is_empty());
        let b4 = root.join("content/b4.md");
        let b4_moved = root.join("content/2022/b4.md");
        std::fs::create_dir_all(b4_moved.parent().unwrap()).unwrap();
        std::fs::rename(&b4, &b4_moved).unwrap();
        assert_eq!(settled(&mut session, &changed(&[&b4, &b4_moved])).unwrap().rendered.files, clean_build(&root));

        // New bylines regroup the authors; the registry, saved, is read again.
        let b5 =
            write(&root, "content/b5.md", &brief("B5", "2022-01-05", "A").replace("tags:", "authors: [Ann]\ntags:"));
        assert_eq!(settled(&mut session, &changed(&[&b5])).unwrap().rendered.files, clean_build(&root));
        write(&root, "authors.yaml", "Ann:\n  bio: Ann writes.\n");
        let registry = settled(&mut session, &Changes { everything: true, ..Changes::default() }).unwrap();
        assert_eq!(registry.rendered.files, clean_build(&root));
        let page = registry.rendered.files.get("authors/ann/index.html").map(|c| c.as_ref());
        assert!(
            matches!(page, Some(crate::pipeline::output::Contents::Text(html)) if html.contains("Ann writes.")),
            "{page:?}"
        );
    }

    #[test]
    fn a_failed_rebuild_keeps_the_last_good_site_until_fixed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        write(&root, "depeche.toml", "title = \"T\"\n");
        let a = write(&root, "content/a.md", &brief("A", "2022-01-01", "X"));
        let mut session = Session::new(&root, false);
        let good = settled(&mut session, &Changes::default()).unwrap().rendered;
        write(&root, "content/a.md", "---\ntitle: A\nsorces: []\n---\n");
        let errors = settled(&mut session, &changed(&[&a])).err().unwrap();
        assert_eq!(errors[0].code, Code::UnknownKey);
        assert!(Arc::ptr_eq(session.rendered().unwrap(), &good), "the last good site is kept");
        write(&root, "content/a.md", &brief("A fixed", "2022-01-01", "X"));
        let fixed = settled(&mut session, &changed(&[&a])).unwrap();
        assert_eq!(fixed.rendered.files, clean_build(&root));
        // A template change renders everything again.
        write(
            &root,
            "templates/brief.html",
            "{% extends \"base.html\" %}{% block main %}<h1 class=\"custom\">{{ brief.title }}</h1>{% endblock main %}",
        );
        let all = settled(&mut session, &Changes { everything: true, ..Changes::default() }).unwrap();
        assert_eq!(all.stats.rendered, all.stats.pages);
        assert_eq!(all.rendered.files, clean_build(&root));
    }

    #[test]
    fn new_images_are_shown_as_they_are_then_through_variants_made_off_the_edit_path() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        write(&root, "depeche.toml", "title = \"T\"\nbase_url = \"https://example.org/\"\n");
        let mut photo = Vec::new();
        let pixels = image::RgbImage::from_fn(1000, 600, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
        image::codecs::jpeg::JpegEncoder::new(&mut photo)
            .encode(pixels.as_raw(), 1000, 600, image::ExtendedColorType::Rgb8)
            .unwrap();
        std::fs::create_dir_all(root.join("static/photos")).unwrap();
        std::fs::write(root.join("static/photos/port.jpg"), &photo).unwrap();
        let credit = "image:\n  src: /photos/port.jpg\n  alt: The port\n  author: Ana\n  license: CC0-1.0\n";
        let a = write(
            &root,
            "content/a.md",
            &brief("A", "2022-01-01", "X").replace("---\nText", &format!("{credit}---\nText")),
        );
        let page = |rebuilt: &Rebuilt| match rebuilt.rendered.files.get("2022/01/a/index.html").map(|c| c.as_ref()) {
            Some(crate::pipeline::output::Contents::Text(html)) => html.clone(),
            other => panic!("{other:?}"),
        };
        let mut session = Session::new(&root, false);
        let first = session.rebuild(&Changes::default()).unwrap();
        assert!(
            page(&first).contains("src=\"/photos/port.jpg\"") && !page(&first).contains(".webp"),
            "the file as it is"
        );
        // Made on the side, then published by the rebuild that follows.
        session.take_pending_work().expect("the photo is left for later").make();
        assert!(session.take_pending_work().is_none(), "taken once");
        let made = session.rebuild(&Changes { work_done: true, ..Changes::default() }).unwrap();
        assert!(page(&made).contains("-960.webp 960w") && page(&made).contains("width=\"1000\""), "{}", page(&made));
        assert!(session.take_pending_work().is_none());
        assert_eq!(made.rendered.files, clean_build(&root));

        // A bad file is an error once made, and is not sent to be made again.
        std::fs::write(root.join("static/photos/port.jpg"), &photo[..photo.len() / 2]).unwrap();
        session.rebuild(&Changes { static_files: true, ..Changes::default() }).unwrap();
        session.take_pending_work().expect("the new bytes are left for later").make();
        let errors = session.rebuild(&Changes { work_done: true, ..Changes::default() }).err().unwrap();
        assert!(errors.iter().any(|d| d.code == Code::ImageInvalid), "{errors:?}");
        let again = session.rebuild(&changed(&[&a])).err().unwrap();
        assert!(again.iter().any(|d| d.code == Code::ImageInvalid));
        assert!(session.take_pending_work().is_none(), "a bad file is not made again and again");
    }
}
