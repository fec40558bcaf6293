//! Hot reload: noticing that feeds.yaml changed, and what changed in it.
//!
//! The file is polled (size and mtime) rather than watched with inotify: it works the
//! same on every file system, survives editors that replace the file, and costs one
//! `stat` a second. A change is acted on once the file has been quiet for a poll, so a
//! half-saved file is not loaded. What changed is decided by comparing values
//! (`PartialEq`, see `config::compare`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::config::{Config, Feed};

/// Notices changes to the configuration file.
#[derive(Debug)]
pub struct ConfigWatch {
    path: PathBuf,
    seen: Option<(SystemTime, u64)>,
    changed: bool,
}

fn stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

impl ConfigWatch {
    pub fn new(path: &Path) -> ConfigWatch {
        ConfigWatch {
            path: path.to_path_buf(),
            seen: stamp(path),
            changed: false,
        }
    }

    /// Called once per poll; true when the file changed and has since been quiet.
    pub fn poll(&mut self) -> bool {
        let now = stamp(&self.path);
        if now != self.seen {
            self.seen = now;
            self.changed = true;
            return false;
        }
        std::mem::take(&mut self.changed)
    }

    /// Forget pending changes (after a reload triggered another way).
    pub fn settle(&mut self) {
        self.seen = stamp(&self.path);
        self.changed = false;
    }
}

/// What a reload changes.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ConfigDiff {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
    /// Changed feeds whose schedule changed (their next time is recomputed).
    pub rescheduled: Vec<String>,
    pub unchanged: usize,
    pub settings_changed: bool,
}

impl ConfigDiff {
    pub fn between(old: &Config, new: &Config) -> ConfigDiff {
        let old_feeds: BTreeMap<&str, &Feed> =
            old.feeds.iter().map(|f| (f.slug.as_str(), f)).collect();
        let new_feeds: BTreeMap<&str, &Feed> =
            new.feeds.iter().map(|f| (f.slug.as_str(), f)).collect();
        let mut diff = ConfigDiff {
            settings_changed: old.settings != new.settings,
            ..ConfigDiff::default()
        };
        for (slug, feed) in &new_feeds {
            match old_feeds.get(slug) {
                None => diff.added.push((*slug).to_owned()),
                Some(old) if old != feed => {
                    diff.changed.push((*slug).to_owned());
                    if old.schedule != feed.schedule {
                        diff.rescheduled.push((*slug).to_owned());
                    }
                }
                Some(_) => diff.unchanged += 1,
            }
        }
        diff.removed = old_feeds
            .keys()
            .filter(|s| !new_feeds.contains_key(*s))
            .map(|s| (*s).to_owned())
            .collect();
        diff
    }

    /// One line for the log.
    pub fn summary(&self) -> String {
        let list = |names: &[String]| {
            if names.is_empty() {
                String::new()
            } else {
                format!(" ({})", names.join(", "))
            }
        };
        format!(
            "{} added{}, {} removed{}, {} changed{}, {} unchanged{}",
            self.added.len(),
            list(&self.added),
            self.removed.len(),
            list(&self.removed),
            self.changed.len(),
            list(&self.changed),
            self.unchanged,
            if self.settings_changed {
                "; settings changed"
            } else {
                ""
            }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn config(text: &str) -> Config {
        crate::config::parse(text, Path::new("feeds.yaml")).unwrap()
    }

    #[test]
    fn diff_names_added_removed_and_changed_feeds() {
        let old = config(
            "feeds:\n  a: https://a.example/\n  b: https://b.example/\n  c: https://c.example/\n",
        );
        let new = config(
            "feeds:\n  a: https://a.example/\n  c:\n    url: https://c.example/\n    schedule: '@hourly'\n  d: https://d.example/\n",
        );
        let diff = ConfigDiff::between(&old, &new);
        assert_eq!(diff.added, ["d"]);
        assert_eq!(diff.removed, ["b"]);
        assert_eq!(diff.changed, ["c"]);
        assert_eq!(diff.rescheduled, ["c"]);
        assert_eq!(diff.unchanged, 1);
        assert!(!diff.settings_changed);
        assert_eq!(
            diff.summary(),
            "1 added (d), 1 removed (b), 1 changed (c), 1 unchanged"
        );
    }

    #[test]
    fn moving_a_feed_in_the_file_is_no_change() {
        let old = config("feeds:\n  a: https://a.example/\n  b: https://b.example/\n");
        let new = config("feeds:\n\n  b: https://b.example/\n  a: https://a.example/\n");
        assert_eq!(ConfigDiff::between(&old, &new).unchanged, 2);
    }

    #[test]
    fn watch_waits_for_a_quiet_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feeds.yaml");
        std::fs::write(&path, "one").unwrap();
        let mut watch = ConfigWatch::new(&path);
        assert!(!watch.poll());
        std::fs::write(&path, "two, longer").unwrap();
        assert!(
            !watch.poll(),
            "a change is not acted on while the file may still be written"
        );
        assert!(watch.poll(), "then it is, once");
        assert!(!watch.poll());
    }
}
