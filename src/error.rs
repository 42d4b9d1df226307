//! The library's error type: what stops a command.

use std::path::PathBuf;

use crate::diagnostic::Diagnostic;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Problems in the site's own files, all of them, in file and line order.
    #[error("{} error(s) in the site", .0.iter().filter(|d| d.is_error()).count())]
    Site(Vec<Diagnostic>),

    #[error("refusing to use {} as the output folder: {reason}", path.display())]
    UnsafeOutput { path: PathBuf, reason: String },

    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The preview could not watch the site's files.
    #[error("cannot watch {}: {source}", path.display())]
    Watch {
        path: PathBuf,
        #[source]
        source: notify::Error,
    },

    /// The preview's server thread ended before it could answer.
    #[error("the preview server stopped before it could serve")]
    ServerStopped,

    /// A command that goes online could not do its work (an API that does not answer,
    /// an answer that says nothing usable).
    #[error("{0}")]
    Network(String),

    /// A command asked for something that cannot be done as asked (a missing folder, a
    /// file that exists already).
    #[error("{0}")]
    Usage(String),
}

impl Error {
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { action, path: path.into(), source }
    }

    /// The diagnostics of a site error; empty for other errors.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Site(diagnostics) => diagnostics,
            _ => &[],
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
