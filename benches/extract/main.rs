//! Extraction alone — decode, parse, cards, fields — on one page at a time, next to the
//! bare `scraper` parse of the same bytes: the floor no extractor can go below.
//!
//! ```text
//! cargo bench --bench extract                      # criterion, then the ratio table
//! cargo bench --bench extract -- --quick           # criterion's quick mode, then the table
//! cargo bench --bench extract -- news-400k         # only workloads whose name has this
//! SCRAPEFEED_BENCH_TABLE=only cargo bench --bench extract   # only the table (~1 min)
//! SCRAPEFEED_BENCH_TABLE=instructions cargo bench --bench extract   # instruction counts
//! ```
//!
//! Workloads: every generated [`Shape`] at 60 KB (10 cards), 400 KB (50 cards) and 3 MB
//! (500 cards), and every page in `../shared/corpus` with its reference selectors (read
//! there at run time). Each is benchmarked twice, `bare` (`scraper::Html::parse_document`
//! of the decoded text) and `extract` (`decode_page` of the bytes as served +
//! `extract::extract` with the feed's rules, as a refresh does), and criterion reports
//! CPU time per page (this thread's, not wall time: the machine may be shared), MB/s
//! and items/s. The table after it gives, per workload, the median of interleaved runs
//! of both and their ratio against the target (extraction ≤ 1.5× the bare parse).
//!
//! CPU time still moves with the load of a shared machine (caches, memory bandwidth).
//! `SCRAPEFEED_BENCH_TABLE=instructions` gives the same ratio by instructions executed,
//! which it does not move: each run is a child of this benchmark under `valgrind
//! --tool=callgrind`, counting only inside one call of `bare` or `extract`.

mod cpu;
// Shared by both benchmarks; each uses part of it.
#[allow(dead_code)]
#[path = "../workload/mod.rs"]
mod workload;

use std::hint::black_box;

use criterion::{Criterion, Throughput};
use scrapefeed::config::Feed;
use scrapefeed::extract::PageInfo;

use cpu::{ThreadCpu, thread_cpu_ns};
use workload::corpus::{corpus_dir, load_corpus};
use workload::feeds::{FeedSpec, Settings, write_config};
use workload::{PageSpec, Shape};

const TARGET: f64 = 1.5;

/// One page and the feed that reads it.
struct Workload {
    name: String,
    bytes: Vec<u8>,
    content_type: Option<&'static str>,
    /// The page as text, for the bare parse.
    text: String,
    feed: Feed,
    url: url::Url,
    items: usize,
}

impl Workload {
    fn new(
        name: String,
        bytes: Vec<u8>,
        content_type: Option<&'static str>,
        spec: FeedSpec,
    ) -> Workload {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = url::Url::parse(&spec.url).expect("feed URL");
        let path = write_config(dir.path(), &[spec], &Settings::default());
        let config = scrapefeed::config::load(&path)
            .unwrap_or_else(|e| panic!("{name}: the generated feeds.yaml is invalid: {e}"));
        let feed = config.feeds.into_iter().next().expect("one feed");
        let text = scrapefeed::fetch::charset::decode_page(&bytes, content_type).text;
        let mut workload = Workload {
            name,
            bytes,
            content_type,
            text,
            feed,
            url,
            items: 0,
        };
        workload.items = workload.extract();
        workload
    }

    fn bare(&self) {
        black_box(scraper::Html::parse_document(black_box(&self.text)));
    }

    /// scrapefeed's bounded parse of the same text (depth and element limits, the
    /// page's budget), without decoding or extraction: what the bounds cost.
    fn bounded(&self) {
        let budget = scrapefeed::extract::budget::Budget::page();
        let parsed = scrapefeed::extract::parse::parse_document(black_box(&self.text), &budget);
        black_box(parsed.map(|p| p.html).ok());
    }

    /// What a refresh does with the body it fetched; the number of items.
    fn extract(&self) -> usize {
        let decoded =
            scrapefeed::fetch::charset::decode_page(black_box(&self.bytes), self.content_type);
        let page = PageInfo {
            url: &self.url,
            fetched_at: chrono::Utc::now(),
        };
        // The page's budget, as a refresh has it: its checks are part of the cost.
        let budget = scrapefeed::extract::budget::Budget::page();
        match scrapefeed::extract::extract(&self.feed, &decoded.text, &page, None, &budget) {
            Ok(extraction) => black_box(extraction).items.len(),
            Err(_) => 0,
        }
    }
}

fn workloads(filter: Option<&str>) -> Vec<Workload> {
    let wanted = |name: &str| filter.is_none_or(|f| name.contains(f));
    let mut out = Vec::new();
    for shape in Shape::ALL {
        for (size, _, _) in PageSpec::SIZES {
            let spec = PageSpec::sized(shape, size).expect("known size");
            let name = spec.label();
            if !wanted(&name) {
                continue;
            }
            let feed = FeedSpec::generated(0, "https://www.example-news.com", &spec);
            out.push(Workload::new(
                name,
                spec.generate(0).into_bytes(),
                Some("text/html; charset=utf-8"),
                feed,
            ));
        }
    }
    if let Some(corpus) = corpus_dir().and_then(|dir| load_corpus(&dir)) {
        for (j, entry) in corpus.entries.iter().enumerate() {
            let name = format!("corpus/{}", entry.id);
            if !wanted(&name) {
                continue;
            }
            let mut feed = FeedSpec::corpus(0, j, entry, "https://bench.invalid");
            feed.url.clone_from(&entry.page_url);
            // Served as most servers do: `text/html` without a charset.
            out.push(Workload::new(
                name,
                corpus.bytes[j].to_vec(),
                Some("text/html"),
                feed,
            ));
        }
    } else {
        println!(
            "corpus: ../shared/corpus not found (set SCRAPEFEED_CORPUS); generated pages only"
        );
    }
    out
}

fn criterion_benches(c: &mut Criterion<ThreadCpu>, workloads: &[Workload]) {
    for w in workloads {
        let mut group = c.benchmark_group(&w.name);
        group.throughput(Throughput::ElementsAndBytes {
            elements: w.items as u64,
            bytes: w.bytes.len() as u64,
        });
        group.sample_size(10);
        group.bench_function("bare", |b| b.iter(|| w.bare()));
        group.bench_function("extract", |b| b.iter(|| w.extract()));
        group.finish();
    }
}

fn median(mut values: Vec<u64>) -> u64 {
    values.sort_unstable();
    values[values.len() / 2]
}

/// Interleaved runs of both, enough for a quarter CPU-second of each (5 at least), and
/// the medians side by side.
fn table(workloads: &[Workload]) {
    println!(
        "\n{:<44} {:>7} {:>5} {:>8} {:>8} {:>8} {:>7} {:>7} {:>9} {:>6} {:>6}",
        "workload",
        "KB",
        "items",
        "bare-ms",
        "bound-ms",
        "extr-ms",
        "bareMB/s",
        "MB/s",
        "items/s",
        "bound",
        "ratio"
    );
    let mut misses = 0;
    for w in workloads {
        let time = |f: &dyn Fn()| {
            let t0 = thread_cpu_ns();
            f();
            thread_cpu_ns() - t0
        };
        let first = time(&|| {
            w.extract();
        });
        let reps = (250_000_000 / first.max(1)).clamp(5, 41) as usize;
        let (mut bare, mut bounded, mut extract) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..reps {
            bare.push(time(&|| w.bare()));
            bounded.push(time(&|| w.bounded()));
            extract.push(time(&|| {
                w.extract();
            }));
        }
        let seconds = |v: Vec<u64>| median(v) as f64 / 1e9;
        let (bare, bounded, extract) = (seconds(bare), seconds(bounded), seconds(extract));
        let ratio = extract / bare;
        let miss = ratio > TARGET || w.items == 0;
        misses += usize::from(miss);
        let mb = w.bytes.len() as f64 / 1e6;
        println!(
            "{:<44} {:>7.0} {:>5} {:>8.2} {:>8.2} {:>8.2} {:>7.0} {:>7.0} {:>9.0} {:>5.2}  {:>5.2}{}",
            w.name,
            w.bytes.len() as f64 / 1024.0,
            w.items,
            bare * 1e3,
            bounded * 1e3,
            extract * 1e3,
            mb / bare,
            mb / extract,
            w.items as f64 / extract,
            bounded / bare,
            ratio,
            if miss { "!" } else { " " }
        );
    }
    println!(
        "medians of interleaved runs, this thread's CPU time; bound = scrapefeed's bounded parse / bare; ratio = extract / bare, target ≤ {TARGET}; '!' marks a miss ({misses} of {})",
        workloads.len()
    );
}

/// Criterion's name filter (its first free argument), which selects the table's
/// workloads too.
fn name_filter() -> Option<String> {
    const TAKES_VALUE: [&str; 14] = [
        "--save-baseline",
        "--baseline",
        "--baseline-lenient",
        "--load-baseline",
        "--measurement-time",
        "--warm-up-time",
        "--sample-size",
        "--nresamples",
        "--noise-threshold",
        "--confidence-level",
        "--significance-level",
        "--profile-time",
        "--output-format",
        "--color",
    ];
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if TAKES_VALUE.contains(&arg.as_str()) {
            args.next();
        } else if !arg.starts_with('-') {
            return Some(arg);
        }
    }
    None
}

/// Counted by callgrind (`--toggle-collect`): everything `work` executes, once.
#[inline(never)]
fn counted_run(work: &dyn Fn()) {
    work();
}

/// In a child under callgrind: runs one workload's `bare` or `extract` once untimed (so
/// lazily built statics are not counted), then once counted.
fn run_one(workloads: &[Workload], which: &str) {
    let (name, what) = which.rsplit_once(':').expect("NAME:bare|bounded|extract");
    let w = workloads
        .iter()
        .find(|w| w.name == name)
        .expect("known workload");
    let work: Box<dyn Fn()> = match what {
        "bare" => Box::new(|| w.bare()),
        "bounded" => Box::new(|| w.bounded()),
        _ => Box::new(|| {
            w.extract();
        }),
    };
    work();
    counted_run(&*work);
}

/// Instructions (callgrind `Ir`) of one `bare` or `extract` run of a workload, from a
/// child process of this benchmark under valgrind; `None` without valgrind.
fn instructions(name: &str, what: &str) -> Option<u64> {
    let out = tempfile::NamedTempFile::new().ok()?;
    let status = std::process::Command::new("valgrind")
        .args([
            "--tool=callgrind",
            "--collect-atstart=no",
            "--toggle-collect=*counted_run*",
        ])
        .arg(format!("--callgrind-out-file={}", out.path().display()))
        .arg(std::env::current_exe().ok()?)
        .env("SCRAPEFEED_BENCH_ONE", format!("{name}:{what}"))
        .env("SCRAPEFEED_BENCH_TABLE", "one")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .ok()?;
    if !status.success() {
        return None;
    }
    let text = std::fs::read_to_string(out.path()).ok()?;
    text.lines()
        .find_map(|l| {
            l.strip_prefix("totals:")
                .or_else(|| l.strip_prefix("summary:"))
        })
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
}

/// The ratio by instruction counts, which the load of a shared machine does not move.
fn instruction_table(workloads: &[Workload]) {
    println!(
        "\n{:<44} {:>7} {:>5} {:>12} {:>12} {:>12} {:>6} {:>6}",
        "workload", "KB", "items", "bare-Minstr", "bound-Minstr", "extr-Minstr", "bound", "ratio"
    );
    let mut misses = 0;
    for w in workloads {
        let (Some(bare), Some(bounded), Some(extract)) = (
            instructions(&w.name, "bare"),
            instructions(&w.name, "bounded"),
            instructions(&w.name, "extract"),
        ) else {
            println!("valgrind is not available (apt-get install valgrind)");
            return;
        };
        let ratio = extract as f64 / bare as f64;
        let miss = ratio > TARGET || w.items == 0;
        misses += usize::from(miss);
        println!(
            "{:<44} {:>7.0} {:>5} {:>12.1} {:>12.1} {:>12.1} {:>5.2}  {:>5.2}{}",
            w.name,
            w.bytes.len() as f64 / 1024.0,
            w.items,
            bare as f64 / 1e6,
            bounded as f64 / 1e6,
            extract as f64 / 1e6,
            bounded as f64 / bare as f64,
            ratio,
            if miss { "!" } else { " " }
        );
    }
    println!(
        "instructions counted by callgrind, one run each; bound = bounded parse / bare; ratio = extract / bare, target ≤ {TARGET}; '!' marks a miss ({misses} of {})",
        workloads.len()
    );
}

fn main() {
    let filter = name_filter();
    let mode = std::env::var("SCRAPEFEED_BENCH_TABLE").unwrap_or_default();
    if mode == "one" {
        let which = std::env::var("SCRAPEFEED_BENCH_ONE").expect("SCRAPEFEED_BENCH_ONE");
        let name = which.rsplit_once(':').map_or("", |(n, _)| n);
        run_one(&workloads(Some(name)), &which);
        return;
    }
    let workloads = workloads(filter.as_deref());
    if mode == "instructions" {
        instruction_table(&workloads);
        return;
    }
    let table_only = mode == "only";
    if !table_only {
        let mut criterion = Criterion::default()
            .with_measurement(ThreadCpu)
            .configure_from_args();
        criterion_benches(&mut criterion, &workloads);
        criterion.final_summary();
    }
    if mode == "no" {
        return;
    }
    table(&workloads);
}
