//! What a one-line feed does when detection is unsure, and pages that have feeds of
//! their own. Below the confidence floor a one-line feed publishes nothing: it fails
//! with "no article list found …; try `scrapefeed suggest URL`" and keeps its last
//! good files, while `preview` shows the guess marked unsure. A page that declares
//! its own RSS/Atom/JSON feed is told first by `suggest` and `preview`.

use crate::support::{
    Project, Reply, TestServer, aged_snapshot, grid_page, harbour_stories, snapshot,
};

/// A page with no article list: a short text and a footer of thirty topic links
/// (the shape detection used to publish at confidence 0.00).
fn footer_page() -> String {
    let topics = [
        "Council",
        "Harbour",
        "Rail",
        "Hospital",
        "Museum",
        "Theatre",
        "Schools",
        "Police",
        "Weather",
        "Traffic",
        "Sport",
        "Culture",
        "Business",
        "Politics",
        "Travel",
        "Cars",
        "Science",
        "Families",
        "Health",
        "Housing",
        "Jobs",
        "Adverts",
        "Obituaries",
        "Letters",
        "Podcasts",
        "Video",
        "Photos",
        "Newsletters",
        "Archive",
        "Events",
    ];
    let links: String = topics
        .iter()
        .map(|t| {
            format!(
                r#"<li><a href="/{}/">{t} from the region</a></li>"#,
                t.to_lowercase()
            )
        })
        .collect();
    format!(
        r#"<!DOCTYPE html><html lang="en"><head><title>About us | The Harbour Ledger</title></head>
<body><header><a href="/">The Harbour Ledger</a></header>
<main><h1>About us</h1><p>We have written about the harbour since 1921, from a newsroom on the quay.</p></main>
<footer><h2>Topics</h2><ul class="footer-links">{links}</ul></footer></body></html>"#
    )
}

#[test]
fn an_unsure_detection_fails_the_feed_and_keeps_its_files() {
    let server = TestServer::start();
    server.set("/news/", Reply::html(grid_page(&harbour_stories())));
    let project = Project::new(&format!(
        "settings:\n  base_url: https://feeds.example.org/\n  host_delay: 0s\nfeeds:\n  harbour: {}\n",
        server.url("/news/")
    ));
    project.run(&["run", "--once"]).expect_code(0);
    let before = aged_snapshot(&project.output("harbour.xml"));

    server.set("/news/", Reply::html(footer_page()));
    let run = project.run(&["run", "--once"]);
    run.expect_code(1);
    let url = server.url("/news/");
    assert!(
        run.stdout
            .contains(&format!("no article list found on {url}"))
            && run
                .stdout
                .contains(&format!("try `scrapefeed suggest {url}`"))
            && run.stdout.contains("ul.footer-links > li")
            && run.stdout.contains("previous files kept"),
        "{run}"
    );
    let after = snapshot(&project.output("harbour.xml"));
    assert_eq!(before.bytes, after.bytes, "the last good feed is kept");
    assert_eq!(before.modified, after.modified, "and not rewritten");

    // preview shows the guess, marked unsure, and succeeds.
    let preview = project.run(&["preview", "harbour"]);
    preview.expect_code(0);
    assert!(preview.stdout.contains("unsure:"), "{preview}");
    assert!(
        preview.stdout.contains("Council from the region"),
        "{preview}"
    );
    let json = project.run(&["preview", "harbour", "--json"]);
    json.expect_code(0);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON preview");
    assert_eq!(report["unsure"], true, "{report:#}");
    assert_eq!(report["items"].as_array().map(Vec::len), Some(30));

    // suggest says the same: a guess, not published as it stands.
    let suggest = project.run(&["suggest", &url]);
    suggest.expect_code(0);
    assert!(
        suggest
            .stdout
            .contains("unsure: a one-line feed does not publish this guess"),
        "{suggest}"
    );

    // A confident page publishes again.
    server.set("/news/", Reply::html(grid_page(&harbour_stories())));
    project.run(&["run", "--once"]).expect_code(0);
    let preview = project.run(&["preview", "harbour"]);
    assert!(!preview.stdout.contains("unsure"), "{preview}");
}

#[test]
fn a_fresh_one_line_feed_on_a_page_without_a_list_writes_nothing() {
    let server = TestServer::start();
    server.set("/about/", Reply::html(footer_page()));
    let project = Project::new(&format!(
        "settings:\n  base_url: https://feeds.example.org/\n  host_delay: 0s\nfeeds:\n  about: {}\n",
        server.url("/about/")
    ));
    let run = project.run(&["run", "--once"]);
    run.expect_code(1);
    assert!(run.stdout.contains("no article list found on"), "{run}");
    assert!(
        !project.output("about.xml").exists(),
        "{:?}",
        project.output_files()
    );
}

#[test]
fn suggest_and_preview_name_the_pages_own_feeds_first() {
    let server = TestServer::start();
    let page = grid_page(&harbour_stories()).replace(
        "</head>",
        r#"<link rel="alternate" type="application/rss+xml" title="Harbour Ledger news" href="/news/rss.xml">
<link rel="alternate" type="application/feed+json" href="https://cdn.harbour.example/news.json"></head>"#,
    );
    server.set("/news/", Reply::html(page));
    let url = server.url("/news/");
    let project = Project::new(&format!(
        "settings:\n  base_url: https://feeds.example.org/\n  host_delay: 0s\nfeeds:\n  news: {url}\n"
    ));

    let suggest = project.run(&["suggest", &url]);
    suggest.expect_code(0);
    let first = suggest
        .stdout
        .lines()
        .take(3)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        first.contains("declares its own feed")
            && first.contains(&format!(
                "RSS: {} (Harbour Ledger news)",
                server.url("/news/rss.xml")
            ))
            && first.contains("JSON Feed: https://cdn.harbour.example/news.json"),
        "{suggest}"
    );
    // The entry is still offered.
    assert!(suggest.stdout.contains("items: "), "{suggest}");

    let preview = project.run(&["preview", &url]);
    preview.expect_code(0);
    assert!(
        preview
            .stdout
            .starts_with("The page declares its own feed(s)"),
        "{preview}"
    );
    let json = project.run(&["preview", &url, "--json"]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON preview");
    assert_eq!(
        report["page_feeds"][0]["url"].as_str(),
        Some(server.url("/news/rss.xml").as_str()),
        "{report:#}"
    );
    assert_eq!(
        report["page_feeds"][1]["format"].as_str(),
        Some("JSON Feed")
    );
}
