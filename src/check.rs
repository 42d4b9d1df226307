//! `depeche check`: every rule of `depeche build` (it runs the same loading, validation
//! and rendering, in memory) without writing anything.

use serde::Serialize;

use crate::build::{BuildOptions, incremental, load_site};
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::{Error, Result};

/// Checks the site in `options.root` and returns every diagnostic, errors included.
/// `Err` only for problems that stop the check itself (no such folder, I/O).
pub fn check(options: &BuildOptions) -> Result<Vec<Diagnostic>> {
    if !options.root.is_dir() {
        return Err(Error::Usage(format!("site folder {} not found", options.root.display())));
    }
    match load_site(options) {
        Ok(loaded) => {
            let mut diagnostics = loaded.diagnostics.clone();
            // Pages are rendered to find template errors, and thrown away.
            incremental::render(
                &options.root,
                &loaded.site,
                &loaded.theme,
                &loaded.renderer,
                None,
                &Discard,
                &mut diagnostics,
            )?;
            Ok(diagnostics)
        }
        Err(Error::Site(diagnostics)) => Ok(diagnostics),
        Err(other) => Err(other),
    }
}

/// A sink that keeps nothing: `check` writes no file.
struct Discard;

impl incremental::Sink for Discard {
    fn put(
        &self,
        _path: &str,
        _contents: std::sync::Arc<crate::build::output::Contents>,
    ) -> Result<Option<std::sync::Arc<crate::build::output::Contents>>> {
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
}

/// The JSON form: a list of {file, line, column, severity, code, message}.
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
        })
        .collect();
    serde_json::to_string_pretty(&list).expect("diagnostics always serialise")
}
