//! `/healthz`: one answer for a load balancer, a monitor or `curl`.
//!
//! 200 while readers are being served: every feed's last refresh succeeded, or it
//! failed but is within `stale_after` (its last good files are still there). 503 once
//! a feed has gone `stale_after` without a success, or the store cannot be read. The
//! JSON body always names every feed that is not fine, with its health and its last
//! error (`crate::health` decides, as for `status` and the index page).

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::App;
use super::snapshot;
use crate::health::Health;

#[derive(Serialize)]
struct Body<'a> {
    /// `ok`, `stale` (some feed past `stale_after`) or `error` (no store to read).
    status: &'a str,
    /// Feeds configured.
    feeds: usize,
    /// The feeds that are failing or stale.
    problems: Vec<Problem<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

#[derive(Serialize)]
struct Problem<'a> {
    feed: &'a str,
    #[serde(flatten)]
    health: &'a Health,
}

pub async fn healthz(State(app): State<App>) -> Response {
    let config = app.config();
    let (code, body) = match snapshot::read(config.clone(), chrono::Utc::now()).await {
        Ok(snapshot) => {
            let problems: Vec<Problem> = snapshot
                .feeds
                .iter()
                .filter(|f| !f.health.is_ok())
                .map(|f| Problem {
                    feed: &f.slug,
                    health: &f.health,
                })
                .collect();
            let serving = snapshot.feeds.iter().all(|f| f.health.is_serving());
            let body = Body {
                status: if serving { "ok" } else { "stale" },
                feeds: snapshot.feeds.len(),
                problems,
                error: None,
            };
            let code = if serving {
                StatusCode::OK
            } else {
                StatusCode::SERVICE_UNAVAILABLE
            };
            (code, serde_json::to_value(&body))
        }
        Err(error) => {
            let body = Body {
                status: "error",
                feeds: config.feeds.len(),
                problems: Vec::new(),
                error: Some(error.to_string()),
            };
            (StatusCode::SERVICE_UNAVAILABLE, serde_json::to_value(&body))
        }
    };
    let mut text = body
        .and_then(|b| serde_json::to_string_pretty(&b))
        .unwrap_or_default();
    text.push('\n');
    (
        code,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        text,
    )
        .into_response()
}
