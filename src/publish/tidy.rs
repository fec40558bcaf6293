//! Removed feeds leave no litter.
//!
//! A feed deleted from feeds.yaml (or a format dropped from a feed's `formats`) has its
//! files deleted from `output_dir` at the next pass or reload, and logged. Only files
//! scrapefeed wrote are ever deleted: `<feed>.xml|atom|json` of a feed the store knows,
//! that is a regular file (never through a symbolic link) and names scrapefeed as its
//! generator. The history of a removed feed stays in the store for as long as any
//! configured feed keeps its items (`keep`, 30 days by default), so adding it back
//! restores its ids and dates; after that it is forgotten.

use std::fs;
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::config::{Config, Format};
use crate::store::{Store, StoreError};

/// How far into a file the generator mark is looked for.
const HEAD: u64 = 64 << 10;

/// How long a removed feed's history stays when no feed says otherwise.
const DEFAULT_KEEP: Duration = Duration::from_secs(30 * 86_400);

/// Deletes the files of removed feeds and dropped formats, and forgets removed
/// feeds' history once it is older than `keep`; returns the files deleted.
pub fn tidy(
    config: &Config,
    store: &Store,
    now: DateTime<Utc>,
) -> Result<Vec<PathBuf>, StoreError> {
    let configured: Vec<&str> = config.feeds.iter().map(|f| f.slug.as_str()).collect();
    let keep = config
        .feeds
        .iter()
        .map(|f| f.keep)
        .max()
        .unwrap_or(DEFAULT_KEEP);
    let mut removed = Vec::new();
    for slug in store.unconfigured(&configured)? {
        let files = remove_ours(config, &slug, &Format::EVERY);
        if !files.is_empty() {
            tracing::info!(
                feed = %slug,
                "feed `{slug}` is no longer in {}: removed {} (its history stays in the store for {})",
                config.path.display(),
                list(&files),
                days(keep),
            );
        }
        removed.extend(files);
        let before = now - chrono::Duration::from_std(keep).unwrap_or(chrono::Duration::MAX);
        store.forget_removed(&slug, before)?;
    }
    for feed in &config.feeds {
        let dropped: Vec<Format> = Format::EVERY
            .into_iter()
            .filter(|f| !feed.formats.contains(f))
            .collect();
        let files = remove_ours(config, &feed.slug, &dropped);
        if !files.is_empty() {
            tracing::info!(
                feed = %feed.slug,
                "feed `{}` no longer has these formats: removed {}",
                feed.slug,
                list(&files)
            );
        }
        removed.extend(files);
    }
    Ok(removed)
}

/// A keep period in whole days, as feeds.yaml usually gives it ("30 days").
fn days(keep: Duration) -> String {
    let days = keep.as_secs().div_ceil(86_400);
    if days == 1 {
        "1 day".into()
    } else {
        format!("{days} days")
    }
}

fn list(files: &[PathBuf]) -> String {
    files
        .iter()
        .map(|f| f.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Deletes `slug`'s files in `formats` that scrapefeed wrote; returns those deleted.
fn remove_ours(config: &Config, slug: &str, formats: &[Format]) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    for &format in formats {
        let path = config
            .settings
            .output_dir
            .join(format!("{slug}.{}", format.extension()));
        if !written_by_us(&path) {
            continue;
        }
        match fs::remove_file(&path) {
            Ok(()) => removed.push(path),
            Err(e) => tracing::warn!("cannot remove {}: {e}", path.display()),
        }
    }
    removed
}

/// A regular file (not followed through a link) whose head names scrapefeed as its
/// generator, as all three formats do.
fn written_by_us(path: &Path) -> bool {
    if !super::file::is_output(path) {
        return false;
    }
    let Ok(file) = fs::File::options()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
    else {
        return false;
    };
    let mut head = Vec::new();
    if file.take(HEAD).read_to_end(&mut head).is_err() {
        return false;
    }
    let head = String::from_utf8_lossy(&head);
    head.contains("<generator>scrapefeed ")
        || head.contains(">scrapefeed</generator>")
        || head.contains("\"user_comment\": \"Made by scrapefeed ")
}
