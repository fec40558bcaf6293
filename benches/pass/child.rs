//! The same pass by the real binary, `scrapefeed run --once`, as a child process whose
//! CPU and peak RSS come from `wait4`: the production figure for the memory budget,
//! free of the workload and the server this process also holds.

use std::io;
use std::path::Path;
use std::time::Instant;

use crate::measure::timeval;

/// A run of the real binary, `scrapefeed run --once`, as a child process.
pub struct ChildRun {
    pub label: String,
    pub user: f64,
    pub system: f64,
    pub wall: f64,
    pub max_rss_kib: u64,
}

/// Runs the binary through a small helper process (this executable, re-run with
/// `--rusage-of`): a child started straight from this large process would inherit its
/// high-water RSS into `ru_maxrss` at exec (Linux keeps the larger of the two).
pub fn run_child(config_path: &Path, label: &str) -> ChildRun {
    let mut command = std::process::Command::new(std::env::current_exe().expect("own path"));
    command
        .arg("--rusage-of")
        .arg(env!("CARGO_BIN_EXE_scrapefeed"))
        .args(["run", "--once", "--log-level", "warn", "--config"])
        .arg(config_path);
    let started = Instant::now();
    let output = command.output().expect("run the helper");
    let wall = started.elapsed().as_secs_f64();
    let text = String::from_utf8_lossy(&output.stdout);
    let numbers: Vec<f64> = text
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    let [user, system, max_rss_kib, code] = numbers[..] else {
        panic!("helper output {text:?}");
    };
    assert!(
        output.status.success() && code == 0.0,
        "scrapefeed run --once ({label}) failed: exit {code}"
    );
    let label = label.to_owned();
    ChildRun {
        label,
        user,
        system,
        wall,
        max_rss_kib: max_rss_kib as u64,
    }
}

/// The helper: runs `args` and prints its user and system CPU seconds, peak RSS (KiB)
/// and exit code.
pub fn rusage_of(args: &[String]) -> ! {
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
        "{} {} {} {code}",
        timeval(usage.ru_utime),
        timeval(usage.ru_stime),
        usage.ru_maxrss
    );
    std::process::exit(0)
}
