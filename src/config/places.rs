//! Where scrapefeed writes, checked at load: `output_dir` and `state_dir` must be
//! folders (or creatable as folders), and every file a feed writes — its temporary
//! files included — must fit the file system's limit on a file name. `check` only
//! looks; it creates nothing.

use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use super::Format;
use crate::publish::file::longest_temp_name;

/// The usual limit on a file name (ext4, XFS, Btrfs, tmpfs), when the file system
/// cannot be asked.
const DEFAULT_NAME_MAX: usize = 255;

/// Why `dir` cannot serve as the folder `key`, if it cannot.
pub(super) fn folder_problem(key: &str, dir: &Path) -> Option<String> {
    if dir.as_os_str().as_bytes().contains(&0) {
        return Some(format!("{key} contains a NUL character"));
    }
    if dir.exists() {
        return (!dir.is_dir()).then(|| {
            format!(
                "{key} {} is a file, not a folder: name a folder (it is created if missing)",
                dir.display()
            )
        });
    }
    let blocker = dir
        .ancestors()
        .skip(1)
        .find(|ancestor| ancestor.exists())
        .filter(|ancestor| !ancestor.is_dir())?;
    Some(format!(
        "{key} {} cannot be created: {} is a file, not a folder",
        dir.display(),
        blocker.display()
    ))
}

/// Whether `inner` is `outer` or inside it.
pub(super) fn is_within(inner: &Path, outer: &Path) -> bool {
    inner.starts_with(outer)
}

/// The longest feed name whose files in `output_dir` all fit, with the formats given.
pub(super) fn longest_feed_name(output_dir: &Path, formats: &[Format]) -> usize {
    let extension = formats
        .iter()
        .map(|f| f.extension().len())
        .max()
        .unwrap_or(0);
    name_max(output_dir).saturating_sub(longest_temp_name(1 + extension))
}

/// The file-name limit of the file system `dir` is (or will be) on.
pub(super) fn name_max(dir: &Path) -> usize {
    dir.ancestors()
        .find(|a| a.is_dir())
        .and_then(|existing| rustix::fs::statvfs(existing).ok())
        .and_then(|fs| usize::try_from(fs.f_namemax).ok())
        .filter(|&n| n > 0)
        .unwrap_or(DEFAULT_NAME_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_not_a_folder_and_nothing_is_created() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("feeds.xml");
        std::fs::write(&file, "x").unwrap();
        assert!(
            folder_problem("output_dir", &file)
                .unwrap()
                .contains("is a file, not a folder")
        );
        let below = file.join("sub");
        assert!(
            folder_problem("output_dir", &below)
                .unwrap()
                .contains("cannot be created")
        );
        let fresh = dir.path().join("a/b/c");
        assert_eq!(folder_problem("output_dir", &fresh), None);
        assert!(!fresh.exists() && !dir.path().join("a").exists());
        assert_eq!(folder_problem("output_dir", dir.path()), None);
    }

    #[test]
    fn feed_names_leave_room_for_the_longest_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let longest = longest_feed_name(dir.path(), &[Format::Rss, Format::Atom]);
        assert_eq!(name_max(dir.path()), 255);
        // `.` name `.atom` `.` 7-digit pid `.scrapefeed-tmp` = 255 bytes.
        assert_eq!(longest, 255 - 1 - 5 - 1 - 7 - ".scrapefeed-tmp".len());
        assert_eq!(longest, 226);
        assert_eq!(longest_feed_name(dir.path(), &[Format::Rss]), 227);
    }
}
