//! Checking raw configuration into the runtime `Config`: what the decoder cannot see
//! on its own (selectors, URLs, schedules in their time zone, feed names) is checked
//! here, every problem collected with its location, and per-feed values resolved
//! against `settings`.

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono_tz::Tz;
use url::Url;

use super::error::{ConfigError, ConfigErrors, ConfigWarning, Location, did_you_mean};
use super::raw::{self, RawConfig, RawFeed, RawFeedEntry, RawFeedSettings, RawField, Text};
use super::spanned::{Position, Spanned};
use super::value::{self, or};
use super::*;
use crate::fetch::request;
use crate::fetch::retry::RetryPolicy;
use crate::fetch::{ProxyChoice, RequestOptions};
use crate::schedule::{Schedule, ScheduleError};
use reqwest::header::HeaderMap;

pub(super) struct Checker<'a> {
    pub(super) path: &'a Path,
    pub(super) errors: Vec<ConfigError>,
    pub(super) warnings: Vec<ConfigWarning>,
    /// Decoding stopped early: there may be more problems than reported.
    pub(super) truncated: bool,
    /// Schedules parsed so far, by line and zone: feeds with the same line share one
    /// (a parsed schedule holds about a kilobyte; 10,000 feeds often have one line).
    schedules: HashMap<(String, Tz), Result<Schedule, ScheduleError>>,
}

impl<'a> Checker<'a> {
    pub(super) fn new(path: &'a Path) -> Self {
        Checker {
            path,
            errors: Vec::new(),
            warnings: Vec::new(),
            truncated: false,
            schedules: HashMap::new(),
        }
    }

    pub(super) fn error(&mut self, at: Position, feed: Option<&str>, message: impl Into<String>) {
        self.errors.push(ConfigError {
            location: Location::at(self.path, at),
            feed: feed.map(str::to_owned),
            message: message.into(),
        });
    }

    pub(super) fn warn(&mut self, at: Position, feed: Option<&str>, message: impl Into<String>) {
        self.warnings.push(ConfigWarning(ConfigError {
            location: Location::at(self.path, at),
            feed: feed.map(str::to_owned),
            message: message.into(),
        }));
    }

    /// Checks the decoded file. `feeds_key` is where `feeds:` is written, if it is.
    pub(super) fn check(
        mut self,
        raw: RawConfig,
        feeds_key: Option<Position>,
    ) -> Result<Config, ConfigErrors> {
        let settings = self.settings(&raw);
        let defaults = raw.settings.feed_settings();
        self.check_defaults(&defaults);
        let mut feeds = Vec::with_capacity(raw.feeds.0.len());
        for (key, entry) in &raw.feeds.0 {
            let slug = key.value.as_str();
            if super::decode::keys_of::<RawFeed>().contains(&slug) {
                self.error(
                    key.at,
                    Some(slug),
                    format!(
                        "`{slug}` is one of a feed's keys, so it cannot be a feed name: indent it under the feed it belongs to (or name the feed differently)"
                    ),
                );
                continue;
            }
            if !is_valid_slug(slug) {
                self.error(
                    key.at,
                    Some(slug),
                    "invalid feed name: use lower-case letters, digits, `-` and `_`, starting with a letter or digit (it names the output files)",
                );
            }
            if let Some(feed) = self.feed(key, entry, &defaults, settings.base_url.as_ref()) {
                self.name_fits(&feed, &settings.output_dir, key.at);
                feeds.push(feed);
            }
        }
        if raw.feeds.0.is_empty() && self.errors.is_empty() {
            let (at, message) = match feeds_key {
                Some(at) => (
                    at,
                    "`feeds` is empty: add a feed below it, e.g. `  my-news: https://example.com/news/`",
                ),
                None => (
                    Position::default(),
                    "no feeds: add a `feeds:` mapping of names to page URLs, e.g. `feeds:` and below it `  my-news: https://example.com/news/` (examples/feeds.yaml shows every key)",
                ),
            };
            self.error(at, None, message);
        }
        let path = self.path.to_path_buf();
        self.finish(Config {
            path,
            settings,
            feeds,
            warnings: Vec::new(),
        })
    }

    /// The config, or every error in file order.
    pub(super) fn finish(mut self, mut config: Config) -> Result<Config, ConfigErrors> {
        if self.errors.is_empty() {
            self.warnings.sort_by_key(|w| w.0.location.position());
            config.warnings = self.warnings;
            Ok(config)
        } else {
            Err(self.into_errors())
        }
    }

    pub(super) fn into_errors(mut self) -> ConfigErrors {
        self.errors.sort_by_key(|e| e.location.position());
        if self.truncated {
            self.errors.push(ConfigError {
                location: Location::new(self.path, 0, 0),
                feed: None,
                message: format!(
                    "stopped reading after {} problems: fix these and check again",
                    super::decode::MAX_FAULTS
                ),
            });
        }
        ConfigErrors(self.errors)
    }

    fn settings(&mut self, raw: &RawConfig) -> Settings {
        let s = &raw.settings;
        let base_url = s.base_url.as_ref().and_then(|text| {
            let mut url = self.url(text, None, "base_url", &["http", "https"])?;
            if !url.path().ends_with('/') {
                let path = format!("{}/", url.path());
                url.set_path(&path);
            }
            Some(url)
        });
        let websub_hub = self.websub_hub(s.websub_hub.as_ref(), base_url.is_some());
        let d = Settings::default();
        let mut settings = Settings {
            output_dir: s
                .output_dir
                .as_ref()
                .map_or_else(|| PathBuf::from("output"), |t| PathBuf::from(&t.value)),
            state_dir: s
                .state_dir
                .as_ref()
                .map_or_else(|| PathBuf::from("state"), |t| PathBuf::from(&t.value)),
            base_url,
            user_agent: s
                .user_agent
                .as_ref()
                .map_or(d.user_agent, |t| t.value.0.clone()),
            concurrency: or(&s.concurrency, d.concurrency),
            timeout: or(&s.timeout, d.timeout),
            connect_timeout: or(&s.connect_timeout, d.connect_timeout),
            max_body: or(&s.max_body, d.max_body),
            per_host: or(&s.per_host, d.per_host),
            host_delay: or(&s.host_delay, d.host_delay),
            run_at_start: or(&s.run_at_start, d.run_at_start),
            grace_period: or(&s.grace_period, d.grace_period),
            websub_hub,
            listen: s.listen.as_ref().map(|l| l.value.clone()),
            resolve: self.resolve(s.resolve.as_ref()),
        };
        settings.resolve_paths(self.path);
        self.folders(s, &settings);
        settings
    }

    /// `output_dir` and `state_dir` are folders, or can become ones; the store is not
    /// published with the feeds.
    fn folders(&mut self, s: &raw::RawSettings, settings: &Settings) {
        for (key, text, dir) in [
            ("output_dir", &s.output_dir, &settings.output_dir),
            ("state_dir", &s.state_dir, &settings.state_dir),
        ] {
            let at = text.as_ref().map_or(Position::default(), |t| t.at);
            if text.as_ref().is_some_and(|t| t.value.trim().is_empty()) {
                self.error(at, None, format!("{key} is empty: name a folder"));
            } else if let Some(problem) = places::folder_problem(key, dir) {
                self.error(at, None, problem);
            }
        }
        if places::is_within(&settings.state_dir, &settings.output_dir) {
            let at = s.state_dir.as_ref().map_or(Position::default(), |t| t.at);
            self.warn(
                at,
                None,
                format!(
                    "state_dir {} is inside output_dir {}: a web server serving output_dir would publish the item store",
                    settings.state_dir.display(),
                    settings.output_dir.display()
                ),
            );
        }
    }

    /// `resolve`: host names (not addresses) pinned to their addresses.
    fn resolve(
        &mut self,
        raw: Option<&Spanned<raw::OrderedMap<value::Addresses>>>,
    ) -> HashMap<String, Vec<IpAddr>> {
        let mut pins = HashMap::new();
        for (name, addresses) in raw.map_or(&[][..], |r| &r.value.0[..]) {
            let host = name.value.trim().trim_end_matches('.').to_ascii_lowercase();
            if host.is_empty() || host.parse::<IpAddr>().is_ok() {
                self.error(
                    name.at,
                    None,
                    format!(
                        "resolve: `{}` must be a host name (an address needs no pinning)",
                        name.value
                    ),
                );
                continue;
            }
            pins.insert(host, addresses.value.0.clone());
        }
        pins
    }

    /// A feed's request options: its own keys, else the `settings` defaults. Header
    /// names are checked here (values were checked while decoding), once for
    /// `settings` and once for each feed's own.
    fn request(
        &mut self,
        own: &RawFeedSettings,
        defaults: &RawFeedSettings,
        user_agent: Option<&Spanned<value::HeaderText>>,
        slug: Option<&str>,
    ) -> RequestOptions {
        let d = RequestOptions::default();
        let pick = |own: &Option<Spanned<bool>>, default: &Option<Spanned<bool>>, fallback| {
            or(own, or(default, fallback))
        };
        let mut headers = Checker::new(self.path).headers(defaults.headers.as_ref(), None);
        for (name, value) in &self.headers(own.headers.as_ref(), slug) {
            headers.insert(name.clone(), value.clone());
        }
        let text = |t: &Spanned<value::HeaderText>| t.value.0.clone();
        RequestOptions {
            user_agent: user_agent.map(text),
            accept_language: own
                .accept_language
                .as_ref()
                .or(defaults.accept_language.as_ref())
                .map(text),
            headers,
            proxy: own
                .proxy
                .as_ref()
                .or(defaults.proxy.as_ref())
                .map_or(ProxyChoice::Environment, |p| p.value.0.clone()),
            allow_private: pick(&own.allow_private, &defaults.allow_private, d.allow_private),
            robots_txt: pick(&own.robots_txt, &defaults.robots_txt, d.robots_txt),
            retry: RetryPolicy {
                retries: or(&own.retries, or(&defaults.retries, d.retry.retries)),
                budget: or(
                    &own.retry_budget,
                    or(&defaults.retry_budget, d.retry.budget),
                ),
            },
        }
    }

    /// `headers`: every name checked (and every value marked secret).
    fn headers(
        &mut self,
        raw: Option<&Spanned<raw::OrderedMap<value::HeaderText>>>,
        slug: Option<&str>,
    ) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in raw.map_or(&[][..], |r| &r.value.0[..]) {
            match request::header(&name.value, &value.value.0) {
                Ok((name, value)) => {
                    headers.insert(name, value);
                }
                Err(e) => self.error(name.at, slug, format!("headers: {e}")),
            }
        }
        headers
    }

    /// The hub must be an http(s) URL, and it is told the feeds' public URLs, so
    /// `base_url` must be set too.
    fn websub_hub(&mut self, text: Option<&Text>, has_base_url: bool) -> Option<Url> {
        let text = text?;
        let url = self.url(text, None, "websub_hub", &["http", "https"])?;
        if !has_base_url {
            self.error(
                text.at,
                None,
                "websub_hub needs base_url: the hub is told each feed's public URL, which is made from it",
            );
        }
        Some(url)
    }

    /// Per-feed defaults in `settings` are checked once here; a feed that inherits an
    /// invalid default does not repeat the error.
    fn check_defaults(&mut self, defaults: &RawFeedSettings) {
        let tz = or(&defaults.timezone, Tz::UTC);
        if let Some(text) = &defaults.schedule {
            self.schedule(text, tz, None);
        }
        self.formats(defaults.formats.as_ref(), None);
        self.headers(defaults.headers.as_ref(), None);
    }

    fn feed(
        &mut self,
        key: &Text,
        entry: &Spanned<RawFeedEntry>,
        defaults: &RawFeedSettings,
        base_url: Option<&Url>,
    ) -> Option<Feed> {
        let slug = key.value.as_str();
        let empty = RawFeed::default();
        let (url_text, raw) = match &entry.value {
            RawFeedEntry::Url(url) => (Spanned::new(url.clone(), entry.at), &empty),
            RawFeedEntry::Full(raw) => match &raw.url {
                Some(url) => (url.clone(), raw.as_ref()),
                None => {
                    self.error(
                        key.at,
                        Some(slug),
                        "missing `url`: the page to turn into a feed",
                    );
                    return None;
                }
            },
        };
        let url = self.url(&url_text, Some(slug), "", &["http", "https", "file"]);
        let own = raw.feed_settings();
        let items = raw.items.as_ref().and_then(|text| self.items(text, slug));
        let fields = self.fields(raw, slug);
        let timezone = own
            .timezone
            .as_ref()
            .or(defaults.timezone.as_ref())
            .map_or(Tz::UTC, |tz| tz.value.0);
        let formats = match &own.formats {
            Some(formats) => self.formats(Some(formats), Some(slug)),
            // An invalid default was reported once; the feed takes what was valid.
            None => Checker::new(self.path).formats(defaults.formats.as_ref(), None),
        };
        let schedule = match &own.schedule {
            Some(text) => self.schedule(text, timezone, Some(slug)),
            None => {
                let line = defaults
                    .schedule
                    .as_ref()
                    .map_or(DEFAULT_SCHEDULE, |t| t.value.as_str());
                self.parse_schedule(line, timezone)
                    .or_else(|_| self.parse_schedule(DEFAULT_SCHEDULE, timezone))
                    .ok()
            }
        };
        let request = self.request(&own, defaults, raw.user_agent.as_ref(), Some(slug));
        if !request.robots_txt {
            let at = own
                .robots_txt
                .as_ref()
                .or(defaults.robots_txt.as_ref())
                .map_or(key.at, |b| b.at);
            self.warnings.push(ConfigWarning(ConfigError {
                location: Location::at(self.path, at),
                feed: Some(slug.to_owned()),
                message:
                    "ignores robots.txt (robots_txt: false): fetch it only with the site's consent"
                        .into(),
            }));
        }
        let include = self.filters(&raw.include, slug);
        let exclude = self.filters(&raw.exclude, slug);
        let inherit = |own: &Option<Spanned<usize>>, default: &Option<Spanned<usize>>, fallback| {
            or(own, or(default, fallback))
        };
        let max_items = or(&own.max_items, or(&defaults.max_items, 50));
        let max_history = own.max_history.as_ref().or(defaults.max_history.as_ref());
        if let Some(history) = max_history
            && history.value < max_items
        {
            self.error(
                history.at,
                Some(slug),
                format!(
                    "`max_history` ({}) must be at least `max_items` ({max_items}): the feed shows items from its history",
                    history.value
                ),
            );
        }
        let max_history = max_history.map_or(DEFAULT_MAX_HISTORY.max(max_items), |h| h.value);
        let (url, schedule) = (url?, schedule?);
        let date_format = raw.date_format.as_ref().map(|t| t.value.0.clone());
        let mut feed = Feed {
            slug: slug.to_owned(),
            url,
            title: raw.title.as_ref().map(|t| t.value.clone()),
            description: raw.description.as_ref().map(|t| t.value.clone()),
            items,
            fields,
            date_format,
            include,
            exclude,
            schedule,
            timezone,
            formats,
            max_items,
            max_history,
            keep: or(
                &own.keep,
                or(&defaults.keep, Duration::from_secs(30 * 86_400)),
            ),
            summary_length: inherit(&own.summary_length, &defaults.summary_length, 500),
            min_title_length: inherit(&own.min_title_length, &defaults.min_title_length, 1),
            stale_after: or(
                &own.stale_after,
                or(&defaults.stale_after, DEFAULT_STALE_AFTER),
            ),
            error_items: or(&own.error_items, or(&defaults.error_items, false)),
            request,
            location: Location::at(self.path, key.at),
            fingerprint: String::new(),
        };
        feed.fingerprint = fingerprint::of(&feed, &raw.fields, base_url);
        Some(feed)
    }

    /// Every file the feed writes, temporary ones included, fits a file name.
    fn name_fits(&mut self, feed: &Feed, output_dir: &Path, at: Position) {
        let longest = places::longest_feed_name(output_dir, &feed.formats);
        let length = feed.slug.len();
        if length > longest {
            self.error(
                at,
                Some(&feed.slug),
                format!(
                    "the feed name is {length} characters long; at most {longest} fit, because its longest file, the temporary `.<name>.{}.<pid>.scrapefeed-tmp`, must stay within the file-name limit of {} bytes",
                    feed.formats.iter().map(|f| f.extension()).max_by_key(|e| e.len()).unwrap_or("xml"),
                    places::name_max(output_dir)
                ),
            );
        }
    }

    fn items(&mut self, text: &Text, slug: &str) -> Option<CardSelector> {
        match field::compile_selector(&text.value) {
            Ok(Some(selector)) => Some(CardSelector {
                source: text.value.trim().to_owned(),
                selector,
            }),
            Ok(None) => {
                self.error(
                    text.at,
                    Some(slug),
                    "`items` must select the cards, e.g. \"article\" or \"ul.news > li\"",
                );
                None
            }
            Err(e) => {
                self.error(text.at, Some(slug), format!("items: {e}"));
                None
            }
        }
    }

    /// A schedule that parses, still has times to come, and does what it says (or a
    /// warning says what it really does).
    fn schedule(&mut self, text: &Text, tz: Tz, slug: Option<&str>) -> Option<Schedule> {
        let schedule = self
            .parse_schedule(&text.value, tz)
            .map_err(|e| self.error(text.at, slug, e.to_string()))
            .ok()?;
        if schedule.next_after(chrono::Utc::now()).is_none() {
            self.error(
                text.at,
                slug,
                format!(
                    "schedule {:?} has no time left to run: its last time is in the past",
                    text.value
                ),
            );
            return None;
        }
        for surprise in schedule.surprises() {
            let key = if slug.is_some() {
                "schedule"
            } else {
                "settings.schedule"
            };
            self.warn(text.at, slug, format!("{key}: {surprise}"));
        }
        Some(schedule)
    }

    /// `Schedule::parse`, once per distinct line and zone.
    fn parse_schedule(&mut self, line: &str, tz: Tz) -> Result<Schedule, ScheduleError> {
        self.schedules
            .entry((line.to_owned(), tz))
            .or_insert_with(|| Schedule::parse(line, tz))
            .clone()
    }

    /// A URL whose scheme is one of `schemes`, with a fix for the usual slips.
    fn url(&mut self, text: &Text, slug: Option<&str>, key: &str, schemes: &[&str]) -> Option<Url> {
        let value = text.value.trim();
        let what = if key.is_empty() {
            String::new()
        } else {
            format!("{key} ")
        };
        let problem = match Url::parse(value) {
            Ok(url) if !schemes.contains(&url.scheme()) => format!(
                "unsupported {what}URL `{url}`: use {}",
                schemes.join(", ").replacen(", file", " or file", 1)
            ),
            Ok(url) if url.scheme() == "file" && url.to_file_path().is_err() => format!(
                "{what}`{value}` is not a local file: a file URL has three slashes, e.g. file:///home/me/page.html"
            ),
            Ok(url) if url.scheme() != "file" && url.host().is_none() => {
                format!("{what}URL `{value}` has no host")
            }
            Ok(url) => return Some(url),
            Err(url::ParseError::RelativeUrlWithoutBase) => relative_hint(value, &what, schemes),
            Err(e) => format!("invalid {what}URL `{value}`: {e}"),
        };
        self.error(text.at, slug, problem);
        None
    }

    fn fields(&mut self, raw: &RawFeed, slug: &str) -> Fields {
        let mut compile = |field: &Option<Spanned<RawField>>, name: &str| {
            let field = field.as_ref()?;
            FieldRule::compile(&field.value, name)
                .map_err(|e| {
                    self.error(
                        e.at.unwrap_or(field.at),
                        Some(slug),
                        format!("fields.{name}: {}", e.message),
                    )
                })
                .ok()
        };
        let f = &raw.fields;
        Fields {
            id: compile(&f.id, "id"),
            title: compile(&f.title, "title"),
            link: compile(&f.link, "link"),
            date: compile(&f.date, "date"),
            summary: compile(&f.summary, "summary"),
            author: compile(&f.author, "author"),
            image: compile(&f.image, "image"),
        }
    }

    fn formats(&mut self, formats: Option<&Spanned<Vec<Text>>>, slug: Option<&str>) -> Vec<Format> {
        let Some(formats) = formats else {
            return vec![Format::Rss, Format::Atom];
        };
        let mut out = Vec::new();
        for name in &formats.value {
            match name.value.trim().to_ascii_lowercase().as_str() {
                "rss" => out.push(Format::Rss),
                "atom" => out.push(Format::Atom),
                "json" => out.push(Format::Json),
                other => {
                    let hint = did_you_mean(other, &Format::ALL)
                        .map_or_else(String::new, |h| format!(" — did you mean `{h}`?"));
                    self.error(
                        name.at,
                        slug,
                        format!("unknown format `{other}` (use rss, atom or json){hint}"),
                    );
                }
            }
        }
        if formats.value.is_empty() {
            self.error(
                formats.at,
                slug,
                "`formats` is empty: name at least one of rss, atom, json",
            );
        }
        out.sort();
        out.dedup();
        out
    }

    fn filters(&mut self, raw: &[Spanned<raw::RawFilter>], slug: &str) -> Vec<Filter> {
        let mut out = Vec::new();
        for filter in raw {
            let field = match filter.value.field.as_ref() {
                None => FilterField::Title,
                Some(field) => {
                    match field.value.as_str() {
                        "title" => FilterField::Title,
                        "link" => FilterField::Link,
                        "summary" => FilterField::Summary,
                        "author" => FilterField::Author,
                        other => {
                            self.error(
                            field.at,
                            Some(slug),
                            format!("cannot filter on `{other}` (use title, link, summary or author)"),
                        );
                            continue;
                        }
                    }
                }
            };
            out.push(Filter {
                field,
                regex: filter.value.regex.value.0.clone(),
            });
        }
        out
    }
}

/// What to write instead of a URL without a scheme.
fn relative_hint(value: &str, what: &str, schemes: &[&str]) -> String {
    let looks_like_path =
        value.starts_with(['/', '.', '~']) || value.ends_with(".html") || value.ends_with(".htm");
    if looks_like_path && schemes.contains(&"file") {
        let absolute = if value.starts_with('/') {
            format!("file://{value}")
        } else {
            "file:///full/path/to/the/page.html".to_owned()
        };
        return format!("{what}`{value}` is a file path, not a URL: use {absolute}");
    }
    if !value.is_empty() && !value.contains(char::is_whitespace) && value.contains('.') {
        return format!("{what}`{value}` has no scheme: add https:// (`https://{value}`)");
    }
    format!("invalid {what}URL `{value}`: a URL starts with https://")
}
