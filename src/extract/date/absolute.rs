//! Dates written out in full or in part: Unix timestamps, ISO 8601 / RFC 3339,
//! RFC 2822, numeric forms ("12.12.2025", "2025/12/12"), written forms in
//! several languages ("Dec. 12, 2025 10:30 AM", "12 de diciembre de 2025")
//! and CJK forms ("2020年07月04日 星期六"). All functions take lowercased,
//! whitespace-collapsed text.

use std::borrow::Cow;
use std::sync::LazyLock;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeDelta, Utc};
use regex::{Captures, Regex};

use super::DateContext;
use super::clock::{TimeOfDay, at_time, fraction_to_nanos, parse_offset, split_time};
use super::months::{ENGLISH_ABBR, is_also_weekday, is_filler, is_weekday, month_number};

/// A written date has a handful of parts; anything longer is not one date.
const MAX_TOKENS: usize = 12;

/// Earliest Unix timestamp accepted from a bare number (2000-01-01).
const MIN_TIMESTAMP: i64 = 946_684_800;

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        ^ (?P<y> [0-9]{4} ) - (?P<mo> [0-9]{1,2} ) - (?P<d> [0-9]{1,2} )
        (?: [t\s] (?P<h> [0-9]{1,2} ) : (?P<mi> [0-9]{2} )
            (?: : (?P<s> [0-9]{2} ) (?: [.,] (?P<frac> [0-9]{1,9} ) )? )?
            \s* (?P<zone> z | [+-] [0-9]{2} (?: :? [0-9]{2} )? )?
        )? $",
    )
    .expect("ISO regex is valid")
});

/// "2020年07月04日", "7月4日" (also with 号/號 for 日).
static CJK_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:([0-9]{4})\s*年\s*)?([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*[日号號]")
        .expect("CJK_DATE regex is valid")
});

/// "星期六", "周六", "週六", "(六)".
static CJK_WEEKDAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:星期|周|週|礼拜|禮拜)[一二三四五六日天]|[（(][一二三四五六日][）)]")
        .expect("CJK_WEEKDAY regex is valid")
});

/// Parses an absolute date (with or without year) in `s`.
pub(super) fn parse_absolute(s: &str, ctx: &DateContext) -> Option<DateTime<Utc>> {
    parse_timestamp(s)
        .or_else(|| parse_iso(s, ctx))
        .or_else(|| parse_rfc2822(s))
        .or_else(|| parse_written(&rewrite_cjk(s), ctx))
}

/// A bare 10-digit (seconds) or 13-digit (milliseconds) Unix timestamp, as
/// found in `data-timestamp`-like attributes.
fn parse_timestamp(s: &str) -> Option<DateTime<Utc>> {
    if !(s.len() == 10 || s.len() == 13) || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut seconds: i64 = s.parse().ok()?;
    if s.len() == 13 {
        seconds /= 1000;
    }
    if seconds < MIN_TIMESTAMP {
        return None;
    }
    DateTime::from_timestamp(seconds, 0)
}

/// RFC 3339 and the ISO 8601 shapes pages use: "2025-12-12T10:30:00.123Z",
/// "2025-12-12 10:30", "2025-12-12T10:30+01:00", "2019-09-05".
fn parse_iso(s: &str, ctx: &DateContext) -> Option<DateTime<Utc>> {
    let caps = ISO.captures(s)?;
    let num = |name: &str| -> Option<u32> { caps.name(name)?.as_str().parse().ok() };
    let year = i32::try_from(num("y")?).ok()?;
    let date = NaiveDate::from_ymd_opt(year, num("mo")?, num("d")?)?;
    let time = match num("h") {
        None => None,
        Some(hour) => {
            let nanos = caps
                .name("frac")
                .map_or(Some(0), |m| fraction_to_nanos(m.as_str()))?;
            let time =
                NaiveTime::from_hms_nano_opt(hour, num("mi")?, num("s").unwrap_or(0), nanos)?;
            let offset = match caps.name("zone") {
                Some(zone) => Some(parse_offset(zone.as_str())?),
                None => None,
            };
            Some(TimeOfDay { time, offset })
        }
    };
    at_time(date, time, ctx.tz)
}

/// "Fri, 12 Dec 2025 10:30:00 +0000" and its variants with zone names. The
/// written-date parser covers the same ground (and tolerates a wrong
/// weekday); this is the strict fast path.
fn parse_rfc2822(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc2822(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Rewrites CJK dates into the written form ("2020年07月04日 星期六" →
/// " 4 jul 2020 ") so that the written-date parser handles the rest.
pub(super) fn rewrite_cjk(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s);
    }
    let without_weekday = CJK_WEEKDAY.replace_all(s, " ");
    let rewritten = CJK_DATE.replace_all(&without_weekday, |caps: &Captures| {
        let month = caps[2]
            .parse::<usize>()
            .ok()
            .filter(|m| (1..=12).contains(m));
        match month {
            Some(month) => {
                let year = caps.get(1).map_or("", |y| y.as_str());
                format!(" {} {} {} ", &caps[3], ENGLISH_ABBR[month - 1], year)
            }
            None => caps[0].to_owned(),
        }
    });
    Cow::Owned(rewritten.into_owned())
}

/// One number of a date, with the punctuation that preceded it.
#[derive(Clone, Copy, Debug)]
struct Number {
    value: u32,
    digits: usize,
    sep: Option<char>,
    ordinal: bool,
}

/// The meaningful parts of a written date.
#[derive(Default)]
struct Parts {
    numbers: Vec<Number>,
    /// (month, also a weekday abbreviation)
    months: Vec<(u32, bool)>,
}

/// Written and numeric dates, with an optional time anywhere in the text:
/// "December 12, 2025", "Dec. 12, 2025 10:30 AM", "12. Dezember 2025",
/// "Friday, 12 December 2025", "1er janvier 2025", "12 de diciembre de 2025",
/// "12.12.2025 18:00", "2025/12/12", and without a year: "Jan 14",
/// "14. Dezember", "Dec 12 10:30".
fn parse_written(s: &str, ctx: &DateContext) -> Option<DateTime<Utc>> {
    let (rest, time) = split_time(s)?;
    let mut parts = split_parts(&rest)?;
    if parts.months.len() > 1 {
        parts.months.retain(|(_, also_weekday)| !also_weekday);
    }
    match parts.months.as_slice() {
        [] => at_time(numeric_date(&parts.numbers)?, time, ctx.tz),
        [(month, _)] => month_name_date(*month, &parts.numbers, time, ctx),
        _ => None,
    }
}

/// Splits into numbers and month names, skipping weekdays and filler words.
/// Any other word means this is not (only) a date.
fn split_parts(s: &str) -> Option<Parts> {
    let mut parts = Parts::default();
    let mut sep = None;
    let mut tokens = 0;
    for piece in s.split_inclusive(|c: char| !c.is_alphanumeric()) {
        let word = piece.trim_end_matches(|c: char| !c.is_alphanumeric());
        let after = piece[word.len()..]
            .chars()
            .rev()
            .find(|c| !c.is_whitespace());
        if !word.is_empty() {
            tokens += 1;
            if tokens > MAX_TOKENS {
                return None;
            }
            classify(word, sep, &mut parts)?;
            sep = None;
        }
        if after.is_some() {
            sep = after;
        }
    }
    Some(parts)
}

/// Adds one word to `parts`; `None` for a word that has no place in a date.
fn classify(word: &str, sep: Option<char>, parts: &mut Parts) -> Option<()> {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    if digits == word.len() {
        if digits > 4 {
            return None;
        }
        let value = word.parse().ok()?;
        parts.numbers.push(Number {
            value,
            digits,
            sep,
            ordinal: false,
        });
    } else if digits > 0 {
        // "1st", "2nd", "3rd", "12th", "1er", "2e", "1º"
        let (number, suffix) = word.split_at(digits);
        if digits > 2 || !matches!(suffix, "st" | "nd" | "rd" | "th" | "er" | "re" | "e" | "º") {
            return None;
        }
        let value = number.parse().ok()?;
        parts.numbers.push(Number {
            value,
            digits,
            sep,
            ordinal: true,
        });
    } else if let Some(month) = month_number(word) {
        parts.months.push((month, is_also_weekday(word)));
    } else if !is_weekday(word) && !is_filler(word) {
        return None;
    }
    Some(())
}

/// Three numbers, no month name: "2025/12/12", "2025.12.12", "12.12.2025",
/// "12.12.25", and slash/dash day-month orders only when unambiguous
/// ("25/12/2025", "12/25/2025"; "05/06/2025" is refused).
fn numeric_date(numbers: &[Number]) -> Option<NaiveDate> {
    let [a, b, c] = numbers else {
        return None;
    };
    let sep = b.sep?;
    if c.sep != Some(sep) || !matches!(sep, '-' | '/' | '.') || numbers.iter().any(|n| n.ordinal) {
        return None;
    }
    let ymd = |y: u32, m: u32, d: u32| NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d);
    if a.digits == 4 && b.digits <= 2 && c.digits <= 2 {
        return ymd(a.value, b.value, c.value);
    }
    if a.digits > 2 || b.digits > 2 {
        return None;
    }
    let year = match (c.digits, sep) {
        (4, _) => c.value,
        (2, '.') => 2000 + c.value,
        _ => return None,
    };
    if sep == '.' || a.value == b.value {
        return ymd(year, b.value, a.value);
    }
    match (a.value > 12, b.value > 12) {
        (true, false) => ymd(year, b.value, a.value),
        (false, true) => ymd(year, a.value, b.value),
        _ => None,
    }
}

/// A month name plus a day and maybe a four-digit year, in any order.
fn month_name_date(
    month: u32,
    numbers: &[Number],
    time: Option<TimeOfDay>,
    ctx: &DateContext,
) -> Option<DateTime<Utc>> {
    let (years, days): (Vec<&Number>, Vec<&Number>) =
        numbers.iter().partition(|n| n.digits == 4 && !n.ordinal);
    let [day] = days.as_slice() else {
        return None;
    };
    if day.digits > 2 {
        return None;
    }
    match years.as_slice() {
        [] => without_year(month, day.value, time, ctx),
        [year] => {
            let date = NaiveDate::from_ymd_opt(i32::try_from(year.value).ok()?, month, day.value)?;
            at_time(date, time, ctx.tz)
        }
        _ => None,
    }
}

/// A date without a year is in the current year (in `ctx.tz`) unless that
/// is more than a day ahead of now; then it is the most recent earlier year
/// that has this day (29 February looks back to the last leap year).
pub(super) fn without_year(
    month: u32,
    day: u32,
    time: Option<TimeOfDay>,
    ctx: &DateContext,
) -> Option<DateTime<Utc>> {
    let this_year = ctx.now.with_timezone(&ctx.tz).year();
    let latest = ctx.now.checked_add_signed(TimeDelta::days(1))?;
    (0..=8)
        .filter_map(|back| NaiveDate::from_ymd_opt(this_year - back, month, day))
        .filter_map(|date| at_time(date, time, ctx.tz))
        .find(|t| *t <= latest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(text: &str) -> Vec<Number> {
        split_parts(text).expect("only numbers").numbers
    }

    #[test]
    fn numeric_orders() {
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(numeric_date(&numbers("2025/12/12")), ymd(2025, 12, 12));
        assert_eq!(numeric_date(&numbers("12.11.2025")), ymd(2025, 11, 12));
        assert_eq!(numeric_date(&numbers("12.11.25")), ymd(2025, 11, 12));
        assert_eq!(numeric_date(&numbers("25/12/2025")), ymd(2025, 12, 25));
        assert_eq!(numeric_date(&numbers("12/25/2025")), ymd(2025, 12, 25));
        assert_eq!(numeric_date(&numbers("05/06/2025")), None, "ambiguous");
        assert_eq!(
            numeric_date(&numbers("2025/12-12")),
            None,
            "mixed separators"
        );
        assert_eq!(numeric_date(&numbers("1.2.3")), None, "version number");
    }

    #[test]
    fn cjk_rewrite() {
        let words = |s: &str| {
            rewrite_cjk(s)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(words("2020年07月04日 星期六"), "04 jul 2020");
        assert_eq!(words("7月4日"), "4 jul");
        assert_eq!(rewrite_cjk("13月4日"), "13月4日");
    }
}
