//! The command line, as clap types.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "depeche",
    version,
    about = "Static sites for sourced news briefs: sources and image licences as checked data"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into its output folder (SITE/public by default).
    Build {
        /// The site folder, holding depeche.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site: a new or empty folder, or a previous build; untouched on
        /// failure.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Include briefs marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Ignore every cache of previous builds: parse every brief, render every page and
        /// replace the output whole.
        #[arg(long)]
        fresh: bool,
        /// Build as of this moment (RFC 3339, or YYYY-MM-DD): briefs dated later stay
        /// embargoed, briefs expired by then are left out. Default: now.
        #[arg(long, value_parser = parse_moment)]
        now: Option<depeche::content::Moment>,
    },
    /// Preview the site: build it in memory, serve it, rebuild on save and reload the browser.
    Serve {
        /// The site folder, holding depeche.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on; loopback unless you need another machine to see it.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// The port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Include briefs marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Check every brief, source and credit without writing anything; exit status 1 on errors.
    Check {
        /// The site folder, holding depeche.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// `text` for people, `json` for editors' tools and CI.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Include briefs marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Check the site as of this moment (RFC 3339, or YYYY-MM-DD). Default: now.
        #[arg(long, value_parser = parse_moment)]
        now: Option<depeche::content::Moment>,
        /// Also ask every source's `url` and `archive_url`, and every image's `source_url`
        /// and `author_url`, whether they still answer (the only check that goes online).
        #[arg(long)]
        sources: bool,
        /// With --sources: only the briefs changed since the last --sources run.
        #[arg(long, requires = "sources")]
        changed: bool,
        /// With --sources: ask again for every address, even those checked recently.
        #[arg(long, requires = "sources")]
        all: bool,
    },
    /// Fill in each source's missing `archive_url` from the Internet Archive's Wayback
    /// Machine, editing the briefs in place.
    Archive {
        /// The site folder, holding depeche.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Print what would change and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Include briefs marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// The availability API to ask (a mirror, or a test server).
        #[arg(long, default_value = depeche::online::wayback::DEFAULT_API)]
        api: url::Url,
    },
    /// Print a ready `image:` credit for a Wikimedia Commons file (its page, its upload
    /// address, or a Wikipedia File:/Fichier: page), read from the file's page.
    Credit {
        /// The file's address.
        url: String,
        /// Write the credit into this brief's front matter instead of printing it.
        #[arg(long)]
        into: Option<PathBuf>,
        /// The MediaWiki API to ask instead of the file's own wiki (a mirror, or a test
        /// server).
        #[arg(long)]
        api: Option<url::Url>,
        /// The site folder, for its depeche.toml ([sources] settings, the site's address).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Turn plain-text briefs into Markdown briefs with structured sources and image credits.
    Import {
        /// Plain-text files: title on the first line, then paragraphs, a "Source:" line and
        /// an image credit sentence.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The briefs' language: detected from the text by default.
        #[arg(long, default_value = "auto")]
        lang: String,
        /// Where to write the briefs (default: the site's content/).
        #[arg(long)]
        into: Option<PathBuf>,
        /// The briefs' date, YYYY-MM-DD (default: each file's modification date).
        #[arg(long)]
        date: Option<String>,
        /// Print the Markdown to standard output and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Replace briefs that already exist.
        #[arg(long)]
        force: bool,
        /// Keep short lines between the title and the body (menu labels, buttons).
        #[arg(long)]
        keep_all: bool,
        /// The site folder, for its content/ and default language.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Write a new brief with a front-matter skeleton into content/.
    New {
        /// The brief's title; its slug names the file ("Élections à Paris" → elections-a-paris.md).
        title: String,
        /// The brief's language (default: the site's).
        #[arg(long)]
        lang: Option<String>,
        /// Start an `image:` block for this file (in content/ or static/), its author taken
        /// from the file's own metadata (XMP or EXIF).
        #[arg(long)]
        image: Option<PathBuf>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Scaffold a new site: depeche.toml and content/ with one example brief.
    Init {
        /// The folder to create the site in.
        dir: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// `--now`: a moment as a brief's `date` is written (RFC 3339, or a day, read as its
/// midnight UTC).
fn parse_moment(text: &str) -> Result<depeche::content::Moment, String> {
    depeche::content::BriefDate::read(text).map(|date| date.datetime)
}
