//! Is this response an HTML page at all?
//!
//! A section URL that starts serving a PDF, an image or a feed should fail as "not an
//! HTML page (application/pdf)", not as "no cards match" — the selector is not what
//! broke. The declared type decides when it is clearly not HTML; when it is missing or
//! vague (`text/plain`, `application/octet-stream`), the first bytes are looked at, as
//! browsers do.

/// Why a body is not an HTML page: its type, as a user would name it.
pub type NotHtml = String;

/// Types whose bodies are never read as pages: refused before the body is downloaded.
pub fn refuse_early(content_type: Option<&str>) -> Option<NotHtml> {
    let essence = essence(content_type?);
    let binary = ["image/", "audio/", "video/", "font/", "model/"]
        .iter()
        .any(|family| essence.starts_with(family))
        || matches!(
            essence.as_str(),
            "application/pdf"
                | "application/zip"
                | "application/gzip"
                | "application/x-gzip"
                | "application/msword"
                | "application/vnd.ms-excel"
                | "application/wasm"
        )
        || essence.starts_with("application/vnd.openxmlformats");
    binary.then(|| describe(&essence))
}

/// Checks a downloaded body against its declared type.
pub fn check(content_type: Option<&str>, body: &[u8]) -> Result<(), NotHtml> {
    if let Some(refused) = refuse_early(content_type) {
        return Err(refused);
    }
    let essence = content_type.map(essence);
    match essence.as_deref() {
        Some("text/html" | "application/xhtml+xml") => Ok(()),
        declared => {
            if looks_like_html(body) {
                return Ok(());
            }
            Err(match (declared, sniff(body)) {
                (_, Some(kind)) => kind.to_owned(),
                (Some(declared), None) => describe(declared),
                (None, None) => "no Content-Type, and it does not start like HTML".to_owned(),
            })
        }
    }
}

/// `text/html; charset=utf-8` → `text/html`.
fn essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

fn describe(essence: &str) -> String {
    match essence {
        "application/rss+xml" | "application/atom+xml" | "application/feed+json" => {
            format!("{essence}: it is already a feed, subscribe to it directly")
        }
        other => other.to_owned(),
    }
}

/// A body that opens with markup (after a BOM and whitespace) is taken as HTML.
fn looks_like_html(body: &[u8]) -> bool {
    let body = body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(body);
    let start: Vec<u8> = body
        .iter()
        .copied()
        .skip_while(u8::is_ascii_whitespace)
        .take(512)
        .collect();
    let lower = start.to_ascii_lowercase();
    let is_xml_feed =
        lower.starts_with(b"<?xml") && (contains(&lower, b"<rss") || contains(&lower, b"<feed"));
    lower.first() == Some(&b'<') && !is_xml_feed && sniff(body).is_none()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The few binary formats worth naming.
fn sniff(body: &[u8]) -> Option<&'static str> {
    const MAGIC: [(&[u8], &str); 7] = [
        (b"%PDF-", "a PDF document"),
        (b"\x89PNG", "a PNG image"),
        (b"GIF8", "a GIF image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"PK\x03\x04", "a ZIP archive"),
        (b"\x1f\x8b", "gzip data"),
        (b"RIFF", "a RIFF (WebP, WAV, AVI) file"),
    ];
    MAGIC
        .iter()
        .find(|(magic, _)| body.starts_with(magic))
        .map(|&(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_accepted_by_type_or_by_its_first_bytes() {
        assert!(check(Some("text/html; charset=utf-8"), b"").is_ok());
        assert!(check(Some("application/xhtml+xml"), b"<html/>").is_ok());
        assert!(check(None, b"\xef\xbb\xbf  <!DOCTYPE html><html>").is_ok());
        assert!(check(Some("text/plain"), b"<html><body>").is_ok());
        assert!(check(Some("application/octet-stream"), b"\n<div>").is_ok());
    }

    #[test]
    fn other_types_are_named() {
        assert_eq!(
            refuse_early(Some("application/pdf")),
            Some("application/pdf".into())
        );
        assert_eq!(refuse_early(Some("image/png")), Some("image/png".into()));
        assert_eq!(refuse_early(Some("text/html")), None);
        assert_eq!(check(None, b"%PDF-1.7 ...").unwrap_err(), "a PDF document");
        assert_eq!(
            check(Some("application/json"), b"{\"a\": 1}").unwrap_err(),
            "application/json"
        );
        let feed = check(
            Some("application/rss+xml"),
            b"<?xml version=\"1.0\"?><rss version=\"2.0\">",
        )
        .unwrap_err();
        assert!(feed.contains("already a feed"), "{feed}");
        assert!(check(Some("text/xml"), b"<?xml version='1.0'?><feed>").is_err());
    }
}
