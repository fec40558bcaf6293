//! Hostile pages, generated: markup nested far deeper than any real page, more
//! elements than scrapefeed accepts, work that outlasts a page's time budget. Each is
//! built on the grid page of `pages`, so ordinary cards sit beside the attack and a
//! test can check they still come through.

use super::pages::{Card, grid_page};

/// How deep the nesting tests go: far past the parser's bound (512) and deep enough
/// that any recursive walk of the tree would overflow its stack.
pub const DEEP: usize = 100_000;

/// `depth` levels of `<tag>` around `inner`, all closed again.
pub fn nested(tag: &str, depth: usize, inner: &str) -> String {
    format!(
        "{}{inner}{}",
        format!("<{tag}>").repeat(depth),
        format!("</{tag}>").repeat(depth)
    )
}

/// A grid page of `cards` with `extra` markup after the cards, inside the grid.
pub fn grid_with(cards: &[Card], extra: &str) -> String {
    grid_page(cards).replacen("</section>", &format!("{extra}</section>"), 1)
}

/// Three ordinary stories.
pub fn stories() -> Vec<Card> {
    vec![
        Card::new(
            "tide-tables",
            "New tide tables for the harbour",
            Some("2025-03-03T08:00:00Z"),
        ),
        Card::new(
            "lighthouse",
            "Lighthouse keeper retires after forty years",
            Some("2025-03-02T08:00:00Z"),
        ),
        Card::new(
            "ferry-strike",
            "Ferry strike called off",
            Some("2025-03-01T08:00:00Z"),
        ),
    ]
}

/// The title of the story whose markup is nested [`DEEP`] levels.
pub const DEEP_TITLE: &str = "Storm surge floods the lower town";

/// The ordinary stories, then one whose title link wraps [`DEEP`] nested `<span>` and
/// whose summary is [`DEEP`] nested `<i>`, then 5,000 nested `<div>` after the
/// cards: every way deep markup reaches a card field, and deep markup elsewhere.
pub fn deep_page() -> String {
    let mut cards = stories();
    let mut deep = Card::new("storm-surge", "", Some("2025-03-04T08:00:00Z"));
    deep.title = nested("span", DEEP, DEEP_TITLE);
    cards.insert(0, deep);
    // Deep <div>s cost html5ever a scan of its open elements per tag: a shallower
    // block keeps the test quick while the spans and the <i>s go 100,000 deep.
    let page = grid_with(&cards, &nested("div", 5_000, "<p>the bottom</p>"));
    // The summary line of the deep card ("About <spans>…") becomes deep <i> instead.
    let dek = format!("<p class=\"story-card__dek\">About {}.</p>", cards[0].title);
    page.replacen(
        &dek,
        &format!(
            "<p class=\"story-card__dek\">{}</p>",
            nested("i", DEEP, "Water reached the town hall steps.")
        ),
        1,
    )
}

/// A page with `count` empty elements after the stories.
pub fn crowded_page(count: usize) -> String {
    grid_with(&stories(), &"<b></b>".repeat(count))
}

/// Feed fields whose summary is the markup of the whole page, sanitized, for every
/// card: bounded per card, but slow.
pub const SLOW_FIELDS: &str = r#"    items: article.story-card
    fields:
      title: h3
      summary: { from: closest body, html: true }
"#;

/// Two thousand cards: read with [`SLOW_FIELDS`], far more work than a page's time
/// budget (ten seconds) allows.
pub fn slow_page() -> String {
    let cards: Vec<Card> = (0..2_000)
        .map(|i| {
            Card::new(
                &format!("story-{i}"),
                &format!("Story number {i} from the harbour"),
                None,
            )
        })
        .collect();
    grid_page(&cards)
}
