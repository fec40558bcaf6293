//! Fetching section pages on the open web: politely, within bounds, and never where a
//! page or server should not send us.
//!
//! One [`Fetcher`] per process holds the HTTP clients (one per guard and proxy,
//! `request`), the per-host gate (`host`), and the robots.txt rules (`robots`). A
//! fetch checks robots.txt, waits for its host's turn, sends the feed's headers and
//! validators, follows redirects through the SSRF guard (`guard`), reads at most
//! `max_body` bytes (`body`), refuses what is not HTML (`content_type`), names
//! challenge pages (`blocked`), retries transient faults (`retry`), and decodes the
//! page to UTF-8 (`charset`).
//!
//! `file://` URLs read local files (regular files only, with the same size limit), so
//! examples and tests can run offline.
//!
//! Later fetchers (full article text, pagination, a browser backend) build on
//! [`Fetcher::get`]: a URL found on a page is fetched under the guard of the feed it
//! belongs to, with the same retries and limits.

pub mod blocked;
pub mod body;
pub mod charset;
pub mod content_type;
pub mod guard;
pub mod host;
mod post;
pub mod request;
pub mod retry;
pub mod robots;

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use reqwest::header::{self, HeaderValue};
use url::Url;

use crate::config::Settings;
use crate::store::Store;
use crate::validators::Validators;
pub use guard::Refusal;
pub use request::{ProxyChoice, RequestOptions};

/// Why a page could not be fetched.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("GET {url}: HTTP {status} {}{}{}", reason(*status), retry_after.map_or_else(String::new, |d| format!(" (retry after {}s)", d.as_secs())), status_note(*status, challenge.as_deref()))]
    Status {
        url: Url,
        status: u16,
        retry_after: Option<Duration>,
        /// What a 403/503 body looked like, when it was a challenge page.
        challenge: Option<Box<blocked::Blocked>>,
    },
    #[error("GET {url}: timed out after {after:?}")]
    Timeout { url: Url, after: Duration },
    #[error("GET {url}: {message}")]
    Network { url: Url, message: String },
    #[error("GET {url}: {refusal}")]
    Refused { url: Url, refusal: Box<Refusal> },
    #[error("GET {url}: {message}")]
    Redirect { url: Url, message: String },
    #[error("GET {url}: {reason}")]
    Robots { url: Url, reason: String },
    #[error("GET {url}: the page is larger than the {limit}-byte limit (max_body)")]
    TooLarge { url: Url, limit: u64 },
    #[error("GET {url}: not an HTML page ({what})")]
    NotHtml { url: Url, what: String },
    #[error("reading {path}: {reason}")]
    File { path: String, reason: String },
    #[error("{last} — gave up after {attempts} attempts in {:.1}s", elapsed.as_secs_f64())]
    GaveUp {
        attempts: u32,
        elapsed: Duration,
        last: Box<FetchError>,
    },
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
}

impl FetchError {
    /// The server's Retry-After, when it sent one (429, 503).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::Status { retry_after, .. } => *retry_after,
            FetchError::GaveUp { last, .. } => last.retry_after(),
            _ => None,
        }
    }

    /// The HTTP status of the last response, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            FetchError::Status { status, .. } => Some(*status),
            FetchError::GaveUp { last, .. } => last.status(),
            _ => None,
        }
    }
}

fn reason(status: u16) -> &'static str {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("")
}

/// What a user should know about a status beyond its number.
fn status_note(status: u16, challenge: Option<&blocked::Blocked>) -> String {
    if let Some(challenge) = challenge {
        return format!(": {challenge}");
    }
    match status {
        401 | 403 => " — access denied; not retried".into(),
        404 => " — not retried: check the feed's URL".into(),
        410 => " — the page is gone; not retried".into(),
        400..=499 if status != 408 && status != 429 => " — not retried".into(),
        _ => String::new(),
    }
}

/// A downloaded page, decoded to UTF-8.
#[derive(Debug, Clone)]
pub struct Page {
    /// The URL after redirects; relative links resolve against it.
    pub url: Url,
    pub html: String,
    pub status: u16,
    pub validators: Validators,
    pub fetched_at: DateTime<Utc>,
    /// Size of the body as received, in bytes.
    pub bytes: usize,
    pub charset: &'static str,
}

/// The result of a (possibly conditional) fetch.
#[derive(Debug)]
pub enum Fetched {
    Page(Page),
    /// 304: the page did not change since the validators were stored.
    NotModified,
}

/// The process's fetching machinery, cheap to clone.
#[derive(Debug, Clone)]
pub struct Fetcher {
    clients: request::Clients,
    hosts: host::HostGate,
    robots: robots::RobotsCache,
    /// Where robots.txt copies are remembered between runs (none for `preview`).
    store: Option<Store>,
    user_agent: String,
    host_delay: Duration,
    max_body: u64,
    timeout: Duration,
}

/// A Retry-After value — seconds, or an HTTP date — as a wait from `now`, capped at a
/// day so a misconfigured server cannot silence a feed for longer.
pub fn retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    const CAP: Duration = Duration::from_secs(86_400);
    let value = value.trim();
    let wait = match value.parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => {
            let at = DateTime::parse_from_rfc2822(value)
                .ok()?
                .with_timezone(&Utc);
            (at - now).to_std().unwrap_or(Duration::ZERO)
        }
    };
    Some(wait.min(CAP))
}

/// rustls needs one process-wide crypto provider; `ring` builds far faster than aws-lc.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl Fetcher {
    pub fn new(settings: &Settings) -> Result<Fetcher, FetchError> {
        install_crypto_provider();
        request::header_value(&settings.user_agent)
            .map_err(|e| FetchError::Client(format!("user_agent {e}")))?;
        let pins: HashMap<String, Vec<IpAddr>> = settings.resolve.clone();
        Ok(Fetcher {
            clients: request::Clients::new(settings.connect_timeout, settings.timeout, pins),
            hosts: host::HostGate::new(settings.per_host),
            robots: robots::RobotsCache::default(),
            store: None,
            user_agent: settings.user_agent.clone(),
            host_delay: settings.host_delay,
            max_body: settings.max_body,
            timeout: settings.timeout,
        })
    }

    /// Remembers robots.txt copies in `store`, so the next run need not fetch them.
    pub fn with_store(mut self, store: Store) -> Fetcher {
        self.store = Some(store);
        self
    }

    /// Fetches a feed's configured page, sending `validators` as If-None-Match /
    /// If-Modified-Since.
    pub async fn fetch(
        &self,
        url: &Url,
        options: &RequestOptions,
        validators: Option<&Validators>,
    ) -> Result<Fetched, FetchError> {
        self.fetch_timed(url, options, validators).await.0
    }

    /// [`Fetcher::fetch`], also saying how long its requests waited for their turn at
    /// the host (`per_host`, `host_delay`, Crawl-delay) — time that is not the
    /// server's.
    pub async fn fetch_timed(
        &self,
        url: &Url,
        options: &RequestOptions,
        validators: Option<&Validators>,
    ) -> (Result<Fetched, FetchError>, Duration) {
        let mut waited = Duration::ZERO;
        let result = self
            .get_timed(url, url, options, validators, &mut waited)
            .await;
        (result, waited)
    }

    /// Fetches `url` for the feed whose configured page is `own`: the guard trusts
    /// `own`'s host only, so a URL taken from a page or a server cannot reach the
    /// local network.
    pub async fn get(
        &self,
        url: &Url,
        own: &Url,
        options: &RequestOptions,
        validators: Option<&Validators>,
    ) -> Result<Fetched, FetchError> {
        let mut waited = Duration::ZERO;
        self.get_timed(url, own, options, validators, &mut waited)
            .await
    }

    async fn get_timed(
        &self,
        url: &Url,
        own: &Url,
        options: &RequestOptions,
        validators: Option<&Validators>,
        waited: &mut Duration,
    ) -> Result<Fetched, FetchError> {
        if url.scheme() == "file" {
            return self.read_file(url).await.map(Fetched::Page);
        }
        let guard = self.clients.guard(own, options);
        guard
            .check_url(url)
            .map_err(|refusal| FetchError::Refused {
                url: url.clone(),
                refusal: Box::new(refusal),
            })?;
        let client = self.clients.client(&guard, &options.proxy)?;
        let delay = if options.robots_txt {
            self.robots_delay(&client, url).await?
        } else {
            None
        };
        let delay = delay.map_or(self.host_delay, |d| d.max(self.host_delay));
        let started = Instant::now();
        let mut attempts = 0;
        loop {
            attempts += 1;
            let error = match self
                .attempt(&client, url, options, validators, delay, waited)
                .await
            {
                Ok(fetched) => return Ok(fetched),
                Err(error) => error,
            };
            let elapsed = started.elapsed();
            let Some(wait) = options.retry.wait_before(attempts, &error, elapsed) else {
                return Err(if attempts > 1 {
                    FetchError::GaveUp {
                        attempts,
                        elapsed,
                        last: Box::new(error),
                    }
                } else {
                    error
                });
            };
            tracing::info!(
                "{error}; retrying in {:.1}s (attempt {} of at most {})",
                wait.as_secs_f64(),
                attempts + 1,
                options.retry.retries + 1
            );
            tokio::time::sleep(wait).await;
        }
    }

    /// What robots.txt says about `url`: its Crawl-delay, or why it may not be fetched.
    async fn robots_delay(
        &self,
        client: &reqwest::Client,
        url: &Url,
    ) -> Result<Option<Duration>, FetchError> {
        let rules = self.robots_rules(client, url).await;
        match rules.verdict(url) {
            robots::Verdict::Allowed { crawl_delay } => Ok(crawl_delay),
            robots::Verdict::Disallowed(reason) => Err(FetchError::Robots {
                url: url.clone(),
                reason,
            }),
        }
    }

    /// The rules of `url`'s origin: from memory, from the store, or fetched (one fetch
    /// per origin at a time; feeds of the same site wait for it).
    async fn robots_rules(
        &self,
        client: &reqwest::Client,
        url: &Url,
    ) -> std::sync::Arc<robots::Rules> {
        let origin = robots::origin(url);
        let slot = self.robots.slot(&origin);
        let mut known = slot.lock().await;
        let now = Utc::now();
        if let Some(rules) = known.as_ref().filter(|r| r.is_fresh(now)) {
            return rules.clone();
        }
        if known.is_none()
            && let Some(stored) = self.stored_robots(&origin).await
        {
            let rules = std::sync::Arc::new(robots::Rules::new(stored));
            *known = Some(rules.clone());
            if rules.is_fresh(now) {
                return rules;
            }
        }
        let previous = known.as_ref().map(|r| r.record().clone());
        let robots_url = robots::robots_url(url);
        let mut request = client
            .get(robots_url.clone())
            .header(header::USER_AGENT, &self.user_agent)
            .header(header::ACCEPT, "text/plain,*/*;q=0.5");
        if let Some(previous) = previous.as_ref().filter(|p| p.body.is_some()) {
            if let Some(etag) = &previous.etag {
                request = request.header(header::IF_NONE_MATCH, etag);
            }
            if let Some(modified) = &previous.last_modified {
                request = request.header(header::IF_MODIFIED_SINCE, modified);
            }
        }
        let response = match request.send().await {
            Ok(response) => robots::RobotsResponse::read(response).await,
            Err(error) => Err(match self.network_error(&robots_url, error) {
                FetchError::Network { message, .. } => message,
                FetchError::Timeout { after, .. } => format!("timed out after {after:?}"),
                FetchError::Refused { refusal, .. } => refusal.to_string(),
                other => other.to_string(),
            }),
        };
        let record = robots::record_response(&origin, previous.as_ref(), response, Utc::now());
        tracing::debug!(origin, status = record.status, "robots.txt fetched");
        self.save_robots(&record).await;
        let rules = std::sync::Arc::new(robots::Rules::new(record));
        *known = Some(rules.clone());
        rules
    }

    async fn stored_robots(&self, origin: &str) -> Option<robots::RobotsRecord> {
        let store = self.store.clone()?;
        let origin = origin.to_owned();
        tokio::task::spawn_blocking(move || store.robots(&origin))
            .await
            .ok()?
            .map_err(|e| tracing::warn!("cannot read the stored robots.txt: {e}"))
            .ok()?
    }

    async fn save_robots(&self, record: &robots::RobotsRecord) {
        let Some(store) = self.store.clone() else {
            return;
        };
        let record = record.clone();
        let saved = tokio::task::spawn_blocking(move || store.save_robots(&record)).await;
        if let Ok(Err(e)) = saved {
            tracing::warn!("cannot remember robots.txt: {e}");
        }
    }

    /// One request, under the host's politeness gate.
    async fn attempt(
        &self,
        client: &reqwest::Client,
        url: &Url,
        options: &RequestOptions,
        validators: Option<&Validators>,
        delay: Duration,
        waited: &mut Duration,
    ) -> Result<Fetched, FetchError> {
        let waiting = Instant::now();
        let _pass = self
            .hosts
            .enter(url.host_str().unwrap_or_default(), delay)
            .await;
        *waited += waiting.elapsed();
        let user_agent = options.user_agent.as_deref().unwrap_or(&self.user_agent);
        let mut request = client
            .get(url.clone())
            .header(header::USER_AGENT, user_agent);
        if let Some(language) = &options.accept_language {
            request = request.header(header::ACCEPT_LANGUAGE, language);
        }
        for (name, value) in &options.headers {
            request = request.header(name, value);
        }
        if let Some(v) = validators {
            if let Some(etag) = &v.etag {
                request = request.header(header::IF_NONE_MATCH, etag);
            }
            if let Some(modified) = &v.last_modified {
                request = request.header(header::IF_MODIFIED_SINCE, modified);
            }
        }
        let response = request
            .send()
            .await
            .map_err(|e| self.network_error(url, e))?;
        let status = response.status();
        if status == reqwest::StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified);
        }
        if status.is_redirection()
            && let Some(location) = response.headers().get(header::LOCATION)
        {
            // A redirect the client could not follow: a target it cannot even parse
            // as an HTTP URL, such as `file:///etc/passwd`.
            let location = String::from_utf8_lossy(location.as_bytes());
            let target = url
                .join(&location)
                .map_or_else(|_| location.to_string(), String::from);
            return Err(match Url::parse(&target) {
                Ok(target) if !matches!(target.scheme(), "http" | "https") => FetchError::Refused {
                    url: url.clone(),
                    refusal: Box::new(Refusal::Scheme {
                        url: target.to_string(),
                    }),
                },
                _ => FetchError::Redirect {
                    url: url.clone(),
                    message: format!("a redirect to `{target}` that cannot be followed"),
                },
            });
        }
        if !status.is_success() {
            return Err(self.status_error(url, response).await);
        }
        let final_url = response.url().clone();
        let header_text = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
                .map(str::to_owned)
        };
        let validators = Validators {
            etag: header_text(header::ETAG),
            last_modified: header_text(header::LAST_MODIFIED),
        };
        let content_type = header_text(header::CONTENT_TYPE);
        if let Some(what) = content_type::refuse_early(content_type.as_deref()) {
            return Err(FetchError::NotHtml {
                url: final_url,
                what,
            });
        }
        if response
            .content_length()
            .is_some_and(|len| len > self.max_body)
        {
            return Err(self.too_large(url));
        }
        let mut body = body::Body::new(self.max_body);
        let mut stream = response.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| self.network_error(url, e))?;
            body.push(&chunk).map_err(|_| self.too_large(url))?;
        }
        let body = body.into_bytes();
        content_type::check(content_type.as_deref(), &body).map_err(|what| {
            FetchError::NotHtml {
                url: final_url.clone(),
                what,
            }
        })?;
        let bytes = body.len();
        let decoded = charset::decode_owned(body, content_type.as_deref());
        Ok(Fetched::Page(Page {
            url: final_url,
            bytes,
            html: decoded.text,
            status: status.as_u16(),
            validators,
            fetched_at: Utc::now(),
            charset: decoded.encoding.name(),
        }))
    }

    /// An error status, with its Retry-After and, for 403/503, whether the body is a
    /// challenge page (its first 64 KiB are read to tell).
    async fn status_error(&self, url: &Url, response: reqwest::Response) -> FetchError {
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| retry_after(v, Utc::now()));
        let mut challenge = None;
        if matches!(status, 403 | 503) {
            let mut head = body::Body::new(64 * 1024);
            let mut stream = response.bytes_stream();
            while let Some(Ok(chunk)) = stream.next().await {
                if head.push(&chunk).is_err() {
                    break;
                }
            }
            let head = head.into_bytes();
            challenge = blocked::classify(&String::from_utf8_lossy(&head))
                .filter(|b| !matches!(b, blocked::Blocked::Empty(_)))
                .map(Box::new);
        }
        FetchError::Status {
            url: url.clone(),
            status,
            retry_after,
            challenge,
        }
    }

    async fn read_file(&self, url: &Url) -> Result<Page, FetchError> {
        let path = url.to_file_path().map_err(|()| FetchError::File {
            path: url.to_string(),
            reason: "not a local file path".into(),
        })?;
        let limit = self.max_body;
        let shown = path.display().to_string();
        let body = tokio::task::spawn_blocking(move || body::read_file(&path, limit))
            .await
            .map_err(|e| FetchError::File {
                path: shown.clone(),
                reason: e.to_string(),
            })?
            .map_err(|e| FetchError::File {
                path: shown.clone(),
                reason: e.to_string(),
            })?;
        content_type::check(None, &body).map_err(|what| FetchError::NotHtml {
            url: url.clone(),
            what,
        })?;
        let bytes = body.len();
        let decoded = charset::decode_owned(body, None);
        Ok(Page {
            url: url.clone(),
            bytes,
            html: decoded.text,
            status: 200,
            validators: Validators::default(),
            fetched_at: Utc::now(),
            charset: decoded.encoding.name(),
        })
    }

    fn too_large(&self, url: &Url) -> FetchError {
        FetchError::TooLarge {
            url: url.clone(),
            limit: self.max_body,
        }
    }

    fn network_error(&self, url: &Url, error: reqwest::Error) -> FetchError {
        // The guard's and the redirect policy's own errors travel inside reqwest's.
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&error);
        while let Some(cause) = source {
            if let Some(refusal) = cause.downcast_ref::<Refusal>() {
                return FetchError::Refused {
                    url: url.clone(),
                    refusal: Box::new(refusal.clone()),
                };
            }
            if let Some(redirect) = cause.downcast_ref::<guard::RedirectError>() {
                return FetchError::Redirect {
                    url: url.clone(),
                    message: redirect.0.clone(),
                };
            }
            source = cause.source();
        }
        if error.is_timeout() {
            return FetchError::Timeout {
                url: url.clone(),
                after: self.timeout,
            };
        }
        // The innermost cause says what really happened (refused, DNS, TLS …).
        let mut message = error.to_string();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            message = cause.to_string();
            source = cause.source();
        }
        FetchError::Network {
            url: url.clone(),
            message,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        assert_eq!(retry_after("120", now), Some(Duration::from_secs(120)));
        assert_eq!(
            retry_after("Fri, 02 Jan 2026 03:14:05 GMT", now),
            Some(Duration::from_secs(600))
        );
        assert_eq!(
            retry_after("Thu, 01 Jan 2026 00:00:00 GMT", now),
            Some(Duration::ZERO),
            "a past date: now"
        );
        assert_eq!(
            retry_after("9999999", now),
            Some(Duration::from_secs(86_400)),
            "capped at a day"
        );
        assert_eq!(retry_after("soon", now), None);
    }
}
