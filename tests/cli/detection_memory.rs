//! A feed given as a bare URL: its cards are detected on the first run, the choice is
//! remembered, kept while it still matches (so items do not churn when another list
//! appears on the page), and made again once it stops matching (a redesign).

use crate::support::{
    Card, Project, Reply, TestServer, feed_row, grid_page, redesigned_page, status_json,
};

fn stories(prefix: &str, n: usize) -> Vec<Card> {
    (0..n)
        .map(|i| {
            Card::new(
                &format!("{prefix}-{i}"),
                &format!("{prefix} story number {i} about the harbour"),
                Some("2025-01-10T08:00:00Z"),
            )
        })
        .collect()
}

/// The grid page with a second, bigger list of links appended in its own section.
fn with_second_list(page: &str, n: usize) -> String {
    let mut list = String::from(r#"<section class="archive"><ul class="archive-list">"#);
    for i in 0..n {
        list.push_str(&format!(
            r#"<li class="archive-entry"><a href="/archive/2025/01/entry-{i}/">Archive entry number {i} with a long headline</a></li>"#
        ));
    }
    list.push_str("</ul></section>");
    page.replace("</main>", &format!("{list}</main>"))
}

fn titles(project: &Project) -> Vec<String> {
    project
        .feed("harbour.xml")
        .entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.clone())
        .collect()
}

#[test]
fn detected_cards_are_remembered_until_they_stop_matching() {
    let server = TestServer::start();
    let first = stories("grid", 6);
    server.set("/news/", Reply::html(grid_page(&first)));
    let project = Project::new(&format!(
        "settings:\n  base_url: https://feeds.example.org/\n  host_delay: 0s\nfeeds:\n  harbour: {}\n",
        server.url("/news/")
    ));
    let check = project.run(&["check"]);
    check.expect_code(0);
    assert!(
        check.stdout.contains("find their cards automatically"),
        "{check}"
    );

    project.run(&["run", "--once"]).expect_code(0);
    assert_eq!(titles(&project).len(), 6);
    let (_, status) = status_json(&project);
    let cards_from = feed_row(&status, "harbour")["cards_from"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        cards_from.starts_with("detected `") && cards_from.contains("confidence"),
        "{status:#}"
    );
    let preview = project.run(&["preview", "harbour"]);
    assert!(
        preview.stdout.contains("detected `") && preview.stdout.contains("confidence"),
        "{preview}"
    );

    // A bigger list appears beside the grid: the remembered grid still matches, so the
    // feed keeps reading it instead of jumping to the new list.
    server.set(
        "/news/",
        Reply::html(with_second_list(&grid_page(&first), 30)),
    );
    project.run(&["run", "--once"]).expect_code(0);
    let kept = titles(&project);
    assert_eq!(kept.len(), 6, "{kept:?}");
    assert!(kept.iter().all(|t| t.starts_with("grid story")), "{kept:?}");

    // The grid is redesigned away: detection runs again and finds the new cards.
    let second = stories("teaser", 5);
    server.set("/news/", Reply::html(redesigned_page(&second)));
    let run = project.run(&["run", "--once"]);
    run.expect_code(0);
    let after = titles(&project);
    assert!(
        after
            .iter()
            .filter(|t| t.starts_with("teaser story"))
            .count()
            == 5,
        "{after:?}\n{run}"
    );
}

#[test]
fn suggest_prints_a_valid_entry_a_preview_and_alternatives() {
    let server = TestServer::start();
    server.set(
        "/news/",
        Reply::html(with_second_list(&grid_page(&stories("grid", 8)), 4)),
    );
    let project = Project::new("feeds:\n  unused: https://example.org/\n");
    let run = project.run(&["suggest", &server.url("/news/")]);
    run.expect_code(0);
    let out = &run.stdout;
    assert!(
        out.contains("Best candidate: 8 card(s)") && out.contains("confidence"),
        "{out}"
    );
    // The entry: from the line naming the feed to the blank line after it.
    let entry: String = out
        .lines()
        .skip_while(|l| !l.starts_with("  news:"))
        .take_while(|l| !l.trim().is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(entry.contains("    items: "), "{out}");
    let config = scrapefeed::config::parse(
        &format!("feeds:\n{entry}"),
        std::path::Path::new("suggested.yaml"),
    )
    .unwrap_or_else(|e| panic!("the suggested entry is valid feeds.yaml: {e}\n{entry}"));
    assert!(config.feeds[0].items.is_some(), "selectors are explicit");
    assert!(
        out.contains("grid story number 0 about the harbour"),
        "the preview shows items\n{out}"
    );
    assert!(out.contains("Other candidates:"), "{out}");
}

#[test]
fn a_configuration_change_keeps_the_detection_unless_the_page_changes() {
    use scrapefeed::store::Store;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let page = "https://harbour.example/news/";
    store
        .forget_config_state("harbour", "fingerprint-1", page)
        .unwrap();
    store
        .merge(&scrapefeed::store::Merge {
            slug: "harbour",
            items: &[],
            now: chrono::Utc::now(),
            keep: std::time::Duration::from_secs(86_400),
            max_items: 10,
            max_history: 100,
            fingerprint: "fingerprint-1",
            url: page,
            cards: 6,
            meta: "",
            detected: Some(r#"{"kind":"structured","source":"json-ld"}"#),
        })
        .unwrap();
    assert!(store.feed("harbour").unwrap().detected.is_some());

    // A new title (another fingerprint) drops the validators, not the detection.
    assert!(
        store
            .forget_config_state("harbour", "fingerprint-2", page)
            .unwrap()
    );
    let record = store.feed("harbour").unwrap();
    assert!(
        record.detected.is_some(),
        "detection is about the page, which did not change"
    );
    assert_eq!(record.fingerprint, "fingerprint-2");

    // Another page does drop it.
    let other = "https://harbour.example/sport/";
    assert!(
        store
            .forget_config_state("harbour", "fingerprint-3", other)
            .unwrap()
    );
    assert!(store.feed("harbour").unwrap().detected.is_none());
    assert!(
        !store
            .forget_config_state("harbour", "fingerprint-3", other)
            .unwrap()
    );
}
