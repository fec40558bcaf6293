//! Independent programs some tests use as real clients (newsboat, …).
//!
//! On a developer's machine a missing program skips the part of the test that needs
//! it, saying so; in CI (`CI` set, as `.ci/run` runs) it is an error, because
//! `.ci/run` installs them.

use std::path::PathBuf;

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
        eprintln!("note: `{name}` is not installed; skipping the part of this test that uses it");
    }
    found
}
