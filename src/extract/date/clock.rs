//! Times of day, UTC offsets and turning a local wall-clock time into an
//! instant (including DST gaps and overlaps).

use std::sync::LazyLock;

use chrono::{
    DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Timelike, Utc,
};
use chrono_tz::Tz;
use regex::Regex;

/// A time of day found in a text, with the offset written after it, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct TimeOfDay {
    pub(super) time: NaiveTime,
    pub(super) offset: Option<FixedOffset>,
}

/// "10:30", "10:30:15.123", "9:15 pm", "9:15 p.m.", "18h30", "10:30:00 +0000",
/// "10:30 GMT", "10:30 EST". Runs on lowercased text.
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?: ^ | [^0-9:.] )                             # not glued to other digits
        (?P<h> [0-9]{1,2} ) (?: : | h ) (?P<m> [0-9]{2} )
        (?: : (?P<s> [0-9]{2} ) (?: [.,] (?P<frac> [0-9]{1,9} ) )? )?
        (?: \s* (?P<ampm> [ap] ) \.? \s? m \b \.? )?
        (?: \s* (?P<zone>
              (?: utc | gmt ) [+-] [0-9]{1,2} (?: :? [0-9]{2} )?
            | [+-] [0-9]{2} :? [0-9]{2}
            | z | utc | gmt | ut | [ecmp] [sd] t | cest | cet | mesz | mez | bst
        ) \b )?",
    )
    .expect("TIME regex is valid")
});

/// Finds the first time of day in `s`. Returns the text with the time cut out
/// and the time, `(s, None)` when there is no time, or `None` when something
/// looks like a time but isn't one ("25:70").
pub(super) fn split_time(s: &str) -> Option<(String, Option<TimeOfDay>)> {
    let Some(caps) = TIME.captures(s) else {
        return Some((s.to_owned(), None));
    };
    let number = |name: &str| caps.name(name).map_or(Some(0), |m| m.as_str().parse().ok());
    let hour = to_24h(number("h")?, caps.name("ampm").map(|m| m.as_str()));
    let nanos = caps
        .name("frac")
        .map_or(Some(0), |m| fraction_to_nanos(m.as_str()))?;
    let time = NaiveTime::from_hms_nano_opt(hour, number("m")?, number("s")?.min(59), nanos)?;
    let offset = match caps.name("zone") {
        Some(zone) => Some(parse_offset(zone.as_str())?),
        None => None,
    };
    let hour_start = caps.name("h").map_or(0, |m| m.start());
    let end = caps.get(0).map_or(s.len(), |m| m.end());
    let rest = format!("{} {}", &s[..hour_start], &s[end..]);
    Some((rest, Some(TimeOfDay { time, offset })))
}

/// Applies "am"/"pm" to hours 1–12. Other hours are already 24-hour values
/// ("18:00 am 12. Dezember" is German for "18:00 on 12 December").
fn to_24h(hour: u32, ampm: Option<&str>) -> u32 {
    match ampm {
        Some("a") if (1..=12).contains(&hour) => hour % 12,
        Some("p") if (1..=12).contains(&hour) => hour % 12 + 12,
        _ => hour,
    }
}

/// ".5" → 500 000 000 ns; the digits are the part after the decimal point.
pub(super) fn fraction_to_nanos(digits: &str) -> Option<u32> {
    let value: u32 = digits.parse().ok()?;
    let scale = 10u32.checked_pow(9u32.checked_sub(digits.len() as u32)?)?;
    value.checked_mul(scale)
}

/// "z", "utc", "gmt", "+02", "+0200", "-05:00", "gmt+1", "utc-03:30", and a
/// few well-known abbreviations (North American zones as in RFC 2822, CET).
pub(super) fn parse_offset(zone: &str) -> Option<FixedOffset> {
    let hours = |h: i32| FixedOffset::east_opt(h * 3600);
    match zone {
        "z" | "utc" | "gmt" | "ut" => return hours(0),
        "est" | "cdt" => return hours(-5),
        "edt" => return hours(-4),
        "cst" | "mdt" => return hours(-6),
        "mst" | "pdt" => return hours(-7),
        "pst" => return hours(-8),
        "cet" | "mez" | "bst" => return hours(1),
        "cest" | "mesz" => return hours(2),
        _ => {}
    }
    let numeric = zone
        .strip_prefix("utc")
        .or_else(|| zone.strip_prefix("gmt"))
        .unwrap_or(zone);
    let sign = match numeric.chars().next()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let digits: String = numeric[1..].chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = match digits.len() {
        1 | 2 => (digits.as_str(), "0"),
        3 | 4 => digits.split_at(digits.len() - 2),
        _ => return None,
    };
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if h > 23 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

/// The instant of `date` at `time` (midnight when absent): with the written
/// offset if there is one, otherwise as wall-clock time in `tz`.
pub(super) fn at_time(date: NaiveDate, time: Option<TimeOfDay>, tz: Tz) -> Option<DateTime<Utc>> {
    let naive = date.and_time(time.map_or(NaiveTime::MIN, |t| t.time));
    match time.and_then(|t| t.offset) {
        Some(offset) => offset
            .from_local_datetime(&naive)
            .single()
            .map(|t| t.with_timezone(&Utc)),
        None => resolve_local(tz, naive),
    }
}

/// Wall-clock time in `tz` → instant. In a DST overlap the earlier instant
/// wins; in a DST gap (a time that never happened), the first minute after
/// the gap — the earliest valid instant at or after the written time.
pub(super) fn resolve_local(tz: Tz, naive: NaiveDateTime) -> Option<DateTime<Utc>> {
    if let Some(t) = tz.from_local_datetime(&naive).earliest() {
        return Some(t.with_timezone(&Utc));
    }
    let start = naive.with_second(0)?.with_nanosecond(0)?;
    // Gaps are an hour or two; Samoa once skipped a whole day.
    (1..=26 * 60).find_map(|minutes| {
        let later = start.checked_add_signed(TimeDelta::try_minutes(minutes)?)?;
        tz.from_local_datetime(&later)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hms(h: u32, m: u32, s: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, s).unwrap()
    }

    #[test]
    fn split_time_forms() {
        let rows: &[(&str, NaiveTime, Option<i32>)] = &[
            ("dec 12 10:30", hms(10, 30, 0), None),
            ("x 9:15 pm", hms(21, 15, 0), None),
            ("x 9:15 p.m.", hms(21, 15, 0), None),
            ("x 12:05 am", hms(0, 5, 0), None),
            ("x 12:05 pm", hms(12, 5, 0), None),
            ("x 18:00 am 12. dezember", hms(18, 0, 0), None),
            ("x 18h30", hms(18, 30, 0), None),
            ("x 10:30:15 +0200", hms(10, 30, 15), Some(7200)),
            ("x 10:30 gmt", hms(10, 30, 0), Some(0)),
            ("x 10:30 est", hms(10, 30, 0), Some(-5 * 3600)),
            (
                "x 10:30 utc-03:30",
                hms(10, 30, 0),
                Some(-(3 * 3600 + 1800)),
            ),
        ];
        for (input, time, offset) in rows {
            let (_, found) = split_time(input).unwrap_or_else(|| panic!("{input}"));
            let found = found.unwrap_or_else(|| panic!("no time in {input}"));
            assert_eq!(found.time, *time, "{input}");
            assert_eq!(
                found.offset.map(|o| o.local_minus_utc()),
                *offset,
                "{input}"
            );
        }
    }

    #[test]
    fn split_time_rejects_impossible_times_and_keeps_timeless_text() {
        assert_eq!(split_time("x 25:70"), None);
        assert_eq!(split_time("12.12.2025"), Some(("12.12.2025".into(), None)));
    }

    #[test]
    fn fractions() {
        assert_eq!(fraction_to_nanos("5"), Some(500_000_000));
        assert_eq!(fraction_to_nanos("123456789"), Some(123_456_789));
    }
}
