//! The daemon (placeholder until the scheduler lands).
use chrono::{DateTime, Utc};

use crate::config::Feed;

pub fn next_run(_feed: &Feed, _now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    None
}
