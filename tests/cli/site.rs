//! The folder's own pages: `index.html` lists every feed with its links and health
//! (escaped, self-contained, with autodiscovery links), `feeds.opml` lists every
//! published feed for a reader to import; both change only when what they show
//! changes — a failure included, while the feed's own files stay as they were.

use std::fs;
use std::process::Command;

use scraper::{Html, Selector};

use crate::support::project::{age, mtime};
use crate::support::{
    Card, GRID_FEED_FIELDS, Project, Reply, TestServer, grid_page, next_second, snapshot, tools,
};

/// A title that tries to break out of every context it is written into.
const HOSTILE: &str = r#"Quay </h2><script>alert("x")</script> & <b>"bold"</b> 'it'"#;

fn cards() -> Vec<Card> {
    vec![
        Card::new(
            "gauge",
            "Tide gauge installed",
            Some("2024-11-20T10:00:00Z"),
        ),
        Card::new(
            "ferry",
            "Ferry timetable changes",
            Some("2024-11-19T08:00:00Z"),
        ),
    ]
}

/// Two feeds (one with a hostile configured title and all three formats) and a
/// third whose page is missing from the start.
fn site() -> (TestServer, Project) {
    let server = TestServer::start();
    server.set("/news/", Reply::html(grid_page(&cards())));
    server.set("/quay/", Reply::html(grid_page(&cards()[..1])));
    let yaml_title = HOSTILE.replace('\\', "\\\\").replace('"', "\\\"");
    let project = Project::new(&format!(
        "settings:\n  base_url: https://feeds.example.org/sub/\n  timeout: 20s\nfeeds:\n  harbour:\n    url: {news}\n{GRID_FEED_FIELDS}  quay:\n    url: {quay}\n    title: \"{yaml_title}\"\n    formats: [rss, atom, json]\n{GRID_FEED_FIELDS}  gone:\n    url: {gone}\n{GRID_FEED_FIELDS}",
        news = server.url("/news/"),
        quay = server.url("/quay/"),
        gone = server.url("/gone/"),
    ));
    (server, project)
}

fn select<'a>(page: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    page.select(&Selector::parse(css).expect("test selector"))
        .collect()
}

fn index(project: &Project) -> Html {
    Html::parse_document(&fs::read_to_string(project.output("index.html")).expect("index.html"))
}

fn card<'a>(page: &'a Html, slug: &str) -> scraper::ElementRef<'a> {
    select(page, &format!("li#feed-{slug}"))
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no card for `{slug}` in the index"))
}

fn text(element: scraper::ElementRef) -> String {
    element.text().collect::<String>()
}

#[test]
fn the_index_lists_every_feed_with_links_health_and_escaped_titles() {
    let (server, project) = site();
    project.run(&["run", "--once"]).expect_code(1);
    let page = index(&project);

    // Self-contained: no script, no external style sheet or image.
    assert!(select(&page, "script").is_empty(), "no script at all");
    assert!(select(&page, "link[rel=stylesheet], img, iframe").is_empty());
    assert_eq!(
        select(&page, "meta[name=viewport]").len(),
        1,
        "readable on a phone"
    );

    // The hostile title is text wherever it appears, exactly as configured.
    let quay = card(&page, "quay");
    assert_eq!(text(select(&page, "li#feed-quay h2")[0]), HOSTILE);
    assert!(quay.select(&Selector::parse("b").unwrap()).next().is_none());

    // Autodiscovery: one alternate link per published file, with its type and title.
    let alternates: Vec<(String, String, String)> = select(&page, "head link[rel=alternate]")
        .iter()
        .map(|l| {
            let attr = |n| l.value().attr(n).unwrap_or_default().to_owned();
            (attr("href"), attr("type"), attr("title"))
        })
        .collect();
    let expected = [
        ("harbour.xml", "application/rss+xml"),
        ("harbour.atom", "application/atom+xml"),
        ("quay.xml", "application/rss+xml"),
        ("quay.atom", "application/atom+xml"),
        ("quay.json", "application/feed+json"),
    ];
    assert_eq!(
        alternates
            .iter()
            .map(|(h, t, _)| (h.as_str(), t.as_str()))
            .collect::<Vec<_>>(),
        expected
    );
    assert_eq!(alternates[4].2, format!("{HOSTILE} (JSON Feed)"));

    // Subscribe links point at files that exist; the missing feed has none yet.
    for (file, media_type) in expected {
        let slug = file.split('.').next().unwrap();
        let link = card(&page, slug)
            .select(&Selector::parse(&format!("a[href=\"{file}\"]")).unwrap())
            .next()
            .unwrap_or_else(|| panic!("no subscribe link to {file}"));
        assert_eq!(link.value().attr("type"), Some(media_type));
        assert!(project.output(file).is_file(), "{file} exists");
    }
    let harbour = card(&page, "harbour");
    let facts: Vec<String> = select(&page, "li#feed-harbour dl.facts > div")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(facts[0], "Items2", "{facts:?}");
    assert!(facts[1].starts_with("Last change"), "{facts:?}");
    assert_eq!(
        text(select(&page, "li#feed-harbour h2")[0]),
        "News | The Harbour Ledger",
        "an unconfigured title is the page's"
    );
    let source = harbour
        .select(&Selector::parse(".source a").unwrap())
        .next()
        .unwrap();
    assert_eq!(
        source.value().attr("href"),
        Some(server.url("/news/").as_str())
    );
    assert_eq!(text(select(&page, "li#feed-harbour .health")[0]), "ok",);

    // The failing feed says so, since when, and why.
    let gone = card(&page, "gone");
    assert!(gone.value().classes().any(|c| c == "failing"));
    let gone_text = text(gone);
    assert!(gone_text.contains("Failing since"), "{gone_text}");
    assert!(
        gone_text.contains("HTTP 404"),
        "the last error: {gone_text}"
    );
    assert!(gone_text.contains("nothing published yet"), "{gone_text}");
    assert!(
        gone.select(&Selector::parse("a.button").unwrap())
            .next()
            .is_none(),
        "no subscribe links to files that do not exist"
    );
    assert!(text(select(&page, ".tally")[0]).contains("3 feeds"));
}

#[test]
fn a_failure_shows_on_the_index_while_the_feed_files_stay_untouched() {
    let (server, project) = site();
    project.run(&["run", "--once"]).expect_code(1);
    let index_path = project.output("index.html");
    let feed_file = project.output("harbour.xml");
    age(&index_path);
    age(&project.output("feeds.opml"));
    let feed_before = {
        age(&feed_file);
        snapshot(&feed_file)
    };

    // Nothing changed: the index is not rewritten.
    next_second();
    project.run(&["run", "--once"]).expect_code(1);
    let quiet = mtime(&index_path);
    assert!(
        quiet < std::time::SystemTime::now() - std::time::Duration::from_secs(3600),
        "an index showing the same is left alone"
    );

    // harbour breaks: its files stay, the index says so.
    server.set("/news/", Reply::error(500));
    next_second();
    project.run(&["run", "--once"]).expect_code(1);
    assert_eq!(
        snapshot(&feed_file),
        feed_before,
        "the last good feed stays"
    );
    assert!(mtime(&index_path) > quiet, "the index is rewritten");
    let page = index(&project);
    let harbour = text(card(&page, "harbour"));
    assert!(harbour.contains("Failing since"), "{harbour}");
    assert!(harbour.contains("HTTP 500"), "{harbour}");
    assert!(
        harbour.contains("last good files are still served"),
        "{harbour}"
    );
    assert!(text(select(&page, ".tally")[0]).contains("2 failing"));

    // Healthy again: back to ok.
    server.set("/news/", Reply::html(grid_page(&cards())));
    project.run(&["run", "--once"]).expect_code(1);
    let page = index(&project);
    assert_eq!(text(select(&page, "li#feed-harbour .health")[0]), "ok");
}

/// The `outline` elements of an OPML file, as attribute maps.
fn outlines(opml: &str) -> Vec<std::collections::HashMap<String, String>> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(opml);
    let decoder = reader.decoder();
    let value = |a: &quick_xml::events::attributes::Attribute| {
        a.decoded_and_normalized_value(quick_xml::XmlVersion::Implicit1_0, decoder)
            .expect("escaped")
            .into_owned()
    };
    let mut found = Vec::new();
    let mut root = None;
    loop {
        match reader.read_event().expect("OPML is well-formed XML") {
            Event::Start(e) | Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if root.is_none() {
                    let version = e.try_get_attribute("version").unwrap().map(|a| value(&a));
                    assert_eq!(name, "opml");
                    assert_eq!(version.as_deref(), Some("2.0"));
                    root = Some(name.clone());
                }
                if name == "outline" {
                    found.push(
                        e.attributes()
                            .map(|a| {
                                let a = a.expect("attribute");
                                (
                                    String::from_utf8_lossy(a.key.as_ref()).into_owned(),
                                    value(&a),
                                )
                            })
                            .collect(),
                    );
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    found
}

#[test]
fn the_opml_list_names_every_published_feed_and_newsboat_imports_it() {
    let (server, project) = site();
    project.run(&["run", "--once"]).expect_code(1);
    let opml = fs::read_to_string(project.output("feeds.opml")).expect("feeds.opml");
    let outlines = outlines(&opml);
    assert_eq!(
        outlines.len(),
        2,
        "the feed with no files is left out\n{opml}"
    );
    let get = |i: usize, k: &str| outlines[i].get(k).map(String::as_str);
    assert_eq!(
        get(0, "xmlUrl"),
        Some("https://feeds.example.org/sub/harbour.xml")
    );
    assert_eq!(get(0, "htmlUrl"), Some(server.url("/news/").as_str()));
    assert_eq!(get(0, "title"), Some("News | The Harbour Ledger"));
    assert_eq!(get(0, "type"), Some("rss"));
    assert_eq!(
        get(1, "xmlUrl"),
        Some("https://feeds.example.org/sub/quay.xml")
    );
    assert_eq!(
        get(1, "text"),
        Some(HOSTILE),
        "escaped once, read back exactly"
    );
    assert_eq!(get(1, "title"), Some(HOSTILE));

    if let Some(newsboat) = tools::program("newsboat") {
        let home = project.root().join("newsboat");
        fs::create_dir_all(&home).unwrap();
        let urls = home.join("urls");
        fs::write(&urls, "").unwrap();
        let out = Command::new(newsboat)
            .env("HOME", &home)
            .arg("-u")
            .arg(&urls)
            .arg("-c")
            .arg(home.join("cache.db"))
            .arg("-C")
            .arg("/dev/null")
            .arg("-i")
            .arg(project.output("feeds.opml"))
            .output()
            .expect("run newsboat");
        assert!(out.status.success(), "newsboat -i: {out:?}");
        let imported: Vec<String> = fs::read_to_string(&urls)
            .unwrap()
            .lines()
            .map(|l| l.split_whitespace().next().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(
            imported,
            [
                "https://feeds.example.org/sub/harbour.xml",
                "https://feeds.example.org/sub/quay.xml"
            ]
        );
    }
}

#[test]
fn without_base_url_there_is_an_index_but_no_opml() {
    let server = TestServer::start();
    server.set("/news/", Reply::html(grid_page(&cards())));
    let project = Project::new(&format!(
        "feeds:\n  harbour:\n    url: {}\n{GRID_FEED_FIELDS}",
        server.url("/news/")
    ));
    project.run(&["run", "--once"]).expect_code(0);
    let page = index(&project);
    assert!(select(&page, "a[href=\"feeds.opml\"]").is_empty());
    assert!(
        !project.output("feeds.opml").exists(),
        "OPML needs absolute URLs"
    );
    assert_eq!(select(&page, "head link[rel=alternate]").len(), 2);
}
