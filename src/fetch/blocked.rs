//! Pages that are not the page: a challenge, a login form, or next to nothing.
//!
//! Sites that block automated clients still answer, often with `200 OK`: a Cloudflare
//! or other bot challenge, a captcha, a login wall, or an empty shell. When the card
//! selector then matches nothing, "no cards match" would send the user to fix a
//! selector that is fine. Extraction failures are therefore checked against this
//! classifier first, and so are 403 and 503 answers, where challenges live too.

use std::fmt;

/// Pages this small (in bytes) are not section pages.
const TINY: usize = 512;

/// What the page looks like instead of a section page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blocked {
    /// A bot challenge or captcha, named by its marker.
    Challenge(&'static str),
    /// A page asking for a password.
    LoginForm,
    /// A body of only this many bytes.
    Empty(usize),
}

impl fmt::Display for Blocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Blocked::Challenge(what) => write!(
                f,
                "the site answered with {what}, not the section page: it is blocking automated clients"
            ),
            Blocked::LoginForm => f.write_str(
                "the site answered with a login form, not the section page (a `Cookie` in the feed's `headers` may help)",
            ),
            Blocked::Empty(bytes) => write!(
                f,
                "the page came back nearly empty ({bytes} bytes): the site may be blocking scrapefeed"
            ),
        }
    }
}

/// Markers of challenge pages, with how to name them. Generic words (`captcha`) only
/// count on small pages, where they cannot be a newsletter form's widget.
const CHALLENGES: [(&str, &str, bool); 9] = [
    ("cf-chl", "a Cloudflare challenge page", false),
    ("challenge-platform", "a Cloudflare challenge page", false),
    (
        "_incapsula_resource",
        "an Imperva (Incapsula) challenge page",
        false,
    ),
    ("px-captcha", "a PerimeterX (HUMAN) captcha", false),
    ("captcha-delivery.com", "a DataDome captcha", false),
    ("g-recaptcha", "a captcha (reCAPTCHA)", true),
    ("h-captcha", "a captcha (hCaptcha)", true),
    ("captcha", "a captcha", true),
    (
        "just a moment...",
        "a bot check (\"Just a moment...\")",
        true,
    ),
];

/// Pages under this size may be classified by generic words.
const SMALL: usize = 32 * 1024;

/// What the page is instead of a section page, if it looks like one of those.
pub fn classify(html: &str) -> Option<Blocked> {
    let lower = html.to_ascii_lowercase();
    for (marker, what, generic) in CHALLENGES {
        if (!generic || lower.len() < SMALL) && lower.contains(marker) {
            return Some(Blocked::Challenge(what));
        }
    }
    if lower.len() < SMALL
        && ["type=\"password\"", "type='password'", "type=password"]
            .iter()
            .any(|m| lower.contains(m))
    {
        return Some(Blocked::LoginForm);
    }
    let text = html.trim();
    (text.len() < TINY).then_some(Blocked::Empty(text.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenges_logins_and_empty_pages_are_told_apart() {
        let cloudflare = "<html><head><title>Just a moment...</title></head><body><script src=\"/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1\"></script>".to_owned()
            + &"<p>…</p>".repeat(100);
        assert_eq!(
            classify(&cloudflare),
            Some(Blocked::Challenge("a Cloudflare challenge page"))
        );
        let login = format!(
            "<html><body><form><input name=user><input type=\"password\" name=pw></form>{}</body></html>",
            "<p>Sign in to read the news.</p>".repeat(30)
        );
        assert_eq!(classify(&login), Some(Blocked::LoginForm));
        assert_eq!(classify("<html></html>"), Some(Blocked::Empty(13)));
    }

    #[test]
    fn an_ordinary_page_is_not_blocked() {
        let page = format!(
            "<html><body>{}</body></html>",
            "<article><h2>A story</h2><p>Its teaser text, long enough.</p></article>".repeat(40)
        );
        assert_eq!(classify(&page), None);
        // A big page that mentions a captcha widget somewhere is still a page.
        let big = format!(
            "{page}{}<div class=\"g-recaptcha\"></div>",
            "x".repeat(SMALL)
        );
        assert_eq!(classify(&big), None);
    }
}
