//! A pass of the library (`scrapefeed::pass::run_pass`) measured inside this process:
//! its CPU from `getrusage` (the server thread's taken out later), its peak memory as
//! VmHWM above the RSS just before it, and the checks that it did what the workload
//! expects of it.

use std::time::Instant;

use scrapefeed::refresh::{Context, Outcome, Report};

use crate::measure::{memory, process_cpu, reset_peak_rss, trim_heap};
use crate::server::Server;
use crate::workload::CARDS;

/// What one measured pass did and cost.
pub struct Pass {
    pub label: &'static str,
    pub reports: Vec<Report>,
    pub cpu: f64,
    pub server_cpu: f64,
    pub wall: f64,
    /// Peak RSS during the pass minus the RSS just before it, in KiB.
    pub peak_delta_kib: u64,
    pub peak_kib: u64,
    pub hwm_reset: bool,
}

impl Pass {
    pub fn totals(&self) -> (usize, usize, usize, usize, usize) {
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
                    written += w.len();
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

    pub fn check(&self, feeds: usize, cold: bool) {
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

pub fn measure_pass(
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
