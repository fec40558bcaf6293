//! The file system as the server sees it: `output_dir` and nothing outside it.
//!
//! tower-http's `ServeDir` already refuses `..`, encoded or not, and absolute paths
//! in the request. What it cannot know is where a path leads on disk: a symbolic link
//! in `output_dir` may point anywhere (`/etc`, `/dev/zero`), a FIFO would block the
//! reader forever, and hidden files (the publisher's temporary files, an editor's
//! swap file, `.git`) are not for readers. So every path is resolved here first, and
//! answered only if it lands on a regular file or a folder inside `output_dir`,
//! reached without a hidden name. The file opened is the one that was checked: it is
//! opened without following a symbolic link and non-blocking, and its identity
//! (device, inode) must be the checked path's, so swapping a link in between fails.
//! Everything refused looks like a missing file (404), telling nothing about what is
//! there.

use std::future::Future;
use std::io;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncSeek, ReadBuf};
use tower_http::services::fs::{Backend, File};

/// A `ServeDir` backend that serves `root` and nothing outside it.
#[derive(Debug, Clone)]
pub struct Confined {
    root: PathBuf,
}

type Boxed<T> = Pin<Box<dyn Future<Output = io::Result<T>> + Send>>;

impl Confined {
    pub fn new(root: PathBuf) -> Confined {
        Confined { root }
    }

    /// The real path of `path` and its metadata, if it may be served.
    fn resolve(root: &Path, path: &Path) -> io::Result<(PathBuf, std::fs::Metadata)> {
        let root = std::fs::canonicalize(root)?;
        let real = std::fs::canonicalize(path)?;
        let inside = real.strip_prefix(&root).map_err(|_| refused())?;
        let hidden = inside
            .components()
            .any(|c| c.as_os_str().as_encoded_bytes().starts_with(b"."));
        if hidden {
            return Err(refused());
        }
        let meta = std::fs::metadata(&real)?;
        if !(meta.is_file() || meta.is_dir()) {
            return Err(refused());
        }
        Ok((real, meta))
    }

    fn open_checked(root: &Path, path: &Path) -> io::Result<std::fs::File> {
        let (real, checked) = Confined::resolve(root, path)?;
        let file = std::fs::File::options()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(&real)?;
        let opened = file.metadata()?;
        if !opened.is_file() || (opened.dev(), opened.ino()) != (checked.dev(), checked.ino()) {
            return Err(refused());
        }
        Ok(file)
    }
}

/// What a refused path answers: the same as a missing one.
fn refused() -> io::Error {
    io::Error::from(io::ErrorKind::NotFound)
}

impl Backend for Confined {
    type File = ConfinedFile;
    type Metadata = std::fs::Metadata;
    type OpenFuture = Boxed<ConfinedFile>;
    type MetadataFuture = Boxed<std::fs::Metadata>;

    fn open(&self, path: PathBuf) -> Self::OpenFuture {
        let root = self.root.clone();
        Box::pin(async move {
            let file = tokio::task::spawn_blocking(move || Confined::open_checked(&root, &path))
                .await
                .map_err(io::Error::other)??;
            Ok(ConfinedFile(tokio::fs::File::from_std(file)))
        })
    }

    fn metadata(&self, path: PathBuf) -> Self::MetadataFuture {
        let root = self.root.clone();
        Box::pin(async move {
            tokio::task::spawn_blocking(move || Confined::resolve(&root, &path).map(|(_, m)| m))
                .await
                .map_err(io::Error::other)?
        })
    }
}

/// A file opened through [`Confined`].
#[derive(Debug)]
pub struct ConfinedFile(tokio::fs::File);

impl AsyncRead for ConfinedFile {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl AsyncSeek for ConfinedFile {
    fn start_seek(mut self: Pin<&mut Self>, position: io::SeekFrom) -> io::Result<()> {
        Pin::new(&mut self.0).start_seek(position)
    }

    fn poll_complete(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<u64>> {
        Pin::new(&mut self.0).poll_complete(cx)
    }
}

impl File for ConfinedFile {
    type Metadata = std::fs::Metadata;
    type MetadataFuture<'a> =
        Pin<Box<dyn Future<Output = io::Result<std::fs::Metadata>> + Send + 'a>>;

    fn metadata(&self) -> Self::MetadataFuture<'_> {
        Box::pin(self.0.metadata())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn setup() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("output");
        std::fs::create_dir(&root).unwrap();
        std::fs::write(root.join("harbour.xml"), "<rss/>").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        (dir, root)
    }

    fn opens(root: &Path, name: &str) -> bool {
        Confined::open_checked(root, &root.join(name)).is_ok()
    }

    #[test]
    fn serves_regular_files_and_links_that_stay_inside() {
        let (_dir, root) = setup();
        symlink("harbour.xml", root.join("alias.xml")).unwrap();
        assert!(opens(&root, "harbour.xml"));
        assert!(opens(&root, "alias.xml"));
        assert!(Confined::resolve(&root, &root).is_ok(), "the folder itself");
    }

    #[test]
    fn refuses_links_out_of_the_folder_hidden_files_and_devices() {
        let (dir, root) = setup();
        symlink(dir.path().join("secret.txt"), root.join("leak.xml")).unwrap();
        symlink("/dev/zero", root.join("zero.xml")).unwrap();
        symlink("..", root.join("up")).unwrap();
        std::fs::write(root.join(".harbour.xml.tmp"), "partial").unwrap();
        std::fs::create_dir(root.join(".git")).unwrap();
        std::fs::write(root.join(".git/config"), "[core]").unwrap();
        let fifo =
            std::ffi::CString::new(root.join("pipe.xml").into_os_string().into_encoded_bytes())
                .unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
        for name in [
            "leak.xml",
            "zero.xml",
            "up/secret.txt",
            ".harbour.xml.tmp",
            ".git/config",
            "pipe.xml",
            "missing.xml",
        ] {
            let error = Confined::open_checked(&root, &root.join(name)).unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::NotFound, "{name}");
        }
    }
}
