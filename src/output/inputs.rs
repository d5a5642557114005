//! The files a run reads, so that no output of the run replaces one of them. A file is the same file when its
//! canonical path is the same (symlinks and `..` resolved) or its device and inode are (a hard link). The inputs
//! are the positional inputs, the price list, the workloads side files, and every file inside `--rules DIR` and
//! `--templates DIR` (and a partitioned export's folder).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// How deep and how many entries of an input folder are listed: rule, template and export folders are small;
/// a folder beyond this (a mistaken `--rules /`) is compared by path only.
const FOLDER_DEPTH: usize = 8;
const FOLDER_ENTRIES: usize = 20_000;

/// One input file: the path as given (for the message), canonical, and its device and inode.
struct InputFile {
    given: PathBuf,
    canonical: PathBuf,
    id: Option<FileId>,
}

/// A file's device and inode: two paths with the same are the same file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileId {
    device: u64,
    inode: u64,
}

impl FileId {
    #[cfg(unix)]
    pub fn of(metadata: &std::fs::Metadata) -> Option<Self> {
        use std::os::unix::fs::MetadataExt;
        Some(FileId { device: metadata.dev(), inode: metadata.ino() })
    }

    #[cfg(not(unix))]
    pub fn of(_metadata: &std::fs::Metadata) -> Option<Self> {
        None
    }
}

/// Every input of one run.
#[derive(Default)]
pub struct RunInputs {
    files: Vec<InputFile>,
    /// Input folders (canonical) with the path as given.
    folders: Vec<(PathBuf, PathBuf)>,
}

impl RunInputs {
    /// The inputs at `paths`: files as they are, folders with every file inside. A path that does not exist is
    /// left to its reader to report.
    pub fn new<'a>(paths: impl IntoIterator<Item = &'a Path>) -> Self {
        let mut inputs = RunInputs::default();
        for path in paths {
            match std::fs::metadata(path) {
                Ok(metadata) if metadata.is_dir() => inputs.add_folder(path),
                Ok(metadata) => inputs.add_file(path, FileId::of(&metadata)),
                Err(_) => {}
            }
        }
        inputs
    }

    fn add_file(&mut self, path: &Path, id: Option<FileId>) {
        self.files.push(InputFile { given: path.to_path_buf(), canonical: comparable(path), id });
    }

    fn add_folder(&mut self, folder: &Path) {
        self.folders.push((comparable(folder), folder.to_path_buf()));
        let mut pending = vec![(folder.to_path_buf(), 0)];
        let mut seen = 0;
        while let Some((current, depth)) = pending.pop() {
            let Ok(listing) = std::fs::read_dir(&current) else { continue };
            for entry in listing.flatten() {
                seen += 1;
                if seen > FOLDER_ENTRIES {
                    return;
                }
                let path = entry.path();
                let Ok(own) = std::fs::symlink_metadata(&path) else { continue };
                if own.is_dir() {
                    if depth < FOLDER_DEPTH {
                        pending.push((path, depth + 1));
                    }
                } else if let Ok(metadata) = std::fs::metadata(&path) {
                    // A symlink inside is followed to its file, never into a folder (no loops).
                    if !metadata.is_dir() {
                        self.add_file(&path, FileId::of(&metadata));
                    }
                }
            }
        }
    }

    /// The input that is the same file as `metadata`'s, if any.
    pub fn same_file(&self, metadata: &std::fs::Metadata) -> Option<&Path> {
        let id = FileId::of(metadata)?;
        self.files.iter().find(|input| input.id == Some(id)).map(|input| input.given.as_path())
    }

    /// Refuses an output file that is one of the inputs (`option`: `-o`).
    pub fn refuse_as_file(&self, output: &Path, option: &str) -> Result<()> {
        let canonical = comparable(output);
        if let Some(input) = self.files.iter().find(|input| input.canonical == canonical) {
            return Err(Error::usage(format!(
                "{option} {} is one of the inputs ({}); csp-planner never overwrites an input",
                output.display(),
                input.given.display()
            )));
        }
        if let Some(input) = std::fs::metadata(output).ok().and_then(|m| self.same_file(&m).map(Path::to_path_buf)) {
            return Err(Error::usage(format!(
                "{option} {} is the same file as the input {} (a hard link); csp-planner never overwrites an input",
                output.display(),
                input.display()
            )));
        }
        Ok(())
    }

    /// Refuses an output folder that holds an input (a file or an input folder inside it would be replaced with
    /// the folder): `what` is what the folder receives (`the report`, `the runbooks`).
    pub fn refuse_inside(&self, dir: &Path, option: &str, what: &str) -> Result<()> {
        let folder = comparable(dir);
        let inside = self
            .files
            .iter()
            .map(|input| (&input.canonical, &input.given))
            .chain(self.folders.iter().map(|(canonical, given)| (canonical, given)))
            .find(|(canonical, _)| canonical.starts_with(&folder));
        match inside {
            Some((_, given)) => Err(Error::usage(format!(
                "{} is an input and would be replaced by {what} in {option} {}; csp-planner never overwrites an \
                 input: give another folder",
                given.display(),
                dir.display()
            ))),
            None => Ok(()),
        }
    }
}

/// The canonical form of a path that may not exist yet: its longest existing ancestor canonicalised, the rest
/// appended.
pub fn comparable(path: &Path) -> PathBuf {
    let mut missing = Vec::new();
    let mut current = path;
    loop {
        let existing = if current.as_os_str().is_empty() { Path::new(".") } else { current };
        if let Ok(canonical) = existing.canonicalize() {
            return missing.iter().rev().fold(canonical, |path, name| path.join(name));
        }
        match (current.parent(), current.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_os_string());
                current = parent;
            }
            _ => return path.to_path_buf(),
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn an_output_is_refused_by_path_through_dots_symlinks_and_hard_links() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("input.json");
        std::fs::write(&input, "[]").unwrap();
        std::fs::create_dir(dir.path().join("x")).unwrap();
        let rules = dir.path().join("rules");
        std::fs::create_dir(&rules).unwrap();
        std::fs::write(rules.join("cost.toml"), "").unwrap();
        let inputs = RunInputs::new([input.as_path(), rules.as_path()]);
        assert!(inputs.refuse_as_file(&dir.path().join("x/../input.json"), "-o").is_err());
        std::os::unix::fs::symlink(&input, dir.path().join("link.json")).unwrap();
        assert!(inputs.refuse_as_file(&dir.path().join("link.json"), "-o").is_err());
        std::fs::hard_link(&input, dir.path().join("hard.json")).unwrap();
        let message = inputs.refuse_as_file(&dir.path().join("hard.json"), "-o").unwrap_err().to_string();
        assert!(message.contains("(a hard link)"), "{message}");
        assert!(inputs.refuse_as_file(&rules.join("cost.toml"), "-o").is_err());
        assert!(inputs.refuse_as_file(&dir.path().join("new.json"), "-o").is_ok());
        assert!(inputs.refuse_inside(dir.path(), "--out-dir", "the report").is_err());
        assert!(inputs.refuse_inside(&dir.path().join("x"), "--out-dir", "the report").is_ok());
        let missing = dir.path().join("new/deeper/out.json");
        assert_eq!(comparable(&missing), dir.path().canonicalize().unwrap().join("new/deeper/out.json"));
    }
}
