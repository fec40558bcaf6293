//! How long a served file stays fresh: until its feed can next change.
//!
//! A feed's files change only when the feed refreshes, and it refreshes on its
//! schedule. So a reader or a cache may keep a feed file until the next scheduled run
//! has had time to land — never longer, or it would miss the new items for a whole
//! interval; never much shorter, or readers poll for nothing. The index page and the
//! OPML list (and any other file) can change with any feed's refresh, so they are fresh
//! until the soonest of them. A refresh may land later than planned (a slow server,
//! Retry-After, backoff), never earlier, except when feeds.yaml is edited or someone
//! runs `run --once`: so freshness is capped at [`MAX_AGE`], and revalidation (ETag,
//! Last-Modified) is cheap after that.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::config::{Config, Feed};

/// The longest any file is called fresh.
pub const MAX_AGE: Duration = Duration::from_secs(86_400);
/// How long after its planned time a refresh is given to land (beyond `timeout`).
const LANDING: Duration = Duration::from_secs(60);

/// The `Cache-Control` value for the file named `name` in `output_dir`.
pub fn cache_control(config: &Config, name: &str, now: DateTime<Utc>) -> String {
    let landing = config.settings.timeout + LANDING;
    let age = match feed_of(config, name) {
        Some(feed) => fresh_for(feed, landing, now),
        None => config
            .feeds
            .iter()
            .map(|feed| fresh_for(feed, landing, now))
            .min()
            .unwrap_or(MAX_AGE),
    };
    format!("public, max-age={}", age.as_secs())
}

/// The feed whose output file `name` is (`harbour.xml`, `harbour.atom`, …).
fn feed_of<'a>(config: &'a Config, name: &str) -> Option<&'a Feed> {
    let (slug, extension) = name.rsplit_once('.')?;
    config
        .feed(slug)
        .filter(|feed| feed.formats.iter().any(|f| f.extension() == extension))
}

/// How long `feed`'s files stay fresh at `now`: until the run that is due next, or
/// is due so recently that it may still be landing, has had `landing` to finish.
fn fresh_for(feed: &Feed, landing: Duration, now: DateTime<Utc>) -> Duration {
    let landing_chrono = chrono::Duration::from_std(landing).unwrap_or_default();
    feed.schedule
        .next_run(&feed.slug, now - landing_chrono)
        .and_then(|run| (run + landing_chrono - now).to_std().ok())
        .map_or(MAX_AGE, |age| age.min(MAX_AGE))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn config(yaml: &str) -> Config {
        crate::config::parse(yaml, std::path::Path::new("feeds.yaml")).expect("valid config")
    }

    fn max_age(value: &str) -> u64 {
        value
            .strip_prefix("public, max-age=")
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{value}"))
    }

    const YAML: &str = "settings:\n  timeout: 30s\nfeeds:\n  hourly:\n    url: https://a.example/\n    schedule: \"0 * * * *\"\n  daily:\n    url: https://b.example/\n    schedule: \"0 6 * * *\"\n    formats: [atom]\n";

    #[test]
    fn a_feed_file_is_fresh_until_its_next_run_has_landed() {
        let config = config(YAML);
        let hourly = config.feed("hourly").unwrap();
        let run = hourly
            .schedule
            .next_run(
                "hourly",
                Utc.with_ymd_and_hms(2026, 3, 1, 10, 0, 0).unwrap(),
            )
            .unwrap();
        // Half an hour before the run: fresh until it has had 90 s to land.
        let now = run - chrono::Duration::minutes(30);
        assert_eq!(
            max_age(&cache_control(&config, "hourly.xml", now)),
            30 * 60 + 90
        );
        // Just after the run, while it may still be landing: only until it has.
        let now = run + chrono::Duration::seconds(10);
        assert_eq!(max_age(&cache_control(&config, "hourly.atom", now)), 80);
        // Once it has landed: until the next one.
        let now = run + chrono::Duration::seconds(90);
        let next = max_age(&cache_control(&config, "hourly.xml", now));
        assert!((3000..=3600).contains(&next), "{next}");
    }

    #[test]
    fn other_files_are_fresh_until_the_soonest_feed_changes_and_never_past_a_day() {
        let config = config(YAML);
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 7, 0, 0).unwrap();
        let index = max_age(&cache_control(&config, "index.html", now));
        let hourly = max_age(&cache_control(&config, "hourly.xml", now));
        assert_eq!(index, hourly);
        // `daily` writes no RSS file: `daily.xml` is not its file, so it is "other".
        assert_eq!(max_age(&cache_control(&config, "daily.xml", now)), hourly);
        let daily = max_age(&cache_control(&config, "daily.atom", now));
        assert!(daily > 22 * 3600 && daily <= MAX_AGE.as_secs(), "{daily}");
    }
}
