//! Feeds that were removed from feeds.yaml.
//!
//! Their history is not dropped at once: adding a feed back within its `keep` restores
//! its items with the ids and dates readers already have. Once nothing of it has been
//! seen for that long it is forgotten, record and all, so the store does not grow
//! with feeds that are gone.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::{Store, StoreError};

impl Store {
    /// The feeds the store has a record of that are not among `configured`.
    pub fn unconfigured(&self, configured: &[&str]) -> Result<Vec<String>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT slug FROM feeds ORDER BY slug")
            .map_err(|e| self.sql_error(e))?;
        let slugs = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(|e| self.sql_error(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql_error(e))?;
        Ok(slugs
            .into_iter()
            .filter(|s| !configured.contains(&s.as_str()))
            .collect())
    }

    /// Forgets the items of removed feed `slug` last seen before `before`, and its
    /// record once no item is left; returns how many items went.
    pub fn forget_removed(&self, slug: &str, before: DateTime<Utc>) -> Result<usize, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(|e| self.sql_error(e))?;
        let gone = tx
            .execute(
                "DELETE FROM items WHERE feed = ?1 AND last_seen < ?2",
                params![slug, before.timestamp()],
            )
            .map_err(|e| self.sql_error(e))?;
        tx.execute(
            "DELETE FROM feeds WHERE slug = ?1
               AND NOT EXISTS (SELECT 1 FROM items WHERE items.feed = ?1)
               AND COALESCE(last_attempt, 0) < ?2",
            params![slug, before.timestamp()],
        )
        .map_err(|e| self.sql_error(e))?;
        tx.commit().map_err(|e| self.sql_error(e))?;
        Ok(gone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_removed_feed_is_kept_for_a_while_then_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
        store.record_failure("gone", "HTTP 500", at).unwrap();
        store.record_failure("kept", "HTTP 500", at).unwrap();
        assert_eq!(store.unconfigured(&["kept"]).unwrap(), ["gone"]);
        store.forget_removed("gone", at).unwrap();
        assert_eq!(store.unconfigured(&["kept"]).unwrap(), ["gone"], "not yet");
        store
            .forget_removed("gone", at + chrono::Duration::seconds(1))
            .unwrap();
        assert!(store.unconfigured(&["kept"]).unwrap().is_empty());
        assert_eq!(store.unconfigured(&[]).unwrap(), ["kept"]);
    }
}
