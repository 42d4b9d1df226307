//! `depeche check`: every rule of `depeche build` (the same pipeline, rendering every page
//! into a sink that keeps nothing) without writing anything.

use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::error::{Error, Result};
use crate::pipeline::output::Contents;
use crate::pipeline::{Base, BuildOptions, Previous, Sink, load_briefs, read_config, run};

/// Checks the site in `options.root` and returns every diagnostic, errors included. What
/// stops the check itself (no such folder, an unreadable depeche.toml) is a diagnostic
/// too, so that tools reading `--format json` always get JSON.
pub fn check(options: &BuildOptions) -> Vec<Diagnostic> {
    if !options.root.is_dir() {
        let what = if options.root.exists() { "is not a folder" } else { "does not exist" };
        return vec![
            Diagnostic::error(
                Code::NoConfig,
                &options.root,
                format!("the site folder {} {what}", options.root.display()),
            )
            .with_help("pass --root SITE, the folder holding depeche.toml"),
        ];
    }
    let outcome = read_config(&options.root).and_then(|text| Base::load(&options.root, text)).and_then(|base| {
        let (site, diagnostics, _) = load_briefs(options, &base, None);
        // Pages are rendered to find template errors, and thrown away.
        run(&options.root, &base, &site, diagnostics, Previous::default(), &Discard)
    });
    match outcome {
        Ok(run) => run.diagnostics,
        Err(Error::Site(diagnostics)) => diagnostics,
        Err(Error::Io { action, path, source }) => {
            vec![Diagnostic::error(Code::Io, &path, format!("cannot {action} {}: {source}", path.display()))]
        }
        Err(other) => vec![Diagnostic::error(Code::Io, &options.root, other.to_string())],
    }
}

/// A sink that keeps nothing: `check` writes no file.
struct Discard;

impl Sink for Discard {
    fn put(&self, _path: &str, _contents: std::sync::Arc<Contents>) -> Result<Option<std::sync::Arc<Contents>>> {
        Ok(None)
    }
}

/// One diagnostic in the JSON report, for editors' tools and CI.
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    severity: Severity,
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
}

/// The JSON form: a list of {file, line, column, severity, code, message, help (when
/// there is one)}.
pub fn to_json(diagnostics: &[Diagnostic]) -> String {
    let list: Vec<JsonDiagnostic> = diagnostics
        .iter()
        .map(|d| JsonDiagnostic {
            file: d.path.to_string_lossy().replace('\\', "/"),
            line: d.line,
            column: d.column,
            severity: d.severity,
            code: d.code.as_str(),
            message: &d.message,
            help: d.help.as_deref(),
        })
        .collect();
    serde_json::to_string_pretty(&list).expect("diagnostics always serialise")
}
