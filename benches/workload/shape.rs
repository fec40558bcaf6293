//! The shapes a section page comes in. The same stories and cards are written in each;
//! what changes is where the bytes are — in the head (a huge inline `<style>`, a
//! `__NEXT_DATA__` JSON blob), in the markup (deep wrappers, many attributes, long BEM
//! class names) or nowhere special (a small head) — because each shape stresses another
//! part of parsing and extraction.

use std::fmt;

/// How a generated page is built around its cards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A Next.js-style news page: a moderate head with styles, scripts, JSON-LD and
    /// `__NEXT_DATA__`, a mega menu, the river of cards, rails and a big footer.
    News,
    /// The same body with a bare head (title and a few metas).
    SmallHead,
    /// A huge inline `<style>` block in the head: about 45% of the bytes.
    InlineCss,
    /// A huge `__NEXT_DATA__` JSON blob with every story again: about 50% of the bytes.
    NextData,
    /// Every card, and the river, wrapped in dozens of layout `<div>`s.
    Deep,
    /// Every element of a card carries half a dozen more `data-*` / `aria-*` attributes.
    ManyAttrs,
    /// Long BEM-style class names (three per element, 30–90 characters each).
    Bem,
}

impl Shape {
    pub const ALL: [Shape; 7] = [
        Shape::News,
        Shape::SmallHead,
        Shape::InlineCss,
        Shape::NextData,
        Shape::Deep,
        Shape::ManyAttrs,
        Shape::Bem,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Shape::News => "news",
            Shape::SmallHead => "small-head",
            Shape::InlineCss => "inline-css",
            Shape::NextData => "next-data",
            Shape::Deep => "deep",
            Shape::ManyAttrs => "many-attrs",
            Shape::Bem => "bem",
        }
    }

    pub fn from_name(name: &str) -> Option<Shape> {
        Shape::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The class attribute value for a block or element called `base` (`card__title`).
    pub fn class(self, base: &str) -> String {
        match self {
            Shape::Bem => format!(
                "{p}{base} {p}{base}--variant-default u-typography-responsive-medium",
                p = BEM_PREFIX
            ),
            _ => base.to_owned(),
        }
    }

    /// The CSS class selector that matches `class(base)`.
    pub fn selector(self, base: &str) -> String {
        match self {
            Shape::Bem => format!(".{BEM_PREFIX}{base}"),
            _ => format!(".{base}"),
        }
    }

    /// The card selector and field rules (feeds.yaml grammar) that find this shape's
    /// cards: what a user would write for such a page.
    pub fn rules(self) -> (String, Vec<(&'static str, String)>) {
        let c = |base: &str| self.selector(base);
        (
            format!("section{} > article{}", c("river"), c("card")),
            vec![
                ("title", format!("h3{}", c("card__title"))),
                ("link", format!("a{}@href", c("card__link"))),
                ("date", "time@datetime".to_owned()),
                ("summary", format!("p{}", c("card__dek"))),
                ("author", format!("span{} a", c("byline"))),
                ("image", format!("img{}@data-src|src", c("card__img"))),
            ],
        )
    }

    /// The share of the page's bytes in the head's inline `<style>`.
    pub fn style_share(self) -> f64 {
        match self {
            Shape::SmallHead => 0.0,
            Shape::InlineCss => 0.45,
            _ => 0.065,
        }
    }

    /// The share of the page's bytes in `__NEXT_DATA__` (at least the cards again).
    pub fn next_data_share(self) -> f64 {
        match self {
            Shape::SmallHead => 0.0,
            Shape::NextData => 0.5,
            _ => 0.0001,
        }
    }

    /// Layout wrappers around the river, and around each card's body.
    pub fn wrappers(self) -> usize {
        match self {
            Shape::Deep => 40,
            _ => 0,
        }
    }

    pub fn many_attributes(self) -> bool {
        self == Shape::ManyAttrs
    }
}

const BEM_PREFIX: &str = "c-section-front-river-layout__story-teaser-collection-";

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
