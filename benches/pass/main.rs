//! One pass of scrapefeed over many section pages, against the budget in DESIGN.md:
//! "one pass over 200 section pages of 400 KB … the bare `scraper` parse of the same
//! 80 MB is ~0.8 CPU-s; scrapefeed's budget: within 1.9× that bare parse, and 40 MiB
//! peak".
//!
//! ```text
//! cargo bench --bench pass [-- --runs N --pages N --no-corpus --no-child --dump PAGE.html --serve-only DIR]
//! ```
//!
//! * The workload is generated here, deterministically: 200 distinct news section pages
//!   of ~400 KB (a head with styles, scripts and JSON state, a mega menu, a river of 40
//!   article cards with lazy images, rails, "more from" blocks and a big footer).
//! * The pages are served by a minimal HTTP/1.1 server on 127.0.0.1, on its own thread
//!   with its own single-threaded runtime, so its CPU time can be read separately and
//!   taken out of the pass's figure.
//! * The pass is the library's `pass::run_pass` on a multi-threaded runtime, run twice:
//!   cold (empty store and output) and steady (the same unchanged pages again). CPU is
//!   `getrusage(RUSAGE_SELF)` around the pass; peak memory is VmHWM after resetting it
//!   with `/proc/self/clear_refs`, minus the RSS just before the pass (the process also
//!   holds the 80 MB workload and the server, which a real scrapefeed process does not).
//! * The same pass is also run by the real binary (`scrapefeed run --once`) as a child
//!   process, whose CPU and peak RSS come from `wait4` — the production figure for the
//!   40 MiB budget.
//! * The baseline is `scraper::Html::parse_document` over the same pages, one thread.
//! * A single-threaded breakdown (decode, parse, extract) shows where the time goes.
//! * With `../shared/corpus/pages` present, the real corpus pages (repeated to 200
//!   feeds) are run the same way as a second, secondary figure.
//!
//! The modules, one concept each: `workload` generates the pages and `corpus` loads the
//! real ones; `server` serves both; `config` writes the feeds.yaml for them; `in_process`
//! and `child` measure a pass in this process and in the binary; `baseline` is the bare
//! parse they are compared with; `measure` reads the clocks and RSS. This file takes the
//! arguments, runs the rounds and prints the table.

mod baseline;
mod child;
mod config;
mod corpus;
mod in_process;
mod measure;
mod server;
mod workload;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use baseline::{Bare, bare_parse, bare_parse_parallel, breakdown};
use child::{ChildRun, run_child, rusage_of};
use config::{FeedSpec, context, write_config};
use corpus::{corpus_dir, load_corpus};
use in_process::{Pass, measure_pass};
use server::{Server, Site};
use workload::{describe_workload, synthetic_page};

const PAGES: usize = 200;
const CPU_BUDGET: f64 = 1.9;
const RSS_BUDGET_MIB: f64 = 40.0;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--rusage-of") {
        rusage_of(&args[1..]);
    }
    let options = Options::from_args();
    let started = Instant::now();
    let pages: Vec<Arc<[u8]>> = (0..options.pages)
        .map(|i| Arc::from(synthetic_page(i).into_bytes()))
        .collect();
    let corpus = if options.corpus {
        corpus_dir().and_then(|dir| load_corpus(&dir))
    } else {
        None
    };
    describe_workload(&pages, started.elapsed());
    if let Some(path) = &options.dump {
        std::fs::write(path, &pages[0][..]).expect("write --dump file");
    }

    let site = Arc::new(Site {
        pages: pages.clone(),
        corpus: corpus.iter().flat_map(|c| c.bytes.clone()).collect(),
        validators: AtomicBool::new(false),
    });
    let server = Server::start(site.clone());
    println!(
        "server: hand-written HTTP/1.1 on {} (own thread; identity encoding, keep-alive)",
        server.addr
    );
    let feeds: Vec<FeedSpec> = (0..pages.len())
        .map(|i| FeedSpec::synthetic(i, server.addr))
        .collect();
    if let Some(dir) = &options.serve_only {
        std::fs::create_dir_all(dir).expect("create --serve-only directory");
        let config_path = write_config(dir, &feeds);
        println!(
            "serving until killed; profile the binary with: scrapefeed run --once --config {}",
            config_path.display()
        );
        loop {
            std::thread::park();
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let texts: Vec<&str> = pages
        .iter()
        .map(|p| std::str::from_utf8(p).expect("generated pages are UTF-8"))
        .collect();
    let synthetic = Workload {
        name: "synthetic",
        specs: &feeds,
        texts: &texts,
        bytes: pages.iter().map(|p| p.len()).sum(),
        checked: true,
    };
    let rounds: Vec<Vec<Row>> = (0..options.runs)
        .map(|_| round(&runtime, &server, &site, &synthetic, options.child))
        .collect();
    print_table(&rounds);
    let bare = bare_parse(&texts, |t| {
        std::hint::black_box(scraper::Html::parse_document(t));
    });
    let bare_noscript = bare_parse(&texts, |t| {
        std::hint::black_box(scrapefeed::extract::parse_document(t));
    });
    let threads = std::thread::available_parallelism().map_or(2, usize::from);
    let bare_parallel = bare_parse_parallel(&texts, threads);
    println!(
        "bare parse: {:.3} CPU-s on one thread; scripting disabled as scrapefeed parses: {:.3}; split over {threads} threads at once: {:.3} CPU-s in all",
        bare.cpu, bare_noscript.cpu, bare_parallel
    );
    breakdown(&feeds, &texts, bare);

    if let Some(corpus) = corpus {
        let n = corpus.entries.len();
        let specs: Vec<FeedSpec> = (0..options.pages)
            .map(|i| FeedSpec::corpus(i, i % n, &corpus.entries[i % n], server.addr))
            .collect();
        let decoded: Vec<String> = (0..options.pages)
            .map(|i| scrapefeed::fetch::charset::decode_page(&corpus.bytes[i % n], None).text)
            .collect();
        let texts: Vec<&str> = decoded.iter().map(String::as_str).collect();
        let workload = Workload {
            name: "corpus",
            specs: &specs,
            texts: &texts,
            bytes: (0..options.pages).map(|i| corpus.bytes[i % n].len()).sum(),
            checked: false,
        };
        println!(
            "\ncorpus: {n} real pages from {} served as {} feeds (secondary figure)",
            corpus.dir.display(),
            options.pages
        );
        let rounds: Vec<Vec<Row>> = (0..options.runs)
            .map(|_| round(&runtime, &server, &site, &workload, options.child))
            .collect();
        print_table(&rounds);
    }
}

/// One workload: its feeds and the text of their pages.
struct Workload<'a> {
    name: &'static str,
    specs: &'a [FeedSpec],
    texts: &'a [&'a str],
    bytes: usize,
    /// Every feed must succeed with `CARDS` items (true of the synthetic pages).
    checked: bool,
}

/// One round of measurements: the bare parse, the passes in process (cold, steady, and
/// for the synthetic pages with ETags: priming and all-304), and the binary's passes.
fn round(
    runtime: &tokio::runtime::Runtime,
    server: &Server,
    site: &Site,
    workload: &Workload,
    child: bool,
) -> Vec<Row> {
    let bare = bare_parse(workload.texts, |t| {
        std::hint::black_box(scraper::Html::parse_document(t));
    });
    let feeds = workload.specs.len();
    let dir = tempfile::tempdir().expect("temp dir");
    let config_path = write_config(dir.path(), workload.specs);
    let ctx = context(&config_path);
    let mut passes = vec![
        measure_pass(runtime, &ctx, server, "cold"),
        measure_pass(runtime, &ctx, server, "steady"),
    ];
    if workload.checked {
        passes[0].check(feeds, true);
        passes[1].check(feeds, false);
        site.validators.store(true, Ordering::SeqCst);
        passes.push(measure_pass(runtime, &ctx, server, "etag-prime"));
        passes[2].check(feeds, false);
        passes.push(measure_pass(runtime, &ctx, server, "304"));
        site.validators.store(false, Ordering::SeqCst);
    } else {
        for report in passes[0].reports.iter().filter(|r| r.result.is_err()) {
            if let Err(e) = &report.result {
                println!("  {} failed: {e}", report.slug);
            }
        }
    }
    drop(ctx);
    let mut rows: Vec<Row> = passes
        .iter()
        .map(|pass| Row::in_process(workload.name, pass, workload.bytes, bare))
        .collect();
    if child {
        // The binary as shipped, then with glibc malloc limited to two arenas.
        for env in [None, Some(("MALLOC_ARENA_MAX", "2"))] {
            let dir = tempfile::tempdir().expect("temp dir");
            let config_path = write_config(dir.path(), workload.specs);
            for label in ["cold", "steady"] {
                let run = run_child(&config_path, server, label, env);
                rows.push(Row::child(workload.name, &run, feeds, workload.bytes, bare));
            }
        }
    }
    rows
}

/// Command-line options after `--` (cargo passes `--bench` itself; it is ignored).
struct Options {
    pages: usize,
    corpus: bool,
    child: bool,
    /// Rounds of measurements; the table shows medians.
    runs: usize,
    /// Write the first generated page here, to look at it.
    dump: Option<PathBuf>,
    /// Only serve the workload, with a feeds.yaml for it in this directory (for
    /// profiling the binary with external tools).
    serve_only: Option<PathBuf>,
}

impl Options {
    fn from_args() -> Options {
        let mut options = Options {
            pages: PAGES,
            corpus: true,
            child: true,
            runs: 3,
            dump: None,
            serve_only: None,
        };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--pages" => {
                    options.pages = args
                        .next()
                        .and_then(|n| n.parse().ok())
                        .expect("--pages takes a number");
                }
                "--runs" => {
                    options.runs = args
                        .next()
                        .and_then(|n| n.parse().ok())
                        .filter(|&n| n > 0)
                        .expect("--runs takes a positive number");
                }
                "--no-corpus" => options.corpus = false,
                "--no-child" => options.child = false,
                "--dump" => options.dump = args.next().map(PathBuf::from),
                "--serve-only" => options.serve_only = args.next().map(PathBuf::from),
                _ => {}
            }
        }
        options
    }
}

// ---------------------------------------------------------------------------------------
// The table.
// ---------------------------------------------------------------------------------------

struct Row {
    workload: &'static str,
    run: String,
    pages: usize,
    ok: usize,
    mb: f64,
    cpu: f64,
    server_cpu: f64,
    /// The pass's own CPU: in process, the process's minus the server thread's; for the
    /// binary, the child's (the server is not in it).
    net_cpu: f64,
    wall: f64,
    bare: f64,
    peak_mib: f64,
    peak_note: String,
}

impl Row {
    fn in_process(workload: &'static str, pass: &Pass, bytes: usize, bare: Bare) -> Row {
        let (ok, on_page, new, written, not_modified) = pass.totals();
        let note = if pass.hwm_reset {
            format!("VmHWM-RSS0, abs {:.0}", pass.peak_kib as f64 / 1024.0)
        } else {
            "VmHWM-HWM0".into()
        };
        Row {
            workload,
            run: format!(
                "lib {} (items {on_page}, new {new}, files {written}, 304s {not_modified})",
                pass.label
            ),
            pages: pass.reports.len(),
            ok,
            mb: bytes as f64 / 1e6,
            cpu: pass.cpu,
            server_cpu: pass.server_cpu,
            net_cpu: pass.cpu - pass.server_cpu,
            wall: pass.wall,
            bare: bare.cpu,
            peak_mib: pass.peak_delta_kib as f64 / 1024.0,
            peak_note: note,
        }
    }

    fn child(
        workload: &'static str,
        run: &ChildRun,
        pages: usize,
        bytes: usize,
        bare: Bare,
    ) -> Row {
        Row {
            workload,
            run: format!("bin run --once {}", run.label),
            pages,
            ok: pages,
            mb: bytes as f64 / 1e6,
            cpu: run.cpu,
            server_cpu: run.server_cpu,
            net_cpu: run.cpu,
            wall: run.wall,
            bare: bare.cpu,
            peak_mib: run.max_rss_kib as f64 / 1024.0,
            peak_note: "child ru_maxrss".into(),
        }
    }

    fn ratio(&self) -> f64 {
        self.net_cpu / self.bare
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Medians over the rounds (row by row), with the range of the ratio.
fn print_table(rounds: &[Vec<Row>]) {
    println!(
        "\n{:<10} {:<54} {:>5} {:>4} {:>5} {:>6} {:>6} {:>6} {:>6} {:>6} {:>17} {:>8}",
        "workload",
        "run",
        "pages",
        "ok",
        "MB",
        "CPU-s",
        "srv-s",
        "net-s",
        "wall-s",
        "bare-s",
        "ratio (min-max)",
        "peakMiB"
    );
    for (i, row) in rounds[0].iter().enumerate() {
        let all: Vec<&Row> = rounds.iter().map(|r| &r[i]).collect();
        let med = |f: fn(&Row) -> f64| median(all.iter().map(|r| f(r)).collect());
        let ratios: Vec<f64> = all.iter().map(|r| r.ratio()).collect();
        let ratio = median(ratios.clone());
        let (lo, hi) = ratios
            .iter()
            .fold((f64::MAX, f64::MIN), |(lo, hi), &r| (lo.min(r), hi.max(r)));
        let peak = med(|r| r.peak_mib);
        println!(
            "{:<10} {:<54} {:>5} {:>4} {:>5.1} {:>6.3} {:>6.3} {:>6.3} {:>6.3} {:>6.3} {:>5.2}{} ({:.2}-{:.2}) {:>7.1}{}  [{}]",
            row.workload,
            row.run,
            row.pages,
            all.iter().map(|r| r.ok).min().unwrap_or(0),
            row.mb,
            med(|r| r.cpu),
            med(|r| r.server_cpu),
            med(|r| r.net_cpu),
            med(|r| r.wall),
            med(|r| r.bare),
            ratio,
            if ratio <= CPU_BUDGET { " " } else { "!" },
            lo,
            hi,
            peak,
            if peak <= RSS_BUDGET_MIB { " " } else { "!" },
            row.peak_note
        );
    }
    println!(
        "medians of {} rounds; ratio = net-s / bare-s (bare: scraper::Html::parse_document of the same pages, one thread), budget {CPU_BUDGET}; peak budget {RSS_BUDGET_MIB} MiB; '!' marks a miss",
        rounds.len()
    );
}
