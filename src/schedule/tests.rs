//! Tests of the crontab translation against crontab(5) semantics and croner.
use super::*;
use chrono::{Datelike, Timelike, Weekday};
use chrono_tz::Europe::Berlin;
use chrono_tz::UTC;

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
}

fn parse(line: &str, tz: Tz) -> Schedule {
    Schedule::parse(line, tz).unwrap_or_else(|e| panic!("{e}"))
}

/// The first `n` fire times after `start`, each found from the previous.
fn fires(schedule: &Schedule, start: DateTime<Utc>, n: usize) -> Vec<DateTime<Utc>> {
    std::iter::successors(schedule.next_after(start), |t| schedule.next_after(*t))
        .take(n)
        .collect()
}

fn local_fires(line: &str, tz: Tz, start: DateTime<Utc>, n: usize) -> Vec<DateTime<Tz>> {
    fires(&parse(line, tz), start, n)
        .into_iter()
        .map(|t| t.with_timezone(&tz))
        .collect()
}

#[test]
fn every_accepted_form_parses() {
    let lines = [
        "* * * * *",
        "*/15 * * * *",
        "0 9 * * 1-5",
        "0 0 * * 0",
        "0 0 * * 7",
        "0 12 1 * 1",
        "5,35 0-23/2 1-15 1,6-12 *",
        "0 6 * * 5-7",
        "0 6 * * 6-7",
        "0 6 * * 0-6",
        "0 6 * * */2",
        "0 6 * * 1-5/2",
        "0 6 * * MON-FRI",
        "0 6 * * sun",
        "0 6 * * mon,wed,5",
        "0 6 1 jan-mar,Dec *",
        "  0\t6 * *   *  ",
        "30 0 9 * * 1-5",
        "*/10 * * * * *",
        "0 0 0 1 1 * 2030",
        "0 0 0 1 1 * 2027-2040/3",
        "0 0 0 * * * *",
        "@yearly",
        "@annually",
        "@monthly",
        "@weekly",
        "@daily",
        "@midnight",
        "@hourly",
        "@Daily",
    ];
    for line in lines {
        let schedule = parse(line, UTC);
        assert_eq!(schedule.source(), line);
        assert!(
            schedule.next_after(utc(2026, 1, 1, 0, 0, 0)).is_some(),
            "{line}"
        );
    }
}

#[test]
fn invalid_lines_are_rejected_with_a_reason() {
    let cases = [
        ("", "empty"),
        ("   ", "empty"),
        ("hello", "found 1 fields"),
        ("0 9 * *", "found 4 fields"),
        ("0 0 0 1 1 * 2030 x", "found 8 fields"),
        ("a b c d e", "minute: \"a\" is not a number"),
        ("60 * * * *", "minute: 60 is out of range 0-59"),
        ("* 24 * * *", "hour: 24 is out of range 0-23"),
        ("* * 0 * *", "day-of-month: 0 is out of range 1-31"),
        ("* * 32 * *", "day-of-month: 32 is out of range 1-31"),
        ("* * * 13 *", "month: 13 is out of range 1-12"),
        (
            "* * * * 8",
            "day-of-week: 8 is out of range 0-7 (0 and 7 are Sunday)",
        ),
        ("60 * * * * *", "second: 60 is out of range 0-59"),
        ("0 0 0 1 1 * 2101", "year: 2101 is out of range 1970-2100"),
        ("* * * * 5-0", "runs backwards"),
        ("5/15 * * * *", "a step must follow \"*\" or a range"),
        ("*/0 * * * *", "at least 1"),
        ("*/x * * * *", "not a number"),
        ("-5 * * * *", "not a number"),
        ("1,,2 * * * *", "empty item"),
        ("* * ? * *", "\"?\" is not crontab syntax"),
        ("* * L * *", "not supported"),
        ("* * * * 5#2", "not supported"),
        ("* * * * monday", "weekday name"),
        ("* * * foo *", "month name"),
        ("0 0 30 2 *", "never fires"),
        ("0 0 31 4,6,9,11 *", "never fires"),
        ("@reboot", "@reboot is not supported"),
        ("@every 5m", "unknown nickname"),
        ("@fortnightly", "unknown nickname"),
    ];
    for (line, expected) in cases {
        let err = Schedule::parse(line, UTC).expect_err(line);
        assert_eq!(err.line, line);
        assert!(
            err.reason.contains(expected),
            "{line:?}: reason {:?} lacks {expected:?}",
            err.reason
        );
    }
}

#[test]
fn error_display_names_the_line_and_the_expected_shapes() {
    let err = Schedule::parse("0 9 * *", UTC).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid schedule \"0 9 * *\": expected 5 fields (crontab), 6 or 7 \
         (with seconds) or @hourly/@daily/… (found 4 fields)"
    );
    let boxed: Box<dyn std::error::Error> = Box::new(err);
    assert!(boxed.to_string().starts_with("invalid schedule"));
}

#[test]
fn a_schedule_in_words_is_answered_with_its_crontab_line() {
    let hint = |line: &str| Schedule::parse(line, UTC).unwrap_err().to_string();
    assert!(
        hint("every 30 minutes").ends_with("; for \"every 30 minutes\" write \"*/30 * * * *\"")
    );
    assert!(hint("every 2 hours").ends_with("write \"0 */2 * * *\""));
    assert!(hint("Every hour").ends_with("write \"@hourly\""));
    assert!(hint("daily").ends_with("write \"@daily\""));
    // No line runs every 90 minutes: no hint, rather than a wrong one.
    assert!(hint("every 90 minutes").ends_with("(found 3 fields)"));
    assert!(hint("0 9 * *").ends_with("(found 4 fields)"));
}

#[test]
fn weekdays_one_to_five_are_monday_to_friday() {
    // 2026-01-03 is a Saturday.
    let times = local_fires("0 9 * * 1-5", Berlin, utc(2026, 1, 3, 0, 0, 0), 10);
    let days: Vec<Weekday> = times.iter().map(|t| t.weekday()).collect();
    use Weekday::*;
    assert_eq!(days, [Mon, Tue, Wed, Thu, Fri, Mon, Tue, Wed, Thu, Fri]);
    assert!(
        times
            .iter()
            .all(|t| (t.hour(), t.minute(), t.second()) == (9, 0, 0))
    );
    assert_eq!(times[0].to_utc(), utc(2026, 1, 5, 8, 0, 0));
}

#[test]
fn zero_and_seven_are_sunday() {
    for line in ["0 0 * * 0", "0 0 * * 7", "0 0 * * sun", "@weekly"] {
        let times = local_fires(line, UTC, utc(2026, 1, 1, 0, 0, 0), 5);
        assert!(times.iter().all(|t| t.weekday() == Weekday::Sun), "{line}");
        assert_eq!(times[0].to_utc(), utc(2026, 1, 4, 0, 0, 0), "{line}");
        assert_eq!(times[1].to_utc(), utc(2026, 1, 11, 0, 0, 0), "{line}");
    }
}

#[test]
fn weekday_ranges_lists_steps_and_names() {
    use Weekday::*;
    let cases: [(&str, &[Weekday]); 12] = [
        ("5-7", &[Fri, Sat, Sun]),
        ("6-7", &[Sat, Sun]),
        ("0-6", &[Sun, Mon, Tue, Wed, Thu, Fri, Sat]),
        ("*/2", &[Sun, Tue, Thu, Sat]),
        ("*/3", &[Sun, Wed, Sat]),
        ("1-5/2", &[Mon, Wed, Fri]),
        ("1,3,5", &[Mon, Wed, Fri]),
        ("MON-FRI", &[Mon, Tue, Wed, Thu, Fri]),
        ("fri-sun", &[Fri, Sat, Sun]),
        ("sat,sun", &[Sat, Sun]),
        ("mon,3,7", &[Mon, Wed, Sun]),
        ("0-7/7", &[Sun]),
    ];
    // 2026-01-04 is a Sunday; two weeks cover every weekday twice.
    for (field, expected) in cases {
        let line = format!("0 12 * * {field}");
        let seen: std::collections::BTreeSet<u32> =
            local_fires(&line, UTC, utc(2026, 1, 4, 0, 0, 0), 2 * expected.len())
                .iter()
                .map(|t| t.weekday().num_days_from_sunday())
                .collect();
        let want: std::collections::BTreeSet<u32> =
            expected.iter().map(|d| d.num_days_from_sunday()).collect();
        assert_eq!(seen, want, "{line}");
    }
}

#[test]
fn every_fifteen_minutes() {
    let times = fires(
        &parse("*/15 * * * *", Berlin),
        utc(2026, 5, 1, 10, 7, 30),
        6,
    );
    let minutes: Vec<u32> = times.iter().map(|t| t.minute()).collect();
    assert_eq!(minutes, [15, 30, 45, 0, 15, 30]);
    assert!(
        times
            .windows(2)
            .all(|w| w[1] - w[0] == TimeDelta::minutes(15))
    );
}

#[test]
fn day_of_month_or_day_of_week() {
    // `0 12 1 * 1`: noon on the 1st OR on Mondays (crontab(5)).
    // 2026-01-01 is a Thursday; February 1st a Sunday; June 1st a Monday.
    let times = local_fires("0 12 1 * 1", UTC, utc(2025, 12, 31, 0, 0, 0), 40);
    assert!(
        times
            .iter()
            .all(|t| t.day() == 1 || t.weekday() == Weekday::Mon)
    );
    assert_eq!(times[0].to_utc(), utc(2026, 1, 1, 12, 0, 0)); // a Thursday
    assert_eq!(times[1].to_utc(), utc(2026, 1, 5, 12, 0, 0)); // a Monday
    assert!(times.contains(&utc(2026, 2, 1, 12, 0, 0).with_timezone(&UTC)));
    // Every Monday in the window is there, and every 1st.
    let mut day = times[0].date_naive();
    while day <= times.last().unwrap().date_naive() {
        let fires_that_day = times.iter().any(|t| t.date_naive() == day);
        assert_eq!(
            fires_that_day,
            day.day() == 1 || day.weekday() == Weekday::Mon,
            "{day}"
        );
        day = day.succ_opt().unwrap();
    }
}

#[test]
fn a_day_field_starting_with_star_is_unrestricted() {
    // Vixie cron: `*/2` starts with `*`, so day-of-month and day-of-week
    // are ANDed: odd days that are Mondays.
    let times = local_fires("0 0 */2 * 1", UTC, utc(2026, 1, 1, 0, 0, 0), 8);
    assert!(
        times
            .iter()
            .all(|t| t.day() % 2 == 1 && t.weekday() == Weekday::Mon)
    );
    assert_eq!(times[0].to_utc(), utc(2026, 1, 5, 0, 0, 0));
    // The same days written without a leading `*` are ORed.
    let times = local_fires("0 0 1-31/2 * 1", UTC, utc(2026, 1, 1, 0, 0, 0), 8);
    assert_eq!(times[0].to_utc(), utc(2026, 1, 3, 0, 0, 0)); // a Saturday
    assert!(times.iter().any(|t| t.day() % 2 == 0));
}

#[test]
fn seconds_and_years() {
    let s = parse("30 0 9 * * 1-5", Berlin);
    assert_eq!(
        s.next_after(utc(2026, 1, 3, 0, 0, 0)),
        Some(utc(2026, 1, 5, 8, 0, 30))
    );
    let s = parse("*/20 * * * * *", UTC);
    assert_eq!(
        s.next_after(utc(2026, 1, 1, 0, 0, 5)),
        Some(utc(2026, 1, 1, 0, 0, 20))
    );
    let s = parse("0 0 0 1 1 * 2027", UTC);
    assert_eq!(
        s.next_after(utc(2026, 6, 1, 0, 0, 0)),
        Some(utc(2027, 1, 1, 0, 0, 0))
    );
    assert_eq!(s.next_after(utc(2027, 1, 1, 0, 0, 0)), None);
}

#[test]
fn next_after_is_strictly_after() {
    let s = parse("0 * * * *", UTC);
    let on_the_hour = utc(2026, 1, 1, 10, 0, 0);
    assert_eq!(s.next_after(on_the_hour), Some(utc(2026, 1, 1, 11, 0, 0)));
    let just_before = on_the_hour - TimeDelta::nanoseconds(1);
    assert_eq!(s.next_after(just_before), Some(on_the_hour));
    let just_after = on_the_hour + TimeDelta::milliseconds(500);
    assert_eq!(s.next_after(just_after), Some(utc(2026, 1, 1, 11, 0, 0)));
}

#[test]
fn months_and_nicknames() {
    let s = parse("0 0 1 jul *", UTC);
    assert_eq!(
        s.next_after(utc(2026, 7, 1, 0, 0, 0)),
        Some(utc(2027, 7, 1, 0, 0, 0))
    );
    let s = parse("@yearly", Berlin);
    assert_eq!(
        s.next_after(utc(2026, 6, 1, 0, 0, 0)),
        Some(utc(2026, 12, 31, 23, 0, 0))
    );
    let s = parse("@hourly", UTC);
    assert_eq!(
        s.next_after(utc(2026, 6, 1, 0, 30, 0)),
        Some(utc(2026, 6, 1, 1, 0, 0))
    );
    let s = parse("@monthly", UTC);
    assert_eq!(
        s.next_after(utc(2026, 6, 1, 0, 0, 0)),
        Some(utc(2026, 7, 1, 0, 0, 0))
    );
}

// --- Daylight saving time (Europe/Berlin, 2026) -----------------------
// Spring forward: 2026-03-29 02:00 CET (01:00Z) becomes 03:00 CEST.
// Fall back:      2026-10-25 03:00 CEST (01:00Z) becomes 02:00 CET, so
// 02:00–02:59 happens at 00:00Z–00:59Z and again at 01:00Z–01:59Z.

#[test]
fn dst_fixed_time_in_spring_gap_fires_once_right_after_the_gap() {
    let s = parse("30 2 * * *", Berlin);
    assert_eq!(
        fires(&s, utc(2026, 3, 27, 12, 0, 0), 4),
        [
            utc(2026, 3, 28, 1, 30, 0), // 02:30 CET
            utc(2026, 3, 29, 1, 0, 0),  // 02:30 does not exist: 03:00 CEST
            utc(2026, 3, 30, 0, 30, 0), // 02:30 CEST
            utc(2026, 3, 31, 0, 30, 0),
        ]
    );
    // Asked just before the gap, or within what would have been it.
    assert_eq!(
        s.next_after(utc(2026, 3, 29, 0, 59, 59)),
        Some(utc(2026, 3, 29, 1, 0, 0))
    );
    assert_eq!(
        s.next_after(utc(2026, 3, 29, 1, 0, 0)),
        Some(utc(2026, 3, 30, 0, 30, 0))
    );
}

#[test]
fn dst_fixed_time_in_fall_back_fires_once() {
    let s = parse("30 2 * * *", Berlin);
    assert_eq!(
        fires(&s, utc(2026, 10, 23, 12, 0, 0), 3),
        [
            utc(2026, 10, 24, 0, 30, 0), // 02:30 CEST
            utc(2026, 10, 25, 0, 30, 0), // first 02:30 (CEST) only
            utc(2026, 10, 26, 1, 30, 0), // 02:30 CET
        ]
    );
    // Whatever `after` is, the second 02:30 (01:30Z) is never returned:
    // after the first one, in between, or in the repeated hour.
    for after in [
        utc(2026, 10, 25, 0, 30, 0),
        utc(2026, 10, 25, 0, 45, 0),
        utc(2026, 10, 25, 1, 10, 0),
        utc(2026, 10, 25, 1, 29, 59),
    ] {
        assert_eq!(
            s.next_after(after),
            Some(utc(2026, 10, 26, 1, 30, 0)),
            "{after}"
        );
    }
    assert_eq!(
        s.next_after(utc(2026, 10, 25, 0, 29, 59)),
        Some(utc(2026, 10, 25, 0, 30, 0))
    );
}

#[test]
fn dst_interval_jobs_keep_their_rhythm_in_real_time() {
    let quarter_hourly = parse("*/15 * * * *", Berlin);
    for start in [utc(2026, 3, 29, 0, 10, 0), utc(2026, 10, 24, 23, 10, 0)] {
        let times = fires(&quarter_hourly, start, 12);
        assert!(
            times
                .windows(2)
                .all(|w| w[1] - w[0] == TimeDelta::minutes(15)),
            "{times:?}"
        );
    }
    let hourly = parse("0 * * * *", Berlin);
    // Spring: 01:00 CET, then 03:00 CEST (02:00 does not exist).
    assert_eq!(
        fires(&hourly, utc(2026, 3, 28, 23, 30, 0), 3),
        [
            utc(2026, 3, 29, 0, 0, 0),
            utc(2026, 3, 29, 1, 0, 0),
            utc(2026, 3, 29, 2, 0, 0)
        ]
    );
    // Fall: 02:00 CEST, 02:00 CET, 03:00 CET.
    assert_eq!(
        fires(&hourly, utc(2026, 10, 24, 23, 30, 0), 3),
        [
            utc(2026, 10, 25, 0, 0, 0),
            utc(2026, 10, 25, 1, 0, 0),
            utc(2026, 10, 25, 2, 0, 0)
        ]
    );
    // A list of times is an interval job too: both passes, no catch-up.
    let twice = parse("0,30 2 * * *", Berlin);
    assert_eq!(
        fires(&twice, utc(2026, 10, 24, 12, 0, 0), 4),
        [
            utc(2026, 10, 25, 0, 0, 0),
            utc(2026, 10, 25, 0, 30, 0),
            utc(2026, 10, 25, 1, 0, 0),
            utc(2026, 10, 25, 1, 30, 0),
        ]
    );
    assert_eq!(
        twice.next_after(utc(2026, 3, 28, 12, 0, 0)),
        Some(utc(2026, 3, 30, 0, 0, 0))
    );
}

#[test]
fn dst_from_inside_the_repeated_hour() {
    let s = parse("*/20 * * * *", Berlin);
    // 00:50Z is 02:50 CEST (first pass): next is 02:00 CET = 01:00Z.
    assert_eq!(
        s.next_after(utc(2026, 10, 25, 0, 50, 0)),
        Some(utc(2026, 10, 25, 1, 0, 0))
    );
    // 00:10Z is 02:10 CEST: next is 02:20 CEST.
    assert_eq!(
        s.next_after(utc(2026, 10, 25, 0, 10, 0)),
        Some(utc(2026, 10, 25, 0, 20, 0))
    );
    // 01:50Z is 02:50 CET (second pass): next is 03:00 CET = 02:00Z.
    assert_eq!(
        s.next_after(utc(2026, 10, 25, 1, 50, 0)),
        Some(utc(2026, 10, 25, 2, 0, 0))
    );
}

/// What `cron` 0.17 does on its own, pinned so that an upgrade that
/// changes it is noticed. These are the reasons for the wall-clock
/// search in [`Schedule::next_after`].
#[test]
fn cron_0_17_raw_behaviour() {
    let daily = cron::Schedule::from_str("0 30 2 * * *").unwrap();
    // Spring-forward gap: 02:30 on 2026-03-29 is skipped.
    let start = utc(2026, 3, 28, 12, 0, 0).with_timezone(&Berlin);
    assert_eq!(
        daily.after(&start).next().map(|t| t.to_utc()),
        Some(utc(2026, 3, 30, 0, 30, 0))
    );
    // Fall back: both instants of 02:30 are yielded...
    let start = utc(2026, 10, 24, 12, 0, 0).with_timezone(&Berlin);
    let times: Vec<_> = daily.after(&start).take(3).map(|t| t.to_utc()).collect();
    assert_eq!(
        times[..2],
        [utc(2026, 10, 25, 0, 30, 0), utc(2026, 10, 25, 1, 30, 0)]
    );
    // ...and from inside the repeated hour it returns a time in the past.
    let after = utc(2026, 10, 25, 1, 10, 0);
    let next = daily.after(&after.with_timezone(&Berlin)).next().unwrap();
    assert!(next.to_utc() < after);
    // The dialect: 5 fields and weekday 0 are errors; 1-5 is Sunday–Thursday.
    assert!(cron::Schedule::from_str("0 9 * * 1-5").is_err());
    assert!(cron::Schedule::from_str("0 0 9 * * 0").is_err());
    let sun_to_thu = cron::Schedule::from_str("0 0 9 * * 1-5").unwrap();
    let first = sun_to_thu.after(&utc(2026, 1, 3, 12, 0, 0)).next().unwrap();
    assert_eq!(first.weekday(), Weekday::Sun);
    assert!(cron::Schedule::from_str("@midnight").is_err());
    assert!(cron::Schedule::from_str("0 */60 * * * *").is_err());
}

// --- jitter -------------------------------------------------------------

#[test]
fn jitter_is_stable() {
    let hour = Duration::from_secs(3600);
    assert_eq!(
        jitter("example-feed", hour),
        Duration::from_nanos(JITTER_EXAMPLE_FEED_HOUR)
    );
    assert_eq!(jitter("example-feed", hour), jitter("example-feed", hour));
}

const JITTER_EXAMPLE_FEED_HOUR: u64 = 1_360_839_272_859;

#[test]
fn jitter_is_within_range() {
    for max in [
        Duration::ZERO,
        Duration::from_nanos(1),
        Duration::from_nanos(7),
        Duration::from_secs(1),
        Duration::from_secs(3600),
        Duration::MAX,
    ] {
        for i in 0..200 {
            let j = jitter(&format!("feed-{i}"), max);
            assert!(j < max || max.is_zero(), "{j:?} for {max:?}");
        }
    }
    assert_eq!(jitter("anything", Duration::ZERO), Duration::ZERO);
    assert_eq!(jitter("anything", Duration::from_nanos(1)), Duration::ZERO);
}

#[test]
fn jitter_differs_across_slugs() {
    let hour = Duration::from_secs(3600);
    let values: Vec<Duration> = (0..200)
        .map(|i| jitter(&format!("feed-{i}"), hour))
        .collect();
    let distinct: std::collections::BTreeSet<_> = values.iter().collect();
    assert_eq!(distinct.len(), values.len());
    // Spread over the whole hour: every quarter gets a fair share.
    for quarter in 0..4u32 {
        let count = values
            .iter()
            .filter(|v| v.as_secs() / 900 == u64::from(quarter))
            .count();
        assert!((25..=75).contains(&count), "quarter {quarter}: {count}");
    }
    assert_ne!(jitter("a", hour), jitter("b", hour));
    assert_ne!(jitter("feed", hour), jitter("feed ", hour));
}

// --- croner 4 as an oracle ----------------------------------------------

mod oracle {
    use super::*;
    use croner::Cron;
    use croner::parser::{CronParser, Seconds};
    use proptest::prelude::*;

    /// croner with crontab(5) semantics for 5-field lines.
    ///
    /// croner ORs the day fields (its `dom_and_dow` option is off) unless
    /// one of them is exactly `*`; crontab(5) ANDs them as soon as one
    /// *starts* with `*` (`*/2`). croner's `+` day-of-week prefix forces
    /// AND, so it is added in exactly those cases.
    fn croner_for(line: &str) -> Cron {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let text =
            if fields.len() == 5 && (fields[2].starts_with('*') || fields[4].starts_with('*')) {
                format!(
                    "{} {} {} {} +{}",
                    fields[0], fields[1], fields[2], fields[3], fields[4]
                )
            } else {
                line.to_string()
            };
        CronParser::builder()
            .seconds(Seconds::Disallowed)
            .dom_and_dow(false)
            .build()
            .parse(&text)
            .unwrap_or_else(|e| panic!("croner rejected {text:?}: {e}"))
    }

    /// Compares the next `n` fire times of both libraries from `start`.
    fn compare(line: &str, tz: Tz, start: DateTime<Utc>, n: usize) -> Result<(), String> {
        let ours = parse(line, tz);
        let theirs = croner_for(line);
        let croner_next = |t: DateTime<Utc>| {
            theirs
                .find_next_occurrence(&t.with_timezone(&tz), false)
                .ok()
                .map(|t| t.to_utc())
        };
        let (mut a, mut b) = (start, start);
        for i in 0..n {
            let mine = ours.next_after(a);
            let oracle = croner_next(b);
            match (mine, oracle) {
                (Some(x), Some(y)) if x == y => (a, b) = (x, y),
                // cron 0.17 knows no year after 2100.
                (None, Some(y)) if y.year() > 2100 => return Ok(()),
                _ => {
                    return Err(format!(
                        "{line:?} in {tz} from {start}, fire #{i} after {a}: \
                         ours {mine:?}, croner {oracle:?}"
                    ));
                }
            }
        }
        Ok(())
    }

    const STARTS: [(i32, u32, u32, u32, u32, u32); 6] = [
        (2026, 1, 1, 0, 0, 0),
        (2026, 3, 28, 22, 0, 0),   // before Berlin's spring-forward
        (2026, 10, 24, 22, 30, 0), // before Berlin's fall-back
        (2026, 10, 25, 0, 40, 0),  // inside the first pass of 02:00–03:00
        (2026, 10, 25, 1, 10, 0),  // inside the second pass
        (2028, 2, 27, 13, 37, 11), // leap year, odd seconds
    ];

    const TABLE: [&str; 36] = [
        "* * * * *",
        "*/15 * * * *",
        "0 * * * *",
        "5 4 * * *",
        "30 2 * * *",
        "0 2 * * *",
        "59 1 * * *",
        "0 9 * * 1-5",
        "0 0 * * 0",
        "0 0 * * 7",
        "0 12 1 * 1",
        "0 12 13 * 5",
        "15 3 1,15 * *",
        "0 0 1 1 *",
        "0 0 29 2 *",
        "0 22 * * 1-5",
        "23 0-20/2 * * *",
        "0 0,12 1 */2 *",
        "5-10 * * * *",
        "0 8-18/3 * * MON-FRI",
        "0 0 * JAN,JUL sun",
        "0 6 * * 5-7",
        "0 6 * * 6,7",
        "0 6 * * */2",
        "0 6 * * 1-5/2",
        "45 23 31 * *",
        "0 0 1-7 * 1",
        "0 0 */2 * 1",
        "0 0 1 * */2",
        "59 23 28-31 2 *",
        "0 2 * 3,10 0",
        "30 1-3 * * *",
        "0,30 2 * * *",
        "* 2 * * *",
        "@weekly",
        "@hourly",
    ];

    #[test]
    fn table_agrees_with_croner() {
        let mut failures = Vec::new();
        for line in TABLE {
            for tz in [UTC, Berlin] {
                for (y, mo, d, h, mi, s) in STARTS {
                    if let Err(e) = compare(line, tz, utc(y, mo, d, h, mi, s), 20) {
                        failures.push(e);
                    }
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} disagreements:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    /// Zones with other kinds of transition: New York (02:00 local),
    /// Lord Howe (30-minute DST), Santiago (DST changes at midnight),
    /// Troll (2-hour DST). Starts are placed around each 2026 transition.
    #[test]
    fn other_time_zones_agree_with_croner() {
        use chrono::Offset;
        let zones: [Tz; 4] = [
            chrono_tz::America::New_York,
            chrono_tz::Australia::Lord_Howe,
            chrono_tz::America::Santiago,
            chrono_tz::Antarctica::Troll,
        ];
        let mut failures = Vec::new();
        for tz in zones {
            let offset = |t: DateTime<Utc>| tz.offset_from_utc_datetime(&t.naive_utc()).fix();
            let mut t = utc(2026, 1, 1, 0, 0, 0);
            let mut transitions = Vec::new();
            while t.year() == 2026 {
                let next = t + TimeDelta::minutes(30);
                if offset(t) != offset(next) {
                    transitions.push(next);
                }
                t = next;
            }
            assert_eq!(transitions.len(), 2, "{tz}");
            for transition in transitions {
                for minutes in [-200, -61, -30, 10, 45, 95] {
                    let start = transition + TimeDelta::minutes(minutes);
                    for line in TABLE {
                        if let Err(e) = compare(line, tz, start, 8) {
                            failures.push(e);
                        }
                    }
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} disagreements:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    /// The one documented disagreement: croner without the `+` prefix ORs
    /// `*/2` day-of-month with a weekday, crontab(5) does not.
    #[test]
    fn croner_treats_star_step_as_restricted() {
        let croner_or: Cron = "0 0 */2 * 1".parse().unwrap();
        let start = utc(2026, 1, 1, 0, 0, 0);
        let theirs = croner_or.find_next_occurrence(&start, false).unwrap();
        assert_eq!(theirs, utc(2026, 1, 3, 0, 0, 0)); // an odd day, a Saturday
        let ours = parse("0 0 */2 * 1", UTC).next_after(start).unwrap();
        assert_eq!(ours, utc(2026, 1, 5, 0, 0, 0)); // an odd day AND a Monday
    }

    /// Smaller croner quirks, also listed in the module docs.
    #[test]
    fn croner_edge_cases() {
        let start = utc(2026, 1, 1, 0, 0, 0); // a Thursday
        // `sun-sun`: every day in croner, Sunday here (and in Vixie cron).
        let croner_sun: Cron = "0 0 * * SUN-SUN".parse().unwrap();
        assert_eq!(
            croner_sun.find_next_occurrence(&start, false).unwrap(),
            utc(2026, 1, 2, 0, 0, 0)
        );
        let ours = parse("0 0 * * sun-sun", UTC).next_after(start).unwrap();
        assert_eq!(ours, utc(2026, 1, 4, 0, 0, 0));
        // `*` inside a list: valid crontab, rejected by croner.
        assert!("1,* * * * *".parse::<Cron>().is_err());
        let ours = parse("1,* * * * *", UTC).next_after(start).unwrap();
        assert_eq!(ours, utc(2026, 1, 1, 0, 1, 0));
        // A step after a single number: both reject it (cron 0.17 accepts it).
        assert!("5/15 * * * *".parse::<Cron>().is_err());
        assert!(Schedule::parse("5/15 * * * *", UTC).is_err());
    }

    // Random 5-field lines: lists of values, ranges and steps.

    #[derive(Debug, Clone)]
    enum Item {
        Value(u32),
        Range(u32, u32),
        RangeStep(u32, u32, u32),
        StarStep(u32),
    }

    fn item(low: u32, high: u32) -> impl Strategy<Value = Item> {
        prop_oneof![
            3 => (low..=high).prop_map(Item::Value),
            2 => (low..=high, low..=high).prop_map(|(a, b)| Item::Range(a.min(b), a.max(b))),
            2 => (low..=high, low..=high, 2..=(high - low).max(2))
                .prop_map(|(a, b, s)| Item::RangeStep(a.min(b), a.max(b), s)),
            1 => (1..=(high - low + 1)).prop_map(Item::StarStep),
        ]
    }

    /// `*`, or a list of 1–3 items. `names` renders values as names.
    fn field(
        low: u32,
        high: u32,
        names: Option<&'static [&'static str]>,
    ) -> impl Strategy<Value = String> {
        let list = (prop::collection::vec(item(low, high), 1..=3), any::<bool>()).prop_map(
            move |(items, use_names)| {
                let name = |v: u32| match names {
                    Some(names) if use_names => names[(v - low) as usize].to_string(),
                    _ => v.to_string(),
                };
                // `SUN-SUN` is read as Sunday here and as every day by
                // croner (see the module docs), so a range from Sunday to
                // Sunday stays numeric.
                let sunday = |v: u32| low == 0 && (v == 0 || v == 7);
                let range = |a: u32, b: u32| {
                    if sunday(a) && sunday(b) {
                        format!("{a}-{b}")
                    } else {
                        format!("{}-{}", name(a), name(b))
                    }
                };
                items
                    .into_iter()
                    .map(|item| match item {
                        Item::Value(v) => name(v),
                        Item::Range(a, b) if a == b => name(a),
                        Item::Range(a, b) => range(a, b),
                        Item::RangeStep(a, b, s) => format!("{}/{s}", range(a, b)),
                        Item::StarStep(s) => format!("*/{s}"),
                    })
                    .collect::<Vec<_>>()
                    .join(",")
            },
        );
        prop_oneof![1 => Just("*".to_string()), 3 => list]
    }

    const MONTHS: &[&str] = &[
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ];
    const WEEKDAYS: &[&str] = &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"];

    fn line() -> impl Strategy<Value = String> {
        // Single early-morning times are "fixed-time" jobs near DST changes.
        let minute =
            prop_oneof![3 => field(0, 59, None), 1 => (0u32..60).prop_map(|m| m.to_string())];
        let hour = prop_oneof![3 => field(0, 23, None), 1 => (0u32..4).prop_map(|h| h.to_string())];
        (
            minute,
            hour,
            field(1, 31, None),
            field(1, 12, Some(MONTHS)),
            field(0, 7, Some(WEEKDAYS)),
        )
            .prop_map(|(mi, h, dom, mo, dow)| format!("{mi} {h} {dom} {mo} {dow}"))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        /// Fixed-time jobs in the small hours, near Berlin's DST changes.
        #[test]
        fn fixed_times_near_dst_agree_with_croner(
            minute in 0u32..60,
            hour in 0u32..4,
            days in prop_oneof![3 => Just("* * *".to_string()), 1 => (
                field(1, 31, None), field(1, 12, Some(MONTHS)), field(0, 7, Some(WEEKDAYS)),
            ).prop_map(|(dom, mo, dow)| format!("{dom} {mo} {dow}"))],
            start in 1usize..5,
            offset in -(6 * 3600i64)..3 * 3600,
        ) {
            let line = format!("{minute} {hour} {days}");
            prop_assume!(Schedule::parse(&line, Berlin).is_ok());
            let (y, mo, d, h, mi, s) = STARTS[start];
            let start = utc(y, mo, d, h, mi, s) + TimeDelta::seconds(offset);
            let result = compare(&line, Berlin, start, 5);
            prop_assert!(result.is_ok(), "{}", result.unwrap_err());
        }

        #[test]
        fn random_lines_agree_with_croner(
            line in line(),
            start in 0usize..STARTS.len(),
            offset in 0i64..3 * 3600,
            berlin in any::<bool>(),
        ) {
            // Lines that never fire (e.g. `* * 30-31 2 *`) are errors here
            // and a search-limit error in croner; nothing to compare.
            let tz = if berlin { Berlin } else { UTC };
            prop_assume!(Schedule::parse(&line, tz).is_ok());
            let (y, mo, d, h, mi, s) = STARTS[start];
            let start = utc(y, mo, d, h, mi, s) + TimeDelta::seconds(offset);
            let result = compare(&line, tz, start, 20);
            prop_assert!(result.is_ok(), "{}", result.unwrap_err());
        }
    }
}
