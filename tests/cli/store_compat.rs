//! Store compatibility: a store written at schema version 1 (checked in as
//! `tests/fixtures/store-v1.sqlite`) opens with today's scrapefeed, is upgraded to
//! `schema::VERSION`, and still returns its items.

use std::path::Path;

use scrapefeed::store::{Store, schema};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/store-v1.sqlite"
);

/// One feed and two items, as scrapefeed 0.1 with schema version 1 stored them.
const V1_ROWS: &str = r#"
INSERT INTO feeds (slug, fingerprint, url, etag, last_modified, last_attempt, last_success,
                   last_error, last_error_at, failures, cards, last_change, digest)
VALUES ('harbour-economy', '5f1d3c0a9b2e7d44', 'https://harbour.example/economy/', '"v1-etag"',
        'Sat, 23 Nov 2024 11:58:00 GMT', 1732363200, 1732363200, NULL, NULL, 0, 2, 1732363200,
        '0b5e6f7a8c9d0e1f');
INSERT INTO items (feed, id, title, link, summary, summary_html, author, image,
                   published, updated, first_seen, last_seen, page_order)
VALUES ('harbour-economy', 'https://harbour.example/economy/rates/', 'Central bank holds rates steady',
        'https://harbour.example/economy/rates/?utm_source=section', 'Policy makers signalled a cut in spring.',
        0, 'Ana Ruiz', 'https://harbour.example/media/rates.jpg', 1732098600, 1732098600, 1732363200,
        1732363200, 0);
INSERT INTO items (feed, id, title, link, summary, summary_html, author, image,
                   published, updated, first_seen, last_seen, page_order)
VALUES ('harbour-economy', 'https://harbour.example/economy/port/', 'Port traffic hits a record',
        'https://harbour.example/economy/port/', NULL, 0, NULL, NULL, 1732032000, 1732100000, 1732363200,
        1732363200, 1);
"#;

#[test]
#[ignore = "rewrites tests/fixtures/store-v1.sqlite; run with --ignored only to change the fixture on purpose"]
fn generate_store_v1_fixture() {
    let path = Path::new(FIXTURE);
    let _ = std::fs::remove_file(path);
    let mut conn = rusqlite::Connection::open(path).expect("create the fixture");
    schema::create_v1(&mut conn).expect("schema version 1");
    conn.execute_batch(V1_ROWS).expect("rows");
    conn.execute_batch("VACUUM").expect("compact");
    conn.close().map_err(|(_, e)| e).expect("close");
}

#[test]
fn a_version_1_store_is_upgraded_and_keeps_its_items() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("scrapefeed.sqlite");
    std::fs::copy(FIXTURE, &path).expect("copy the fixture");
    let version: i64 = rusqlite::Connection::open(&path)
        .and_then(|c| c.query_row("PRAGMA user_version", [], |r| r.get(0)))
        .expect("read the fixture's version");
    assert_eq!(version, 1, "the fixture is a version 1 store");

    let store = Store::open_file(&path).expect("open a version 1 store");
    assert_eq!(
        store.schema_version().expect("version"),
        schema::VERSION,
        "upgraded on open"
    );

    let entries = store.entries("harbour-economy", 50).expect("entries");
    let ids: Vec<&str> = entries.iter().map(|e| e.item.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "https://harbour.example/economy/rates/",
            "https://harbour.example/economy/port/"
        ],
        "newest first"
    );
    let rates = &entries[0];
    assert_eq!(rates.item.title, "Central bank holds rates steady");
    assert_eq!(
        rates.item.link.as_str(),
        "https://harbour.example/economy/rates/?utm_source=section"
    );
    assert_eq!(rates.item.author.as_deref(), Some("Ana Ruiz"));
    assert_eq!(
        rates.item.image.as_ref().map(|u| u.as_str()),
        Some("https://harbour.example/media/rates.jpg")
    );
    assert_eq!(
        rates.item.summary.as_ref().map(|s| s.as_str()),
        Some("Policy makers signalled a cut in spring.")
    );
    assert_eq!(rates.published.timestamp(), 1_732_098_600);
    assert_eq!(entries[1].updated.timestamp(), 1_732_100_000);

    let feed = store.feed("harbour-economy").expect("feed record");
    assert_eq!(feed.validators.etag.as_deref(), Some("\"v1-etag\""));
    assert_eq!(feed.items, 2);
    assert_eq!(
        feed.detected, None,
        "the column added in version 2 starts empty"
    );

    drop(store);
    let again = Store::open_file(&path).expect("reopen");
    assert_eq!(
        again.schema_version().expect("version"),
        schema::VERSION,
        "opening twice changes nothing"
    );
    assert_eq!(
        again.entries("harbour-economy", 50).expect("entries").len(),
        2
    );
}
