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

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};

use scrapefeed::refresh::{Context, Outcome, Report};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const PAGES: usize = 200;
const PAGE_BYTES: usize = 400 * 1024;
const CARDS: usize = 40;
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
// The workload: deterministic, distinct, realistic section pages.
// ---------------------------------------------------------------------------------------

/// SplitMix64: small, fast and deterministic across platforms.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// The vocabulary of headlines, summaries and link labels.
const VOCABULARY: &str = "\
    market growth policy rates inflation bank central jobs report energy prices global \
    trade tariffs supply chain workers union strike budget deficit election senate \
    housing mortgage loans startup funding venture capital chips software cloud data \
    privacy court ruling appeal climate storm drought harvest wheat oil pipeline \
    electric battery factory robots automation investors shares earnings quarter \
    forecast outlook recession consumers spending retail holiday travel airline airport \
    rail freight port shipping insurance pension savings tax reform minister summit \
    talks deal merger lawsuit regulators antitrust platform users network outage \
    security breach hackers vaccine hospital doctors nurses schools teachers students \
    tuition city council mayor transit bridge highway housing rents tenants landlords \
    café résumé naïve über señor façade quietly sharply slowly record surprise warning \
    plan crisis boom slump rally rebound gains losses cuts hikes new first biggest \
    latest why how what after before amid despite over under";

static WORDS: LazyLock<Vec<&str>> = LazyLock::new(|| VOCABULARY.split_whitespace().collect());

const FIRST_NAMES: &[&str] = &[
    "Ana", "Ben", "Chloé", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jamal", "Kasia",
    "Liam", "Maya", "Noor", "Oskar", "Priya", "Quinn", "Rosa", "Sven", "Tariq",
];
const LAST_NAMES: &[&str] = &[
    "Alvarez",
    "Brennan",
    "Chen",
    "Dubois",
    "Eriksen",
    "Fischer",
    "García",
    "Haddad",
    "Ito",
    "Jones",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "O'Neill",
    "Petrov",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Weber",
];
const SECTIONS: &[&str] = &[
    "economy", "tech", "finance", "politics", "world", "health", "science", "climate", "business",
    "markets", "culture", "sports",
];
const CDN: &str = "https://cdn.example-news.com/images";
const PIXEL: &str =
    "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";

/// One story as the generator knows it; it appears as a card, in rails and in JSON.
struct Story {
    id: u64,
    headline: String,
    dek: String,
    path: String,
    author: String,
    author_slug: String,
    topic: &'static str,
    tags: [&'static str; 3],
    iso: String,
    shown: String,
    image: u64,
    minutes: usize,
}

/// The generator for one page: its random stream and the text written so far.
struct Gen {
    rng: Rng,
    out: String,
    page: usize,
    section: &'static str,
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn slug(text: &str) -> String {
    text.split(' ')
        .take(7)
        .map(|w| {
            w.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

impl Gen {
    fn words(&mut self, lo: usize, hi: usize) -> String {
        let n = self.rng.range(lo, hi);
        let mut text = String::new();
        for i in 0..n {
            if i > 0 {
                text.push(' ');
            }
            text.push_str(self.rng.pick(&WORDS));
        }
        text
    }

    fn sentence(&mut self, lo: usize, hi: usize) -> String {
        format!("{}.", capitalise(&self.words(lo, hi)))
    }

    fn hex(&mut self) -> String {
        format!("{:012x}", self.rng.next() >> 16)
    }

    fn story(&mut self, k: usize) -> Story {
        let id = (self.page as u64) * 10_000 + k as u64;
        let headline = capitalise(&self.words(6, 13));
        let dek = format!("{} {}", self.sentence(12, 22), self.sentence(10, 20));
        let year = 2025;
        let (month, day) = (self.rng.range(1, 12), self.rng.range(1, 28));
        let (hour, minute) = (self.rng.range(0, 23), self.rng.range(0, 59));
        let first = self.rng.pick(FIRST_NAMES);
        let last = self.rng.pick(LAST_NAMES);
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        Story {
            id,
            path: format!(
                "/{}/{year}/{month:02}/{day:02}/{}-{id}/",
                self.section,
                slug(&headline)
            ),
            headline,
            dek,
            author: format!("{first} {last}"),
            author_slug: slug(&format!("{first} {last}")),
            topic: self.rng.pick(&WORDS),
            tags: [
                self.rng.pick(&WORDS),
                self.rng.pick(&WORDS),
                self.rng.pick(&WORDS),
            ],
            iso: format!("{year}-{month:02}-{day:02}T{hour:02}:{minute:02}:00Z"),
            shown: format!("{} {day}, {year}", MONTHS[month - 1]),
            image: self.rng.next() >> 24,
            minutes: self.rng.range(2, 14),
        }
    }

    fn svg(&mut self, class: &str, points: usize) {
        let mut d = String::from("M12 2");
        for _ in 0..points {
            let cmd = self.rng.pick(&["l", "c", "L", "C", "h", "v"]);
            let _ = write!(
                d,
                "{cmd}{}.{} {}.{}",
                self.rng.below(24),
                self.rng.below(10),
                self.rng.below(24),
                self.rng.below(10)
            );
        }
        let _ = write!(
            self.out,
            r#"<svg class="icon {class}" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false"><path fill="currentColor" d="{d}z"/></svg>"#
        );
    }

    fn head(&mut self, stories: &[Story]) {
        let section = capitalise(self.section);
        let description = self.sentence(14, 24);
        let _ = write!(
            self.out,
            r#"<!DOCTYPE html>
<html lang="en-US" class="no-js"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{section} News — Latest {section} Headlines, page {page} | The Daily Example</title>
<meta name="description" content="{description}"><link rel="canonical" href="https://www.example-news.com/section/{s}/">
<meta property="og:title" content="{section} — The Daily Example"><meta property="og:description" content="{description}"><meta property="og:type" content="website"><meta property="og:url" content="https://www.example-news.com/section/{s}/"><meta property="og:image" content="{CDN}/og/{s}.jpg"><meta property="og:site_name" content="The Daily Example"><meta name="twitter:card" content="summary_large_image"><meta name="twitter:site" content="@dailyexample"><meta name="robots" content="max-image-preview:large">
"#,
            s = self.section,
            page = self.page,
        );
        for host in ["cdn", "static", "ads", "analytics"] {
            let _ = write!(
                self.out,
                r#"<link rel="preconnect" href="https://{host}.example-news.com" crossorigin>"#
            );
        }
        for _ in 0..6 {
            let font = self.hex();
            let _ = write!(
                self.out,
                r#"<link rel="preload" as="font" type="font/woff2" href="/fonts/{font}.woff2" crossorigin>"#
            );
        }
        for _ in 0..4 {
            let css = self.hex();
            let _ = write!(
                self.out,
                r#"<link rel="stylesheet" href="/_next/static/css/{css}.css" data-n-g="">"#
            );
        }
        self.out
            .push_str("\n<style>:root{--font-sans:Inter,system-ui,sans-serif}");
        let end = self.out.len() + 26_000;
        let mut k = 0;
        while self.out.len() < end {
            let display = self.rng.pick(&["flex", "block", "grid", "inline-flex"]);
            let word = self.rng.pick(&WORDS);
            let _ = write!(
                self.out,
                ".c-{w}-{k}{{display:{display};margin:{}px {}px;padding:{}px;color:#{:06x};font:{} {}px/1.{} var(--font-sans)}}",
                self.rng.below(40),
                self.rng.below(40),
                self.rng.below(24),
                self.rng.next() & 0xff_ffff,
                self.rng.pick(&["400", "600", "700"]),
                self.rng.range(12, 28),
                self.rng.range(2, 6),
                w = slug(word),
            );
            if k % 25 == 0 {
                let _ = write!(
                    self.out,
                    "@media (min-width:{}px){{.c-{k}__wide{{grid-template-columns:repeat({},1fr)}}}}",
                    self.rng.range(480, 1280),
                    self.rng.range(2, 4)
                );
            }
            k += 1;
        }
        self.out.push_str("</style>\n<script>");
        self.script(9_000);
        self.out.push_str("</script>\n");
        self.json_ld(stories);
        self.next_data(stories);
        for _ in 0..8 {
            let chunk = self.hex();
            let _ = write!(
                self.out,
                r#"<script defer src="/_next/static/chunks/{chunk}.js"></script>"#
            );
        }
        self.out.push_str("</head>\n");
    }

    /// Pseudo-minified JavaScript of about `bytes` bytes.
    fn script(&mut self, bytes: usize) {
        self.out.push_str(
            "window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}",
        );
        let end = self.out.len() + bytes;
        let mut k = 0;
        while self.out.len() < end {
            let (a, b) = (self.rng.pick(&WORDS), self.rng.pick(&WORDS));
            let _ = write!(
                self.out,
                "!function(e,t){{var n=e.q{k}||[];n.push({{event:\"{a}_{b}\",id:{},ts:{}}});function r{k}(a,b){{return a&&b&&a.length<{}?a.concat(b):null}}e[\"{a}{k}\"]=r{k};t.documentElement.classList.add(\"js-{b}\")}}(window,document);",
                self.rng.next() % 100_000,
                1_700_000_000 + self.rng.next() % 100_000_000,
                self.rng.range(3, 99)
            );
            k += 1;
        }
    }

    fn json_ld(&mut self, stories: &[Story]) {
        self.out.push_str(
            r#"<script type="application/ld+json">{"@context":"https://schema.org","@type":"ItemList","itemListElement":["#,
        );
        for (i, story) in stories.iter().take(CARDS).enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            let _ = write!(
                self.out,
                r#"{{"@type":"ListItem","position":{},"url":"https://www.example-news.com{}","name":"{}","image":"{CDN}/{}/1280.jpg","datePublished":"{}"}}"#,
                i + 1,
                story.path,
                story.headline,
                story.image,
                story.iso
            );
        }
        self.out.push_str("]}</script>\n");
    }

    /// The framework's page state: every story again, with more detail, as JSON.
    fn next_data(&mut self, stories: &[Story]) {
        let build = self.hex();
        let _ = write!(
            self.out,
            r#"<script id="__NEXT_DATA__" type="application/json">{{"props":{{"pageProps":{{"section":{{"slug":"{}","page":{}}},"stories":["#,
            self.section, self.page
        );
        for (i, story) in stories.iter().take(CARDS + 20).enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            let excerpt = self.words(20, 35);
            let credit = self.words(2, 4);
            let _ = write!(
                self.out,
                r#"{{"id":{},"type":"article","headline":"{}","dek":"{}","url":"{}","authors":[{{"name":"{}","slug":"{}"}}],"published":"{}","topic":"{}","tags":["{}","{}","{}"],"image":{{"id":{},"width":1280,"height":720,"alt":"{}","credit":"{}","renditions":["#,
                story.id,
                story.headline,
                story.dek,
                story.path,
                story.author,
                story.author_slug,
                story.iso,
                story.topic,
                story.tags[0],
                story.tags[1],
                story.tags[2],
                story.image,
                story.headline,
                credit,
            );
            for (j, w) in [160, 320, 640, 1280].into_iter().enumerate() {
                if j > 0 {
                    self.out.push(',');
                }
                let _ = write!(
                    self.out,
                    r#"{{"w":{w},"url":"{CDN}/{}/{w}.jpg"}}"#,
                    story.image
                );
            }
            let _ = write!(
                self.out,
                r#"]}},"excerpt":"\u003cp\u003e{excerpt}\u003c/p\u003e","wordCount":{},"minutes":{}}}"#,
                story.minutes * 230,
                story.minutes
            );
        }
        let _ = write!(
            self.out,
            r#"]}}}},"page":"/section/[slug]","query":{{"slug":"{}"}},"buildId":"{build}","isFallback":false,"gssp":true}}</script>"#,
            self.section
        );
        self.out.push('\n');
    }

    fn header(&mut self) {
        let _ = write!(
            self.out,
            r##"<body class="section-page section-{s}"><a class="skip-link" href="#main">Skip to content</a><div id="__next"><header class="site-header" role="banner"><div class="site-header__top"><a class="logo" href="/" aria-label="The Daily Example">"##,
            s = self.section
        );
        self.svg("icon-logo", 90);
        self.out.push_str(
            r#"</a><button class="menu-toggle" type="button" aria-expanded="false" aria-controls="nav">"#,
        );
        self.svg("icon-menu", 8);
        self.out.push_str(r#"<span class="visually-hidden">Menu</span></button><form class="search" action="/search" role="search"><label for="q" class="visually-hidden">Search</label><input id="q" name="q" type="search" placeholder="Search"><button type="submit">Search</button></form><a class="subscribe" href="/subscribe?ref=header">Subscribe</a></div>
<nav id="nav" class="mega-nav" aria-label="Sections"><ul class="mega-nav__list">"#);
        for section in SECTIONS {
            let active = if *section == self.section {
                " is-active"
            } else {
                ""
            };
            let _ = write!(
                self.out,
                r#"<li class="mega-nav__item{active}"><a class="mega-nav__link" href="/section/{section}/">{}</a><div class="mega-nav__panel"><ul class="mega-nav__sub">"#,
                capitalise(section)
            );
            for _ in 0..10 {
                let label = self.words(1, 3);
                let _ = write!(
                    self.out,
                    r#"<li class="mega-nav__subitem"><a href="/section/{section}/{}/" data-track="nav|{section}|{}">{}</a></li>"#,
                    slug(&label),
                    slug(&label),
                    capitalise(&label)
                );
            }
            self.out.push_str("</ul></div></li>");
        }
        self.out.push_str(r#"</ul></nav><div class="trending"><span class="trending__label">Trending</span><ul class="trending__list">"#);
        for _ in 0..8 {
            let label = self.words(2, 5);
            let _ = write!(
                self.out,
                r#"<li><a href="/topic/{}/">{}</a></li>"#,
                slug(&label),
                capitalise(&label)
            );
        }
        self.out.push_str("</ul></div></header>\n");
    }

    fn card(&mut self, k: usize, story: &Story) {
        let variant = self.rng.pick(&["standard", "wide", "compact", "standard"]);
        let alt = self.words(4, 9);
        let _ = write!(
            self.out,
            r#"<article class="card card--{variant}" data-story-id="{id}" data-position="{k}"><div class="card__media"><a href="{path}" tabindex="-1" aria-hidden="true"><picture><source type="image/webp" data-srcset="{CDN}/{img}/320.webp 320w, {CDN}/{img}/640.webp 640w, {CDN}/{img}/1280.webp 1280w" sizes="(max-width: 600px) 100vw, 33vw"><img class="card__img lazyload" src="{PIXEL}" data-src="{CDN}/{img}/640.jpg" data-srcset="{CDN}/{img}/320.jpg 320w, {CDN}/{img}/640.jpg 640w, {CDN}/{img}/1280.jpg 1280w" alt="{alt}" width="640" height="360" loading="lazy" decoding="async"></picture><noscript><img src="{CDN}/{img}/640.jpg" alt="{alt}" width="640" height="360"></noscript></a></div>
<div class="card__body"><span class="card__kicker"><a href="/topic/{topic}/">{kicker}</a></span><h3 class="card__title"><a class="card__link" href="{path}?utm_source=section&amp;utm_medium=river" data-track="river|{k}">{headline}</a></h3><p class="card__dek">{dek}</p><div class="card__meta"><span class="byline">By <a href="/author/{aslug}/" rel="author">{author}</a></span><span class="sep" aria-hidden="true">·</span><time class="card__time" datetime="{iso}">{shown}</time><span class="card__read">{minutes} min read</span></div><ul class="card__tags">"#,
            id = story.id,
            path = story.path,
            img = story.image,
            topic = slug(story.topic),
            kicker = capitalise(story.topic),
            headline = story.headline,
            dek = story.dek,
            aslug = story.author_slug,
            author = story.author,
            iso = story.iso,
            shown = story.shown,
            minutes = story.minutes,
        );
        for tag in story.tags {
            let _ = write!(
                self.out,
                r#"<li class="card__tag"><a href="/tag/{}/">{tag}</a></li>"#,
                slug(tag)
            );
        }
        self.out
            .push_str(r#"</ul><button class="card__save" type="button" aria-label="Save">"#);
        self.svg("icon-bookmark", 6);
        self.out.push_str("</button></div></article>\n");
    }

    fn ad(&mut self, n: usize) {
        let _ = writeln!(
            self.out,
            r#"<div class="ad-slot ad-slot--inline" id="ad-inline-{n}" data-ad-unit="/21775744923/news/{s}/inline{n}" data-sizes="[[300,250],[728,90],[970,250]]"><span class="ad-slot__label">Advertisement</span><script>window.googletag=window.googletag||{{cmd:[]}};googletag.cmd.push(function(){{googletag.defineSlot("/21775744923/news/{s}/inline{n}",[[300,250],[728,90]],"ad-inline-{n}").addService(googletag.pubads());googletag.display("ad-inline-{n}")}});</script></div>"#,
            s = self.section
        );
    }

    fn main_column(&mut self, stories: &[Story]) {
        let intro = self.sentence(12, 20);
        let _ = write!(
            self.out,
            r#"<main id="main" class="section-main"><div class="section-header"><h1 class="section-title">{}</h1><p class="section-intro">{intro}</p><ul class="section-subnav">"#,
            capitalise(self.section)
        );
        for _ in 0..6 {
            let label = self.words(1, 2);
            let _ = write!(
                self.out,
                r#"<li><a href="/section/{}/{}/">{}</a></li>"#,
                self.section,
                slug(&label),
                capitalise(&label)
            );
        }
        let _ = writeln!(
            self.out,
            r#"</ul></div><section class="river" aria-label="Latest {} stories">"#,
            self.section
        );
        for (k, story) in stories.iter().enumerate() {
            if k > 0 && k % 8 == 0 {
                self.ad(k / 8);
            }
            self.card(k, story);
        }
        self.out.push_str(
            r#"</section><nav class="pagination" aria-label="Pagination"><ul class="pagination__list">"#,
        );
        for n in 1..=10 {
            let _ = write!(
                self.out,
                r#"<li><a class="pagination__link" href="/section/{}/page/{n}/">{n}</a></li>"#,
                self.section
            );
        }
        let _ = writeln!(
            self.out,
            r#"</ul><a class="pagination__next" rel="next" href="/section/{}/page/2/">Next page</a></nav></main>"#,
            self.section
        );
    }

    fn rails(&mut self, stories: &[Story]) {
        self.out.push_str(r#"<aside class="rail" aria-label="More stories"><section class="rail__popular"><h2 class="rail__title">Most popular</h2><ol class="popular">"#);
        for (n, story) in stories.iter().take(10).enumerate() {
            let _ = write!(
                self.out,
                r#"<li class="popular__item"><span class="popular__rank">{}</span><a class="popular__link" href="{}"><h4 class="popular__title">{}</h4></a></li>"#,
                n + 1,
                story.path,
                story.headline
            );
        }
        let pitch = self.sentence(10, 18);
        let consent = self.sentence(14, 22);
        let _ = write!(
            self.out,
            r#"</ol></section><section class="rail__newsletter"><h2 class="rail__title">The {s} briefing</h2><p>{pitch}</p><form class="newsletter" action="/newsletters/subscribe" method="post"><input type="email" name="email" required placeholder="Email address" autocomplete="email"><input type="hidden" name="list" value="{s}-daily"><label class="newsletter__consent"><input type="checkbox" name="consent" value="1"> {consent}</label><button class="button button--primary" type="submit">Sign up</button></form></section><section class="rail__video"><h2 class="rail__title">Video</h2><ul class="video-list">"#,
            s = self.section
        );
        for story in stories.iter().skip(10).take(8) {
            let _ = write!(
                self.out,
                r#"<li class="video-list__item"><a href="/video{}"><div class="thumb" style="background-image:url({CDN}/v/{}/320.jpg)"></div><span class="duration">{}:{:02}</span><span class="video-list__title">{}</span></a></li>"#,
                story.path,
                story.image,
                self.rng.range(1, 9),
                self.rng.below(60),
                story.headline
            );
        }
        self.out.push_str("</ul></section></aside>\n");
    }

    /// A "more from" block of links with thumbnails; fills the page to its size.
    fn more_block(&mut self, n: usize) {
        let other = self.rng.pick(SECTIONS);
        let _ = write!(
            self.out,
            r#"<section class="more-from" aria-labelledby="more-{n}"><h2 id="more-{n}" class="more-from__title">More from {}</h2><ul class="more-from__list">"#,
            capitalise(other)
        );
        for _ in 0..12 {
            let headline = capitalise(&self.words(6, 12));
            let id = self.rng.next() >> 28;
            let (month, day) = (self.rng.range(1, 12), self.rng.range(1, 28));
            let _ = write!(
                self.out,
                r#"<li class="more-from__item"><a class="more-from__link" href="/{other}/2025/{month:02}/{day:02}/{}-{id}/"><img class="more-from__img" src="{CDN}/m/{id}/160.jpg" alt="" width="160" height="90" loading="lazy"><span class="more-from__headline">{headline}</span></a><time datetime="2025-{month:02}-{day:02}">{day}/{month}/2025</time></li>"#,
                slug(&headline)
            );
        }
        self.out.push_str("</ul></section>\n");
    }

    fn footer(&mut self) {
        self.out.push_str(
            r#"<footer class="site-footer" role="contentinfo"><div class="site-footer__brand">"#,
        );
        self.svg("icon-logo", 90);
        let about = format!("{} {}", self.sentence(12, 20), self.sentence(12, 20));
        let _ = write!(
            self.out,
            r#"<p>{about}</p></div><div class="site-footer__columns">"#
        );
        for _ in 0..8 {
            let title = capitalise(self.rng.pick(&WORDS));
            let _ = write!(
                self.out,
                r#"<div class="footer-col"><h3 class="footer-col__title">{title}</h3><ul class="footer-col__list">"#
            );
            for _ in 0..34 {
                let label = self.words(1, 3);
                let _ = write!(
                    self.out,
                    r#"<li class="footer-col__item"><a href="/{}/{}/">{}</a></li>"#,
                    slug(&title),
                    slug(&label),
                    capitalise(&label)
                );
            }
            self.out.push_str("</ul></div>");
        }
        self.out.push_str(r#"</div><ul class="social">"#);
        for network in ["x", "facebook", "instagram", "linkedin", "youtube", "rss"] {
            let _ = write!(
                self.out,
                r#"<li><a href="https://social.example/{network}/dailyexample" aria-label="{network}">"#
            );
            self.svg("icon-social", 30);
            self.out.push_str("</a></li>");
        }
        self.out.push_str(r#"</ul><div class="legal">"#);
        for _ in 0..5 {
            let text = self.sentence(20, 40);
            let _ = write!(self.out, "<p>{text}</p>");
        }
        self.out.push_str(
            r#"<p>© 2025 The Daily Example. All rights reserved.</p><ul class="legal__links">"#,
        );
        for label in [
            "Privacy",
            "Terms",
            "Cookies",
            "Accessibility",
            "Contact",
            "Careers",
            "Advertise",
            "Corrections",
        ] {
            let _ = write!(
                self.out,
                r#"<li><a href="/{}/">{label}</a></li>"#,
                label.to_ascii_lowercase()
            );
        }
        self.out.push_str("</ul></div></footer></div>\n<script>");
        self.script(5_000);
        self.out.push_str("</script>\n");
        for _ in 0..8 {
            let chunk = self.hex();
            let _ = write!(
                self.out,
                r#"<script src="/_next/static/chunks/pages/{chunk}.js" async></script>"#
            );
        }
        self.out.push_str("\n</body></html>\n");
    }
}

/// Page `index` of the synthetic workload: ~400 KB, distinct from every other page.
fn synthetic_page(index: usize) -> String {
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

fn describe_workload(pages: &[Arc<[u8]>], took: Duration) {
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

// ---------------------------------------------------------------------------------------
// The corpus (optional, secondary): real saved pages, repeated to 200 feeds.
// ---------------------------------------------------------------------------------------

#[derive(serde::Deserialize)]
struct CorpusFile {
    pages: Vec<CorpusEntry>,
}

#[derive(serde::Deserialize)]
struct CorpusEntry {
    file: String,
    cards: BTreeMap<String, String>,
}

struct Corpus {
    dir: PathBuf,
    bytes: Vec<Arc<[u8]>>,
    entries: Vec<CorpusEntry>,
}

/// `../shared/corpus` from the package root (or from a worktree one level further
/// down), or `$SCRAPEFEED_CORPUS`.
fn corpus_dir() -> Option<PathBuf> {
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

fn load_corpus(dir: &Path) -> Option<Corpus> {
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
fn corpus_fields(cards: &BTreeMap<String, String>) -> Vec<(&'static str, String)> {
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

// ---------------------------------------------------------------------------------------
// The server: minimal HTTP/1.1 on 127.0.0.1, on its own thread.
// ---------------------------------------------------------------------------------------

struct Site {
    pages: Vec<Arc<[u8]>>,
    corpus: Vec<Arc<[u8]>>,
    /// Send an ETag and answer If-None-Match with 304.
    validators: AtomicBool,
}

impl Site {
    /// `/news/section-NNN/` (synthetic) or `/corpus/J/I/` (corpus page J).
    fn route(&self, path: &str) -> Option<(Arc<[u8]>, &'static str, String)> {
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        match parts.as_slice() {
            ["news", page] => {
                let i: usize = page.strip_prefix("section-")?.parse().ok()?;
                Some((
                    self.pages.get(i)?.clone(),
                    "text/html; charset=utf-8",
                    format!("\"s{i}\""),
                ))
            }
            ["corpus", j, _] => {
                let j: usize = j.parse().ok()?;
                Some((
                    self.corpus.get(j)?.clone(),
                    "text/html",
                    format!("\"c{j}\""),
                ))
            }
            _ => None,
        }
    }
}

struct Server {
    addr: SocketAddr,
    thread: std::thread::JoinHandle<()>,
}

impl Server {
    fn start(site: Arc<Site>) -> Server {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        listener.set_nonblocking(true).expect("non-blocking");
        let addr = listener.local_addr().expect("local address");
        let thread = std::thread::Builder::new()
            .name("bench-server".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("server runtime");
                runtime.block_on(async move {
                    let listener =
                        tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                    loop {
                        let Ok((stream, _)) = listener.accept().await else {
                            continue;
                        };
                        let site = site.clone();
                        tokio::spawn(async move {
                            let _ = serve_connection(stream, &site).await;
                        });
                    }
                });
            })
            .expect("server thread");
        Server { addr, thread }
    }

    /// CPU seconds the server thread has used so far.
    fn cpu(&self) -> f64 {
        use std::os::unix::thread::JoinHandleExt;
        let mut clock: libc::clockid_t = 0;
        // SAFETY: the thread runs for the life of the process, so its handle is valid.
        let rc = unsafe { libc::pthread_getcpuclockid(self.thread.as_pthread_t(), &mut clock) };
        assert_eq!(rc, 0, "pthread_getcpuclockid");
        clock_seconds(clock)
    }
}

async fn serve_connection(stream: TcpStream, site: &Site) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let (reader, mut writer) = stream.into_split();
    let mut reader = BufReader::new(reader);
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let mut request = line.split_whitespace();
        let method = request.next().unwrap_or_default().to_owned();
        let path = request.next().unwrap_or_default().to_owned();
        let (mut close, mut if_none_match) = (false, None);
        loop {
            line.clear();
            if reader.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                let value = value.trim();
                if name.eq_ignore_ascii_case("connection") && value.eq_ignore_ascii_case("close") {
                    close = true;
                } else if name.eq_ignore_ascii_case("if-none-match") {
                    if_none_match = Some(value.to_owned());
                }
            }
        }
        let validators = site.validators.load(Ordering::SeqCst);
        let head_only = method == "HEAD";
        match site.route(&path) {
            Some((_, _, etag)) if validators && if_none_match.as_deref() == Some(&etag) => {
                let head = format!("HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\n\r\n");
                writer.write_all(head.as_bytes()).await?;
            }
            Some((body, content_type, etag)) => {
                let etag = if validators {
                    format!("ETag: {etag}\r\n")
                } else {
                    String::new()
                };
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n{etag}\r\n",
                    body.len()
                );
                writer.write_all(head.as_bytes()).await?;
                if !head_only {
                    writer.write_all(&body).await?;
                }
            }
            None => {
                let body = "not found\n";
                let head = format!(
                    "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                );
                writer.write_all(head.as_bytes()).await?;
            }
        }
        writer.flush().await?;
        if close {
            return Ok(());
        }
    }
}

// ---------------------------------------------------------------------------------------
// The configuration and the pass.
// ---------------------------------------------------------------------------------------

struct FeedSpec {
    slug: String,
    url: String,
    items: String,
    fields: Vec<(&'static str, String)>,
}

impl FeedSpec {
    fn synthetic(i: usize, addr: SocketAddr) -> FeedSpec {
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
    fn corpus(i: usize, j: usize, entry: &CorpusEntry, addr: SocketAddr) -> FeedSpec {
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

fn write_config(dir: &Path, feeds: &[FeedSpec]) -> PathBuf {
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

fn context(config_path: &Path) -> Context {
    let config = scrapefeed::config::load(config_path)
        .unwrap_or_else(|e| panic!("the generated feeds.yaml is invalid: {e}"));
    let store = scrapefeed::store::Store::open(&config.settings.state_dir).expect("open store");
    Context::new(Arc::new(config), store).expect("context")
}

/// What one measured pass did and cost.
struct Pass {
    label: &'static str,
    reports: Vec<Report>,
    cpu: f64,
    server_cpu: f64,
    wall: f64,
    /// Peak RSS during the pass minus the RSS just before it, in KiB.
    peak_delta_kib: u64,
    peak_kib: u64,
    hwm_reset: bool,
}

impl Pass {
    fn totals(&self) -> (usize, usize, usize, usize, usize) {
        let (mut ok, mut on_page, mut new, mut written, mut not_modified) = (0, 0, 0, 0, 0);
        for report in &self.reports {
            match &report.result {
                Ok(Outcome::Updated {
                    on_page: p,
                    new: n,
                    written: w,
                    ..
                }) => {
                    ok += 1;
                    on_page += p;
                    new += n;
                    written += w;
                }
                Ok(Outcome::NotModified) => {
                    ok += 1;
                    not_modified += 1;
                }
                Err(_) => {}
            }
        }
        (ok, on_page, new, written, not_modified)
    }

    fn check(&self, feeds: usize, cold: bool) {
        for report in &self.reports {
            if let Err(e) = &report.result {
                panic!("{} pass: feed {} failed: {e}", self.label, report.slug);
            }
        }
        let (ok, on_page, new, _, _) = self.totals();
        assert_eq!(ok, feeds, "{} pass: every feed succeeds", self.label);
        assert_eq!(
            on_page,
            feeds * CARDS,
            "{} pass: every card becomes an item",
            self.label
        );
        if cold {
            assert_eq!(new, feeds * CARDS, "cold pass: every item is new");
        } else {
            assert_eq!(new, 0, "{} pass: nothing is new", self.label);
        }
    }
}

fn measure_pass(
    runtime: &tokio::runtime::Runtime,
    ctx: &Context,
    server: &Server,
    label: &'static str,
) -> Pass {
    trim_heap();
    let hwm_reset = reset_peak_rss();
    let before = memory();
    let (cpu0, server0, started) = (process_cpu(), server.cpu(), Instant::now());
    let reports = runtime.block_on(scrapefeed::pass::run_pass(ctx, &[]));
    let wall = started.elapsed().as_secs_f64();
    let (cpu, server_cpu) = (process_cpu() - cpu0, server.cpu() - server0);
    let after = memory();
    let baseline = if hwm_reset { before.rss } else { before.hwm };
    Pass {
        label,
        reports,
        cpu,
        server_cpu,
        wall,
        peak_delta_kib: after.hwm.saturating_sub(baseline),
        peak_kib: after.hwm,
        hwm_reset,
    }
}

/// A run of the real binary, `scrapefeed run --once`, as a child process.
struct ChildRun {
    label: String,
    cpu: f64,
    server_cpu: f64,
    wall: f64,
    max_rss_kib: u64,
}

/// Runs the binary through a small helper process (this executable, re-run with
/// `--rusage-of`): a child started straight from this large process would inherit its
/// high-water RSS into `ru_maxrss` at exec (Linux keeps the larger of the two).
fn run_child(
    config_path: &Path,
    server: &Server,
    label: &str,
    env: Option<(&str, &str)>,
) -> ChildRun {
    let mut command = std::process::Command::new(std::env::current_exe().expect("own path"));
    command
        .arg("--rusage-of")
        .arg(env!("CARGO_BIN_EXE_scrapefeed"))
        .args(["run", "--once", "--log-level", "warn", "--config"])
        .arg(config_path);
    if let Some((name, value)) = env {
        command.env(name, value);
    }
    let (server0, started) = (server.cpu(), Instant::now());
    let output = command.output().expect("run the helper");
    let wall = started.elapsed().as_secs_f64();
    let text = String::from_utf8_lossy(&output.stdout);
    let numbers: Vec<f64> = text
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    let [cpu, max_rss_kib, code] = numbers[..] else {
        panic!("helper output {text:?}");
    };
    assert!(
        output.status.success() && code == 0.0,
        "scrapefeed run --once ({label}) failed: exit {code}"
    );
    let label = match env {
        Some((name, value)) => format!("{label}, {name}={value}"),
        None => label.to_owned(),
    };
    ChildRun {
        label,
        cpu,
        server_cpu: server.cpu() - server0,
        wall,
        max_rss_kib: max_rss_kib as u64,
    }
}

/// The helper: runs `args` and prints its CPU seconds, peak RSS (KiB) and exit code.
fn rusage_of(args: &[String]) -> ! {
    let child = std::process::Command::new(&args[0])
        .args(&args[1..])
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start the program");
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to overwrite.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our own child's, not yet waited for; both pointers are valid.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert!(pid > 0, "wait4: {}", io::Error::last_os_error());
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    println!(
        "{} {} {code}",
        timeval(usage.ru_utime) + timeval(usage.ru_stime),
        usage.ru_maxrss
    );
    std::process::exit(0)
}

/// The baseline: a plain parse of every page, one thread, CPU seconds of that thread.
#[derive(Clone, Copy)]
struct Bare {
    cpu: f64,
}

fn bare_parse(texts: &[&str], parse: impl Fn(&str)) -> Bare {
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
fn bare_parse_parallel(texts: &[&str], threads: usize) -> f64 {
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
fn breakdown(feeds: &[FeedSpec], texts: &[&str], bare: Bare) {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = scrapefeed::config::load(&write_config(dir.path(), feeds)).expect("config");
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
        let extraction =
            scrapefeed::extract::extract_document(feed, &doc, &page, None).expect("extraction");
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

// ---------------------------------------------------------------------------------------
// Measurement helpers (Linux).
// ---------------------------------------------------------------------------------------

fn timeval(tv: libc::timeval) -> f64 {
    tv.tv_sec as f64 + tv.tv_usec as f64 / 1e6
}

/// User + system CPU seconds of the whole process.
fn process_cpu() -> f64 {
    // SAFETY: an all-zero rusage is a valid value for getrusage to overwrite.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pointer is valid for the call.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    assert_eq!(rc, 0, "getrusage");
    timeval(usage.ru_utime) + timeval(usage.ru_stime)
}

fn clock_seconds(clock: libc::clockid_t) -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: the pointer is valid for the call.
    let rc = unsafe { libc::clock_gettime(clock, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime");
    ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9
}

/// CPU seconds of the calling thread.
fn thread_cpu() -> f64 {
    clock_seconds(libc::CLOCK_THREAD_CPUTIME_ID)
}

struct Memory {
    rss: u64,
    hwm: u64,
}

/// VmRSS and VmHWM of this process, in KiB.
fn memory() -> Memory {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    Memory {
        rss: field("VmRSS:"),
        hwm: field("VmHWM:"),
    }
}

/// Resets VmHWM to the current RSS; false where the kernel does not allow it.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Returns freed heap to the system so one pass's leftovers do not hide the next's peak.
fn trim_heap() {
    // SAFETY: malloc_trim has no preconditions.
    unsafe {
        libc::malloc_trim(0);
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
