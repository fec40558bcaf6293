//! The daemon, `scrapefeed run`, as a child process watched from outside through
//! `/proc` (and `perf stat` where installed): with 10,000 feeds on long schedules (idle
//! RSS, CPU and wake-ups over a minute), and with 10,000 feeds refreshed on a schedule
//! compressed in time (CPU share, and the share that projects to the real schedule).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use crate::server::{Server, Site};

/// What `/proc/PID` says about the whole process at one moment.
#[derive(Clone, Copy)]
struct Sample {
    at: Instant,
    /// utime + stime of the whole thread group (exited threads included), seconds.
    cpu: f64,
    /// Voluntary and involuntary context switches summed over the live threads.
    switches: u64,
    threads: usize,
    rss_kib: u64,
    hwm_kib: u64,
}

fn status_field(status: &str, name: &str) -> u64 {
    status
        .lines()
        .find_map(|l| l.strip_prefix(name))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn sample(pid: u32) -> Sample {
    let at = Instant::now();
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The fields after the command name (which may hold spaces) in parentheses.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    // SAFETY: sysconf has no preconditions.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    let tick = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of stat, 11 and 12 after the name.
    let cpu = (tick(11) + tick(12)) / ticks;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let (mut switches, mut threads) = (0, 0);
    if let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) {
        for task in tasks.flatten() {
            let text = std::fs::read_to_string(task.path().join("status")).unwrap_or_default();
            switches += status_field(&text, "voluntary_ctxt_switches:")
                + status_field(&text, "nonvoluntary_ctxt_switches:");
            threads += 1;
        }
    }
    Sample {
        at,
        cpu,
        switches,
        threads,
        rss_kib: status_field(&status, "VmRSS:"),
        hwm_kib: status_field(&status, "VmHWM:"),
    }
}

fn start_daemon(config: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_scrapefeed"))
        .args(["run", "--log-level", "warn", "--config"])
        .arg(config)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start scrapefeed run")
}

fn stop_daemon(mut child: Child) {
    // SAFETY: the pid is our own child's, not yet waited for.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGTERM);
    }
    let _ = child.wait();
}

/// Waits until the daemon has used under 10 ms of CPU for two seconds in a row (its
/// start-up done); at most `limit`.
fn settle(pid: u32, limit: Duration) -> Sample {
    let started = Instant::now();
    let mut last = sample(pid);
    let mut quiet = 0;
    while started.elapsed() < limit && quiet < 2 {
        std::thread::sleep(Duration::from_secs(1));
        let now = sample(pid);
        quiet = if now.cpu - last.cpu < 0.01 {
            quiet + 1
        } else {
            0
        };
        last = now;
    }
    last
}

/// `perf stat` of the process over `seconds`: task-clock (ms, all threads) and context
/// switches, where perf is installed and allowed; else `None`.
fn perf_stat(pid: u32, seconds: u64) -> Option<(f64, u64)> {
    let output = Command::new("perf")
        .args(["stat", "-x,", "-e", "task-clock,context-switches", "-p"])
        .arg(pid.to_string())
        .args(["--", "sleep"])
        .arg(seconds.to_string())
        .stdout(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stderr);
    let value = |event: &str| {
        text.lines()
            .find(|l| l.contains(event))
            .and_then(|l| l.split(',').next())
            .and_then(|v| v.trim().parse::<f64>().ok())
    };
    Some((value("task-clock")?, value("context-switches")? as u64))
}

/// 10,000 (or `feeds`) feeds configured on a yearly schedule, not run at start: the
/// daemon's cost of merely holding them. Returns whether the targets were met.
pub fn idle(config: &Path, feeds: usize, seconds: u64) -> bool {
    let launched = Instant::now();
    let child = start_daemon(config);
    let pid = child.id();
    let t0 = settle(pid, Duration::from_secs(120));
    let startup = t0.at - launched;
    let perf = perf_stat(pid, seconds);
    if perf.is_none() {
        std::thread::sleep(Duration::from_secs(seconds));
    }
    let t1 = sample(pid);
    stop_daemon(child);
    let window = (t1.at - t0.at).as_secs_f64();
    let cpu = t1.cpu - t0.cpu;
    let wakeups = (t1.switches.saturating_sub(t0.switches)) as f64 / window;
    let rss_mib = t1.rss_kib as f64 / 1024.0;
    println!(
        "\nidle daemon: {feeds} feeds on a yearly schedule, run_at_start false\n  start-up: {:.1} s wall, {:.2} CPU-s; then over {window:.0} s: RSS {rss_mib:.1} MiB (peak {:.1} MiB), CPU {cpu:.2} s ({:.3}% of a core), {} threads, {:.2} context switches/s (all threads, /proc)",
        startup.as_secs_f64(),
        t0.cpu,
        t1.hwm_kib as f64 / 1024.0,
        100.0 * cpu / window,
        t1.threads,
        wakeups
    );
    if let Some((task_ms, switches)) = perf {
        println!(
            "  perf stat over {seconds} s: task-clock {task_ms:.1} ms, {switches} context switches ({:.2}/s)",
            switches as f64 / seconds as f64
        );
    }
    // "No periodic busy wake-ups": at most a few per second, and next to no CPU.
    let ok = rss_mib <= 64.0 && wakeups <= 5.0 && cpu / window <= 0.001;
    println!(
        "  targets: RSS ≤ 64 MiB, no periodic busy wake-ups (≤ 5/s, ≤ 0.1% of a core): {}",
        if ok { "ok" } else { "MISS" }
    );
    ok
}

/// `feeds` feeds on `*/interval` minutes instead of `*/30` — the same load compressed
/// 30/interval times — watched over `minutes`: the CPU share measured, the CPU per
/// refresh (the server counts the requests) and the share it projects to at the real
/// schedule. Returns whether the target was met.
pub fn sustained(
    config: &Path,
    server: &Server,
    site: &Site,
    feeds: usize,
    interval: u64,
    minutes: u64,
) -> bool {
    let child = start_daemon(config);
    let pid = child.id();
    let t0 = settle(pid, Duration::from_secs(120));
    let requests0 = site.requests.load(Ordering::SeqCst);
    let server0 = server.cpu();
    let mut peak_rss = t0.rss_kib;
    let end = t0.at + Duration::from_secs(minutes * 60);
    while Instant::now() < end {
        std::thread::sleep(Duration::from_secs(1));
        peak_rss = peak_rss.max(sample(pid).rss_kib);
    }
    let t1 = sample(pid);
    let requests = site.requests.load(Ordering::SeqCst) - requests0;
    let server_cpu = server.cpu() - server0;
    stop_daemon(child);
    let window = (t1.at - t0.at).as_secs_f64();
    let cpu = t1.cpu - t0.cpu;
    let per_refresh = cpu / requests.max(1) as f64;
    let real_rate = feeds as f64 / 1800.0;
    let projected = per_refresh * real_rate;
    println!(
        "\nsustained: {feeds} feeds every {interval} min (the 30-minute schedule compressed {}x), over {window:.0} s\n  {requests} refreshes ({:.1}/s); daemon CPU {cpu:.2} s = {:.1}% of one core at this rate; {:.2} ms CPU per refresh; RSS peak {:.1} MiB (the server's own CPU, {server_cpu:.2} s, not counted)\n  at the real schedule ({real_rate:.2} refreshes/s): {:.1}% of one core (target ≤ 15%)",
        30 / interval.max(1),
        requests as f64 / window,
        100.0 * cpu / window,
        1e3 * per_refresh,
        peak_rss as f64 / 1024.0,
        100.0 * projected
    );
    let ok = projected <= 0.15 && requests > 0;
    println!("  target: {}", if ok { "ok" } else { "MISS" });
    ok
}
