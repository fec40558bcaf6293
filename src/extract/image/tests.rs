//! Tests of image finding: every attribute, placeholder and layout the finder handles.
use super::*;
use scraper::{Html, Selector};

const BASE: &str = "https://example.com/news/section/";

fn base() -> Url {
    Url::parse(BASE).unwrap()
}

/// `card_image` on the first `.card` of `html`.
fn card(html: &str) -> Option<String> {
    let doc = Html::parse_document(html);
    let sel = Selector::parse(".card").unwrap();
    let el = doc.select(&sel).next().expect("a .card element");
    card_image(el, &base()).map(String::from)
}

/// `element_image` on the first element matching `selector`.
fn element(html: &str, selector: &str) -> Option<String> {
    let doc = Html::parse_document(html);
    let sel = Selector::parse(selector).unwrap();
    let el = doc.select(&sel).next().expect("a matching element");
    element_image(el, &base()).map(String::from)
}

fn value(v: &str) -> Option<String> {
    image_from_value(v, &base()).map(String::from)
}

fn abs(path: &str) -> Option<String> {
    Some(format!("https://example.com{path}"))
}

#[test]
fn scraper_keeps_noscript_content_as_text() {
    let doc = Html::parse_document(
        r#"<div class="card"><noscript><img src="/a.jpg" alt="x &amp; y"></noscript></div>"#,
    );
    let sel = Selector::parse("noscript").unwrap();
    let noscript = doc.select(&sel).next().unwrap();
    assert_eq!(noscript.children().filter_map(ElementRef::wrap).count(), 0);
    let text: String = noscript.text().collect();
    assert_eq!(text, r#"<img src="/a.jpg" alt="x &amp; y">"#);
    assert!(
        doc.select(&Selector::parse("img").unwrap())
            .next()
            .is_none()
    );
}

#[test]
fn plain_src() {
    assert_eq!(
        card(r#"<div class="card"><img src="/img/a.jpg"></div>"#),
        abs("/img/a.jpg")
    );
}

#[test]
fn relative_src_joins_base() {
    assert_eq!(
        card(r#"<div class="card"><img src="thumbs/a.jpg"></div>"#),
        abs("/news/section/thumbs/a.jpg")
    );
    assert_eq!(
        card(r#"<div class="card"><img src="../b.png"></div>"#),
        abs("/news/b.png")
    );
}

#[test]
fn whitespace_around_src_is_trimmed() {
    assert_eq!(
        card("<div class=\"card\"><img src=\"\n  /img/a.jpg \n\"></div>"),
        abs("/img/a.jpg")
    );
}

#[test]
fn protocol_relative_uses_base_scheme() {
    assert_eq!(
        card(r#"<div class="card"><img src="//cdn.example.net/a.jpg"></div>"#),
        Some("https://cdn.example.net/a.jpg".into())
    );
    let http = Url::parse("http://example.com/").unwrap();
    assert_eq!(
        image_from_value("//cdn.example.net/a.jpg", &http).map(String::from),
        Some("http://cdn.example.net/a.jpg".into())
    );
}

#[test]
fn non_http_schemes_rejected() {
    assert_eq!(
        card(r#"<div class="card"><img src="ftp://x.org/a.jpg"></div>"#),
        None
    );
    assert_eq!(value("javascript:void(0)"), None);
    assert_eq!(value("file:///etc/a.jpg"), None);
    let file_base = Url::parse("file:///tmp/page.html").unwrap();
    assert_eq!(image_from_value("a.jpg", &file_base), None);
}

#[test]
fn data_src_beats_placeholder_src() {
    assert_eq!(
        card(r#"<div class="card"><img src="/img/spacer.gif" data-src="/img/real.jpg"></div>"#),
        abs("/img/real.jpg")
    );
}

#[test]
fn data_src_beats_data_uri_src() {
    assert_eq!(
        card(
            r#"<div class="card"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="/img/real.jpg"></div>"#
        ),
        abs("/img/real.jpg")
    );
}

#[test]
fn data_lazy_src() {
    assert_eq!(
        card(r#"<div class="card"><img src="/lazy.png" data-lazy-src="/img/x.jpg"></div>"#),
        abs("/img/x.jpg")
    );
}

#[test]
fn data_original() {
    assert_eq!(
        card(r#"<div class="card"><img class="lazy" data-original="/img/o.jpg"></div>"#),
        abs("/img/o.jpg")
    );
}

#[test]
fn data_lazy_and_data_url() {
    assert_eq!(
        element(
            r#"<img data-lazy="/img/slick.jpg" src="/loading.gif">"#,
            "img"
        ),
        abs("/img/slick.jpg")
    );
    assert_eq!(
        element(r#"<img data-url="/img/u.jpg">"#, "img"),
        abs("/img/u.jpg")
    );
}

#[test]
fn srcset_largest_width() {
    assert_eq!(
        card(
            r#"<div class="card"><img src="/s.jpg" srcset="/a-320.jpg 320w, /a-1280.jpg 1280w, /a-640.jpg 640w"></div>"#
        ),
        abs("/a-1280.jpg")
    );
}

#[test]
fn srcset_largest_density() {
    assert_eq!(
        card(
            r#"<div class="card"><img src="/s.jpg" srcset="/a.jpg, /a@3x.jpg 3x, /a@2x.jpg 2x"></div>"#
        ),
        abs("/a@3x.jpg")
    );
}

#[test]
fn srcset_without_descriptors_takes_last() {
    assert_eq!(value("/a.jpg 1x,/b.jpg"), abs("/a.jpg"));
    assert_eq!(value("/a.jpg, /b.jpg"), abs("/b.jpg"));
}

#[test]
fn srcset_urls_with_commas() {
    assert_eq!(
        value(
            "https://res.example.net/w_320,c_fill/a.jpg 320w, https://res.example.net/w_960,c_fill/a.jpg 960w"
        ),
        Some("https://res.example.net/w_960,c_fill/a.jpg".into())
    );
    // No whitespace at all: one URL, commas included.
    assert_eq!(value("/w_320,c_fill/a.jpg"), abs("/w_320,c_fill/a.jpg"));
}

#[test]
fn srcset_parsing_details() {
    let c = parse_srcset("  a.jpg 100w 50h , b.jpg,, c.jpg 2x,d.jpg bogus, e.jpg 0w, f.jpg 1.5x");
    let urls: Vec<_> = c.iter().map(|c| c.url).collect();
    assert_eq!(urls, ["a.jpg", "b.jpg", "c.jpg", "f.jpg"]);
    assert_eq!(c[0].width, Some(100));
    assert_eq!(c[2].density, Some(2.0));
    assert!(parse_srcset("").is_empty());
    assert!(parse_srcset(" , ,").is_empty());
}

#[test]
fn data_srcset_beside_placeholder_srcset() {
    assert_eq!(
        card(
            r#"<div class="card"><img srcset="/img/preloading.gif" data-srcset="a.jpg 320w, b.jpg 640w"></div>"#
        ),
        abs("/news/section/b.jpg")
    );
}

#[test]
fn placeholder_candidates_in_srcset_are_skipped() {
    assert_eq!(value("/blank.gif 2000w, /real.jpg 300w"), abs("/real.jpg"));
    assert_eq!(value("data:image/gif;base64,R0lGOD 1x"), None);
}

#[test]
fn srcset_beats_data_src() {
    assert_eq!(
        element(
            r#"<img data-src="/small.jpg" srcset="/big.jpg 1200w">"#,
            "img"
        ),
        abs("/big.jpg")
    );
}

#[test]
fn noscript_image_behind_lazy_placeholder() {
    assert_eq!(
        card(
            r#"<div class="card"><img src="/img/blank.gif" class="lazyload">
            <noscript><img src="/img/real.jpg?w=600&amp;h=400"></noscript></div>"#
        ),
        abs("/img/real.jpg?w=600&h=400")
    );
}

#[test]
fn visible_image_beats_later_noscript() {
    assert_eq!(
        card(
            r#"<div class="card"><img src="/img/visible.jpg"><noscript><img src="/img/ns.jpg"></noscript></div>"#
        ),
        abs("/img/visible.jpg")
    );
}

#[test]
fn background_image_style() {
    assert_eq!(
        card(
            r#"<a class="card" href="/story" style="background-image: url('/img/bg.jpg')">Story</a>"#
        ),
        abs("/img/bg.jpg")
    );
    assert_eq!(
        card(
            r#"<div class="card"><div class="thumb" style="color:red; BACKGROUND: #000 url(/img/bg2.jpg) no-repeat"></div></div>"#
        ),
        abs("/img/bg2.jpg")
    );
    assert_eq!(
        element(
            r#"<div style='background-image:url("/img/q.jpg")'></div>"#,
            "div"
        ),
        abs("/img/q.jpg")
    );
}

#[test]
fn background_image_placeholder_then_real() {
    assert_eq!(
        element(
            r#"<div style="background-image:url(data:image/png;base64,iVBO); background-image: url(/img/r.jpg)"></div>"#,
            "div"
        ),
        abs("/img/r.jpg")
    );
}

#[test]
fn div_image_container_data_src() {
    assert_eq!(
        card(
            r#"<div class="card"><h2>T</h2><div class="image-container" data-src="/img/c.jpg"></div></div>"#
        ),
        abs("/img/c.jpg")
    );
    assert_eq!(
        element(
            r#"<div class="image-container" data-src="/img/c.jpg"></div>"#,
            "div.image-container"
        ),
        abs("/img/c.jpg")
    );
}

#[test]
fn data_bg_attribute() {
    assert_eq!(
        card(r#"<div class="card"><span data-bg="url(/img/bg.webp)"></span></div>"#),
        abs("/img/bg.webp")
    );
}

#[test]
fn picture_source_and_img() {
    let html = r#"<div class="card"><picture>
        <source type="image/webp" srcset="/p-400.webp 400w, /p-800.webp 800w">
        <img src="/p.jpg"></picture></div>"#;
    assert_eq!(card(html), abs("/p-800.webp"));
    assert_eq!(element(html, "picture"), abs("/p-800.webp"));
    assert_eq!(
        element(
            r#"<picture><source srcset="/lazy.gif"><img src="/p.jpg"></picture>"#,
            "picture"
        ),
        abs("/p.jpg")
    );
    assert_eq!(
        element(r#"<source data-srcset="/s.jpg 2x">"#, "source"),
        abs("/s.jpg")
    );
}

#[test]
fn data_uri_only_gives_nothing() {
    assert_eq!(
        card(r#"<div class="card"><img src="data:image/gif;base64,R0lGODlhAQABAIAAAP"></div>"#),
        None
    );
}

#[test]
fn one_by_one_gif_ignored() {
    assert_eq!(
        card(r#"<div class="card"><img src="/img/1x1.gif"><img src="/img/real.jpg"></div>"#),
        abs("/img/real.jpg")
    );
}

#[test]
fn tiny_and_tracking_images_skipped() {
    assert_eq!(
        card(
            r#"<div class="card"><img src="/stats/hit.png" width="1" height="1">
            <img src="https://www.facebook.com/tr?id=1&ev=PageView">
            <img src="https://sb.scorecardresearch.com/p?c1=2">
            <img src="/img/real.jpg" width="640"></div>"#
        ),
        abs("/img/real.jpg")
    );
    assert_eq!(card(r#"<img class="card" src="/a.jpg" width="0">"#), None);
}

#[test]
fn card_itself_is_an_img() {
    assert_eq!(
        card(r#"<img class="card" src="/x.gif" data-src="/img/self.jpg">"#),
        abs("/img/self.jpg")
    );
}

#[test]
fn card_with_data_src_itself() {
    assert_eq!(
        card(
            r#"<article class="card" data-src="/img/self.jpg"><img src="/img/inner.jpg"></article>"#
        ),
        abs("/img/self.jpg")
    );
}

#[test]
fn first_real_descendant_wins() {
    assert_eq!(
        card(
            r#"<div class="card"><img src="/img/spacer.gif"><a href="/s"><img src="/img/one.jpg"></a><img src="/img/two.jpg"></div>"#
        ),
        abs("/img/one.jpg")
    );
}

#[test]
fn lazy_iframe_is_not_an_image() {
    assert_eq!(
        card(
            r#"<div class="card"><iframe data-src="https://video.example.net/embed/1"></iframe><img src="/img/i.jpg"></div>"#
        ),
        abs("/img/i.jpg")
    );
}

#[test]
fn video_poster() {
    assert_eq!(
        card(r#"<div class="card"><video poster="/img/poster.jpg" src="/v.mp4"></video></div>"#),
        abs("/img/poster.jpg")
    );
}

#[test]
fn microdata_fallback() {
    assert_eq!(
        card(
            r#"<div class="card" itemscope><meta itemprop="image" content="/img/md.jpg"><h2>T</h2></div>"#
        ),
        abs("/img/md.jpg")
    );
}

#[test]
fn no_image_at_all() {
    assert_eq!(
        card(r#"<div class="card"><h2><a href="/x">Title</a></h2></div>"#),
        None
    );
}

#[test]
fn element_image_non_img_link_needs_image_extension() {
    assert_eq!(element(r#"<a href="/story/1">x</a>"#, "a"), None);
    assert_eq!(
        element(r#"<a href="/big/1.JPG">x</a>"#, "a"),
        abs("/big/1.JPG")
    );
    assert_eq!(element(r#"<div data-url="/story/1"></div>"#, "div"), None);
}

#[test]
fn element_image_meta_content() {
    assert_eq!(
        element(
            r#"<meta property="og:image" content="https://cdn.example.net/og?id=3">"#,
            "meta"
        ),
        Some("https://cdn.example.net/og?id=3".into())
    );
}

#[test]
fn image_from_value_variants() {
    assert_eq!(value("  /img/a.jpg  "), abs("/img/a.jpg"));
    assert_eq!(value("a.jpg 320w, b.jpg 640w"), abs("/news/section/b.jpg"));
    assert_eq!(
        value("background-image: url(/img/s.jpg)"),
        abs("/img/s.jpg")
    );
    assert_eq!(value("/img/with space.jpg"), abs("/img/with%20space.jpg"));
    assert_eq!(value(""), None);
    assert_eq!(value("/img/spacer.gif"), None);
    assert_eq!(value("undefined"), None);
}

#[test]
fn placeholder_names() {
    for p in [
        "",
        "  ",
        "#",
        "about:blank",
        "data:image/gif;base64,R0lGODlhAQABAAAAACw=",
        "DATA:image/png;base64,x",
        "/img/spacer.gif",
        "blank.gif",
        "https://x.com/a/pixel.gif",
        "/1x1.gif",
        "/1x1.png",
        "/static/transparent.gif",
        "transparent.png",
        "/placeholder.jpg",
        "/placeholder.svg?v=2",
        "/img/news-placeholder-16x9.png",
        "/preloading.gif",
        "/lazy.gif",
        "/lazy.png",
        "/lazy.svg",
        "/assets/loading.gif",
        "/grey.gif",
        "/images/blank",
        "/IMAGES/Spacer.GIF",
        "/img/blank_1x1.gif",
        "/img/transparent-pixel.png",
        "/img/lazy-load.png",
        "/img/no-image.jpg",
        "{{ item.image }}",
        "https://www.facebook.com/tr?id=1",
        "https://pixel.wp.com/g.gif?v=1",
    ] {
        assert!(is_placeholder(p), "{p:?} should be a placeholder");
    }
    for real in [
        "/img/a.jpg",
        "/img/google-pixel-9.jpg",
        "/img/blanket.jpg",
        "/uploads/2024/05/lazy-sunday-afternoon.jpg",
        "/photos/1x1-interview.jpg",
        "https://cdn.example.com/images/800x600/abc.webp",
        "/news/",
        "https://example.com/image.php?id=5",
    ] {
        assert!(!is_placeholder(real), "{real:?} is not a placeholder");
    }
}
