//! What the pass is measured against: the bare `scraper` parse of the same pages (on one
//! thread, and split over all cores), and a single-threaded breakdown of the library's
//! own stages (decode, parse, extract) that shows where the pass's time goes.

use crate::measure::thread_cpu;
use crate::workload::feeds::{FeedSpec, Settings, write_config};

/// The baseline: a plain parse of every page, one thread, CPU seconds of that thread.
#[derive(Clone, Copy)]
pub struct Bare {
    pub cpu: f64,
}

pub fn bare_parse(texts: &[&str], parse: impl Fn(&str)) -> Bare {
    let cpu0 = thread_cpu();
    for text in texts {
        parse(text);
    }
    Bare {
        cpu: thread_cpu() - cpu0,
    }
}

/// The same bare parse split over `threads` threads running at once, as the pass parses
/// (one page per core): the CPU seconds of all of them together.
pub fn bare_parse_parallel(texts: &[&str], threads: usize) -> f64 {
    let chunk = texts.len().div_ceil(threads.max(1)).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = texts
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    bare_parse(part, |t| {
                        std::hint::black_box(scraper::Html::parse_document(t));
                    })
                    .cpu
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("parse thread"))
            .sum()
    })
}

/// Where the pass's CPU goes, stage by stage, on one thread with the library's own
/// functions: decoding, parsing (as scrapefeed parses), and the extraction after it.
pub fn breakdown(feeds: &[FeedSpec], texts: &[&str], bare: Bare) {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = scrapefeed::config::load(&write_config(dir.path(), feeds, &Settings::default()))
        .expect("config");
    let url = url::Url::parse(&feeds[0].url).expect("url");
    let page = scrapefeed::extract::PageInfo {
        url: &url,
        fetched_at: chrono::Utc::now(),
    };
    let t0 = thread_cpu();
    for text in texts {
        std::hint::black_box(scrapefeed::fetch::charset::decode_page(
            text.as_bytes(),
            Some("text/html; charset=utf-8"),
        ));
    }
    let decode = thread_cpu() - t0;
    let mut docs_cpu = 0.0;
    let mut extract_cpu = 0.0;
    let mut items = 0;
    for (text, feed) in texts.iter().zip(&config.feeds) {
        let t0 = thread_cpu();
        let doc = scrapefeed::extract::parse_document(text);
        let t1 = thread_cpu();
        let extraction = scrapefeed::extract::extract_document(
            feed,
            &doc,
            &page,
            None,
            &scrapefeed::extract::budget::Budget::unlimited(),
        )
        .expect("extraction");
        let t2 = thread_cpu();
        drop(doc);
        let t3 = thread_cpu();
        items += extraction.items.len();
        docs_cpu += (t1 - t0) + (t3 - t2);
        extract_cpu += t2 - t1;
    }
    println!(
        "single-thread breakdown over the same pages: decode {decode:.3} CPU-s, parse+drop {docs_cpu:.3} CPU-s, select+fields {extract_cpu:.3} CPU-s ({items} items); sum {:.3} = {:.2}x bare",
        decode + docs_cpu + extract_cpu,
        (decode + docs_cpu + extract_cpu) / bare.cpu
    );
}
