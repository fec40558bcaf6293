//! The synthetic workload: distinct news section pages of ~400 KB, generated here
//! deterministically, so every run on every machine measures the same bytes, and shaped
//! like real ones (a head full of styles, scripts and JSON state, a mega menu, a river
//! of article cards, rails, "more from" blocks and a big footer), so parsing them costs
//! what a real section page costs.
//!
//! `words` is the random stream and the vocabulary it picks from; `page` writes the HTML.

mod page;
mod words;

use std::sync::Arc;
use std::time::Duration;

use page::{Gen, Story};
use words::{Rng, SECTIONS};

const PAGE_BYTES: usize = 400 * 1024;
pub const CARDS: usize = 40;

/// Page `index` of the synthetic workload: ~400 KB, distinct from every other page.
pub fn synthetic_page(index: usize) -> String {
    let mut generator = Gen {
        rng: Rng(0x5EED_0000 + index as u64),
        out: String::with_capacity(PAGE_BYTES + 16 * 1024),
        page: index,
        section: SECTIONS[index % SECTIONS.len()],
    };
    let stories: Vec<Story> = (0..CARDS + 60).map(|k| generator.story(k)).collect();
    generator.head(&stories);
    generator.header();
    generator.main_column(&stories[..CARDS]);
    generator.rails(&stories[CARDS..]);
    // The footer is written on its own, so the page can be filled to size before it.
    let mut tail = Gen {
        rng: Rng(0xF007_0000 + index as u64),
        out: String::new(),
        page: index,
        section: generator.section,
    };
    tail.footer();
    let mut n = 0;
    while generator.out.len() + tail.out.len() < PAGE_BYTES {
        generator.more_block(n);
        n += 1;
    }
    generator.out.push_str(&tail.out);
    generator.out
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

pub fn describe_workload(pages: &[Arc<[u8]>], took: Duration) {
    let bytes: usize = pages.iter().map(|p| p.len()).sum();
    let (raw, tags) = pages.iter().fold((0, 0), |(r, t), p| {
        let (pr, pt) = composition(p);
        (r + pr, t + pt)
    });
    let distinct: std::collections::HashSet<&[u8]> = pages.iter().map(|p| &p[..]).collect();
    println!(
        "workload: {} synthetic pages, {} distinct, {:.1} MB ({:.0} KB/page); {:.0}% script/style text, {} start tags/page; generated in {:.2}s",
        pages.len(),
        distinct.len(),
        bytes as f64 / 1e6,
        bytes as f64 / pages.len() as f64 / 1e3,
        100.0 * raw as f64 / bytes as f64,
        tags / pages.len().max(1),
        took.as_secs_f64()
    );
}
