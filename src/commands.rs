//! The commands behind the CLI, as library functions returning an exit status.
//!
//! Exit statuses: 0 success; 1 a feed (or the command's work) failed; 2 the
//! configuration is invalid; 3 the store is locked by another running scrapefeed; 4
//! (`run --once`) a feed turned stale in this pass, said once per failure streak.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;
use url::Url;

use crate::config::{self, Config, Feed};
use crate::extract::budget::Budget;
use crate::extract::{self, PageInfo, parse};
use crate::fetch::{Fetched, Fetcher};
use crate::pass;
use crate::preview;
use crate::refresh::Context;
use crate::serve::{Listen, Server};
use crate::store::{Mode, Store, StoreError, StoreLock};

pub const EXIT_OK: u8 = 0;
pub const EXIT_FAILED: u8 = 1;
pub const EXIT_CONFIG: u8 = 2;
pub const EXIT_LOCKED: u8 = 3;
/// `run --once`: a feed turned stale in this pass (said once per failure streak).
pub const EXIT_STALE: u8 = 4;

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
            let mut text = format!(
                "{}: OK, {} feed(s){warnings}\nstore: {}; feeds written to {}\n",
                path.display(),
                config.feeds.len(),
                config
                    .settings
                    .state_dir
                    .join(crate::store::STORE_FILE)
                    .display(),
                config.settings.output_dir.display()
            );
            if detected > 0 {
                text.push_str(&format!(
                    "{detected} feed(s) without `items` find their cards automatically (see them with `scrapefeed preview FEED`)\n"
                ));
            }
            if config.settings.base_url.is_none() {
                text.push_str(
                    "note: settings.base_url is not set; feeds will have no self link (feed validators warn about that)\n",
                );
            }
            match out(&text) {
                Ok(()) => EXIT_OK,
                Err(e) => {
                    eprintln!("error: {e:#}");
                    EXIT_FAILED
                }
            }
        }
        Err(errors) => {
            eprintln!("{errors}");
            eprintln!("{} error(s) in {}", errors.0.len(), path.display());
            EXIT_CONFIG
        }
    }
}

/// Writes a command's output to stdout. A reader that stops early (`status | head -1`)
/// ends the output quietly — no "Broken pipe", no panic — and the command exits with
/// the status it would have had; any other write error is an error.
fn out(text: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        result => result.context("writing to stdout"),
    }
}

/// Loads the configuration (logging its warnings) or prints its errors.
pub fn load(path: &Path) -> Result<Config, u8> {
    let config = config::load(path).map_err(|errors| {
        eprintln!("{errors}");
        EXIT_CONFIG
    })?;
    config
        .warnings
        .iter()
        .for_each(|w| tracing::warn!("{}", w.0));
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
    // The configuration's load peak goes back before the pass adds its own.
    crate::daemon::memory::release_freed_memory();
    let reports = pass::run_pass(&ctx, only).await;
    let mut failed = 0;
    let mut stale = 0;
    for report in &reports {
        out(&format!("{}\n", pass::summary_line(report)))?;
        failed += usize::from(report.result.is_err());
        if report.newly_stale {
            eprintln!("{}", pass::stale_line(report));
            stale += 1;
        }
    }
    Ok(match (stale, failed) {
        (1.., _) => EXIT_STALE,
        (0, 0) => EXIT_OK,
        _ => EXIT_FAILED,
    })
}

/// How `preview` was asked to show its items.
#[derive(Debug, Clone)]
pub struct PreviewArgs {
    /// A feed name, a URL or a saved page.
    pub target: String,
    pub limit: usize,
    pub long: bool,
    pub json: bool,
    /// For a saved page: the URL it was saved from.
    pub saved_from: Option<String>,
}

/// `preview FEED|URL|FILE`.
pub async fn preview(config_path: &Path, args: &PreviewArgs) -> anyhow::Result<u8> {
    let target = args.target.as_str();
    let config = config_path.exists().then(|| config::load(config_path));
    if let Some(Err(errors)) = &config {
        // A name that is not a URL or a file was meant as a feed of the broken file.
        if target_url(target).is_err() {
            eprintln!("{errors}");
            eprintln!(
                "{} error(s) in {}: fix them to preview its feed `{target}` (`scrapefeed check` lists them)",
                errors.0.len(),
                config_path.display()
            );
            return Ok(EXIT_CONFIG);
        }
        note_broken_config(config_path, errors);
    }
    let configured = match config
        .as_ref()
        .map(|c| c.as_ref().map(|c| c.feed(target).cloned()))
    {
        Some(Ok(Some(feed))) => Some(feed),
        _ => None,
    };
    if let (Some(feed), Some(_)) = (&configured, &args.saved_from) {
        anyhow::bail!(
            "--url is for a saved page; feed `{}` is read from its own URL ({})",
            feed.slug,
            feed.url
        );
    }
    let is_feed = configured.is_some();
    let feed = match configured {
        Some(feed) => feed,
        None => Feed::adhoc(target_url(target).map_err(|e| {
            // A name close to a feed's was meant as that feed.
            let names: Vec<&str> = match &config {
                Some(Ok(config)) => config.feeds.iter().map(|f| f.slug.as_str()).collect(),
                _ => Vec::new(),
            };
            match config::did_you_mean(target, &names) {
                Some(name) => anyhow::anyhow!("{e:#} — did you mean the feed `{name}`?"),
                None => e,
            }
        })?),
    };
    let saved_from = args
        .saved_from
        .as_deref()
        .map(Url::parse)
        .transpose()
        .context("--url")?;
    let settings = match &config {
        Some(Ok(config)) => config.settings.clone(),
        _ => config::Settings::default(),
    };
    // Show what the daemon would use: the detection it remembers, if it ran before.
    // (The store is only read, and only if it exists: preview writes nothing.)
    let remembered = match (is_feed, &feed.items) {
        (true, None) => remembered_detection(&settings.state_dir, &feed.slug),
        _ => None,
    };
    let fetcher = Fetcher::new(&settings)?;
    tracing::debug!(feed = %feed.slug, "fetching {}", feed.url);
    let page = match fetcher.fetch(&feed.url, &feed.request, None).await? {
        Fetched::Page(page) => page,
        Fetched::NotModified => anyhow::bail!("unexpected 304 for an unconditional request"),
    };
    let (extraction, page_url) = tokio::task::spawn_blocking(move || {
        let budget = Budget::page();
        let doc = parse::parse_document(&page.html, &budget)
            .with_context(|| format!("{}: page too complex", page.url))?
            .html;
        // A feed reads its page as the daemon does; a page given on the command line
        // may be a saved copy whose links belong to the site it came from.
        let page_url = if is_feed {
            page.url
        } else {
            saved_page_url(&doc, page.url, saved_from)
        };
        let info = PageInfo {
            url: &page_url,
            fetched_at: page.fetched_at,
        };
        // Detection's unsure guess is not published, but preview shows it.
        let extraction =
            match extract::extract_document(&feed, &doc, &info, remembered.as_ref(), &budget) {
                Err(extract::ExtractError::Unsure { guess, .. }) => *guess,
                other => other?,
            };
        anyhow::Ok((extraction, page_url))
    })
    .await??;
    if args.json {
        let report = preview::report(&extraction, page_url.as_str());
        out(&format!("{}\n", serde_json::to_string_pretty(&report)?))?;
    } else {
        let form = if args.long {
            preview::Form::Long
        } else {
            preview::Form::Table
        };
        out(&preview::text(&extraction, form, args.limit))?;
    }
    Ok(EXIT_OK)
}

/// The URL a page's links resolve against: for a saved copy (a `file:` URL), the URL
/// it was saved from (`--url`, else its canonical link), since its links belong to
/// that site; any other page's own URL.
fn saved_page_url(doc: &scraper::Html, page_url: Url, saved_from: Option<Url>) -> Url {
    match saved_from {
        Some(url) => url,
        None if page_url.scheme() == "file" => {
            crate::suggest::canonical_url(doc).unwrap_or(page_url)
        }
        None => page_url,
    }
}

/// `preview` and `suggest` of a URL go on with default settings when feeds.yaml is broken.
fn note_broken_config(path: &Path, errors: &config::ConfigErrors) {
    eprintln!(
        "note: {} has {} error(s) (`scrapefeed check` lists them); using the default settings",
        path.display(),
        errors.0.len()
    );
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
        Some(Err(errors)) => {
            note_broken_config(config_path, &errors);
            config::Settings::default()
        }
        None => config::Settings::default(),
    };
    let url = target_url(target)?;
    let options = crate::fetch::RequestOptions::default();
    let page = match Fetcher::new(&settings)?.fetch(&url, &options, None).await? {
        Fetched::Page(page) => page,
        Fetched::NotModified => anyhow::bail!("unexpected 304 for an unconditional request"),
    };
    let saved_from = saved_from.map(Url::parse).transpose().context("--url")?;
    let report = tokio::task::spawn_blocking(move || {
        let budget = Budget::page();
        let doc = parse::parse_document(&page.html, &budget)
            .with_context(|| format!("{}: page too complex", page.url))?
            .html;
        let page_url = saved_page_url(&doc, page.url, saved_from);
        anyhow::Ok(crate::suggest::report(
            &doc,
            &page_url,
            page.fetched_at,
            &budget,
        ))
    })
    .await??;
    out(&report.to_string())?;
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
        out(&format!("{}\n", serde_json::to_string_pretty(&status)?))?;
    } else {
        out(&crate::status::table(&status))?;
    }
    Ok(if status.feeds.iter().all(|r| r.healthy) {
        EXIT_OK
    } else {
        EXIT_FAILED
    })
}

/// `run NAME…` without `--once` is refused: the daemon owns the store and runs every
/// feed in feeds.yaml (a daemon for some feeds would silently stop the others, and no
/// second process may run beside it).
pub fn daemon_takes_no_names(names: &[String]) -> u8 {
    eprintln!(
        "`scrapefeed run` runs every feed in feeds.yaml on its schedule and takes no feed names; for one pass over these feeds: scrapefeed run --once {}",
        names.join(" ")
    );
    EXIT_CONFIG
}

/// `run [--serve [ADDR]]`: the daemon, until SIGTERM/SIGINT; with `--serve`, the
/// server too, in the same process and with the same shutdown.
pub async fn run_daemon(
    path: &Path,
    config: Config,
    serve: Option<Option<Listen>>,
) -> anyhow::Result<u8> {
    let control = crate::daemon::signals::install().context("installing signal handlers")?;
    // The socket is bound first: a busy port is an error before any feed runs.
    let server = match serve.map(|listen| bind(&config, listen)).transpose() {
        Ok(server) => server,
        Err(code) => return Ok(code),
    };
    let serving = server.map(|server| {
        let configs = follow(path, &config, None, &control);
        let control = control.clone();
        tokio::spawn(async move { server.run(configs, control).await })
    });
    let clock = Arc::new(crate::daemon::clock::SystemClock);
    let result = crate::daemon::run(path, config, control.clone(), clock).await;
    // However the daemon ended, the server ends with it.
    control.shutdown.cancel();
    if let Some(serving) = serving {
        serving.await.context("the server task")?;
    }
    match result {
        Ok(()) => Ok(EXIT_OK),
        Err(crate::daemon::DaemonError::Store(e @ crate::store::StoreError::Locked(_))) => {
            eprintln!("{e}");
            Ok(EXIT_LOCKED)
        }
        Err(e) => Err(e.into()),
    }
}

/// `serve [--listen ADDR]`: output_dir over HTTP, until
/// SIGTERM/SIGINT. It refreshes nothing and takes no lock: it runs beside a daemon.
pub async fn serve(path: &Path, config: Config, listen: Option<Listen>) -> anyhow::Result<u8> {
    let control = crate::daemon::signals::install().context("installing signal handlers")?;
    let server = match bind(&config, listen) {
        Ok(server) => server,
        Err(code) => return Ok(code),
    };
    let configs = follow(path, &config, Some(control.reload.clone()), &control);
    crate::daemon::notify::ready("serving");
    server.run(configs, control).await;
    crate::daemon::notify::stopping();
    Ok(EXIT_OK)
}

/// Binds the server where `listen` says (or the configured or default address), and
/// says where readers find it.
fn bind(config: &Config, listen: Option<Listen>) -> Result<Server, u8> {
    let listen = listen
        .or_else(|| config.settings.listen.clone())
        .unwrap_or_else(|| Listen::for_base_url(config.settings.base_url.as_ref()));
    match Server::bind(&listen) {
        Ok(server) => {
            server.announce(config, &listen);
            Ok(server)
        }
        Err(e) => {
            eprintln!("error: {e}");
            Err(EXIT_FAILED)
        }
    }
}

/// The configuration for the server, following feeds.yaml from now on.
fn follow(
    path: &Path,
    config: &Config,
    reload: Option<Arc<tokio::sync::Notify>>,
    control: &crate::daemon::Control,
) -> tokio::sync::watch::Receiver<Arc<Config>> {
    let (configs, receiver) = tokio::sync::watch::channel(Arc::new(config.clone()));
    tokio::spawn(crate::serve::follow_config(
        path.to_path_buf(),
        configs,
        reload,
        control.shutdown.clone(),
    ));
    receiver
}
