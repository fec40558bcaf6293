//! Strong ETags that stay strong under compression.
//!
//! `ServeDir` gives each file a strong ETag from its size and modification time, and
//! the compression layer then sends gzip or brotli bytes under that same tag. A strong
//! tag promises byte-identical content, so two encodings must not share one (caches
//! and range requests rely on it). The tag of an encoded response therefore carries
//! the coding: `"65f1…-1a2b"` becomes `"65f1…-1a2b-br"`. A reader revalidates with the
//! tag it holds; before the request reaches `ServeDir` the coding is taken off again
//! (the file is the same file), and a 304 answers with the tag the reader sent, the
//! representation it already has.

use axum::http::HeaderValue;

/// The content codings the server may apply, as they appear in `Content-Encoding`.
const CODINGS: [&str; 2] = ["gzip", "br"];

/// An `If-None-Match` value with the codings taken off its tags, and the tags as sent.
pub struct Revalidation {
    /// The header for `ServeDir`, which knows only the files' own tags.
    pub for_files: HeaderValue,
    sent: Vec<String>,
}

impl Revalidation {
    /// Reads an `If-None-Match` header; `None` when it is not text (left alone).
    pub fn of(if_none_match: &HeaderValue) -> Option<Revalidation> {
        let text = if_none_match.to_str().ok()?;
        let sent: Vec<String> = text.split(',').map(|t| t.trim().to_owned()).collect();
        let plain: Vec<String> = sent.iter().map(|tag| untagged(tag)).collect();
        let for_files = HeaderValue::from_str(&plain.join(", ")).ok()?;
        Some(Revalidation { for_files, sent })
    }

    /// The tag a 304 should carry: the one the reader sent that names the file's
    /// current tag `etag` (with whichever coding the reader has).
    pub fn matching(&self, etag: &HeaderValue) -> Option<HeaderValue> {
        let etag = etag.to_str().ok()?;
        self.sent
            .iter()
            .find(|tag| untagged(tag).trim_start_matches("W/") == etag)
            .and_then(|tag| HeaderValue::from_str(tag.trim_start_matches("W/")).ok())
    }
}

/// The tag of a response sent with `coding`: `"x"` → `"x-gzip"`.
pub fn with_coding(etag: &HeaderValue, coding: &HeaderValue) -> Option<HeaderValue> {
    let coding = coding.to_str().ok()?;
    let etag = etag.to_str().ok()?;
    if !CODINGS.contains(&coding) || etag.starts_with("W/") {
        return None;
    }
    let opaque = etag.strip_prefix('"')?.strip_suffix('"')?;
    HeaderValue::from_str(&format!("\"{opaque}-{coding}\"")).ok()
}

/// A tag as sent, without a coding suffix: `"x-br"` → `"x"` (others unchanged).
/// (The files' own tags end in a hexadecimal size, never in a coding's name.)
fn untagged(tag: &str) -> String {
    for coding in CODINGS {
        if let Some(opaque) = tag.strip_suffix(&format!("-{coding}\"")) {
            return format!("{opaque}\"");
        }
    }
    tag.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> HeaderValue {
        HeaderValue::from_str(text).unwrap()
    }

    #[test]
    fn an_encoded_response_gets_its_own_strong_tag() {
        let tag = value("\"65f1a2.0000000a-1a2b\"");
        assert_eq!(
            with_coding(&tag, &value("br")).unwrap(),
            "\"65f1a2.0000000a-1a2b-br\""
        );
        assert_eq!(
            with_coding(&tag, &value("gzip")).unwrap(),
            "\"65f1a2.0000000a-1a2b-gzip\""
        );
        assert!(with_coding(&tag, &value("zstd")).is_none(), "not ours");
        assert!(with_coding(&value("W/\"x\""), &value("br")).is_none());
    }

    #[test]
    fn revalidation_names_the_file_and_answers_with_the_readers_tag() {
        let sent = value("\"a-1-br\", W/\"b-2\", \"c-3-gzip\"");
        let revalidation = Revalidation::of(&sent).unwrap();
        assert_eq!(revalidation.for_files, "\"a-1\", W/\"b-2\", \"c-3\"");
        assert_eq!(
            revalidation.matching(&value("\"c-3\"")).unwrap(),
            "\"c-3-gzip\""
        );
        assert_eq!(revalidation.matching(&value("\"b-2\"")).unwrap(), "\"b-2\"");
        assert!(revalidation.matching(&value("\"d-4\"")).is_none());
        let any = Revalidation::of(&value("*")).unwrap();
        assert_eq!(any.for_files, "*");
    }
}
