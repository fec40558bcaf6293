//! Crash-safe, quiet, careful file writes.
//!
//! A feed file is written to a temporary file in the same folder, flushed, and renamed
//! over the old one, so a reader (or a crash) only ever sees the old or the new complete
//! file. A file whose bytes would not change is left alone, keeping its mtime.
//!
//! What is already at an output path is never trusted: it is only read to compare
//! when it is a regular file of exactly the new length, opened without following a
//! symbolic link (and without blocking on a pipe). A symbolic link, pipe, socket or
//! device there is replaced by the new file — the rename replaces the entry itself,
//! never what it points to — with a warning; a directory there is refused with an
//! error saying what to do. The temporary file is created exclusively, so a link
//! planted at its name is not followed either.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// Temporary files carry this marker so leftovers from a crash can be recognised.
pub const TEMP_MARKER: &str = ".scrapefeed-tmp";

/// Writes `bytes` to `path` unless it already holds exactly them; returns whether it wrote.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    match existing(path, bytes)? {
        Existing::Same => return Ok(false),
        Existing::Missing | Existing::Differs => {}
        Existing::Foreign(what) => tracing::warn!(
            "{} was {what}, not a file scrapefeed wrote; replacing it with a regular file",
            path.display()
        ),
    }
    write_atomic(path, bytes)?;
    Ok(true)
}

/// Whether `path` holds an output file: a regular file, not something reached
/// through a symbolic link (which the next write replaces).
pub fn is_output(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
}

/// Fails with a clear message when `path` cannot take an output file (a directory
/// is in the way), so a feed can check all its paths before writing any of them.
pub fn check_writable(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => Err(io::Error::other(
            "it is a directory, where scrapefeed writes a feed file: move it away (or rename the feed)",
        )),
        _ => Ok(()),
    }
}

/// What is at an output path now.
enum Existing {
    Missing,
    /// A regular file holding exactly the new bytes.
    Same,
    /// A regular file holding something else.
    Differs,
    /// Something scrapefeed never writes (a link, pipe, socket, device), described.
    Foreign(String),
}

fn existing(path: &Path, bytes: &[u8]) -> io::Result<Existing> {
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Existing::Missing),
        Err(e) => return Err(e),
    };
    check_writable(path)?;
    let kind = meta.file_type();
    if kind.is_symlink() {
        let target = fs::read_link(path).map_or_else(|_| "?".into(), |t| t.display().to_string());
        return Ok(Existing::Foreign(format!("a symbolic link (to {target})")));
    }
    if !kind.is_file() {
        let what = if kind.is_fifo() {
            "a named pipe"
        } else if kind.is_socket() {
            "a socket"
        } else {
            "a device"
        };
        return Ok(Existing::Foreign(what.into()));
    }
    if meta.len() != bytes.len() as u64 {
        return Ok(Existing::Differs);
    }
    // Opened without following a link swapped in since, and checked to be the same
    // regular file; read no further than the new length.
    let file = File::options()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)?;
    let opened = file.metadata()?;
    if !opened.is_file() || opened.ino() != meta.ino() || opened.dev() != meta.dev() {
        return Ok(Existing::Differs);
    }
    let mut current = Vec::with_capacity(bytes.len());
    file.take(bytes.len() as u64 + 1)
        .read_to_end(&mut current)?;
    Ok(if current == bytes {
        Existing::Same
    } else {
        Existing::Differs
    })
}

/// Writes through a temporary sibling file and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let temp = temp_path(path);
    // A leftover from a crash of a process with the same id; never followed.
    let _ = fs::remove_file(&temp);
    let result = (|| {
        let mut file = File::options().write(true).create_new(true).open(&temp)?;
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
    fn links_pipes_and_directories_are_never_read_or_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("elsewhere.txt");
        fs::write(&target, b"one").unwrap();
        let link = dir.path().join("feed.xml");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(
            write_if_changed(&link, b"one").unwrap(),
            "a link is replaced, even with equal bytes"
        );
        assert!(fs::symlink_metadata(&link).unwrap().is_file());
        assert_eq!(
            fs::read(&target).unwrap(),
            b"one",
            "the link's target is untouched"
        );

        let zero = dir.path().join("zero.atom");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        assert!(write_if_changed(&zero, b"feed").unwrap());
        assert_eq!(fs::read(&zero).unwrap(), b"feed");

        let fifo = dir.path().join("fifo.json");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        assert!(
            write_if_changed(&fifo, b"feed").unwrap(),
            "no hang on a pipe"
        );
        assert_eq!(fs::read(&fifo).unwrap(), b"feed");

        let folder = dir.path().join("folder.xml");
        fs::create_dir(&folder).unwrap();
        let error = write_if_changed(&folder, b"feed").unwrap_err().to_string();
        assert!(
            error.contains("is a directory") && error.contains("move it away"),
            "{error}"
        );
    }

    #[test]
    fn a_link_at_the_temporary_name_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("victim");
        fs::write(&target, b"precious").unwrap();
        let path = dir.path().join("feed.xml");
        std::os::unix::fs::symlink(&target, temp_path(&path)).unwrap();
        write_atomic(&path, b"feed").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"precious");
        assert_eq!(fs::read(&path).unwrap(), b"feed");
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
