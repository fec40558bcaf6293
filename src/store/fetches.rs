//! What each refresh's request looked like, and running totals: the numbers behind
//! `/metrics`.
//!
//! They live in the store, not in the daemon's memory, so a separate `serve` process
//! reports what the daemon did, and the totals survive restarts (Prometheus reads a
//! counter that never falls as one that was never reset). Each refresh adds one small
//! transaction, after its outcome is recorded.

use std::time::Duration;

use rusqlite::params;

use super::{Store, StoreError};

/// One refresh's request, as `/metrics` reports it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fetch {
    /// How long the request took (connect to last byte; `None`: no request was made).
    pub duration: Option<Duration>,
    /// The HTTP status (304 included); `None` when no answer came (timeout, refused).
    pub status: Option<u16>,
    /// Bytes of the body as received.
    pub bytes: u64,
    /// Whether the page was parsed (a 304 or a failed fetch is not).
    pub parsed: bool,
    /// Whether the refresh failed (at any stage).
    pub failed: bool,
}

/// A feed's last request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LastFetch {
    pub duration: Option<Duration>,
    pub status: Option<u16>,
}

/// Totals over every refresh this store has seen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub refreshes: u64,
    pub failures: u64,
    pub bytes_fetched: u64,
    pub pages_parsed: u64,
}

impl Store {
    /// Records a refresh's request and adds it to the totals.
    pub fn record_fetch(&self, slug: &str, fetch: &Fetch) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(|e| self.sql_error(e))?;
        let ms = fetch
            .duration
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        let bytes = i64::try_from(fetch.bytes).unwrap_or(i64::MAX);
        tx.prepare_cached(
            "INSERT INTO feeds (slug, fetch_ms, http_status) VALUES (?1, ?2, ?3)
             ON CONFLICT (slug) DO UPDATE SET fetch_ms = ?2, http_status = ?3",
        )
        .and_then(|mut statement| statement.execute(params![slug, ms, fetch.status]))
        .map_err(|e| self.sql_error(e))?;
        let mut add = tx
            .prepare_cached(
                "INSERT INTO totals (name, value) VALUES (?1, ?2)
                 ON CONFLICT (name) DO UPDATE SET value = value + ?2",
            )
            .map_err(|e| self.sql_error(e))?;
        for (name, value) in [
            ("refreshes", 1),
            ("failures", i64::from(fetch.failed)),
            ("bytes_fetched", bytes),
            ("pages_parsed", i64::from(fetch.parsed)),
        ] {
            add.execute(params![name, value])
                .map_err(|e| self.sql_error(e))?;
        }
        drop(add);
        tx.commit().map_err(|e| self.sql_error(e))
    }

    /// The last request of `slug`.
    pub fn last_fetch(&self, slug: &str) -> Result<LastFetch, StoreError> {
        use rusqlite::OptionalExtension;
        let row: Option<(Option<i64>, Option<u16>)> = self
            .conn()
            .query_row(
                "SELECT fetch_ms, http_status FROM feeds WHERE slug = ?1",
                [slug],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.sql_error(e))?;
        let (ms, status) = row.unwrap_or_default();
        Ok(LastFetch {
            duration: ms
                .and_then(|ms| u64::try_from(ms).ok())
                .map(Duration::from_millis),
            status,
        })
    }

    /// The totals over every refresh recorded.
    pub fn totals(&self) -> Result<Totals, StoreError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT name, value FROM totals")
            .map_err(|e| self.sql_error(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
            .map_err(|e| self.sql_error(e))?;
        let mut totals = Totals::default();
        for row in rows {
            let (name, value) = row.map_err(|e| self.sql_error(e))?;
            let value = u64::try_from(value).unwrap_or_default();
            match name.as_str() {
                "refreshes" => totals.refreshes = value,
                "failures" => totals.failures = value,
                "bytes_fetched" => totals.bytes_fetched = value,
                "pages_parsed" => totals.pages_parsed = value,
                _ => {}
            }
        }
        Ok(totals)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_the_last_request_and_adds_up_the_totals() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.totals().unwrap(), Totals::default());
        assert_eq!(store.last_fetch("harbour").unwrap(), LastFetch::default());

        let ok = Fetch {
            duration: Some(Duration::from_millis(120)),
            status: Some(200),
            bytes: 40_000,
            parsed: true,
            failed: false,
        };
        store.record_fetch("harbour", &ok).unwrap();
        let down = Fetch {
            duration: Some(Duration::from_millis(30)),
            status: Some(503),
            bytes: 512,
            parsed: false,
            failed: true,
        };
        store.record_fetch("harbour", &down).unwrap();
        store.record_fetch("lighthouse", &ok).unwrap();

        assert_eq!(
            store.last_fetch("harbour").unwrap(),
            LastFetch {
                duration: Some(Duration::from_millis(30)),
                status: Some(503)
            }
        );
        assert_eq!(
            store.totals().unwrap(),
            Totals {
                refreshes: 3,
                failures: 1,
                bytes_fetched: 80_512,
                pages_parsed: 2
            }
        );
        // The feed row made by `record_fetch` is an ordinary record.
        assert_eq!(store.feed("lighthouse").unwrap().failures, 0);
    }
}
