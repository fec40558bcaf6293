//! Reading `status --json` back: the whole report, and one feed's row of it.

use serde_json::Value;

use super::project::{Project, Run};

/// Runs `status --json`; the run (for its exit status) and the parsed report.
#[track_caller]
pub fn status_json(project: &Project) -> (Run, Value) {
    let run = project.run(&["status", "--json"]);
    let report: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("status --json prints JSON: {e}\n{run}"));
    (run, report)
}

/// The row of `feed` in a `status --json` report.
#[track_caller]
pub fn feed_row<'a>(report: &'a Value, feed: &str) -> &'a Value {
    report["feeds"]
        .as_array()
        .unwrap_or_else(|| panic!("`feeds` is an array in {report:#}"))
        .iter()
        .find(|r| r["feed"] == feed)
        .unwrap_or_else(|| panic!("no row for `{feed}` in {report:#}"))
}
