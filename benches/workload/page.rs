//! Writing one section page's HTML: a generator with its own random stream, the page's
//! size, card count and shape, the stories the page shows (as cards, in the rails and
//! again as JSON state), and the text written so far; each method writes one part of the
//! page.

use std::fmt::Write as _;

use super::Shape;
use super::words::{FIRST_NAMES, LAST_NAMES, Rng, SECTIONS, WORDS, capitalise, slug};

const CDN: &str = "https://cdn.example-news.com/images";
const PIXEL: &str =
    "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";

/// One story as the generator knows it; it appears as a card, in rails and in JSON.
pub struct Story {
    id: u64,
    headline: String,
    dek: String,
    path: String,
    author: String,
    author_slug: String,
    topic: &'static str,
    tags: [&'static str; 3],
    iso: String,
    shown: String,
    image: u64,
    minutes: usize,
}

/// The generator for one page: its random stream and the text written so far.
pub struct Gen {
    pub rng: Rng,
    pub out: String,
    pub page: usize,
    pub section: &'static str,
    pub shape: Shape,
    /// The page's target size in bytes; the head and footer scale with it.
    pub bytes: usize,
    pub cards: usize,
}

impl Gen {
    fn words(&mut self, lo: usize, hi: usize) -> String {
        let n = self.rng.range(lo, hi);
        let mut text = String::new();
        for i in 0..n {
            if i > 0 {
                text.push(' ');
            }
            text.push_str(self.rng.pick(&WORDS));
        }
        text
    }

    fn sentence(&mut self, lo: usize, hi: usize) -> String {
        format!("{}.", capitalise(&self.words(lo, hi)))
    }

    fn hex(&mut self) -> String {
        format!("{:012x}", self.rng.next() >> 16)
    }

    pub fn story(&mut self, k: usize) -> Story {
        let id = (self.page as u64) * 10_000 + k as u64;
        let headline = capitalise(&self.words(6, 13));
        let dek = format!("{} {}", self.sentence(12, 22), self.sentence(10, 20));
        let year = 2025;
        let (month, day) = (self.rng.range(1, 12), self.rng.range(1, 28));
        let (hour, minute) = (self.rng.range(0, 23), self.rng.range(0, 59));
        let first = self.rng.pick(FIRST_NAMES);
        let last = self.rng.pick(LAST_NAMES);
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        Story {
            id,
            path: format!(
                "/{}/{year}/{month:02}/{day:02}/{}-{id}/",
                self.section,
                slug(&headline)
            ),
            headline,
            dek,
            author: format!("{first} {last}"),
            author_slug: slug(&format!("{first} {last}")),
            topic: self.rng.pick(&WORDS),
            tags: [
                self.rng.pick(&WORDS),
                self.rng.pick(&WORDS),
                self.rng.pick(&WORDS),
            ],
            iso: format!("{year}-{month:02}-{day:02}T{hour:02}:{minute:02}:00Z"),
            shown: format!("{} {day}, {year}", MONTHS[month - 1]),
            image: self.rng.next() >> 24,
            minutes: self.rng.range(2, 14),
        }
    }

    fn svg(&mut self, class: &str, points: usize) {
        let mut d = String::from("M12 2");
        for _ in 0..points {
            let cmd = self.rng.pick(&["l", "c", "L", "C", "h", "v"]);
            let _ = write!(
                d,
                "{cmd}{}.{} {}.{}",
                self.rng.below(24),
                self.rng.below(10),
                self.rng.below(24),
                self.rng.below(10)
            );
        }
        let _ = write!(
            self.out,
            r#"<svg class="icon {class}" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false"><path fill="currentColor" d="{d}z"/></svg>"#
        );
    }

    pub fn head(&mut self, stories: &[Story]) {
        let section = capitalise(self.section);
        let description = self.sentence(14, 24);
        let _ = write!(
            self.out,
            r#"<!DOCTYPE html>
<html lang="en-US" class="no-js"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{section} News — Latest {section} Headlines, page {page} | The Daily Example</title>
<meta name="description" content="{description}"><link rel="canonical" href="https://www.example-news.com/section/{s}/">
<meta property="og:title" content="{section} — The Daily Example"><meta property="og:description" content="{description}"><meta property="og:type" content="website"><meta property="og:url" content="https://www.example-news.com/section/{s}/"><meta property="og:image" content="{CDN}/og/{s}.jpg"><meta property="og:site_name" content="The Daily Example"><meta name="twitter:card" content="summary_large_image"><meta name="twitter:site" content="@dailyexample"><meta name="robots" content="max-image-preview:large">
"#,
            s = self.section,
            page = self.page,
        );
        if self.shape == Shape::SmallHead {
            self.out.push_str("</head>\n");
            return;
        }
        for host in ["cdn", "static", "ads", "analytics"] {
            let _ = write!(
                self.out,
                r#"<link rel="preconnect" href="https://{host}.example-news.com" crossorigin>"#
            );
        }
        for _ in 0..6 {
            let font = self.hex();
            let _ = write!(
                self.out,
                r#"<link rel="preload" as="font" type="font/woff2" href="/fonts/{font}.woff2" crossorigin>"#
            );
        }
        for _ in 0..4 {
            let css = self.hex();
            let _ = write!(
                self.out,
                r#"<link rel="stylesheet" href="/_next/static/css/{css}.css" data-n-g="">"#
            );
        }
        self.out
            .push_str("\n<style>:root{--font-sans:Inter,system-ui,sans-serif}");
        let end = self.out.len() + (self.bytes as f64 * self.shape.style_share()) as usize;
        let mut k = 0;
        while self.out.len() < end {
            let display = self.rng.pick(&["flex", "block", "grid", "inline-flex"]);
            let word = self.rng.pick(&WORDS);
            let _ = write!(
                self.out,
                ".c-{w}-{k}{{display:{display};margin:{}px {}px;padding:{}px;color:#{:06x};font:{} {}px/1.{} var(--font-sans)}}",
                self.rng.below(40),
                self.rng.below(40),
                self.rng.below(24),
                self.rng.next() & 0xff_ffff,
                self.rng.pick(&["400", "600", "700"]),
                self.rng.range(12, 28),
                self.rng.range(2, 6),
                w = slug(word),
            );
            if k % 25 == 0 {
                let _ = write!(
                    self.out,
                    "@media (min-width:{}px){{.c-{k}__wide{{grid-template-columns:repeat({},1fr)}}}}",
                    self.rng.range(480, 1280),
                    self.rng.range(2, 4)
                );
            }
            k += 1;
        }
        self.out.push_str("</style>\n<script>");
        self.script(self.bytes / 45);
        self.out.push_str("</script>\n");
        self.json_ld(stories);
        self.next_data(stories);
        for _ in 0..8 {
            let chunk = self.hex();
            let _ = write!(
                self.out,
                r#"<script defer src="/_next/static/chunks/{chunk}.js"></script>"#
            );
        }
        self.out.push_str("</head>\n");
    }

    /// Pseudo-minified JavaScript of about `bytes` bytes.
    fn script(&mut self, bytes: usize) {
        self.out.push_str(
            "window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}",
        );
        let end = self.out.len() + bytes;
        let mut k = 0;
        while self.out.len() < end {
            let (a, b) = (self.rng.pick(&WORDS), self.rng.pick(&WORDS));
            let _ = write!(
                self.out,
                "!function(e,t){{var n=e.q{k}||[];n.push({{event:\"{a}_{b}\",id:{},ts:{}}});function r{k}(a,b){{return a&&b&&a.length<{}?a.concat(b):null}}e[\"{a}{k}\"]=r{k};t.documentElement.classList.add(\"js-{b}\")}}(window,document);",
                self.rng.next() % 100_000,
                1_700_000_000 + self.rng.next() % 100_000_000,
                self.rng.range(3, 99)
            );
            k += 1;
        }
    }

    fn json_ld(&mut self, stories: &[Story]) {
        self.out.push_str(
            r#"<script type="application/ld+json">{"@context":"https://schema.org","@type":"ItemList","itemListElement":["#,
        );
        for (i, story) in stories.iter().take(self.cards).enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            let _ = write!(
                self.out,
                r#"{{"@type":"ListItem","position":{},"url":"https://www.example-news.com{}","name":"{}","image":"{CDN}/{}/1280.jpg","datePublished":"{}"}}"#,
                i + 1,
                story.path,
                story.headline,
                story.image,
                story.iso
            );
        }
        self.out.push_str("]}</script>\n");
    }

    /// The framework's page state: every story again, with more detail, as JSON.
    fn next_data(&mut self, stories: &[Story]) {
        let build = self.hex();
        let _ = write!(
            self.out,
            r#"<script id="__NEXT_DATA__" type="application/json">{{"props":{{"pageProps":{{"section":{{"slug":"{}","page":{}}},"stories":["#,
            self.section, self.page
        );
        let end = self.out.len() + (self.bytes as f64 * self.shape.next_data_share()) as usize;
        let wanted = self.cards;
        for (i, story) in stories.iter().cycle().enumerate() {
            if i >= wanted && self.out.len() >= end {
                break;
            }
            if i > 0 {
                self.out.push(',');
            }
            let excerpt = self.words(20, 35);
            let credit = self.words(2, 4);
            let _ = write!(
                self.out,
                r#"{{"id":{},"type":"article","headline":"{}","dek":"{}","url":"{}","authors":[{{"name":"{}","slug":"{}"}}],"published":"{}","topic":"{}","tags":["{}","{}","{}"],"image":{{"id":{},"width":1280,"height":720,"alt":"{}","credit":"{}","renditions":["#,
                story.id,
                story.headline,
                story.dek,
                story.path,
                story.author,
                story.author_slug,
                story.iso,
                story.topic,
                story.tags[0],
                story.tags[1],
                story.tags[2],
                story.image,
                story.headline,
                credit,
            );
            for (j, w) in [160, 320, 640, 1280].into_iter().enumerate() {
                if j > 0 {
                    self.out.push(',');
                }
                let _ = write!(
                    self.out,
                    r#"{{"w":{w},"url":"{CDN}/{}/{w}.jpg"}}"#,
                    story.image
                );
            }
            let _ = write!(
                self.out,
                r#"]}},"excerpt":"\u003cp\u003e{excerpt}\u003c/p\u003e","wordCount":{},"minutes":{}}}"#,
                story.minutes * 230,
                story.minutes
            );
        }
        let _ = write!(
            self.out,
            r#"]}}}},"page":"/section/[slug]","query":{{"slug":"{}"}},"buildId":"{build}","isFallback":false,"gssp":true}}</script>"#,
            self.section
        );
        self.out.push('\n');
    }

    pub fn header(&mut self) {
        let _ = write!(
            self.out,
            r##"<body class="section-page section-{s}"><a class="skip-link" href="#main">Skip to content</a><div id="__next"><header class="site-header" role="banner"><div class="site-header__top"><a class="logo" href="/" aria-label="The Daily Example">"##,
            s = self.section
        );
        self.svg("icon-logo", 90);
        self.out.push_str(
            r#"</a><button class="menu-toggle" type="button" aria-expanded="false" aria-controls="nav">"#,
        );
        self.svg("icon-menu", 8);
        self.out.push_str(r#"<span class="visually-hidden">Menu</span></button><form class="search" action="/search" role="search"><label for="q" class="visually-hidden">Search</label><input id="q" name="q" type="search" placeholder="Search"><button type="submit">Search</button></form><a class="subscribe" href="/subscribe?ref=header">Subscribe</a></div>
<nav id="nav" class="mega-nav" aria-label="Sections"><ul class="mega-nav__list">"#);
        for section in SECTIONS {
            let active = if *section == self.section {
                " is-active"
            } else {
                ""
            };
            let _ = write!(
                self.out,
                r#"<li class="mega-nav__item{active}"><a class="mega-nav__link" href="/section/{section}/">{}</a><div class="mega-nav__panel"><ul class="mega-nav__sub">"#,
                capitalise(section)
            );
            for _ in 0..(self.bytes / 40_000).min(10) {
                let label = self.words(1, 3);
                let _ = write!(
                    self.out,
                    r#"<li class="mega-nav__subitem"><a href="/section/{section}/{}/" data-track="nav|{section}|{}">{}</a></li>"#,
                    slug(&label),
                    slug(&label),
                    capitalise(&label)
                );
            }
            self.out.push_str("</ul></div></li>");
        }
        self.out.push_str(r#"</ul></nav><div class="trending"><span class="trending__label">Trending</span><ul class="trending__list">"#);
        for _ in 0..8 {
            let label = self.words(2, 5);
            let _ = write!(
                self.out,
                r#"<li><a href="/topic/{}/">{}</a></li>"#,
                slug(&label),
                capitalise(&label)
            );
        }
        self.out.push_str("</ul></div></header>\n");
    }

    /// The extra attributes every element of a card carries in the many-attributes shape
    /// (tracking, test ids, component metadata), else nothing.
    fn attributes(&mut self, k: usize) -> String {
        if !self.shape.many_attributes() {
            return String::new();
        }
        let mut attrs = String::new();
        for name in [
            "data-component",
            "data-testid",
            "data-analytics",
            "data-variant",
            "aria-describedby",
            "data-index",
        ] {
            let value = self.hex();
            let word = self.rng.pick(&WORDS);
            let _ = write!(attrs, r#" {name}="{word}-{value}-{k}""#);
        }
        attrs
    }

    fn open_wrappers(&mut self, name: &str) {
        for depth in 0..self.shape.wrappers() {
            let _ = write!(self.out, r#"<div class="{name}-layer-{depth}">"#);
        }
    }

    fn close_wrappers(&mut self) {
        for _ in 0..self.shape.wrappers() {
            self.out.push_str("</div>");
        }
    }

    fn card(&mut self, k: usize, story: &Story) {
        let variant = self.rng.pick(&["standard", "wide", "compact", "standard"]);
        let alt = self.words(4, 9);
        let shape = self.shape;
        let c = |base: &str| shape.class(base);
        let a = self.attributes(k);
        let _ = writeln!(
            self.out,
            r#"<article class="{card} {card}--{variant}" data-story-id="{id}" data-position="{k}"{a}><div class="{media}"{a}><a href="{path}" tabindex="-1" aria-hidden="true"{a}><picture><source type="image/webp" data-srcset="{CDN}/{img}/320.webp 320w, {CDN}/{img}/640.webp 640w, {CDN}/{img}/1280.webp 1280w" sizes="(max-width: 600px) 100vw, 33vw"><img class="{image} lazyload" src="{PIXEL}" data-src="{CDN}/{img}/640.jpg" data-srcset="{CDN}/{img}/320.jpg 320w, {CDN}/{img}/640.jpg 640w, {CDN}/{img}/1280.jpg 1280w" alt="{alt}" width="640" height="360" loading="lazy" decoding="async"{a}></picture><noscript><img src="{CDN}/{img}/640.jpg" alt="{alt}" width="640" height="360"></noscript></a></div>"#,
            card = c("card"),
            media = c("card__media"),
            image = c("card__img"),
            id = story.id,
            path = story.path,
            img = story.image,
        );
        self.open_wrappers("card");
        let _ = write!(
            self.out,
            r#"<div class="{body}"{a}><span class="{kicker_class}"{a}><a href="/topic/{topic}/"{a}>{kicker}</a></span><h3 class="{title}"{a}><a class="{link}" href="{path}?utm_source=section&amp;utm_medium=river" data-track="river|{k}"{a}>{headline}</a></h3><p class="{dek_class}"{a}>{dek}</p><div class="{meta}"{a}><span class="{byline}"{a}>By <a href="/author/{aslug}/" rel="author"{a}>{author}</a></span><span class="{sep}" aria-hidden="true">·</span><time class="{time}" datetime="{iso}"{a}>{shown}</time><span class="{read}">{minutes} min read</span></div><ul class="{tags}"{a}>"#,
            body = c("card__body"),
            kicker_class = c("card__kicker"),
            title = c("card__title"),
            link = c("card__link"),
            dek_class = c("card__dek"),
            meta = c("card__meta"),
            byline = c("byline"),
            sep = c("card__sep"),
            time = c("card__time"),
            read = c("card__read"),
            tags = c("card__tags"),
            path = story.path,
            topic = slug(story.topic),
            kicker = capitalise(story.topic),
            headline = story.headline,
            dek = story.dek,
            aslug = story.author_slug,
            author = story.author,
            iso = story.iso,
            shown = story.shown,
            minutes = story.minutes,
        );
        for tag in story.tags {
            let _ = write!(
                self.out,
                r#"<li class="{}"{a}><a href="/tag/{}/">{tag}</a></li>"#,
                c("card__tag"),
                slug(tag)
            );
        }
        let _ = write!(
            self.out,
            r#"</ul><button class="{}" type="button" aria-label="Save"{a}>"#,
            c("card__save")
        );
        self.svg("icon-bookmark", 6);
        self.out.push_str("</button></div>");
        self.close_wrappers();
        self.out.push_str("</article>\n");
    }

    fn ad(&mut self, n: usize) {
        let _ = writeln!(
            self.out,
            r#"<div class="ad-slot ad-slot--inline" id="ad-inline-{n}" data-ad-unit="/21775744923/news/{s}/inline{n}" data-sizes="[[300,250],[728,90],[970,250]]"><span class="ad-slot__label">Advertisement</span><script>window.googletag=window.googletag||{{cmd:[]}};googletag.cmd.push(function(){{googletag.defineSlot("/21775744923/news/{s}/inline{n}",[[300,250],[728,90]],"ad-inline-{n}").addService(googletag.pubads());googletag.display("ad-inline-{n}")}});</script></div>"#,
            s = self.section
        );
    }

    pub fn main_column(&mut self, stories: &[Story]) {
        let intro = self.sentence(12, 20);
        let _ = write!(
            self.out,
            r#"<main id="main" class="section-main"><div class="section-header"><h1 class="section-title">{}</h1><p class="section-intro">{intro}</p><ul class="section-subnav">"#,
            capitalise(self.section)
        );
        for _ in 0..6 {
            let label = self.words(1, 2);
            let _ = write!(
                self.out,
                r#"<li><a href="/section/{}/{}/">{}</a></li>"#,
                self.section,
                slug(&label),
                capitalise(&label)
            );
        }
        self.out.push_str("</ul></div>");
        self.open_wrappers("river");
        let _ = writeln!(
            self.out,
            r#"<section class="{}" aria-label="Latest {} stories">"#,
            self.shape.class("river"),
            self.section
        );
        for (k, story) in stories.iter().enumerate() {
            if k > 0 && k % 8 == 0 {
                self.ad(k / 8);
            }
            self.card(k, story);
        }
        self.out.push_str("</section>");
        self.close_wrappers();
        self.out.push_str(
            r#"<nav class="pagination" aria-label="Pagination"><ul class="pagination__list">"#,
        );
        for n in 1..=10 {
            let _ = write!(
                self.out,
                r#"<li><a class="pagination__link" href="/section/{}/page/{n}/">{n}</a></li>"#,
                self.section
            );
        }
        let _ = writeln!(
            self.out,
            r#"</ul><a class="pagination__next" rel="next" href="/section/{}/page/2/">Next page</a></nav></main>"#,
            self.section
        );
    }

    pub fn rails(&mut self, stories: &[Story]) {
        if self.bytes < 200_000 {
            return;
        }
        self.out.push_str(r#"<aside class="rail" aria-label="More stories"><section class="rail__popular"><h2 class="rail__title">Most popular</h2><ol class="popular">"#);
        for (n, story) in stories.iter().take(10).enumerate() {
            let _ = write!(
                self.out,
                r#"<li class="popular__item"><span class="popular__rank">{}</span><a class="popular__link" href="{}"><h4 class="popular__title">{}</h4></a></li>"#,
                n + 1,
                story.path,
                story.headline
            );
        }
        let pitch = self.sentence(10, 18);
        let consent = self.sentence(14, 22);
        let _ = write!(
            self.out,
            r#"</ol></section><section class="rail__newsletter"><h2 class="rail__title">The {s} briefing</h2><p>{pitch}</p><form class="newsletter" action="/newsletters/subscribe" method="post"><input type="email" name="email" required placeholder="Email address" autocomplete="email"><input type="hidden" name="list" value="{s}-daily"><label class="newsletter__consent"><input type="checkbox" name="consent" value="1"> {consent}</label><button class="button button--primary" type="submit">Sign up</button></form></section><section class="rail__video"><h2 class="rail__title">Video</h2><ul class="video-list">"#,
            s = self.section
        );
        for story in stories.iter().skip(10).take(8) {
            let _ = write!(
                self.out,
                r#"<li class="video-list__item"><a href="/video{}"><div class="thumb" style="background-image:url({CDN}/v/{}/320.jpg)"></div><span class="duration">{}:{:02}</span><span class="video-list__title">{}</span></a></li>"#,
                story.path,
                story.image,
                self.rng.range(1, 9),
                self.rng.below(60),
                story.headline
            );
        }
        self.out.push_str("</ul></section></aside>\n");
    }

    /// A "more from" block of links with thumbnails; fills the page to its size.
    pub fn more_block(&mut self, n: usize) {
        let other = self.rng.pick(SECTIONS);
        let _ = write!(
            self.out,
            r#"<section class="more-from" aria-labelledby="more-{n}"><h2 id="more-{n}" class="more-from__title">More from {}</h2><ul class="more-from__list">"#,
            capitalise(other)
        );
        for k in 0..12 {
            let a = self.attributes(k);
            let headline = capitalise(&self.words(6, 12));
            let id = self.rng.next() >> 28;
            let (month, day) = (self.rng.range(1, 12), self.rng.range(1, 28));
            let _ = write!(
                self.out,
                r#"<li class="{}"{a}><a class="{}" href="/{other}/2025/{month:02}/{day:02}/{}-{id}/"{a}><img class="{}" src="{CDN}/m/{id}/160.jpg" alt="" width="160" height="90" loading="lazy"><span class="{}">{headline}</span></a><time datetime="2025-{month:02}-{day:02}">{day}/{month}/2025</time></li>"#,
                self.shape.class("more-from__item"),
                self.shape.class("more-from__link"),
                slug(&headline),
                self.shape.class("more-from__img"),
                self.shape.class("more-from__headline"),
            );
        }
        self.out.push_str("</ul></section>\n");
    }

    pub fn footer(&mut self) {
        self.out.push_str(
            r#"<footer class="site-footer" role="contentinfo"><div class="site-footer__brand">"#,
        );
        self.svg("icon-logo", 90);
        let about = format!("{} {}", self.sentence(12, 20), self.sentence(12, 20));
        let _ = write!(
            self.out,
            r#"<p>{about}</p></div><div class="site-footer__columns">"#
        );
        for _ in 0..8 {
            let title = capitalise(self.rng.pick(&WORDS));
            let _ = write!(
                self.out,
                r#"<div class="footer-col"><h3 class="footer-col__title">{title}</h3><ul class="footer-col__list">"#
            );
            for _ in 0..(self.bytes / 12_000).clamp(4, 34) {
                let label = self.words(1, 3);
                let _ = write!(
                    self.out,
                    r#"<li class="footer-col__item"><a href="/{}/{}/">{}</a></li>"#,
                    slug(&title),
                    slug(&label),
                    capitalise(&label)
                );
            }
            self.out.push_str("</ul></div>");
        }
        self.out.push_str(r#"</div><ul class="social">"#);
        for network in ["x", "facebook", "instagram", "linkedin", "youtube", "rss"] {
            let _ = write!(
                self.out,
                r#"<li><a href="https://social.example/{network}/dailyexample" aria-label="{network}">"#
            );
            self.svg("icon-social", 30);
            self.out.push_str("</a></li>");
        }
        self.out.push_str(r#"</ul><div class="legal">"#);
        for _ in 0..5 {
            let text = self.sentence(20, 40);
            let _ = write!(self.out, "<p>{text}</p>");
        }
        self.out.push_str(
            r#"<p>© 2025 The Daily Example. All rights reserved.</p><ul class="legal__links">"#,
        );
        for label in [
            "Privacy",
            "Terms",
            "Cookies",
            "Accessibility",
            "Contact",
            "Careers",
            "Advertise",
            "Corrections",
        ] {
            let _ = write!(
                self.out,
                r#"<li><a href="/{}/">{label}</a></li>"#,
                label.to_ascii_lowercase()
            );
        }
        self.out.push_str("</ul></div></footer></div>\n<script>");
        self.script(self.bytes / 80);
        self.out.push_str("</script>\n");
        for _ in 0..8 {
            let chunk = self.hex();
            let _ = write!(
                self.out,
                r#"<script src="/_next/static/chunks/pages/{chunk}.js" async></script>"#
            );
        }
        self.out.push_str("\n</body></html>\n");
    }
}
