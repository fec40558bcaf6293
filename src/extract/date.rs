//! Page dates (placeholder until the full parser lands).
use chrono::{DateTime, Utc};

pub struct DateContext<'a> {
    pub now: DateTime<Utc>,
    pub tz: chrono_tz::Tz,
    pub format: Option<&'a str>,
}

pub fn parse_date(text: &str, _ctx: &DateContext) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim()).ok().map(|d| d.with_timezone(&Utc))
}
