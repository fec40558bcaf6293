//! Tests of charset decoding: HTTP, BOM, meta, lying declarations and detection.
use super::*;
use encoding_rs::GBK;

fn html_with_meta(meta: &str, body: &[u8]) -> Vec<u8> {
    let mut page =
        format!("<!DOCTYPE html><html><head>{meta}<title>t</title></head><body><p>").into_bytes();
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

#[test]
fn an_owned_body_decodes_exactly_as_a_borrowed_one() {
    let pages: [(&[u8], Option<&str>); 8] = [
        (b"<p>caf\xc3\xa9</p>", Some("text/html; charset=utf-8")),
        (b"<p>caf\xc3\xa9</p>", None),
        (b"\xef\xbb\xbf\xef\xbb\xbf<p>bom twice</p>", None),
        (
            b"\xef\xbb\xbf<p>caf\xc3\xa9</p>",
            Some("text/html; charset=iso-8859-1"),
        ),
        (
            b"<meta charset=utf-8><p>caf\xe9 cr\xe8me br\xfbl\xe9e</p>",
            None,
        ),
        (b"<p>caf\xe9</p>", Some("text/html; charset=windows-1252")),
        (b"\xff\xfe<\x00p\x00>\x00", None),
        (b"", None),
    ];
    for (page, content_type) in pages {
        let borrowed = decode_page(page, content_type);
        let owned = decode_owned(page.to_vec(), content_type);
        assert_eq!(owned.text, borrowed.text, "{page:?}");
        assert_eq!(owned.encoding, borrowed.encoding, "{page:?}");
        assert_eq!(owned.source, borrowed.source, "{page:?}");
        assert!(!owned.text.starts_with('\u{FEFF}'));
    }
}
