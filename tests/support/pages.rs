//! Section pages for the tests: the hand-written fixtures in `tests/fixtures/`, and a
//! builder for article-grid pages whose cards a test changes from run to run.
//!
//! The builder writes the same markup as `fixtures/news-grid.html` (an `<article>` per
//! story, `<h3>` title, `<time datetime>`, a byline, an optional image), so one feed
//! definition ([`GRID_FEED_FIELDS`]) reads both.

use std::path::PathBuf;

/// A fixture page's text.
pub fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}

/// The `items` and `fields` of a feed reading grid pages, indented for a feed entry.
pub const GRID_FEED_FIELDS: &str = r#"    items: article.story-card
    fields:
      title: h3
      summary: p.story-card__dek
      author: .byline
"#;

/// One story on a grid page.
#[derive(Debug, Clone)]
pub struct Card {
    /// Names the story's link: `/news/<slug>/`.
    pub slug: String,
    pub title: String,
    /// RFC 3339, or none for a story without a date on the page.
    pub date: Option<String>,
    pub author: String,
    pub image: bool,
}

impl Card {
    pub fn new(slug: &str, title: &str, date: Option<&str>) -> Card {
        Card {
            slug: slug.into(),
            title: title.into(),
            date: date.map(str::to_owned),
            author: "Desk Editor".into(),
            image: true,
        }
    }

    pub fn titled(&self, title: &str) -> Card {
        Card {
            title: title.into(),
            ..self.clone()
        }
    }

    /// The link path of the story (relative to the server).
    pub fn path(&self) -> String {
        format!("/news/{}/", self.slug)
    }
}

/// Three dated stories of the harbour section, newest first: the page many tests serve.
pub fn harbour_stories() -> Vec<Card> {
    vec![
        Card::new(
            "tide-gauge",
            "New tide gauge installed at the pier",
            Some("2024-11-20T10:00:00Z"),
        ),
        Card::new(
            "lighthouse",
            "Lighthouse open for visits this weekend",
            Some("2024-11-19T10:00:00Z"),
        ),
        Card::new(
            "fish-market",
            "Fish market reopens after repairs",
            Some("2024-11-18T10:00:00Z"),
        ),
    ]
}

/// A section page listing `cards` in order.
pub fn grid_page(cards: &[Card]) -> String {
    let mut articles = String::new();
    for card in cards {
        let link = format!("{}?utm_source=section#top", card.path());
        let image = if card.image {
            format!(
                r#"<a class="story-card__media" href="{link}"><img src="/media/{}.jpg" alt=""></a>"#,
                card.slug
            )
        } else {
            String::new()
        };
        let time = card.date.as_ref().map_or_else(String::new, |d| {
            format!(r#"<time datetime="{d}">{d}</time>"#)
        });
        articles.push_str(&format!(
            r#"
      <article class="story-card">
        {image}
        <div class="story-card__body">
          <h3 class="story-card__title"><a href="{link}">{title}</a></h3>
          <p class="story-card__dek">About {title}.</p>
          <footer class="story-card__meta"><span class="byline">{author}</span> {time}</footer>
        </div>
      </article>"#,
            title = card.title,
            author = card.author,
        ));
    }
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>News | The Harbour Ledger</title></head>
<body>
  <main id="content">
    <h1 class="section-title">News</h1>
    <section class="story-grid">{articles}
    </section>
  </main>
</body>
</html>
"#
    )
}

/// The same stories after a redesign: no element matches the feed's `items` any more.
pub fn redesigned_page(cards: &[Card]) -> String {
    grid_page(cards)
        .replace(r#"<article class="story-card">"#, r#"<div class="teaser">"#)
        .replace("</article>", "</div>")
}
