//! The pass table: one row per measured pass (in process, or by the binary), medians
//! over the rounds, the ratio to the bare parse and the marks of missed targets.

use crate::baseline::Bare;
use crate::child::ChildRun;
use crate::in_process::Pass;

/// What a row is held to: a CPU ratio against the bare parse, or absolute CPU seconds;
/// and a peak memory.
#[derive(Clone, Copy)]
pub struct Target {
    pub ratio: Option<f64>,
    pub cpu_seconds: Option<f64>,
    pub peak_mib: f64,
}

pub struct Row {
    pub workload: String,
    pub run: String,
    pub feeds: usize,
    pub mb: f64,
    /// User and system CPU; `None` for in-process rows, whose process also holds the
    /// server (its thread's CPU is known only as a total).
    pub user_system: Option<(f64, f64)>,
    /// The pass's own CPU: in process, the process's minus the server thread's; for the
    /// binary, the child's (the server is not in it).
    pub net_cpu: f64,
    pub wall: f64,
    pub bare: f64,
    pub peak_mib: f64,
    pub peak_note: &'static str,
    pub target: Option<Target>,
}

impl Row {
    pub fn in_process(workload: &str, pass: &Pass, mb: f64, bare: Bare) -> Row {
        let (_, on_page, new, written, not_modified) = pass.totals();
        Row {
            workload: workload.to_owned(),
            run: format!(
                "lib {} (items {on_page}, new {new}, files {written}, 304s {not_modified})",
                pass.label
            ),
            feeds: pass.reports.len(),
            mb,
            user_system: None,
            net_cpu: pass.user + pass.system - pass.server_cpu,
            wall: pass.wall,
            bare: bare.cpu,
            peak_mib: pass.peak_delta_kib as f64 / 1024.0,
            peak_note: if pass.hwm_reset {
                "VmHWM-RSS0"
            } else {
                "VmHWM-HWM0"
            },
            target: None,
        }
    }

    pub fn child(workload: &str, run: &ChildRun, feeds: usize, mb: f64, bare: Bare) -> Row {
        Row {
            workload: workload.to_owned(),
            run: format!("bin run --once {}", run.label),
            feeds,
            mb,
            user_system: Some((run.user, run.system)),
            net_cpu: run.user + run.system,
            wall: run.wall,
            bare: bare.cpu,
            peak_mib: run.max_rss_kib as f64 / 1024.0,
            peak_note: "ru_maxrss",
            target: None,
        }
    }

    pub fn with_target(mut self, target: Target) -> Row {
        self.target = Some(target);
        self
    }

    fn ratio(&self) -> f64 {
        self.net_cpu / self.bare
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Prints the medians over the rounds (row by row), with the range of the ratio, and
/// returns how many targets were missed.
pub fn print_table(rounds: &[Vec<Row>]) -> usize {
    println!(
        "\n{:<16} {:<56} {:>5} {:>6} {:>6} {:>6} {:>6} {:>7} {:>6} {:>17} {:>7} {:>8}",
        "workload",
        "run",
        "feeds",
        "MB",
        "user-s",
        "sys-s",
        "net-s",
        "wall-s",
        "bare-s",
        "ratio (min-max)",
        "peakMiB",
        "target"
    );
    let mut misses = 0;
    for (i, row) in rounds[0].iter().enumerate() {
        let all: Vec<&Row> = rounds.iter().map(|r| &r[i]).collect();
        let med = |f: fn(&Row) -> f64| median(all.iter().map(|r| f(r)).collect());
        let ratios: Vec<f64> = all.iter().map(|r| r.ratio()).collect();
        let ratio = median(ratios.clone());
        let (lo, hi) = ratios
            .iter()
            .fold((f64::MAX, f64::MIN), |(lo, hi), &r| (lo.min(r), hi.max(r)));
        let (net, peak) = (med(|r| r.net_cpu), med(|r| r.peak_mib));
        let (user, system) = match row.user_system {
            Some(_) => (
                format!("{:.3}", med(|r| r.user_system.map_or(0.0, |u| u.0))),
                format!("{:.3}", med(|r| r.user_system.map_or(0.0, |u| u.1))),
            ),
            None => ("-".to_owned(), "-".to_owned()),
        };
        let verdict = row.target.map(|t| {
            let cpu_ok =
                t.ratio.is_none_or(|r| ratio <= r) && t.cpu_seconds.is_none_or(|c| net <= c);
            let ok = cpu_ok && peak <= t.peak_mib;
            misses += usize::from(!ok);
            let cpu = match (t.ratio, t.cpu_seconds) {
                (Some(r), _) => format!("≤{r}x"),
                (None, Some(c)) => format!("≤{c}s"),
                (None, None) => String::new(),
            };
            format!(
                "{cpu},≤{}MiB {}",
                t.peak_mib,
                if ok { "ok" } else { "MISS" }
            )
        });
        println!(
            "{:<16} {:<56} {:>5} {:>6.1} {:>6} {:>6} {:>6.3} {:>7.3} {:>6.3} {:>5.2} ({:.2}-{:.2}) {:>7.1} {} [{}]",
            row.workload,
            row.run,
            row.feeds,
            row.mb,
            user,
            system,
            net,
            med(|r| r.wall),
            med(|r| r.bare),
            ratio,
            lo,
            hi,
            peak,
            verdict.unwrap_or_default(),
            row.peak_note
        );
    }
    println!(
        "medians of {} rounds; net-s = the pass's own CPU (user+system; in process minus the server thread); ratio = net-s / bare-s (bare: scraper::Html::parse_document of the same pages, one thread)",
        rounds.len()
    );
    misses
}
