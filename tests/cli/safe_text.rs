//! Every published string is safe, valid XML: titles, authors and channel texts are
//! plain text (markup in them, even read with `html: true`, is reduced to its text),
//! control characters from the page or from feeds.yaml never reach a file, a
//! non-http `<base href>` is ignored, over-long fields are cut to documented caps,
//! links lose their tracking parameters, and a trailing "Read more" link is no part
//! of a summary.

use crate::support::feed::{authors, link, title, titles};
use crate::support::{Card, GRID_FEED_FIELDS, Project, Reply, TestServer, grid_page};

fn project(server: &TestServer, page: String, entry: &str) -> Project {
    server.set("/news/", Reply::html(page));
    Project::new(&format!(
        "{}feeds:\n  harbour:\n    url: {}\n{entry}",
        crate::support::settings(),
        server.url("/news/")
    ))
}

/// Both files, read back; each must parse, and neither may hold a character XML
/// forbids.
fn files(project: &Project) -> Vec<(String, feed_rs::model::Feed)> {
    ["harbour.xml", "harbour.atom"]
        .iter()
        .map(|file| {
            let text = std::fs::read_to_string(project.output(file)).expect("the file exists");
            let forbidden: Vec<char> = text
                .chars()
                .filter(|&c| c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
                .collect();
            assert!(forbidden.is_empty(), "{file} holds {forbidden:?}");
            (text, project.feed(file))
        })
        .collect()
}

fn story(title: &str) -> Card {
    Card::new("storm", title, Some("2025-03-04T08:00:00Z"))
}

#[test]
fn markup_in_titles_and_authors_is_published_as_its_text() {
    let server = TestServer::start();
    let mut card = story(r#"<b>Harbour</b> reopens<img src=x onerror="alert(1)">"#);
    card.author = "Jane\u{1} <em>Doe</em>".into();
    let project = project(
        &server,
        grid_page(&[card]),
        r#"    items: article.story-card
    fields:
      title: { select: h3, html: true }
      author: { select: .byline, html: true }
      summary: { select: p.story-card__dek, html: true }
"#,
    );
    project.run(&["run", "--once"]).expect_code(0);
    for (text, feed) in files(&project) {
        assert_eq!(titles(&feed), ["Harbour reopens"]);
        assert_eq!(authors(&feed.entries[0]), ["Jane Doe"]);
        assert!(!text.contains("onerror"), "{text}");
        let summary = feed.entries[0]
            .summary
            .as_ref()
            .map(|s| s.content.clone())
            .or_else(|| {
                feed.entries[0]
                    .content
                    .as_ref()
                    .and_then(|c| c.body.clone())
            })
            .expect("a summary");
        assert!(
            summary.contains("<b>Harbour</b>"),
            "summaries keep markup: {summary}"
        );
    }
}

#[test]
fn control_characters_from_the_page_or_feeds_yaml_never_reach_the_files() {
    let server = TestServer::start();
    let mut card = story("Tide\u{1}s turn\u{b}");
    card.author = "Desk Editor".into();
    let project = project(
        &server,
        grid_page(&[card]).replace("About Tide", "About\u{c} Tide"),
        r#"    title: "Harbour\x01 Ledger"
    description: "Daily\x0b news"
    items: article.story-card
    fields:
      title: h3
      summary: p.story-card__dek
      author: { select: .byline, replace: { pattern: "Editor", with: "Editor\x02" } }
"#,
    );
    let run = project.run(&["run", "--once"]);
    run.expect_code(0);
    for (_, feed) in files(&project) {
        assert_eq!(
            feed.title.as_ref().unwrap().content,
            "Harbour Ledger",
            "{run}"
        );
        assert_eq!(titles(&feed), ["Tides turn"]);
        assert_eq!(authors(&feed.entries[0]), ["Desk Editor"]);
    }
    let rss = project.feed("harbour.xml");
    assert_eq!(rss.description.unwrap().content, "Daily news");
}

#[test]
fn the_page_title_reaches_the_channel_as_text() {
    let server = TestServer::start();
    let page = grid_page(&[story("Storm surge floods the lower town")]).replace(
        "<title>News | The Harbour Ledger</title>",
        "<title>Harbour <b>News</b> &amp; Views<script>alert(1)</script></title>",
    );
    let project = project(&server, page, GRID_FEED_FIELDS);
    project.run(&["run", "--once"]).expect_code(0);
    for (text, feed) in files(&project) {
        assert_eq!(feed.title.unwrap().content, "Harbour News & Views");
        assert!(
            !text.contains("&lt;b&gt;") && !text.contains("alert"),
            "{text}"
        );
    }
    let rss = project.feed("harbour.xml");
    assert!(
        rss.description
            .unwrap()
            .content
            .starts_with("Harbour News & Views — articles from")
    );
}

#[test]
fn a_base_href_that_is_not_http_is_ignored() {
    for base in ["file:///etc/", "javascript:alert(1)//", "data:text/html,x/"] {
        let server = TestServer::start();
        let page = grid_page(&[story("Storm surge floods the lower town")])
            .replace("<head>", &format!("<head><base href=\"{base}\">"));
        let project = project(&server, page, GRID_FEED_FIELDS);
        let run = project.run(&["run", "--once"]);
        run.expect_code(0);
        for (_, feed) in files(&project) {
            let href = link(&feed.entries[0]);
            assert!(
                href.starts_with(&server.url("/news/storm/")),
                "<base href={base:?}>: {href}\n{run}"
            );
        }
    }
}

#[test]
fn over_long_fields_are_cut_to_their_caps() {
    let server = TestServer::start();
    let mut card = story(&"word ".repeat(400_000));
    card.author = "Name ".repeat(10_000);
    let project = project(
        &server,
        grid_page(&[card]),
        &format!("    summary_length: 0\n{GRID_FEED_FIELDS}"),
    );
    project.run(&["run", "--once"]).expect_code(0);
    for (text, feed) in files(&project) {
        let entry = &feed.entries[0];
        assert!(
            title(entry).chars().count() <= 1_001,
            "titles: 1,000 characters"
        );
        assert!(title(entry).ends_with('…'));
        assert!(
            authors(entry)[0].chars().count() <= 201,
            "authors: 200 characters"
        );
        assert!(
            text.len() < 200_000,
            "summaries: 50,000 characters; the file is {} bytes",
            text.len()
        );
    }
}

#[test]
fn published_links_lose_their_tracking_parameters() {
    let server = TestServer::start();
    let page = grid_page(&[story("Storm surge floods the lower town")]).replace(
        "/news/storm/?utm_source=section#top",
        "/news/storm/?id=7&utm_campaign=spring&fbclid=abc#intcid=inline_amp",
    );
    let project = project(&server, page, GRID_FEED_FIELDS);
    project.run(&["run", "--once"]).expect_code(0);
    for (_, feed) in files(&project) {
        assert_eq!(link(&feed.entries[0]), server.url("/news/storm/?id=7"));
    }
}

#[test]
fn a_trailing_read_more_link_is_no_part_of_the_summary() {
    let server = TestServer::start();
    let mut cards = [
        story("Storm surge floods the lower town"),
        Card::new(
            "ferry",
            "Ferry strike called off",
            Some("2025-03-03T08:00:00Z"),
        ),
    ];
    for card in &mut cards {
        card.image = false;
    }
    let page = grid_page(&cards)
        .replace(
            "About Storm surge floods the lower town.",
            "Water reached the town hall. <a href=\"/news/storm/\">Read more »</a>",
        )
        .replace(
            "About Ferry strike called off.",
            "Die Fähren fahren wieder. <a href=\"/news/ferry/\">Weiterlesen</a>",
        );
    let project = project(&server, page, GRID_FEED_FIELDS);
    project.run(&["run", "--once"]).expect_code(0);
    let rss = project.feed("harbour.xml");
    let summaries: Vec<String> = rss
        .entries
        .iter()
        .map(|e| e.summary.as_ref().expect("a summary").content.clone())
        .collect();
    assert_eq!(
        summaries,
        [
            "<p>Water reached the town hall.</p>",
            "<p>Die Fähren fahren wieder.</p>"
        ]
    );
}
