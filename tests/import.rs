//! `depeche import`: golden fixtures (tests/fixtures/import/NAME.txt → NAME.md, the exact
//! Markdown written with --date 2024-05-06), the command's behaviour, and imported briefs
//! building into the credit their sentence gave.

mod common;

use std::path::{Path, PathBuf};

use common::{TestSite, run_in};

fn fixtures() -> Vec<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    inputs.sort();
    inputs
}

#[test]
fn every_fixture_imports_to_its_expected_markdown() {
    let inputs = fixtures();
    assert!(inputs.len() >= 15, "{} inputs", inputs.len());
    for input in inputs {
        let text = std::fs::read_to_string(&input).unwrap();
        let expected = std::fs::read_to_string(input.with_extension("md")).unwrap();
        let markdown =
            depeche::import::to_markdown(&text, &depeche::import::LangChoice::Auto, ("2024-05-06", "en"), false, None)
                .unwrap()
                .markdown;
        assert_eq!(markdown, expected, "{}", input.display());
    }
}

#[test]
fn fixture_bodies_are_complete() {
    // Every line of the input that is not the title, a source, a credit or debris is in
    // the body, word for word.
    for input in fixtures() {
        let text = std::fs::read_to_string(&input).unwrap().replace("\r\n", "\n");
        let depeche::import::Converted { markdown, parsed, .. } =
            depeche::import::to_markdown(&text, &depeche::import::LangChoice::Auto, ("2024-05-06", "en"), false, None)
                .unwrap();
        let body = markdown.splitn(3, "---\n").nth(2).unwrap().replace('\\', "");
        let metadata = |line: &str| {
            parsed.debris.iter().any(|d| d == line)
                || parsed.credit_line.as_deref() == Some(line)
                || parsed.more_credits.iter().any(|(_, written)| written == line)
                || line.to_lowercase().starts_with("source")
                || line.starts_with("Via ")
        };
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()).skip(1) {
            if metadata(line) {
                continue;
            }
            for word in line.split_whitespace() {
                assert!(body.contains(word), "{}: {word:?} of {line:?} is missing", input.display());
            }
        }
    }
}

#[test]
fn cli_writes_briefs_that_build_once_the_image_is_filled_in() {
    let site = TestSite::basic();
    let inputs = ["01-fr-flickr-adaptation.txt", "02-en-wikimedia-adaptation.txt"];
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    let mut args = vec!["import".to_string(), "--date".into(), "2022-03-04".into()];
    args.extend(inputs.iter().map(|i| folder.join(i).display().to_string()));
    let run = site.run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(run.status.success(), "{}", run.stderr);
    assert!(
        run.stdout.contains("credit:       title “Tour Eiffel de nuit”, author Jean Martin, source Flickr, adapted"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("licence:      CC-BY-2.0 (from \"Creative Commons Attribution 2.0 Générique Licence\")"),
        "{}",
        run.stdout
    );
    let fr = site.root().join("content/la-tour-eiffel-illuminee-aux-couleurs-de-l-ukraine.md");
    let en = site.root().join("content/microsoft-says-it-disrupted-attacks-on-ukrainian-networks.md");
    assert!(fr.exists() && en.exists());

    // Until the image is filled in, the build says so.
    let errors = site.build_errors();
    assert_eq!(errors.iter().filter(|d| d.code == "image-placeholder").count(), 2, "{errors:#?}");

    for file in [&fr, &en] {
        let text = std::fs::read_to_string(file).unwrap().replace("FILL-IN-image-file", "photo.png");
        std::fs::write(file, text).unwrap();
    }
    site.write_bytes("content/photo.png", &common::png(40, 30));
    site.build();
    let fr_page = site.page("/2022/03/la-tour-eiffel-illuminee-aux-couleurs-de-l-ukraine/");
    assert_eq!(
        fr_page.text("figcaption"),
        "Image : d'après « Tour Eiffel de nuit » par Jean Martin, via Flickr, sous licence CC BY 2.0."
    );
    assert_eq!(fr_page.texts(".sources li"), vec!["Mairie de Paris"]);
    let en_page = site.page("/2022/03/microsoft-says-it-disrupted-attacks-on-ukrainian-networks/");
    assert_eq!(
        en_page.text("figcaption"),
        "Image: based on “Flag of Ukraine” by UP9, via Wikimedia Commons, licensed under CC BY-SA 3.0. \
         This adaptation is shared under the same license."
    );
}

#[test]
fn existing_briefs_are_kept_unless_forced() {
    let site = TestSite::basic();
    site.write("in.txt", "Same title\n\nFirst version of the text, long enough to be a sentence.\n");
    assert!(site.run(&["import", "in.txt"]).status.success());
    let path = site.root().join("content/same-title.md");
    let first = std::fs::read_to_string(&path).unwrap();
    site.write("in.txt", "Same title\n\nSecond version of the text, long enough to be a sentence.\n");
    let again = site.run(&["import", "in.txt"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(again.stderr.contains("already exists; pass --force"), "{}", again.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), first);
    assert!(site.run(&["import", "in.txt", "--force"]).status.success());
    assert!(std::fs::read_to_string(&path).unwrap().contains("Second version"));
}

#[test]
fn dry_run_prints_and_writes_nothing() {
    let site = TestSite::basic();
    site.write("in.txt", "Un titre\n\nLe texte de la brève est ici, avec ses mots.\n\nSource : AFP\n");
    let run = site.run(&["import", "in.txt", "--dry-run", "--date", "2023-02-01"]);
    assert!(run.status.success(), "{}", run.stderr);
    assert!(
        run.stdout.starts_with("---\ntitle: Un titre\ndate: 2023-02-01\nlang: fr\nsources:\n- name: AFP\n---\n"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("Would import"), "{}", run.stderr);
    assert!(!site.root().join("content").exists());
}

#[test]
fn bad_inputs_are_named_and_the_others_still_imported() {
    let site = TestSite::basic();
    site.write("good.txt", "A good brief\n\nIts text is a full sentence with enough words.\n");
    site.write("empty.txt", "  \n\n");
    site.write_bytes("latin1.txt", b"Caf\xe9\n\nTexte.\n");
    let run = site.run(&["import", "empty.txt", "latin1.txt", "missing.txt", "good.txt"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(run.stderr.contains("empty.txt: the file is empty"), "{}", run.stderr);
    assert!(run.stderr.contains("latin1.txt: not UTF-8"), "{}", run.stderr);
    assert!(run.stderr.contains("missing.txt"), "{}", run.stderr);
    assert!(site.root().join("content/a-good-brief.md").exists(), "the good file is imported");
}

#[test]
fn options_lang_into_keep_all_and_file_date() {
    let site = TestSite::basic();
    site.write("in.txt", "Titre\nPartager\n\nUn texte assez long pour être le corps de la brève.\n");
    let run = site.run(&["import", "in.txt", "--lang", "en", "--into", "drafts", "--keep-all", "--dry-run"]);
    assert!(run.status.success(), "{}", run.stderr);
    assert!(run.stdout.contains("\nlang: en\n"), "--lang wins over detection");
    assert!(run.stdout.contains("\nPartager\n"), "--keep-all keeps the debris: {}", run.stdout);
    assert!(run.stderr.contains("drafts/titre.md"), "{}", run.stderr);
    let written = site.run(&["import", "in.txt", "--into", "drafts"]);
    assert!(written.status.success(), "{}", written.stderr);
    let text = std::fs::read_to_string(site.root().join("drafts/titre.md")).unwrap();
    let today = chrono_today(&site.root().join("in.txt"));
    assert!(text.contains(&format!("\ndate: {today}\n")), "the file's date: {text}");
    assert!(!text.contains("Partager"));
    let bad = run_in(site.root(), &["import", "in.txt", "--date", "yesterday"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(bad.stderr.contains("--date \"yesterday\" is not a date"), "{}", bad.stderr);
}

fn chrono_today(file: &Path) -> String {
    // The modification date of a file just written is today, in local time.
    let modified = std::fs::metadata(file).unwrap().modified().unwrap();
    let seconds = modified.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let run = std::process::Command::new("date").args(["-d", &format!("@{seconds}"), "+%Y-%m-%d"]).output().unwrap();
    String::from_utf8(run.stdout).unwrap().trim().to_string()
}

#[test]
fn further_credit_lines_become_media_entries_that_build_once_placed() {
    let site = TestSite::basic();
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/two-image-credits.txt");
    let run = site.run(&["import", "--date", "2022-03-04", &input.display().to_string()]);
    assert!(run.status.success(), "{}", run.stderr);
    assert!(run.stdout.contains("more credit:  \"Illustration: Atelier Nord, CC BY 4.0\""), "{}", run.stdout);
    let file = site.root().join("content/floods-in-the-valley-the-water-recedes.md");
    let errors = site.build_errors();
    assert_eq!(errors.iter().filter(|d| d.code == "image-placeholder").count(), 2, "lead and media: {errors:#?}");

    // Once the editor names the files and shows the second image in the body, it builds,
    // the second image credited as the text said.
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text.replacen("FILL-IN-image-file", "photo.png", 1).replacen("FILL-IN-image-file", "map.png", 1);
    std::fs::write(&file, format!("{text}\n![The flooded areas](map.png)\n")).unwrap();
    site.write_bytes("content/photo.png", &common::png(40, 30)).write_bytes("content/map.png", &common::png(20, 20));
    site.build();
    let page = site.page("/2022/03/floods-in-the-valley-the-water-recedes/");
    assert_eq!(page.text(".body-image figcaption"), "Image: a work by Atelier Nord, licensed under CC BY 4.0.");
}

/// A JPEG whose EXIF names its `Artist` and `Copyright`.
fn jpeg_by(artist: &str, copyright: &str) -> Vec<u8> {
    let (artist, copyright) = (format!("{artist}\0"), format!("{copyright}\0"));
    let mut exif = b"II*\0".to_vec();
    exif.extend_from_slice(&8u32.to_le_bytes());
    exif.extend_from_slice(&2u16.to_le_bytes());
    let values_at = 8 + 2 + 2 * 12 + 4;
    for (tag, value, at) in [(0x013Bu16, &artist, values_at), (0x8298, &copyright, values_at + artist.len())] {
        exif.extend_from_slice(&tag.to_le_bytes());
        exif.extend_from_slice(&2u16.to_le_bytes());
        exif.extend_from_slice(&(value.len() as u32).to_le_bytes());
        exif.extend_from_slice(&(at as u32).to_le_bytes());
    }
    exif.extend_from_slice(&0u32.to_le_bytes());
    exif.extend_from_slice(artist.as_bytes());
    exif.extend_from_slice(copyright.as_bytes());
    let mut jpeg = img_parts::jpeg::Jpeg::from_bytes(common::jpeg(640, 400).into()).unwrap();
    img_parts::ImageEXIF::set_exif(&mut jpeg, Some(exif.into()));
    jpeg.encoder().bytes().to_vec()
}

#[test]
fn an_image_beside_the_text_becomes_the_lead_image_with_the_credit_its_file_gives() {
    let site = TestSite::basic();
    // No credit sentence: the image block comes from the file.
    site.write("in/storm.txt", "Storm closes the harbour\n\nThe harbour closed on Monday as the storm reached the coast, the authority said.\n\nSource: Harbour authority\n");
    let photo = jpeg_by("Ana Lima", "© Ana Lima 2026");
    site.write_bytes("in/storm.JPG", &photo);
    // A credit sentence without author: the file's creator fills it in.
    site.write("in/quay.txt", "The north quay reopens\n\nThe north quay reopened on Friday to fishing boats, six weeks after the storm.\n\nSource: Harbour authority\n\nPhoto: Wikimedia Commons, CC BY 4.0\n");
    site.write_bytes("in/quay.png", &common::png(300, 200));
    site.write(
        "in/plain.txt",
        "No picture here\n\nThis brief has no image beside it, and no credit sentence either.\n\nSource: AFP\n",
    );
    let run = site.run(&["import", "--date", "2026-11-20", "in/storm.txt", "in/quay.txt", "in/plain.txt"]);
    assert!(run.status.success(), "{}", run.stderr);
    assert!(run.stdout.contains("file says:    creator Ana Lima, copyright \"© Ana Lima 2026\""), "{}", run.stdout);
    let storm = std::fs::read_to_string(site.root().join("content/storm-closes-the-harbour.md")).unwrap();
    assert!(
        storm.contains(
            "image:\n  src: storm-closes-the-harbour.jpg\n  alt: Storm closes the harbour\n  author: Ana Lima\n"
        ),
        "{storm}"
    );
    assert_eq!(std::fs::read(site.root().join("content/storm-closes-the-harbour.jpg")).unwrap(), photo);
    let quay = std::fs::read_to_string(site.root().join("content/the-north-quay-reopens.md")).unwrap();
    assert!(quay.contains("  src: the-north-quay-reopens.png\n"), "{quay}");
    assert!(site.root().join("content/the-north-quay-reopens.png").is_file());
    assert!(!std::fs::read_to_string(site.root().join("content/no-picture-here.md")).unwrap().contains("image:"));
    // They build as they are (a licence left to fill in is a warning), and the photo's
    // credit is the file's.
    let report = site.build();
    assert!(report.diagnostics.iter().all(|d| d.code != "image-metadata-differs"), "{:?}", report.diagnostics);
    let page = site.page("/2026/11/storm-closes-the-harbour/");
    assert!(page.text("figcaption").contains("Ana Lima"), "{}", page.text("figcaption"));
    // Importing again: the same image already there is no conflict; another one is.
    assert!(site.run(&["import", "--force", "in/storm.txt"]).status.success());
    site.write_bytes("content/storm-closes-the-harbour.jpg", &common::jpeg(10, 10));
    let refused = site.run(&["import", "in/storm.txt"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(refused.stderr.contains("storm-closes-the-harbour.jpg already exists"), "{}", refused.stderr);
    // Two candidates: the editor says which.
    site.write_bytes("in/storm.png", &common::png(20, 20));
    let ambiguous = site.run(&["import", "--dry-run", "in/storm.txt"]);
    assert!(ambiguous.stderr.contains("more than one image beside it"), "{}", ambiguous.stderr);
}
