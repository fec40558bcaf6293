//! `run --once` end to end: the server serves the fixture pages, the binary writes RSS
//! and Atom files, and feed-rs reads back exactly what the pages said.

use chrono::{DateTime, Utc};

use crate::support::feed::{authors, entry, feed_link, ids, image, link, titles};
use crate::support::{Project, Reply, TestServer, fixture, settings};

/// Three feeds over the three fixture layouts: an article grid, a Hacker News–style
/// table whose metadata sits in the next row, and a blog with lazy-loaded images.
fn site() -> (TestServer, Project) {
    let server = TestServer::start();
    server.set("/economy/", Reply::html(fixture("news-grid.html")));
    server.set("/news", Reply::html(fixture("hn-front.html")));
    server.set("/blog/", Reply::html(fixture("lazy-images.html")));
    let config = format!(
        r#"{settings}feeds:
  economy:
    url: {economy}
    items: article.story-card
    fields:
      title: h3
      summary: p.story-card__dek
      author: .byline
  tinker:
    url: {news}
    title: Tinker News — front page
    items: tr.athing
    fields:
      title: span.titleline > a
      link: span.titleline > a@href
      date: "+ span.age@title"
      author: "+ a.hnuser"
  fieldnotes:
    url: {blog}
    items: div.post
    fields:
      title: h2
      summary: p.excerpt
      author: .author
"#,
        settings = settings(),
        economy = server.url("/economy/"),
        news = server.url("/news"),
        blog = server.url("/blog/"),
    );
    let project = Project::new(&config);
    (server, project)
}

fn date(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("test date")
        .with_timezone(&Utc)
}

/// What an id must be: the link without fragment and tracking parameters.
fn canonical(link: &str) -> String {
    let mut url =
        url::Url::parse(link).unwrap_or_else(|e| panic!("link `{link}` is not absolute: {e}"));
    url.set_fragment(None);
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !k.starts_with("utm_"))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    url.to_string()
}

#[test]
fn one_pass_writes_rss_and_atom_that_say_what_the_pages_say() {
    let (server, project) = site();
    let run = project.run(&["run", "--once"]);
    run.expect_code(0);
    for feed in ["economy", "tinker", "fieldnotes"] {
        assert!(run.summary(feed).contains(" ok "), "{run}");
    }
    assert!(
        run.summary("economy")
            .contains("3 on page, 3 new, 3 stored"),
        "{run}"
    );

    for file in ["economy.xml", "economy.atom"] {
        let feed = project.feed(file);
        assert_eq!(
            feed.title.as_ref().unwrap().content,
            "Economy | The Harbour Ledger",
            "{file}: the page's title"
        );
        assert_eq!(
            feed_link(&feed, "self"),
            Some(format!("https://feeds.example.org/{file}").as_str()),
            "{file}: self link is base_url + file name"
        );
        assert_eq!(
            titles(&feed),
            [
                "Central bank holds rates steady as inflation cools",
                "Port traffic hits a record for the third month running",
                "Housing starts fall for a second quarter",
            ],
            "{file}: newest first"
        );
        assert_eq!(
            ids(&feed),
            [
                server.url("/economy/2024/11/20/central-bank-holds-rates/"),
                "https://www.harbourledger.example/economy/2024/11/19/port-traffic-record/"
                    .to_owned(),
                server.url("/economy/2024/11/18/housing-starts-fall/?edition=print"),
            ],
            "{file}: ids are canonical links (no fragment, no utm_*; other parameters kept)"
        );
        for e in &feed.entries {
            assert_eq!(
                canonical(link(e)),
                e.id,
                "{file}: the link is absolute and its canonical form is the id"
            );
        }
        let published: Vec<_> = feed.entries.iter().map(|e| e.published).collect();
        assert_eq!(
            published,
            [
                Some(date("2024-11-20T09:30:00Z")),
                Some(date("2024-11-19T16:05:00+01:00")),
                Some(date("2024-11-18T06:00:00Z")),
            ],
            "{file}: the page's dates"
        );
        let by: Vec<_> = feed.entries.iter().map(authors).collect();
        assert_eq!(
            by,
            [vec!["Ana Ruiz"], vec!["Tomás Eriksen"], vec!["Mei Lin"]],
            "{file}: bylines"
        );
        let images: Vec<_> = feed.entries.iter().map(image).collect();
        assert_eq!(
            images,
            [
                Some(server.url("/media/2024/11/rates-1200.jpg")),
                Some("https://cdn.harbourledger.example/img/port-traffic-800.png".to_owned()),
                None,
            ],
            "{file}: images, absolute; none invented for a card without one"
        );
    }
    let rss = project.feed("economy.xml");
    let dek = rss.entries[2]
        .summary
        .as_ref()
        .expect("summary")
        .content
        .clone();
    assert!(
        dek.contains("Builders blame higher material costs &amp; a shortage"),
        "escaped once: {dek}"
    );
}

#[test]
fn table_rows_read_their_metadata_from_the_next_row() {
    let (server, project) = site();
    project.run(&["run", "--once"]).expect_code(0);
    for file in ["tinker.xml", "tinker.atom"] {
        let feed = project.feed(file);
        assert_eq!(
            feed.title.as_ref().unwrap().content,
            "Tinker News — front page",
            "{file}: configured title wins"
        );
        assert_eq!(
            ids(&feed),
            [
                "https://blog.example.net/posts/sqlite-wal-explained".to_owned(),
                server.url("/item?id=41000002"),
                "https://research.example.org/papers/crash-consistency.pdf".to_owned(),
            ],
            "{file}: relative links resolved against the page; fragment and utm_* dropped"
        );
        let by: Vec<_> = feed.entries.iter().map(authors).collect();
        assert_eq!(by, [vec!["mdaniels"], vec!["kto"], vec!["jfs"]], "{file}");
        let published: Vec<_> = feed.entries.iter().map(|e| e.published).collect();
        assert_eq!(
            published,
            [
                Some(date("2024-11-21T08:15:00Z")),
                Some(date("2024-11-21T06:40:00Z")),
                Some(date("2024-11-20T23:55:00Z"))
            ],
            "{file}"
        );
        assert!(
            feed.entries.iter().all(|e| image(e).is_none()),
            "{file}: no images on this page"
        );
    }
}

#[test]
fn lazy_images_are_found_behind_placeholders() {
    let (_server, project) = site();
    project.run(&["run", "--once"]).expect_code(0);
    for file in ["fieldnotes.xml", "fieldnotes.atom"] {
        let feed = project.feed(file);
        let cranes = entry(
            &feed,
            "https://fieldnotes.example/2024/11/new-cranes-arrive/",
        );
        assert_eq!(
            image(cranes).as_deref(),
            Some("https://fieldnotes.example/media/2024/11/new-cranes-1200.jpg"),
            "{file}: data-src beats a data: URI placeholder, resolved against <base href>"
        );
        let fog = image(entry(
            &feed,
            "https://fieldnotes.example/2024/11/morning-fog/",
        ))
        .expect("fog image");
        assert!(
            fog.starts_with("https://fieldnotes.example/media/2024/11/fog-1600."),
            "{file}: largest srcset candidate, got {fog}"
        );
        let ferry = image(entry(
            &feed,
            "https://fieldnotes.example/2024/11/night-ferry/",
        ));
        assert_eq!(
            ferry.as_deref(),
            Some("https://fieldnotes.example/media/2024/11/night-ferry.jpg"),
            "{file}: data-bg"
        );
        let tides = entry(&feed, "https://fieldnotes.example/2024/11/notes-on-tides/");
        assert_eq!(image(tides), None, "{file}");
        assert_eq!(
            tides.published,
            Some(date("2024-11-10T11:00:00Z")),
            "{file}: +01:00 offset honoured"
        );
        assert_eq!(authors(tides), ["Sara Holm"], "{file}");
    }
}

#[test]
fn run_once_with_a_feed_name_runs_only_that_feed() {
    let (server, project) = site();
    let run = project.run(&["run", "--once", "tinker"]);
    run.expect_code(0);
    assert!(run.summary("tinker").contains(" ok "), "{run}");
    assert_eq!(run.stdout.lines().count(), 1, "one summary line\n{run}");
    assert_eq!(
        project.output_files(),
        ["feeds.opml", "index.html", "tinker.atom", "tinker.xml"]
    );
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/news"], "only the named feed's page is fetched");
}

#[test]
fn an_unknown_feed_name_is_a_usage_error_with_a_suggestion() {
    let (server, project) = site();
    let run = project.run(&["run", "--once", "tinkr"]);
    run.expect_code(2);
    assert!(run.stderr.contains("tinkr"), "{run}");
    assert!(run.stderr.contains("did you mean `tinker`"), "{run}");
    assert!(server.all_requests().is_empty(), "nothing is fetched");
    assert!(project.output_files().is_empty(), "nothing is written");
}
