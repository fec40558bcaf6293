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
    let (skip, encoding, source) = choose(bytes, content_type);
    finish(&bytes[skip..], encoding, source)
}

/// [`decode_page`] for a body the caller gives up (a fetched page): when it is UTF-8,
/// its bytes become the text as they are, with no copy of the page.
pub fn decode_owned(mut bytes: Vec<u8>, content_type: Option<&str>) -> Decoded {
    let (skip, encoding, source) = choose(&bytes, content_type);
    if encoding != UTF_8 {
        return finish(&bytes[skip..], encoding, source);
    }
    bytes.drain(..skip);
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            let bom = text.len() - text.trim_start_matches('\u{FEFF}').len();
            text.drain(..bom);
            Decoded {
                text,
                encoding,
                source,
            }
        }
        Err(invalid) => finish(invalid.as_bytes(), encoding, source),
    }
}

/// The encoding of a page, why, and how many bytes of BOM to skip.
fn choose(bytes: &[u8], content_type: Option<&str>) -> (usize, &'static Encoding, CharsetSource) {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return (bom_len, encoding, CharsetSource::Bom);
    }

    let declared = content_type
        .and_then(http_charset)
        .map(|enc| (enc, CharsetSource::Http))
        .or_else(|| meta_charset(bytes).map(|enc| (enc, CharsetSource::Meta)));
    let valid_utf8 = std::str::from_utf8(bytes).is_ok();

    match declared {
        Some((encoding, source)) if encoding == UTF_8 => {
            if valid_utf8 {
                (0, UTF_8, source)
            } else {
                match guess_invalid_utf8(bytes) {
                    Some(legacy) => (0, legacy, CharsetSource::Detected),
                    None => (0, UTF_8, source),
                }
            }
        }
        Some((encoding, source)) => {
            if valid_utf8 && utf8_contradicts(bytes, encoding) {
                (0, UTF_8, CharsetSource::Utf8Valid)
            } else {
                (0, encoding, source)
            }
        }
        None if valid_utf8 => (0, UTF_8, CharsetSource::Utf8Valid),
        None => {
            let encoding = guess_invalid_utf8(bytes).unwrap_or(UTF_8);
            (0, encoding, CharsetSource::Detected)
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
mod tests;
