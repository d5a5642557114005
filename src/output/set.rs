//! A folder csp-planner owns as a whole: `report --out-dir DIR` and `plan --scripts DIR`. The new set is written
//! into a staging folder beside DIR (same parent, so the swap is a rename on one file system) and swapped in only
//! when every file is complete: a failed run (a template error, a full disk) leaves the previous set as it was and
//! no partial one, and no staging folder.
//!
//! A previous set is recognised by its manifest, [`MANIFEST`] in DIR: the list of the files csp-planner wrote
//! there. DIR may be missing, empty, or hold exactly a previous set of the same kind; anything else in it (a
//! customer's file, a folder, a link) is never deleted: the run is refused before any work and names it. So is a
//! previous set with a write-protected folder (it could not be removed whole) and a DIR that holds an input.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::folders::CreatedFolders;
use super::inputs::{RunInputs, comparable};
use crate::error::{Error, Result};
use crate::open::kind_of;

/// The manifest of a set, in its folder.
pub const MANIFEST: &str = ".csp-planner.json";

/// A manifest larger than this is not one csp-planner wrote.
const MANIFEST_LIMIT: u64 = 4 << 20;
/// A folder with more entries is not a previous set (a report holds a few files per subscription).
const ENTRY_LIMIT: usize = 100_000;
/// How many foreign entries a refusal names.
const NAMED: usize = 10;

/// What kind of set a folder holds, and how the user names it.
#[derive(Debug, Clone, Copy)]
pub struct SetKind {
    /// `report`, `runbooks`: recorded in the manifest.
    pub name: &'static str,
    /// The option that gives the folder.
    pub option: &'static str,
    /// What the folder holds, in words: `report`, `set of runbooks`.
    pub noun: &'static str,
}

pub const REPORT: SetKind = SetKind { name: "report", option: "--out-dir", noun: "report" };
pub const RUNBOOKS: SetKind = SetKind { name: "runbooks", option: "--scripts", noun: "set of runbooks" };

#[derive(Serialize, Deserialize)]
struct Manifest {
    tool: String,
    version: String,
    set: String,
    /// The files of the set, relative to its folder, `/`-separated.
    files: Vec<String>,
}

/// A checked destination folder: where the set goes (symlinks resolved) and how the user wrote it.
#[derive(Debug)]
pub struct OutputSet {
    kind: SetKind,
    given: PathBuf,
    target: PathBuf,
}

impl OutputSet {
    /// Checks `dir` before any work: a folder (or nothing), not an input's, holding nothing but a previous set.
    pub fn check(dir: &Path, kind: SetKind, inputs: &RunInputs) -> Result<Self> {
        let shown = || format!("{} {}", kind.option, dir.display());
        if let Ok(metadata) = std::fs::metadata(dir)
            && !metadata.is_dir()
        {
            let what = kind_of(&metadata).unwrap_or("a file");
            return Err(Error::usage(format!("{}: is {what}, not a folder", shown())));
        }
        let target = comparable(dir);
        if target.parent().is_none() {
            return Err(Error::usage(format!("{}: is the root folder; give a folder to write into", shown())));
        }
        if std::env::current_dir().is_ok_and(|cwd| comparable(&cwd).starts_with(&target)) {
            return Err(Error::usage(format!(
                "{}: is (or holds) the current folder; {} DIR is replaced as a whole: give a new folder, e.g. {} {}",
                shown(),
                kind.option,
                kind.option,
                kind.name
            )));
        }
        inputs.refuse_inside(dir, kind.option, &format!("the {}", kind.noun))?;
        let set = OutputSet { kind, given: dir.to_path_buf(), target };
        set.check_previous(inputs)?;
        Ok(set)
    }

    /// The path of `relative` in the folder, as the user named it (for "wrote …").
    pub fn shown(&self, relative: &str) -> PathBuf {
        self.given.join(relative)
    }

    /// The folder as the user named it.
    pub fn dir(&self) -> &Path {
        &self.given
    }

    /// Refuses anything in the target that is not a previous set of this kind, an input's hard link, and
    /// write-protected folders of a previous set.
    fn check_previous(&self, inputs: &RunInputs) -> Result<()> {
        let Some(listing) = Listing::of(&self.target).map_err(|e| self.unreadable(e))? else { return Ok(()) };
        if let Some((path, input)) = listing.files.iter().find_map(|(p, m)| inputs.same_file(m).map(|i| (p, i))) {
            return Err(Error::usage(format!(
                "{} is the same file as the input {} (a hard link) and would be replaced by the {} in {} {}; \
                 csp-planner never overwrites an input: give another folder",
                self.given.join(path).display(),
                input.display(),
                self.kind.noun,
                self.kind.option,
                self.given.display()
            )));
        }
        if listing.is_empty() {
            return Ok(());
        }
        let listed = self.manifest_files();
        let foreign = listing.foreign(&listed);
        if !foreign.is_empty() {
            let mut named: Vec<String> =
                foreign.iter().take(NAMED).map(|p| self.given.join(p).display().to_string()).collect();
            if foreign.len() > NAMED {
                named.push(format!("and {} more", foreign.len() - NAMED));
            }
            return Err(Error::usage(format!(
                "{} {} holds files that are not part of a previous {} written by csp-planner: {}. {} DIR is \
                 replaced as a whole and csp-planner never deletes other files (a previous {} lists its files in \
                 {MANIFEST}): move them away, or give a new or empty folder",
                self.kind.option,
                self.given.display(),
                self.kind.noun,
                named.join(", "),
                self.kind.option,
                self.kind.noun,
            )));
        }
        if let Some(folder) = listing.folders.iter().find(|f| write_protected(&self.target.join(f))) {
            let path = self.given.join(folder);
            return Err(Error::usage(format!(
                "{} {}: the folder {} of the previous {} is write-protected, so it cannot be replaced whole; \
                 csp-planner leaves it as it is: make it writable (chmod u+w) or give another folder",
                self.kind.option,
                self.given.display(),
                path.display(),
                self.kind.noun
            )));
        }
        Ok(())
    }

    fn unreadable(&self, source: std::io::Error) -> Error {
        Error::Output { path: self.given.display().to_string(), source }
    }

    /// The files the target's manifest lists when it is a manifest of this kind of set; empty otherwise.
    fn manifest_files(&self) -> BTreeSet<PathBuf> {
        let path = self.target.join(MANIFEST);
        let Ok((file, metadata)) = crate::open::regular_file(&path) else { return BTreeSet::new() };
        if metadata.len() > MANIFEST_LIMIT {
            return BTreeSet::new();
        }
        let manifest: Manifest = match serde_json::from_reader(std::io::BufReader::new(file)) {
            Ok(manifest) => manifest,
            Err(_) => return BTreeSet::new(),
        };
        if manifest.tool != "csp-planner" || manifest.set != self.kind.name {
            return BTreeSet::new();
        }
        let mut files: BTreeSet<PathBuf> = manifest.files.iter().map(PathBuf::from).collect();
        files.insert(PathBuf::from(MANIFEST));
        files
    }

    /// Makes the staging folder beside the target (and the target's missing parents).
    pub fn stage(&self) -> Result<Staging<'_>> {
        let parent = self.target.parent().unwrap_or(Path::new("."));
        let error = |source| Error::Output { path: self.given.display().to_string(), source };
        let created = CreatedFolders::create(parent).map_err(error)?;
        let folder = tempfile::Builder::new().prefix(".csp-planner-").tempdir_in(parent).map_err(error)?;
        Ok(Staging { set: self, folder, created })
    }
}

/// A set being written: every file goes under [`Staging::path`]; [`Staging::commit`] swaps it in. Dropped
/// without a commit, the staging folder and the parents made for it are removed.
pub struct Staging<'a> {
    set: &'a OutputSet,
    folder: tempfile::TempDir,
    created: CreatedFolders,
}

impl Staging<'_> {
    pub fn path(&self) -> &Path {
        self.folder.path()
    }

    /// Writes the manifest and swaps the set in: the previous set (checked again, in case a file was added
    /// during the run) is removed only once the new one is in place.
    pub fn commit(self) -> Result<()> {
        let set = self.set;
        let error = |source| Error::Output { path: set.given.display().to_string(), source };
        let listing = Listing::of(self.folder.path()).map_err(error)?.unwrap_or_default();
        let manifest = Manifest {
            tool: "csp-planner".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            set: set.kind.name.to_string(),
            files: listing.files.iter().map(|(path, _)| slash_separated(path)).collect(),
        };
        let text = serde_json::to_string_pretty(&manifest).map_err(|e| Error::Internal(e.to_string()))?;
        super::write_atomically(&self.folder.path().join(MANIFEST), |out| out.write_all(text.as_bytes()))?;
        set.check_previous(&RunInputs::default())?;
        let previous = std::fs::metadata(&set.target).ok();
        set_mode(self.folder.path(), previous.as_ref()).map_err(error)?;
        match previous {
            Some(_) => {
                let aside = self.folder.path().with_extension("aside");
                super::rename::exchange(self.folder.path(), &set.target, &aside).map_err(error)?;
                // The staging path now holds the previous set.
                let previous_path = self.folder.path().display().to_string();
                self.folder.close().map_err(|source| Error::Output { path: previous_path, source })?;
            }
            None => {
                std::fs::rename(self.folder.path(), &set.target).map_err(error)?;
                let _ = self.folder.keep();
            }
        }
        self.created.keep();
        Ok(())
    }
}

/// A folder's entries, relative to it, without following links.
#[derive(Default)]
struct Listing {
    files: Vec<(PathBuf, std::fs::Metadata)>,
    /// Sub-folders, and the folder itself as the empty path.
    folders: Vec<PathBuf>,
    /// Links, FIFOs, devices, sockets.
    others: Vec<PathBuf>,
}

impl Listing {
    /// None when `dir` does not exist. Sorted by path.
    fn of(dir: &Path) -> std::io::Result<Option<Self>> {
        if !dir.exists() {
            return Ok(None);
        }
        let mut listing = Listing { folders: vec![PathBuf::new()], ..Listing::default() };
        let mut pending = vec![PathBuf::new()];
        let mut entries = 0;
        while let Some(relative) = pending.pop() {
            for entry in std::fs::read_dir(dir.join(&relative))? {
                let entry = entry?;
                entries += 1;
                if entries > ENTRY_LIMIT {
                    return Err(std::io::Error::other(format!("holds more than {ENTRY_LIMIT} entries")));
                }
                let path = relative.join(entry.file_name());
                let metadata = std::fs::symlink_metadata(dir.join(&path))?;
                if metadata.is_dir() {
                    pending.push(path.clone());
                    listing.folders.push(path);
                } else if metadata.is_file() {
                    listing.files.push((path, metadata));
                } else {
                    listing.others.push(path);
                }
            }
        }
        listing.files.sort_by(|a, b| a.0.cmp(&b.0));
        listing.folders.sort();
        Ok(Some(listing))
    }

    fn is_empty(&self) -> bool {
        self.files.is_empty() && self.others.is_empty() && self.folders.len() == 1
    }

    /// What is not in `listed`: files not listed, links and the like, and folders that hold no listed file.
    fn foreign(&self, listed: &BTreeSet<PathBuf>) -> Vec<PathBuf> {
        let mut foreign: Vec<PathBuf> =
            self.files.iter().map(|(path, _)| path).filter(|path| !listed.contains(*path)).cloned().collect();
        foreign.extend(self.others.iter().cloned());
        let empty_folders = self
            .folders
            .iter()
            .filter(|folder| !folder.as_os_str().is_empty() && !listed.iter().any(|file| file.starts_with(folder)));
        // A folder holding a foreign entry is named through that entry.
        let folders: Vec<PathBuf> =
            empty_folders.filter(|folder| !foreign.iter().any(|f| f.starts_with(folder))).cloned().collect();
        foreign.extend(folders);
        foreign.sort();
        foreign
    }
}

fn slash_separated(path: &Path) -> String {
    path.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// A folder nobody may write into (no write bit; for root, who may write anyway, the bits are what the owner
/// asked for), or this user may not.
#[cfg(unix)]
fn write_protected(folder: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::PermissionsExt;
    let Ok(metadata) = std::fs::metadata(folder) else { return true };
    if metadata.permissions().mode() & 0o222 == 0 {
        return true;
    }
    let Ok(path) = std::ffi::CString::new(folder.as_os_str().as_bytes()) else { return true };
    // SAFETY: access reads a NUL-terminated path.
    unsafe { libc::access(path.as_ptr(), libc::W_OK | libc::X_OK) != 0 }
}

#[cfg(not(unix))]
fn write_protected(folder: &Path) -> bool {
    std::fs::metadata(folder).map(|m| m.permissions().readonly()).unwrap_or(true)
}

/// The new folder gets the permissions of the one it replaces, or the usual rwxr-xr-x (a staging folder is
/// made readable by its owner only).
#[cfg(unix)]
fn set_mode(folder: &Path, previous: Option<&std::fs::Metadata>) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let permissions = match previous {
        Some(previous) => previous.permissions(),
        None => std::fs::Permissions::from_mode(0o755),
    };
    std::fs::set_permissions(folder, permissions)
}

#[cfg(not(unix))]
fn set_mode(_folder: &Path, _previous: Option<&std::fs::Metadata>) -> std::io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_set_is_swapped_in_whole_and_a_folder_with_other_files_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let inputs = RunInputs::default();
        let write = |content: &str| {
            let set = OutputSet::check(&out, REPORT, &inputs).unwrap();
            let staging = set.stage().unwrap();
            std::fs::create_dir(staging.path().join("runbooks")).unwrap();
            std::fs::write(staging.path().join("runbooks/README.md"), content).unwrap();
            std::fs::write(staging.path().join("report.json"), content).unwrap();
            staging.commit().unwrap();
        };
        write("first");
        write("second");
        assert_eq!(std::fs::read_to_string(out.join("report.json")).unwrap(), "second");
        let manifest: Manifest = serde_json::from_slice(&std::fs::read(out.join(MANIFEST)).unwrap()).unwrap();
        assert_eq!(manifest.files, ["report.json", "runbooks/README.md"]);
        // Only the set is beside the folder: no staging left.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        // Not a previous set of runbooks, and a file added by hand is never deleted.
        assert!(OutputSet::check(&out, RUNBOOKS, &inputs).is_err());
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        let message = OutputSet::check(&out, REPORT, &inputs).unwrap_err().to_string();
        assert!(message.contains("notes.txt"), "{message}");
        std::fs::remove_file(out.join("notes.txt")).unwrap();
        // A staged set dropped without a commit leaves nothing.
        let set = OutputSet::check(&dir.path().join("new/out"), REPORT, &inputs).unwrap();
        drop(set.stage().unwrap());
        assert!(!dir.path().join("new").exists());
    }
}
