//! The generated workload shared by the benchmarks: news section pages of a chosen
//! size, card count and [`Shape`], written here deterministically, so every run on every
//! machine measures the same bytes, and shaped like real ones (a head full of styles,
//! scripts and JSON state, a mega menu, a river of article cards, rails, "more from"
//! blocks and a big footer), so parsing them costs what a real section page costs.
//!
//! `words` is the random stream and the vocabulary it picks from; `shape` says where a
//! page's bytes are; `page` writes the HTML. `corpus` loads the real pages beside the
//! generated ones, and `feeds` writes the feeds.yaml for either.

pub mod corpus;
pub mod feeds;
mod page;
mod shape;
mod words;

use std::sync::Arc;
use std::time::Duration;

use page::{Gen, Story};
pub use shape::Shape;
use words::{Rng, SECTIONS};

/// What to generate: a page's shape, its size in bytes and its number of cards.
#[derive(Clone, Copy, Debug)]
pub struct PageSpec {
    pub shape: Shape,
    pub bytes: usize,
    pub cards: usize,
}

impl PageSpec {
    /// The three sizes measured: a small page, the typical section page (400 KB with 50
    /// cards, as in the design's budget) and a large one (3 MB with 500 cards).
    pub const SIZES: [(&'static str, usize, usize); 3] = [
        ("60k", 60 * 1024, 10),
        ("400k", 400 * 1024, 50),
        ("3m", 3 * 1024 * 1024, 500),
    ];

    pub fn typical(shape: Shape) -> PageSpec {
        PageSpec::sized(shape, "400k").expect("a known size")
    }

    /// `shape` at one of the named [`PageSpec::SIZES`].
    pub fn sized(shape: Shape, size: &str) -> Option<PageSpec> {
        let (_, bytes, cards) = PageSpec::SIZES.into_iter().find(|(n, _, _)| *n == size)?;
        Some(PageSpec {
            shape,
            bytes,
            cards,
        })
    }

    /// `shape-size`, as the benchmarks name it (`news-400k`).
    pub fn label(&self) -> String {
        let size = PageSpec::SIZES
            .into_iter()
            .find(|(_, b, c)| *b == self.bytes && *c == self.cards)
            .map_or_else(|| format!("{}b", self.bytes), |(n, _, _)| n.to_owned());
        format!("{}-{size}", self.shape)
    }

    /// Page `index` of this kind, distinct from every other index.
    pub fn generate(&self, index: usize) -> String {
        let mut generator = Gen {
            rng: Rng(0x5EED_0000 + index as u64),
            out: String::with_capacity(self.bytes + 64 * 1024),
            page: index,
            section: SECTIONS[index % SECTIONS.len()],
            shape: self.shape,
            bytes: self.bytes,
            cards: self.cards,
        };
        let stories: Vec<Story> = (0..self.cards + 60).map(|k| generator.story(k)).collect();
        generator.head(&stories);
        generator.header();
        generator.main_column(&stories[..self.cards]);
        generator.rails(&stories[self.cards..]);
        // The footer is written on its own, so the page can be filled to size before it.
        let mut tail = Gen {
            rng: Rng(0xF007_0000 + index as u64),
            out: String::new(),
            page: index,
            section: generator.section,
            shape: self.shape,
            bytes: self.bytes,
            cards: self.cards,
        };
        tail.footer();
        let mut n = 0;
        while generator.out.len() + tail.out.len() < self.bytes {
            generator.more_block(n);
            n += 1;
        }
        generator.out.push_str(&tail.out);
        generator.out
    }
}

/// Share of the page inside `<script>`/`<style>`, and the number of start tags.
fn composition(page: &[u8]) -> (usize, usize) {
    let text = String::from_utf8_lossy(page);
    let mut raw = 0;
    for (open, close) in [("<script", "</script>"), ("<style", "</style>")] {
        let mut rest = text.as_ref();
        while let Some(start) = rest.find(open) {
            let Some(len) = rest[start..].find(close) else {
                break;
            };
            raw += len + close.len();
            rest = &rest[start + len + close.len()..];
        }
    }
    let tags = page
        .windows(2)
        .filter(|w| w[0] == b'<' && w[1].is_ascii_alphabetic())
        .count();
    (raw, tags)
}

pub fn describe_workload(name: &str, pages: &[Arc<[u8]>], took: Duration) {
    let bytes: usize = pages.iter().map(|p| p.len()).sum();
    let (raw, tags) = pages.iter().fold((0, 0), |(r, t), p| {
        let (pr, pt) = composition(p);
        (r + pr, t + pt)
    });
    let distinct: std::collections::HashSet<&[u8]> = pages.iter().map(|p| &p[..]).collect();
    println!(
        "workload {name}: {} generated pages, {} distinct, {:.1} MB ({:.0} KB/page); {:.0}% script/style text, {} start tags/page; generated in {:.2}s",
        pages.len(),
        distinct.len(),
        bytes as f64 / 1e6,
        bytes as f64 / pages.len() as f64 / 1e3,
        100.0 * raw as f64 / bytes as f64,
        tags / pages.len().max(1),
        took.as_secs_f64()
    );
}
