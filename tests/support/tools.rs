//! Independent programs some tests use as real clients (newsboat, chromium).
//!
//! On a developer's machine a missing program skips the part of the test that needs
//! it, saying so; in CI (`CI` set, as `.ci/run` runs) it is an error, because
//! `.ci/run` installs them.

use std::path::PathBuf;
use std::process::{Child, Output};
use std::time::{Duration, Instant};

/// The program's path on `PATH`, or `None` (outside CI) when it is not installed.
#[track_caller]
pub fn program(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|path| path.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "`{name}` is not installed; .ci/run installs it (apt-get install -y {name})"
        );
        eprintln!(
            "\n*** SKIPPED: `{name}` is not installed (apt-get install -y {name}); the part of this test that uses it did not run ***\n"
        );
    }
    found
}

/// Waits for `child` at most `limit`, then kills it; its output either way.
pub fn finish_within(mut child: Child, limit: Duration, what: &str) -> Output {
    let deadline = Instant::now() + limit;
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let output = child.wait_with_output().expect("output");
            panic!(
                "{what} did not finish within {limit:?}\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Where tests leave files for people to look at: `target/test-artifacts/`.
pub fn artifacts() -> PathBuf {
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target folder")
        .join("test-artifacts");
    std::fs::create_dir_all(&target).expect("create target/test-artifacts");
    target
}
