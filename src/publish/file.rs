//! Crash-safe, quiet file writes.
//!
//! A feed file is written to a temporary file in the same folder, flushed, and renamed
//! over the old one, so a reader (or a crash) only ever sees the old or the new complete
//! file. A file whose bytes would not change is left alone, keeping its mtime.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Temporary files carry this marker so leftovers from a crash can be recognised.
pub const TEMP_MARKER: &str = ".scrapefeed-tmp";

/// Writes `bytes` to `path` unless it already holds exactly them; returns whether it wrote.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    match fs::read(path) {
        Ok(existing) if existing == bytes => return Ok(false),
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    write_atomic(path, bytes)?;
    Ok(true)
}

/// Writes through a temporary sibling file and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let temp = temp_path(path);
    let result = (|| {
        let mut file = File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "feed".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.{}{TEMP_MARKER}", std::process::id()))
}

/// The longest process id Linux hands out (`pid_max` is at most 2^22): 7 digits.
const PID_DIGITS: usize = 7;

/// The length in bytes of the longest temporary name written for a file whose name is
/// `file_name_len` bytes long (`.<name>.<pid>.scrapefeed-tmp`): the config checks that
/// it fits the file system's name limit.
pub const fn longest_temp_name(file_name_len: usize) -> usize {
    1 + file_name_len + 1 + PID_DIGITS + TEMP_MARKER.len()
}

/// Removes temporary files left in `dir` by an interrupted earlier run.
pub fn remove_stale_temp_files(dir: &Path) -> io::Result<usize> {
    let mut removed = 0;
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        if entry.file_name().to_string_lossy().ends_with(TEMP_MARKER) {
            fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    #[test]
    fn unchanged_content_is_not_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feed.xml");
        assert!(write_if_changed(&path, b"one").unwrap());
        let old = SystemTime::now() - Duration::from_secs(3600);
        File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(old)
            .unwrap();
        assert!(!write_if_changed(&path, b"one").unwrap());
        assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), old);
        assert!(write_if_changed(&path, b"two").unwrap());
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file is left"
        );
    }

    #[test]
    fn the_longest_temp_name_is_as_long_as_the_longest_written() {
        let path = Path::new("/out/feed.atom");
        let written = temp_path(path).file_name().unwrap().len();
        let longest = longest_temp_name("feed.atom".len());
        assert!(written <= longest, "{written} > {longest}");
        assert_eq!(
            longest - written,
            PID_DIGITS - std::process::id().to_string().len()
        );
    }

    #[test]
    fn stale_temp_files_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(format!(".a.xml.1{TEMP_MARKER}")), b"x").unwrap();
        fs::write(dir.path().join("a.xml"), b"x").unwrap();
        assert_eq!(remove_stale_temp_files(dir.path()).unwrap(), 1);
        assert!(dir.path().join("a.xml").exists());
    }
}
