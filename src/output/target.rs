//! What an output path may be before csp-planner writes there: nothing yet, or a regular file (replaced
//! atomically). A FIFO, a device, a socket or a folder is refused: renaming a file over `/dev/null` would replace
//! the device with a file. A symlink is written through: the regular file it points at is replaced and the link
//! stays; a symlink to something that is not a regular file, or to nothing, is refused.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::open::kind_of;

/// The path to write the new file at (`path`, or the file a symlink points at); refused unless it is absent or a
/// regular file. `option` names the path for the user (`-o`, `--out-dir`).
pub fn replaceable(path: &Path, option: &str) -> Result<PathBuf> {
    let refuse = |what: String| {
        Error::usage(format!(
            "{option} {}: {what}; csp-planner writes only a new file or replaces a regular file: give another path",
            path.display()
        ))
    };
    let metadata = match std::fs::symlink_metadata(path) {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(path.to_path_buf()),
        Err(e) => return Err(Error::Output { path: path.display().to_string(), source: e }),
    };
    if !metadata.file_type().is_symlink() {
        return match kind_of(&metadata) {
            None => Ok(path.to_path_buf()),
            Some(kind) => Err(refuse(format!("is {kind}, not a regular file"))),
        };
    }
    let pointed = std::fs::read_link(path).unwrap_or_default();
    let Ok(target) = path.canonicalize() else {
        return Err(refuse(format!("is a symlink to {}, which does not exist", pointed.display())));
    };
    let metadata =
        std::fs::metadata(&target).map_err(|source| Error::Output { path: path.display().to_string(), source })?;
    match kind_of(&metadata) {
        None => Ok(target),
        Some(kind) => {
            Err(refuse(format!("is a symlink to {}, which is {kind}, not a regular file", pointed.display())))
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_and_a_folder_are_refused_a_symlink_is_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo reads a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o644) }, 0);
        let message = replaceable(&fifo, "-o").unwrap_err().to_string();
        assert!(message.contains("is a FIFO (named pipe), not a regular file"), "{message}");
        let message = replaceable(dir.path(), "-o").unwrap_err().to_string();
        assert!(message.contains("is a directory"), "{message}");
        let file = dir.path().join("real.json");
        std::fs::write(&file, "{}").unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        assert_eq!(replaceable(&link, "-o").unwrap(), file.canonicalize().unwrap());
        let to_fifo = dir.path().join("to-pipe");
        std::os::unix::fs::symlink(&fifo, &to_fifo).unwrap();
        let message = replaceable(&to_fifo, "-o").unwrap_err().to_string();
        assert!(message.contains("which is a FIFO"), "{message}");
        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink(dir.path().join("missing"), &dangling).unwrap();
        assert!(replaceable(&dangling, "-o").unwrap_err().to_string().contains("which does not exist"));
        assert_eq!(replaceable(&dir.path().join("new.json"), "-o").unwrap(), dir.path().join("new.json"));
    }
}
