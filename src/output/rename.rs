//! The two renames the output sets need beyond `std::fs::rename`: swapping two folders in one step (the new
//! report takes the old one's place, the old one lands in the staging folder's place), and moving a file in only
//! when nothing is at the destination. Linux does both atomically (`renameat2`); elsewhere, or on a file system
//! that does not support it, a careful fallback is used.

use std::io;
use std::path::Path;

/// Exchanges `a` and `b` (both exist). The fallback renames `b` aside, then `a` into its place, and puts `b` back
/// if the second rename fails.
pub fn exchange(a: &Path, b: &Path, aside: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    match renameat2(a, b, libc::RENAME_EXCHANGE) {
        Ok(()) => return Ok(()),
        Err(e) if !unsupported(&e) => return Err(e),
        Err(_) => {}
    }
    std::fs::rename(b, aside)?;
    if let Err(e) = std::fs::rename(a, b) {
        std::fs::rename(aside, b)?;
        return Err(e);
    }
    std::fs::rename(aside, a)
}

/// Moves `from` to `to` unless `to` exists (then `AlreadyExists`).
pub fn no_replace(from: &Path, to: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    match renameat2(from, to, libc::RENAME_NOREPLACE) {
        Ok(()) => return Ok(()),
        Err(e) if !unsupported(&e) => return Err(e),
        Err(_) => {}
    }
    // A hard link fails when `to` exists; then the staging name is removed.
    std::fs::hard_link(from, to)?;
    std::fs::remove_file(from)
}

#[cfg(target_os = "linux")]
fn unsupported(error: &io::Error) -> bool {
    matches!(error.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS | libc::ENOTSUP))
}

#[cfg(target_os = "linux")]
fn renameat2(from: &Path, to: &Path, flags: libc::c_uint) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))
    };
    let (from, to) = (c(from)?, c(to)?);
    // SAFETY: both paths are NUL-terminated and live across the call.
    let result = unsafe { libc::renameat2(libc::AT_FDCWD, from.as_ptr(), libc::AT_FDCWD, to.as_ptr(), flags) };
    if result == 0 { Ok(()) } else { Err(io::Error::last_os_error()) }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn exchange_swaps_two_folders_and_no_replace_keeps_an_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::create_dir(&a).unwrap();
        std::fs::create_dir(&b).unwrap();
        std::fs::write(a.join("new"), "new").unwrap();
        std::fs::write(b.join("old"), "old").unwrap();
        exchange(&a, &b, &dir.path().join("aside")).unwrap();
        assert_eq!(std::fs::read_to_string(b.join("new")).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(a.join("old")).unwrap(), "old");
        let error = no_replace(&b.join("new"), &a.join("old")).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read_to_string(a.join("old")).unwrap(), "old");
        no_replace(&b.join("new"), &a.join("new")).unwrap();
        assert!(!b.join("new").exists());
    }
}
