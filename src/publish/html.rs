//! The HTML body shared by the formats: the item's image on top, then its summary;
//! for an item the page gave neither, a link to the article named by its site.

use crate::extract::text::escape;
use crate::item::{Entry, Summary};

/// The item's content as HTML, or `None` when it has neither image nor summary.
pub fn body(entry: &Entry) -> Option<String> {
    let item = &entry.item;
    let mut out = String::new();
    if let Some(image) = &item.image {
        out.push_str(&format!(
            r#"<p><img src="{}" alt=""></p>"#,
            escape(image.as_str())
        ));
    }
    match &item.summary {
        Some(Summary::Text(text)) => out.push_str(&format!("<p>{}</p>", escape(text))),
        Some(Summary::Html(html)) => out.push_str(html),
        None => {}
    }
    (!out.is_empty()).then_some(out)
}

/// The body of an item with neither image nor summary, for formats that must carry
/// some content (the W3C validator warns on an Atom entry with no summary or content,
/// and rejects a blank one; JSON Feed requires `content_html` or `content_text`): a
/// link to the article, named by its site — never the title again.
pub fn link_body(entry: &Entry) -> String {
    let link = &entry.item.link;
    let site = link
        .host_str()
        .map_or_else(|| link.as_str(), |h| h.trim_start_matches("www."));
    format!(
        r#"<p><a href="{}">{}</a></p>"#,
        escape(link.as_str()),
        escape(site)
    )
}
