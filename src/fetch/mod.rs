//! Fetching section pages: one shared HTTP client, bounded in time and size,
//! conditional requests, and decoding to UTF-8.
//!
//! `file://` URLs read local files, so examples and tests can run offline.

pub mod charset;
pub mod host;
mod post;

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use reqwest::header::{self, HeaderMap, HeaderValue};
use url::Url;

use crate::config::Settings;
use crate::validators::Validators;

/// Why a page could not be fetched.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("GET {url}: HTTP {status}{}", retry_after.map_or_else(String::new, |d| format!(" (retry after {}s)", d.as_secs())))]
    Status {
        url: Url,
        status: u16,
        retry_after: Option<Duration>,
    },
    #[error("GET {url}: timed out after {after:?}")]
    Timeout { url: Url, after: Duration },
    #[error("GET {url}: {message}")]
    Network { url: Url, message: String },
    #[error("GET {url}: the page is larger than the {limit}-byte limit (max_body)")]
    TooLarge { url: Url, limit: u64 },
    #[error("reading {path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
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

/// The shared HTTP client with its limits.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    hosts: host::HostGate,
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
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT,
            HeaderValue::from_static("text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"),
        );
        let client = reqwest::Client::builder()
            .user_agent(settings.user_agent.clone())
            .default_headers(headers)
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.timeout)
            .redirect(reqwest::redirect::Policy::limited(10))
            .build()
            .map_err(|e| FetchError::Client(e.to_string()))?;
        Ok(Fetcher {
            client,
            hosts: host::HostGate::new(settings.per_host, settings.host_delay),
            max_body: settings.max_body,
            timeout: settings.timeout,
        })
    }

    /// Fetches `url`, sending `validators` as If-None-Match / If-Modified-Since.
    pub async fn fetch(
        &self,
        url: &Url,
        validators: Option<&Validators>,
    ) -> Result<Fetched, FetchError> {
        self.fetch_timed(url, validators).await.0
    }

    /// [`Fetcher::fetch`], also saying how long the request waited for its turn at the
    /// host (`per_host`, `host_delay`) before it went out — time that is not the
    /// server's.
    pub async fn fetch_timed(
        &self,
        url: &Url,
        validators: Option<&Validators>,
    ) -> (Result<Fetched, FetchError>, Duration) {
        if url.scheme() == "file" {
            return (self.read_file(url).await.map(Fetched::Page), Duration::ZERO);
        }
        let waiting = Instant::now();
        let _pass = self.hosts.enter(url.host_str().unwrap_or_default()).await;
        let waited = waiting.elapsed();
        (self.request(url, validators).await, waited)
    }

    /// One request, once it is this host's turn.
    async fn request(
        &self,
        url: &Url,
        validators: Option<&Validators>,
    ) -> Result<Fetched, FetchError> {
        let mut request = self.client.get(url.clone());
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
        if !status.is_success() {
            let retry_after = response
                .headers()
                .get(header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| retry_after(v, Utc::now()));
            return Err(FetchError::Status {
                url: url.clone(),
                status: status.as_u16(),
                retry_after,
            });
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
        if response
            .content_length()
            .is_some_and(|len| len > self.max_body)
        {
            return Err(FetchError::TooLarge {
                url: url.clone(),
                limit: self.max_body,
            });
        }
        let mut body = Vec::new();
        let mut stream = response.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| self.network_error(url, e))?;
            if (body.len() + chunk.len()) as u64 > self.max_body {
                return Err(FetchError::TooLarge {
                    url: url.clone(),
                    limit: self.max_body,
                });
            }
            body.extend_from_slice(&chunk);
        }
        let decoded = charset::decode_page(&body, content_type.as_deref());
        Ok(Fetched::Page(Page {
            url: final_url,
            bytes: body.len(),
            html: decoded.text,
            status: status.as_u16(),
            validators,
            fetched_at: Utc::now(),
            charset: decoded.encoding.name(),
        }))
    }

    async fn read_file(&self, url: &Url) -> Result<Page, FetchError> {
        let path = url.to_file_path().map_err(|()| FetchError::File {
            path: url.to_string(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a local file path"),
        })?;
        let body = tokio::fs::read(&path)
            .await
            .map_err(|source| FetchError::File {
                path: path.display().to_string(),
                source,
            })?;
        if body.len() as u64 > self.max_body {
            return Err(FetchError::TooLarge {
                url: url.clone(),
                limit: self.max_body,
            });
        }
        let decoded = charset::decode_page(&body, None);
        Ok(Page {
            url: url.clone(),
            bytes: body.len(),
            html: decoded.text,
            status: 200,
            validators: Validators::default(),
            fetched_at: Utc::now(),
            charset: decoded.encoding.name(),
        })
    }

    fn network_error(&self, url: &Url, error: reqwest::Error) -> FetchError {
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
