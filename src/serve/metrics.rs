//! `/metrics`: what the store knows, in the OpenMetrics text format Prometheus reads.
//!
//! Per feed (label `feed`): the last success as a Unix time, consecutive failures,
//! items stored, the last request's duration and HTTP status, and its health as a
//! state set (`scrapefeed_feed_health{state="stale"} 1`, for alerts). For the store as
//! a whole: refreshes, failed refreshes, bytes fetched and pages parsed — counters
//! over the store's lifetime, so they never fall across restarts. A fresh registry is
//! filled from one [`snapshot`](super::snapshot) per scrape; nothing is kept in
//! memory, so `serve` in its own process reports what the daemon did.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use std::sync::atomic::AtomicU64;

use super::App;
use super::snapshot::{self, Snapshot};

const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

type Labels = Vec<(&'static str, String)>;
type Seconds = Gauge<f64, AtomicU64>;

pub async fn metrics(State(app): State<App>) -> Response {
    let config = app.config();
    let mut response = match snapshot::read(config, chrono::Utc::now()).await {
        Ok(snapshot) => match render(&snapshot) {
            Ok(text) => (
                StatusCode::OK,
                [(header::CONTENT_TYPE, HeaderValue::from_static(OPENMETRICS))],
                text,
            )
                .into_response(),
            Err(e) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("encoding metrics: {e}\n"),
            )
                .into_response(),
        },
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("cannot read the store: {e}\n"),
        )
            .into_response(),
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The metrics text for one snapshot.
pub fn render(snapshot: &Snapshot) -> Result<String, std::fmt::Error> {
    let mut registry = Registry::with_prefix("scrapefeed");
    let last_success = Family::<Labels, Seconds>::default();
    let failures = Family::<Labels, Gauge>::default();
    let items = Family::<Labels, Gauge>::default();
    let fetch_seconds = Family::<Labels, Seconds>::default();
    let http_status = Family::<Labels, Gauge>::default();
    let health = Family::<Labels, Gauge>::default();
    for feed in &snapshot.feeds {
        let labels = vec![("feed", feed.slug.clone())];
        if let Some(at) = feed.record.last_success {
            last_success
                .get_or_create(&labels)
                .set(at.timestamp() as f64);
        }
        failures
            .get_or_create(&labels)
            .set(i64::from(feed.record.failures));
        items
            .get_or_create(&labels)
            .set(i64::try_from(feed.record.items).unwrap_or(i64::MAX));
        if let Some(duration) = feed.last_fetch.duration {
            fetch_seconds
                .get_or_create(&labels)
                .set(duration.as_secs_f64());
        }
        if let Some(status) = feed.last_fetch.status {
            http_status.get_or_create(&labels).set(i64::from(status));
        }
        for state in ["new", "ok", "failing", "stale"] {
            let labels = vec![("feed", feed.slug.clone()), ("state", state.to_owned())];
            health
                .get_or_create(&labels)
                .set(i64::from(feed.health.label() == state));
        }
    }
    registry.register(
        "feed_last_success_timestamp_seconds",
        "When the feed last refreshed successfully (Unix time)",
        last_success,
    );
    registry.register(
        "feed_consecutive_failures",
        "Failed refreshes in a row",
        failures,
    );
    registry.register("feed_items", "Items stored for the feed", items);
    registry.register(
        "feed_fetch_duration_seconds",
        "How long the feed's last page request took",
        fetch_seconds,
    );
    registry.register(
        "feed_http_status",
        "The HTTP status of the feed's last page request (304: not modified)",
        http_status,
    );
    registry.register(
        "feed_health",
        "The feed's health: 1 for its current state (new, ok, failing, stale)",
        health,
    );
    let feeds = Gauge::<i64>::default();
    feeds.set(i64::try_from(snapshot.feeds.len()).unwrap_or(i64::MAX));
    registry.register("feeds", "Feeds configured", feeds);
    let totals = &snapshot.totals;
    for (name, help, value) in [
        ("refreshes", "Refreshes run", totals.refreshes),
        ("refresh_failures", "Refreshes that failed", totals.failures),
        (
            "fetched_bytes",
            "Bytes of pages received",
            totals.bytes_fetched,
        ),
        ("pages_parsed", "Pages parsed", totals.pages_parsed),
    ] {
        let counter = Counter::<u64>::default();
        counter.inc_by(value);
        registry.register(name, help, counter);
    }
    let mut text = String::new();
    encode(&mut text, &registry)?;
    Ok(text)
}
