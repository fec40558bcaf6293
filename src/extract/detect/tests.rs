//! Detection end to end on small hand-written pages, one per signal the detector
//! relies on. Every test reads the page as a one-line feed does — through
//! `extract_document` with no `items` — so the items checked are the items a feed
//! publishes; where a test checks the chosen rules, those are the rules `suggest`
//! prints.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use scraper::Html;
use url::Url;

use super::{Candidate, Detection, detect};
use crate::config::Feed;
use crate::extract::budget::Budget;
use crate::extract::date::DateContext;
use crate::extract::{Extraction, PageInfo, extract_document, parse_document};
use crate::item::Item;

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 6, 15, 12, 0, 0).unwrap()
}

fn dates() -> DateContext<'static> {
    DateContext {
        now: now(),
        tz: chrono_tz::Tz::UTC,
        format: None,
    }
}

fn detection(html: &str, page: &str) -> Detection {
    detect(
        &parse_document(html),
        &url(page),
        dates(),
        &Budget::unlimited(),
    )
    .unwrap()
}

/// The best card candidate (the rules `suggest` prints) and the items of the
/// one-line feed.
fn best(html: &str, page: &str) -> (Candidate, Vec<Item>) {
    let cands = detection(html, page).candidates;
    assert!(!cands.is_empty(), "no candidates");
    (cands[0].clone(), one_line(html, page).items)
}

/// What a feed given only the page's URL extracts.
fn one_line(html: &str, page: &str) -> Extraction {
    let doc: Html = parse_document(html);
    let page_url = url(page);
    extract_document(
        &Feed::adhoc(page_url.clone()),
        &doc,
        &PageInfo {
            url: &page_url,
            fetched_at: now(),
        },
        None,
        &crate::extract::budget::Budget::unlimited(),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn nav(items: &[&str]) -> String {
    let mut s = String::from("<nav class='site-nav'><ul>");
    for it in items {
        s.push_str(&format!(
            "<li class='nav-item'><a href='/{}/'>{it}</a></li>",
            it.to_lowercase().replace(' ', "-")
        ));
    }
    s.push_str("</ul></nav>");
    s
}

const HEADLINES: &[&str] = &[
    "City council approves new budget for public parks",
    "Researchers map the deep ocean floor in record detail",
    "Local bakery wins national award for sourdough bread",
    "Storm season expected to start earlier this year",
    "New bridge opens after three years of construction",
    "Students build solar car for cross-country race",
    "Museum reopens with an exhibition on ancient maps",
    "Train operators announce timetable changes for summer",
    "Library extends opening hours during exam period",
    "Farmers adapt to a dry spring with new irrigation",
];

/// The `itemListElement` entries of a JSON-LD ItemList naming the first `n` headlines.
fn item_list(n: usize) -> String {
    HEADLINES
        .iter()
        .take(n)
        .enumerate()
        .map(|(k, h)| {
            format!(
                r#"{{"@type":"ListItem","position":{},"url":"https://news.example.org/2024/06/{}","name":"{h}"}}"#,
                k + 1,
                slug(h)
            )
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn slug(s: &str) -> String {
    s.to_lowercase().replace(' ', "-")
}

#[test]
fn json_ld_item_list_is_used() {
    let items = item_list(5);
    let mut cards = String::new();
    for h in HEADLINES.iter().take(5) {
        cards.push_str(&format!(
            "<div class='teaser'><a href='/2024/06/{}'>{h}</a></div>",
            slug(h)
        ));
    }
    let html = format!(
        r#"<html><head><script type="application/ld+json">
        {{"@context":"https://schema.org","@type":"ItemList","itemListElement":[{items}]}}
        </script></head><body><main>{cards}</main></body></html>"#
    );
    let page = "https://news.example.org/section/local";
    let declared = detection(&html, page).declared.expect("the declared list");
    assert_eq!(declared.source, "json-ld");
    let out = one_line(&html, page);
    assert_eq!(out.card_source, "detected from the page's JSON-LD");
    assert_eq!(out.items.len(), 5);
    assert_eq!(out.items[0].title, HEADLINES[0]);
    assert_eq!(
        out.items[0].link.as_str(),
        format!("https://news.example.org/2024/06/{}", slug(HEADLINES[0]))
    );
}

#[test]
fn thin_structured_list_falls_back_to_cards() {
    // JSON-LD names 3 stories, the page shows 10: the declared list is thin.
    let items = item_list(3);
    let mut cards = String::new();
    for h in HEADLINES {
        cards.push_str(&format!(
            "<article class='story'><h2><a href='/2024/06/{}'>{h}</a></h2><time datetime='2024-06-01'>June 1</time></article>",
            slug(h)
        ));
    }
    let html = format!(
        r#"<html><head><script type="application/ld+json">
        {{"@type":"ItemList","itemListElement":[{items}]}}</script></head>
        <body><main>{cards}</main></body></html>"#
    );
    let found = detection(&html, "https://news.example.org/");
    assert!(found.declared.is_none());
    assert_eq!(found.candidates[0].cards, 10);
    assert_eq!(one_line(&html, "https://news.example.org/").items.len(), 10);
}

#[test]
fn article_grid() {
    let mut html = String::from("<html><body>");
    html.push_str(&nav(&["News", "Sport", "Culture", "Weather"]));
    html.push_str("<main><section class='grid'>");
    for (k, h) in HEADLINES.iter().take(8).enumerate() {
        html.push_str(&format!(
            "<article class='card'>\
               <a href='/2024/05/{s}'><img src='/img/{k}.jpg' alt=''></a>\
               <h2 class='card__title'><a href='/2024/05/{s}'>{h}</a></h2>\
               <p class='card__dek'>A short teaser sentence that says a little more about this story.</p>\
               <span class='card__author'>By Alex Writer</span>\
               <time datetime='2024-05-0{d}T10:00:00Z'>May {d}</time>\
             </article>",
            s = slug(h),
            d = k + 1
        ));
    }
    html.push_str("</section></main><footer><a href='/about'>About us</a></footer></body></html>");
    let (c, items) = best(&html, "https://paper.example.com/news");
    assert_eq!(c.cards, 8);
    assert!(c.items.contains("article"), "{}", c.items);
    assert_eq!(c.fields.title.as_deref(), Some("h2"));
    assert_eq!(c.fields.date.as_deref(), Some("time@datetime"));
    assert_eq!(c.fields.image.as_deref(), Some("img"));
    assert_eq!(c.fields.summary.as_deref(), Some("p.card__dek"));
    assert_eq!(c.fields.author.as_deref(), Some("span.card__author"));
    assert!(c.confidence > 0.7, "confidence {}", c.confidence);
    assert!(
        c.reasons.iter().any(|r| r.contains("<article>")),
        "{:?}",
        c.reasons
    );
    assert_eq!(items.len(), 8);
    assert_eq!(items[0].title, HEADLINES[0]);
    assert_eq!(
        items[0].link.as_str(),
        format!("https://paper.example.com/2024/05/{}", slug(HEADLINES[0]))
    );
    assert_eq!(
        items[0].date,
        Some(Utc.with_ymd_and_hms(2024, 5, 1, 10, 0, 0).unwrap())
    );
    assert_eq!(
        items[0].image.as_ref().map(Url::as_str),
        Some("https://paper.example.com/img/0.jpg")
    );
    assert_eq!(items[0].author.as_deref(), Some("Alex Writer"));
    assert_eq!(
        items[0].summary.as_ref().map(|s| s.as_str()),
        Some("A short teaser sentence that says a little more about this story.")
    );
}

#[test]
fn table_rows_with_metadata_in_next_row() {
    let mut rows = String::new();
    for (k, h) in HEADLINES.iter().enumerate() {
        rows.push_str(&format!(
            "<tr class='story' id='s{k}'><td class='rank'>{n}.</td><td class='vote'><a href='vote?id={k}'></a></td>\
               <td class='headline'><a class='titlelink' href='https://site{k}.example.net/posts/{s}'>{h}</a>\
               <span class='domain'>(<a href='from?site=site{k}'>site{k}.example.net</a>)</span></td></tr>\
             <tr><td colspan='2'></td><td class='meta'><span class='points'>{p} points</span> by \
               <a class='user' href='user?id=u{k}'>user{k}</a> <span class='age'><a href='item?id={k}'>{a} hours ago</a></span> | \
               <a href='item?id={k}'>{c}&nbsp;comments</a></td></tr>\
             <tr class='spacer'></tr>",
            n = k + 1,
            s = slug(h),
            p = 10 + k,
            a = k + 1,
            c = 3 * k
        ));
    }
    let html = format!(
        "<html><body><table class='top'><tr><td><a href='news'>Front</a> | <a href='newest'>new</a> | <a href='ask'>ask</a></td></tr></table>\
         <table class='stories'>{rows}</table></body></html>"
    );
    let (c, items) = best(&html, "https://links.example.com/news");
    assert_eq!(c.cards, 10, "{c:?}");
    assert!(c.items.contains("tr.story"), "{}", c.items);
    assert_eq!(c.fields.date.as_deref(), Some("+ span.age"));
    assert_eq!(c.fields.author.as_deref(), Some("+ a.user"));
    assert_eq!(items[2].title, HEADLINES[2]);
    assert_eq!(items[2].date, Some(now() - TimeDelta::hours(3)));
    assert_eq!(items[2].author.as_deref(), Some("user2"));
    assert!(
        items[2]
            .link
            .as_str()
            .starts_with("https://site2.example.net/posts/")
    );
}

#[test]
fn biggest_group_is_navigation_but_main_list_wins() {
    let sections = [
        "World", "Europe", "Asia", "Africa", "Americas", "Politics", "Business", "Markets", "Tech",
        "Science", "Health", "Sport", "Football", "Tennis", "Culture", "Film", "Music", "Books",
        "Travel", "Food", "Style", "Weather", "Opinion", "Podcasts", "Video",
    ];
    let mut html = String::from("<html><body><header>");
    html.push_str(&nav(&sections));
    html.push_str("</header><div id='content'><ul class='latest'>");
    for h in HEADLINES.iter().take(6) {
        html.push_str(&format!(
            "<li><a href='/news/{}-12345'>{h}</a></li>",
            slug(h)
        ));
    }
    html.push_str("</ul></div><footer><ul class='links'>");
    for s in sections.iter().take(15) {
        html.push_str(&format!("<li><a href='/{}'>{s}</a></li>", s.to_lowercase()));
    }
    html.push_str("</ul></footer></body></html>");
    let (c, items) = best(&html, "https://daily.example.com/");
    assert_eq!(items.len(), 6);
    assert_eq!(c.cards, 6, "{c:?}");
    assert!(!c.items.contains("nav"), "{}", c.items);
    assert!(
        c.reasons.iter().any(|r| r.starts_with("inside ")),
        "{:?}",
        c.reasons
    );
}

#[test]
fn most_popular_rail_loses_to_main_list() {
    // Same card markup in the river and in the rail; the rail repeats stories.
    let card = |h: &str| {
        format!(
            "<li class='item'><article class='teaser'><h3 class='teaser__hed'><a href='/2024/04/{}'>{h}</a></h3></article></li>",
            slug(h)
        )
    };
    let mut html =
        String::from("<html><body><div class='layout'><div class='river'><ul class='items'>");
    for h in HEADLINES.iter().take(8) {
        html.push_str(&card(h));
    }
    html.push_str("</ul></div><div class='most-popular'><h2>Most read</h2><ul class='items'>");
    for h in HEADLINES.iter().skip(5).take(5) {
        html.push_str(&card(h));
    }
    html.push_str("</ul></div></div></body></html>");
    let (c, items) = best(&html, "https://mag.example.com/");
    assert_eq!(c.cards, 8, "{c:?}");
    assert_eq!(items.len(), 8);
    assert_eq!(items[0].title, HEADLINES[0]);
    assert_eq!(items[7].title, HEADLINES[7]);
}

#[test]
fn hashed_class_names_are_avoided() {
    let mut html = String::from(
        "<html><body><div class='css-1k2j3h4 Layout-sc-1xcs6mc-0 kvXfGz'><div class='FeedList-abcXyz feed-list'>",
    );
    for (k, h) in HEADLINES.iter().take(7).enumerate() {
        html.push_str(&format!(
            "<div class='StoryCard-hFgKQz jqRtYp css-9zq8x1' data-testid='story-card'>\
               <a class='Link-sc-19p7q7e-0 css-a8d7f2' href='/articles/{s}'>\
                 <h3 class='Title-dQwErT css-1x2y3z'>{h}</h3></a>\
               <span class='Meta-kLmNoP'>{d} May 2024</span></div>",
            s = slug(h),
            d = k + 1
        ));
    }
    html.push_str("</div></div></body></html>");
    let (c, items) = best(&html, "https://spa.example.com/latest");
    assert_eq!(items.len(), 7);
    assert_eq!(items[3].title, HEADLINES[3]);
    assert_eq!(c.cards, 7, "{c:?}");
    let all = format!("{} {:?}", c.items, c.fields);
    for bad in [
        "css-", "-sc-", "hFgKQz", "jqRtYp", "dQwErT", "kLmNoP", "abcXyz", "kvXfGz",
    ] {
        assert!(!all.contains(bad), "generated name {bad} in {all}");
    }
    assert_eq!(c.items, "div[data-testid=\"story-card\"]");
    assert_eq!(c.fields.title.as_deref(), Some("h3"));
}

#[test]
fn detection_is_deterministic() {
    let mut html = String::from("<html><body>");
    html.push_str(&nav(&["Home", "Archive", "About"]));
    for col in 0..3 {
        html.push_str(&format!("<section class='col-{col} column'>"));
        for h in HEADLINES.iter().skip(col * 3).take(3) {
            html.push_str(&format!(
                "<article><h2><a href='/p/{}'>{h}</a></h2><p>Some words of teaser text, enough of them to count.</p></article>",
                slug(h)
            ));
        }
        html.push_str("</section>");
    }
    html.push_str("</body></html>");
    let doc = parse_document(&html);
    let u = url("https://blog.example.com/");
    let a = detect(&doc, &u, dates(), &Budget::unlimited()).unwrap();
    let b = detect(&doc, &u, dates(), &Budget::unlimited()).unwrap();
    assert_eq!(a, b);
    let c = detection(&html, "https://blog.example.com/");
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&c).unwrap()
    );
    // Articles across several columns form one group.
    assert_eq!(a.candidates[0].cards, 9, "{:?}", a.candidates[0]);
    assert_eq!(one_line(&html, "https://blog.example.com/").items.len(), 9);
}

#[test]
fn read_more_cards_without_title_links() {
    let mut html = String::from("<html><body><div id='posts'>");
    for h in HEADLINES.iter().take(5) {
        html.push_str(&format!(
            "<div class='post'><h2>{h}</h2><p>An excerpt of the post that goes on for a few words here.</p>\
             <a class='more' href='/blog/{}'>Read more</a></div>",
            slug(h)
        ));
    }
    html.push_str("</div></body></html>");
    let (c, items) = best(&html, "https://blog.example.com/");
    assert_eq!(c.cards, 5, "{c:?}");
    assert_eq!(c.fields.title.as_deref(), Some("h2"));
    assert_eq!(items[1].title, HEADLINES[1]);
    assert_eq!(
        items[1].link.as_str(),
        format!("https://blog.example.com/blog/{}", slug(HEADLINES[1]))
    );
}

#[test]
fn page_without_a_list_gives_low_confidence_or_nothing() {
    let html = "<html><body><nav><a href='/'>Home</a><a href='/about'>About</a></nav>\
                <article><h1>Single post</h1><p>Body text with a <a href='https://other.example/x'>link</a>.</p></article></body></html>";
    let cands = detection(html, "https://solo.example.com/post").candidates;
    assert!(cands.iter().all(|c| c.confidence < 0.5), "{cands:?}");
}

#[test]
fn rail_announced_only_by_its_heading_loses() {
    // No class or tag marks the rail; only its heading says what it is. The
    // rail even has more items than the main list.
    let mut html = String::from("<html><body><div><div><h1>Science</h1><ul>");
    for h in HEADLINES.iter().take(5) {
        html.push_str(&format!("<li><a href='/science/{}'>{h}</a></li>", slug(h)));
    }
    html.push_str("</ul></div><div><h3>Most read this week</h3><ul>");
    for k in 0..7 {
        html.push_str(&format!(
            "<li><a href='/world/older-story-number-{k}-about-things'>Older story number {k} about other things</a></li>"
        ));
    }
    html.push_str("</ul></div></div></body></html>");
    let (c, items) = best(&html, "https://paper.example.com/science");
    assert_eq!(c.cards, 5, "{c:?}");
    assert!(
        items.iter().all(|i| i.link.path().starts_with("/science/")),
        "{items:?}"
    );
}

#[test]
fn structured_list_about_other_stories_loses_to_main_cards() {
    // JSON-LD describes the 8 stories of a sidebar; the visible main list has
    // 10 other stories.
    let mut items = String::new();
    let mut rail = String::new();
    for k in 0..8 {
        if k > 0 {
            items.push(',');
        }
        items.push_str(&format!(
            r#"{{"@type":"NewsArticle","headline":"Sidebar story {k}","url":"https://news.example.org/sidebar/story-number-{k}-here"}}"#
        ));
        rail.push_str(&format!(
            "<li><a href='/sidebar/story-number-{k}-here'>Sidebar story number {k} here</a></li>"
        ));
    }
    let mut cards = String::new();
    for h in HEADLINES {
        cards.push_str(&format!(
            "<article><h2><a href='/2024/06/{}'>{h}</a></h2><time datetime='2024-06-01'>1 June</time></article>",
            slug(h)
        ));
    }
    let html = format!(
        r#"<html><head><script type="application/ld+json">[{items}]</script></head>
        <body><main>{cards}</main><aside class="sidebar"><ul>{rail}</ul></aside></body></html>"#
    );
    let found = detection(&html, "https://news.example.org/");
    assert!(found.declared.is_none());
    assert_eq!(found.candidates[0].items, "article");
    let items = one_line(&html, "https://news.example.org/").items;
    assert_eq!(items.len(), 10);
    assert!(items.iter().all(|i| i.link.path().starts_with("/2024/06/")));
}

#[test]
fn empty_and_script_only_pages() {
    let empty = detection("", "https://e.example.com/");
    assert!(empty.declared.is_none() && empty.candidates.is_empty());
    // A client-rendered page: no anchors, only Next.js props.
    let html = r#"<html><body><div id="__next"></div><script id="__NEXT_DATA__" type="application/json">
        {"props":{"pageProps":{"posts":[
          {"title":"First post","slug":"first-post","date":"2024-01-03"},
          {"title":"Second post","slug":"second-post","date":"2024-01-02"},
          {"title":"Third post","slug":"third-post","date":"2024-01-01"}]}}}</script></body></html>"#;
    let page = "https://e.example.com/blog/";
    assert_eq!(detection(html, page).declared.unwrap().source, "next-data");
    let items = one_line(html, page).items;
    assert_eq!(items.len(), 3);
    assert_eq!(
        items[1].link.as_str(),
        "https://e.example.com/blog/second-post"
    );
    assert_eq!(
        items[1].date,
        Some(Utc.with_ymd_and_hms(2024, 1, 2, 0, 0, 0).unwrap())
    );
}

#[test]
fn bylines_on_a_few_cards_are_kept() {
    // Ten teasers; two show a byline (features, as on a magazine front page).
    let mut html = String::from("<html><body><main><ul class='teasers'>");
    for (k, h) in HEADLINES.iter().take(10).enumerate() {
        let byline = match k {
            2 => "<span class='byline'>Jane Doe</span>",
            6 => "<span class='byline'>Sam Lee / Lisbon</span>",
            _ => "",
        };
        html.push_str(&format!(
            "<li class='teaser'><a href='/news/{}'><h3>{h}</h3>{byline}</a></li>",
            slug(h)
        ));
    }
    html.push_str("</ul></main></body></html>");
    let (candidate, items) = best(&html, "https://paper.example.com/");
    assert_eq!(
        candidate.fields.author.as_deref(),
        Some("span.byline"),
        "{candidate:?}"
    );
    let authors: Vec<Option<&str>> = items.iter().map(|i| i.author.as_deref()).collect();
    let mut want = vec![None; 10];
    want[2] = Some("Jane Doe");
    want[6] = Some("Sam Lee / Lisbon");
    assert_eq!(authors, want);
}
