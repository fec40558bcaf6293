//! HTTP cache validators: what a server said about the version of a page (its `ETag`
//! and `Last-Modified`), so that the next request can ask "has it changed?".
//!
//! A noun shared by two stages, owned by neither: `fetch` reads validators from a
//! response and sends them back as `If-None-Match` / `If-Modified-Since`; `store`
//! keeps them, but only once the feed's files show the content they describe (a 304
//! must never hide a write that did not happen).

/// Cache validators of the last response whose content the files show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validators {
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}
