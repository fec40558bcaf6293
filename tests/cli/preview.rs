//! `preview` shows what a feed would get, written nowhere: a table by default, every
//! field with `--long` (author, image, summary) and `--json` (all items), and for a
//! saved page, links resolved against the URL it came from (`--url`, or its canonical
//! link) — like `suggest`.

use serde_json::Value;

use crate::support::{Card, GRID_FEED_FIELDS, Project, Reply, TestServer, grid_page};

fn cards(n: usize) -> Vec<Card> {
    (0..n)
        .map(|i| {
            Card::new(
                &format!("story-{i}"),
                &format!("Harbour story number {i} about the tides"),
                Some(&format!("2024-11-{:02}T10:00:00Z", i + 1)),
            )
        })
        .collect()
}

fn json(run: &crate::support::Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("preview --json: {e}\n{run}"))
}

#[test]
fn long_and_json_show_authors_images_and_summaries() {
    let server = TestServer::start();
    server.set("/news/", Reply::html(grid_page(&cards(25))));
    let project = Project::new(&format!(
        "feeds:\n  harbour:\n    url: {}\n{GRID_FEED_FIELDS}",
        server.url("/news/")
    ));
    let table = project.run(&["preview", "harbour"]);
    table.expect_code(0);
    assert!(table.stdout.contains("… and 5 more"), "{table}");
    assert!(
        table.stdout.contains("--long"),
        "says there is more to see\n{table}"
    );

    let long = project.run(&["preview", "harbour", "--long", "--limit", "2"]);
    long.expect_code(0);
    let first = long
        .stdout
        .split("\n\n")
        .nth(1)
        .unwrap_or_else(|| panic!("an item block\n{long}"));
    assert!(first.contains("Harbour story number 0"), "{long}");
    assert!(first.contains("author   Desk Editor"), "{long}");
    assert!(
        first.contains(&format!("image    {}", server.url("/media/story-0.jpg"))),
        "{long}"
    );
    assert!(
        first.contains("summary  About Harbour story number 0"),
        "{long}"
    );

    let all = project.run(&["preview", "harbour", "--json"]);
    all.expect_code(0);
    let report = json(&all);
    let items = report["items"].as_array().expect("items");
    assert_eq!(items.len(), 25, "--json has every item, not --limit's");
    assert_eq!(report["cards_from"], "article.story-card");
    let item = &items[0];
    assert_eq!(item["author"], "Desk Editor", "{item:#}");
    assert_eq!(item["date"], "2024-11-01T10:00:00Z", "{item:#}");
    assert_eq!(item["summary_html"], false, "{item:#}");
    assert_eq!(
        item["id"],
        server.url("/news/story-0/"),
        "tracking parameters and fragments are not identity: {item:#}"
    );
    assert!(project.output_files().is_empty(), "preview writes nothing");
    assert!(!project.state_dir().exists(), "nor a store");
}

#[test]
fn a_saved_page_resolves_its_links_against_where_it_came_from() {
    let project = Project::new("feeds:\n  harbour:\n    url: https://harbour.example/news/\n");
    let page = grid_page(&cards(6)).replace(
        "<head>",
        r#"<head><link rel="canonical" href="https://harbour.example/news/">"#,
    );
    let saved = project.root().join("saved.html");
    std::fs::write(&saved, page).expect("save the page");
    let saved = saved.display().to_string();

    let canonical = project.run(&["preview", &saved, "--json"]);
    canonical.expect_code(0);
    let report = json(&canonical);
    assert_eq!(report["url"], "https://harbour.example/news/", "{report:#}");
    assert_eq!(
        report["items"][0]["id"],
        "https://harbour.example/news/story-0/"
    );

    let mirrored = project.run(&[
        "preview",
        &saved,
        "--json",
        "--url",
        "https://mirror.example/a/",
    ]);
    mirrored.expect_code(0);
    let report = json(&mirrored);
    assert_eq!(
        report["items"][0]["id"],
        "https://mirror.example/news/story-0/"
    );
    assert_eq!(
        report["items"][0]["image"],
        "https://mirror.example/media/story-0.jpg"
    );

    let refused = project.run(&["preview", "harbour", "--url", "https://mirror.example/a/"]);
    refused.expect_code(1);
    assert!(
        refused.stderr.contains("--url is for a saved page"),
        "{refused}"
    );
}

#[test]
fn a_misspelt_feed_name_is_answered_with_the_feed_meant() {
    let project = Project::new("feeds:\n  harbour: https://harbour.example/news/\n");
    let misspelt = project.run(&["preview", "harbor"]);
    assert_ne!(misspelt.code, Some(0), "{misspelt}");
    assert!(
        misspelt.stderr.contains("did you mean the feed `harbour`?"),
        "{misspelt}"
    );
    let unrelated = project.run(&["preview", "weather"]);
    assert!(!unrelated.stderr.contains("did you mean"), "{unrelated}");
}
