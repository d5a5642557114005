//! `rules export DIR` and `templates export DIR`: embedded files copied into a folder for editing. The folder is
//! the user's (its files become `--rules DIR` / `--templates DIR`), so it is never replaced whole and no file in
//! it is overwritten: a file of the same name that differs (an edited rule file, a template) refuses the export
//! before anything is written, naming it; one identical to the embedded text is kept. The new files are written
//! into a staging folder inside DIR and moved in only when all are complete, each refusing to replace a file
//! that appeared meanwhile; a failed export leaves DIR as it was.

use std::path::{Path, PathBuf};

use super::folders::CreatedFolders;
use crate::error::{Error, Result};
use crate::open::kind_of;

/// One exported file: where, and whether it was written or already there, identical.
pub struct Exported {
    pub path: PathBuf,
    pub written: bool,
}

/// Writes `files` (name, text) into `dir`; `command` names the export for messages (`rules export`).
pub fn export(dir: &Path, command: &str, files: &[(&str, &str)]) -> Result<Vec<Exported>> {
    if let Ok(metadata) = std::fs::metadata(dir)
        && !metadata.is_dir()
    {
        let what = kind_of(&metadata).unwrap_or("a file");
        return Err(Error::usage(format!("{command} {}: is {what}, not a folder", dir.display())));
    }
    let mut exported = Vec::new();
    let mut conflicts = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        match existing(&path, text) {
            Existing::Missing => exported.push(Exported { path, written: true }),
            Existing::Identical => exported.push(Exported { path, written: false }),
            Existing::Other(what) => conflicts.push(format!("{} {what}", path.display())),
        }
    }
    if !conflicts.is_empty() {
        return Err(Error::usage(format!(
            "{command} {}: {}; csp-planner never overwrites them (they may be your edited copies, read with \
             --{} DIR): export into a new folder, or move them away first",
            dir.display(),
            conflicts.join(", "),
            command.split_whitespace().next().unwrap_or(command)
        )));
    }
    write_new(dir, files, &exported)?;
    Ok(exported)
}

enum Existing {
    Missing,
    Identical,
    /// What it is instead (`differs from the embedded file`, `is a symlink`).
    Other(String),
}

fn existing(path: &Path, text: &str) -> Existing {
    let metadata = match std::fs::symlink_metadata(path) {
        Ok(metadata) => metadata,
        Err(_) => return Existing::Missing,
    };
    if metadata.file_type().is_symlink() {
        return Existing::Other("is a symlink".to_string());
    }
    if let Some(kind) = kind_of(&metadata) {
        return Existing::Other(format!("is {kind}"));
    }
    // Only a file of the same length is read, so no customer file is read beyond the embedded text's size.
    let same = metadata.len() == text.len() as u64 && std::fs::read(path).is_ok_and(|bytes| bytes == text.as_bytes());
    if same { Existing::Identical } else { Existing::Other("exists and differs from the embedded file".to_string()) }
}

/// All new files into a staging folder inside `dir`, then each moved in.
fn write_new(dir: &Path, files: &[(&str, &str)], exported: &[Exported]) -> Result<()> {
    let error = |path: &Path| {
        let path = path.display().to_string();
        move |source| Error::Output { path, source }
    };
    let created = CreatedFolders::create(dir).map_err(error(dir))?;
    let staging = tempfile::Builder::new().prefix(".csp-planner-").tempdir_in(dir).map_err(error(dir))?;
    let new: Vec<(&str, &Path)> =
        files.iter().zip(exported).filter(|(_, e)| e.written).map(|((name, _), e)| (*name, e.path.as_path())).collect();
    for ((name, text), _) in files.iter().zip(exported).filter(|(_, e)| e.written) {
        let staged = staging.path().join(name);
        super::write_atomically(&staged, |out| out.write_all(text.as_bytes()))?;
    }
    let mut moved: Vec<&Path> = Vec::new();
    for (name, path) in new {
        if let Err(source) = super::rename::no_replace(&staging.path().join(name), path) {
            // Undo: the files moved in so far are this run's own.
            for path in moved {
                let _ = std::fs::remove_file(path);
            }
            return Err(error(path)(source));
        }
        moved.push(path);
    }
    staging.close().map_err(error(dir))?;
    created.keep();
    Ok(())
}
