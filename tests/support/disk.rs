//! Real write failures for the tests: a tiny tmpfs mounted over a folder, filled up so
//! the next write gets "No space left on device" — a disk that is really full.
//!
//! Mounting needs root with CAP_SYS_ADMIN (CI and the development container have it).
//! Elsewhere, a non-root user gets the next best real failure: the folder made
//! read-only, so creating the temporary file fails with "Permission denied".

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A folder whose writes fail while it is [`Disk::fill`]ed; unmounted when dropped.
pub struct Disk {
    dir: PathBuf,
    mounted: bool,
}

/// The filler's name; the feed files never use it.
const FILLER: &str = "filler.bin";

impl Disk {
    /// Mounts a tmpfs of `kib` KiB over `dir` (created if needed), or prepares the
    /// read-only fallback.
    pub fn small(dir: &Path, kib: u32) -> Disk {
        fs::create_dir_all(dir).expect("create the folder for the tmpfs");
        let mounted = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={kib}k,mode=0755"),
                "tmpfs",
            ])
            .arg(dir)
            .output()
            .is_ok_and(|out| out.status.success());
        if !mounted {
            // SAFETY: geteuid has no preconditions.
            let root = unsafe { libc::geteuid() } == 0;
            assert!(
                !root,
                "cannot mount a tmpfs at {} (root without CAP_SYS_ADMIN?), and as root a read-only folder does not make writes fail",
                dir.display()
            );
        }
        Disk {
            dir: dir.to_path_buf(),
            mounted,
        }
    }

    /// Whether this is a real full disk (tmpfs) rather than a read-only folder.
    pub fn is_tmpfs(&self) -> bool {
        self.mounted
    }

    /// Makes the next write in the folder fail.
    pub fn fill(&self) {
        if self.mounted {
            let mut filler = File::create(self.dir.join(FILLER)).expect("create the filler");
            let block = [0u8; 4096];
            while filler
                .write_all(&block)
                .and_then(|()| filler.sync_all())
                .is_ok()
            {}
        } else {
            set_mode(&self.dir, 0o555);
        }
    }

    /// Makes room again.
    pub fn free(&self) {
        if self.mounted {
            fs::remove_file(self.dir.join(FILLER)).expect("remove the filler");
        } else {
            set_mode(&self.dir, 0o755);
        }
    }
}

fn set_mode(dir: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(dir, fs::Permissions::from_mode(mode)).expect("chmod");
}

impl Drop for Disk {
    fn drop(&mut self) {
        if self.mounted {
            let _ = Command::new("umount").arg(&self.dir).status();
        } else {
            set_mode(&self.dir, 0o755);
        }
    }
}
