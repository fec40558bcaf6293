//! The canonical form of an article link, used as the item's identity.
//!
//! The same article is often linked with a `#comments` fragment or with campaign
//! parameters (`utm_source`, `fbclid`, …). Dropping those makes one article one item,
//! on one page and across runs. (The `url` crate already lower-cases the host and drops
//! a scheme's default port.)

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

fn is_tracking(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("utm_")
        || lower.starts_with("pk_")
        || TRACKING_PARAMS.contains(&lower.as_str())
}

/// The canonical form of `url`: no fragment, no tracking parameters.
pub fn canonical_link(url: &Url) -> Url {
    let mut url = url.clone();
    url.set_fragment(None);
    if url.query().is_some() {
        let kept: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(name, _)| !is_tracking(name))
            .map(|(n, v)| (n.into_owned(), v.into_owned()))
            .collect();
        if kept.is_empty() {
            url.set_query(None);
        } else {
            url.query_pairs_mut().clear().extend_pairs(kept);
        }
    }
    url
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
