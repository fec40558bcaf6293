//! The commands behind the CLI, as library functions returning an exit status.
//!
//! Exit statuses: 0 success; 1 a feed (or the command's work) failed; 2 the
//! configuration is invalid; 3 the store is locked by another running scrapefeed.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;
use url::Url;

use crate::config::{self, Config, Feed};
use crate::extract::{self, PageInfo};
use crate::fetch::{Fetched, Fetcher};
use crate::pass;
use crate::preview;
use crate::refresh::Context;
use crate::store::{Mode, Store, StoreError, StoreLock};

pub const EXIT_OK: u8 = 0;
pub const EXIT_FAILED: u8 = 1;
pub const EXIT_CONFIG: u8 = 2;
pub const EXIT_LOCKED: u8 = 3;

/// `check`: every configuration problem, or OK and what will run.
pub fn check(path: &Path) -> u8 {
    match config::load(path) {
        Ok(config) => {
            let detected = config.feeds.iter().filter(|f| f.items.is_none()).count();
            for warning in &config.warnings {
                eprintln!("{warning}");
            }
            let warnings = match config.warnings.len() {
                0 => String::new(),
                n => format!(", {n} warning(s)"),
            };
            println!(
                "{}: OK, {} feed(s){warnings}",
                path.display(),
                config.feeds.len()
            );
            println!(
                "store: {}; feeds written to {}",
                config
                    .settings
                    .state_dir
                    .join(crate::store::STORE_FILE)
                    .display(),
                config.settings.output_dir.display()
            );
            if detected > 0 {
                println!(
                    "{detected} feed(s) without `items` find their cards automatically (see them with `scrapefeed preview FEED`)"
                );
            }
            if config.settings.base_url.is_none() {
                println!(
                    "note: settings.base_url is not set; feeds will have no self link (feed validators warn about that)"
                );
            }
            EXIT_OK
        }
        Err(errors) => {
            eprintln!("{errors}");
            eprintln!("{} error(s) in {}", errors.0.len(), path.display());
            EXIT_CONFIG
        }
    }
}

/// Loads the configuration (logging its warnings) or prints its errors.
pub fn load(path: &Path) -> Result<Config, u8> {
    let config = config::load(path).map_err(|errors| {
        eprintln!("{errors}");
        EXIT_CONFIG
    })?;
    config.warnings.iter().for_each(|w| tracing::warn!("{w}"));
    Ok(config)
}

/// `run --once [FEED…]`.
pub async fn run_once(config: Config, only: &[String]) -> anyhow::Result<u8> {
    if let Some(unknown) = only.iter().find(|name| config.feed(name).is_none()) {
        let names: Vec<&str> = config.feeds.iter().map(|f| f.slug.as_str()).collect();
        let hint = config::did_you_mean(unknown, &names)
            .map_or_else(String::new, |h| format!(" — did you mean `{h}`?"));
        eprintln!(
            "no feed named `{unknown}` in {}{hint}",
            config.path.display()
        );
        return Ok(EXIT_CONFIG);
    }
    let _lock = match StoreLock::acquire(&config.settings.state_dir, Mode::Once) {
        Ok(lock) => lock,
        Err(e @ StoreError::Locked(_)) => {
            eprintln!("{e}");
            return Ok(EXIT_LOCKED);
        }
        Err(e) => return Err(e.into()),
    };
    let store = Store::open(&config.settings.state_dir)?;
    crate::publish::file::remove_stale_temp_files(&config.settings.output_dir)
        .with_context(|| format!("cleaning {}", config.settings.output_dir.display()))?;
    let ctx = Context::new(Arc::new(config), store)?;
    let reports = pass::run_pass(&ctx, only).await;
    let mut failed = 0;
    for report in &reports {
        println!("{}", pass::summary_line(report));
        failed += usize::from(report.result.is_err());
    }
    Ok(if failed == 0 { EXIT_OK } else { EXIT_FAILED })
}

/// `preview FEED|URL|FILE`.
pub async fn preview(config_path: &Path, target: &str, limit: usize) -> anyhow::Result<u8> {
    let config = if config_path.exists() {
        Some(config::load(config_path))
    } else {
        None
    };
    let feed = match config
        .as_ref()
        .map(|c| c.as_ref().map(|c| c.feed(target).cloned()))
    {
        Some(Ok(Some(feed))) => feed,
        _ => Feed::adhoc(target_url(target)?),
    };
    let settings = match &config {
        Some(Ok(config)) => config.settings.clone(),
        _ => config::Settings::default(),
    };
    // Show what the daemon would use: the detection it remembers, if it ran before.
    // (The store is only read, and only if it exists: preview writes nothing.)
    let remembered = match (&config, &feed.items) {
        (Some(Ok(_)), None) => remembered_detection(&settings.state_dir, &feed.slug),
        _ => None,
    };
    let fetcher = Fetcher::new(&settings)?;
    let page = match fetcher.fetch(&feed.url, None).await? {
        Fetched::Page(page) => page,
        Fetched::NotModified => anyhow::bail!("unexpected 304 for an unconditional request"),
    };
    let extraction = extract::extract(
        &feed,
        &page.html,
        &PageInfo {
            url: &page.url,
            fetched_at: page.fetched_at,
        },
        remembered.as_ref(),
    )?;
    print!("{}", preview::table(&extraction, limit));
    Ok(EXIT_OK)
}

/// The detection the store remembers for a feed, read without changing anything.
fn remembered_detection(state_dir: &Path, slug: &str) -> Option<crate::extract::auto::Choice> {
    let read = match Store::open_read_only(state_dir) {
        Ok(read) => read,
        Err(StoreError::Missing { .. }) => return None,
        Err(e) => {
            eprintln!("note: not using the remembered detection: {e}");
            return None;
        }
    };
    let record = read.store.feed(slug).ok()?;
    record
        .detected
        .as_deref()
        .and_then(crate::extract::auto::Choice::from_json)
}

/// `suggest URL|FILE`: the detected cards as a feeds.yaml entry, with alternatives.
pub async fn suggest(
    config_path: &Path,
    target: &str,
    saved_from: Option<&str>,
) -> anyhow::Result<u8> {
    let settings = match config_path.exists().then(|| config::load(config_path)) {
        Some(Ok(config)) => config.settings,
        _ => config::Settings::default(),
    };
    let url = target_url(target)?;
    let page = match Fetcher::new(&settings)?.fetch(&url, None).await? {
        Fetched::Page(page) => page,
        Fetched::NotModified => anyhow::bail!("unexpected 304 for an unconditional request"),
    };
    let saved_from = saved_from.map(Url::parse).transpose().context("--url")?;
    let report = tokio::task::spawn_blocking(move || {
        let doc = extract::parse_document(&page.html);
        // A saved page's links belong to the site it came from, not to the file.
        let page_url = match saved_from {
            Some(url) => url,
            None if page.url.scheme() == "file" => {
                crate::suggest::canonical_url(&doc).unwrap_or(page.url)
            }
            None => page.url,
        };
        crate::suggest::report(&doc, &page_url, page.fetched_at)
    })
    .await?;
    print!("{report}");
    Ok(EXIT_OK)
}

/// A command-line target as a URL: http(s) URLs as they are, anything else a local file.
pub fn target_url(target: &str) -> anyhow::Result<Url> {
    if let Ok(url) = Url::parse(target)
        && matches!(url.scheme(), "http" | "https" | "file")
    {
        return Ok(url);
    }
    let path = std::fs::canonicalize(target).with_context(|| {
        format!("`{target}` is not a feed in the configuration, a URL, or a readable file")
    })?;
    Url::from_file_path(&path)
        .map_err(|()| anyhow::anyhow!("cannot make a file URL of {}", path.display()))
}

/// `status [--json]`: each configured feed's health from the store (read-only).
pub fn status(config_path: &Path, json: bool) -> anyhow::Result<u8> {
    let config = match load(config_path) {
        Ok(config) => config,
        Err(code) => return Ok(code),
    };
    let read = match Store::open_read_only(&config.settings.state_dir) {
        Ok(read) => read,
        Err(e @ StoreError::Missing { .. }) => {
            eprintln!("{e}");
            return Ok(EXIT_FAILED);
        }
        Err(e) => return Err(e.into()),
    };
    let status = crate::status::collect(
        &config,
        &read.store,
        read.runner.as_ref(),
        chrono::Utc::now(),
    )?;
    if json {
        println!("{}", serde_json::to_string_pretty(&status)?);
    } else {
        print!("{}", crate::status::table(&status));
    }
    Ok(if status.feeds.iter().all(|r| r.healthy) {
        EXIT_OK
    } else {
        EXIT_FAILED
    })
}

/// `run`: the daemon, until SIGTERM/SIGINT.
pub async fn run_daemon(path: &Path, config: Config) -> anyhow::Result<u8> {
    let control = crate::daemon::signals::install().context("installing signal handlers")?;
    let clock = Arc::new(crate::daemon::clock::SystemClock);
    match crate::daemon::run(path, config, control, clock).await {
        Ok(()) => Ok(EXIT_OK),
        Err(crate::daemon::DaemonError::Store(e @ crate::store::StoreError::Locked(_))) => {
            eprintln!("{e}");
            Ok(EXIT_LOCKED)
        }
        Err(e) => Err(e.into()),
    }
}
