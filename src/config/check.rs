//! Checking raw configuration into the runtime `Config`: every value validated, every
//! problem collected with its location, per-feed values resolved against `settings`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono_tz::Tz;
use regex::Regex;
use serde_saphyr::Spanned;
use url::Url;

use super::error::{ConfigError, ConfigErrors, Location, did_you_mean};
use super::raw::{self, RawConfig, RawFeed, RawFeedEntry, RawFeedSettings, RawField, Text};
use super::units::{parse_duration, parse_size};
use super::*;
use crate::schedule::Schedule;

pub(super) struct Checker<'a> {
    pub(super) path: &'a Path,
    pub(super) errors: Vec<ConfigError>,
}

impl Checker<'_> {
    fn error(
        &mut self,
        at: &serde_saphyr::Location,
        feed: Option<&str>,
        message: impl Into<String>,
    ) {
        self.errors.push(ConfigError {
            location: Location::of(self.path, at),
            feed: feed.map(str::to_owned),
            message: message.into(),
        });
    }

    pub(super) fn check(mut self, raw: RawConfig) -> Result<Config, ConfigErrors> {
        let settings = self.settings(&raw);
        let defaults = raw.settings.feed_settings();
        self.check_defaults(&defaults);
        let mut feeds = Vec::new();
        let mut seen: BTreeMap<String, Location> = BTreeMap::new();
        for (key, entry) in &raw.feeds.0 {
            let slug = key.value.as_str();
            if !is_valid_slug(slug) {
                self.error(
                    &key.referenced,
                    Some(slug),
                    "invalid feed name: use lower-case letters, digits, `-` and `_`, starting with a letter or digit (it names the output files)",
                );
            }
            if let Some(first) = seen.get(slug) {
                let message = format!(
                    "duplicate feed name: already defined at line {}",
                    first.line
                );
                self.error(&key.referenced, Some(slug), message);
                continue;
            }
            seen.insert(slug.to_owned(), Location::of(self.path, &key.referenced));
            if let Some(feed) = self.feed(key, entry, &defaults) {
                feeds.push(feed);
            }
        }
        if raw.feeds.0.is_empty() {
            self.errors.push(ConfigError {
                location: Location::new(self.path, 0, 0),
                feed: None,
                message: "no feeds configured: add a `feeds:` mapping of names to page URLs".into(),
            });
        }
        if self.errors.is_empty() {
            Ok(Config {
                path: self.path.to_path_buf(),
                settings,
                feeds,
            })
        } else {
            Err(ConfigErrors(self.errors))
        }
    }

    fn settings(&mut self, raw: &RawConfig) -> Settings {
        let s = &raw.settings;
        let base_url = s
            .base_url
            .as_ref()
            .and_then(|text| match Url::parse(&text.value) {
                Ok(url) if matches!(url.scheme(), "http" | "https") => {
                    let mut url = url;
                    if !url.path().ends_with('/') {
                        let path = format!("{}/", url.path());
                        url.set_path(&path);
                    }
                    Some(url)
                }
                Ok(_) => {
                    self.error(
                        &text.referenced,
                        None,
                        format!("base_url `{}` must be an http or https URL", text.value),
                    );
                    None
                }
                Err(e) => {
                    self.error(
                        &text.referenced,
                        None,
                        format!("invalid base_url `{}`: {e}", text.value),
                    );
                    None
                }
            });
        let d = Settings::default();
        Settings {
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
                .map_or(d.user_agent.clone(), |t| t.value.clone()),
            concurrency: self
                .positive(s.concurrency.as_ref(), "concurrency")
                .unwrap_or(d.concurrency),
            timeout: self.duration(s.timeout.as_ref(), None).unwrap_or(d.timeout),
            connect_timeout: self
                .duration(s.connect_timeout.as_ref(), None)
                .unwrap_or(d.connect_timeout),
            max_body: self.size(s.max_body.as_ref()).unwrap_or(d.max_body),
            per_host: self
                .positive(s.per_host.as_ref(), "per_host")
                .unwrap_or(d.per_host),
            host_delay: self
                .duration(s.host_delay.as_ref(), None)
                .unwrap_or(d.host_delay),
            run_at_start: s.run_at_start.unwrap_or(d.run_at_start),
            grace_period: self
                .duration(s.grace_period.as_ref(), None)
                .unwrap_or(d.grace_period),
        }
    }

    /// Per-feed defaults in `settings` are checked once here; a feed that inherits an
    /// invalid default does not repeat the error.
    fn check_defaults(&mut self, defaults: &RawFeedSettings) {
        let timezone = defaults.timezone.as_ref().map_or(Some(Tz::UTC), |text| {
            text.value
                .parse::<Tz>()
                .map_err(|_| {
                    self.error(
                        &text.referenced,
                        None,
                        format!(
                            "unknown time zone `{}` (use an IANA name such as Europe/Berlin)",
                            text.value
                        ),
                    )
                })
                .ok()
        });
        if let (Some(text), Some(tz)) = (&defaults.schedule, timezone)
            && let Err(e) = Schedule::parse(&text.value, tz)
        {
            self.error(&text.referenced, None, e.to_string());
        }
        self.duration(defaults.keep.as_ref(), None);
        self.duration(defaults.stale_after.as_ref(), None);
        self.formats(defaults.formats.as_ref(), None);
    }

    fn positive(&mut self, value: Option<&Spanned<usize>>, key: &str) -> Option<usize> {
        let value = value?;
        if value.value == 0 {
            self.error(
                &value.referenced,
                None,
                format!("`{key}` must be at least 1"),
            );
            return None;
        }
        Some(value.value)
    }

    fn duration(&mut self, text: Option<&Text>, feed: Option<&str>) -> Option<Duration> {
        let text = text?;
        parse_duration(&text.value)
            .map_err(|e| self.error(&text.referenced, feed, e))
            .ok()
    }

    fn size(&mut self, text: Option<&Text>) -> Option<u64> {
        let text = text?;
        parse_size(&text.value)
            .map_err(|e| self.error(&text.referenced, None, e))
            .ok()
    }

    fn feed(
        &mut self,
        key: &Text,
        entry: &Spanned<RawFeedEntry>,
        defaults: &RawFeedSettings,
    ) -> Option<Feed> {
        let slug = key.value.as_str();
        let empty = RawFeed::default();
        let (url_text, raw) = match &entry.value {
            RawFeedEntry::Url(url) => (
                Spanned::new(url.clone(), entry.referenced, entry.defined),
                &empty,
            ),
            RawFeedEntry::Full(raw) => match &raw.url {
                Some(url) => (url.clone(), raw.as_ref()),
                None => {
                    self.error(
                        &key.referenced,
                        Some(slug),
                        "missing `url`: the page to turn into a feed",
                    );
                    return None;
                }
            },
        };
        let url = self.page_url(&url_text, slug);
        let own = raw.feed_settings();
        let items =
            raw.items
                .as_ref()
                .and_then(|text| match field::compile_selector(&text.value) {
                    Ok(Some(selector)) => Some(CardSelector {
                        source: text.value.trim().to_owned(),
                        selector,
                    }),
                    Ok(None) => {
                        self.error(
                            &text.referenced,
                            Some(slug),
                            "`items` must select the cards, e.g. \"article\" or \"ul.news > li\"",
                        );
                        None
                    }
                    Err(e) => {
                        self.error(&text.referenced, Some(slug), format!("items: {e}"));
                        None
                    }
                });
        let fields = self.fields(raw, slug);
        let timezone = match &own.timezone {
            Some(text) => text.value.parse::<Tz>().unwrap_or_else(|_| {
                self.error(
                    &text.referenced,
                    Some(slug),
                    format!(
                        "unknown time zone `{}` (use an IANA name such as Europe/Berlin)",
                        text.value
                    ),
                );
                Tz::UTC
            }),
            None => defaults
                .timezone
                .as_ref()
                .and_then(|t| t.value.parse::<Tz>().ok())
                .unwrap_or(Tz::UTC),
        };
        let formats = match &own.formats {
            Some(formats) => self.formats(Some(formats), Some(slug)),
            None => Checker {
                path: self.path,
                errors: Vec::new(),
            }
            .formats(defaults.formats.as_ref(), None),
        };
        let keep = match &own.keep {
            Some(text) => self.duration(Some(text), Some(slug)),
            None => defaults
                .keep
                .as_ref()
                .and_then(|t| parse_duration(&t.value).ok()),
        }
        .unwrap_or(Duration::from_secs(30 * 86_400));
        let stale_after = match &own.stale_after {
            Some(text) => self.duration(Some(text), Some(slug)),
            None => defaults
                .stale_after
                .as_ref()
                .and_then(|t| parse_duration(&t.value).ok()),
        }
        .unwrap_or(DEFAULT_STALE_AFTER);
        let schedule = match &own.schedule {
            Some(text) => Schedule::parse(&text.value, timezone)
                .map_err(|e| self.error(&text.referenced, Some(slug), e.to_string()))
                .ok(),
            None => {
                let line = defaults
                    .schedule
                    .as_ref()
                    .map_or(DEFAULT_SCHEDULE, |t| t.value.as_str());
                // An invalid default was reported once; the feed falls back quietly.
                Schedule::parse(line, timezone)
                    .or_else(|_| Schedule::parse(DEFAULT_SCHEDULE, timezone))
                    .ok()
            }
        };
        let include = self.filters(&raw.include, slug);
        let exclude = self.filters(&raw.exclude, slug);
        let number =
            |own: &Option<Spanned<usize>>, default: &Option<Spanned<usize>>, fallback: usize| {
                own.as_ref()
                    .or(default.as_ref())
                    .map_or(fallback, |n| n.value)
            };
        let max_items = number(&own.max_items, &defaults.max_items, 50);
        if max_items == 0 {
            self.error(
                &entry.referenced,
                Some(slug),
                "`max_items` must be at least 1",
            );
        }
        let max_history = own.max_history.as_ref().or(defaults.max_history.as_ref());
        if let Some(history) = max_history
            && history.value < max_items
        {
            self.error(
                &history.referenced,
                Some(slug),
                format!(
                    "`max_history` ({}) must be at least `max_items` ({max_items}): the feed shows items from its history",
                    history.value
                ),
            );
        }
        let max_history = max_history.map_or(DEFAULT_MAX_HISTORY.max(max_items), |h| h.value);
        let (url, schedule) = (url?, schedule?);
        let fingerprint = fingerprint(&[
            url.as_str(),
            raw.items.as_ref().map_or("", |t| t.value.as_str()),
            &format!("{:?}", field_sources(raw)),
            raw.date_format.as_ref().map_or("", |t| t.value.as_str()),
        ]);
        Some(Feed {
            slug: slug.to_owned(),
            url,
            title: raw.title.as_ref().map(|t| t.value.clone()),
            description: raw.description.as_ref().map(|t| t.value.clone()),
            items,
            fields,
            date_format: raw.date_format.as_ref().map(|t| t.value.clone()),
            include,
            exclude,
            schedule,
            timezone,
            formats,
            max_items,
            max_history,
            keep,
            summary_length: number(&own.summary_length, &defaults.summary_length, 500),
            min_title_length: number(&own.min_title_length, &defaults.min_title_length, 1),
            stale_after,
            location: Location::of(self.path, &key.referenced),
            fingerprint,
        })
    }

    fn page_url(&mut self, text: &Text, slug: &str) -> Option<Url> {
        match Url::parse(text.value.trim()) {
            Ok(url)
                if matches!(url.scheme(), "http" | "https" | "file")
                    && (url.scheme() == "file" || url.host().is_some()) =>
            {
                Some(url)
            }
            Ok(url) => {
                self.error(
                    &text.referenced,
                    Some(slug),
                    format!("unsupported URL `{url}`: use http, https or file"),
                );
                None
            }
            Err(e) => {
                self.error(
                    &text.referenced,
                    Some(slug),
                    format!("invalid URL `{}`: {e}", text.value),
                );
                None
            }
        }
    }

    fn fields(&mut self, raw: &RawFeed, slug: &str) -> Fields {
        let mut compile = |field: &Option<Spanned<RawField>>, name: &str| {
            let field = field.as_ref()?;
            FieldRule::compile(&field.value)
                .map_err(|e| {
                    self.error(&field.referenced, Some(slug), format!("fields.{name}: {e}"))
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
            lenient: false,
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
                other => {
                    let hint = did_you_mean(other, &Format::ALL)
                        .map_or_else(String::new, |h| format!(" — did you mean `{h}`?"));
                    self.error(
                        &name.referenced,
                        slug,
                        format!("unknown format `{other}` (use rss or atom){hint}"),
                    );
                }
            }
        }
        if formats.value.is_empty() {
            self.error(
                &formats.referenced,
                slug,
                "`formats` is empty: name at least one of rss, atom",
            );
        }
        out.sort();
        out.dedup();
        out
    }

    fn filters(&mut self, raw: &[Spanned<raw::RawFilter>], slug: &str) -> Vec<Filter> {
        let mut out = Vec::new();
        for filter in raw {
            let field = match filter.value.field.as_str() {
                "title" => FilterField::Title,
                "link" => FilterField::Link,
                "summary" => FilterField::Summary,
                "author" => FilterField::Author,
                other => {
                    self.error(
                        &filter.referenced,
                        Some(slug),
                        format!("cannot filter on `{other}` (use title, link, summary or author)"),
                    );
                    continue;
                }
            };
            match Regex::new(&filter.value.regex) {
                Ok(regex) => out.push(Filter { field, regex }),
                Err(e) => self.error(
                    &filter.referenced,
                    Some(slug),
                    format!("invalid regex `{}`: {e}", filter.value.regex),
                ),
            }
        }
        out
    }
}

fn field_sources(raw: &RawFeed) -> Vec<String> {
    let f = &raw.fields;
    [
        &f.id, &f.title, &f.link, &f.date, &f.summary, &f.author, &f.image,
    ]
    .iter()
    .map(|field| {
        field
            .as_ref()
            .map_or_else(String::new, |f| format!("{:?}", f.value))
    })
    .collect()
}
