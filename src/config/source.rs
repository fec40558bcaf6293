//! Reading feeds.yaml from disk, safely: only a regular file, at most [`MAX_BYTES`],
//! UTF-8 — so `--config /dev/zero` cannot exhaust memory and a named pipe cannot hang
//! `check` — with a message that says what to do when there is no file at all.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

use super::DEFAULT_PATH;

/// Far more than any hand-written configuration (some 50,000 one-line feeds).
pub const MAX_BYTES: u64 = 4 << 20;

/// The file's text, or why it cannot be used.
pub(super) fn read(path: &Path) -> Result<String, String> {
    // Refuse what is not a regular file before opening it: opening a named pipe
    // waits for a writer. (Non-blocking open and a second look at the opened file
    // close the gap between the two steps.)
    refuse_special(
        path,
        std::fs::metadata(path).map_err(|e| cannot_open(path, &e))?,
    )?;
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(path)
        .map_err(|e| cannot_open(path, &e))?;
    refuse_special(path, file.metadata().map_err(|e| cannot_open(path, &e))?)?;
    let bytes = read_bounded(file).map_err(|e| format!("cannot read the file: {e}"))?;
    let bytes = bytes.ok_or_else(|| {
        format!(
            "larger than {} MiB: that is not a feeds.yaml (is --config pointing at the right file?)",
            MAX_BYTES >> 20
        )
    })?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (invalid byte at offset {}): save the file as UTF-8",
            e.utf8_error().valid_up_to()
        )
    })
}

/// At most `MAX_BYTES`; `None` if there is more.
fn read_bounded(file: File) -> io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    file.take(MAX_BYTES + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= MAX_BYTES).then_some(bytes))
}

fn refuse_special(path: &Path, metadata: std::fs::Metadata) -> Result<(), String> {
    let kind = metadata.file_type();
    let what = if kind.is_file() {
        return Ok(());
    } else if kind.is_dir() {
        return Err(format!(
            "a folder, not a configuration file: give the path of the file (--config {}/feeds.yaml)",
            path.display()
        ));
    } else if kind.is_fifo() {
        "a named pipe"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else {
        "something else"
    };
    Err(format!(
        "{what}, not a regular file: the configuration is read from a regular file only"
    ))
}

fn cannot_open(path: &Path, error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound if path == Path::new(DEFAULT_PATH) => format!(
            "no {DEFAULT_PATH} here ({}): start from examples/feeds.yaml or run `scrapefeed suggest URL`, or name the file with --config",
            std::env::current_dir().map_or_else(|_| ".".into(), |dir| dir.display().to_string())
        ),
        io::ErrorKind::NotFound => {
            "no such file: start from examples/feeds.yaml or run `scrapefeed suggest URL`".into()
        }
        io::ErrorKind::PermissionDenied => {
            "permission denied: the file must be readable by the user running scrapefeed".into()
        }
        _ => format!("cannot read the file: {error}"),
    }
}
