//! Detection on pages that are large or deep, through the one-line feed, `suggest`
//! and `preview`: it finishes well within a page's time budget (its work grows with
//! the page, not with its square) and never recurses on the page's nesting.
//!
//! Ten thousand cards linking one story took the old detection over 5 CPU-s in a
//! release build (a scan of every link per card), far past the budget in the debug
//! build the tests run: so these tests fail, as "page too complex", if scoring turns
//! quadratic again. The 40,000-card figures are in docs/ARCHITECTURE.md.

use crate::support::hostile::{DEEP_TITLE, deep_page};
use crate::support::{Project, Reply, TestServer};

const CARDS: usize = 10_000;

/// `CARDS` list items of one markup; each links its own story, or all the same one.
fn many_cards(same_story: bool) -> String {
    let mut cards = String::with_capacity(CARDS * 70);
    for i in 0..CARDS {
        if same_story {
            cards.push_str(
                r#"<li class="c"><a href="/n/story">The same story on the harbour</a></li>"#,
            );
        } else {
            cards.push_str(&format!(
                r#"<li class="c"><a href="/n/story-{i}">Story {i} on the harbour</a></li>"#
            ));
        }
    }
    format!(
        r#"<!DOCTYPE html><html lang="en"><head><title>All the news</title></head><body><main><ul class="list">{cards}</ul></main></body></html>"#
    )
}

fn one_line_project(server: &TestServer, path: &str) -> Project {
    Project::new(&format!(
        "{}  host_delay: 0s\nfeeds:\n  big: {}\n",
        crate::support::settings(),
        server.url(path)
    ))
}

#[test]
fn ten_thousand_cards_go_through_detection_suggest_and_preview() {
    let server = TestServer::start();
    server.set("/news/", Reply::html(many_cards(false)));
    let project = one_line_project(&server, "/news/");
    let run = project.run(&["run", "--once"]);
    run.expect_code(0);
    let feed = project.feed("big.xml");
    assert_eq!(feed.entries.len(), 50, "max_items of the 10,000 stories");
    assert!(
        feed.entries[0].links[0].href.ends_with("/n/story-0"),
        "{:?}",
        feed.entries[0].links
    );

    let preview = project.run(&["preview", "big"]);
    preview.expect_code(0);
    assert!(
        preview.stdout.contains("10000 item(s) from 10000 card(s)")
            && preview.stdout.contains("detected `li.c`"),
        "{preview}"
    );
    let suggest = project.run(&["suggest", &server.url("/news/")]);
    suggest.expect_code(0);
    assert!(
        suggest.stdout.contains("Best candidate: 10000 card(s)")
            && suggest.stdout.contains(r#"items: "li.c""#),
        "{suggest}"
    );
}

#[test]
fn ten_thousand_cards_of_one_story_are_no_article_list() {
    let server = TestServer::start();
    server.set("/news/", Reply::html(many_cards(true)));
    let project = one_line_project(&server, "/news/");
    let run = project.run(&["run", "--once"]);
    run.expect_code(1);
    assert!(
        run.summary("big").contains("no article list found on")
            && !run.stdout.contains("too complex"),
        "{run}"
    );
    let preview = project.run(&["preview", "big"]);
    preview.expect_code(0);
    assert!(preview.stdout.contains("unsure:"), "{preview}");
    let suggest = project.run(&["suggest", &server.url("/news/")]);
    suggest.expect_code(0);
    assert!(
        suggest.stdout.contains("Best candidate: 10000 card(s)")
            && suggest.stdout.contains("unsure"),
        "{suggest}"
    );
}

#[test]
fn a_page_nested_100000_deep_is_previewed_as_a_one_line_feed() {
    let server = TestServer::start();
    server.set("/deep/", Reply::html(deep_page()));
    let project = one_line_project(&server, "/deep/");
    project.run(&["run", "--once"]).expect_code(0);
    // preview of the one-line feed: the remembered detection, read again.
    let preview = project.run(&["preview", "big", "--long"]);
    preview.expect_code(0);
    assert!(
        preview.stdout.contains(DEEP_TITLE) && preview.stdout.contains("detected `"),
        "{preview}"
    );
    // and of the page itself: detection from scratch.
    let fresh = project.run(&["preview", &server.url("/deep/")]);
    fresh.expect_code(0);
    assert!(fresh.stdout.contains(DEEP_TITLE), "{fresh}");
}
