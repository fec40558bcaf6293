//! One feed, end to end: fetch → extract → store → publish → report.
//!
//! A refresh either succeeds completely or changes nothing visible: on any failure the
//! feed's files stay as they were and the failure is recorded for `status`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

use crate::config::{Config, Feed, Format};
use crate::extract::auto::Choice;
use crate::extract::budget::Budget;
use crate::extract::{self, ExtractError, Extraction, PageInfo};
use crate::fetch::blocked::{self, Blocked};
use crate::fetch::{FetchError, Fetched, Fetcher, Page};
use crate::health::Health;
use crate::publish::{self, Channel, PublishError, error_item, websub};
use crate::store::{Fetch, Masthead, Merge, Store, StoreError};

/// How many refreshes in a row must see far fewer cards than usual before the smaller
/// page is accepted (on the next one).
pub const SHORT_RUNS: u32 = 3;

/// Why a refresh failed; it names the stage.
#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error(transparent)]
    Extract(#[from] ExtractError),
    /// No cards, and the page does not look like the section page at all.
    #[error("feed `{feed}`: no cards on {url}: {blocked}")]
    Blocked {
        feed: String,
        url: String,
        blocked: Blocked,
    },
    #[error(
        "feed `{feed}`: only {cards} cards on the page where there were {usual} last time; keeping the last good feed (such pages in a row: {runs}; after {SHORT_RUNS} the smaller page is accepted)"
    )]
    FarFewer {
        feed: String,
        cards: usize,
        usual: usize,
        /// Refreshes in a row that saw such a page, this one included.
        runs: u32,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Publish(#[from] PublishError),
    #[error("feed `{feed}`: internal error: {message}")]
    Internal { feed: String, message: String },
}

/// What a successful refresh did.
#[derive(Debug, Clone)]
pub enum Outcome {
    Updated {
        /// Items found on the page now.
        on_page: usize,
        new: usize,
        updated: usize,
        /// Items in the feed's history.
        total: usize,
        /// The formats whose files were rewritten (none when nothing changed).
        written: Vec<Format>,
        skipped_cards: usize,
        unparsed_dates: usize,
        status: u16,
    },
    /// The server answered 304: nothing parsed, nothing written.
    NotModified,
}

/// A refresh's result with its timing, for the summary line.
#[derive(Debug)]
pub struct Report {
    pub slug: String,
    pub result: Result<Outcome, RefreshError>,
    /// Time spent waiting for a turn before the request went out: for a `concurrency`
    /// slot (in the daemon) and at the host (`per_host`, `host_delay`).
    pub queued: Duration,
    /// Time from the request going out to the end: the server, parsing, the store,
    /// the files.
    pub working: Duration,
    /// Whether the feed has files from an earlier refresh (which a failure leaves as
    /// they are).
    pub has_files: bool,
    /// Failures in a row, this refresh included (0 after a success).
    pub failures: u32,
    /// This failure made the feed stale: told once per failure streak.
    pub newly_stale: bool,
    /// This success ended a streak of that many failures.
    pub recovered_after: Option<u32>,
}

/// What every refresh shares: the config, one HTTP client, the store, a bound on
/// CPU-heavy parsing (one page per core) while fetches overlap, and the signal that
/// abandons parsing in flight (the daemon's grace period is over).
#[derive(Clone)]
pub struct Context {
    pub config: Arc<Config>,
    pub fetcher: Fetcher,
    pub store: Store,
    pub parsing: Arc<Semaphore>,
    pub abandon: CancellationToken,
}

impl Context {
    pub fn new(config: Arc<Config>, store: Store) -> Result<Context, FetchError> {
        let fetcher = Fetcher::new(&config.settings)?.with_store(store.clone());
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Ok(Context {
            config,
            fetcher,
            store,
            parsing: Arc::new(Semaphore::new(cores)),
            abandon: CancellationToken::new(),
        })
    }

    /// The same context, its parsing abandoned when `token` is cancelled.
    pub fn abandoned_by(self, token: &CancellationToken) -> Context {
        Context {
            abandon: token.clone(),
            ..self
        }
    }
}

/// Runs one refresh and records its outcome in the store.
pub async fn refresh(ctx: &Context, feed: &Feed) -> Report {
    let started = Instant::now();
    let store = ctx.store.clone();
    let slug = feed.slug.clone();
    let before = blocking(&feed.slug, move || Ok(store.feed(&slug)?.failures))
        .await
        .unwrap_or(0);
    let mut queued = Duration::ZERO;
    let mut fetch = Fetch::default();
    let result = refresh_inner(ctx, feed, &mut queued, &mut fetch).await;
    fetch.failed = result.is_err();
    // Work abandoned at shutdown is not the feed's failure: nothing is recorded.
    let abandoned = matches!(
        result,
        Err(RefreshError::Extract(ExtractError::Abandoned { .. }))
    );
    let failure = result
        .as_ref()
        .err()
        .map(|e| (e.to_string(), matches!(e, RefreshError::FarFewer { .. })));
    let recorded = if abandoned {
        Ok(Recorded {
            failures: before,
            ..Recorded::default()
        })
    } else {
        let (store, config, feed_owned) = (ctx.store.clone(), ctx.config.clone(), feed.clone());
        blocking(&feed.slug, move || {
            record(&store, &config, &feed_owned, &fetch, failure, before)
        })
        .await
    };
    let recorded = recorded.unwrap_or_else(|e| {
        tracing::error!(feed = %feed.slug, "cannot record the refresh: {e}");
        Recorded::default()
    });
    if !recorded.told.is_empty() {
        tracing::info!(feed = %feed.slug, "its files show an error item until its page works again (error_items)");
        websub::announce(&ctx.config, &ctx.fetcher, feed, &recorded.told).await;
    }
    Report {
        slug: feed.slug.clone(),
        has_files: feed
            .formats
            .iter()
            .any(|&f| publish::file::is_output(&ctx.config.output_path(feed, f))),
        result,
        working: started.elapsed().saturating_sub(queued),
        queued,
        failures: recorded.failures,
        newly_stale: recorded.newly_stale,
        recovered_after: recorded.recovered_after,
    }
}

/// What recording a refresh found out about the feed's streak.
#[derive(Debug, Default)]
struct Recorded {
    failures: u32,
    newly_stale: bool,
    recovered_after: Option<u32>,
    /// The formats written with the feed's error item (`error_items`).
    told: Vec<Format>,
}

/// Records a refresh: what its request looked like (for /metrics), and the feed's
/// streak — counted, its turn to stale told once, and to its readers too with
/// `error_items`. `failure` is the error message and whether it was a short page;
/// `before` the failures in a row before this refresh.
fn record(
    store: &Store,
    config: &Config,
    feed: &Feed,
    fetch: &Fetch,
    failure: Option<(String, bool)>,
    before: u32,
) -> Result<Recorded, RefreshError> {
    store.record_fetch(&feed.slug, fetch)?;
    let Some((message, short)) = failure else {
        return Ok(Recorded {
            recovered_after: (before > 0).then_some(before),
            ..Recorded::default()
        });
    };
    let now = Utc::now();
    if short {
        store.record_short_page(&feed.slug, &message, now)?;
    } else {
        store.record_failure(&feed.slug, &message, now)?;
    }
    let record = store.feed(&feed.slug)?;
    let Health::Stale(streak) = Health::of(&record, feed.stale_after, now) else {
        return Ok(Recorded {
            failures: record.failures,
            ..Recorded::default()
        });
    };
    let newly_stale = store.report_stale(&feed.slug, now)?;
    let mut told = Vec::new();
    if feed.error_items {
        // Newly stale, the record was read before `report_stale` set the time: now.
        let error = error_item::entry(feed, &streak, record.stale_since.unwrap_or(now));
        let entries = store.entries(&feed.slug, feed.max_items)?;
        if let Some((published, digest)) =
            error_item::publish(config, feed, &record, error, entries)?
        {
            store.record_error_item(&feed.slug, &digest)?;
            told = published.written;
        }
    }
    Ok(Recorded {
        failures: record.failures,
        newly_stale,
        recovered_after: None,
        told,
    })
}

/// The refresh itself; `queued` receives the time its request waited for the host,
/// `fetch` what its request looked like.
async fn refresh_inner(
    ctx: &Context,
    feed: &Feed,
    queued: &mut Duration,
    fetch: &mut Fetch,
) -> Result<Outcome, RefreshError> {
    let store = ctx.store.clone();
    let (slug, fingerprint, url) = (
        feed.slug.clone(),
        feed.fingerprint.clone(),
        feed.url.to_string(),
    );
    let record = blocking(&feed.slug, move || {
        store.forget_config_state(&slug, &fingerprint, &url)?;
        Ok(store.feed(&slug)?)
    })
    .await?;
    // A 304 says "the page is what you saw last time"; it is only an answer when the
    // files show what the store made of that page. Without all output files, or after
    // a write that failed or was cut short (the store is ahead of the files), the
    // fetch is unconditional and the files are written again.
    let outputs_exist = feed
        .formats
        .iter()
        .all(|&f| publish::file::is_output(&ctx.config.output_path(feed, f)));
    let files_current = outputs_exist && record.published == record.digest;
    let validators = (files_current && !record.validators.is_empty()).then_some(&record.validators);
    tracing::debug!(
        feed = %feed.slug,
        conditional = validators.is_some(),
        "fetching {}",
        feed.url
    );
    let asked = Instant::now();
    let (fetched, waited) = ctx
        .fetcher
        .fetch_timed(&feed.url, &feed.request, validators)
        .await;
    *queued = waited;
    // The request's own time, without the wait for its turn at the host.
    fetch.duration = Some(asked.elapsed().saturating_sub(waited));
    fetch.status = match &fetched {
        Ok(Fetched::NotModified) => Some(304),
        Ok(Fetched::Page(page)) => Some(page.status),
        Err(error) => error.status(),
    };
    if let Ok(Fetched::Page(page)) = &fetched {
        fetch.bytes = page.bytes as u64;
    }
    let mut page = match fetched? {
        Fetched::NotModified => {
            let store = ctx.store.clone();
            let slug = feed.slug.clone();
            blocking(&feed.slug, move || {
                Ok(store.record_not_modified(&slug, Utc::now())?)
            })
            .await?;
            return Ok(Outcome::NotModified);
        }
        Fetched::Page(page) => page,
    };
    let remembered = record.detected.as_deref().and_then(Choice::from_json);
    // The HTML moves into extraction: a page is held once, never copied.
    let html = std::mem::take(&mut page.html);
    let extraction = extract_page(ctx, feed, html, &page, remembered).await;
    // A page without cards was parsed too; only an internal error stops before.
    fetch.parsed = !matches!(extraction, Err(RefreshError::Internal { .. }));
    let extraction = extraction?;
    tracing::debug!(
        feed = %feed.slug,
        status = page.status,
        bytes = page.bytes,
        cards = extraction.cards,
        items = extraction.items.len(),
        "page read; cards: {}",
        extraction.card_source
    );
    // A page with a quarter of its usual cards or fewer is refused as broken, until
    // it has looked like that on SHORT_RUNS refreshes in a row (other failures, such
    // as an outage, neither count nor break the run): then it is the page now.
    if let Some(usual) = record.cards
        && usual >= 8
        && extraction.cards * 4 < usual
        && record.short_runs < SHORT_RUNS
    {
        return Err(RefreshError::FarFewer {
            feed: feed.slug.clone(),
            cards: extraction.cards,
            usual,
            runs: record.short_runs + 1,
        });
    }
    let mut channel = channel(ctx, feed, &page, &extraction);
    // Everything the files show besides the entries; the version makes an upgrade
    // (which may render differently) count as a change.
    let formats: Vec<&str> = feed.formats.iter().map(|f| f.extension()).collect();
    let meta = [
        channel.title.as_str(),
        channel.description.as_str(),
        channel.page_url.as_str(),
        channel.base_url.as_ref().map_or("", |u| u.as_str()),
        channel.language.as_deref().unwrap_or(""),
        &formats.join(","),
        channel.timezone.name(),
        channel.hub.as_ref().map_or("", |u| u.as_str()),
        env!("CARGO_PKG_VERSION"),
    ]
    .join("\u{1f}");
    let store = ctx.store.clone();
    let (config, feed_owned) = (ctx.config.clone(), feed.clone());
    let (status, on_page, skipped, unparsed) = (
        page.status,
        extraction.items.len(),
        extraction.skipped,
        extraction.unparsed_dates.len(),
    );
    let detected = extraction.choice.as_ref().map(Choice::to_json);
    let published = record.published.clone();
    let validators = page.validators.clone();
    let outcome = blocking(&feed.slug, move || {
        let merged = store.merge(&Merge {
            slug: &feed_owned.slug,
            items: &extraction.items,
            now: page.fetched_at,
            keep: feed_owned.keep,
            max_items: feed_owned.max_items,
            max_history: feed_owned.max_history,
            fingerprint: &feed_owned.fingerprint,
            url: feed_owned.url.as_str(),
            cards: extraction.cards,
            meta: &meta,
            detected: detected.as_deref(),
        })?;
        channel.updated = merged.last_change;
        // Files that already show this content are not rendered again. The digest and
        // the page's validators are recorded only once the files show it, so a crash
        // or a failed write in between makes the next refresh write them.
        let written = if outputs_exist && published.as_deref() == Some(merged.digest.as_str()) {
            Vec::new()
        } else {
            publish::publish(&config, &feed_owned, &channel, &merged.entries)?.written
        };
        let masthead = Masthead {
            title: &channel.title,
            description: &channel.description,
            language: channel.language.as_deref(),
        };
        store.record_published(
            &feed_owned.slug,
            &merged.digest,
            &masthead,
            &validators,
            page.fetched_at,
        )?;
        Ok(Outcome::Updated {
            on_page,
            new: merged.new,
            updated: merged.updated,
            total: merged.total,
            written,
            skipped_cards: skipped,
            unparsed_dates: unparsed,
            status,
        })
    })
    .await?;
    if let Outcome::Updated { written, .. } = &outcome {
        websub::announce(&ctx.config, &ctx.fetcher, feed, written).await;
    }
    Ok(outcome)
}

/// Parses and extracts on the blocking pool, at most one page per core at a time.
pub async fn extract_page(
    ctx: &Context,
    feed: &Feed,
    html: String,
    page: &Page,
    remembered: Option<Choice>,
) -> Result<Extraction, RefreshError> {
    let _permit = ctx
        .parsing
        .acquire()
        .await
        .map_err(|e| RefreshError::Internal {
            feed: feed.slug.clone(),
            message: e.to_string(),
        })?;
    let (feed_owned, url, fetched_at) = (feed.clone(), page.url.clone(), page.fetched_at);
    let abandon = ctx.abandon.clone();
    let extraction = blocking(&feed.slug, move || {
        // The page's time starts on the parsing thread: waiting for it costs nothing.
        let budget = Budget::page().cancelled_by(&abandon);
        extract::extract(
            &feed_owned,
            &html,
            &PageInfo {
                url: &url,
                fetched_at,
            },
            remembered.as_ref(),
            &budget,
        )
        .map_err(|e| explain_no_cards(e, &feed_owned.slug, &url, &html))
    })
    .await?;
    if extraction.too_deep > 0 {
        tracing::debug!(
            feed = %feed.slug,
            "the page nests elements deeper than {}: {} of them left out (their text kept)",
            extract::parse::MAX_DEPTH,
            extraction.too_deep
        );
    }
    if !extraction.unparsed_dates.is_empty() && first_date_warning(&feed.slug) {
        tracing::warn!(
            feed = %feed.slug,
            "{} date(s) could not be parsed (first: {:?}); those items use the time they were first seen",
            extraction.unparsed_dates.len(),
            extraction.unparsed_dates[0]
        );
    }
    if extraction.skipped > 0 {
        tracing::info!(feed = %feed.slug, "{} card(s) skipped: no title or link", extraction.skipped);
    }
    Ok(extraction)
}

/// A page without cards that is a challenge, a login form or next to nothing fails as
/// such: the selector is not what broke. (A page too complex, or work abandoned at
/// shutdown, is reported as it is.)
pub fn explain_no_cards(
    error: ExtractError,
    slug: &str,
    url: &url::Url,
    html: &str,
) -> RefreshError {
    let no_cards = matches!(
        error,
        ExtractError::NoCards { .. }
            | ExtractError::NothingDetected { .. }
            | ExtractError::Unsure { .. }
            | ExtractError::NoItems { .. }
    );
    match blocked::classify(html).filter(|_| no_cards) {
        Some(blocked) => RefreshError::Blocked {
            feed: slug.to_owned(),
            url: url.to_string(),
            blocked,
        },
        None => error.into(),
    }
}

/// Unparseable dates are reported once per feed per process, not on every refresh.
fn first_date_warning(slug: &str) -> bool {
    static WARNED: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let mut warned = WARNED.lock().unwrap_or_else(|p| p.into_inner());
    if warned.iter().any(|s| s == slug) {
        return false;
    }
    warned.push(slug.to_owned());
    true
}

fn channel(ctx: &Context, feed: &Feed, page: &Page, extraction: &Extraction) -> Channel {
    Channel::of(
        &ctx.config,
        feed,
        extraction.page_title.clone(),
        &page.url,
        extraction.language.clone(),
        page.fetched_at,
    )
}

/// Runs blocking work (SQLite, parsing, file writes) off the async threads.
async fn blocking<T: Send + 'static>(
    slug: &str,
    work: impl FnOnce() -> Result<T, RefreshError> + Send + 'static,
) -> Result<T, RefreshError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| RefreshError::Internal {
            feed: slug.to_owned(),
            message: e.to_string(),
        })?
}
