//! Depeche: a static site generator for sourced news briefs.
//!
//! Data flows one way: files on disk → a typed, validated model ([`content`], [`config`],
//! [`license`]) → pages rendered from the site's plan ([`render`], [`build`]) → a staging
//! folder, exchanged with the output or moved into it file by file ([`build::output`]). The command-line interface in `main.rs` only parses arguments, calls
//! this library and prints its diagnostics ([`report`]).

pub mod check;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod error;
pub mod html_text;
pub mod images;
pub mod import;
pub mod license;
pub mod markdown;
pub mod online;
pub mod permalink;
pub mod pipeline;
pub mod render;
pub mod report;
pub mod rules;
pub mod scaffold;
pub mod serve;
pub mod site_files;
pub mod suggest;
pub mod typography;

pub use diagnostic::{Diagnostic, Severity};
pub use error::{Error, Result};
pub use pipeline::{BuildOptions, BuildReport, build};
