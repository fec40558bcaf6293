//! `preview`: what a feed would get from its page right now, written nowhere.

use std::fmt::Write;

use crate::extract::Extraction;
use crate::item::Item;

/// A readable table of the extracted items: date, title, link.
pub fn table(extraction: &Extraction, limit: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} item(s) from {} card(s) — cards: {}{}",
        extraction.items.len(),
        extraction.cards,
        extraction.card_source,
        if extraction.skipped > 0 {
            format!(", {} skipped (no title or link)", extraction.skipped)
        } else {
            String::new()
        }
    );
    let _ = writeln!(out, "{:<17}  {:<60}  LINK", "DATE", "TITLE");
    for item in extraction.items.iter().take(limit) {
        let _ = writeln!(
            out,
            "{:<17}  {:<60}  {}",
            date(item),
            clip(&item.title, 60),
            item.link
        );
    }
    if extraction.items.len() > limit {
        let _ = writeln!(out, "… and {} more", extraction.items.len() - limit);
    }
    if !extraction.unparsed_dates.is_empty() {
        let _ = writeln!(
            out,
            "note: {} date(s) not understood, e.g. {:?} (set `date_format`, or the first-seen time is used)",
            extraction.unparsed_dates.len(),
            extraction.unparsed_dates[0]
        );
    }
    out
}

fn date(item: &Item) -> String {
    item.date.map_or_else(
        || "(first seen)".to_owned(),
        |d| d.format("%Y-%m-%d %H:%M").to_string(),
    )
}

/// `text` cut to `width` characters, with `…` when it was longer.
pub fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(width - 1).collect();
        format!("{cut}…")
    }
}
