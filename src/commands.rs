//! What the commands that go online print, and their exit status.

use std::path::Path;
use std::process::ExitCode;

use depeche::Error;
use depeche::online::SourceCheckReport;
use depeche::online::commons::{self, CommonsCredit};
use depeche::online::wayback::{Lookup, Outcome};

/// The line after `check --sources`'s diagnostics: what was asked and what was not.
pub fn sources_summary(report: &SourceCheckReport) -> String {
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let from_ledger = report.addresses - report.asked;
    let remembered = if from_ledger > 0 {
        format!(", {} as found by a recent run (--all asks again)", plural(from_ledger, "address", "addresses"))
    } else {
        String::new()
    };
    format!(
        "Sources: {} of {} on {}: {} asked{remembered}",
        plural(report.addresses, "address", "addresses"),
        plural(report.briefs, "brief", "briefs"),
        plural(report.hosts, "host", "hosts"),
        report.asked,
    )
}

/// `depeche archive`'s report: a line per source looked up, then a count. Fails when a
/// look-up failed (a copy that is simply missing is not a failure).
pub fn print_archive(lookups: &[Lookup], dry_run: bool) -> ExitCode {
    let (mut archived, mut missing, mut failed) = (0, 0, 0);
    for lookup in lookups {
        let who = format!("{}: source {} ({})", lookup.path.display(), lookup.source, lookup.name);
        match &lookup.outcome {
            Outcome::Archived { archive_url } => {
                archived += 1;
                let verb = if dry_run { "would add" } else { "added" };
                println!("{who}: {verb} archive_url: {archive_url}");
            }
            Outcome::NoCopy => {
                missing += 1;
                println!(
                    "{who}: no archived copy of {}; save one at https://web.archive.org/save/{}",
                    lookup.url, lookup.url
                );
            }
            Outcome::Failed(reason) => {
                failed += 1;
                eprintln!("error: {who}: {reason}");
            }
        }
    }
    if lookups.is_empty() {
        println!("Every source with an address has an archived copy: nothing to do.");
    } else {
        let written = if dry_run { "to write (dry run: nothing written)" } else { "written" };
        println!(
            "Archived copies found for {archived} of {} sources, {written}; {missing} without a copy, {failed} failed.",
            lookups.len()
        );
    }
    if failed > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

/// `depeche credit`: prints the credit, or writes it into a brief.
pub fn credit(url: &str, into: Option<&Path>, api: Option<url::Url>, root: &Path) -> ExitCode {
    let mut file = match commons::file_ref(url) {
        Ok(file) => file,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(api) = api {
        file.api = api;
    }
    let (settings, site) = site_settings(root);
    let credit = match commons::fetch(&file, &settings, site.as_ref()) {
        Ok(credit) => credit,
        Err(error) => return fail(&error),
    };
    if credit.non_free {
        let license = credit.license_as_written.as_deref().unwrap_or("no free licence");
        eprintln!(
            "error: {} is not freely licensed ({license}): its wiki keeps it under fair use, which does not extend to your site",
            file.title
        );
        return ExitCode::FAILURE;
    }
    warn_about(&credit);
    if credit.license.is_none() {
        let written = credit.license_as_written.as_deref().unwrap_or("none");
        eprintln!(
            "error: the file page's licence ({written}) is not one Depeche knows: look on {} for a Creative Commons licence or public-domain status",
            credit.source_url
        );
        if into.is_none() {
            print!("{}", credit.yaml());
        }
        return ExitCode::FAILURE;
    }
    match into {
        None => {
            print!("{}", credit.yaml());
            ExitCode::SUCCESS
        }
        Some(brief) => match commons::write_into(brief, &credit) {
            Ok(()) => {
                println!("Wrote the credit of {} into {}", file.title, brief.display());
                ExitCode::SUCCESS
            }
            Err(error) => fail(&error),
        },
    }
}

/// What the editor must know before using the file: restrictions beyond the licence, an
/// author the page does not give.
fn warn_about(credit: &CommonsCredit) {
    for restriction in &credit.restrictions {
        eprintln!("warning: {restriction}");
    }
    let needs_author =
        credit.license.is_some_and(|license| !license.id.starts_with("CC0") && license.id != "CC-PDM-1.0");
    if credit.author.is_none() && needs_author {
        eprintln!("warning: the file page names no author: find who made it on {}", credit.source_url);
    }
}

/// The `[sources]` settings and address of the site in `root`, or the defaults outside a
/// site.
fn site_settings(root: &Path) -> (depeche::config::SourceSettings, Option<url::Url>) {
    let Ok(bytes) = std::fs::read(root.join(depeche::config::CONFIG_FILE)) else {
        return Default::default();
    };
    match depeche::pipeline::parse_config(root, &bytes) {
        Ok((config, _)) => (config.sources, config.base_url),
        Err(_) => {
            eprintln!("warning: depeche.toml has errors (`depeche check` shows them): using the default settings");
            Default::default()
        }
    }
}

/// Prints a command's error; the site's diagnostics in full when it has some.
pub fn fail(error: &Error) -> ExitCode {
    if let Error::Site(diagnostics) = error {
        depeche::report::print(diagnostics, Path::new("."));
    } else {
        eprintln!("error: {error}");
    }
    ExitCode::FAILURE
}
