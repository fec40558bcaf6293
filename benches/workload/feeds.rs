//! The feeds.yaml of a workload: one feed per page (generated or from the corpus), with
//! the settings a benchmark scenario needs, written as a user would write it and loaded
//! by the library's own `config::load`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::PageSpec;
use super::corpus::{CorpusEntry, corpus_fields};

/// One feed: its name, page URL, card selector and field rules.
pub struct FeedSpec {
    pub slug: String,
    pub url: String,
    items: String,
    fields: Vec<(&'static str, String)>,
}

impl FeedSpec {
    /// Feed `i` of a generated workload, at `base` (`http://127.0.0.1:PORT`).
    pub fn generated(i: usize, base: &str, spec: &PageSpec) -> FeedSpec {
        let (items, fields) = spec.shape.rules();
        FeedSpec {
            slug: format!("section-{i:05}"),
            url: format!("{base}/news/section-{i:05}/"),
            items,
            fields,
        }
    }

    /// Feed `i`, reading corpus page `j`.
    pub fn corpus(i: usize, j: usize, entry: &CorpusEntry, base: &str) -> FeedSpec {
        FeedSpec {
            slug: format!("corpus-{i:05}"),
            url: format!("{base}/corpus/{j}/{i}/"),
            items: entry.cards.get("item").cloned().unwrap_or_default(),
            fields: corpus_fields(&entry.cards),
        }
    }
}

/// The `settings` a scenario runs with.
pub struct Settings {
    pub concurrency: usize,
    pub per_host: usize,
    /// `host_delay`, as feeds.yaml writes it (`0s`, `1s`).
    pub host_delay: &'static str,
    /// The feeds' `schedule`; `None` leaves the default.
    pub schedule: Option<String>,
    pub run_at_start: bool,
}

impl Default for Settings {
    /// A pass as fast as the loopback server allows: eight feeds at once and no per-host
    /// delay (every feed is on 127.0.0.1, one "host").
    fn default() -> Settings {
        Settings {
            concurrency: 8,
            per_host: 8,
            host_delay: "0s",
            schedule: None,
            run_at_start: true,
        }
    }
}

/// A YAML double-quoted scalar.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Writes `dir/feeds.yaml` (outputs and store under `dir`) and returns its path.
pub fn write_config(dir: &Path, feeds: &[FeedSpec], settings: &Settings) -> PathBuf {
    let mut yaml = format!(
        "settings:\n  output_dir: {}\n  state_dir: {}\n  base_url: https://feeds.example.org/\n  concurrency: {}\n  per_host: {}\n  host_delay: {}\n  run_at_start: {}\n",
        quoted(&dir.join("output").display().to_string()),
        quoted(&dir.join("state").display().to_string()),
        settings.concurrency,
        settings.per_host,
        settings.host_delay,
        settings.run_at_start,
    );
    if let Some(schedule) = &settings.schedule {
        let _ = writeln!(yaml, "  schedule: {}", quoted(schedule));
    }
    yaml.push_str("feeds:\n");
    for feed in feeds {
        let _ = writeln!(
            yaml,
            "  {}:\n    url: {}\n    items: {}\n    fields:",
            feed.slug,
            quoted(&feed.url),
            quoted(&feed.items)
        );
        for (name, rule) in &feed.fields {
            let _ = writeln!(yaml, "      {name}: {}", quoted(rule));
        }
    }
    let path = dir.join("feeds.yaml");
    std::fs::write(&path, yaml).expect("write feeds.yaml");
    path
}
