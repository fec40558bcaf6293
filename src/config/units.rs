//! Durations (`30s`, `5 minutes`, `1h30m`, `1.5h`) and sizes (`10MB`, `512 KiB`):
//! one table of unit words each, used by every key that takes one.
//!
//! Every unit is accepted as its symbol, its singular and its plural, in any case, with
//! or without a space after the number; a number may have a decimal fraction. A
//! duration needs a unit (`30` alone is ambiguous); a size without one is in bytes.

use std::time::Duration;

/// Duration units in milliseconds, with every spelling accepted.
const DURATION_UNITS: &[(&[&str], u128)] = &[
    (&["ms", "msec", "msecs", "millisecond", "milliseconds"], 1),
    (&["s", "sec", "secs", "second", "seconds"], 1_000),
    (&["m", "min", "mins", "minute", "minutes"], 60_000),
    (&["h", "hr", "hrs", "hour", "hours"], 3_600_000),
    (&["d", "day", "days"], 86_400_000),
    (&["w", "wk", "wks", "week", "weeks"], 604_800_000),
];

/// Size units in bytes: decimal (KB = 1000) and binary (KiB = 1024).
const SIZE_UNITS: &[(&[&str], u128)] = &[
    (&["b", "byte", "bytes"], 1),
    (&["k", "kb", "kilobyte", "kilobytes"], 1_000),
    (&["kib", "kibibyte", "kibibytes"], 1 << 10),
    (&["m", "mb", "megabyte", "megabytes"], 1_000_000),
    (&["mib", "mebibyte", "mebibytes"], 1 << 20),
    (&["g", "gb", "gigabyte", "gigabytes"], 1_000_000_000),
    (&["gib", "gibibyte", "gibibytes"], 1 << 30),
];

const DURATION_HINT: &str = "use ms, s, m, h, d or w, or words like `5 minutes`";
const SIZE_HINT: &str = "use B, KB, MB, GB, KiB, MiB or GiB";

/// Parses `90s`, `15m`, `12 hours`, `30d`, `2w`, `1h30m` or `1.5h`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("empty duration: write e.g. 30s, 5m or 2h".into());
    }
    let mut total: u128 = 0;
    let mut rest = text;
    while !rest.is_empty() {
        let (number, after) = number(rest).ok_or_else(|| {
            format!("invalid duration `{text}`: expected a number before `{rest}`")
        })?;
        let (unit, after) = word(after.trim_start());
        if unit.is_empty() {
            return Err(format!(
                "invalid duration `{text}`: add a unit, e.g. `{}s` or `{}m` ({DURATION_HINT})",
                number.source, number.source
            ));
        }
        let millis = unit_factor(DURATION_UNITS, unit).ok_or_else(|| {
            format!("invalid duration `{text}`: unknown unit `{unit}` ({DURATION_HINT})")
        })?;
        total = number
            .times(millis)
            .and_then(|ms| total.checked_add(ms))
            .ok_or_else(|| format!("duration `{text}` is too large"))?;
        rest = after.trim_start();
    }
    u64::try_from(total)
        .map(Duration::from_millis)
        .map_err(|_| format!("duration `{text}` is too large"))
}

/// Parses a byte size: `1048576`, `512KB`, `10 MB`, `10MiB`, `1.5GB`.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let (number, after) = number(text).ok_or_else(|| {
        format!("invalid size `{text}`: expected a number, e.g. 10MB ({SIZE_HINT})")
    })?;
    let (unit, after) = word(after.trim_start());
    if !after.trim().is_empty() {
        return Err(format!(
            "invalid size `{text}`: one number and one unit, e.g. 10MB"
        ));
    }
    let factor = if unit.is_empty() {
        1
    } else {
        unit_factor(SIZE_UNITS, unit)
            .ok_or_else(|| format!("invalid size `{text}`: unknown unit `{unit}` ({SIZE_HINT})"))?
    };
    number
        .times(factor)
        .and_then(|bytes| u64::try_from(bytes).ok())
        .ok_or_else(|| format!("size `{text}` is too large"))
}

/// A decimal number as written: `12` or `1.5`.
struct Number<'a> {
    source: &'a str,
    whole: u128,
    fraction: &'a str,
}

impl Number<'_> {
    /// The number times `factor`, rounded down to a whole unit of the factor's base.
    fn times(&self, factor: u128) -> Option<u128> {
        let mut value = self.whole.checked_mul(factor)?;
        let mut scale = factor;
        for digit in self.fraction.bytes() {
            scale /= 10;
            value = value.checked_add(u128::from(digit - b'0') * scale)?;
        }
        Some(value)
    }
}

/// The number at the start of `text`, and what follows it.
fn number(text: &str) -> Option<(Number<'_>, &str)> {
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    if digits == 0 {
        return None;
    }
    let whole = text[..digits].parse().ok()?;
    let mut end = digits;
    let mut fraction = "";
    if let Some(after_point) = text[digits..].strip_prefix('.') {
        let len = after_point
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after_point.len());
        if len > 0 {
            fraction = &after_point[..len];
            end = digits + 1 + len;
        }
    }
    Some((
        Number {
            source: &text[..end],
            whole,
            fraction,
        },
        &text[end..],
    ))
}

/// The run of letters at the start of `text`, and what follows it.
fn word(text: &str) -> (&str, &str) {
    let end = text
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(text.len());
    text.split_at(end)
}

fn unit_factor(units: &[(&[&str], u128)], unit: &str) -> Option<u128> {
    let unit = unit.to_lowercase();
    units
        .iter()
        .find(|(names, _)| names.contains(&unit.as_str()))
        .map(|(_, factor)| *factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(text: &str) -> u64 {
        parse_duration(text)
            .unwrap_or_else(|e| panic!("{e}"))
            .as_secs()
    }

    #[test]
    fn every_duration_unit_takes_its_symbol_singular_and_plural() {
        for (names, millis) in DURATION_UNITS {
            for name in *names {
                for text in [
                    format!("2{name}"),
                    format!("2 {name}"),
                    format!("2{}", name.to_uppercase()),
                ] {
                    let got = parse_duration(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
                    assert_eq!(got.as_millis(), 2 * millis, "{text}");
                }
            }
        }
    }

    #[test]
    fn durations_combine_and_take_fractions() {
        assert_eq!(secs("30d"), 30 * 86_400);
        assert_eq!(secs("1h30m"), 5_400);
        assert_eq!(secs("1 hour 30 minutes"), 5_400);
        assert_eq!(secs("1.5h"), 5_400);
        assert_eq!(secs("5 minutes"), 300);
        assert_eq!(secs("3 days"), 3 * 86_400);
        assert_eq!(parse_duration("250ms").unwrap(), Duration::from_millis(250));
        assert_eq!(parse_duration("0s").unwrap(), Duration::ZERO);
    }

    #[test]
    fn bad_durations_say_why() {
        assert!(parse_duration("30").unwrap_err().contains("add a unit"));
        assert!(
            parse_duration("3y")
                .unwrap_err()
                .contains("unknown unit `y`")
        );
        assert!(
            parse_duration("forever")
                .unwrap_err()
                .contains("expected a number")
        );
        assert!(parse_duration("").is_err());
        assert!(
            parse_duration("99999999999999999999999w")
                .unwrap_err()
                .contains("too large")
        );
    }

    #[test]
    fn every_size_unit_takes_its_symbol_and_words() {
        for (names, bytes) in SIZE_UNITS {
            for name in *names {
                for text in [
                    format!("3{name}"),
                    format!("3 {name}"),
                    format!("3{}", name.to_uppercase()),
                ] {
                    assert_eq!(u128::from(parse_size(&text).unwrap()), 3 * bytes, "{text}");
                }
            }
        }
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("10MB").unwrap(), 10_000_000);
        assert_eq!(parse_size("2MiB").unwrap(), 2 << 20);
        assert_eq!(parse_size("1.5 KB").unwrap(), 1_500);
        assert_eq!(parse_size("4096").unwrap(), 4096);
        assert!(parse_size("ten").unwrap_err().contains("expected a number"));
        assert!(
            parse_size("5 parsecs")
                .unwrap_err()
                .contains("unknown unit `parsecs`")
        );
        assert!(parse_size("5 MB 3").is_err());
        assert!(
            parse_size("99999999999GB")
                .unwrap_err()
                .contains("too large")
        );
    }
}
