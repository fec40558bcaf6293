//! Detection on pages that are large or deep, through the one-line feed, `suggest`
//! and `preview`: it finishes well within a page's time budget (its work grows with
//! the page, not with its square) and never recurses on the page's nesting.
//!
//! Ten thousand cards linking one story took the old detection over 5 CPU-s in a
//! release build (a scan of every link per card, growing with the square of the
//! cards), far past the budget in the debug build the tests run: so the one-story
//! test fails, as "page too complex", if scoring turns quadratic again (checked by
//! putting the scan back). The 40,000-card figures (release) are in
//! docs/ARCHITECTURE.md.

use crate::support::hostile::{DEEP_TITLE, deep_page};
use crate::support::{Project, Reply, TestServer};

/// Cards with a story each (the debug build's time for them stays well inside the
/// budget on a loaded machine).
const CARDS: usize = 5_000;
/// Cards linking one story.
const SAME_STORY_CARDS: usize = 10_000;

/// List items of one markup: `CARDS` each linking its own story, or
/// `SAME_STORY_CARDS` all linking the same one.
fn many_cards(same_story: bool) -> String {
    let n = if same_story { SAME_STORY_CARDS } else { CARDS };
    let mut cards = String::with_capacity(n * 70);
    for i in 0..n {
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
fn five_thousand_cards_go_through_detection_suggest_and_preview() {
    let server = TestServer::start();
    server.set("/news/", Reply::html(many_cards(false)));
    let project = one_line_project(&server, "/news/");
    let run = project.run(&["run", "--once"]);
    run.expect_code(0);
    let feed = project.feed("big.xml");
    assert_eq!(feed.entries.len(), 50, "max_items of the 5,000 stories");
    assert!(
        feed.entries[0].links[0].href.ends_with("/n/story-0"),
        "{:?}",
        feed.entries[0].links
    );

    let preview = project.run(&["preview", "big"]);
    preview.expect_code(0);
    assert!(
        preview.stdout.contains("5000 item(s) from 5000 card(s)")
            && preview.stdout.contains("detected `li.c`"),
        "{preview}"
    );
    let suggest = project.run(&["suggest", &server.url("/news/")]);
    suggest.expect_code(0);
    assert!(
        suggest.stdout.contains("Best candidate: 5000 card(s)")
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
