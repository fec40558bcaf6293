//! What is already at an output path is never trusted (issue 9.7): a symbolic link
//! (to `/dev/zero`, or to a file elsewhere) is never read through or written through
//! but replaced, with a warning; a directory in the way fails that feed with a clear
//! message and writes none of its files, while the other feeds go on.

use std::fs;
use std::os::unix::fs::symlink;
use std::time::{Duration, Instant};

use crate::support::{GRID_FEED_FIELDS, Project, Reply, TestServer, grid_page, harbour_stories};

fn project(server: &TestServer) -> Project {
    let news = server.url("/news/");
    Project::new(&format!(
        "settings:\n  base_url: https://feeds.example.org/\n  timeout: 20s\nfeeds:\n  harbour:\n    url: {news}\n{GRID_FEED_FIELDS}  quay:\n    url: {news}\n{GRID_FEED_FIELDS}"
    ))
}

#[test]
fn an_output_that_is_a_symlink_is_replaced_never_followed() {
    let server = TestServer::start();
    server.set("/news/", Reply::html(grid_page(&harbour_stories())));
    let project = project(&server);
    fs::create_dir_all(project.output("")).unwrap();
    let elsewhere = project.root().join("elsewhere.txt");
    fs::write(&elsewhere, "not a feed").unwrap();
    symlink("/dev/zero", project.output("harbour.xml")).unwrap();
    symlink(&elsewhere, project.output("harbour.atom")).unwrap();
    symlink("/dev/zero", project.output("index.html")).unwrap();

    let started = Instant::now();
    let run = project.run(&["run", "--once"]);
    run.expect_code(0);
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "no endless read"
    );
    for file in ["harbour.xml", "harbour.atom", "index.html"] {
        let meta = fs::symlink_metadata(project.output(file)).unwrap();
        assert!(meta.is_file(), "{file} is now a regular file");
    }
    assert_eq!(project.feed("harbour.xml").entries.len(), 3);
    assert_eq!(
        fs::read_to_string(&elsewhere).unwrap(),
        "not a feed",
        "the target is untouched"
    );
    assert!(
        run.stderr.contains("was a symbolic link (to /dev/zero)")
            && run.stderr.contains("replacing it with a regular file"),
        "{run}"
    );

    // Planted again after a run that changed nothing: still replaced.
    fs::remove_file(project.output("harbour.xml")).unwrap();
    symlink("/dev/zero", project.output("harbour.xml")).unwrap();
    project.run(&["run", "--once"]).expect_code(0);
    assert!(
        fs::symlink_metadata(project.output("harbour.xml"))
            .unwrap()
            .is_file()
    );
    assert_eq!(project.feed("harbour.xml").entries.len(), 3);
}

#[test]
fn a_directory_in_the_way_fails_only_its_feed_and_writes_none_of_its_files() {
    let server = TestServer::start();
    server.set("/news/", Reply::html(grid_page(&harbour_stories())));
    let project = project(&server);
    fs::create_dir_all(project.output("quay.atom")).unwrap();
    let run = project.run(&["run", "--once"]);
    run.expect_code(1);
    let line = run.summary("quay");
    assert!(line.contains("FAILED"), "{run}");
    assert!(
        line.contains("quay.atom") && line.contains("is a directory"),
        "{run}"
    );
    assert!(line.contains("move it away"), "says what to do: {run}");
    assert!(
        !project.output("quay.xml").exists(),
        "no format is written alone"
    );
    assert!(
        run.summary("harbour").contains(" ok "),
        "the other feed goes on\n{run}"
    );
    assert!(project.output("harbour.atom").is_file());
}
