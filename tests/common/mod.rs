//! A small harness: a site in a temporary folder, built through the library or the
//! `depeche` binary, with helpers to read pages as parsed HTML.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use depeche::{BuildOptions, BuildReport, Diagnostic, Error};
use image::ImageEncoder;
use scraper::{Html, Selector};

pub mod stub;

pub struct TestSite {
    pub dir: tempfile::TempDir,
}

pub const BASIC_CONFIG: &str =
    "title = \"Test briefs\"\nbase_url = \"https://news.example.org/\"\nlicense = \"CC-BY-4.0\"\n";

impl TestSite {
    /// An empty site with the given depeche.toml.
    pub fn new(config: &str) -> TestSite {
        let site = TestSite { dir: tempfile::tempdir().expect("a temporary folder") };
        site.write("depeche.toml", config);
        site
    }

    pub fn basic() -> TestSite {
        TestSite::new(BASIC_CONFIG)
    }

    /// A copy of tests/fixtures/<area>/<case>/.
    pub fn fixture(area_and_case: &str) -> TestSite {
        let site = TestSite { dir: tempfile::tempdir().expect("a temporary folder") };
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(area_and_case);
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.expect("readable fixture");
            let to = site.root().join(entry.path().strip_prefix(&from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn output(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn write(&self, relative: &str, text: &str) -> &Self {
        self.write_bytes(relative, text.as_bytes())
    }

    pub fn write_bytes(&self, relative: &str, bytes: &[u8]) -> &Self {
        let path = self.root().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    /// Writes content/<name> with the given front matter (without fences) and body.
    pub fn brief(&self, name: &str, front_matter: &str, body: &str) -> &Self {
        self.write(&format!("content/{name}"), &format!("---\n{front_matter}---\n{body}"))
    }

    pub fn try_build(&self) -> Result<BuildReport, Error> {
        depeche::build(&BuildOptions::new(self.root()))
    }

    pub fn build(&self) -> BuildReport {
        self.try_build().unwrap_or_else(|e| panic!("build failed: {e}\n{:#?}", e.diagnostics()))
    }

    /// The diagnostics of a build that must fail.
    pub fn build_errors(&self) -> Vec<Diagnostic> {
        match self.try_build() {
            Ok(_) => panic!("the build should have failed"),
            Err(error) => {
                let diagnostics = error.diagnostics().to_vec();
                assert!(!diagnostics.is_empty(), "expected diagnostics, got {error}");
                diagnostics
            }
        }
    }

    pub fn read(&self, output_path: &str) -> String {
        let path = self.output().join(output_path.trim_start_matches('/'));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    pub fn exists(&self, output_path: &str) -> bool {
        self.output().join(output_path.trim_start_matches('/')).exists()
    }

    pub fn page(&self, output_path: &str) -> Page {
        let file =
            if output_path.ends_with('/') { format!("{output_path}index.html") } else { output_path.to_string() };
        Page { html: Html::parse_document(&self.read(&file)), source: self.read(&file) }
    }

    /// Runs the `depeche` binary in the site folder.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.root(), args)
    }
}

pub struct Run {
    pub status: std::process::ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_depeche"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        // The commands that go online ask local test servers, never through a proxy.
        .env_remove("http_proxy")
        .env_remove("HTTP_PROXY")
        .env_remove("https_proxy")
        .env_remove("HTTPS_PROXY")
        .env_remove("all_proxy")
        .env_remove("ALL_PROXY")
        .output()
        .expect("the depeche binary runs");
    Run {
        status: output.status,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

pub struct Page {
    pub html: Html,
    pub source: String,
}

impl Page {
    fn selector(css: &str) -> Selector {
        Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"))
    }

    /// The text of every element matching `css`, whitespace collapsed.
    pub fn texts(&self, css: &str) -> Vec<String> {
        self.html
            .select(&Self::selector(css))
            .map(|e| e.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    }

    pub fn text(&self, css: &str) -> String {
        let texts = self.texts(css);
        assert!(!texts.is_empty(), "nothing matches {css}");
        texts.join(" ")
    }

    pub fn count(&self, css: &str) -> usize {
        self.html.select(&Self::selector(css)).count()
    }

    /// The attribute `name` of every element matching `css`.
    pub fn attrs(&self, css: &str, name: &str) -> Vec<String> {
        self.html.select(&Self::selector(css)).filter_map(|e| e.value().attr(name).map(String::from)).collect()
    }

    pub fn attr(&self, css: &str, name: &str) -> String {
        let values = self.attrs(css, name);
        assert_eq!(values.len(), 1, "expected one {css}[{name}], found {values:?}");
        values[0].clone()
    }
}

/// Front matter for a brief with a date and one source.
pub fn sourced(title: &str, date: &str) -> String {
    format!("title: \"{title}\"\ndate: {date}\nsources:\n  - name: Agence\n    url: https://agence.example.org/\n")
}

/// A real PNG of `width`×`height` pixels, for sites whose images are published as variants.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x * 7) as u8, (y * 5) as u8, 90]));
    let mut bytes = Vec::new();
    image::codecs::png::PngEncoder::new(&mut bytes)
        .write_image(image.as_raw(), width, height, image::ExtendedColorType::Rgb8)
        .expect("a PNG encodes");
    bytes
}

/// A real JPEG of `width`×`height` pixels.
pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x * 3) as u8, (y * 2) as u8, 140]));
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new(&mut bytes)
        .encode(image.as_raw(), width, height, image::ExtendedColorType::Rgb8)
        .expect("a JPEG encodes");
    bytes
}
