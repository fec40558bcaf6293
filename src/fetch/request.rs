//! How one feed's requests are made: who scrapefeed says it is, the feed's own headers
//! (a `Cookie` for a site that needs one), its proxy, how far it may reach, whether
//! robots.txt applies, and how hard it retries.
//!
//! The options are checked when feeds.yaml loads (every header name and value), so a
//! request can always be built from them. Header values are marked sensitive, so they
//! never appear in debug output or logs: cookies are secrets.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{self, HeaderMap, HeaderValue};
use url::Url;

use super::FetchError;
use super::guard::{Guard, GuardedResolver, Pins};
use super::retry::RetryPolicy;

/// Which proxy a feed's requests go through.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum ProxyChoice {
    /// `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY` and `NO_PROXY`, as curl reads them.
    #[default]
    Environment,
    /// No proxy, whatever the environment says (`proxy: direct`).
    Direct,
    /// This proxy (`http://`, `https://`, with user:password if needed).
    Url(Url),
}

/// A feed's request options.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestOptions {
    /// Replaces `settings.user_agent` for this feed.
    pub user_agent: Option<String>,
    pub accept_language: Option<String>,
    /// Extra headers, sent with every request for the feed's page (not robots.txt).
    pub headers: HeaderMap,
    pub proxy: ProxyChoice,
    /// Switches the SSRF guard off for this feed.
    pub allow_private: bool,
    /// Whether robots.txt is honoured (the default).
    pub robots_txt: bool,
    pub retry: RetryPolicy,
}

impl Default for RequestOptions {
    fn default() -> Self {
        RequestOptions {
            user_agent: None,
            accept_language: None,
            headers: HeaderMap::new(),
            proxy: ProxyChoice::Environment,
            allow_private: false,
            robots_txt: true,
            retry: RetryPolicy::default(),
        }
    }
}

/// Checks one `headers` entry, marking its value sensitive.
pub fn header(name: &str, value: &str) -> Result<(header::HeaderName, HeaderValue), String> {
    let name = header::HeaderName::from_bytes(name.trim().as_bytes()).map_err(|_| {
        format!("`{name}` is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)")
    })?;
    if matches!(
        name,
        header::HOST | header::CONTENT_LENGTH | header::TRANSFER_ENCODING | header::CONNECTION
    ) {
        return Err(format!(
            "the `{name}` header is set by scrapefeed itself and cannot be configured"
        ));
    }
    let mut value = HeaderValue::from_str(value).map_err(|_| {
        format!("the value of header `{name}` has a control character or line break, which HTTP does not allow")
    })?;
    value.set_sensitive(true);
    Ok((name, value))
}

/// Checks a User-Agent (or any single header value).
pub fn header_value(value: &str) -> Result<HeaderValue, String> {
    HeaderValue::from_str(value)
        .map_err(|_| "has a control character or line break, which HTTP does not allow".to_owned())
}

/// What tells two clients apart: where they may connect and through what.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ClientKey {
    guard: Guard,
    proxy: ProxyChoice,
}

/// The HTTP clients of a process, one per (guard, proxy): feeds of one site share a
/// client and its connections; a feed with its own proxy or reach gets its own.
#[derive(Debug, Clone)]
pub struct Clients {
    connect_timeout: Duration,
    timeout: Duration,
    pins: Pins,
    built: Arc<std::sync::Mutex<HashMap<ClientKey, reqwest::Client>>>,
}

impl Clients {
    pub fn new(
        connect_timeout: Duration,
        timeout: Duration,
        pins: HashMap<String, Vec<IpAddr>>,
    ) -> Clients {
        Clients {
            connect_timeout,
            timeout,
            pins: Arc::new(pins),
            built: Arc::default(),
        }
    }

    /// The guard for a feed whose configured URL is `own`.
    pub fn guard(&self, own: &Url, options: &RequestOptions) -> Guard {
        let proxies = match &options.proxy {
            ProxyChoice::Url(proxy) => vec![proxy.clone()],
            ProxyChoice::Direct => Vec::new(),
            ProxyChoice::Environment => environment_proxies(),
        };
        let proxies: Vec<&Url> = proxies.iter().collect();
        Guard::for_feed(own, options.allow_private, &proxies)
    }

    /// The client for requests under `guard` through `proxy`.
    pub fn client(
        &self,
        guard: &Guard,
        proxy: &ProxyChoice,
    ) -> Result<reqwest::Client, FetchError> {
        let key = ClientKey {
            guard: guard.clone(),
            proxy: proxy.clone(),
        };
        let mut built = self.built.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(client) = built.get(&key) {
            return Ok(client.clone());
        }
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT,
            HeaderValue::from_static("text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"),
        );
        let mut builder = reqwest::Client::builder()
            .default_headers(headers)
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .redirect(guard.redirect_policy())
            .dns_resolver(Arc::new(GuardedResolver {
                guard: guard.clone(),
                pins: self.pins.clone(),
            }));
        builder = match proxy {
            ProxyChoice::Environment => builder,
            ProxyChoice::Direct => builder.no_proxy(),
            ProxyChoice::Url(url) => builder.proxy(
                reqwest::Proxy::all(url.as_str()).map_err(|e| FetchError::Client(e.to_string()))?,
            ),
        };
        let client = builder
            .build()
            .map_err(|e| FetchError::Client(e.to_string()))?;
        built.insert(key, client.clone());
        Ok(client)
    }
}

/// The proxies named in the environment, which the guard lets the client reach.
fn environment_proxies() -> Vec<Url> {
    [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
    ]
    .iter()
    .filter_map(|name| std::env::var(name).ok())
    .filter_map(|value| {
        Url::parse(&value)
            .or_else(|_| Url::parse(&format!("http://{value}")))
            .ok()
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_checked_and_values_kept_secret() {
        let (name, value) = header("Cookie", "session=s3cret").unwrap();
        assert_eq!(name, header::COOKIE);
        assert!(value.is_sensitive());
        assert!(
            !format!("{value:?}").contains("s3cret"),
            "never in debug output"
        );
        assert!(
            header("Bad Name", "x")
                .unwrap_err()
                .contains("not a valid header name")
        );
        assert!(
            header("X-Test", "a\r\nInjected: yes")
                .unwrap_err()
                .contains("line break")
        );
        assert!(
            header("Host", "example.org")
                .unwrap_err()
                .contains("set by scrapefeed")
        );
    }
}
