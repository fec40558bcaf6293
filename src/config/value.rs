//! Typed values of feeds.yaml: each type reads and checks its own text, so a key is
//! declared with the type it takes (`keep: Option<Spanned<value::Duration>>`) and its
//! problems are found — and worded — while the file is decoded, all at once.

use std::fmt;
use std::marker::PhantomData;

use chrono::format::{Item, StrftimeItems};
use chrono_tz::Tz;
use serde::de::{self, Deserialize, Deserializer, Visitor};

use super::error::did_you_mean;
use super::spanned::Spanned;
use super::units::{parse_duration, parse_size};

/// What a checked value means to the program: `value::Duration` is a `std` duration,
/// `Positive<T>` is `T`'s meaning, and so on.
pub trait Get {
    type Out;
    fn get(&self) -> Self::Out;
}

/// The value of an optional key, or `default` when it is not given.
pub fn or<V: Get>(value: &Option<Spanned<V>>, default: V::Out) -> V::Out {
    value.as_ref().map_or(default, |v| v.value.get())
}

impl Get for usize {
    type Out = usize;
    fn get(&self) -> usize {
        *self
    }
}

impl Get for bool {
    type Out = bool;
    fn get(&self) -> bool {
        *self
    }
}

/// Reads a scalar's text with `parse`; `expecting` says what a wrong shape should be.
fn from_text<'de, D, T>(
    deserializer: D,
    expecting: &'static str,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    struct TextVisitor<F, T>(&'static str, F, PhantomData<T>);

    impl<'de, F: FnOnce(&str) -> Result<T, String>, T> Visitor<'de> for TextVisitor<F, T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(self.0)
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
            (self.1)(text).map_err(E::custom)
        }
    }

    deserializer.deserialize_str(TextVisitor(expecting, parse, PhantomData))
}

/// A length of time: `30s`, `5m`, `5 minutes`, `1h30m`, `1.5h`, `2w` (see `units.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration(pub std::time::Duration);

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        from_text(deserializer, "a duration like 30m or 2h", |text| {
            parse_duration(text).map(Duration)
        })
    }
}

impl Get for Duration {
    type Out = std::time::Duration;
    fn get(&self) -> std::time::Duration {
        self.0
    }
}

/// A number of bytes: `1048576`, `512KB`, `10 MB`, `10MiB`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size(pub u64);

impl<'de> Deserialize<'de> for Size {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        from_text(deserializer, "a size like 10MB or 512KiB", |text| {
            parse_size(text).map(Size)
        })
    }
}

impl Get for Size {
    type Out = u64;
    fn get(&self) -> u64 {
        self.0
    }
}

/// Quantities that can be zero, for [`Positive`].
pub trait Quantity {
    fn is_zero(&self) -> bool;
    /// How "more than zero" reads for this kind of value.
    const AT_LEAST: &'static str;
}

impl Quantity for usize {
    fn is_zero(&self) -> bool {
        *self == 0
    }
    const AT_LEAST: &'static str = "must be at least 1";
}

impl Quantity for Duration {
    fn is_zero(&self) -> bool {
        self.0.is_zero()
    }
    const AT_LEAST: &'static str = "must be longer than 0s";
}

impl Quantity for Size {
    fn is_zero(&self) -> bool {
        self.0 == 0
    }
    const AT_LEAST: &'static str = "must be more than 0 bytes";
}

/// A value that must not be zero (`timeout: 0s` would fail every request).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Positive<T>(pub T);

impl<'de, T: Deserialize<'de> + Quantity> Deserialize<'de> for Positive<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = T::deserialize(deserializer)?;
        if value.is_zero() {
            return Err(de::Error::custom(T::AT_LEAST));
        }
        Ok(Positive(value))
    }
}

impl<T: Get> Get for Positive<T> {
    type Out = T::Out;
    fn get(&self) -> T::Out {
        self.0.get()
    }
}

/// A whole number from 1 to `MAX`: a bound that keeps memory and connections sane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AtMost<const MAX: usize>(pub usize);

impl<'de, const MAX: usize> Deserialize<'de> for AtMost<MAX> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Positive(value) = Positive::<usize>::deserialize(deserializer)?;
        if value > MAX {
            return Err(de::Error::custom(format!(
                "must be at most {MAX} (memory and connections grow with it)"
            )));
        }
        Ok(AtMost(value))
    }
}

impl<const MAX: usize> Get for AtMost<MAX> {
    type Out = usize;
    fn get(&self) -> usize {
        self.0
    }
}

/// An IANA time zone such as `Europe/Berlin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zone(pub Tz);

impl<'de> Deserialize<'de> for Zone {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        from_text(deserializer, "a time zone such as Europe/Berlin", |text| {
            let text = text.trim();
            text.parse::<Tz>().map(Zone).map_err(|_| {
                let names: Vec<&str> = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
                let hint = did_you_mean(text, &names)
                    .map_or_else(String::new, |name| format!(" — did you mean `{name}`?"));
                format!("unknown time zone `{text}` (use an IANA name such as Europe/Berlin){hint}")
            })
        })
    }
}

impl Get for Zone {
    type Out = Tz;
    fn get(&self) -> Tz {
        self.0
    }
}

/// A regular expression, compiled.
#[derive(Debug, Clone)]
pub struct Pattern(pub regex::Regex);

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        from_text(deserializer, "a regular expression", |text| {
            regex::Regex::new(text)
                .map(Pattern)
                .map_err(|e| format!("invalid regex `{text}`: {}", regex_reason(&e)))
        })
    }
}

/// regex's errors draw the pattern with a caret over several lines; the reason is
/// their last line.
fn regex_reason(error: &regex::Error) -> String {
    match error {
        regex::Error::CompiledTooBig(limit) => {
            format!("it compiles to more than {limit} bytes; simplify it")
        }
        other => {
            let text = other.to_string();
            let last = text.lines().last().unwrap_or(&text).trim();
            last.strip_prefix("error: ").unwrap_or(last).to_owned()
        }
    }
}

/// A chrono/strftime format whose every `%` item is one chrono knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateFormat(pub String);

impl<'de> Deserialize<'de> for DateFormat {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        from_text(
            deserializer,
            "a date format such as \"%d.%m.%Y %H:%M\"",
            |text| check_date_format(text).map(|()| DateFormat(text.to_owned())),
        )
    }
}

/// Rejects a format with an item chrono does not know (`%Q`), naming the item.
fn check_date_format(format: &str) -> Result<(), String> {
    if format.trim().is_empty() {
        return Err("the date format is empty".into());
    }
    let valid = |spec: &str| !StrftimeItems::new(spec).any(|item| item == Item::Error);
    let mut rest = format;
    while let Some(start) = rest.find('%') {
        let tail = &rest[start..];
        // The shortest valid item here: `%d`, `%-d`, `%:z`, `%.3f`, `%::z`.
        let ends: Vec<usize> = tail
            .char_indices()
            .map(|(i, _)| i)
            .chain([tail.len()])
            .collect();
        match ends
            .iter()
            .skip(2)
            .take(4)
            .find(|&&end| valid(&tail[..end]))
        {
            Some(&end) => rest = &tail[end..],
            None => {
                let item: String = tail.chars().take(2).collect();
                return Err(format!(
                    "`{item}` in the date format `{format}` is not a strftime item (chrono knows %Y %m %d %H %M %S %b %B %a %A %p %z and more; %% is a literal %)"
                ));
            }
        }
    }
    Ok(())
}

/// Text that can go into an HTTP header: no line breaks or other control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderText(pub String);

impl<'de> Deserialize<'de> for HeaderText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        from_text(deserializer, "text for an HTTP header", |text| {
            match text.chars().find(|c| c.is_control()) {
                Some(c) => Err(format!(
                    "contains a control character ({}): an HTTP header cannot carry it",
                    match c {
                        '\n' => "a line break".to_owned(),
                        '\r' => "a carriage return".to_owned(),
                        '\t' => "a tab".to_owned(),
                        other => format!("U+{:04X}", u32::from(other)),
                    }
                )),
                None if reqwest::header::HeaderValue::from_str(text).is_err() => {
                    Err("is not valid in an HTTP header".into())
                }
                None => Ok(HeaderText(text.to_owned())),
            }
        })
    }
}

/// Where the built-in server listens: `localhost:8080`, `[::1]:8080`, `:8080`.
impl<'de> Deserialize<'de> for crate::serve::Listen {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        from_text(deserializer, "an address like localhost:8080", str::parse)
    }
}

/// How often a transient failure is retried: 0 to 10 (each retry waits twice as long
/// as the one before, so more would only wait).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retries(pub u32);

impl<'de> Deserialize<'de> for Retries {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let retries = usize::deserialize(deserializer)?;
        match u32::try_from(retries) {
            Ok(n @ 0..=10) => Ok(Retries(n)),
            _ => Err(de::Error::custom(
                "must be at most 10 (each retry waits twice as long as the one before)",
            )),
        }
    }
}

impl Get for Retries {
    type Out = u32;
    fn get(&self) -> u32 {
        self.0
    }
}

/// A proxy URL (`http://host:port`, `https://…`, user:password@ allowed), or `direct`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proxy(pub crate::fetch::ProxyChoice);

impl<'de> Deserialize<'de> for Proxy {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use crate::fetch::ProxyChoice;
        from_text(deserializer, "a proxy URL or `direct`", |text| {
            let text = text.trim();
            if text.eq_ignore_ascii_case("direct") {
                return Ok(Proxy(ProxyChoice::Direct));
            }
            match url::Url::parse(text) {
                Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
                    Ok(Proxy(ProxyChoice::Url(url)))
                }
                _ => Err(format!(
                    "`{text}` is not a proxy: use an http:// or https:// URL such as http://proxy.internal:3128, or `direct`"
                )),
            }
        })
    }
}

/// The addresses a name is pinned to: one, or several separated by commas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addresses(pub Vec<std::net::IpAddr>);

impl<'de> Deserialize<'de> for Addresses {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        from_text(
            deserializer,
            "an IP address, or several separated by commas",
            |text| {
                text.split(',')
                    .map(str::trim)
                    .map(|ip| {
                        ip.trim_matches(['[', ']']).parse().map_err(|_| {
                            format!("`{ip}` is not an IP address (write `192.0.2.7` or `\"192.0.2.7, 2001:db8::7\"`)")
                        })
                    })
                    .collect::<Result<_, _>>()
                    .map(Addresses)
            },
        )
    }
}
