//! Turns the raw bytes of a fetched page into UTF-8 text.
//!
//! Section pages arrive in every encoding the web has ever used, and their
//! declarations are often wrong (a page that says `<meta charset=gb2312>` but
//! is really UTF-8 is common). Selectors, titles and summaries only work on
//! correctly decoded text, so this module decides the encoding once, in a
//! fixed order, and reports how it decided:
//!
//! 1. a byte order mark (UTF-8, UTF-16LE, UTF-16BE) wins over everything;
//! 2. the `charset` parameter of the HTTP `Content-Type` header;
//! 3. a `<meta charset>` or `<meta http-equiv="Content-Type">` declaration
//!    near the start of the document;
//! 4. detection with `chardetng`.
//!
//! A declaration of a legacy encoding is overruled when the bytes are valid
//! UTF-8 and contain non-ASCII, because such bytes are almost never meant as
//! anything but UTF-8. The decoded text never starts with a BOM.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252, X_USER_DEFINED};

/// How many bytes from the start of the document are searched for a
/// `<meta>` charset declaration. The HTML standard says 1024; real pages put
/// long `<script>`/`<link>` blocks first, so we look a little further.
const META_SCAN_LIMIT: usize = 4096;

/// A page decoded to UTF-8, with the encoding used and how it was chosen.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The decoded text, without a leading byte order mark.
    pub text: String,
    /// The encoding the bytes were decoded with.
    pub encoding: &'static Encoding,
    /// Why that encoding was chosen.
    pub source: CharsetSource,
}

/// Where the encoding of a [`Decoded`] page came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharsetSource {
    /// The `charset` parameter of the HTTP `Content-Type` header.
    Http,
    /// A byte order mark at the start of the body.
    Bom,
    /// A `<meta charset>` or `<meta http-equiv="Content-Type">` declaration.
    Meta,
    /// The bytes are valid UTF-8: either nothing was declared, or a legacy
    /// encoding was declared but the bytes contradict it.
    Utf8Valid,
    /// Nothing usable was declared (or a declared UTF-8 was contradicted by
    /// the bytes) and the encoding was guessed from the bytes.
    Detected,
}

/// Decodes page bytes to UTF-8 text.
///
/// `content_type` is the raw HTTP `Content-Type` header value, if any
/// (e.g. `text/html; charset=ISO-8859-1`). Decoding never fails: malformed
/// sequences become U+FFFD.
pub fn decode_page(bytes: &[u8], content_type: Option<&str>) -> Decoded {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return finish(&bytes[bom_len..], encoding, CharsetSource::Bom);
    }

    let declared = content_type
        .and_then(http_charset)
        .map(|enc| (enc, CharsetSource::Http))
        .or_else(|| meta_charset(bytes).map(|enc| (enc, CharsetSource::Meta)));
    let valid_utf8 = std::str::from_utf8(bytes).is_ok();

    match declared {
        Some((encoding, source)) if encoding == UTF_8 => {
            if valid_utf8 {
                finish(bytes, UTF_8, source)
            } else {
                match guess_invalid_utf8(bytes) {
                    Some(legacy) => finish(bytes, legacy, CharsetSource::Detected),
                    None => finish(bytes, UTF_8, source),
                }
            }
        }
        Some((encoding, source)) => {
            if valid_utf8 && utf8_contradicts(bytes, encoding) {
                finish(bytes, UTF_8, CharsetSource::Utf8Valid)
            } else {
                finish(bytes, encoding, source)
            }
        }
        None if valid_utf8 => finish(bytes, UTF_8, CharsetSource::Utf8Valid),
        None => {
            let encoding = guess_invalid_utf8(bytes).unwrap_or(UTF_8);
            finish(bytes, encoding, CharsetSource::Detected)
        }
    }
}

/// Decodes `bytes` (already stripped of any BOM) and builds the result.
fn finish(bytes: &[u8], encoding: &'static Encoding, source: CharsetSource) -> Decoded {
    let (text, _had_errors) = encoding.decode_without_bom_handling(bytes);
    // A second BOM (e.g. a UTF-8 BOM re-encoded after a UTF-16 one) would
    // otherwise survive as U+FEFF at the start of the text.
    let text = text.trim_start_matches('\u{FEFF}').to_owned();
    Decoded {
        text,
        encoding,
        source,
    }
}

/// Whether bytes that are valid UTF-8 should be read as UTF-8 even though
/// `declared` (a non-UTF-8 encoding) was declared.
fn utf8_contradicts(bytes: &[u8], declared: &'static Encoding) -> bool {
    if !bytes.is_ascii() {
        return true;
    }
    // Pure ASCII reads the same in every ASCII-compatible encoding, so the
    // declaration may stand. UTF-16 without a BOM is different: real UTF-16
    // markup is full of NUL bytes, so NUL-free ASCII is a mislabelled page.
    (declared == UTF_16LE || declared == UTF_16BE) && !bytes.contains(&0)
}

/// Chooses an encoding for bytes that are not valid UTF-8.
///
/// Returns `None` when the bytes are still mostly UTF-8 (valid multi-byte
/// sequences clearly outnumber the malformed ones, as with a page that has
/// one stray byte or was cut off mid-character), meaning "decode as UTF-8
/// with replacement characters". Otherwise returns chardetng's guess.
fn guess_invalid_utf8(bytes: &[u8]) -> Option<&'static Encoding> {
    let mut multibyte = 0usize;
    let mut errors = 0usize;
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            errors += 1;
        }
    }
    if multibyte > 0 && multibyte >= errors.saturating_mul(4) {
        return None;
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, Utf8Detection::Allow);
    if guess == UTF_8 { None } else { Some(guess) }
}

/// Extracts the encoding named by the `charset` parameter of a
/// `Content-Type` header value. Unknown labels and the "replacement"
/// encoding (which would turn the whole page into one U+FFFD) are ignored.
fn http_charset(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
        Encoding::for_label_no_replacement(value.as_bytes())
    })
}

/// Looks for a `<meta>` charset declaration in the first
/// [`META_SCAN_LIMIT`] bytes, in the spirit of the HTML "prescan": comments
/// are skipped, attributes of other tags are stepped over so that a `>` or
/// `<meta` inside a quoted value does not confuse the scan, and the first
/// recognised label wins.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let buf = &bytes[..bytes.len().min(META_SCAN_LIMIT)];
    let mut i = 0;
    while i < buf.len() {
        if buf[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &buf[i..];
        if rest.starts_with(b"<!--") {
            // `<!-->` is an (empty) comment too, hence the search from i + 2.
            i = match find(&buf[i + 2..], b"-->") {
                Some(pos) => i + 2 + pos + 3,
                None => buf.len(),
            };
        } else if starts_with_ignore_case(rest, b"<meta")
            && rest.get(5).is_some_and(|&b| is_space(b) || b == b'/')
        {
            let (attrs, end) = parse_attributes(buf, i + 5);
            if let Some(encoding) = charset_from_meta(&attrs) {
                return Some(encoding);
            }
            i = end;
        } else if rest.get(1).is_some_and(u8::is_ascii_alphabetic)
            || (rest.get(1) == Some(&b'/') && rest.get(2).is_some_and(u8::is_ascii_alphabetic))
        {
            let name_end = rest
                .iter()
                .position(|&b| is_space(b) || b == b'>')
                .unwrap_or(rest.len());
            let (_, end) = parse_attributes(buf, i + name_end);
            i = end;
        } else {
            i += 1;
        }
    }
    None
}

/// The encoding a `<meta>` element's attributes declare, if any.
fn charset_from_meta(attrs: &[Attribute]) -> Option<&'static Encoding> {
    let get = |name: &[u8]| {
        attrs
            .iter()
            .find(|(n, _)| n.as_slice() == name)
            .map(|(_, v)| v.as_slice())
    };
    let label = match get(b"charset") {
        Some(label) => label,
        None => {
            let http_equiv = get(b"http-equiv")?;
            if !http_equiv
                .trim_ascii()
                .eq_ignore_ascii_case(b"content-type")
            {
                return None;
            }
            charset_from_content(get(b"content")?)?
        }
    };
    // `<meta charset=utf-8/>`: an unquoted value runs into the `/` of a
    // self-closing tag; no label ends in `/`.
    let label = label.strip_suffix(b"/").unwrap_or(label);
    let encoding = Encoding::for_label_no_replacement(label)?;
    // As in the HTML standard: a document that could be read far enough to
    // find this tag as ASCII is not UTF-16, and x-user-defined means 1252.
    Some(if encoding == UTF_16LE || encoding == UTF_16BE {
        UTF_8
    } else if encoding == X_USER_DEFINED {
        WINDOWS_1252
    } else {
        encoding
    })
}

/// Extracts the value after `charset=` in a `content` attribute such as
/// `text/html; charset="gbk"`.
fn charset_from_content(content: &[u8]) -> Option<&[u8]> {
    let mut from = 0;
    loop {
        let pos = from + find_ignore_case(&content[from..], b"charset")?;
        let mut j = pos + b"charset".len();
        while content.get(j).is_some_and(|&b| is_space(b)) {
            j += 1;
        }
        if content.get(j) != Some(&b'=') {
            from = pos + 1;
            continue;
        }
        j += 1;
        while content.get(j).is_some_and(|&b| is_space(b)) {
            j += 1;
        }
        let value = &content[j..];
        return match value.first() {
            Some(&quote @ (b'"' | b'\'')) => {
                let inner = &value[1..];
                let end = inner.iter().position(|&b| b == quote)?;
                Some(&inner[..end])
            }
            Some(_) => {
                let end = value
                    .iter()
                    .position(|&b| is_space(b) || b == b';')
                    .unwrap_or(value.len());
                Some(&value[..end])
            }
            None => None,
        };
    }
}

/// A tag attribute found by the prescan: lower-cased name and raw value.
type Attribute = (Vec<u8>, Vec<u8>);

/// Parses tag attributes starting at `start` (just after the tag name).
/// Returns the attributes (names lower-cased, first occurrence wins) and
/// the index just past the closing `>` (or the end of `buf`).
fn parse_attributes(buf: &[u8], start: usize) -> (Vec<Attribute>, usize) {
    let mut attrs: Vec<Attribute> = Vec::new();
    let mut i = start;
    loop {
        while buf.get(i).is_some_and(|&b| is_space(b) || b == b'/') {
            i += 1;
        }
        match buf.get(i) {
            None => return (attrs, buf.len()),
            Some(b'>') => return (attrs, i + 1),
            Some(_) => {}
        }
        let name_start = i;
        while buf
            .get(i)
            .is_some_and(|&b| !is_space(b) && !matches!(b, b'=' | b'>' | b'/'))
        {
            i += 1;
        }
        // A name may start with '=' (`<meta =x>`): take it so we make progress.
        if i == name_start {
            i += 1;
        }
        let name = buf[name_start..i].to_ascii_lowercase();
        let mut j = i;
        while buf.get(j).is_some_and(|&b| is_space(b)) {
            j += 1;
        }
        let mut value = Vec::new();
        if buf.get(j) == Some(&b'=') {
            j += 1;
            while buf.get(j).is_some_and(|&b| is_space(b)) {
                j += 1;
            }
            match buf.get(j) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let inner_start = j + 1;
                    let end = buf[inner_start..]
                        .iter()
                        .position(|&b| b == quote)
                        .map_or(buf.len(), |p| inner_start + p);
                    value.extend_from_slice(&buf[inner_start..end]);
                    j = (end + 1).min(buf.len());
                }
                _ => {
                    let value_start = j;
                    while buf.get(j).is_some_and(|&b| !is_space(b) && b != b'>') {
                        j += 1;
                    }
                    value.extend_from_slice(&buf[value_start..j]);
                }
            }
            i = j;
        }
        if !attrs.iter().any(|(n, _)| *n == name) {
            attrs.push((name, value));
        }
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

fn starts_with_ignore_case(haystack: &[u8], prefix: &[u8]) -> bool {
    haystack.len() >= prefix.len() && haystack[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn find_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::GBK;

    fn html_with_meta(meta: &str, body: &[u8]) -> Vec<u8> {
        let mut page = format!("<!DOCTYPE html><html><head>{meta}<title>t</title></head><body><p>")
            .into_bytes();
        page.extend_from_slice(body);
        page.extend_from_slice(b"</p></body></html>");
        page
    }

    /// "Mönchengladbach siegt: „Das war „stark“" style text in windows-1252,
    /// with 0xF6 = ö and 0x93/0x94 = curly double quotes.
    fn win1252_text() -> Vec<u8> {
        let mut v = Vec::new();
        for _ in 0..3 {
            v.extend_from_slice(b"Borussia M\xf6nchengladbach gewinnt das Derby. ");
            v.extend_from_slice(b"Der Trainer sagte: \x93Wir haben gro\xdfartig gespielt\x94. ");
            v.extend_from_slice(
                b"Die Fans feierten bis sp\xe4t in die Nacht, die Stra\xdfen waren voll. ",
            );
        }
        v
    }

    #[test]
    fn http_charset_is_used() {
        let page = html_with_meta("", b"caf\xe9");
        let d = decode_page(&page, Some("text/html; charset=ISO-8859-1"));
        assert_eq!(d.source, CharsetSource::Http);
        assert_eq!(d.encoding, WINDOWS_1252); // iso-8859-1 is an alias
        assert!(d.text.contains("café"));
    }

    #[test]
    fn http_charset_quoted_and_cased() {
        let page = html_with_meta("", b"caf\xe9");
        let d = decode_page(&page, Some("text/html;Charset=\"windows-1252\""));
        assert_eq!(d.source, CharsetSource::Http);
        assert!(d.text.contains("café"));
    }

    #[test]
    fn http_charset_beats_meta() {
        let page = html_with_meta("<meta charset=\"gbk\">", b"caf\xe9");
        let d = decode_page(&page, Some("text/html; charset=windows-1252"));
        assert_eq!(d.source, CharsetSource::Http);
        assert!(d.text.contains("café"));
    }

    #[test]
    fn unknown_http_charset_falls_through_to_meta() {
        let page = html_with_meta("<meta charset=\"windows-1252\">", b"caf\xe9");
        let d = decode_page(&page, Some("text/html; charset=none"));
        assert_eq!(d.source, CharsetSource::Meta);
        assert!(d.text.contains("café"));
    }

    #[test]
    fn utf8_bom_is_stripped_and_wins() {
        let mut page = b"\xef\xbb\xbf".to_vec();
        page.extend_from_slice(&html_with_meta(
            "<meta charset=windows-1252>",
            "Grüße".as_bytes(),
        ));
        let d = decode_page(&page, Some("text/html; charset=iso-8859-2"));
        assert_eq!(d.source, CharsetSource::Bom);
        assert_eq!(d.encoding, UTF_8);
        assert!(d.text.starts_with("<!DOCTYPE"));
        assert!(d.text.contains("Grüße"));
        assert!(!d.text.contains('\u{FEFF}'));
    }

    #[test]
    fn utf16le_bom() {
        let mut page = vec![0xff, 0xfe];
        for unit in "<p>Grüße 网易</p>".encode_utf16() {
            page.extend_from_slice(&unit.to_le_bytes());
        }
        let d = decode_page(&page, Some("text/html; charset=utf-8"));
        assert_eq!(d.source, CharsetSource::Bom);
        assert_eq!(d.encoding, UTF_16LE);
        assert_eq!(d.text, "<p>Grüße 网易</p>");
    }

    #[test]
    fn utf16be_bom() {
        let mut page = vec![0xfe, 0xff];
        for unit in "<p>ö</p>".encode_utf16() {
            page.extend_from_slice(&unit.to_be_bytes());
        }
        let d = decode_page(&page, None);
        assert_eq!(d.source, CharsetSource::Bom);
        assert_eq!(d.encoding, UTF_16BE);
        assert_eq!(d.text, "<p>ö</p>");
    }

    #[test]
    fn double_bom_leaves_no_bom() {
        let d = decode_page(b"\xef\xbb\xbf\xef\xbb\xbfhi", None);
        assert_eq!(d.source, CharsetSource::Bom);
        assert_eq!(d.text, "hi");
    }

    #[test]
    fn meta_charset_attribute() {
        let page = html_with_meta("<meta charset=\"windows-1252\">", b"caf\xe9");
        let d = decode_page(&page, None);
        assert_eq!(d.source, CharsetSource::Meta);
        assert_eq!(d.encoding, WINDOWS_1252);
        assert!(d.text.contains("café"));
    }

    #[test]
    fn meta_charset_unquoted_uppercase_self_closing() {
        let page = html_with_meta("<META CHARSET=ISO-8859-1/>", b"caf\xe9");
        let d = decode_page(&page, None);
        assert_eq!(d.source, CharsetSource::Meta);
        assert_eq!(d.encoding, WINDOWS_1252);
    }

    #[test]
    fn meta_http_equiv() {
        let page = html_with_meta(
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">",
            b"caf\xe9",
        );
        let d = decode_page(&page, None);
        assert_eq!(d.source, CharsetSource::Meta);
        assert_eq!(d.encoding, WINDOWS_1252);
        assert!(d.text.contains("café"));
    }

    #[test]
    fn meta_http_equiv_content_first() {
        let page = html_with_meta(
            "<meta content='text/html;charset = \"windows-1252\"' HTTP-EQUIV='content-type' />",
            b"caf\xe9",
        );
        let d = decode_page(&page, None);
        assert_eq!(d.source, CharsetSource::Meta);
        assert!(d.text.contains("café"));
    }

    #[test]
    fn meta_content_without_http_equiv_is_ignored() {
        assert_eq!(
            meta_charset(b"<meta name=x content=\"text/html; charset=gbk\">"),
            None
        );
    }

    #[test]
    fn meta_in_comment_or_attribute_is_ignored() {
        let bytes = b"<!-- <meta charset=gbk> --><div title='<meta charset=big5>'>\
                      <meta charset=windows-1252>";
        assert_eq!(meta_charset(bytes), Some(WINDOWS_1252));
    }

    #[test]
    fn meta_after_long_head_is_found() {
        let mut page = b"<html><head>".to_vec();
        page.extend(std::iter::repeat_n(b' ', 2000));
        page.extend_from_slice(b"<meta charset=\"windows-1252\">");
        assert_eq!(meta_charset(&page), Some(WINDOWS_1252));
    }

    #[test]
    fn meta_utf16_means_utf8() {
        assert_eq!(meta_charset(b"<meta charset=utf-16le>"), Some(UTF_8));
    }

    #[test]
    fn windows_1252_with_meta() {
        let page = html_with_meta("<meta charset=\"windows-1252\">", &win1252_text());
        let d = decode_page(&page, None);
        assert_eq!(d.source, CharsetSource::Meta);
        assert!(d.text.contains("Mönchengladbach"));
        assert!(
            d.text
                .contains("\u{201c}Wir haben großartig gespielt\u{201d}")
        );
    }

    #[test]
    fn gb2312_meta_with_utf8_bytes_is_utf8() {
        let page = html_with_meta("<meta charset=\"gb2312\">", "网易新闻".as_bytes());
        let d = decode_page(&page, None);
        assert_eq!(d.source, CharsetSource::Utf8Valid);
        assert_eq!(d.encoding, UTF_8);
        assert!(d.text.contains("网易新闻"));
    }

    #[test]
    fn legacy_http_charset_with_utf8_bytes_is_utf8() {
        let page = html_with_meta("", "Grüße".as_bytes());
        let d = decode_page(&page, Some("text/html; charset=iso-8859-1"));
        assert_eq!(d.source, CharsetSource::Utf8Valid);
        assert!(d.text.contains("Grüße"));
    }

    #[test]
    fn ascii_with_legacy_declaration_keeps_declaration() {
        let page = html_with_meta("<meta charset=\"gb2312\">", b"plain");
        let d = decode_page(&page, None);
        assert_eq!(d.source, CharsetSource::Meta);
        assert_eq!(d.encoding, GBK);
    }

    #[test]
    fn gbk_bytes_with_gb2312_meta() {
        let text = "网易新闻：今天的头条新闻，国内外要闻。";
        let (gbk, _, _) = GBK.encode(text);
        assert!(std::str::from_utf8(&gbk).is_err());
        let page = html_with_meta(
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">",
            &gbk,
        );
        let d = decode_page(&page, None);
        assert_eq!(d.source, CharsetSource::Meta);
        assert_eq!(d.encoding, GBK);
        assert!(d.text.contains(text));
    }

    #[test]
    fn undeclared_windows_1252_is_detected() {
        let page = html_with_meta("", &win1252_text());
        let d = decode_page(&page, None);
        assert_eq!(d.source, CharsetSource::Detected);
        assert_eq!(d.encoding, WINDOWS_1252);
        assert!(d.text.contains("Mönchengladbach"));
        assert!(d.text.contains('\u{201c}'));
    }

    #[test]
    fn undeclared_gbk_is_detected() {
        let text = "网易新闻：今天的头条新闻，国内外要闻。经济、体育、娱乐、科技。";
        let (gbk, _, _) = GBK.encode(text);
        let page = html_with_meta("", &gbk);
        let d = decode_page(&page, None);
        assert_eq!(d.source, CharsetSource::Detected);
        assert!(d.text.contains(text), "{:?} {}", d.encoding, d.text);
    }

    #[test]
    fn declared_utf8_with_legacy_bytes_is_detected() {
        let page = html_with_meta("<meta charset=utf-8>", &win1252_text());
        let d = decode_page(&page, Some("text/html; charset=UTF-8"));
        assert_eq!(d.source, CharsetSource::Detected);
        assert_eq!(d.encoding, WINDOWS_1252);
        assert!(d.text.contains("Mönchengladbach"));
    }

    #[test]
    fn declared_utf8_with_one_stray_byte_stays_utf8() {
        let mut body = "Grüße aus Köln, schöne Grüße, 网易新闻 "
            .repeat(3)
            .into_bytes();
        body.push(0xff);
        let page = html_with_meta("<meta charset=utf-8>", &body);
        let d = decode_page(&page, None);
        assert_eq!(d.source, CharsetSource::Meta);
        assert_eq!(d.encoding, UTF_8);
        assert!(d.text.contains("Grüße aus Köln"));
        assert!(d.text.contains('\u{FFFD}'));
    }

    #[test]
    fn undeclared_utf8() {
        let page = html_with_meta("", "Grüße 网易".as_bytes());
        let d = decode_page(&page, None);
        assert_eq!(d.source, CharsetSource::Utf8Valid);
        assert_eq!(d.encoding, UTF_8);
        assert!(d.text.contains("Grüße 网易"));
    }

    #[test]
    fn pure_ascii() {
        let page = html_with_meta("", b"hello");
        let d = decode_page(&page, None);
        assert_eq!(d.source, CharsetSource::Utf8Valid);
        assert_eq!(d.encoding, UTF_8);
        assert_eq!(d.text.as_bytes(), page.as_slice());
    }

    #[test]
    fn http_utf16_without_bom_on_ascii_is_utf8() {
        let d = decode_page(b"<p>hello</p>", Some("text/html; charset=utf-16"));
        assert_eq!(d.source, CharsetSource::Utf8Valid);
        assert_eq!(d.text, "<p>hello</p>");
    }

    #[test]
    fn empty_input() {
        let d = decode_page(b"", None);
        assert_eq!(d.text, "");
        assert_eq!(d.encoding, UTF_8);
        assert_eq!(d.source, CharsetSource::Utf8Valid);
        let d = decode_page(b"", Some("text/html; charset=gbk"));
        assert_eq!(d.text, "");
        assert_eq!(d.source, CharsetSource::Http);
    }

    #[test]
    fn truncated_tags_do_not_panic() {
        for page in [
            &b"<meta"[..],
            b"<meta ",
            b"<meta charset=",
            b"<meta charset='gbk",
            b"<meta http-equiv=content-type content=\"charset=",
            b"<!--",
            b"<a href='x",
            b"<",
            b"</",
            b"<meta =x charset=gbk>",
        ] {
            let _ = decode_page(page, None);
        }
        assert_eq!(meta_charset(b"<meta =x charset=gbk>"), Some(GBK));
    }
}
