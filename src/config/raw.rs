//! The shape of feeds.yaml exactly as written, before any checking.
//!
//! Every struct denies unknown keys, so a typo is an error with its location rather than
//! a silently ignored setting. Values that are checked later (URLs, selectors, zones,
//! durations) are kept as `Spanned` strings so their errors can point at the line.

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

pub type Text = Spanned<String>;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    #[serde(default)]
    pub settings: RawSettings,
    #[serde(default)]
    pub feeds: OrderedMap<RawFeedEntry>,
}

/// Defaults for every feed; the per-feed keys of the same name override them.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSettings {
    pub output_dir: Option<Text>,
    pub state_dir: Option<Text>,
    pub base_url: Option<Text>,
    pub user_agent: Option<Text>,
    pub concurrency: Option<Spanned<usize>>,
    pub timeout: Option<Text>,
    pub connect_timeout: Option<Text>,
    pub max_body: Option<Text>,
    pub per_host: Option<Spanned<usize>>,
    pub host_delay: Option<Text>,
    pub run_at_start: Option<bool>,
    pub grace_period: Option<Text>,
    // Per-feed defaults (see `RawFeedSettings`).
    pub schedule: Option<Text>,
    pub timezone: Option<Text>,
    pub formats: Option<Spanned<Vec<Text>>>,
    pub max_items: Option<Spanned<usize>>,
    pub max_history: Option<Spanned<usize>>,
    pub keep: Option<Text>,
    pub summary_length: Option<Spanned<usize>>,
    pub min_title_length: Option<Spanned<usize>>,
    pub stale_after: Option<Text>,
}

/// Keys that may appear in `settings` and in each feed, gathered from either.
///
/// (serde's `flatten` would lose both `deny_unknown_fields` and the value locations,
/// so the keys are written out in both structs and collected here.)
#[derive(Debug, Default, Clone)]
pub struct RawFeedSettings {
    pub schedule: Option<Text>,
    pub timezone: Option<Text>,
    pub formats: Option<Spanned<Vec<Text>>>,
    pub max_items: Option<Spanned<usize>>,
    pub max_history: Option<Spanned<usize>>,
    pub keep: Option<Text>,
    pub summary_length: Option<Spanned<usize>>,
    pub min_title_length: Option<Spanned<usize>>,
    pub stale_after: Option<Text>,
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
#[serde(deny_unknown_fields)]
pub struct RawFeed {
    pub url: Option<Text>,
    pub title: Option<Text>,
    pub description: Option<Text>,
    pub items: Option<Text>,
    #[serde(default)]
    pub fields: RawFields,
    pub date_format: Option<Text>,
    #[serde(default)]
    pub include: Vec<Spanned<RawFilter>>,
    #[serde(default)]
    pub exclude: Vec<Spanned<RawFilter>>,
    // Overrides of `settings` (see `RawFeedSettings`).
    pub schedule: Option<Text>,
    pub timezone: Option<Text>,
    pub formats: Option<Spanned<Vec<Text>>>,
    pub max_items: Option<Spanned<usize>>,
    pub max_history: Option<Spanned<usize>>,
    pub keep: Option<Text>,
    pub summary_length: Option<Spanned<usize>>,
    pub min_title_length: Option<Spanned<usize>>,
    pub stale_after: Option<Text>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
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
    Full(RawFieldFull),
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFieldFull {
    pub select: Option<String>,
    pub attr: Option<String>,
    #[serde(default)]
    pub html: bool,
    pub from: Option<String>,
    pub regex: Option<String>,
    pub replace: Option<RawReplace>,
    pub template: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReplace {
    pub pattern: String,
    #[serde(default)]
    pub with: String,
}

/// `include`/`exclude` entries: a regex matched against one field (default: title).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFilter {
    #[serde(default = "default_filter_field")]
    pub field: String,
    pub regex: String,
}

fn default_filter_field() -> String {
    "title".to_owned()
}

/// A YAML mapping kept in file order, with each key's location.
#[derive(Debug)]
pub struct OrderedMap<V>(pub Vec<(Text, Spanned<V>)>);

impl<V> Default for OrderedMap<V> {
    fn default() -> Self {
        OrderedMap(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for MapVisitor<V> {
            type Value = OrderedMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping of feed names to feeds")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(OrderedMap::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some((key, value)) = map.next_entry()? {
                    entries.push((key, value));
                }
                Ok(OrderedMap(entries))
            }
        }
        deserializer.deserialize_map(MapVisitor(std::marker::PhantomData))
    }
}

impl<'de> Deserialize<'de> for RawFeedEntry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntryVisitor;
        impl<'de> Visitor<'de> for EntryVisitor {
            type Value = RawFeedEntry;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a page URL or a mapping with `url`, `items`, `fields`, …")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(RawFeedEntry::Url(v.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                RawFeed::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|feed| RawFeedEntry::Full(Box::new(feed)))
            }
        }
        deserializer.deserialize_any(EntryVisitor)
    }
}

impl<'de> Deserialize<'de> for RawField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldVisitor;
        impl<'de> Visitor<'de> for FieldVisitor {
            type Value = RawField;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    r#"a selector such as "h3", "a@href", or a mapping with `select`, `attr`, …"#,
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(RawField::Short(v.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                RawFieldFull::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawField::Full)
            }
        }
        deserializer.deserialize_any(FieldVisitor)
    }
}
