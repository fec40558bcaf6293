//! Translator from crontab(5) lines to expressions of the `cron` crate (0.17).
//!
//! Every field is expanded here into the explicit set of values it selects,
//! validated with crontab's ranges and rules, and written back as a plain
//! comma-separated list (or `*` when every value is selected). `cron` then
//! only ever sees numbers and lists, so none of its own dialect rules (weekday
//! numbering, step limits, `?`, point-with-step) can change the meaning.
//!
//! See the module documentation of [`super`] for the accepted syntax.

use std::collections::BTreeSet;

/// What a crontab line turns into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Translation {
    /// One `cron` expression, or two when both day fields are restricted: the
    /// line then fires when *either* expression does (crontab's OR rule).
    pub expressions: Vec<String>,
    /// Seconds, minute and hour each name exactly one value, written without
    /// `*` or a step (e.g. `30 2 * * *`). Such "fixed-time" jobs get
    /// different DST treatment from interval jobs; see [`super`].
    pub fixed_time: bool,
}

/// Message for a line with the wrong shape.
pub(super) const EXPECTED_SHAPE: &str =
    "expected 5 fields (crontab), 6 or 7 (with seconds) or @hourly/@daily/…";

const NICKNAMES: &[(&str, &str)] = &[
    ("@yearly", "0 0 1 1 *"),
    ("@annually", "0 0 1 1 *"),
    ("@monthly", "0 0 1 * *"),
    ("@weekly", "0 0 * * 0"),
    ("@daily", "0 0 * * *"),
    ("@midnight", "0 0 * * *"),
    ("@hourly", "0 * * * *"),
];

const MONTH_NAMES: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const WEEKDAY_NAMES: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/// Translates one crontab line. The error is a human-readable reason.
pub(super) fn translate(line: &str) -> Result<Translation, String> {
    let trimmed = line.trim();
    if let Some(nickname) = trimmed.strip_prefix('@') {
        return translate_nickname(nickname);
    }
    let fields: Vec<&str> = trimmed.split_whitespace().collect();
    let (seconds, rest) = match fields.len() {
        5 => ("0", &fields[..]),
        6 | 7 => (fields[0], &fields[1..]),
        0 => return Err(format!("the line is empty; {EXPECTED_SHAPE}")),
        n => {
            let hint = in_words(trimmed).map_or_else(String::new, |line| {
                format!("; for {trimmed:?} write \"{line}\"")
            });
            return Err(format!("{EXPECTED_SHAPE} (found {n} fields){hint}"));
        }
    };
    let year = rest.get(5).copied();
    translate_fields(seconds, rest[0], rest[1], rest[2], rest[3], rest[4], year)
}

/// The crontab line for a schedule written in words ("every 30 minutes", "every 2
/// hours", "every hour", "daily"), when there is one that runs exactly so.
fn in_words(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let (count, unit) = match words.as_slice() {
        ["daily"] | ["every", "day"] => return Some("@daily".into()),
        ["hourly"] => return Some("@hourly".into()),
        ["every", unit] => (1, *unit),
        ["every", count, unit] => (count.parse::<u32>().ok()?, *unit),
        _ => return None,
    };
    match unit.trim_end_matches('s') {
        "minute" | "min" if count == 1 => Some("* * * * *".into()),
        "minute" | "min" if (2..60).contains(&count) && 60 % count == 0 => {
            Some(format!("*/{count} * * * *"))
        }
        "hour" if count == 1 => Some("@hourly".into()),
        "hour" if (2..24).contains(&count) && 24 % count == 0 => Some(format!("0 */{count} * * *")),
        _ => None,
    }
}

/// What a valid line does that its author probably did not mean: a step wider than
/// its field (`*/90` in minutes selects only minute 0, so the line runs hourly), or a
/// step that does not divide its field (`*/45`: minutes 0 and 45, gaps of 45 and 15).
pub(super) fn surprises(line: &str) -> Vec<String> {
    use Kind::*;
    let fields: Vec<&str> = line.split_whitespace().collect();
    let kinds: &[Kind] = match fields.len() {
        5 => &[Minute, Hour, DayOfMonth, Month, DayOfWeek],
        6 => &[Second, Minute, Hour, DayOfMonth, Month, DayOfWeek],
        7 => &[Second, Minute, Hour, DayOfMonth, Month, DayOfWeek, Year],
        _ => return Vec::new(),
    };
    let mut out = Vec::new();
    for (kind, field) in kinds.iter().zip(&fields) {
        for item in field.split(',') {
            if let Some(surprise) = kind.step_surprise(item) {
                out.push(surprise);
            }
        }
    }
    out
}

fn translate_nickname(nickname: &str) -> Result<Translation, String> {
    let lower = format!("@{}", nickname.to_ascii_lowercase());
    if lower == "@reboot" {
        return Err(concat!(
            "@reboot is not supported: it means \"once when the daemon starts\", ",
            "which is not a time schedule; use a crontab line or @hourly/@daily/…"
        )
        .to_string());
    }
    match NICKNAMES.iter().find(|(name, _)| *name == lower) {
        Some((_, expansion)) => translate(expansion),
        None => Err(format!(
            "unknown nickname \"@{nickname}\"; expected one of {}",
            NICKNAMES
                .iter()
                .map(|(name, _)| *name)
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

fn translate_fields(
    seconds: &str,
    minute: &str,
    hour: &str,
    day_of_month: &str,
    month: &str,
    day_of_week: &str,
    year: Option<&str>,
) -> Result<Translation, String> {
    let seconds = Kind::Second.parse(seconds)?;
    let minute = Kind::Minute.parse(minute)?;
    let hour = Kind::Hour.parse(hour)?;
    let dom = Kind::DayOfMonth.parse(day_of_month)?;
    let month = Kind::Month.parse(month)?;
    let dow = Kind::DayOfWeek.parse(day_of_week)?;
    let year = year.map(|y| Kind::Year.parse(y)).transpose()?;

    let expression = |dom: &str, dow: &str| {
        let mut parts = vec![
            seconds.to_cron(),
            minute.to_cron(),
            hour.to_cron(),
            dom.to_string(),
            month.to_cron(),
            dow.to_string(),
        ];
        parts.extend(year.as_ref().map(Parsed::to_cron));
        parts.join(" ")
    };
    // crontab(5): "If both fields are restricted (i.e., don't start with *),
    // the command will be run when either field matches the current time."
    // `cron` always requires both, so the OR is split into two schedules.
    let expressions = if !dom.starts_with_star && !dow.starts_with_star {
        vec![
            expression(&dom.to_cron(), "*"),
            expression("*", &dow.to_cron()),
        ]
    } else {
        vec![expression(&dom.to_cron(), &dow.to_cron())]
    };
    Ok(Translation {
        expressions,
        fixed_time: seconds.is_single_fixed() && minute.is_single_fixed() && hour.is_single_fixed(),
    })
}

/// The seven kinds of field, each with its crontab range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Second,
    Minute,
    Hour,
    DayOfMonth,
    Month,
    DayOfWeek,
    Year,
}

/// One field after expansion.
#[derive(Debug)]
struct Parsed {
    kind: Kind,
    /// Selected values in crontab numbering (weekdays 0–6, Sunday = 0).
    values: BTreeSet<u32>,
    /// The field's text begins with `*` (crontab's test for "unrestricted").
    starts_with_star: bool,
    /// The text has neither `*` nor a step.
    plain: bool,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Second => "second",
            Kind::Minute => "minute",
            Kind::Hour => "hour",
            Kind::DayOfMonth => "day-of-month",
            Kind::Month => "month",
            Kind::DayOfWeek => "day-of-week",
            Kind::Year => "year",
        }
    }

    /// Inclusive bounds accepted in the text. Day-of-week accepts 7 as a
    /// second Sunday, as crontab does. Years are those `cron` 0.17 supports.
    fn bounds(self) -> (u32, u32) {
        match self {
            Kind::Second | Kind::Minute => (0, 59),
            Kind::Hour => (0, 23),
            Kind::DayOfMonth => (1, 31),
            Kind::Month => (1, 12),
            Kind::DayOfWeek => (0, 7),
            Kind::Year => (1970, 2100),
        }
    }

    /// The field's unit, and the period after which its steps start again.
    fn unit_and_period(self) -> Option<(&'static str, &'static str)> {
        match self {
            Kind::Second => Some(("second", "minute")),
            Kind::Minute => Some(("minute", "hour")),
            Kind::Hour => Some(("hour", "day")),
            Kind::DayOfMonth => Some(("day", "month")),
            Kind::Month => Some(("month", "year")),
            Kind::DayOfWeek => Some(("day", "week")),
            Kind::Year => None,
        }
    }

    /// A warning for `*/S` or `N-M/S` whose step does not do what it seems to.
    fn step_surprise(self, item: &str) -> Option<String> {
        let (base, step) = item.split_once('/')?;
        let step = parse_number(step).filter(|&s| s > 0)?;
        let (start, end) = if base == "*" {
            self.bounds()
        } else {
            let (start, end) = base.split_once('-')?;
            (
                self.parse_value(start, false).ok()?,
                self.parse_value(end, true).ok()?,
            )
        };
        let (unit, period) = self.unit_and_period()?;
        let name = self.name();
        if step > end.saturating_sub(start) {
            return Some(format!(
                "`{item}` in the {name} field selects only {start}: a step counts within {start}-{end} and starts again every {period}, so this runs once every {period}, not every {step} {unit}s"
            ));
        }
        let (low, high) = self.bounds();
        let last = start + (end - start) / step * step;
        let wrap = high + 1 - last + start - low;
        if base == "*" && matches!(self, Kind::Second | Kind::Minute | Kind::Hour) && wrap != step {
            let count = (last - start) / step + 1;
            let values = if count <= 3 {
                let all: Vec<String> = (start..=last)
                    .step_by(step as usize)
                    .map(|v| v.to_string())
                    .collect();
                let (tail, head) = all.split_last().expect("at least two values");
                format!("{} and {tail}", head.join(", "))
            } else {
                format!("{start}, {}, … {last}", start + step)
            };
            return Some(format!(
                "`{item}` in the {name} field selects {values}: steps start again every {period}, so the gap after {last} is {wrap} {unit}s, not {step}"
            ));
        }
        None
    }

    fn range_hint(self) -> &'static str {
        match self {
            Kind::DayOfWeek => " (0 and 7 are Sunday)",
            _ => "",
        }
    }

    fn parse(self, text: &str) -> Result<Parsed, String> {
        let mut values = BTreeSet::new();
        for item in text.split(',') {
            self.parse_item(text, item, &mut values)?;
        }
        if self == Kind::DayOfWeek && values.remove(&7) {
            values.insert(0);
        }
        Ok(Parsed {
            kind: self,
            values,
            starts_with_star: text.starts_with('*'),
            plain: !text.contains(['*', '/']),
        })
    }

    /// Parses `*`, `N`, `N-M`, `*/S` or `N-M/S` into `values`.
    fn parse_item(self, field: &str, item: &str, values: &mut BTreeSet<u32>) -> Result<(), String> {
        let name = self.name();
        if item.is_empty() {
            return Err(format!("{name}: empty item in the list \"{field}\""));
        }
        let (base, step) = match item.split_once('/') {
            Some((base, step)) => (base, Some(self.parse_step(item, step)?)),
            None => (item, None),
        };
        let (start, end) = if base == "*" {
            self.bounds()
        } else if let Some((start, end)) = base.split_once('-') {
            let start = self.parse_value(start, false)?;
            let end = self.parse_value(end, start != 0)?;
            if start > end {
                return Err(format!(
                    "{name}: the range \"{base}\" runs backwards; crontab ranges do not wrap around"
                ));
            }
            (start, end)
        } else if step.is_some() {
            return Err(format!(
                "{name}: \"{item}\": a step must follow \"*\" or a range, \
                 e.g. \"*/{s}\" or \"{base}-{max}/{s}\"",
                s = step.unwrap_or(1),
                max = self.bounds().1,
            ));
        } else {
            let value = self.parse_value(base, false)?;
            (value, value)
        };
        values.extend((start..=end).step_by(step.unwrap_or(1) as usize));
        Ok(())
    }

    fn parse_step(self, item: &str, step: &str) -> Result<u32, String> {
        match parse_number(step) {
            Some(0) => Err(format!(
                "{}: \"{item}\": the step must be at least 1",
                self.name()
            )),
            Some(step) => Ok(step),
            None => Err(format!(
                "{}: \"{item}\": the step \"{step}\" is not a number",
                self.name()
            )),
        }
    }

    /// A number in range, or a month/weekday name. `sun` at the end of a
    /// range that does not start on Sunday means 7, so `fri-sun` is Fri–Sun.
    fn parse_value(self, text: &str, sunday_is_seven: bool) -> Result<u32, String> {
        let name = self.name();
        let (low, high) = self.bounds();
        if let Some(value) = parse_number(text) {
            return if (low..=high).contains(&value) {
                Ok(value)
            } else {
                Err(format!(
                    "{name}: {value} is out of range {low}-{high}{}",
                    self.range_hint()
                ))
            };
        }
        if text.chars().all(|c| c.is_ascii_digit()) && !text.is_empty() {
            return Err(format!("{name}: {text} is out of range {low}-{high}"));
        }
        let lower = text.to_ascii_lowercase();
        let position = |names: &[&str]| names.iter().position(|n| *n == lower);
        match self {
            Kind::Month => {
                if let Some(index) = position(&MONTH_NAMES) {
                    return Ok(index as u32 + 1);
                }
            }
            Kind::DayOfWeek => {
                if let Some(index) = position(&WEEKDAY_NAMES) {
                    return Ok(if index == 0 && sunday_is_seven {
                        7
                    } else {
                        index as u32
                    });
                }
            }
            _ => {}
        }
        let expected = match self {
            Kind::Month => "a number or a month name (jan … dec)",
            Kind::DayOfWeek => "a number or a weekday name (sun … sat)",
            _ => "a number",
        };
        let hint = if text == "?" {
            "; \"?\" is not crontab syntax, use \"*\""
        } else if is_quartz_extension(text) {
            "; the L, W and # extensions are not supported"
        } else {
            ""
        };
        Err(format!("{name}: \"{text}\" is not {expected}{hint}"))
    }
}

impl Parsed {
    fn is_single_fixed(&self) -> bool {
        self.plain && self.values.len() == 1
    }

    /// The field in `cron` 0.17's dialect: `*`, or an explicit list.
    fn to_cron(&self) -> String {
        let values: BTreeSet<u32> = match self.kind {
            // crontab 0 = Sunday … 6 = Saturday; cron 1 = Sunday … 7 = Saturday.
            Kind::DayOfWeek => self.values.iter().map(|d| d + 1).collect(),
            _ => self.values.clone(),
        };
        let (low, high) = match self.kind {
            Kind::DayOfWeek => (1, 7),
            kind => kind.bounds(),
        };
        if values.len() as u32 == high - low + 1 {
            return "*".to_string();
        }
        values
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// `L`, `LW`, `15W`, `5L`, `5#2`: Quartz-style extensions crontab lacks.
fn is_quartz_extension(text: &str) -> bool {
    let stem = text.trim_end_matches(['L', 'W', 'l', 'w']);
    text.contains('#') || (stem.len() < text.len() && stem.chars().all(|c| c.is_ascii_digit()))
}

/// Plain ASCII decimal digits (no sign), or `None`.
fn parse_number(text: &str) -> Option<u32> {
    if text.is_empty() || !text.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exprs(line: &str) -> Vec<String> {
        translate(line).unwrap().expressions
    }

    #[test]
    fn five_fields_get_zero_seconds() {
        assert_eq!(exprs("*/15 * * * *"), ["0 0,15,30,45 * * * *"]);
        assert_eq!(exprs("  5 4 * * *  "), ["0 5 4 * * *"]);
    }

    #[test]
    fn six_and_seven_fields_keep_seconds_and_year() {
        assert_eq!(exprs("30 5 4 * * *"), ["30 5 4 * * *"]);
        assert_eq!(
            exprs("0 0 0 1 1 * 2027-2029"),
            ["0 0 0 1 1 * 2027,2028,2029"]
        );
        assert_eq!(exprs("0 0 0 1 1 * *"), ["0 0 0 1 1 * *"]);
    }

    #[test]
    fn weekdays_are_renumbered() {
        // crontab: 0/7 = Sunday, 1 = Monday … 6 = Saturday.
        // cron:    1 = Sunday, 2 = Monday … 7 = Saturday.
        let dow = |field: &str| {
            let e = exprs(&format!("0 0 * * {field}"));
            assert_eq!(e.len(), 1, "{field}");
            e[0].rsplit(' ').next().unwrap().to_string()
        };
        assert_eq!(dow("0"), "1");
        assert_eq!(dow("7"), "1");
        assert_eq!(dow("1-5"), "2,3,4,5,6");
        assert_eq!(dow("5-7"), "1,6,7");
        assert_eq!(dow("6-7"), "1,7");
        assert_eq!(dow("0-6"), "*");
        assert_eq!(dow("0-7"), "*");
        assert_eq!(dow("*/2"), "1,3,5,7");
        assert_eq!(dow("1-5/2"), "2,4,6");
        assert_eq!(dow("1,3,5"), "2,4,6");
        assert_eq!(dow("MON-FRI"), "2,3,4,5,6");
        assert_eq!(dow("sun"), "1");
        assert_eq!(dow("Fri-Sun"), "1,6,7");
        assert_eq!(dow("sun-sun"), "1");
        assert_eq!(dow("sun-tue"), "1,2,3");
        assert_eq!(dow("mon,3,sat"), "2,4,7");
    }

    #[test]
    fn months_accept_names() {
        assert_eq!(exprs("0 0 1 jan-mar *"), ["0 0 0 1 1,2,3 *"]);
        assert_eq!(exprs("0 0 1 JUL,dec *"), ["0 0 0 1 7,12 *"]);
    }

    #[test]
    fn both_day_fields_restricted_split_into_two_schedules() {
        assert_eq!(exprs("0 12 1 * 1"), ["0 0 12 1 * *", "0 0 12 * * 2"]);
        // A field starting with `*` counts as unrestricted (crontab's rule),
        // so these keep cron's AND.
        assert_eq!(exprs("0 0 */2 * 1").len(), 1);
        assert_eq!(exprs("0 0 1 * */2").len(), 1);
        assert_eq!(exprs("0 0 1 * *"), ["0 0 0 1 * *"]);
    }

    #[test]
    fn nicknames_expand() {
        assert_eq!(exprs("@yearly"), ["0 0 0 1 1 *"]);
        assert_eq!(exprs("@annually"), ["0 0 0 1 1 *"]);
        assert_eq!(exprs("@monthly"), ["0 0 0 1 * *"]);
        assert_eq!(exprs("@weekly"), ["0 0 0 * * 1"]);
        assert_eq!(exprs("@daily"), ["0 0 0 * * *"]);
        assert_eq!(exprs("@midnight"), ["0 0 0 * * *"]);
        assert_eq!(exprs("@HOURLY"), ["0 0 * * * *"]);
    }

    #[test]
    fn fixed_time_means_one_plain_value_per_time_field() {
        let fixed = |line: &str| translate(line).unwrap().fixed_time;
        assert!(fixed("30 2 * * *"));
        assert!(fixed("@daily"));
        assert!(fixed("0 30 2 * * 1-5"));
        assert!(!fixed("*/15 * * * *"));
        assert!(!fixed("0 * * * *"));
        assert!(!fixed("0 1-3 * * *"));
        assert!(!fixed("0,30 2 * * *"));
        assert!(!fixed("* 30 2 * * *"));
    }

    #[test]
    fn wide_steps_are_fine() {
        // cron 0.17 rejects a step above the field maximum; crontab does not.
        assert_eq!(exprs("*/60 * * * *"), ["0 0 * * * *"]);
        assert_eq!(exprs("0 */24 * * *"), ["0 0 0 * * *"]);
    }

    #[test]
    fn steps_that_do_not_mean_what_they_say_are_named() {
        let one = |line: &str| {
            let surprises = surprises(line);
            assert_eq!(surprises.len(), 1, "{line}: {surprises:?}");
            surprises[0].clone()
        };
        let wide = one("*/90 * * * *");
        assert!(
            wide.contains("selects only 0")
                && wide.contains("once every hour, not every 90 minutes"),
            "{wide}"
        );
        assert!(one("0 */36 * * *").contains("once every day, not every 36 hours"));
        assert!(one("0 0 5-10/9 * *").contains("selects only 5"));
        let uneven = one("*/45 * * * *");
        assert!(
            uneven.contains("the gap after 45 is 15 minutes, not 45"),
            "{uneven}"
        );
        assert!(one("*/7 * * * * *").contains("the gap after 56 is 4 seconds"));
        for fine in [
            "*/15 * * * *",
            "*/30 * * * *",
            "0 */6 * * *",
            "0 9-17/2 * * 1-5",
            "@hourly",
            "0 0 */2 * *",
            "0 0 * * */2",
        ] {
            assert!(surprises(fine).is_empty(), "{fine}: {:?}", surprises(fine));
        }
    }

    #[test]
    fn errors_name_the_field() {
        let err = |line: &str| translate(line).unwrap_err();
        assert_eq!(err("60 * * * *"), "minute: 60 is out of range 0-59");
        assert_eq!(
            err("* * * * 8"),
            "day-of-week: 8 is out of range 0-7 (0 and 7 are Sunday)"
        );
        assert!(err("* * * * 5-0").contains("runs backwards"));
        assert!(err("5/15 * * * *").contains("a step must follow"));
        assert!(err("*/0 * * * *").contains("at least 1"));
        assert!(err("* * ? * *").contains("\"?\" is not crontab syntax"));
        assert!(err("* * L * *").contains("not supported"));
        assert!(err("1,,2 * * * *").contains("empty item"));
        assert!(err("* * * * monday").contains("weekday name"));
        assert!(err("99999999999 * * * *").contains("out of range"));
        assert!(err("0 9 * *").contains("found 4 fields"));
        assert!(err("@reboot").contains("@reboot is not supported"));
        assert!(err("@every").contains("unknown nickname"));
    }
}
