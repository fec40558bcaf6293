//! robots.txt copies per origin, so a site's rules survive between runs (`run --once`
//! from cron would otherwise fetch robots.txt before every page).

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError, time};
use crate::fetch::robots::RobotsRecord;

impl Store {
    /// The stored robots.txt of `origin` (`scheme://host:port`).
    pub fn robots(&self, origin: &str) -> Result<Option<RobotsRecord>, StoreError> {
        self.conn()
            .query_row(
                "SELECT fetched_at, expires_at, status, error, etag, last_modified, body
                 FROM robots WHERE origin = ?1",
                [origin],
                |row| {
                    Ok(RobotsRecord {
                        origin: origin.to_owned(),
                        fetched_at: time(row.get(0)?).unwrap_or_default(),
                        expires_at: time(row.get(1)?).unwrap_or_default(),
                        status: row.get(2)?,
                        error: row.get(3)?,
                        etag: row.get(4)?,
                        last_modified: row.get(5)?,
                        body: row.get(6)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.sql_error(e))
    }

    /// Remembers a robots.txt fetch, replacing the origin's previous copy.
    pub fn save_robots(&self, record: &RobotsRecord) -> Result<(), StoreError> {
        self.conn()
            .execute(
                "INSERT OR REPLACE INTO robots
                    (origin, fetched_at, expires_at, status, error, etag, last_modified, body)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    record.origin,
                    record.fetched_at.timestamp(),
                    record.expires_at.timestamp(),
                    record.status,
                    record.error,
                    record.etag,
                    record.last_modified,
                    record.body
                ],
            )
            .map(drop)
            .map_err(|e| self.sql_error(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn a_robots_copy_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.robots("https://news.example:443").unwrap(), None);
        let record = RobotsRecord {
            origin: "https://news.example:443".into(),
            fetched_at: Utc.with_ymd_and_hms(2026, 4, 1, 12, 0, 0).unwrap(),
            expires_at: Utc.with_ymd_and_hms(2026, 4, 2, 12, 0, 0).unwrap(),
            status: 200,
            error: None,
            etag: Some("\"v1\"".into()),
            last_modified: None,
            body: Some("User-agent: *\nDisallow: /private/\n".into()),
        };
        store.save_robots(&record).unwrap();
        assert_eq!(store.robots(&record.origin).unwrap(), Some(record));
    }
}
