//! One pass over the configured feeds (`run --once`): concurrent, bounded, and a
//! summary line per feed. One feed's failure never stops the others. After the pass
//! removed feeds' files go and the index page and the OPML list are brought up to
//! date, once.

use std::sync::Arc;

use futures_util::stream::{self, StreamExt};

use crate::config::Config;
use crate::publish;
use crate::refresh::{self, Context, Outcome, Report};

/// Refreshes the named feeds (all when `only` is empty), at most `concurrency` at once.
pub async fn run_pass(ctx: &Context, only: &[String]) -> Vec<Report> {
    let config: Arc<Config> = ctx.config.clone();
    let feeds: Vec<_> = config
        .feeds
        .iter()
        .filter(|f| only.is_empty() || only.iter().any(|name| name == &f.slug))
        .collect();
    let reports = stream::iter(feeds)
        .map(|feed| refresh::refresh(ctx, feed))
        .buffer_unordered(config.settings.concurrency)
        .collect()
        .await;
    update_site(ctx).await;
    reports
}

/// Brings `output_dir` in step with the configuration and every feed's state: removed
/// feeds' files go, `index.html` and `feeds.opml` are rewritten if they changed (off
/// the async threads: it reads the store and touches files).
pub async fn update_site(ctx: &Context) {
    let (config, store) = (ctx.config.clone(), ctx.store.clone());
    if let Err(e) =
        tokio::task::spawn_blocking(move || publish::site::update(&config, &store)).await
    {
        tracing::error!("updating {}: {e}", ctx.config.settings.output_dir.display());
    }
}

/// The summary line of a report.
pub fn summary_line(report: &Report) -> String {
    let secs = report.working.as_secs_f64();
    let queued = report.queued.as_secs_f64();
    let secs = if queued >= 0.01 {
        format!("{secs:.2}s, after {queued:.2}s in the queue")
    } else {
        format!("{secs:.2}s")
    };
    match &report.result {
        Ok(Outcome::Updated {
            on_page,
            new,
            total,
            written,
            skipped_cards,
            ..
        }) => {
            let files = if written.is_empty() {
                "unchanged".to_owned()
            } else {
                format!("{} file(s) written", written.len())
            };
            let skipped = if *skipped_cards > 0 {
                format!(", {skipped_cards} card(s) skipped")
            } else {
                String::new()
            };
            format!(
                "{:<24} ok      {on_page} on page, {new} new, {total} stored{skipped}; {files} ({secs})",
                report.slug
            )
        }
        Ok(Outcome::NotModified) => format!(
            "{:<24} ok      not modified (304), nothing to do ({secs})",
            report.slug
        ),
        Err(error) => format!(
            "{:<24} FAILED  {error}; {}{} ({secs})",
            report.slug,
            if report.has_files {
                "previous files kept"
            } else {
                "no files written yet"
            },
            if report.failures > 1 {
                format!(", {} failures in a row", report.failures)
            } else {
                String::new()
            }
        ),
    }
}

/// What is said, once per failure streak, when a feed turns stale.
pub fn stale_line(report: &Report) -> String {
    format!(
        "feed `{}` is now STALE: no success for longer than its stale_after ({} failures in a row); readers get no new items until it recovers (said once; `scrapefeed status` keeps showing it)",
        report.slug, report.failures
    )
}
