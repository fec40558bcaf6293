//! The shape of feeds.yaml: every key, with the type of value it takes.
//!
//! These structs are the one declaration of the keys. Adding a key is adding a field
//! here, `Option<Spanned<T>>` with `T` the value's type (`String`, `usize`, `bool`, or
//! a checked type from `value.rs` such as `value::Duration`); the decoder then reports
//! an unknown key, a value of the wrong type and a value that does not parse, each at
//! its line, all in one run. `Spanned` keeps the position for the checks in `check.rs`.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use super::decode::{Isolated, keys_of};
use super::spanned::Spanned;
use super::value::{self, AtMost, Positive};
use crate::serve::Listen;

pub type Text = Spanned<String>;

#[derive(Debug, Default, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a mapping with `settings` and `feeds`"
)]
pub struct RawConfig {
    #[serde(default)]
    pub settings: RawSettings,
    #[serde(default)]
    pub feeds: OrderedMap<RawFeedEntry>,
}

/// Defaults for every feed; the per-feed keys of the same name override them.
#[derive(Debug, Default, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a mapping of settings such as `base_url`"
)]
pub struct RawSettings {
    pub output_dir: Option<Text>,
    pub state_dir: Option<Text>,
    pub base_url: Option<Text>,
    pub user_agent: Option<Spanned<value::HeaderText>>,
    pub concurrency: Option<Spanned<AtMost<256>>>,
    pub timeout: Option<Spanned<Positive<value::Duration>>>,
    pub connect_timeout: Option<Spanned<Positive<value::Duration>>>,
    pub max_body: Option<Spanned<Positive<value::Size>>>,
    pub per_host: Option<Spanned<AtMost<64>>>,
    pub host_delay: Option<Spanned<value::Duration>>,
    pub run_at_start: Option<Spanned<bool>>,
    pub grace_period: Option<Spanned<value::Duration>>,
    pub websub_hub: Option<Text>,
    pub listen: Option<Spanned<Listen>>,
    /// Names pinned to addresses, like curl's `--resolve`.
    pub resolve: Option<Spanned<OrderedMap<value::Addresses>>>,
    // Per-feed defaults (see `RawFeedSettings`).
    pub schedule: Option<Text>,
    pub timezone: Option<Spanned<value::Zone>>,
    pub formats: Option<Spanned<Vec<Text>>>,
    pub max_items: Option<Spanned<Positive<usize>>>,
    pub max_history: Option<Spanned<usize>>,
    pub keep: Option<Spanned<value::Duration>>,
    pub summary_length: Option<Spanned<usize>>,
    pub min_title_length: Option<Spanned<usize>>,
    pub stale_after: Option<Spanned<value::Duration>>,
    pub error_items: Option<Spanned<bool>>,
    pub robots_txt: Option<Spanned<bool>>,
    pub allow_private: Option<Spanned<bool>>,
    pub accept_language: Option<Spanned<value::HeaderText>>,
    pub headers: Option<Spanned<OrderedMap<value::HeaderText>>>,
    pub proxy: Option<Spanned<value::Proxy>>,
    pub retries: Option<Spanned<value::Retries>>,
    pub retry_budget: Option<Spanned<value::Duration>>,
}

/// Keys that may appear in `settings` and in each feed, gathered from either.
///
/// (serde's `flatten` would lose both `deny_unknown_fields` and the value locations,
/// so the keys are written out in both structs and collected here.)
#[derive(Debug, Default, Clone)]
pub struct RawFeedSettings {
    pub schedule: Option<Text>,
    pub timezone: Option<Spanned<value::Zone>>,
    pub formats: Option<Spanned<Vec<Text>>>,
    pub max_items: Option<Spanned<Positive<usize>>>,
    pub max_history: Option<Spanned<usize>>,
    pub keep: Option<Spanned<value::Duration>>,
    pub summary_length: Option<Spanned<usize>>,
    pub min_title_length: Option<Spanned<usize>>,
    pub stale_after: Option<Spanned<value::Duration>>,
    pub error_items: Option<Spanned<bool>>,
    pub robots_txt: Option<Spanned<bool>>,
    pub allow_private: Option<Spanned<bool>>,
    pub accept_language: Option<Spanned<value::HeaderText>>,
    pub headers: Option<Spanned<OrderedMap<value::HeaderText>>>,
    pub proxy: Option<Spanned<value::Proxy>>,
    pub retries: Option<Spanned<value::Retries>>,
    pub retry_budget: Option<Spanned<value::Duration>>,
}

macro_rules! feed_settings_of {
    ($raw:expr) => {
        RawFeedSettings {
            schedule: $raw.schedule.clone(),
            timezone: $raw.timezone.clone(),
            formats: $raw.formats.clone(),
            max_items: $raw.max_items.clone(),
            max_history: $raw.max_history.clone(),
            keep: $raw.keep.clone(),
            summary_length: $raw.summary_length.clone(),
            min_title_length: $raw.min_title_length.clone(),
            stale_after: $raw.stale_after.clone(),
            error_items: $raw.error_items.clone(),
            robots_txt: $raw.robots_txt.clone(),
            allow_private: $raw.allow_private.clone(),
            accept_language: $raw.accept_language.clone(),
            headers: $raw.headers.clone(),
            proxy: $raw.proxy.clone(),
            retries: $raw.retries.clone(),
            retry_budget: $raw.retry_budget.clone(),
        }
    };
}

impl RawSettings {
    pub fn feed_settings(&self) -> RawFeedSettings {
        feed_settings_of!(self)
    }
}

impl RawFeed {
    pub fn feed_settings(&self) -> RawFeedSettings {
        feed_settings_of!(self)
    }
}

/// A feed is either a bare URL (cards detected automatically) or the full form.
#[derive(Debug)]
pub enum RawFeedEntry {
    Url(String),
    Full(Box<RawFeed>),
}

#[derive(Debug, Default, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a page URL or a mapping with `url`, `items`, `fields`, …"
)]
pub struct RawFeed {
    pub url: Option<Text>,
    pub title: Option<Text>,
    pub description: Option<Text>,
    pub items: Option<Text>,
    #[serde(default)]
    pub fields: RawFields,
    pub date_format: Option<Spanned<value::DateFormat>>,
    /// Replaces `settings.user_agent` for this feed.
    pub user_agent: Option<Spanned<value::HeaderText>>,
    #[serde(default)]
    pub include: Vec<Spanned<RawFilter>>,
    #[serde(default)]
    pub exclude: Vec<Spanned<RawFilter>>,
    // Overrides of `settings` (see `RawFeedSettings`).
    pub schedule: Option<Text>,
    pub timezone: Option<Spanned<value::Zone>>,
    pub formats: Option<Spanned<Vec<Text>>>,
    pub max_items: Option<Spanned<Positive<usize>>>,
    pub max_history: Option<Spanned<usize>>,
    pub keep: Option<Spanned<value::Duration>>,
    pub summary_length: Option<Spanned<usize>>,
    pub min_title_length: Option<Spanned<usize>>,
    pub stale_after: Option<Spanned<value::Duration>>,
    pub error_items: Option<Spanned<bool>>,
    pub robots_txt: Option<Spanned<bool>>,
    pub allow_private: Option<Spanned<bool>>,
    pub accept_language: Option<Spanned<value::HeaderText>>,
    pub headers: Option<Spanned<OrderedMap<value::HeaderText>>>,
    pub proxy: Option<Spanned<value::Proxy>>,
    pub retries: Option<Spanned<value::Retries>>,
    pub retry_budget: Option<Spanned<value::Duration>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a mapping of fields (`title`, `link`, `date`, …) to selectors"
)]
pub struct RawFields {
    pub id: Option<Spanned<RawField>>,
    pub title: Option<Spanned<RawField>>,
    pub link: Option<Spanned<RawField>>,
    pub date: Option<Spanned<RawField>>,
    pub summary: Option<Spanned<RawField>>,
    pub author: Option<Spanned<RawField>>,
    pub image: Option<Spanned<RawField>>,
}

/// A field is `"css"`, `"css@attr"`, `"@attr"`, `"+ css"` or the structured form.
#[derive(Debug, Clone)]
pub enum RawField {
    Short(String),
    Full(Box<RawFieldFull>),
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a selector such as \"h3\" or \"a@href\", or a mapping with `select`, `attr`, …"
)]
pub struct RawFieldFull {
    pub select: Option<Text>,
    pub attr: Option<Text>,
    pub html: Option<Spanned<bool>>,
    pub from: Option<Text>,
    pub regex: Option<Spanned<value::Pattern>>,
    pub replace: Option<Spanned<RawReplace>>,
    pub template: Option<Text>,
    pub skip: Option<Text>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a mapping with `pattern` (a regex) and `with` (its replacement)"
)]
pub struct RawReplace {
    pub pattern: Spanned<value::Pattern>,
    pub with: Option<Text>,
}

/// `include`/`exclude` entries: a regex matched against one field (default: title).
#[derive(Debug, Clone, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a mapping with `field` (title, link, summary or author) and `regex`"
)]
pub struct RawFilter {
    pub field: Option<Text>,
    pub regex: Spanned<value::Pattern>,
}

/// A YAML mapping kept in file order, with each key's location.
#[derive(Debug, Clone)]
pub struct OrderedMap<V>(pub Vec<(Text, Spanned<V>)>);

/// What a mapping of these values is, for the message when something else is written.
pub trait MapOf {
    const EXPECTING: &'static str;
}

impl MapOf for RawFeedEntry {
    const EXPECTING: &'static str = "a mapping of feed names to pages";
}

impl MapOf for value::HeaderText {
    const EXPECTING: &'static str =
        "a mapping of header names to values, e.g. `Cookie: \"consent=yes\"`";
}

impl MapOf for value::Addresses {
    const EXPECTING: &'static str =
        "a mapping of host names to addresses, e.g. `news.example: 192.0.2.7`";
}

impl<V> Default for OrderedMap<V> {
    fn default() -> Self {
        OrderedMap(Vec::new())
    }
}

impl<'de, V: de::DeserializeOwned + MapOf> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<V>(std::marker::PhantomData<V>);
        impl<'de, V: de::DeserializeOwned + MapOf> Visitor<'de> for MapVisitor<V> {
            type Value = OrderedMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(V::EXPECTING)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                // Each entry is decoded on its own: a mistake in one feed costs
                // re-reading that feed, not the file, and the others go on.
                while let Some((key, value)) = map.next_entry::<Text, Spanned<Isolated<V>>>()? {
                    if let Some(inner) = value.value.0 {
                        entries.push((key, Spanned::new(inner, value.at)));
                    }
                }
                Ok(OrderedMap(entries))
            }
        }
        deserializer.deserialize_map(MapVisitor(std::marker::PhantomData))
    }
}

/// Reads a value that is either one line of text or a mapping of `T`'s keys.
fn text_or_struct<'de, D, T, R>(
    deserializer: D,
    expecting: &'static str,
    short: fn(String) -> R,
    full: fn(T) -> R,
) -> Result<R, D::Error>
where
    D: Deserializer<'de>,
    T: de::DeserializeOwned,
{
    struct TextOrStruct<T, R> {
        expecting: &'static str,
        short: fn(String) -> R,
        full: fn(T) -> R,
    }
    impl<'de, T: de::DeserializeOwned, R> Visitor<'de> for TextOrStruct<T, R> {
        type Value = R;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(self.expecting)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<R, E> {
            Ok((self.short)(v.to_owned()))
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<R, A::Error> {
            T::deserialize(de::value::MapAccessDeserializer::new(map)).map(self.full)
        }
    }
    let visitor = TextOrStruct {
        expecting,
        short,
        full,
    };
    deserializer.deserialize_struct("text or mapping", keys_of::<T>(), visitor)
}

impl<'de> Deserialize<'de> for RawFeedEntry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        text_or_struct(
            deserializer,
            "a page URL or a mapping with `url`, `items`, `fields`, …",
            RawFeedEntry::Url,
            |feed: RawFeed| RawFeedEntry::Full(Box::new(feed)),
        )
    }
}

impl<'de> Deserialize<'de> for RawField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        text_or_struct(
            deserializer,
            "a selector such as \"h3\" or \"a@href\", or a mapping with `select`, `attr`, …",
            RawField::Short,
            |full: RawFieldFull| RawField::Full(Box::new(full)),
        )
    }
}
