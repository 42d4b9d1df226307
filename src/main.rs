//! The `depeche` command: parse arguments, call the library, print diagnostics.

mod cli;
mod commands;

use std::path::Path;
use std::process::ExitCode;

use clap::Parser;
use depeche::import::{ImportOptions, LangChoice};
use depeche::online::SourceCheckOptions;
use depeche::{BuildOptions, Error, report};

use cli::{Cli, Command, Format};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build { root, output, drafts, fresh, now } => {
            let options = BuildOptions { root, output, include_drafts: drafts, fresh, now };
            depeche::build(&options).map(|report| {
                report::print(&report.diagnostics, Path::new("."));
                let warnings = report::summary(&report.diagnostics).map(|s| format!(", {s}")).unwrap_or_default();
                let reused = report.pages - report.rendered;
                let unchanged =
                    if reused > 0 { format!(" ({reused} unchanged since the last build)") } else { String::new() };
                let briefs = if report.briefs == 1 { "brief" } else { "briefs" };
                println!(
                    "Built {} {briefs}: {} pages{unchanged}, {} files in {} ms into {}{warnings}",
                    report.briefs,
                    report.pages,
                    report.files,
                    report.elapsed.as_millis(),
                    report.output.display()
                );
            })
        }
        Command::Serve { root, bind, port, open, drafts } => {
            if !bind.is_loopback() {
                eprintln!("warning: serving on {bind}: other machines on the network can read the preview");
            }
            let options = depeche::serve::ServeOptions {
                bind,
                port,
                open,
                include_drafts: drafts,
                ..depeche::serve::ServeOptions::new(root)
            };
            depeche::serve::run(options)
        }
        Command::Check { root, format, drafts, now, sources, changed, all } => {
            let options = BuildOptions { root, output: None, include_drafts: drafts, fresh: false, now };
            let mut diagnostics = depeche::check::check(&options);
            let mut checked_sources = None;
            if sources {
                let source_options =
                    SourceCheckOptions { site: options.clone(), changed_only: changed, ignore_ledger: all };
                match depeche::online::check_sources(&source_options) {
                    Ok(found) => {
                        diagnostics.extend(found.diagnostics.iter().cloned());
                        depeche::diagnostic::sort(&mut diagnostics);
                        checked_sources = Some(found);
                    }
                    Err(error) => {
                        eprintln!("error: the sources were not checked: {error}");
                        return ExitCode::FAILURE;
                    }
                }
            }
            match format {
                Format::Json => println!("{}", depeche::check::to_json(&diagnostics)),
                Format::Text => {
                    report::print(&diagnostics, Path::new("."));
                    let found = report::summary(&diagnostics).unwrap_or_else(|| "no problems".into());
                    println!("Checked {}: {found}", options.root.display());
                    if let Some(report) = checked_sources {
                        println!("{}", commands::sources_summary(&report));
                    }
                }
            }
            return if depeche::diagnostic::has_errors(&diagnostics) { ExitCode::FAILURE } else { ExitCode::SUCCESS };
        }
        Command::Archive { root, dry_run, drafts, api } => {
            let site = BuildOptions { include_drafts: drafts, ..BuildOptions::new(root) };
            let options = depeche::online::wayback::ArchiveOptions { site, api, dry_run };
            return match depeche::online::wayback::archive(&options) {
                Ok(lookups) => commands::print_archive(&lookups, dry_run),
                Err(error) => commands::fail(&error),
            };
        }
        Command::Credit { url, into, api, root } => return commands::credit(&url, into.as_deref(), api, &root),
        Command::Import { files, lang, into, date, dry_run, force, keep_all, root } => {
            let lang = if lang == "auto" { LangChoice::Auto } else { LangChoice::Given(lang) };
            let options = ImportOptions { root, lang, into, date, dry_run, force, keep_all };
            return match depeche::import::import_all(&files, &options) {
                Ok(results) => {
                    let mut failed = false;
                    for result in results {
                        match result {
                            // With --dry-run, standard output carries the Markdown alone.
                            Ok(imported) if dry_run => {
                                eprintln!("{}", depeche::import::report(&imported, dry_run));
                                print!("{}", imported.markdown);
                            }
                            Ok(imported) => println!("{}", depeche::import::report(&imported, dry_run)),
                            Err(error) => {
                                failed = true;
                                eprintln!("error: {error}");
                            }
                        }
                    }
                    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
                }
                Err(error) => {
                    eprintln!("error: {error}");
                    ExitCode::FAILURE
                }
            };
        }
        Command::New { title, lang, image, root } => {
            depeche::scaffold::new_brief(&root, &title, lang.as_deref(), image.as_deref()).map(|path| {
                println!("Wrote {}", path.display());
            })
        }
        Command::Init { dir } => depeche::scaffold::init(&dir).map(|files| {
            for file in files {
                println!("Wrote {}", file.display());
            }
            println!("Next: cd {} && depeche build", dir.display());
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            if let Error::Site(diagnostics) = &error {
                report::print(diagnostics, Path::new("."));
                let counts = report::summary(diagnostics).unwrap_or_else(|| error.to_string());
                eprintln!("Nothing was written: {counts}.");
            } else {
                eprintln!("error: {error}");
            }
            ExitCode::FAILURE
        }
    }
}
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
