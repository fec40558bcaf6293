//! The real workload: saved pages from `../shared/corpus` (read there at run time, never
//! copied) with their reference selectors, so that real markup is measured as well as
//! generated markup.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(serde::Deserialize)]
struct CorpusFile {
    pages: Vec<CorpusEntry>,
}

#[derive(serde::Deserialize)]
pub struct CorpusEntry {
    pub id: String,
    file: String,
    pub page_url: String,
    pub cards: BTreeMap<String, String>,
}

pub struct Corpus {
    pub dir: PathBuf,
    pub bytes: Vec<Arc<[u8]>>,
    pub entries: Vec<CorpusEntry>,
}

/// `../shared/corpus` from the package root (or from a worktree one level further
/// down), or `$SCRAPEFEED_CORPUS`.
pub fn corpus_dir() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("SCRAPEFEED_CORPUS").map(PathBuf::from),
        Some(PathBuf::from("../shared/corpus")),
        Some(PathBuf::from("../../shared/corpus")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|dir| dir.join("corpus.yaml").is_file())
}

pub fn load_corpus(dir: &Path) -> Option<Corpus> {
    let text = std::fs::read_to_string(dir.join("corpus.yaml")).ok()?;
    let file: CorpusFile = match serde_saphyr::from_str(&text) {
        Ok(file) => file,
        Err(e) => {
            println!("corpus: cannot read corpus.yaml ({e}); skipped");
            return None;
        }
    };
    let bytes = file
        .pages
        .iter()
        .map(|p| std::fs::read(dir.join(&p.file)).map(Arc::from))
        .collect::<io::Result<Vec<_>>>()
        .ok()?;
    Some(Corpus {
        dir: dir.to_path_buf(),
        bytes,
        entries: file.pages,
    })
}

/// The corpus's reference selectors as feeds.yaml field rules.
pub fn corpus_fields(cards: &BTreeMap<String, String>) -> Vec<(&'static str, String)> {
    let rule = |name: &str, attr: Option<&str>| -> Option<String> {
        let selector = cards.get(name)?.trim();
        let selector = match selector.strip_prefix("+tr") {
            Some(rest) => format!("+ {}", rest.trim()),
            None if selector == "@self" => ":scope".to_owned(),
            None => selector.to_owned(),
        };
        Some(match attr.and_then(|a| cards.get(a)) {
            Some(attr) => format!("{selector}@{attr}"),
            None => selector,
        })
    };
    [
        ("title", rule("title", None)),
        ("link", rule("link", None)),
        ("date", rule("date", Some("date_attr"))),
        ("summary", rule("teaser", None)),
        ("author", rule("author", None)),
        ("image", rule("image", Some("image_attr"))),
    ]
    .into_iter()
    .filter_map(|(name, value)| Some((name, value?)))
    .collect()
}
