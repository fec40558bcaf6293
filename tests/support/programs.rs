//! Programs some tests drive as a user would: Debian's `newsboat` (a real feed reader)
//! and `chromium` (a real browser).
//!
//! On a developer machine without them, those tests are skipped with a loud message.
//! CI installs both (`.ci/run`) and sets `SCRAPEFEED_REQUIRE_PROGRAMS=1`, which turns a
//! missing program into a failure, so a green CI run means the tests ran.

use std::path::PathBuf;
use std::process::{Child, Output};
use std::time::{Duration, Instant};

/// The variable that makes a missing program a failure.
pub const REQUIRE: &str = "SCRAPEFEED_REQUIRE_PROGRAMS";

/// The program `name` on PATH; `None` (after saying so) when it is not installed and
/// not required.
pub fn find(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|path| path.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var_os(REQUIRE).is_none_or(|v| v != "1"),
            "{name} is required ({REQUIRE}=1) but not on PATH: apt-get install -y {name}"
        );
        eprintln!(
            "\n*** SKIPPED: `{name}` is not installed (apt-get install -y {name}); {REQUIRE}=1 makes this a failure ***\n"
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
