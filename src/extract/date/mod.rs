//! Turns the date texts found on section pages into instants.
//!
//! Page dates are messy: they come as machine-readable attributes
//! ("2025-12-12T10:30:00Z"), as RFC 2822 strings, as written text in several
//! languages ("12. Dezember 2025", "Dec. 12, 2025 10:30 AM",
//! "2020年07月04日 星期六"), without a year ("Jan 14"), relative to the
//! moment the page was rendered ("vor 3 Stunden", "yesterday at 10:00"), or
//! buried in other text ("Kody Kester | Jun 26, 2022").
//!
//! A feed must never show a wrong or a future date, so [`parse_date`] is
//! conservative: when it cannot tell what a text means (garbage, ambiguous
//! "05/06/2025", impossible dates, dates more than a day ahead of now) it
//! returns `None`, and the caller decides what to do instead (typically: use
//! the time the item was first seen). Results are never later than
//! [`DateContext::now`]: a date up to one day ahead (a time-zone mismatch
//! or "today 23:00" seen at noon) is clamped to now.
//!
//! Layout: `clock` (times of day, offsets, DST), `months` (word lists),
//! `absolute` (dates written out), `relative` ("3 hours ago", "yesterday").

mod absolute;
mod clock;
mod months;
mod relative;

use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, Utc};
use regex::Regex;

use self::months::{PREFIXES, is_filler, is_weekday, month_number};

/// What a date text is interpreted against.
#[derive(Clone, Copy, Debug)]
pub struct DateContext<'a> {
    /// The current time: relative dates count back from it, and nothing
    /// returned is later than it.
    pub now: DateTime<Utc>,
    /// Time zone for dates written without an offset, and for calendar
    /// words ("today", "gestern").
    pub tz: chrono_tz::Tz,
    /// A chrono strftime format to try before the heuristics, for sites
    /// whose dates the heuristics get wrong ("%d/%m/%Y").
    pub format: Option<&'a str>,
}

/// Longer texts are not a date; only their start is searched for one.
const MAX_CHARS: usize = 200;
/// The longest run of words tried as one date while searching a text
/// ("Friday, 12 December 2025 at 10:30 AM GMT" is 8).
const MAX_WINDOW_WORDS: usize = 10;
/// How far ahead of now a date may be (time-zone mismatches) before it is
/// refused; accepted ones are clamped to now.
const FUTURE_TOLERANCE: TimeDelta = TimeDelta::days(1);
/// Earlier dates are placeholders (the Unix epoch in some zone), not news.
const EARLIEST_YEAR: i32 = 1971;

/// Punctuation trimmed from both ends of a text or segment.
const EDGE_PUNCTUATION: &[char] = &[',', ';', ':', '|', '·', '•', '-', '–', '—', '/', '*', '>'];

/// Words a date may start with when searching inside a longer text, besides
/// numbers, month and weekday names. Left out on purpose: "now", "jetzt",
/// "ahora" ("Subscribe now", "Jetzt kaufen") and "hier" (German "here");
/// they still count when they are the whole text.
const DATE_STARTERS: &[&str] = &[
    "just",
    "right",
    "today",
    "yesterday",
    "vor",
    "gerade",
    "soeben",
    "heute",
    "gestern",
    "vorgestern",
    "il",
    "aujourd",
    "avant",
    "hace",
    "hoy",
    "ayer",
    "anteayer",
    "justo",
];

/// Starters of English "… ago" forms; common words, so they only count when
/// the text has an "ago".
const AGO_STARTERS: &[&str] = &[
    "a", "an", "one", "about", "around", "over", "almost", "nearly", "less", "more", "moments",
    "few", "seconds",
];

/// ISO dates glued to other text ("Posted:2025-12-12T10:30Z").
static ISO_ANYWHERE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[t ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]{1,9})?)?(?:z|[+-][0-9]{2}:?[0-9]{2})?)?",
    )
    .expect("ISO_ANYWHERE regex is valid")
});

/// Parses one date text as found on a page (an attribute value or an element's text).
pub fn parse_date(text: &str, ctx: &DateContext) -> Option<DateTime<Utc>> {
    find_date(text, ctx).map(|found| found.at)
}

/// A date read from a text, and how much of the text it took.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FoundDate {
    pub at: DateTime<Utc>,
    /// Whether the date is the whole text (labels and brackets aside, or one
    /// `|`-separated part of it), rather than words found inside a longer text
    /// ("Posted by Jane on Dec 12, 2025").
    pub whole: bool,
    /// Bytes of the words the date was read from.
    pub len: usize,
}

/// Like [`parse_date`], telling also whether the date was the whole text or words
/// found inside it: "today" inside a headline is not the headline's date.
pub fn find_date(text: &str, ctx: &DateContext) -> Option<FoundDate> {
    // The common case, a machine-readable `datetime` attribute, needs none of the
    // heuristics below (which cost some 20,000 instructions a date before they get to
    // it): an RFC 3339 instant with its offset means one thing only.
    let trimmed = text.trim();
    if let Ok(instant) = DateTime::parse_from_rfc3339(trimmed) {
        return accept(instant.to_utc(), ctx).map(|at| FoundDate {
            at,
            whole: true,
            len: trimmed.len(),
        });
    }
    let (cleaned, truncated) = clean(text);
    if cleaned.is_empty() {
        return None;
    }
    let lower = cleaned.to_lowercase();
    let inside = |(len, at): (usize, DateTime<Utc>)| FoundDate {
        at,
        whole: false,
        len,
    };
    if truncated {
        // The last word may be cut ("Dec 12, 2" of "Dec 12, 2025"): drop it,
        // and let no date run up to the cut.
        let whole_words = lower.rsplit_once(' ').map_or("", |(head, _)| head);
        return search(whole_words, true, ctx).map(inside);
    }
    let whole = |at| FoundDate {
        at,
        whole: true,
        len: lower.len(),
    };
    if let Some(format) = ctx.format {
        let with_format = [cleaned.as_str(), unwrap_brackets(&cleaned)]
            .into_iter()
            .find_map(|s| parse_with_format(s, format, ctx).and_then(|t| accept(t, ctx)));
        if let Some(at) = with_format {
            return Some(whole(at));
        }
    }
    parse_labelled(&lower, ctx)
        .or_else(|| segments(&lower).find_map(|segment| parse_labelled(segment, ctx)))
        .map(whole)
        .or_else(|| search(&lower, false, ctx).map(inside))
}

/// Collapses whitespace and control characters into single spaces, trims,
/// drops invisible characters and maps full-width digits and colons to
/// ASCII. Keeps at most `MAX_CHARS` characters; the flag tells whether text
/// was cut off. Stops reading once the limit is reached, so huge inputs cost
/// nothing.
fn clean(text: &str) -> (String, bool) {
    let mut out = String::new();
    let mut count = 0;
    let mut pending_space = false;
    for c in text.chars() {
        let c = match c {
            '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}' | '\u{00ad}' => continue,
            '０'..='９' => char::from_digit(c as u32 - '０' as u32, 10).unwrap_or(c),
            '：' => ':',
            c if c.is_whitespace() || c.is_control() => {
                pending_space = true;
                continue;
            }
            c => c,
        };
        let needed = if pending_space && !out.is_empty() {
            2
        } else {
            1
        };
        if count + needed > MAX_CHARS {
            return (out, true);
        }
        if needed == 2 {
            out.push(' ');
        }
        out.push(c);
        count += needed;
        pending_space = false;
    }
    (out, false)
}

/// The site-specific format: a datetime with offset, a naive datetime in
/// `ctx.tz`, or a naive date (midnight in `ctx.tz`).
fn parse_with_format(text: &str, format: &str, ctx: &DateContext) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_str(text, format) {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
        return clock::resolve_local(ctx.tz, naive);
    }
    let date = NaiveDate::parse_from_str(text, format).ok()?;
    clock::at_time(date, None, ctx.tz)
}

/// A text that may carry labels and brackets around the date:
/// "Updated: 2025-12-12", "(2020-08-16 22:26:38)", "Posted on Dec 12".
fn parse_labelled(s: &str, ctx: &DateContext) -> Option<DateTime<Utc>> {
    parse_exact(strip_labels(s), ctx)
}

/// A text that is a date and nothing else.
fn parse_exact(s: &str, ctx: &DateContext) -> Option<DateTime<Utc>> {
    if s.is_empty() {
        return None;
    }
    relative::parse_relative(s, ctx)
        .or_else(|| absolute::parse_absolute(s, ctx))
        .and_then(|t| accept(t, ctx))
}

/// The last word on every result: refuses placeholders and dates more than
/// `FUTURE_TOLERANCE` ahead, and clamps the rest to now.
fn accept(t: DateTime<Utc>, ctx: &DateContext) -> Option<DateTime<Utc>> {
    let earliest = NaiveDate::from_ymd_opt(EARLIEST_YEAR, 1, 1)?
        .and_hms_opt(0, 0, 0)?
        .and_utc();
    let latest = ctx.now.checked_add_signed(FUTURE_TOLERANCE)?;
    (earliest..=latest).contains(&t).then(|| t.min(ctx.now))
}

/// Strips, repeatedly, edge punctuation, surrounding brackets and leading
/// labels ("Updated", "Posted on", "Veröffentlicht am", "发布于").
fn strip_labels(mut s: &str) -> &str {
    loop {
        let before = s.len();
        s = unwrap_brackets(
            s.trim_matches(|c: char| c.is_whitespace() || EDGE_PUNCTUATION.contains(&c)),
        );
        if let Some(rest) = strip_prefix_label(s) {
            s = rest;
        }
        if s.len() == before {
            return s;
        }
    }
}

fn unwrap_brackets(s: &str) -> &str {
    [
        ('(', ')'),
        ('[', ']'),
        ('{', '}'),
        ('（', '）'),
        ('【', '】'),
    ]
    .into_iter()
    .find_map(|(open, close)| s.strip_prefix(open)?.strip_suffix(close))
    .map_or(s, str::trim)
}

fn strip_prefix_label(s: &str) -> Option<&str> {
    PREFIXES.iter().find_map(|label| {
        let rest = s.strip_prefix(label)?;
        let latin = label.bytes().any(|b| b.is_ascii_alphabetic());
        (!latin || !rest.starts_with(char::is_alphanumeric)).then_some(rest)
    })
}

/// The parts of "Kody Kester | Jun 26, 2022", "News · 12 Dec 2025",
/// "Berlin - 12.12.2025"; nothing when there is only one part.
fn segments(s: &str) -> impl Iterator<Item = &str> {
    let parts: Vec<&str> = s
        .split(['|', '·', '•'])
        .flat_map(|part| part.split(" - "))
        .flat_map(|part| part.split(" – "))
        .flat_map(|part| part.split(" — "))
        .collect();
    let several = parts.len() > 1;
    parts.into_iter().filter(move |_| several)
}

/// Looks for a date inside a longer text: tries each run of up to
/// `MAX_WINDOW_WORDS` words that starts like a date, and keeps the longest
/// that parses ("Posted by Jane on Dec 12, 2025 10:30 in News"). With
/// `cut_off`, `s` is the start of a longer text and a date may not end at
/// its end.
fn search(s: &str, cut_off: bool, ctx: &DateContext) -> Option<(usize, DateTime<Utc>)> {
    let text = absolute::rewrite_cjk(s);
    let words: Vec<(usize, usize)> = text
        .split(' ')
        .scan(0, |offset, word| {
            let start = *offset;
            *offset += word.len() + 1;
            Some((start, start + word.len()))
        })
        .filter(|(start, end)| start < end)
        .collect();
    let word = |i: usize| &text[words[i].0..words[i].1];
    let has_ago = text.contains("ago");
    let mut best: Option<(usize, DateTime<Utc>)> = None;
    for i in 0..words.len() {
        if !may_start_date(word(i), has_ago)
            || continues_date(words[..i].iter().rev(), &text, false)
        {
            continue;
        }
        for j in i..words.len().min(i + MAX_WINDOW_WORDS) {
            let candidate = text[words[i].0..words[j].1]
                .trim_matches(|c: char| EDGE_PUNCTUATION.contains(&c) || "()[]{}\"'".contains(c));
            if best.is_some_and(|(len, _)| candidate.len() <= len)
                || continues_date(words[j + 1..].iter(), &text, cut_off)
            {
                continue;
            }
            if let Some(t) = parse_exact(candidate, ctx) {
                best = Some((candidate.len(), t));
            }
        }
    }
    best.or_else(|| {
        ISO_ANYWHERE
            .find_iter(&text)
            .find_map(|m| parse_exact(m.as_str(), ctx).map(|t| (m.len(), t)))
    })
}

/// Whether the nearest word outside a search window (skipping filler and
/// weekdays) looks like more of the same date: a year or other number of two
/// or more digits, a time, or a month name. Then the window holds only part
/// of a date — a date that failed to parse as a whole (it lies in the future,
/// say) — and must not be read without its year ("Dec 24" of "Dec 24, 2099").
/// Without such a word, the answer is `open_end`.
fn continues_date<'w>(
    outward: impl Iterator<Item = &'w (usize, usize)>,
    text: &str,
    open_end: bool,
) -> bool {
    let neighbour = outward
        .map(|&(start, end)| text[start..end].trim_matches(|c: char| !c.is_alphanumeric()))
        .find(|w| !w.is_empty() && !is_filler(w) && !is_weekday(w));
    neighbour.map_or(open_end, |w| {
        let digits = w.bytes().filter(u8::is_ascii_digit).count();
        let numeric = w
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b':' || b == b'.');
        numeric && (digits >= 2 || w.contains(':')) || month_number(w).is_some()
    })
}

fn may_start_date(word: &str, has_ago: bool) -> bool {
    let word = word.trim_matches(|c: char| !c.is_alphanumeric());
    word.bytes().any(|b| b.is_ascii_digit())
        || !word.is_ascii()
        || month_number(word).is_some()
        || is_weekday(word)
        || DATE_STARTERS.contains(&word)
        || has_ago && AGO_STARTERS.contains(&word)
}

#[cfg(test)]
mod tests;
