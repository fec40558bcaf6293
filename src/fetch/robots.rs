//! robots.txt, honoured as RFC 9309 says, fetched once per site and remembered.
//!
//! Each origin's (scheme, host, port) robots.txt is fetched before its first page and
//! kept in memory and in the store (`run --once` from cron would otherwise fetch it
//! every run) until it expires: a day, or sooner when the server's `Cache-Control:
//! max-age` says so. An expired copy is revalidated with a conditional GET.
//!
//! The rules for the `scrapefeed` token (or `*`) are matched by `texting_robots`
//! (longest match wins, `Allow` on a tie, `*` and `$` wildcards). As RFC 9309 says:
//! a robots.txt that is unavailable (4xx) allows everything; one that is unreachable
//! (5xx, or no answer) disallows everything — for 15 minutes after a 5xx, until the next
//! fetch after no answer — and the last good copy is used instead when there is one. `Crawl-delay` (up to a minute) spaces requests to the
//! host further than `host_delay`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::header;
use texting_robots::Robot;
use url::Url;

/// The product token matched against `User-agent` lines.
pub const TOKEN: &str = "scrapefeed";
/// How long a fetched robots.txt is trusted (RFC 9309: no more than a day).
const FRESH: Duration = Duration::from_secs(86_400);
/// The least time a robots.txt is kept, whatever its max-age says.
const FRESH_AT_LEAST: Duration = Duration::from_secs(3600);
/// How long an unreachable robots.txt keeps the site off limits before asking again.
const UNREACHABLE_FOR: Duration = Duration::from_secs(15 * 60);
/// The most of a robots.txt that is read (RFC 9309 asks for at least 500 KiB).
pub const MAX_BYTES: u64 = 512 * 1024;
/// The longest Crawl-delay honoured.
pub const MAX_CRAWL_DELAY: Duration = Duration::from_secs(60);

/// A robots.txt as fetched (and as stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RobotsRecord {
    /// `scheme://host:port`.
    pub origin: String,
    pub fetched_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The HTTP status, or 0 when the server could not be reached.
    pub status: u16,
    /// Why it could not be reached (status 0).
    pub error: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// The body of the last successful fetch (kept through later outages).
    pub body: Option<String>,
}

/// What robots.txt says about one URL.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Allowed {
        crawl_delay: Option<Duration>,
    },
    /// Disallowed, with the reason in words.
    Disallowed(String),
}

/// The rules of one origin, parsed.
#[derive(Debug)]
pub struct Rules {
    record: RobotsRecord,
    robot: Option<Robot>,
}

impl Rules {
    pub fn new(record: RobotsRecord) -> Rules {
        let robot = record.body.as_deref().and_then(|body| {
            Robot::new(TOKEN, body.as_bytes())
                .map_err(|e| {
                    tracing::warn!(
                        "{}/robots.txt cannot be parsed ({e}); treating it as allowing everything",
                        record.origin
                    );
                })
                .ok()
        });
        Rules { record, robot }
    }

    pub fn record(&self) -> &RobotsRecord {
        &self.record
    }

    pub fn is_fresh(&self, now: DateTime<Utc>) -> bool {
        now < self.record.expires_at
    }

    /// Whether `url` may be fetched.
    pub fn verdict(&self, url: &Url) -> Verdict {
        let robots_url = format!("{}/robots.txt", self.record.origin);
        let reachable = matches!(self.record.status, 200..=499);
        // An unreachable robots.txt: the last good copy if there is one, else nothing.
        let robot = match (&self.robot, reachable, self.record.status) {
            (Some(robot), true, 200..=299) | (Some(robot), false, _) => Some(robot),
            (None, false, _) => {
                let again = if self.record.expires_at > self.record.fetched_at {
                    format!(
                        "asking again after {}",
                        self.record.expires_at.format("%H:%M UTC")
                    )
                } else {
                    "asking again next time".to_owned()
                };
                // No answer at all (DNS, refused, timed out) is the site's, not its
                // robots.txt's: the page would get none either, and `robots_txt: false`
                // would not help.
                return Verdict::Disallowed(match &self.record.error {
                    Some(error) => format!(
                        "{} does not answer ({error}): not even {robots_url} could be fetched, so nothing was ({again})",
                        self.record.origin
                    ),
                    None => format!(
                        "{robots_url} is unreachable (HTTP {}); RFC 9309 says to stay away until it answers ({again}), or set `robots_txt: false` on the feed",
                        self.record.status
                    ),
                });
            }
            _ => None,
        };
        let Some(robot) = robot else {
            return Verdict::Allowed { crawl_delay: None };
        };
        if robot.allowed(url.as_str()) {
            Verdict::Allowed {
                crawl_delay: robot
                    .delay
                    .filter(|d| d.is_finite() && *d > 0.0)
                    .map(|d| Duration::from_secs_f32(d).min(MAX_CRAWL_DELAY)),
            }
        } else {
            Verdict::Disallowed(format!(
                "{robots_url} disallows {} for {TOKEN}; set `robots_txt: false` on the feed to fetch it anyway (only with the site's consent)",
                url.path()
            ))
        }
    }
}

/// `scheme://host:port` of a URL: the scope of one robots.txt.
pub fn origin(url: &Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or_default()
    )
}

/// Where an origin's robots.txt is.
pub fn robots_url(url: &Url) -> Url {
    let mut robots = url.clone();
    robots.set_path("/robots.txt");
    robots.set_query(None);
    robots.set_fragment(None);
    let _ = robots.set_username("");
    let _ = robots.set_password(None);
    robots
}

/// One origin's answer to a robots.txt request, turned into a record. `previous` is
/// the copy already known (its body survives outages, its validators make the
/// request conditional).
pub fn record_response(
    origin: &str,
    previous: Option<&RobotsRecord>,
    response: Result<RobotsResponse, String>,
    now: DateTime<Utc>,
) -> RobotsRecord {
    let until = |d: Duration| now + chrono::Duration::from_std(d).unwrap_or_default();
    let kept_body = previous.and_then(|p| p.body.clone());
    match response {
        // No answer at all: asked again at the next fetch, as the page itself would be.
        Err(error) => RobotsRecord {
            origin: origin.to_owned(),
            fetched_at: now,
            expires_at: now,
            status: 0,
            error: Some(error),
            etag: previous.and_then(|p| p.etag.clone()),
            last_modified: previous.and_then(|p| p.last_modified.clone()),
            body: kept_body,
        },
        Ok(response) => {
            let fresh = response
                .max_age
                .map_or(FRESH, |age| age.clamp(FRESH_AT_LEAST, FRESH));
            let (status, body, etag, last_modified, expires) = match response.status {
                304 => (
                    previous.map_or(200, |p| p.status),
                    kept_body,
                    previous.and_then(|p| p.etag.clone()),
                    previous.and_then(|p| p.last_modified.clone()),
                    until(fresh),
                ),
                200..=299 => (
                    response.status,
                    Some(response.body),
                    response.etag,
                    response.last_modified,
                    until(fresh),
                ),
                status @ 500..=599 => (status, kept_body, None, None, until(UNREACHABLE_FOR)),
                status => (status, None, None, None, until(FRESH)),
            };
            RobotsRecord {
                origin: origin.to_owned(),
                fetched_at: now,
                expires_at: expires,
                status,
                error: None,
                etag,
                last_modified,
                body,
            }
        }
    }
}

/// What the server said, reduced to what matters here.
#[derive(Debug, Clone, Default)]
pub struct RobotsResponse {
    pub status: u16,
    pub body: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub max_age: Option<Duration>,
}

impl RobotsResponse {
    /// Reads the parts of a response that matter, the body up to `MAX_BYTES`.
    pub async fn read(response: reqwest::Response) -> Result<RobotsResponse, String> {
        use futures_util::StreamExt;
        let text = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &header::HeaderValue| v.to_str().ok())
                .map(str::to_owned)
        };
        let max_age = text(header::CACHE_CONTROL).and_then(|cc| {
            cc.split(',').find_map(|part| {
                part.trim()
                    .strip_prefix("max-age=")
                    .and_then(|s| s.trim().parse().ok())
                    .map(Duration::from_secs)
            })
        });
        let (status, etag, last_modified) = (
            response.status().as_u16(),
            text(header::ETAG),
            text(header::LAST_MODIFIED),
        );
        let mut body = Vec::new();
        if (200..300).contains(&status) {
            // A longer robots.txt is cut at the limit: its first 512 KiB still count.
            let mut stream = response.bytes_stream();
            while let Some(chunk) = stream.next().await {
                let chunk = chunk.map_err(|e| e.to_string())?;
                let room = (MAX_BYTES as usize).saturating_sub(body.len());
                body.extend_from_slice(&chunk[..chunk.len().min(room)]);
                if room <= chunk.len() {
                    break;
                }
            }
        }
        Ok(RobotsResponse {
            status,
            body: String::from_utf8_lossy(&body).into_owned(),
            etag,
            last_modified,
            max_age,
        })
    }
}

/// One origin's rules once known; its lock is held while they are fetched.
pub type Slot = Arc<tokio::sync::Mutex<Option<Arc<Rules>>>>;

/// The robots.txt rules known to this process, one fetch at a time per origin.
#[derive(Debug, Clone, Default)]
pub struct RobotsCache {
    origins: Arc<Mutex<HashMap<String, Slot>>>,
}

impl RobotsCache {
    /// The slot of an origin; holding its lock makes other feeds of the site wait for
    /// the one fetch instead of each making its own.
    pub fn slot(&self, origin: &str) -> Slot {
        self.origins
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(origin.to_owned())
            .or_default()
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 4, 1, 12, 0, 0).unwrap()
    }

    fn fetched(status: u16, body: &str) -> RobotsRecord {
        record_response(
            "https://news.example:443",
            None,
            Ok(RobotsResponse {
                status,
                body: body.into(),
                ..RobotsResponse::default()
            }),
            now(),
        )
    }

    fn url(path: &str) -> Url {
        Url::parse("https://news.example")
            .unwrap()
            .join(path)
            .unwrap()
    }

    #[test]
    fn longest_match_wins_and_our_group_is_chosen() {
        let rules = Rules::new(fetched(
            200,
            "User-agent: *\nDisallow: /\n\nUser-agent: scrapefeed\nDisallow: /section/\nAllow: /section/economy/\nDisallow: /*.pdf$\nCrawl-delay: 5\n",
        ));
        assert!(matches!(
            rules.verdict(&url("/section/economy/")),
            Verdict::Allowed { crawl_delay: Some(d) } if d == Duration::from_secs(5)
        ));
        let Verdict::Disallowed(why) = rules.verdict(&url("/section/sport/")) else {
            panic!("disallowed");
        };
        assert!(
            why.contains("disallows /section/sport/ for scrapefeed"),
            "{why}"
        );
        assert!(matches!(
            rules.verdict(&url("/files/a.pdf")),
            Verdict::Disallowed(_)
        ));
        assert!(matches!(
            rules.verdict(&url("/about/")),
            Verdict::Allowed { .. }
        ));
    }

    #[test]
    fn unavailable_allows_and_unreachable_disallows_for_a_while() {
        assert!(matches!(
            Rules::new(fetched(404, "")).verdict(&url("/x")),
            Verdict::Allowed { crawl_delay: None }
        ));
        let down = fetched(503, "");
        assert_eq!(down.expires_at, now() + chrono::Duration::minutes(15));
        let Verdict::Disallowed(why) = Rules::new(down).verdict(&url("/x")) else {
            panic!("a 5xx robots.txt disallows");
        };
        assert!(why.contains("unreachable (HTTP 503)"), "{why}");
        let silent = record_response(
            "https://news.example:443",
            None,
            Err("timed out".into()),
            now(),
        );
        let Verdict::Disallowed(why) = Rules::new(silent).verdict(&url("/x")) else {
            panic!("no answer disallows");
        };
        // The site does not answer at all: said as such, without the robots_txt hint.
        assert!(
            why.starts_with("https://news.example:443 does not answer (timed out)"),
            "{why}"
        );
        assert!(!why.contains("robots_txt: false"), "{why}");
        assert!(why.contains("asking again next time"), "{why}");
    }

    #[test]
    fn an_outage_keeps_the_last_good_copy_and_304_renews_it() {
        let good = fetched(200, "User-agent: *\nDisallow: /private/\n");
        let down = record_response(
            "https://news.example:443",
            Some(&good),
            Ok(RobotsResponse {
                status: 500,
                ..RobotsResponse::default()
            }),
            now(),
        );
        let rules = Rules::new(down);
        assert!(matches!(
            rules.verdict(&url("/news/")),
            Verdict::Allowed { .. }
        ));
        assert!(matches!(
            rules.verdict(&url("/private/")),
            Verdict::Disallowed(_)
        ));

        let later = now() + chrono::Duration::days(2);
        let renewed = record_response(
            "https://news.example:443",
            Some(&good),
            Ok(RobotsResponse {
                status: 304,
                max_age: Some(Duration::from_secs(7200)),
                ..RobotsResponse::default()
            }),
            later,
        );
        assert_eq!(renewed.body, good.body);
        assert_eq!(renewed.status, 200);
        assert_eq!(renewed.expires_at, later + chrono::Duration::hours(2));
    }

    #[test]
    fn origins_and_robots_urls() {
        let page = Url::parse("http://user:pw@News.Example:8080/a/b?c=d#e").unwrap();
        assert_eq!(origin(&page), "http://news.example:8080");
        assert_eq!(
            robots_url(&page).as_str(),
            "http://news.example:8080/robots.txt"
        );
    }
}
