//! One `run --once` workload — N feeds over pages of one shape, or over the corpus pages
//! — measured in rounds: the bare parse of the same bytes, the library's pass in this
//! process (cold, steady and, for generated pages, with ETags: priming and all-304) and
//! the real binary's passes (cold and steady), each row held to its target.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use tokio::runtime::Runtime;

use crate::baseline::{Bare, bare_parse};
use crate::child::run_child;
use crate::in_process::{context, measure_pass};
use crate::server::{Server, Site};
use crate::table::{Row, Target};
use crate::workload::feeds::{FeedSpec, Settings, write_config};

/// One workload: its feeds and the text of the pages they read.
pub struct Workload<'a> {
    pub name: String,
    pub specs: Vec<FeedSpec>,
    /// The text of each distinct page, and how many feeds read it.
    pub texts: Vec<(&'a str, usize)>,
    pub bytes: usize,
    /// Every feed must succeed with this many items (known for generated pages).
    pub cards: Option<usize>,
    pub cold: Option<Target>,
    pub steady: Option<Target>,
    pub settings: Settings,
}

impl Workload<'_> {
    /// The bare parse of every feed's page: each distinct page parsed once, its CPU
    /// counted as often as feeds read it.
    fn bare(&self) -> Bare {
        let cpu = self
            .texts
            .iter()
            .map(|&(text, feeds)| {
                let one = bare_parse(&[text], |t| {
                    std::hint::black_box(scraper::Html::parse_document(t));
                });
                one.cpu * feeds as f64
            })
            .sum();
        Bare { cpu }
    }
}

/// Which passes a round runs.
#[derive(Clone, Copy)]
pub struct Runs {
    pub lib: bool,
    pub child: bool,
}

/// One round of measurements of `workload`.
pub fn round(
    runtime: &Runtime,
    server: &Server,
    site: &Arc<Site>,
    workload: &Workload,
    runs: Runs,
) -> Vec<Row> {
    let bare = workload.bare();
    let feeds = workload.specs.len();
    let mb = workload.bytes as f64 / 1e6;
    let mut rows = Vec::new();
    if runs.lib {
        let dir = tempfile::tempdir().expect("temp dir");
        let config_path = write_config(dir.path(), &workload.specs, &workload.settings);
        let ctx = context(&config_path);
        let mut passes = vec![
            measure_pass(runtime, &ctx, server, "cold"),
            measure_pass(runtime, &ctx, server, "steady"),
        ];
        match workload.cards {
            Some(cards) => {
                passes[0].check(feeds, cards, true);
                passes[1].check(feeds, cards, false);
                site.validators.store(true, Ordering::SeqCst);
                passes.push(measure_pass(runtime, &ctx, server, "etag-prime"));
                passes[2].check(feeds, cards, false);
                passes.push(measure_pass(runtime, &ctx, server, "304"));
                site.validators.store(false, Ordering::SeqCst);
            }
            None => {
                for report in &passes[0].reports {
                    if let Err(e) = &report.result {
                        println!("  {} failed: {e}", report.slug);
                    }
                }
            }
        }
        drop(ctx);
        rows.extend(
            passes
                .iter()
                .map(|pass| Row::in_process(&workload.name, pass, mb, bare)),
        );
    }
    if runs.child {
        let dir = tempfile::tempdir().expect("temp dir");
        let config_path = write_config(dir.path(), &workload.specs, &workload.settings);
        for (label, target) in [("cold", workload.cold), ("steady", workload.steady)] {
            let run = run_child(&config_path, label);
            let row = Row::child(&workload.name, &run, feeds, mb, bare);
            rows.push(match target {
                Some(t) => row.with_target(t),
                None => row,
            });
        }
    }
    rows
}
