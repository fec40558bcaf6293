//! Article links without tracking: the canonical form (the item's identity) and the
//! published form (the link readers follow).
//!
//! The same article is often linked with a `#comments` fragment or with campaign
//! parameters (`utm_source`, `fbclid`, …), in the query or in the fragment
//! (`#intcid=inline_amp`, `#xtor=RSS-1`). Identity drops the fragment and the tracking
//! parameters, so one article is one item on one page and across runs; the published
//! link drops the same tracking parameters and tracking fragments, and keeps a real
//! anchor (`#section-2`, `#/article/5`). One list of tracking names serves both.
//! (The `url` crate already lower-cases the host and drops a scheme's default port.)

use url::Url;

/// Query parameters that only track the reader and never select content.
const TRACKING_PARAMS: &[&str] = &[
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "twclid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "_hsenc",
    "_hsmi",
    "mkt_tok",
    "oly_anon_id",
    "oly_enc_id",
    "vero_id",
    "wickedid",
    "rb_clickid",
    "s_cid",
    "ref_src",
    "cmpid",
    "ito",
    "__twitter_impression",
];

/// Names that track the reader only when they appear in a fragment (`#intcid=…`).
const TRACKING_FRAGMENT_PARAMS: &[&str] = &[
    "intcid",
    "xtor",
    "at_medium",
    "at_campaign",
    "ns_campaign",
    "ns_mchannel",
    "ns_source",
    "ns_linkname",
    "ncid",
    "sr_share",
    "ref",
    "src",
    "source",
];

fn is_tracking(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("utm_")
        || lower.starts_with("pk_")
        || TRACKING_PARAMS.contains(&lower.as_str())
}

/// A fragment made only of tracking parameters (`intcid=inline_amp&utm_source=x`).
fn is_tracking_fragment(fragment: &str) -> bool {
    !fragment.is_empty()
        && fragment.split('&').all(|pair| {
            pair.split_once('=').is_some_and(|(name, _)| {
                is_tracking(name)
                    || TRACKING_FRAGMENT_PARAMS.contains(&name.to_ascii_lowercase().as_str())
            })
        })
}

/// The canonical form of `url`: no fragment, no tracking parameters, and the query
/// in one normal form (so `a=1&b=2&` and `a=1&b=2` are one article).
pub fn canonical_link(url: &Url) -> Url {
    let mut url = published_link(url);
    url.set_fragment(None);
    if url.query().is_some() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(n, v)| (n.into_owned(), v.into_owned()))
            .collect();
        if pairs.is_empty() {
            url.set_query(None);
        } else {
            url.query_pairs_mut().clear().extend_pairs(pairs);
        }
    }
    url
}

/// The link as published: no tracking parameters, no tracking fragment; a real
/// anchor stays. Anything else is left exactly as the page wrote it — only a
/// tracking parameter, when there is one, is cut out of the query.
pub fn published_link(url: &Url) -> Url {
    let mut url = url.clone();
    if url.fragment().is_some_and(is_tracking_fragment) {
        url.set_fragment(None);
    }
    if let Some(query) = url.query() {
        let pairs: Vec<&str> = query.split('&').collect();
        let kept: Vec<&str> = pairs
            .iter()
            .copied()
            .filter(|pair| !is_tracking_pair(pair))
            .collect();
        if kept.len() < pairs.len() {
            let kept: Vec<&str> = kept.into_iter().filter(|pair| !pair.is_empty()).collect();
            let kept = kept.join("&");
            url.set_query((!kept.is_empty()).then_some(kept.as_str()));
        }
    }
    url
}

/// Whether one raw `name=value` pair of a query is a tracking parameter.
fn is_tracking_pair(pair: &str) -> bool {
    url::form_urlencoded::parse(pair.as_bytes())
        .next()
        .is_some_and(|(name, _)| is_tracking(&name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        canonical_link(&Url::parse(s).unwrap()).to_string()
    }

    #[test]
    fn drops_fragment_and_tracking() {
        assert_eq!(
            canon("https://Example.COM:443/a/b?utm_source=x&id=7&fbclid=abc#comments"),
            "https://example.com/a/b?id=7"
        );
        assert_eq!(
            canon("http://example.com:80/x?utm_medium=rss"),
            "http://example.com/x"
        );
        assert_eq!(
            canon("https://example.com/x?gclid=1&mc_cid=2&Utm_Campaign=3"),
            "https://example.com/x"
        );
    }

    fn published(s: &str) -> String {
        published_link(&Url::parse(s).unwrap()).to_string()
    }

    #[test]
    fn published_links_lose_tracking_but_keep_anchors() {
        assert_eq!(
            published("https://example.com/a?utm_source=rss&id=7#intcid=inline_amp"),
            "https://example.com/a?id=7"
        );
        assert_eq!(
            published("https://example.com/a#xtor=RSS-1&utm_medium=feed"),
            "https://example.com/a"
        );
        assert_eq!(
            published("https://example.com/a?fbclid=x#section-2"),
            "https://example.com/a#section-2"
        );
        assert_eq!(
            published("https://example.com/app#/article/5"),
            "https://example.com/app#/article/5"
        );
        assert_eq!(
            published("https://example.com/a#page=2&intcid=x"),
            "https://example.com/a#page=2&intcid=x",
            "a fragment with a real parameter is kept whole"
        );
        assert_eq!(
            canon("https://example.com/a#section-2"),
            "https://example.com/a"
        );
    }

    #[test]
    fn published_links_are_left_as_written_unless_they_track() {
        // The page's own spelling stays: a trailing `&`, `%20` rather than `+`.
        assert_eq!(
            published("https://example.com/acl1.txt?t=1604912297&"),
            "https://example.com/acl1.txt?t=1604912297&"
        );
        assert_eq!(
            published("https://example.com/s?q=two%20words&utm_source=x"),
            "https://example.com/s?q=two%20words"
        );
        // Identity is one normal form of the same link.
        assert_eq!(
            canon("https://example.com/acl1.txt?t=1604912297&"),
            "https://example.com/acl1.txt?t=1604912297"
        );
        assert_eq!(
            canon("https://example.com/s?q=two%20words&utm_source=x"),
            canon("https://example.com/s?q=two+words")
        );
    }

    #[test]
    fn keeps_content_parameters_and_order() {
        assert_eq!(
            canon("https://example.com/item?id=20863460&p=2"),
            "https://example.com/item?id=20863460&p=2"
        );
        assert_eq!(
            canon("https://example.com:8080/x"),
            "https://example.com:8080/x"
        );
    }
}
