//! Serving `output_dir`: the feeds, the index page and the OPML list, as readers and
//! caches expect them.
//!
//! tower-http's `ServeDir` does the HTTP work (GET and HEAD only, 405 with `Allow`
//! otherwise; strong ETag and Last-Modified; 304 for If-None-Match and
//! If-Modified-Since; ranges; `index.html` for `/` and no listing), reading files
//! through [`Confined`] so nothing outside `output_dir` is reachable, and its
//! compression layer negotiates gzip and brotli. Around it this module adds what is
//! particular to feeds: their media types with `charset=utf-8`, `Cache-Control` from
//! the feed's schedule ([`cache`](super::cache)), ETags that name the encoding
//! ([`etag`](super::etag)), and the `base_url` path: with `base_url:
//! https://host/feeds/` a proxy may pass `/feeds/harbour.xml` as it is or with the
//! prefix removed, and both reach `harbour.xml`.

use axum::body::Body;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Request, Response, StatusCode, Uri};
use tower::{Layer, ServiceExt};
use tower_http::compression::{Compression, CompressionLayer, CompressionLevel};
use tower_http::services::ServeDir;
use tower_http::services::fs::DefaultServeDirFallback;

use super::cache::cache_control;
use super::confine::Confined;
use super::etag::{Revalidation, with_coding};
use crate::config::{Config, Format};

/// Which answers are compressed: see [`worth_compressing`].
type Worth = fn(StatusCode, axum::http::Version, &HeaderMap, &axum::http::Extensions) -> bool;

#[derive(Clone)]
pub struct Files {
    inner: Compression<ServeDir<DefaultServeDirFallback, Confined>, Worth>,
    /// The path of `base_url` without its trailing slash (`/feeds`), or empty.
    prefix: String,
}

/// Complete answers (not a 304, nor a range) of text worth the CPU: feeds, pages,
/// OPML, and other text a user keeps in output_dir — not images or archives, which
/// are compressed already. The size is read from `Content-Length`, not the body, so a
/// HEAD answers with the headers a GET would get.
fn worth_compressing(
    status: StatusCode,
    _: axum::http::Version,
    headers: &HeaderMap,
    _: &axum::http::Extensions,
) -> bool {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let large = text(header::CONTENT_LENGTH)
        .and_then(|n| n.parse::<u64>().ok())
        .is_none_or(|n| n >= 256);
    let textual = text(header::CONTENT_TYPE)
        .is_some_and(|t| t.starts_with("text/") || t.contains("xml") || t.contains("json"));
    status == StatusCode::OK && large && textual
}

impl Files {
    pub fn new(config: &Config) -> Files {
        let root = config.settings.output_dir.clone();
        let files = ServeDir::with_backend(&root, Confined::new(root.clone()))
            // A folder is its index.html (no listing); `base_url` paths make the
            // redirect to a trailing slash point at the wrong place, and output_dir
            // has no subfolders of its own.
            .redirect_to_trailing_slash(false);
        let inner = CompressionLayer::new()
            .gzip(true)
            .br(true)
            // brotli's default (11) costs far more CPU per request than it saves in
            // bytes over 5; gzip 5 is as good as its default for feeds.
            .quality(CompressionLevel::Precise(5))
            .compress_when(worth_compressing as Worth)
            .layer(files);
        let prefix = config
            .settings
            .base_url
            .as_ref()
            .map(|url| url.path().trim_end_matches('/').to_owned())
            .unwrap_or_default();
        Files { inner, prefix }
    }

    /// Answers one request for a file.
    pub async fn respond(&self, config: &Config, mut request: Request<Body>) -> Response<Body> {
        let path = request.uri().path().to_owned();
        if !self.prefix.is_empty() && path == self.prefix {
            return redirect(&format!("{}/", self.prefix));
        }
        let inner_path = match path.strip_prefix(&self.prefix) {
            Some(rest) if !self.prefix.is_empty() && rest.starts_with('/') => rest.to_owned(),
            _ => path.clone(),
        };
        if inner_path != path {
            let query = request
                .uri()
                .query()
                .map_or_else(String::new, |q| format!("?{q}"));
            if let Ok(uri) = format!("{inner_path}{query}").parse::<Uri>() {
                *request.uri_mut() = uri;
            }
        }
        let name = file_name(&inner_path);
        let revalidation = request
            .headers()
            .get(header::IF_NONE_MATCH)
            .and_then(Revalidation::of);
        if let Some(revalidation) = &revalidation {
            request
                .headers_mut()
                .insert(header::IF_NONE_MATCH, revalidation.for_files.clone());
        }
        let response = match self.inner.clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
        let (mut parts, body) = response.into_parts();
        let headers = &mut parts.headers;
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        let status = parts.status;
        if matches!(
            status,
            StatusCode::OK | StatusCode::PARTIAL_CONTENT | StatusCode::NOT_MODIFIED
        ) {
            if headers.contains_key(header::CONTENT_TYPE)
                && let Some(value) = media_type(&name).and_then(|t| HeaderValue::from_str(&t).ok())
            {
                headers.insert(header::CONTENT_TYPE, value);
            }
            let etag = headers.get(header::ETAG).cloned();
            let tagged = match (status, etag, headers.get(header::CONTENT_ENCODING)) {
                (StatusCode::NOT_MODIFIED, Some(etag), _) => {
                    revalidation.as_ref().and_then(|r| r.matching(&etag))
                }
                (_, Some(etag), Some(coding)) => with_coding(&etag, coding),
                _ => None,
            };
            if let Some(tagged) = tagged {
                headers.insert(header::ETAG, tagged);
            }
            if let Ok(value) =
                HeaderValue::from_str(&cache_control(config, &name, chrono::Utc::now()))
            {
                headers.insert(header::CACHE_CONTROL, value);
            }
        }
        match status {
            // A 304 has no body, and a length would have to be the 200's.
            StatusCode::NOT_MODIFIED => {
                parts.headers.remove(header::CONTENT_LENGTH);
                if media_type(&name).is_some() {
                    parts
                        .headers
                        .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
                }
            }
            // ServeDir's 404 is empty; a person who mistyped a URL gets a word.
            StatusCode::NOT_FOUND => {
                let text = format!("Not found. The feeds are listed at {}/\n", self.prefix);
                parts.headers.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/plain; charset=utf-8"),
                );
                parts.headers.remove(header::CONTENT_LENGTH);
                return Response::from_parts(parts, Body::from(text));
            }
            _ => {}
        }
        Response::from_parts(parts, Body::new(body))
    }
}

/// The name of the file a request path asks for (`/` is the index page).
fn file_name(path: &str) -> String {
    let last = path.rsplit('/').next().unwrap_or_default();
    if last.is_empty() {
        return "index.html".to_owned();
    }
    percent_encoding::percent_decode_str(last)
        .decode_utf8_lossy()
        .into_owned()
}

/// The media type of a file scrapefeed writes, by its extension, with its charset
/// (every file scrapefeed writes is UTF-8).
pub fn media_type(name: &str) -> Option<String> {
    let (_, extension) = name.rsplit_once('.')?;
    let media_type = match Format::EVERY
        .into_iter()
        .find(|f| f.extension() == extension)
    {
        Some(format) => format.media_type(),
        None => match extension {
            "json" => "application/feed+json",
            "opml" => "text/x-opml",
            "html" => "text/html",
            _ => return None,
        },
    };
    Some(format!("{media_type}; charset=utf-8"))
}

fn redirect(location: &str) -> Response<Body> {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::PERMANENT_REDIRECT;
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_scrapefeed_writes_has_its_type() {
        assert_eq!(
            media_type("harbour.xml"),
            Some("application/rss+xml; charset=utf-8".into())
        );
        assert_eq!(
            media_type("harbour.atom"),
            Some("application/atom+xml; charset=utf-8".into())
        );
        assert_eq!(
            media_type("harbour.json"),
            Some("application/feed+json; charset=utf-8".into())
        );
        assert_eq!(
            media_type("feeds.opml"),
            Some("text/x-opml; charset=utf-8".into())
        );
        assert_eq!(
            media_type("index.html"),
            Some("text/html; charset=utf-8".into())
        );
        assert_eq!(media_type("logo.png"), None, "left to ServeDir");
        assert_eq!(file_name("/feeds/"), "index.html");
        assert_eq!(file_name("/harbour%2Eatom"), "harbour.atom");
    }
}
