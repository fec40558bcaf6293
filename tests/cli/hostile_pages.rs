//! Hostile pages cannot crash or stall a pass: markup nested 100,000 deep goes
//! through every path (selectors, detection, `html: true`, `preview`, `suggest`) and
//! gives valid feeds; a page with too many elements, or one that would take longer
//! than a page's time budget, fails alone as "page too complex", keeps its last good
//! files, and the other feeds of the pass are updated.

use crate::support::feed::titles;
use crate::support::hostile::{
    DEEP_TITLE, SLOW_FIELDS, crowded_page, deep_page, slow_page, stories,
};
use crate::support::{
    Card, GRID_FEED_FIELDS, Project, Reply, TestServer, aged_snapshot, grid_page,
};

/// The `fields` of a feed reading the grid's summary as HTML.
const HTML_SUMMARY_FIELDS: &str = r#"    items: article.story-card
    fields:
      title: h3
      summary: { select: p.story-card__dek, html: true }
"#;

fn feed(name: &str, url: &str, fields: &str) -> String {
    format!("  {name}:\n    url: {url}\n{fields}")
}

fn project(feeds: &[String]) -> Project {
    Project::new(&format!(
        "{}feeds:\n{}",
        crate::support::settings(),
        feeds.concat()
    ))
}

#[test]
fn pages_nested_100000_deep_go_through_every_path() {
    let server = TestServer::start();
    server.set("/deep/", Reply::html(deep_page()));
    let url = server.url("/deep/");
    let project = project(&[
        feed("selectors", &url, GRID_FEED_FIELDS),
        feed("html-summary", &url, HTML_SUMMARY_FIELDS),
        format!("  detected: {url}\n"),
    ]);
    let run = project.run(&["run", "--once"]);
    run.expect_code(0);
    let stories = stories();
    let mut expected = vec![DEEP_TITLE];
    expected.extend(stories.iter().map(|c| c.title.as_str()));
    for name in ["selectors", "html-summary", "detected"] {
        for file in [format!("{name}.xml"), format!("{name}.atom")] {
            let feed = project.feed(&file);
            assert_eq!(titles(&feed), expected, "{file}\n{run}");
        }
    }
    let summaries = project.feed("html-summary.atom");
    let deep = summaries.entries[0].summary.as_ref().expect("a summary");
    assert!(
        deep.content.contains("Water reached the town hall steps."),
        "{}",
        deep.content
    );

    let preview = project.run(&["preview", "selectors"]);
    preview.expect_code(0);
    assert!(preview.stdout.contains(DEEP_TITLE), "{preview}");
    let suggest = project.run(&["suggest", &url]);
    suggest.expect_code(0);
    assert!(
        suggest.stdout.contains("items:") && suggest.stdout.contains(DEEP_TITLE),
        "{suggest}"
    );
}

/// After a good first run, `/hostile/` serves `page` (read with `fields`): the feed
/// must fail with `expected` in its summary line and keep its files; `steady` on the
/// same pass gets its new story.
fn fails_alone_keeping_its_files(page: String, fields: &str, expected: &str) {
    let server = TestServer::start();
    server.set("/hostile/", Reply::html(grid_page(&stories())));
    server.set("/steady/", Reply::html(grid_page(&stories())));
    let project = project(&[
        feed("hostile", &server.url("/hostile/"), fields),
        feed("steady", &server.url("/steady/"), GRID_FEED_FIELDS),
    ]);
    project.run(&["run", "--once"]).expect_code(0);
    let before: Vec<_> = ["hostile.xml", "hostile.atom"]
        .iter()
        .map(|f| aged_snapshot(&project.output(f)))
        .collect();

    server.set("/hostile/", Reply::html(page));
    let mut more = stories();
    more.insert(
        0,
        Card::new(
            "new-pier",
            "Work starts on the new pier",
            Some("2025-03-05T08:00:00Z"),
        ),
    );
    server.set("/steady/", Reply::html(grid_page(&more)));
    let run = project.run(&["run", "--once"]);
    run.expect_code(1);
    let line = run.summary("hostile");
    assert!(line.contains(expected), "{line}\n{run}");
    for (file, before) in ["hostile.xml", "hostile.atom"].iter().zip(&before) {
        assert_eq!(
            &crate::support::snapshot(&project.output(file)),
            before,
            "{file} is untouched"
        );
    }
    assert!(run.summary("steady").contains("ok"), "{run}");
    assert_eq!(
        titles(&project.feed("steady.atom"))[0],
        "Work starts on the new pier"
    );
}

#[test]
fn a_page_with_too_many_elements_fails_as_too_complex() {
    fails_alone_keeping_its_files(
        crowded_page(510_000),
        GRID_FEED_FIELDS,
        "page too complex: more than 500000 elements",
    );
}

#[test]
fn work_past_the_page_time_budget_fails_as_too_complex() {
    // The run limit of `Project::run` catches a budget that does not stop the work.
    fails_alone_keeping_its_files(
        slow_page(),
        SLOW_FIELDS,
        "page too complex: parsing and extracting took more than 10s of CPU time",
    );
}
