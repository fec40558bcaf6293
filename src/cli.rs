//! Command-line interface definitions (clap), and what `--log-level` means.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::serve::Listen;

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
    /// How much scrapefeed logs (other crates log warnings and errors only); RUST_LOG,
    /// when set, decides instead.
    #[arg(long, global = true, value_enum, default_value_t = LogLevel::Info)]
    pub log_level: LogLevel,
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
        /// Only these feeds (with --once; the daemon always runs every feed in
        /// feeds.yaml).
        feeds: Vec<String>,
        /// Also serve output_dir over HTTP: at ADDR, or
        /// without one where `serve` would listen (put feed names before --serve).
        #[arg(long, value_name = "ADDR", num_args = 0..=1, conflicts_with = "once")]
        serve: Option<Option<Listen>>,
    },
    /// Serve output_dir over HTTP (refreshes nothing; runs beside a daemon).
    Serve {
        /// HOST:PORT (localhost:8080, 127.0.0.1:8080, [::1]:8080, :8080 for every
        /// interface). Default: settings.listen, else the address base_url names on
        /// this machine, else localhost:8080.
        #[arg(long, value_name = "ADDR")]
        listen: Option<Listen>,
    },
    /// Fetch a feed's page (or any URL or local file) and show the items it would get.
    Preview {
        /// A feed name from feeds.yaml, a URL, or a path to a saved page.
        target: String,
        /// How many items to show (--json shows them all).
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Show each item's author, image and summary too.
        #[arg(long, conflicts_with = "json")]
        long: bool,
        /// Print every item with every field as JSON.
        #[arg(long)]
        json: bool,
        /// For a saved page: the URL it was saved from (default: its canonical link).
        #[arg(long)]
        url: Option<String>,
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

/// `--log-level`: the most detailed messages scrapefeed writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub enum LogLevel {
    Error,
    Warn,
    Info,
    Debug,
    Trace,
}

impl LogLevel {
    /// The filter for `--log-level`: this level for scrapefeed's own messages, and
    /// at most warnings from the crates it uses (html5ever alone writes thousands of
    /// debug lines per page).
    pub fn filter(self) -> String {
        let word = |level: LogLevel| match level {
            LogLevel::Error => "error",
            LogLevel::Warn => "warn",
            LogLevel::Info => "info",
            LogLevel::Debug => "debug",
            LogLevel::Trace => "trace",
        };
        format!(
            "{},scrapefeed={}",
            word(self.min(LogLevel::Warn)),
            word(self)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::LogLevel;

    #[test]
    fn other_crates_never_log_more_than_warnings() {
        assert_eq!(LogLevel::Debug.filter(), "warn,scrapefeed=debug");
        assert_eq!(LogLevel::Info.filter(), "warn,scrapefeed=info");
        assert_eq!(LogLevel::Error.filter(), "error,scrapefeed=error");
    }
}
