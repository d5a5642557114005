//! Opening a file the user names (an input, a rule file, a template, a price list): only regular files are
//! read. A FIFO would block the run until something writes to it, a device (`/dev/zero`) never ends: both are
//! refused before a byte is read, with what the path is.

use std::fs::{File, Metadata};
use std::io::Read;
use std::path::Path;

use crate::error::InputError;

/// What a path is, in words, when it is not a regular file.
pub fn kind_of(metadata: &Metadata) -> Option<&'static str> {
    let kind = metadata.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if kind.is_char_device() {
            return Some("a character device");
        }
        if kind.is_block_device() {
            return Some("a block device");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a file")
}

fn refusal(path: &Path, kind: &str) -> InputError {
    InputError::new(path, format!("is {kind}, not a regular file; give the path of a file"))
}

fn cannot_open(path: &Path, error: &std::io::Error) -> InputError {
    match error.kind() {
        std::io::ErrorKind::NotFound => InputError::new(path, "no such file"),
        _ => InputError::new(path, format!("cannot open: {error}")),
    }
}

/// The path's metadata (symlinks followed), refused unless it is a regular file. For readers that open the path
/// themselves (a workbook library); prefer [`regular_file`], which checks the opened file too.
pub fn check_regular(path: &Path) -> Result<Metadata, InputError> {
    let metadata = std::fs::metadata(path).map_err(|e| cannot_open(path, &e))?;
    match kind_of(&metadata) {
        Some(kind) => Err(refusal(path, kind)),
        None => Ok(metadata),
    }
}

/// Opens a regular file for reading. The path is checked before opening (opening a FIFO blocks) and the opened
/// file after (the path may have been replaced in between); non-blocking open for the same reason.
pub fn regular_file(path: &Path) -> Result<(File, Metadata), InputError> {
    check_regular(path)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(path).map_err(|e| cannot_open(path, &e))?;
    let metadata = file.metadata().map_err(|e| cannot_open(path, &e))?;
    if let Some(kind) = kind_of(&metadata) {
        return Err(refusal(path, kind));
    }
    Ok((file, metadata))
}

/// The whole of a small file the user names (a price list, a rule file, a template, a manifest), refused
/// when it is not a regular file or holds more than `limit` bytes. At most `limit + 1` bytes are read, whatever
/// the file claims to hold: it may grow while it is read.
pub fn read_limited(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>, InputError> {
    let (file, metadata) = regular_file(path)?;
    let too_large = || InputError::new(path, format!("is larger than {} MiB, the most a {what} may hold", limit >> 20));
    if metadata.len() > limit {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| InputError::new(path, format!("cannot read: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_and_a_device_are_refused_a_file_is_opened() {
        let dir = tempfile::tempdir().unwrap();
        let message = regular_file(dir.path()).unwrap_err().message;
        assert!(message.starts_with("is a directory, not a regular file"), "{message}");
        #[cfg(unix)]
        {
            let message = regular_file(Path::new("/dev/null")).unwrap_err().message;
            assert!(message.starts_with("is a character device"), "{message}");
        }
        let file = dir.path().join("a.csv");
        std::fs::write(&file, "x").unwrap();
        assert_eq!(regular_file(&file).unwrap().1.len(), 1);
        assert_eq!(regular_file(&dir.path().join("missing")).unwrap_err().message, "no such file");
    }

    #[test]
    fn a_file_over_its_limit_is_refused_naming_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("prices.csv");
        std::fs::write(&file, vec![b'x'; 2 << 20]).unwrap();
        let message = read_limited(&file, 1 << 20, "price list").unwrap_err().message;
        assert_eq!(message, "is larger than 1 MiB, the most a price list may hold");
        assert_eq!(read_limited(&file, 2 << 20, "price list").unwrap().len(), 2 << 20);
    }
}
