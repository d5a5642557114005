//! The folders an output needs: created when missing, and removed again (only those this run created, only
//! when still empty) when the run fails, so a failed run leaves nothing behind.

use std::path::{Path, PathBuf};

/// The folders created to make `dir` exist, deepest last.
pub struct CreatedFolders(Vec<PathBuf>);

impl CreatedFolders {
    pub fn create(dir: &Path) -> std::io::Result<Self> {
        let mut missing = Vec::new();
        let mut current = Some(dir);
        while let Some(folder) = current.filter(|f| !f.as_os_str().is_empty() && !f.exists()) {
            missing.push(folder.to_path_buf());
            current = folder.parent();
        }
        missing.reverse();
        // Dropped on an error: the folders made so far are removed.
        let mut created = CreatedFolders(Vec::new());
        for folder in missing {
            std::fs::create_dir(&folder)?;
            created.0.push(folder);
        }
        Ok(created)
    }

    /// The run succeeded: the folders stay.
    pub fn keep(mut self) {
        self.0.clear();
    }
}

impl Drop for CreatedFolders {
    fn drop(&mut self) {
        for folder in self.0.iter().rev() {
            // Fails (and so keeps the folder) when something is inside.
            let _ = std::fs::remove_dir(folder);
        }
    }
}
