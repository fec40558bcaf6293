//! Quiet output: a feed whose items did not change is not rewritten (its bytes and mtime
//! stay, so web servers' validators keep working); a change rewrites it.

use crate::support::{
    Card, GRID_FEED_FIELDS, Project, Reply, TestServer, aged_snapshot, grid_page, next_second,
    snapshot,
};

#[test]
fn an_unchanged_page_rewrites_nothing_and_a_changed_page_rewrites_the_files() {
    let server = TestServer::start();
    let mut cards = vec![
        Card::new(
            "tide-gauge",
            "New tide gauge installed at the pier",
            Some("2024-11-20T10:00:00Z"),
        ),
        Card::new(
            "lighthouse",
            "Lighthouse open for visits this weekend",
            None,
        ),
    ];
    server.set("/news/", Reply::html(grid_page(&cards)));
    let project = Project::new(&format!(
        "settings:\n  base_url: https://feeds.example.org/\nfeeds:\n  harbour:\n    url: {}\n{GRID_FEED_FIELDS}",
        server.url("/news/")
    ));
    project.run(&["run", "--once"]).expect_code(0);
    let files = [
        project.output("harbour.xml"),
        project.output("harbour.atom"),
    ];
    let before: Vec<_> = files.iter().map(|f| aged_snapshot(f)).collect();

    next_second();
    let run = project.run(&["run", "--once"]);
    run.expect_code(0);
    assert!(run.summary("harbour").contains("unchanged"), "{run}");
    let after: Vec<_> = files.iter().map(|f| snapshot(f)).collect();
    assert!(
        before == after,
        "unchanged feeds keep their bytes and mtime\n{run}"
    );

    cards.insert(
        0,
        Card::new(
            "dredging",
            "Dredging of the inner basin begins",
            Some("2024-11-21T06:30:00Z"),
        ),
    );
    server.set("/news/", Reply::html(grid_page(&cards)));
    let run = project.run(&["run", "--once"]);
    run.expect_code(0);
    assert!(
        run.summary("harbour").contains("2 file(s) written"),
        "{run}"
    );
    for (file, old) in files.iter().zip(&before) {
        let new = snapshot(file);
        assert_ne!(new.bytes, old.bytes, "{} has the new item", file.display());
        assert!(
            new.modified > old.modified,
            "{} was rewritten",
            file.display()
        );
    }
    assert_eq!(project.feed("harbour.atom").entries.len(), 3);
    assert_eq!(
        project.output_files(),
        ["feeds.opml", "harbour.atom", "harbour.xml", "index.html"],
        "no temporary files are left"
    );
}
