//! The feeds.yaml of a workload (one feed per page, read from the loopback server) and
//! the library's refresh context built from it, as `scrapefeed run` builds it.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use scrapefeed::refresh::Context;

use crate::corpus::{CorpusEntry, corpus_fields};

pub struct FeedSpec {
    slug: String,
    pub url: String,
    items: String,
    fields: Vec<(&'static str, String)>,
}

impl FeedSpec {
    pub fn synthetic(i: usize, addr: SocketAddr) -> FeedSpec {
        FeedSpec {
            slug: format!("section-{i:03}"),
            url: format!("http://{addr}/news/section-{i:03}/"),
            items: "section.river > article.card".into(),
            fields: vec![
                ("title", "h3.card__title".into()),
                ("link", "a.card__link@href".into()),
                ("date", "time@datetime".into()),
                ("summary", "p.card__dek".into()),
                ("author", "span.byline a".into()),
                ("image", "img.card__img@data-src|src".into()),
            ],
        }
    }
}

impl FeedSpec {
    /// Feed `i`, reading corpus page `j`.
    pub fn corpus(i: usize, j: usize, entry: &CorpusEntry, addr: SocketAddr) -> FeedSpec {
        FeedSpec {
            slug: format!("corpus-{i:03}"),
            url: format!("http://{addr}/corpus/{j}/{i}/"),
            items: entry.cards.get("item").cloned().unwrap_or_default(),
            fields: corpus_fields(&entry.cards),
        }
    }
}

/// A YAML double-quoted scalar.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

pub fn write_config(dir: &Path, feeds: &[FeedSpec]) -> PathBuf {
    let mut yaml = format!(
        "settings:\n  output_dir: {}\n  state_dir: {}\n  base_url: https://feeds.example.org/\n  concurrency: 8\n  per_host: 8\n  host_delay: 0s\n  formats: [rss, atom]\nfeeds:\n",
        quoted(&dir.join("output").display().to_string()),
        quoted(&dir.join("state").display().to_string()),
    );
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

pub fn context(config_path: &Path) -> Context {
    let config = scrapefeed::config::load(config_path)
        .unwrap_or_else(|e| panic!("the generated feeds.yaml is invalid: {e}"));
    let store = scrapefeed::store::Store::open(&config.settings.state_dir).expect("open store");
    Context::new(Arc::new(config), store).expect("context")
}
