//! Refresh schedules for feeds, written as crontab(5) lines.
//!
//! # Why this module exists
//!
//! Users configure feeds with the schedule lines they know from crontab(5)
//! (`*/15 * * * *`, `0 9 * * 1-5`, `@daily`). The calendar arithmetic is done
//! by the `cron` crate (0.17), but that crate speaks a different, Quartz-like
//! dialect:
//!
//! | | crontab(5) | `cron` 0.17 |
//! |---|---|---|
//! | fields | 5: minute hour day-of-month month day-of-week | 6 or 7: **seconds** first, optional year; 5 fields are rejected |
//! | weekday numbers | 0–7, 0 and 7 = Sunday, 1 = Monday | 1–7, 1 = Sunday, 2 = Monday; 0 is an error |
//! | `1-5` in day-of-week | Monday–Friday | Sunday–Thursday (silently different) |
//! | day-of-month *and* day-of-week restricted | fires when **either** matches | fires when **both** match |
//! | nicknames | `@yearly @annually @monthly @weekly @daily @midnight @hourly @reboot` | no `@annually`, `@midnight`, `@reboot` |
//! | steps | any step after `*` or a range | step must not exceed the field's maximum (`*/60` is an error); `5/15` means `5-59/15` |
//!
//! Handing a crontab line to `cron` therefore either fails or, worse, fires on
//! the wrong days. This module translates faithfully: the line is parsed with
//! crontab's rules (by the private translator in `crontab.rs`), every field
//! is expanded to the explicit values it selects, weekdays are renumbered, and
//! the result is written as plain `cron` lists. When both day fields are
//! restricted, two `cron` schedules are built — day-of-month with any weekday,
//! and any day-of-month with the weekday list — and [`Schedule::next_after`]
//! returns the earlier of the two, which is crontab's OR.
//!
//! # Accepted lines
//!
//! * 5 fields, crontab(5): `minute hour day-of-month month day-of-week`
//!   (seconds are taken as `0`).
//! * 6 fields: `second minute hour day-of-month month day-of-week`.
//! * 7 fields: the same plus `year` (1970–2100, the years `cron` 0.17 knows).
//! * `@yearly`, `@annually`, `@monthly`, `@weekly` (Sunday 00:00), `@daily`,
//!   `@midnight`, `@hourly`. `@reboot` is rejected: it is not a time schedule.
//!
//! All numbered fields use crontab's meaning in every form: `*`, numbers,
//! ranges `a-b` (no wrap-around: `5-0` is an error), lists `a,b-c`, steps
//! `*/n` and `a-b/n`. Day-of-week is 0–7 with 0 and 7 both Sunday, so `5-7` is
//! Friday, Saturday and Sunday. Month names `jan`…`dec` and weekday names
//! `sun`…`sat` (three letters, any case) may appear anywhere a number may,
//! including ranges (`mon-fri`); `sun` ending a range is 7, so `fri-sun` is
//! Friday–Sunday. A day field counts as *restricted* unless its text starts
//! with `*`, exactly as in Vixie cron: `0 0 */2 * 1` fires on odd days that
//! are Mondays, while `0 0 1-31/2 * 1` fires on odd days *or* Mondays.
//!
//! Rejected with a reason: wrong field counts, out-of-range values (`60` as a
//! minute, `8` as a weekday), backwards ranges, a step after a single number
//! (`5/15`, which crontab does not define), a zero step, `?`, `L`, `W`, `#`,
//! unknown nicknames, and lines that can never fire (`0 0 30 2 *`).
//!
//! # Time zones and daylight saving time
//!
//! A line is evaluated on the wall clock of the feed's time zone. The wall
//! clock is not a continuous line: in spring an hour does not exist, in autumn
//! an hour happens twice. crontab implementations differ here (some BSD
//! crontab(5) pages say skipped times never match and repeated times run
//! twice; the cron(8) pages of Vixie cron, Debian's cron and cronie say that
//! skipped fixed-time jobs run right after the change and are not repeated). `cron` 0.17 itself skips a time that falls into a gap,
//! and yields *both* instants of a repeated time; `after(t).next()` can even
//! return an instant earlier than `t` when `t` lies in the repeated hour.
//!
//! This module therefore finds the next matching *wall-clock* time with
//! `cron` evaluated on a clock without DST (UTC used as a plain wall clock)
//! and maps wall-clock times to instants itself, following cron(8)'s rule as
//! croner's (OCPS) implementation makes it precise:
//!
//! * **Fixed-time jobs** — second, minute and hour each a single value written
//!   without `*` or a step (`30 2 * * *`, `@daily`):
//!   * a time inside a spring-forward gap fires once, at the first instant
//!     after the gap (02:30 on the Berlin spring-forward day fires at 03:00
//!     CEST);
//!   * a time that happens twice fires once, at its first occurrence, and the
//!     repetition is never returned, whatever `after` is.
//! * **Interval jobs** — everything else (`*/15 * * * *`, `0 * * * *`,
//!   `0 1-3 * * *`): times inside a gap are skipped, and a repeated time fires
//!   at both occurrences, so the job keeps its rhythm in real time.
//!
//! Vixie cron classifies by "`*` in the hour or minute field" instead, so it
//! would treat `0 1-3 * * *` as fixed-time; we follow croner's rule, which is
//! defined per schedule rather than by a daemon's clock-watching loop.
//!
//! # Known disagreements
//!
//! * `cron` 0.17 vs crontab(5): the dialect table above, plus the DST
//!   behaviour just described, plus years limited to 1970–2100 (so
//!   [`Schedule::next_after`] returns `None` after 2100).
//! * croner 4 vs crontab(5): croner treats a day field as unrestricted only
//!   when it is exactly `*`, so `0 0 */2 * 1` means odd days *or* Mondays in
//!   croner but odd days *and* Mondays in crontab(5) and here. croner also
//!   reads `sun-sun` as every day (we read Sunday), rejects `*` inside a list
//!   (`1,*`), and accepts Quartz extensions (`?`, `L`, `W`, `#`).
//! * croner and this module agree on everything else, including DST: the
//!   test suite compares them on a table of lines and on random lines.

mod crontab;

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

/// A parsed refresh schedule: a crontab line evaluated in a time zone.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// The line as the user wrote it.
    source: String,
    /// The translation: one `cron` schedule, or two whose union is the line
    /// (crontab's OR of day-of-month and day-of-week). Shared by clones: a parsed
    /// `cron::Schedule` holds every allowed value of every field (about a kilobyte), and
    /// thousands of feeds usually share one schedule line.
    crons: Arc<[cron::Schedule]>,
    /// Fixed-time jobs get the DST treatment described in the module docs.
    fixed_time: bool,
    tz: Tz,
}

/// Two schedules are the same when they are the same line in the same zone (the
/// translation is made from those alone).
impl PartialEq for Schedule {
    fn eq(&self, other: &Schedule) -> bool {
        self.source == other.source && self.tz == other.tz
    }
}

/// Why a schedule line was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleError {
    /// The offending line, as given.
    pub line: String,
    /// A human-readable reason.
    pub reason: String,
}

impl fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid schedule {:?}: {}", self.line, self.reason)
    }
}

impl std::error::Error for ScheduleError {}

/// How far back to look for wall-clock times whose second occurrence may
/// still lie ahead. Repeated ranges in today's tz rules are at most 2 hours
/// long (Antarctica/Troll); 3 leaves a margin. (Historic one-off shifts by a
/// whole day, like Alaska's in 1867, are not handled specially.)
const LONGEST_REPEAT: TimeDelta = TimeDelta::hours(3);

/// How far ahead to look for the end of a spring-forward gap.
const LONGEST_GAP: TimeDelta = TimeDelta::hours(24);

impl Schedule {
    /// Parses a crontab line (5 fields, 6 or 7 with seconds, or a nickname)
    /// whose times are wall-clock times in `tz`.
    pub fn parse(line: &str, tz: Tz) -> Result<Schedule, ScheduleError> {
        let error = |reason: String| ScheduleError {
            line: line.to_string(),
            reason,
        };
        let translation = crontab::translate(line).map_err(error)?;
        let crons = translation
            .expressions
            .iter()
            .map(|expression| {
                cron::Schedule::from_str(expression).map_err(|err| {
                    error(format!(
                        "internal error: the cron crate rejected the translation {expression:?}: {err}"
                    ))
                })
            })
            .collect::<Result<Arc<[_]>, _>>()?;
        let schedule = Schedule {
            source: line.to_string(),
            crons,
            fixed_time: translation.fixed_time,
            tz,
        };
        if schedule
            .next_wall_time(DateTime::UNIX_EPOCH.naive_utc())
            .is_none()
        {
            return Err(error(
                "it never fires: no date matches its day and month fields (like 30 February)"
                    .to_string(),
            ));
        }
        Ok(schedule)
    }

    /// When the feed `slug` runs next after `now`: the next fire time, delayed by
    /// the feed's stable [`jitter`] (a tenth of the interval between two fire times,
    /// five minutes at most), so sections of one site are not fetched on the same
    /// second and the delay is the same across restarts.
    pub fn next_run(&self, slug: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let first = self.next_after(now)?;
        let interval = self
            .next_after(first)
            .and_then(|second| (second - first).to_std().ok())
            .unwrap_or(MAX_JITTER);
        let shift = jitter(slug, (interval / 10).min(MAX_JITTER));
        Some(first + TimeDelta::from_std(shift).unwrap_or_default())
    }

    /// The first fire time strictly after `after`.
    ///
    /// `None` only when the schedule has no fire time left before the end of
    /// 2100 (the last year `cron` 0.17 supports).
    pub fn next_after(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let local = after.with_timezone(&self.tz).naive_local();
        // Wall-clock times are searched in order. If `after` lies in a
        // repeated hour, the second occurrence of earlier wall-clock times
        // may still be ahead, so the search starts further back; candidates
        // not after `after` are dropped below.
        let mut wall = match self.tz.from_local_datetime(&local) {
            LocalResult::Single(_) => local,
            _ => local - LONGEST_REPEAT,
        };
        // Within a repeated hour, the second occurrences of its wall-clock
        // times come after all first occurrences, so a second occurrence is
        // only a candidate until a first occurrence or a later time shows up.
        let mut second_pass: Option<DateTime<Utc>> = None;
        let earliest = |candidate: DateTime<Utc>, other: Option<DateTime<Utc>>| {
            Some(other.map_or(candidate, |other| other.min(candidate)))
        };
        while let Some(next) = self.next_wall_time(wall) {
            wall = next;
            match self.tz.from_local_datetime(&wall) {
                LocalResult::Single(instant) => {
                    let instant = instant.to_utc();
                    if instant > after {
                        return earliest(instant, second_pass);
                    }
                }
                LocalResult::Ambiguous(first, second) => {
                    let (first, second) = (first.to_utc(), second.to_utc());
                    if first > after {
                        return earliest(first, second_pass);
                    }
                    if !self.fixed_time && second > after && second_pass.is_none() {
                        second_pass = Some(second);
                    }
                }
                LocalResult::None if self.fixed_time => {
                    if let Some(instant) = self.end_of_gap(wall).filter(|i| *i > after) {
                        return earliest(instant, second_pass);
                    }
                }
                LocalResult::None => {}
            }
        }
        second_pass
    }

    /// What the line does that its author probably did not mean (a step wider than its
    /// field, or one that does not divide it), in words; empty for most lines.
    pub fn surprises(&self) -> Vec<String> {
        crontab::surprises(&self.source)
    }

    /// The line as given to [`Schedule::parse`].
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The first wall-clock time after `wall` that the line matches,
    /// including times that do not exist or exist twice in `self.tz`.
    ///
    /// `cron` is run in UTC, used here as a wall clock without DST, so that
    /// it neither skips nor doubles anything.
    fn next_wall_time(&self, wall: NaiveDateTime) -> Option<NaiveDateTime> {
        let start = Utc.from_utc_datetime(&wall);
        self.crons
            .iter()
            .filter_map(|schedule| schedule.after(&start).next())
            .map(|time| time.naive_utc())
            .min()
    }

    /// The first instant after the spring-forward gap that contains `wall`.
    fn end_of_gap(&self, wall: NaiveDateTime) -> Option<DateTime<Utc>> {
        let exists = |time: NaiveDateTime| self.tz.from_local_datetime(&time).earliest();
        // Walk forward a minute at a time to a wall-clock time that exists,
        // then back a second at a time to the gap's end.
        let mut probe = wall;
        while probe - wall < LONGEST_GAP {
            probe += TimeDelta::minutes(1);
            if exists(probe).is_some() {
                let one_second = TimeDelta::seconds(1);
                while probe - one_second > wall && exists(probe - one_second).is_some() {
                    probe -= one_second;
                }
                return exists(probe).map(|instant| instant.to_utc());
            }
        }
        None
    }
}

/// The most a feed's start is shifted by jitter.
const MAX_JITTER: Duration = Duration::from_secs(5 * 60);

/// A stable per-feed offset in `[0, max)` derived from the feed's slug.
///
/// The slug is hashed with the crate's digest (64-bit FNV-1a, [`crate::digest`])
/// followed by the MurmurHash3 64-bit finaliser (so that slugs differing in one
/// character spread out), and the hash is scaled onto `[0, max)` by
/// multiply-and-shift, so the value is the same across restarts, platforms and Rust
/// versions. `max` above about 584 years is treated as 584 years; a zero `max` gives
/// zero.
pub fn jitter(slug: &str, max: Duration) -> Duration {
    let max_nanos = u64::try_from(max.as_nanos()).unwrap_or(u64::MAX);
    let hash = u128::from(finalise(
        crate::digest::Digest::new().bytes(slug.as_bytes()).finish(),
    ));
    // hash < 2^64, so (hash * max) >> 64 < max.
    let nanos = (hash * u128::from(max_nanos)) >> 64;
    Duration::from_nanos(nanos as u64)
}

/// MurmurHash3's `fmix64`: every input bit affects every output bit.
fn finalise(mut hash: u64) -> u64 {
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    hash ^ (hash >> 33)
}

#[cfg(test)]
mod tests;
