//! The three formats tell one story: JSON Feed 1.1 has what its spec requires, and
//! RSS, Atom and JSON Feed carry exactly the same items, ids, dates, images and
//! authors. A page date without a time is that day in every format, in the feed's
//! time zone (issue 10.1), and Atom never repeats the title as a summary (10.8).

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde_json::Value;

use crate::support::feed::{authors, ids, image, link};
use crate::support::{Card, GRID_FEED_FIELDS, Project, Reply, TestServer, grid_page};

/// Stories in the shapes pages come in: full times, date-only dates (several on one
/// day), no date, with and without image, summary and author.
fn cards() -> Vec<Card> {
    let mut cards = vec![
        Card::new(
            "gauge",
            "Tide gauge installed",
            Some("2019-09-05T10:15:00Z"),
        ),
        Card::new("ferry", "Ferry timetable changes", Some("2019-09-05")),
        Card::new("quay", "Quay repairs finished", Some("2019-09-05")),
        Card::new("basin", "Basin dredging begins", Some("2019-09-05")),
        Card::new("light", "Lighthouse open for visits", Some("2019-09-04")),
        Card::new("fair", "Harbour fair this weekend", None),
    ];
    cards[1].image = false;
    cards[2].author = String::new();
    cards
}

fn project(server: &TestServer, timezone: &str) -> Project {
    Project::new(&format!(
        "settings:\n  base_url: https://feeds.example.org/\n  timeout: 20s\nfeeds:\n  harbour:\n    url: {}\n    timezone: {timezone}\n    formats: [rss, atom, json]\n{GRID_FEED_FIELDS}",
        server.url("/news/")
    ))
}

fn json(project: &Project) -> Value {
    let text = std::fs::read_to_string(project.output("harbour.json")).expect("harbour.json");
    serde_json::from_str(&text).expect("harbour.json is JSON")
}

#[test]
fn json_feed_has_what_the_spec_requires() {
    let server = TestServer::start();
    server.set("/news/", Reply::html(grid_page(&cards())));
    let project = project(&server, "UTC");
    project.run(&["run", "--once"]).expect_code(0);
    let feed = json(&project);
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(feed["title"], "News | The Harbour Ledger");
    assert_eq!(feed["home_page_url"], server.url("/news/"));
    assert_eq!(feed["feed_url"], "https://feeds.example.org/harbour.json");
    assert!(feed.get("hubs").is_none(), "no hub configured");
    let items = feed["items"].as_array().expect("items is an array");
    assert_eq!(items.len(), 6);
    let mut seen = std::collections::HashSet::new();
    for item in items {
        let id = item["id"].as_str().expect("every item has a string id");
        assert!(seen.insert(id.to_owned()), "ids are unique: {id}");
        assert!(
            item["url"]
                .as_str()
                .is_some_and(|u| u.starts_with("http://"))
        );
        assert!(
            item["content_html"].as_str().is_some_and(|c| !c.is_empty()),
            "content_html (or content_text) is required: {item}"
        );
        for key in ["date_published", "date_modified"] {
            let date = item[key].as_str().expect("dates are present");
            DateTime::parse_from_rfc3339(date).unwrap_or_else(|e| panic!("{key} {date}: {e}"));
        }
        if let Some(authors) = item.get("authors") {
            assert!(
                authors[0]["name"].is_string(),
                "authors are objects: {item}"
            );
        }
        assert!(
            item.get("author").is_none(),
            "1.1 uses `authors`, not `author`"
        );
    }
    let quay = items
        .iter()
        .find(|i| i["title"] == "Quay repairs finished")
        .unwrap();
    assert!(quay.get("authors").is_none(), "no author, no `authors`");
}

#[test]
fn rss_atom_and_json_feed_carry_the_same_items() {
    let server = TestServer::start();
    server.set("/news/", Reply::html(grid_page(&cards())));
    let project = project(&server, "UTC");
    project.run(&["run", "--once"]).expect_code(0);
    let feeds = [
        project.feed("harbour.xml"),
        project.feed("harbour.atom"),
        project.feed("harbour.json"),
    ];
    let [rss, atom, json] = &feeds;
    assert_eq!(ids(rss), ids(atom));
    assert_eq!(ids(rss), ids(json));
    assert_eq!(rss.entries.len(), 6);
    // feed-rs does not read JSON Feed's `image`: read it from the JSON itself.
    let raw = self::json(&project);
    let json_image = |id: &str| {
        raw["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .and_then(|i| i["image"].as_str().map(str::to_owned))
    };
    let json_authors = |id: &str| -> Vec<String> {
        raw["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .and_then(|i| i["authors"].as_array())
            .map(|a| {
                a.iter()
                    .map(|p| p["name"].as_str().unwrap().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut images = 0;
    for ((r, a), j) in rss.entries.iter().zip(&atom.entries).zip(&json.entries) {
        assert_eq!(link(r), link(j), "{}", r.id);
        assert_eq!(link(a), link(j), "{}", r.id);
        assert!(r.published.is_some(), "{}", r.id);
        assert_eq!(r.published, a.published, "{}", r.id);
        assert_eq!(r.published, j.published, "{}", r.id);
        // Atom alone tells equal `updated` times apart, by seconds within the day.
        let (au, ju) = (a.updated.unwrap(), j.updated.unwrap());
        assert_eq!(au.date_naive(), ju.date_naive(), "{}", r.id);
        assert!((au - ju).num_seconds().abs() < 6, "{}: {au} vs {ju}", r.id);
        assert_eq!(image(r), image(a), "{}", r.id);
        assert_eq!(image(r), json_image(&r.id), "{}", r.id);
        images += usize::from(image(r).is_some());
        assert_eq!(authors(r), authors(a), "{}", r.id);
        // (feed-rs gives a JSON item without authors the feed's: read the item's own.)
        assert_eq!(authors(r), json_authors(&r.id), "{}", r.id);
        assert_eq!(
            r.title.as_ref().map(|t| &t.content),
            j.title.as_ref().map(|t| &t.content)
        );
    }
    assert_eq!(images, 5, "the page's images are all there");
}

/// The `published` dates of an Atom file as written, in order.
fn written_dates(project: &Project, file: &str, tag: &str) -> Vec<DateTime<FixedOffset>> {
    let text = std::fs::read_to_string(project.output(file)).unwrap();
    text.split(&format!("<{tag}>"))
        .skip(1)
        .map(|rest| {
            let value = rest.split('<').next().unwrap();
            DateTime::parse_from_rfc3339(value)
                .or_else(|_| DateTime::parse_from_rfc2822(value))
                .unwrap_or_else(|e| panic!("{tag} {value}: {e}"))
        })
        .collect()
}

#[test]
fn a_date_without_a_time_is_that_day_in_every_format_and_zone() {
    for zone in ["UTC", "Europe/Berlin", "America/Los_Angeles"] {
        let server = TestServer::start();
        server.set("/news/", Reply::html(grid_page(&cards())));
        let project = project(&server, zone);
        project.run(&["run", "--once"]).expect_code(0);
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        // Newest first: the undated item (first seen now) leads; the page's dates follow.
        let expected = [
            day(2019, 9, 5),
            day(2019, 9, 5),
            day(2019, 9, 5),
            day(2019, 9, 5),
            day(2019, 9, 4),
        ];
        let rss = written_dates(&project, "harbour.xml", "pubDate");
        let published = written_dates(&project, "harbour.atom", "published");
        // The first `updated` is the feed's own.
        let updated = written_dates(&project, "harbour.atom", "updated")[1..].to_vec();
        let json: Vec<DateTime<FixedOffset>> = json(&project)["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| DateTime::parse_from_rfc3339(i["date_published"].as_str().unwrap()).unwrap())
            .collect();
        for (what, dates) in [
            ("RSS pubDate", &rss),
            ("Atom published", &published),
            ("Atom updated", &updated),
            ("JSON date_published", &json),
        ] {
            let days: Vec<NaiveDate> = dates[1..].iter().map(|d| d.date_naive()).collect();
            assert_eq!(days, expected, "{zone}: {what} {dates:?}");
        }
        // The date-only items are at midnight of their day, exactly, where published.
        for dates in [&rss, &published, &json] {
            assert!(
                dates[3..5]
                    .iter()
                    .all(|d| d.format("%H:%M:%S").to_string() == "00:00:00"),
                "{zone}: {dates:?}"
            );
        }
        let distinct: std::collections::HashSet<_> = updated.iter().collect();
        assert_eq!(
            distinct.len(),
            updated.len(),
            "{zone}: Atom updated values differ"
        );
        assert!(
            updated.iter().zip(&published).all(|(u, p)| u >= p),
            "{zone}: updated never precedes published"
        );
    }
}

#[test]
fn atom_does_not_repeat_the_title_where_the_card_has_no_summary() {
    let server = TestServer::start();
    let mut bare = Card::new("bare", "Notice to mariners", Some("2019-09-05"));
    bare.image = false;
    let page = grid_page(&[bare]).replace(
        "<p class=\"story-card__dek\">About Notice to mariners.</p>",
        "",
    );
    server.set("/news/", Reply::html(page));
    let project = project(&server, "UTC");
    project.run(&["run", "--once"]).expect_code(0);
    let feed = project.feed("harbour.atom");
    let expected = format!(
        "<p><a href=\"{}\">127.0.0.1</a></p>",
        link(&feed.entries[0]).replace('&', "&amp;")
    );
    let summary = &feed.entries[0].summary.as_ref().expect("a summary").content;
    assert!(!summary.contains("Notice to mariners"), "{summary}");
    // The validator warns on an entry with no text at all, and rejects a blank one:
    // the summary links to the article instead.
    assert_eq!(summary, &expected);
    let json = json(&project);
    assert_eq!(json["items"][0]["content_html"], expected.as_str());
    let rss = project.feed("harbour.xml");
    assert!(rss.entries[0].summary.is_none(), "RSS needs no description");
}
