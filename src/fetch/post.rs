//! Form POSTs through the shared client — a WebSub hub being told a feed changed —
//! with the same User-Agent, per-host politeness, and a time limit of their own.

use std::time::Duration;

use reqwest::header;
use url::Url;

use super::{Fetcher, ProxyChoice, RequestOptions};

impl Fetcher {
    /// POSTs `pairs` as `application/x-www-form-urlencoded` to `url` and returns the
    /// answer's status; the whole exchange (waiting for the host's turn included) is
    /// cut off after `limit`. The error says what went wrong in plain words.
    pub async fn post_form(
        &self,
        url: &Url,
        pairs: &[(&str, &str)],
        limit: Duration,
    ) -> Result<u16, String> {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        // The hub is the user's own choice: its host is trusted like a feed's page.
        let guard = self.clients.guard(url, &RequestOptions::default());
        let client = self
            .clients
            .client(&guard, &ProxyChoice::Environment)
            .map_err(|e| e.to_string())?;
        let exchange = async {
            let _pass = self
                .hosts
                .enter(url.host_str().unwrap_or_default(), self.host_delay)
                .await;
            client
                .post(url.clone())
                .header(header::USER_AGENT, &self.user_agent)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .map(|response| response.status().as_u16())
        };
        match tokio::time::timeout(limit, exchange).await {
            Err(_) => Err(format!("no answer within {limit:?}")),
            Ok(Err(e)) if e.is_timeout() => Err(format!("no answer within {:?}", self.timeout)),
            Ok(Err(e)) => Err(innermost(&e)),
            Ok(Ok(status)) => Ok(status),
        }
    }
}

/// The innermost cause of an error: what really happened (refused, DNS, TLS …).
fn innermost(error: &(dyn std::error::Error + 'static)) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message = cause.to_string();
        source = cause.source();
    }
    message
}
