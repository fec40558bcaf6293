//! Command-line interface definitions.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "scrapefeed",
    version,
    about = "Turns web pages without feeds into RSS and Atom feeds"
)]
pub struct Cli {
    /// The configuration file.
    #[arg(long, global = true, env = "SCRAPEFEED_CONFIG", default_value = crate::config::DEFAULT_PATH)]
    pub config: PathBuf,
    /// Log level (error, warn, info, debug, trace); RUST_LOG overrides it.
    #[arg(long, global = true, default_value = "info")]
    pub log_level: String,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate feeds.yaml without fetching anything.
    Check,
    /// Refresh feeds: as a daemon on their schedules, or once with --once.
    Run {
        /// One pass over the feeds, then exit (non-zero if any feed failed).
        #[arg(long)]
        once: bool,
        /// Only these feeds (with --once).
        feeds: Vec<String>,
    },
    /// Fetch a feed's page (or any URL or local file) and show the items it would get.
    Preview {
        /// A feed name from feeds.yaml, a URL, or a path to a saved page.
        target: String,
        /// How many items to show.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Find the article cards on a page and print a ready-to-paste feeds.yaml entry.
    Suggest {
        /// A URL or a path to a saved page.
        target: String,
        /// For a saved page: the URL it was saved from (default: its canonical link).
        #[arg(long)]
        url: Option<String>,
    },
    /// Show each feed's health from the store.
    Status {
        /// Print JSON for scripts.
        #[arg(long)]
        json: bool,
    },
}
