//! The command line after `--` (cargo passes `--bench` itself; it is ignored).

use std::path::PathBuf;

use crate::workload::Shape;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    Pass,
    Polite,
    Idle,
    Sustained,
}

pub struct Options {
    scenarios: Vec<Scenario>,
    pub shapes: Vec<Shape>,
    /// Feed counts for the typical (news) pages; other shapes run at 200.
    pub feeds: Vec<usize>,
    pub large: bool,
    pub corpus: bool,
    pub lib: bool,
    pub child: bool,
    /// The bare-parse variants and the single-thread breakdown.
    pub breakdown: bool,
    /// Rounds of measurements; the tables show medians.
    pub runs: usize,
    pub daemon_feeds: usize,
    pub idle_seconds: u64,
    /// The sustained run's schedule, every this many minutes.
    pub sustained_interval: u64,
    pub sustained_minutes: u64,
    /// Write the first typical page here, to look at it.
    pub dump: Option<PathBuf>,
    /// Only serve the typical workload, with a feeds.yaml for it in this directory (for
    /// profiling the binary with external tools).
    pub serve_only: Option<PathBuf>,
    /// The page size `--serve-only` serves (`60k`, `400k`, `3m`).
    pub serve_size: String,
}

fn list<T>(value: Option<String>, what: &str, parse: impl Fn(&str) -> Option<T>) -> Vec<T> {
    let value = value.unwrap_or_else(|| panic!("{what} takes a value"));
    value
        .split(',')
        .map(|v| parse(v.trim()).unwrap_or_else(|| panic!("{what}: cannot read {v:?}")))
        .collect()
}

impl Options {
    pub fn runs_scenario(&self, scenario: Scenario) -> bool {
        self.scenarios.contains(&scenario)
    }

    pub fn from_args() -> Options {
        let mut options = Options {
            scenarios: vec![Scenario::Pass],
            shapes: Shape::ALL.to_vec(),
            feeds: vec![20, 200, 2000],
            large: true,
            corpus: true,
            lib: true,
            child: true,
            breakdown: true,
            runs: 3,
            daemon_feeds: 10_000,
            idle_seconds: 60,
            sustained_interval: 3,
            sustained_minutes: 3,
            dump: None,
            serve_only: None,
            serve_size: "400k".into(),
        };
        let mut args = std::env::args().skip(1);
        let number = |v: Option<String>, what: &str| -> u64 {
            v.and_then(|n| n.parse().ok())
                .filter(|&n| n > 0)
                .unwrap_or_else(|| panic!("{what} takes a positive number"))
        };
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--scenario" => {
                    options.scenarios = list(args.next(), "--scenario", |s| match s {
                        "pass" => Some(vec![Scenario::Pass]),
                        "polite" => Some(vec![Scenario::Polite]),
                        "idle" => Some(vec![Scenario::Idle]),
                        "sustained" => Some(vec![Scenario::Sustained]),
                        "all" => Some(vec![
                            Scenario::Pass,
                            Scenario::Polite,
                            Scenario::Idle,
                            Scenario::Sustained,
                        ]),
                        _ => None,
                    })
                    .concat();
                }
                "--shapes" => options.shapes = list(args.next(), "--shapes", Shape::from_name),
                "--feeds" => options.feeds = list(args.next(), "--feeds", |n| n.parse().ok()),
                "--runs" => options.runs = number(args.next(), "--runs") as usize,
                "--quick" => {
                    options.shapes = vec![Shape::News];
                    options.feeds = vec![200];
                    options.runs = 1;
                    options.large = false;
                    options.corpus = false;
                    options.breakdown = false;
                }
                "--no-large" => options.large = false,
                "--no-corpus" => options.corpus = false,
                "--no-lib" => options.lib = false,
                "--no-child" => options.child = false,
                "--no-breakdown" => options.breakdown = false,
                "--daemon-feeds" | "--idle-feeds" => {
                    options.daemon_feeds = number(args.next(), "--daemon-feeds") as usize;
                }
                "--idle-seconds" => options.idle_seconds = number(args.next(), "--idle-seconds"),
                "--sustained-interval" => {
                    options.sustained_interval = number(args.next(), "--sustained-interval");
                }
                "--sustained-minutes" => {
                    options.sustained_minutes = number(args.next(), "--sustained-minutes");
                }
                "--dump" => options.dump = args.next().map(PathBuf::from),
                "--serve-only" => options.serve_only = args.next().map(PathBuf::from),
                "--serve-size" => {
                    options.serve_size = args.next().expect("--serve-size takes 60k, 400k or 3m");
                }
                _ => {}
            }
        }
        options
    }
}
