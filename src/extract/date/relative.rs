//! Dates relative to now: "just now", "5 min ago", "vor 3 Stunden",
//! "il y a 2 jours", "hace 3 horas", "53分钟前", and calendar words with an
//! optional time: "yesterday at 10:00", "heute, 18:00 Uhr", "昨天 10:00".
//! All functions take lowercased, whitespace-collapsed text.

use std::sync::LazyLock;

use chrono::{DateTime, Days, Months, TimeDelta, Utc};
use regex::Regex;

use super::DateContext;
use super::clock::{at_time, split_time};
use super::months::is_filler;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Year,
}

/// "5 min ago", "an hour ago", "about 2 weeks ago", "5 minutes, 3 seconds ago"
/// (only the leading amount counts).
static ENGLISH_AGO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:about|around|over|almost|nearly|less than|more than|~)?\s*(an?|one|[0-9]{1,4})\s*(\p{L}+)\b.{0,40}?\bago$",
    )
    .expect("ENGLISH_AGO regex is valid")
});

/// "vor 3 Stunden", "vor einer Stunde", "vor etwa 2 Tagen".
static GERMAN_AGO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^vor\s+(?:etwa\s+|ca\.?\s+|über\s+|mehr als\s+|knapp\s+)?(eine[rmn]?|ein|[0-9]{1,4})\s*(\p{L}+)\b.{0,40}$",
    )
    .expect("GERMAN_AGO regex is valid")
});

/// "il y a 3 heures", "il y a une minute".
static FRENCH_AGO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^il y a\s+(?:environ\s+|plus de\s+)?(une?|[0-9]{1,4})\s*(\p{L}+)\b.{0,40}$")
        .expect("FRENCH_AGO regex is valid")
});

/// "hace 3 horas", "hace un día".
static SPANISH_AGO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^hace\s+(?:unos\s+|unas\s+|casi\s+|más de\s+|mas de\s+)?(una?|uno|[0-9]{1,4})\s*(\p{L}+)\b.{0,40}$")
        .expect("SPANISH_AGO regex is valid")
});

/// "53分钟前", "3小时前", "2天前", "3个月前".
static CHINESE_AGO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^([0-9]{1,4}|一|两|兩)\s*(秒钟|秒鐘|秒|分钟|分鐘|分|个小时|個小時|小时|小時|天|日|个星期|個星期|星期|周|週|个月|個月|年)\s*前$",
    )
    .expect("CHINESE_AGO regex is valid")
});

/// Words for "now" and "a moment ago".
const NOW_WORDS: &[&str] = &[
    "now",
    "just now",
    "right now",
    "a moment ago",
    "moments ago",
    "a few seconds ago",
    "few seconds ago",
    "seconds ago",
    "jetzt",
    "gerade eben",
    "soeben",
    "vor wenigen sekunden",
    "à l'instant",
    "à l’instant",
    "a l'instant",
    "ahora",
    "ahora mismo",
    "justo ahora",
    "hace un momento",
    "刚刚",
    "刚才",
    "剛剛",
    "剛才",
];

/// Calendar words and how many days back they are.
const DAY_WORDS: &[(&str, u64)] = &[
    ("today", 0),
    ("heute", 0),
    ("aujourd'hui", 0),
    ("aujourd’hui", 0),
    ("hoy", 0),
    ("今天", 0),
    ("yesterday", 1),
    ("gestern", 1),
    ("hier", 1),
    ("ayer", 1),
    ("昨天", 1),
    ("昨日", 1),
    ("vorgestern", 2),
    ("avant-hier", 2),
    ("anteayer", 2),
    ("前天", 2),
];

/// Parses a relative date; the result may still be after now ("today
/// 23:00" seen at noon) and is clamped by the caller.
pub(super) fn parse_relative(s: &str, ctx: &DateContext) -> Option<DateTime<Utc>> {
    let s = s.trim_end_matches(['.', '!']);
    if NOW_WORDS.contains(&s) {
        return Some(ctx.now);
    }
    parse_ago(s, ctx).or_else(|| parse_day_word(s, ctx))
}

fn parse_ago(s: &str, ctx: &DateContext) -> Option<DateTime<Utc>> {
    [
        &ENGLISH_AGO,
        &GERMAN_AGO,
        &FRENCH_AGO,
        &SPANISH_AGO,
        &CHINESE_AGO,
    ]
    .into_iter()
    .find_map(|re| {
        let caps = re.captures(s)?;
        subtract(ctx.now, amount(&caps[1])?, unit(&caps[2])?)
    })
}

fn amount(word: &str) -> Option<u32> {
    match word {
        "a" | "an" | "one" | "ein" | "eine" | "einer" | "einem" | "einen" | "un" | "une"
        | "uno" | "una" | "一" => Some(1),
        "两" | "兩" => Some(2),
        _ => word.parse().ok(),
    }
}

fn unit(word: &str) -> Option<Unit> {
    let unit = match word {
        "s" | "sec" | "secs" | "second" | "seconds" | "sek" | "sekunde" | "sekunden"
        | "seconde" | "secondes" | "segundo" | "segundos" | "秒" | "秒钟" | "秒鐘" => {
            Unit::Second
        }
        "m" | "min" | "mins" | "minute" | "minutes" | "minuten" | "minuto" | "minutos" | "分"
        | "分钟" | "分鐘" => Unit::Minute,
        "h" | "hr" | "hrs" | "hour" | "hours" | "std" | "stunde" | "stunden" | "heure"
        | "heures" | "hora" | "horas" | "小时" | "个小时" | "小時" | "個小時" => {
            Unit::Hour
        }
        "d" | "day" | "days" | "tag" | "tage" | "tagen" | "jour" | "jours" | "día" | "días"
        | "dia" | "dias" | "天" | "日" => Unit::Day,
        "w" | "wk" | "wks" | "week" | "weeks" | "woche" | "wochen" | "semaine" | "semaines"
        | "semana" | "semanas" | "周" | "週" | "星期" | "个星期" | "個星期" => Unit::Week,
        "mo" | "mos" | "month" | "months" | "monat" | "monate" | "monaten" | "mois" | "mes"
        | "meses" | "个月" | "個月" => Unit::Month,
        "y" | "yr" | "yrs" | "year" | "years" | "jahr" | "jahre" | "jahren" | "an" | "ans"
        | "année" | "années" | "annee" | "annees" | "año" | "años" | "ano" | "anos" | "年" => {
            Unit::Year
        }
        _ => return None,
    };
    Some(unit)
}

fn subtract(now: DateTime<Utc>, n: u32, unit: Unit) -> Option<DateTime<Utc>> {
    let n64 = i64::from(n);
    let delta = match unit {
        Unit::Second => TimeDelta::try_seconds(n64)?,
        Unit::Minute => TimeDelta::try_minutes(n64)?,
        Unit::Hour => TimeDelta::try_hours(n64)?,
        Unit::Day => TimeDelta::try_days(n64)?,
        Unit::Week => TimeDelta::try_weeks(n64)?,
        Unit::Month => return now.checked_sub_months(Months::new(n)),
        Unit::Year => return now.checked_sub_months(Months::new(n.checked_mul(12)?)),
    };
    now.checked_sub_signed(delta)
}

/// "yesterday", "today 9:15 PM", "heute, 18:00 Uhr", "gestern um 10:00",
/// "昨天 10:00". Without a time: the start of that day in `ctx.tz`.
fn parse_day_word(s: &str, ctx: &DateContext) -> Option<DateTime<Utc>> {
    let (rest, back) = DAY_WORDS.iter().find_map(|(word, back)| {
        let rest = s.strip_prefix(word)?;
        // Latin words need a word boundary ("hier" is not "hierarchy");
        // Chinese ones are written right before the time ("昨天10:00").
        let latin = word.bytes().any(|b| b.is_ascii_alphabetic());
        (!latin || !rest.starts_with(char::is_alphanumeric)).then_some((rest, *back))
    })?;
    let (leftover, time) = split_time(rest)?;
    let only_fillers = leftover
        .split(|c: char| !c.is_alphanumeric())
        .all(|w| w.is_empty() || is_filler(w));
    if !only_fillers {
        return None;
    }
    let today = ctx.now.with_timezone(&ctx.tz).date_naive();
    at_time(today.checked_sub_days(Days::new(back))?, time, ctx.tz)
}
