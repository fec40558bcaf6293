//! feeds.yaml: loaded once, checked completely, turned into a runtime `Config`.
//!
//! Raw serde types (`raw`) mirror the file. `load` turns them into `Config`, whose
//! selectors are compiled, URLs parsed, slugs checked and durations converted, so every
//! configuration error appears at load time with its file, line and column — never at
//! the first fetch. All problems are collected, not just the first.

mod check;
mod compare;
mod decode;
mod error;
mod fault;
pub mod field;
mod fingerprint;
mod node;
mod places;
mod raw;
mod source;
mod spanned;
mod units;
mod value;
mod yaml;

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono_tz::Tz;
use regex::Regex;
use scraper::Selector;
use url::Url;

use crate::fetch::RequestOptions;
use crate::schedule::Schedule;
use crate::serve::Listen;

pub use error::{ConfigError, ConfigErrors, ConfigWarning, Location, did_you_mean};
pub use field::{FieldRule, Read, Scope};
pub use units::{parse_duration, parse_size};

/// The default configuration path.
pub const DEFAULT_PATH: &str = "feeds.yaml";

/// Every 30 minutes.
pub const DEFAULT_SCHEDULE: &str = "*/30 * * * *";

/// How long a feed may go on failing before it counts as stale: two days.
pub const DEFAULT_STALE_AFTER: Duration = Duration::from_secs(2 * 86_400);

/// The most items a feed keeps in the store unless `max_history` says otherwise.
pub const DEFAULT_MAX_HISTORY: usize = 5000;

/// The checked configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub path: PathBuf,
    pub settings: Settings,
    pub feeds: Vec<Feed>,
    /// Valid but probably not meant (`check` prints them, `run` logs them).
    pub warnings: Vec<ConfigWarning>,
}

/// Process-wide settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub output_dir: PathBuf,
    pub state_dir: PathBuf,
    /// Where `output_dir` is served; self links are made from it.
    pub base_url: Option<Url>,
    pub user_agent: String,
    /// How many feeds refresh at once.
    pub concurrency: usize,
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub max_body: u64,
    /// How many requests one host may have in flight at once.
    pub per_host: usize,
    /// The least time between two requests to one host.
    pub host_delay: Duration,
    /// Whether the daemon refreshes every feed once at start.
    pub run_at_start: bool,
    /// How long shutdown waits for refreshes in flight.
    pub grace_period: Duration,
    /// The WebSub hub told about every change of a feed's files (needs `base_url`).
    pub websub_hub: Option<Url>,
    /// Where `serve` and `run --serve` listen (default: from `base_url`).
    pub listen: Option<Listen>,
    /// Host names pinned to addresses (`resolve`), still subject to the SSRF guard.
    pub resolve: HashMap<String, Vec<IpAddr>>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            output_dir: PathBuf::from("output"),
            state_dir: PathBuf::from("state"),
            base_url: None,
            user_agent: default_user_agent(),
            concurrency: 4,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_body: 10 << 20,
            per_host: 1,
            host_delay: Duration::from_secs(1),
            run_at_start: true,
            grace_period: Duration::from_secs(30),
            websub_hub: None,
            listen: None,
            resolve: HashMap::new(),
        }
    }
}

impl Settings {
    /// Relative `output_dir` and `state_dir` are relative to the folder of the
    /// configuration file, so every command run with the same feeds.yaml uses the same
    /// store and output wherever it is started from. The paths become absolute.
    fn resolve_paths(&mut self, config_path: &Path) {
        let folder = config_path.parent().unwrap_or(Path::new(""));
        for dir in [&mut self.output_dir, &mut self.state_dir] {
            let joined = folder.join(&*dir);
            *dir = std::path::absolute(&joined).unwrap_or(joined);
        }
    }
}

impl Feed {
    /// A feed for a bare URL with every default (used by `preview URL` and `suggest`).
    pub fn adhoc(url: Url) -> Feed {
        Feed {
            slug: "preview".into(),
            fingerprint: crate::digest::Digest::new().text(url.as_str()).hex(),
            url,
            title: None,
            description: None,
            items: None,
            fields: Fields::default(),
            date_format: None,
            include: Vec::new(),
            exclude: Vec::new(),
            schedule: Schedule::parse(DEFAULT_SCHEDULE, Tz::UTC)
                .expect("the default schedule is valid"),
            timezone: Tz::UTC,
            formats: vec![Format::Rss, Format::Atom],
            max_items: 50,
            max_history: DEFAULT_MAX_HISTORY,
            keep: Duration::from_secs(30 * 86_400),
            summary_length: 500,
            min_title_length: 1,
            stale_after: DEFAULT_STALE_AFTER,
            error_items: false,
            request: RequestOptions::default(),
            location: Location::new(Path::new("<command line>"), 0, 0),
        }
    }
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Rss,
    Atom,
    Json,
}

impl Format {
    pub const ALL: [&str; 3] = ["rss", "atom", "json"];
    /// Every format, in the order they are listed and linked.
    pub const EVERY: [Format; 3] = [Format::Rss, Format::Atom, Format::Json];

    /// The output file's extension; it names no other file scrapefeed writes.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Rss => "xml",
            Format::Atom => "atom",
            Format::Json => "json",
        }
    }

    /// The media type readers and autodiscovery expect.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Rss => "application/rss+xml",
            Format::Atom => "application/atom+xml",
            Format::Json => "application/feed+json",
        }
    }

    /// The format's name as people know it.
    pub fn label(self) -> &'static str {
        match self {
            Format::Rss => "RSS",
            Format::Atom => "Atom",
            Format::Json => "JSON Feed",
        }
    }
}

/// One configured feed.
#[derive(Debug, Clone)]
pub struct Feed {
    /// The feed's key in feeds.yaml; names its output files.
    pub slug: String,
    pub url: Url,
    pub title: Option<String>,
    pub description: Option<String>,
    /// The card selector; `None` means cards are detected automatically.
    pub items: Option<CardSelector>,
    pub fields: Fields,
    pub date_format: Option<String>,
    pub include: Vec<Filter>,
    pub exclude: Vec<Filter>,
    pub schedule: Schedule,
    pub timezone: Tz,
    pub formats: Vec<Format>,
    pub max_items: usize,
    /// The most items the store keeps for the feed (those seen longest ago go first).
    pub max_history: usize,
    pub keep: Duration,
    pub summary_length: usize,
    pub min_title_length: usize,
    /// How long the feed may keep failing before it is stale (health, `status`).
    pub stale_after: Duration,
    /// Once stale, the feed shows its readers one item saying so (`error_items`).
    pub error_items: bool,
    /// How its page is requested: headers, user agent, proxy, reach, robots.txt, retries.
    pub request: RequestOptions,
    /// Where the feed is defined, for messages.
    pub location: Location,
    /// A digest of everything that decides what the feed fetches and extracts; when it
    /// changes, cached HTTP validators and remembered detections are dropped.
    pub fingerprint: String,
}

/// A compiled card selector with its source text.
#[derive(Debug, Clone)]
pub struct CardSelector {
    pub source: String,
    pub selector: Selector,
}

/// Field rules; a field left out uses the default finder for it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields {
    pub id: Option<FieldRule>,
    pub title: Option<FieldRule>,
    pub link: Option<FieldRule>,
    pub date: Option<FieldRule>,
    pub summary: Option<FieldRule>,
    pub author: Option<FieldRule>,
    pub image: Option<FieldRule>,
}

/// An `include`/`exclude` rule: a regex on one field.
#[derive(Debug, Clone)]
pub struct Filter {
    pub field: FilterField,
    pub regex: Regex,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterField {
    Title,
    Link,
    Summary,
    Author,
}

impl Config {
    pub fn feed(&self, slug: &str) -> Option<&Feed> {
        self.feeds.iter().find(|f| f.slug == slug)
    }

    /// Where a feed's output file of `format` is written.
    pub fn output_path(&self, feed: &Feed, format: Format) -> PathBuf {
        self.settings
            .output_dir
            .join(format!("{}.{}", feed.slug, format.extension()))
    }
}

/// Reads and checks a configuration file.
pub fn load(path: &Path) -> Result<Config, ConfigErrors> {
    let text = source::read(path).map_err(|message| {
        ConfigErrors(vec![ConfigError {
            location: Location::new(path, 0, 0),
            feed: None,
            message,
        }])
    })?;
    parse(&text, path)
}

/// Checks configuration text; `path` is used in messages and to name the config.
pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigErrors> {
    let root = yaml::parse(text).map_err(|e| {
        ConfigErrors(vec![ConfigError {
            location: Location::new(path, e.at.line, e.at.column),
            feed: yaml::feed_at_line(text, e.at.line),
            message: e.message,
        }])
    })?;
    let (raw, faults) = decode::decode::<raw::RawConfig>(&root);
    let mut checker = check::Checker::new(path);
    checker.truncated = faults.len() >= decode::MAX_FAULTS;
    for fault in &faults {
        let worded = fault::word(fault, &root);
        checker.error(worded.at, worded.feed.as_deref(), worded.message);
    }
    let feeds_key = root
        .entries()
        .iter()
        .find(|(key, _)| key.text() == Some("feeds"))
        .map(|(key, _)| key.at);
    match raw {
        Some(raw) => checker.check(raw, feeds_key),
        None => Err(checker.into_errors()),
    }
}

/// Feed names become file names: keep them simple and safe.
pub fn is_valid_slug(slug: &str) -> bool {
    let mut chars = slug.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// One honest User-Agent naming the program, its version and where to learn about it.
pub fn default_user_agent() -> String {
    format!("scrapefeed/{}", env!("CARGO_PKG_VERSION"))
}

#[cfg(test)]
mod tests;
