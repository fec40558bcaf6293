//! `feeds.opml`: every published feed as an OPML 2.0 subscription list
//! (<http://opml.org/spec2.opml>), so a reader subscribes to all of them in one import.
//!
//! One `outline` per feed (never one per format, which would subscribe a reader twice)
//! with `type="rss"` as the spec asks of subscription lists, whatever the format;
//! `xmlUrl` is the feed's RSS file, or its Atom file or JSON Feed when it has no RSS,
//! made absolute from `base_url`. Feeds with no file yet are left out, so every
//! `xmlUrl` answers. Written with quick-xml, which escapes every attribute.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::PublishError;
use super::site::Site;
use crate::extract::text::xml_safe;

pub fn render(site: &Site) -> Result<Vec<u8>, PublishError> {
    write(site).map_err(|e| PublishError::Render {
        format: "OPML",
        message: e.to_string(),
    })
}

fn write(site: &Site) -> std::io::Result<Vec<u8>> {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let title = match &site.base_url {
        Some(base) => format!("Feeds at {base}"),
        None => "Feeds".to_owned(),
    };
    writer
        .create_element("opml")
        .with_attribute(("version", "2.0"))
        .write_inner_content(|w| {
            w.create_element("head").write_inner_content(|w| {
                w.create_element("title")
                    .write_text_content(BytesText::new(&title))?;
                w.create_element("docs")
                    .write_text_content(BytesText::new("http://opml.org/spec2.opml"))?;
                Ok(())
            })?;
            w.create_element("body").write_inner_content(|w| {
                for feed in &site.feeds {
                    let Some(base) = &site.base_url else { break };
                    let Some((_, file)) = feed.files.first() else {
                        continue;
                    };
                    let Ok(xml_url) = base.join(file) else {
                        continue;
                    };
                    let title = xml_safe(&feed.title);
                    w.create_element("outline")
                        .with_attributes([
                            ("type", "rss"),
                            ("text", &*title),
                            ("title", &*title),
                            ("xmlUrl", xml_url.as_str()),
                            ("htmlUrl", feed.page_url.as_str()),
                        ])
                        .write_empty()?;
                }
                Ok(())
            })?;
            Ok(())
        })?;
    let mut out = writer.into_inner();
    out.push(b'\n');
    Ok(out)
}
