//! Crash safety: `run --once` killed with SIGKILL at many moments (starting up,
//! fetching, parsing, merging, writing) never leaves a partial feed file or a store
//! that will not open, and the next normal run succeeds and cleans up.

use std::fs;
use std::time::{Duration, Instant};

use scrapefeed::store::Store;

use crate::support::{Card, GRID_FEED_FIELDS, Project, Reply, TestServer, grid_page, parse_feed};

/// Every feed file in output/ parses completely; returns how many there are.
#[track_caller]
fn feed_files_are_complete(project: &Project) -> usize {
    let mut complete = 0;
    for name in project.output_files() {
        let path = project.output(&name);
        let ending = match name.rsplit('.').next() {
            Some("xml") if !name.starts_with('.') => "</rss>\n",
            Some("atom") if !name.starts_with('.') => "</feed>\n",
            _ => continue,
        };
        parse_feed(&path);
        let bytes = fs::read(&path).expect("read feed");
        assert!(
            bytes.ends_with(ending.as_bytes()),
            "{name} is cut short:\n{}",
            String::from_utf8_lossy(&bytes)
        );
        complete += 1;
    }
    complete
}

fn temp_files(project: &Project) -> Vec<String> {
    project
        .output_files()
        .into_iter()
        .filter(|name| name.contains(".scrapefeed-tmp"))
        .collect()
}

#[test]
fn a_killed_run_leaves_old_or_new_files_and_a_store_that_opens() {
    let server = TestServer::start();
    let project = Project::new(&format!(
        "settings:\n  base_url: https://feeds.example.org/\nfeeds:\n  harbour:\n    url: {}\n{GRID_FEED_FIELDS}",
        server.url("/news/")
    ));
    let mut cards: Vec<Card> = (0..6)
        .map(|n| {
            Card::new(
                &format!("story-{n}"),
                &format!("Harbour story number {n}"),
                Some(&format!("2024-11-0{}T10:00:00Z", n + 1)),
            )
        })
        .collect();

    // A slow page, so that a run spends a while in every phase.
    let serve = |cards: &[Card]| {
        let page = Reply::html(grid_page(cards))
            .delay(Duration::from_millis(20))
            .trickle(512, Duration::from_millis(5));
        server.set("/news/", page);
    };
    // The kills are spread over the length of one whole run on this machine (measured
    // from the normal runs), from before it starts fetching to after it has finished.
    serve(&cards);
    let started = Instant::now();
    project.run(&["run", "--once"]).expect_code(0);
    let mut whole_run = started.elapsed();

    // Where each kill landed, for the record (it varies with the machine's load).
    let mut phases = Vec::new();
    for moment in 0..12u32 {
        // A new story each time, so every run that gets far enough has files to write.
        cards.insert(
            0,
            Card::new(
                &format!("late-{moment}"),
                &format!("Late story {moment}"),
                None,
            ),
        );
        serve(&cards);

        let spawned = Instant::now();
        let mut child = project.spawn(&["run", "--once"]);
        std::thread::sleep(whole_run * moment / 10);
        let finished_first = child.try_wait().expect("poll the run").is_some();
        child.kill().expect("SIGKILL the run");
        child.wait().expect("reap the killed run");

        let store = Store::open(&project.state_dir())
            .unwrap_or_else(|e| panic!("after a kill at moment {moment}: {e}"));
        store.entries("harbour", 100).expect("the store reads");
        drop(store);
        feed_files_are_complete(&project);
        let fetched = server.requests_to("/news/").iter().any(|r| r.at >= spawned);
        let written = project.output("harbour.xml").exists()
            && project.feed("harbour.xml").entries.len() == cards.len();
        phases.push(match (finished_first, fetched, written) {
            (true, ..) => "finished",
            (false, false, _) => "before fetch",
            (false, true, false) => "fetch or merge",
            (false, true, true) => "after writing",
        });

        let started = Instant::now();
        let run = project.run(&["run", "--once"]);
        whole_run = started.elapsed();
        run.expect_code(0);
        assert_eq!(
            feed_files_are_complete(&project),
            2,
            "both files exist after a normal run\n{run}"
        );
        assert!(
            temp_files(&project).is_empty(),
            "temporary files are cleaned up: {:?}",
            temp_files(&project)
        );
        for file in ["harbour.xml", "harbour.atom"] {
            assert_eq!(
                project.feed(file).entries.len(),
                cards.len(),
                "{file} has every story after moment {moment}"
            );
        }
    }
    eprintln!("kills landed: {phases:?}");
}
