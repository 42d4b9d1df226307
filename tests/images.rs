//! Raster images published as variants: sizes, formats, orientation, metadata (GPS out,
//! the credit in, read back with exiftool where it is installed, as in CI), one source
//! published once, every bad file an error on its `src` line, and the variant cache.

mod common;

use std::path::{Path, PathBuf};

use common::{BASIC_CONFIG, TestSite};
use img_parts::{Bytes, ImageEXIF};

/// A little-endian EXIF block: Orientation, and a GPS IFD with a latitude reference and
/// the camera owner's name, which must not reach the published files.
fn exif(orientation: u16) -> Vec<u8> {
    let mut tiff = b"II*\0".to_vec();
    tiff.extend_from_slice(&8u32.to_le_bytes());
    // IFD0 at 8: three entries, then the next IFD's offset (none).
    let owner = b"Jane Photographer\0";
    let owner_at = 8 + 2 + 3 * 12 + 4;
    let gps_at = owner_at + owner.len() as u32;
    tiff.extend_from_slice(&3u16.to_le_bytes());
    let entry = |tag: u16, kind: u16, count: u32, value: u32| {
        [tag.to_le_bytes().as_slice(), &kind.to_le_bytes(), &count.to_le_bytes(), &value.to_le_bytes()].concat()
    };
    tiff.extend(entry(0x0112, 3, 1, u32::from(orientation)));
    tiff.extend(entry(0x8825, 4, 1, gps_at));
    tiff.extend(entry(0xa430, 2, owner.len() as u32, owner_at));
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(owner);
    // GPS IFD: GPSLatitudeRef "N".
    tiff.extend_from_slice(&1u16.to_le_bytes());
    tiff.extend(entry(0x0001, 2, 2, u32::from_le_bytes(*b"N\0\0\0")));
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff
}

/// A little-endian EXIF block naming the photo's `Artist` alone.
fn exif_artist(artist: &[u8]) -> Vec<u8> {
    let mut exif = b"II*\0".to_vec();
    exif.extend_from_slice(&8u32.to_le_bytes());
    exif.extend_from_slice(&1u16.to_le_bytes());
    exif.extend_from_slice(&0x013Bu16.to_le_bytes());
    exif.extend_from_slice(&2u16.to_le_bytes());
    exif.extend_from_slice(&(artist.len() as u32).to_le_bytes());
    exif.extend_from_slice(&(8u32 + 2 + 12 + 4).to_le_bytes());
    exif.extend_from_slice(&0u32.to_le_bytes());
    exif.extend_from_slice(artist);
    exif
}

/// A JPEG `width`×`height` as stored, with `exif` written in.
fn jpeg_with_exif(width: u32, height: u32, exif: Vec<u8>) -> Vec<u8> {
    let mut jpeg = img_parts::jpeg::Jpeg::from_bytes(Bytes::from(common::jpeg(width, height))).unwrap();
    jpeg.set_exif(Some(Bytes::from(exif)));
    jpeg.encoder().bytes().to_vec()
}

fn brief(name: &str, src: &str, author: &str) -> String {
    format!(
        "---\ntitle: {name}\ndate: 2026-11-20\nlang: en\nsources:\n  - name: Agency\n    url: https://agency.example/\nimage:\n  src: {src}\n  alt: A photo\n  title: Harbour\n  author: {author}\n  source: Example Photos\n  source_url: https://photos.example/harbour\n  license: CC-BY-SA-4.0\n---\n\nText.\n"
    )
}

/// The published files under images/, by path: variants and crops.
fn published(site: &TestSite) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = walkdir::WalkDir::new(site.output().join("images"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| entry.into_path())
        .collect();
    found.sort();
    found
}

/// Whether a published file is a variant (`harbour-960.webp`) rather than a crop
/// (`harbour-16x9.jpg`).
fn is_variant(file: &Path) -> bool {
    let stem = file.file_stem().unwrap().to_string_lossy();
    stem.rsplit('-').next().unwrap().bytes().all(|b| b.is_ascii_digit())
}

/// The published variants, by path.
fn variants(site: &TestSite) -> Vec<PathBuf> {
    published(site).into_iter().filter(|f| is_variant(f)).collect()
}

fn size_of(file: &Path) -> (u32, u32) {
    let image = image::open(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    (image.width(), image.height())
}

#[test]
fn a_photo_is_published_upright_at_each_width_without_its_exif() {
    let site = TestSite::basic();
    // Stored 1200×800, shown rotated a quarter turn (orientation 6): 800×1200 upright.
    site.write_bytes("content/harbour.jpg", &jpeg_with_exif(1200, 800, exif(6)));
    site.write("content/a.md", &brief("Harbour", "harbour.jpg", "Ana Lima"));
    site.build();
    let files = variants(&site);
    let names: Vec<String> = files.iter().map(|f| f.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["harbour-480.jpg", "harbour-480.webp", "harbour-800.jpg", "harbour-800.webp"], "never upscaled");
    assert_eq!(size_of(&files[0]), (480, 720), "turned upright, then resized");
    assert_eq!(size_of(&files[3]), (800, 1200));
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("Jane Photographer"), "the camera owner is dropped: {}", file.display());
        assert!(!bytes.windows(6).any(|w| w == b"Exif\0\0"), "no EXIF at all: {}", file.display());
        assert!(text.contains("<dc:creator><rdf:Seq><rdf:li>Ana Lima</rdf:li>"), "the credit travels with the file");
    }
    let page = site.page("/2026/11/a/");
    assert_eq!(page.attr("figure img", "width"), "800");
    assert_eq!(page.attr("figure img", "height"), "1200");
    assert_eq!(page.attr("figure img", "fetchpriority"), "high");
    assert!(page.attr("figure img", "src").ends_with("/harbour-800.jpg"));
    assert!(page.source.contains("harbour-480.webp 480w, "), "{}", page.source);
}

#[test]
fn exiftool_reads_the_credit_back_from_every_variant() {
    if std::process::Command::new("exiftool").arg("-ver").output().is_err() {
        // .ci/run installs exiftool and says so: there, this cannot be skipped.
        assert!(std::env::var_os("DEPECHE_CI_TOOLS").is_none(), "exiftool is not installed");
        eprintln!("exiftool is not installed: skipped");
        return;
    }
    let site = TestSite::basic();
    site.write_bytes("content/harbour.jpg", &common::jpeg(1000, 600));
    site.write_bytes("content/logo.png", &{
        let image = image::RgbaImage::from_fn(500, 300, |x, _| image::Rgba([200, 10, 10, (x % 256) as u8]));
        let mut bytes = Vec::new();
        image::ImageEncoder::write_image(
            image::codecs::png::PngEncoder::new(&mut bytes),
            image.as_raw(),
            500,
            300,
            image::ExtendedColorType::Rgba8,
        )
        .unwrap();
        bytes
    });
    site.write("content/a.md", &brief("Harbour", "harbour.jpg", "Ana Lima & Co"));
    site.write("content/b.md", &brief("Logo", "logo.png", "Ana Lima & Co").replace("CC-BY-SA-4.0", "CC0-1.0"));
    site.build();
    let files = published(&site);
    assert_eq!(variants(&site).iter().filter(|f| f.extension().unwrap() == "png").count(), 2, "transparency keeps PNG");
    assert_eq!(files.len(), 4 + 2 * 3 + 2 * 3, "variants, and crops of both lead images");
    // One run for every file: exiftool starts slowly.
    let output = std::process::Command::new("exiftool")
        .args(["-j", "-XMP:All", "-validate", "-warning"])
        .args(&files)
        .output()
        .unwrap();
    let read: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(read.len(), files.len());
    for (file, tags) in files.iter().zip(&read) {
        assert_eq!(tags["Creator"], "Ana Lima & Co", "{}: {tags}", file.display());
        assert_eq!(tags["Title"], "Harbour");
        assert_eq!(tags["LicensorURL"], "https://photos.example/harbour");
        assert_eq!(tags["LicensorName"], "Example Photos");
        assert!(tags["Credit"].as_str().unwrap().contains("by Ana Lima & Co, via Example Photos"), "{tags}");
        assert_eq!(tags["Validate"], "OK", "{}: {tags}", file.display());
        if file.to_string_lossy().contains("logo") {
            assert_eq!(tags["WebStatement"], "https://creativecommons.org/publicdomain/zero/1.0/");
            assert_eq!(tags["Marked"], false, "CC0 is not marked as copyrighted");
        } else {
            assert_eq!(tags["WebStatement"], "https://creativecommons.org/licenses/by-sa/4.0/");
            assert_eq!(tags["Marked"], true);
            assert_eq!(tags["Rights"], "Ana Lima & Co, CC BY-SA 4.0");
        }
    }
}

#[test]
fn one_source_is_published_once_however_many_briefs_use_it() {
    let site = TestSite::basic();
    site.write_bytes("static/photos/harbour.jpg", &common::jpeg(700, 400));
    for n in 0..12 {
        site.write(&format!("content/b{n}.md"), &brief(&format!("Brief {n}"), "/photos/harbour.jpg", "Ana Lima"));
    }
    site.build();
    assert_eq!(variants(&site).len(), 4, "one set of variants for twelve briefs: {:?}", variants(&site));
    assert_eq!(published(&site).len(), 4 + 3, "and one set of crops");
    let first = site.page("/2026/11/b0/").attr("figure img", "src");
    let last = site.page("/2026/11/b11/").attr("figure img", "src");
    assert_eq!(first, last);
}

#[test]
fn every_bad_file_stops_the_build_with_its_brief_line_and_file() {
    let site = TestSite::basic();
    let whole = common::jpeg(300, 200);
    site.write_bytes("content/truncated.jpg", &whole[..whole.len() / 3]);
    let png = common::png(300, 200);
    site.write_bytes("content/truncated.png", &png[..png.len() / 2]);
    site.write("content/not-an-image.jpg", "this is text, not a photo");
    site.write_bytes("content/bitmap.png", b"BM\x36\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\x00\x00");
    // A PNG whose header claims 60000×60000 pixels (3.6 billion), followed by garbage.
    let mut bomb = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    bomb.extend_from_slice(&60_000u32.to_be_bytes());
    bomb.extend_from_slice(&60_000u32.to_be_bytes());
    bomb.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    bomb.extend(std::iter::repeat_n(0u8, 4096));
    site.write_bytes("content/bomb.png", &bomb);
    for name in ["truncated.jpg", "truncated.png", "not-an-image.jpg", "bitmap.png", "bomb.png"] {
        site.write(&format!("content/{name}.md"), &brief(name, name, "Ana Lima"));
    }
    let diagnostics = site.build_errors();
    let found = |file: &str| {
        diagnostics
            .iter()
            .find(|d| d.path.ends_with(format!("content/{file}.md")))
            .unwrap_or_else(|| panic!("no error for {file}: {diagnostics:#?}"))
    };
    for (name, code, words) in [
        ("truncated.jpg", "image-invalid", "truncated"),
        ("truncated.png", "image-invalid", "cannot be decoded"),
        ("not-an-image.jpg", "image-invalid", "not an image"),
        ("bitmap.png", "image-invalid", "BMP image"),
        ("bomb.png", "image-too-large", "60000×60000 pixels"),
    ] {
        let d = found(name);
        assert_eq!(d.code.as_str(), code, "{name}: {d:?}");
        assert!(d.is_error());
        assert_eq!(d.line, Some(9), "the line of `src`: {d:?}");
        assert!(d.message.contains(words) && d.message.contains(name), "{name}: {}", d.message);
    }
    assert!(!site.output().exists(), "nothing written");
}

#[test]
fn an_unchanged_rebuild_decodes_nothing_and_a_new_credit_makes_new_files() {
    let site = TestSite::basic();
    site.write_bytes("content/harbour.jpg", &common::jpeg(600, 400));
    site.write("content/a.md", &brief("Harbour", "harbour.jpg", "Ana Lima"));
    site.build();
    let published = variants(&site);
    // Mark the cached copy of one variant: a rebuild that decoded again would replace it.
    let cached: Vec<PathBuf> = walkdir::WalkDir::new(site.root().join(".depeche/images"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "webp"))
        .collect();
    assert_eq!(cached.len(), 2);
    for file in &cached {
        let mut bytes = std::fs::read(file).unwrap();
        bytes.extend_from_slice(b"<!--cached-->");
        std::fs::write(file, bytes).unwrap();
    }
    site.write("content/a.md", &brief("Harbour", "harbour.jpg", "Ana Lima").replace("Text.", "Text, edited."));
    // Without the output, every variant is copied again, from the cache.
    std::fs::remove_dir_all(site.output()).unwrap();
    site.build();
    assert_eq!(variants(&site), published);
    let webp = published.iter().find(|f| f.extension().unwrap() == "webp").unwrap();
    assert!(std::fs::read(webp).unwrap().ends_with(b"<!--cached-->"), "taken from the cache, not decoded again");

    site.write("content/a.md", &brief("Harbour", "harbour.jpg", "Bruno Costa"));
    site.build();
    let renamed = variants(&site);
    assert_ne!(renamed, published, "a new credit is a new key, and new files");
    assert!(String::from_utf8_lossy(&std::fs::read(&renamed[0]).unwrap()).contains("Bruno Costa"));
    assert!(!published[0].exists(), "the old variants leave the output");

    // The same bytes under the same name, rewritten: the stamp changes, the key does not.
    site.write_bytes("content/harbour.jpg", &common::jpeg(600, 400));
    site.build();
    assert_eq!(variants(&site), renamed);
    let clean = TestSite::basic();
    clean.write_bytes("content/harbour.jpg", &common::jpeg(600, 400));
    clean.write("content/a.md", &brief("Harbour", "harbour.jpg", "Bruno Costa"));
    clean.build();
    let strip = |files: Vec<PathBuf>, root: &Path| -> Vec<PathBuf> {
        files.iter().map(|f| f.strip_prefix(root).unwrap().to_path_buf()).collect()
    };
    assert_eq!(strip(variants(&site), &site.output()), strip(variants(&clean), &clean.output()), "as a clean build");
}

#[test]
fn settings_choose_the_widths_and_are_checked() {
    let site = TestSite::new(&format!("{BASIC_CONFIG}\n[images]\nwidths = [200, 100]\nquality = 60\n"));
    site.write_bytes("content/harbour.jpg", &common::jpeg(600, 400));
    site.write("content/a.md", &brief("Harbour", "harbour.jpg", "Ana Lima"));
    site.build();
    let names: Vec<String> =
        variants(&site).iter().map(|f| f.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["harbour-100.jpg", "harbour-100.webp", "harbour-200.jpg", "harbour-200.webp"]);
    let bad = TestSite::new(&format!("{BASIC_CONFIG}\n[images]\nwidths = []\nquality = 0\n"));
    let diagnostics = bad.build_errors();
    assert_eq!(diagnostics.iter().filter(|d| d.code.as_str() == "config-invalid").count(), 2, "{diagnostics:#?}");
}

#[test]
fn images_of_the_body_are_shown_through_their_variants_and_feeds_get_the_img() {
    let site = TestSite::basic();
    site.write_bytes("content/map.png", &common::png(900, 600));
    site.write_bytes("content/harbour.jpg", &common::jpeg(700, 400));
    let text = brief("Harbour", "harbour.jpg", "Ana Lima").replace(
        "---\n\nText.\n",
        "media:\n  - src: map.png\n    title: Map\n    author: Ana Lima\n    source: Example Maps\n    source_url: https://maps.example/1\n    license: CC-BY-4.0\n---\n\nText.\n\n![The flooded \"areas\"](map.png)\n\nInline ![the harbour](harbour.jpg) too.\n",
    );
    site.write("content/a.md", &text);
    site.build();
    let page = site.page("/2026/11/a/");
    assert_eq!(page.count(".brief-body picture"), 2, "{}", page.source);
    assert_eq!(page.attrs(".brief-body picture img", "alt"), ["The flooded \"areas\"", "the harbour"]);
    assert_eq!(page.attrs(".brief-body picture img", "width"), ["900", "700"]);
    assert!(page.attrs(".brief-body picture img", "loading").iter().all(|l| l == "lazy"));
    assert!(page.attr(".brief-body figure source", "srcset").contains("/map-480.webp 480w"));
    assert!(!page.source.contains("depeche:image"), "no marker left");
    let feed = site.read("atom.xml");
    assert!(!feed.contains("<picture") && !feed.contains("depeche:image"), "feeds take one <img>");
    let map = "/map-900.jpg&quot; alt=&quot;The flooded &amp;quot;areas&amp;quot;&quot; width=&quot;900&quot; height=&quot;600&quot;&gt;";
    assert!(feed.contains("&lt;img src=&quot;https://news.example.org/images/"), "{feed}");
    assert!(feed.contains(map), "the widest fallback, absolute, with its size: {feed}");
    assert!(!feed.contains("src=&quot;map.png"), "not the original");
}

#[test]
fn originals_are_not_published_beside_their_variants_unless_raw_html_shows_them() {
    let site = TestSite::basic();
    // A camera file beside the brief, and one under static/, each with EXIF and a GPS
    // position naming the camera owner.
    site.write_bytes("content/harbour.jpg", &jpeg_with_exif(1200, 800, exif(1)));
    site.write_bytes("static/photos/quay.jpg", &jpeg_with_exif(900, 600, exif(1)));
    site.write_bytes("static/photos/unused.jpg", &common::jpeg(50, 50));
    site.write("content/a.md", &brief("Harbour", "harbour.jpg", "Ana Lima"));
    site.write("content/b.md", &brief("Quay", "/photos/quay.jpg", "Ana Lima"));
    site.build();
    assert!(!site.exists("2026/11/a/harbour.jpg") && !site.exists("photos/quay.jpg"), "no original");
    assert!(site.exists("photos/unused.jpg"), "other static files are copied as ever");
    for entry in
        walkdir::WalkDir::new(site.output()).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file())
    {
        let bytes = std::fs::read(entry.path()).unwrap();
        assert!(
            !bytes.windows(17).any(|w| w == b"Jane Photographer"),
            "{} names the camera owner",
            entry.path().display()
        );
        assert!(!bytes.windows(6).any(|w| w == b"Exif\0\0"), "{} has EXIF", entry.path().display());
    }
    // Raw HTML naming the file shows it as written: the file is published for it.
    let raw = brief("Harbour", "harbour.jpg", "Ana Lima")
        .replace("Text.\n", "Text.\n\n<img src=\"harbour.jpg\" alt=\"The harbour\">\n");
    site.write("content/a.md", &raw);
    site.build();
    assert!(site.exists("2026/11/a/harbour.jpg"));
}

#[test]
fn an_svg_that_could_run_code_is_refused_and_a_plain_one_published_as_is() {
    let site = TestSite::basic();
    site.write(
        "static/charts/plain.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"3\"><rect width=\"4\" height=\"3\"/></svg>",
    );
    site.write("content/plain.md", &brief("Plain", "/charts/plain.svg", "Ana Lima"));
    site.build();
    assert!(site.exists("/charts/plain.svg"));
    assert!(site.page("/2026/11/plain/").attr("figure img", "src").ends_with("/charts/plain.svg"));

    site.write("content/chart.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\">\n<rect onclick=\"steal()\"/>\n</svg>");
    site.write("content/chart.md", &brief("Chart", "chart.svg", "Ana Lima"));
    let diagnostics = site.build_errors();
    let refused = diagnostics.iter().find(|d| d.code.as_str() == "unsafe-svg").expect("an unsafe-svg error");
    assert!(refused.path.ends_with("content/chart.md") && refused.line == Some(9), "{refused:?}");
    assert!(refused.message.contains("onclick") && refused.message.contains("chart.svg"), "{}", refused.message);
}

#[test]
fn a_shared_page_shows_a_1200_pixel_jpeg_with_its_size() {
    let site = TestSite::basic();
    site.write_bytes("content/harbour.jpg", &common::jpeg(2000, 1000));
    site.write("content/a.md", &brief("Harbour", "harbour.jpg", "Ana Lima"));
    site.build();
    let page = site.page("/2026/11/a/");
    let og = page.attr("meta[property='og:image']", "content");
    assert!(og.starts_with("https://news.example.org/images/") && og.ends_with("/harbour-1200.jpg"), "{og}");
    assert_eq!(page.attr("meta[property='og:image:width']", "content"), "1200");
    assert_eq!(page.attr("meta[property='og:image:height']", "content"), "600");
    assert!(!page.attr("figure img", "srcset").contains("1200"), "the shared JPEG is not offered to readers");
    assert_eq!(size_of(&site.output().join(og.trim_start_matches("https://news.example.org/"))), (1200, 600));
}

#[test]
fn lists_and_the_credits_page_show_small_variants_with_a_compact_credit() {
    let site = TestSite::basic();
    site.write_bytes("content/harbour.jpg", &common::jpeg(1000, 500));
    let text = brief("Harbour", "harbour.jpg", "Ana Lima")
        .replace("  source: Example", "  author_url: https://ana.example/\n  source: Example");
    site.write("content/a.md", &text);
    site.build();
    // Archive pages list titles only, without images.
    for list in ["/", "/sources/agency/"] {
        let page = site.page(list);
        assert_eq!(page.count(".brief-summary"), 1, "{list}");
        let img = ".brief-summary .thumbnail img";
        assert_eq!(page.attr(img, "sizes"), "8rem", "{list}");
        assert!(page.attr(img, "src").ends_with("/harbour-480.jpg"), "{list}: the narrowest variant");
        assert_eq!(page.attr(img, "loading"), "lazy");
        assert_eq!(page.text(".compact-credit"), "Ana Lima, CC BY-SA 4.0", "{list}");
        assert_eq!(
            page.attrs(".compact-credit a", "href"),
            ["https://ana.example/", "https://creativecommons.org/licenses/by-sa/4.0/"]
        );
    }
    let credits = site.page("/credits/");
    assert!(credits.attr(".small-image img", "sizes").ends_with("16rem"), "{}", credits.source);
    assert_eq!(credits.attr(".small-image img", "loading"), "lazy");
}

#[test]
fn a_file_crediting_someone_else_draws_a_warning_with_both_values() {
    let site = TestSite::basic();
    let exif = exif_artist(b"Jane Roe\0");
    site.write_bytes("content/harbour.jpg", &jpeg_with_exif(300, 200, exif));
    site.write("content/a.md", &brief("Harbour", "harbour.jpg", "Ana Lima"));
    let report = site.build();
    let warning = report.diagnostics.iter().find(|d| d.code.as_str() == "image-metadata-differs").expect("a warning");
    assert!(
        warning.message.contains("\"Jane Roe\"") && warning.message.contains("\"Ana Lima\""),
        "{}",
        warning.message
    );
    assert_eq!(warning.line, Some(9));
    // The same on a rebuild that takes the variants from the cache.
    let again = site.build();
    assert!(again.diagnostics.iter().any(|d| d.code.as_str() == "image-metadata-differs"));
    site.write("content/a.md", &brief("Harbour", "harbour.jpg", "Jane Roe"));
    assert!(!site.build().diagnostics.iter().any(|d| d.code.as_str() == "image-metadata-differs"));
}

#[test]
fn new_with_an_image_starts_its_credit_from_the_file() {
    let site = TestSite::basic();
    let exif = exif_artist(b"Jane Roe\0");
    site.write_bytes("content/photos/harbour.jpg", &jpeg_with_exif(300, 200, exif));
    let run = site.run(&["new", "Harbour news", "--image", "content/photos/harbour.jpg"]);
    assert!(run.status.success(), "{}", run.stderr);
    let text = std::fs::read_to_string(site.root().join("content/harbour-news.md")).unwrap();
    assert!(text.contains("image:\n  src: photos/harbour.jpg\n  alt: ''  # say what the image shows\n"), "{text}");
    assert!(text.contains("  author: Jane Roe\n"), "{text}");
    let outside = tempfile::NamedTempFile::new().unwrap();
    let refused = site.run(&["new", "Elsewhere", "--image", &outside.path().to_string_lossy()]);
    assert!(!refused.status.success() && refused.stderr.contains("outside the site"), "{}", refused.stderr);
}

#[test]
fn a_photo_replaced_under_the_same_name_is_shown_anew_as_by_a_clean_build() {
    let site = TestSite::basic();
    site.write_bytes("content/harbour.jpg", &common::jpeg(600, 400));
    site.write("content/a.md", &brief("Harbour", "harbour.jpg", "Ana Lima"));
    site.build();
    site.write_bytes("content/harbour.jpg", &common::jpeg(400, 400));
    site.build();
    let clean = TestSite::basic();
    clean.write_bytes("content/harbour.jpg", &common::jpeg(400, 400));
    clean.write("content/a.md", &brief("Harbour", "harbour.jpg", "Ana Lima"));
    clean.build();
    for page in ["2026/11/a/index.html", "index.html", "credits/index.html"] {
        assert_eq!(site.read(page), clean.read(page), "{page}");
    }
    let src = site.page("/2026/11/a/").attr("figure img", "src");
    assert!(site.exists(&src), "{src}");
}

/// A photo red on its left third and blue elsewhere, for telling crops apart.
fn two_colour_jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, _| {
        if x < width / 3 { image::Rgb([230, 10, 10]) } else { image::Rgb([10, 10, 230]) }
    });
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new(&mut bytes)
        .encode(image.as_raw(), width, height, image::ExtendedColorType::Rgb8)
        .unwrap();
    bytes
}

#[test]
fn json_ld_lists_crops_for_search_engines_around_the_focus() {
    let site = TestSite::basic();
    site.write_bytes("content/harbour.jpg", &two_colour_jpeg(3000, 1500));
    site.write("content/a.md", &brief("Centred", "harbour.jpg", "Ana Lima"));
    let focused = brief("Focused", "harbour.jpg", "Ana Lima")
        .replace("  alt: A photo\n", "  alt: A photo\n  focus: [0.1, 0.5]\n");
    site.write("content/b.md", &focused);
    site.build();
    let crops_of = |path: &str| -> Vec<(String, u64, u64)> {
        let page = site.page(path);
        let data: serde_json::Value = serde_json::from_str(&page.text("script[type='application/ld+json']")).unwrap();
        let images = data["image"].as_array().unwrap_or_else(|| panic!("an array: {}", data["image"])).clone();
        for image in &images {
            assert_eq!(image["@type"], "ImageObject");
            assert_eq!(image["license"], "https://creativecommons.org/licenses/by-sa/4.0/");
            assert_eq!(image["creator"]["name"], "Ana Lima");
        }
        images[1..]
            .iter()
            .map(|i| {
                (
                    i["contentUrl"].as_str().unwrap().to_string(),
                    i["width"].as_u64().unwrap(),
                    i["height"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let (centred, focused_crops) = (crops_of("/2026/11/a/"), crops_of("/2026/11/b/"));
    let shapes = |crops: &[(String, u64, u64)]| crops.iter().map(|(_, w, h)| (*w, *h)).collect::<Vec<_>>();
    assert_eq!(shapes(&centred), [(1200, 675), (1200, 900), (1200, 1200)]);
    assert_eq!(shapes(&focused_crops), shapes(&centred));
    for (url, width, height) in centred.iter().chain(&focused_crops) {
        assert!(width * height >= 50_000);
        let file = site.output().join(url.trim_start_matches("https://news.example.org/"));
        assert_eq!(size_of(&file), (*width as u32, *height as u32), "{url}");
    }
    // The square around the left edge is mostly red; the centred one mostly blue.
    let redness = |url: &str| {
        let image = image::open(site.output().join(url.trim_start_matches("https://news.example.org/"))).unwrap();
        let rgb = image.to_rgb8();
        rgb.pixels().filter(|p| p.0[0] > p.0[2]).count() as f64 / rgb.pixels().len() as f64
    };
    let (centred_square, focused_square) = (redness(&centred[2].0), redness(&focused_crops[2].0));
    assert!(focused_square > 0.6 && centred_square < 0.2, "{focused_square} {centred_square}");
    // A focus outside the image is an error on its line.
    site.write("content/b.md", &focused.replace("[0.1, 0.5]", "[1.5, 0.5]"));
    let errors = site.build_errors();
    let error = errors.iter().find(|d| d.code == "image-focus").expect("an image-focus error");
    assert_eq!((error.line, error.column), (Some(11), Some(3)), "{error:?}");
}
