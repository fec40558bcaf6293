//! A page's bytes, read with the `max_body` limit — HTTP bodies (counted after
//! decompression, so a gzip bomb stops at the limit) and local `file://` pages alike.
//!
//! A local file is checked before it is read: only a regular file is a page (a device
//! such as `/dev/zero` or a FIFO would read forever or block), and no more than the
//! limit is ever read, whatever the file system claims about its size.

use std::io::Read;
use std::path::Path;

/// The bytes of a body, refusing to grow past the limit.
#[derive(Debug)]
pub struct Body {
    bytes: Vec<u8>,
    limit: u64,
}

/// The body went past the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge;

impl Body {
    pub fn new(limit: u64) -> Body {
        Body {
            bytes: Vec::new(),
            limit,
        }
    }

    /// Appends a chunk, or fails once the body would exceed the limit.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), TooLarge> {
        if (self.bytes.len() + chunk.len()) as u64 > self.limit {
            return Err(TooLarge);
        }
        self.bytes.extend_from_slice(chunk);
        Ok(())
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

/// Why a local page could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LocalError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("it is {0}, not a regular file: only files can be read as pages")]
    NotAFile(&'static str),
    #[error("the file is larger than the {0}-byte limit (max_body)")]
    TooLarge(u64),
}

/// Reads a local page of at most `limit` bytes.
pub fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, LocalError> {
    // Checked before opening: opening a FIFO for reading would block until a writer comes.
    regular(&std::fs::metadata(path)?)?;
    let file = std::fs::File::open(path)?;
    regular(&file.metadata()?)?;
    let mut body = Body::new(limit);
    let mut reader = file.take(limit.saturating_add(1));
    let mut chunk = vec![0; 64 * 1024];
    loop {
        let read = reader.read(&mut chunk)?;
        if read == 0 {
            return Ok(body.into_bytes());
        }
        body.push(&chunk[..read])
            .map_err(|TooLarge| LocalError::TooLarge(limit))?;
    }
}

fn regular(meta: &std::fs::Metadata) -> Result<(), LocalError> {
    use std::os::unix::fs::FileTypeExt;
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok(());
    }
    Err(LocalError::NotAFile(if kind.is_dir() {
        "a directory"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_fifo() {
        "a FIFO"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a file"
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_stops_at_its_limit() {
        let mut body = Body::new(10);
        assert!(body.push(b"0123456789").is_ok());
        assert_eq!(body.push(b"x"), Err(TooLarge));
        assert_eq!(body.into_bytes().len(), 10);
    }

    #[test]
    fn devices_and_fifos_are_refused_without_reading() {
        let zero = read_file(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert!(zero.to_string().contains("a character device"), "{zero}");
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("page.fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let error = read_file(&fifo, 1 << 20).unwrap_err();
            assert!(error.to_string().contains("a FIFO"), "{error}");
        }
        let error = read_file(dir.path(), 1 << 20).unwrap_err();
        assert!(error.to_string().contains("a directory"), "{error}");
    }

    #[test]
    fn a_file_over_the_limit_is_refused_after_reading_at_most_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("big.html");
        std::fs::write(&page, vec![b'a'; 4096]).unwrap();
        assert!(matches!(
            read_file(&page, 1000),
            Err(LocalError::TooLarge(1000))
        ));
        assert_eq!(read_file(&page, 4096).unwrap().len(), 4096);
    }
}
