//! A failed or interrupted write is never hidden by later 304s: when the files could not
//! be written (a full disk) or the process died after storing the page but before
//! writing (a crash), the failure shows, the old files stay whole, and the next refresh
//! writes the new items — even though the server would answer it with 304 — instead of
//! "not modified, nothing to do" forever.

use std::fs;

use scrapefeed::store::Store;

use crate::support::disk::Disk;
use crate::support::feed::titles;
use crate::support::{
    Card, GRID_FEED_FIELDS, Project, Reply, TestServer, feed_row, grid_page, snapshot, status_json,
};

fn stories(n: usize) -> Vec<Card> {
    (0..n)
        .map(|i| {
            Card::new(
                &format!("story-{i}"),
                &format!("Harbour story number {i}"),
                Some(&format!("2024-11-{:02}T10:00:00Z", i + 1)),
            )
        })
        .collect()
}

fn project(server: &TestServer) -> Project {
    Project::new(&format!(
        "settings:\n  base_url: https://feeds.example.org/\nfeeds:\n  harbour:\n    url: {}\n{GRID_FEED_FIELDS}",
        server.url("/news/")
    ))
}

/// The If-None-Match header of the latest request for the page.
fn last_condition(server: &TestServer) -> Option<String> {
    server
        .requests_to("/news/")
        .last()
        .and_then(|r| r.header("If-None-Match").map(str::to_owned))
}

#[test]
fn a_full_disk_is_a_failure_and_the_next_refresh_writes_despite_a_304() {
    let server = TestServer::start();
    server.set("/news/", Reply::html(grid_page(&stories(2))).with_etag());
    let project = project(&server);
    let disk = Disk::small(&project.root().join("output"), 64);
    project.run(&["run", "--once"]).expect_code(0);
    let before = snapshot(&project.output("harbour.xml"));

    // New stories, and no room on the disk for them.
    let page = Reply::html(grid_page(&stories(3))).with_etag();
    let etag = page.etag_value();
    server.set("/news/", page);
    disk.fill();
    let failed = project.run(&["run", "--once"]);
    failed.expect_code(1);
    let line = failed.summary("harbour");
    assert!(
        line.contains("FAILED") && line.contains("harbour.xml"),
        "the failed write is a failure naming the file\n{failed}"
    );
    if disk.is_tmpfs() {
        assert!(line.contains("No space left on device"), "{failed}");
    }
    assert!(line.contains("previous files kept"), "{failed}");
    assert_eq!(
        snapshot(&project.output("harbour.xml")),
        before,
        "the old file is whole"
    );
    let (_, report) = status_json(&project);
    let row = feed_row(&report, "harbour");
    assert_eq!(row["consecutive_failures"], 1, "status shows it\n{row:#}");
    assert_eq!(row["healthy"], false, "{row:#}");

    // Room again. The page is unchanged since the failed run, so a request carrying
    // its ETag would get a 304: the refresh must write the new stories instead.
    disk.free();
    let fixed = project.run(&["run", "--once"]);
    fixed.expect_code(0);
    assert!(
        !fixed.summary("harbour").contains("not modified"),
        "{fixed}"
    );
    assert_ne!(
        last_condition(&server).as_deref(),
        Some(etag.as_str()),
        "the validators of a page whose files were never written are not sent"
    );
    for file in ["harbour.xml", "harbour.atom"] {
        assert_eq!(
            project.feed(file).entries.len(),
            3,
            "{file} has every story"
        );
    }

    // Now the files show the page: its ETag is used, and a 304 is the answer.
    let quiet = project.run(&["run", "--once"]);
    assert!(
        quiet
            .expect_code(0)
            .summary("harbour")
            .contains("not modified"),
        "{quiet}"
    );
    assert_eq!(last_condition(&server).as_deref(), Some(etag.as_str()));
    drop(disk);
}

#[test]
fn a_crash_between_storing_and_writing_is_repaired_despite_a_304() {
    let server = TestServer::start();
    server.set("/news/", Reply::html(grid_page(&stories(2))).with_etag());
    let project = project(&server);
    project.run(&["run", "--once"]).expect_code(0);
    let old_rss = fs::read(project.output("harbour.xml")).expect("the first feed");
    let stored = || {
        Store::open_read_only(&project.state_dir())
            .expect("the store reads")
            .store
            .feed("harbour")
            .expect("the feed's record")
            .digest
    };
    let first_digest = stored();
    let old_atom = fs::read(project.output("harbour.atom")).expect("the first feed");

    // A crash right after the next run stored the new page, before it wrote the files,
    // leaves the store with the new page's digest, the old `published` digest, and the
    // files as they were. (Nothing in the write path blocks — an output that is a FIFO
    // is replaced, not read — so the crash cannot be staged by stalling the process
    // there: the run completes, and the state it would have left is put back into the
    // real store.) The new page's ETag stays stored, so a conditional request would
    // get a 304: the repair must not make one.
    server.set("/news/", Reply::html(grid_page(&stories(3))).with_etag());
    project.run(&["run", "--once"]).expect_code(0);
    assert_ne!(stored(), first_digest, "the new page was stored");
    let db = rusqlite::Connection::open(project.state_dir().join("scrapefeed.sqlite"))
        .expect("open the store");
    db.execute(
        "UPDATE feeds SET published = ?1 WHERE slug = 'harbour'",
        [first_digest.as_deref()],
    )
    .expect("the state a crash leaves");
    drop(db);
    fs::write(project.output("harbour.xml"), &old_rss).expect("the old RSS file as it was");
    fs::write(project.output("harbour.atom"), &old_atom).expect("the old Atom file as it was");

    let repaired = project.run(&["run", "--once"]);
    repaired.expect_code(0);
    assert!(
        !repaired.summary("harbour").contains("not modified"),
        "the store is ahead of the files: the page is fetched in full\n{repaired}"
    );
    for file in ["harbour.xml", "harbour.atom"] {
        assert_eq!(
            titles(&project.feed(file)).len(),
            3,
            "{file} has the story stored before the crash"
        );
    }
}
