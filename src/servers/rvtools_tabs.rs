//! Where RVTools' tabs are: the sheets of an "Export all to xlsx" workbook, or the files of an "Export all to
//! csv" folder, one per tab, named `RVTools_tab<tab>.csv` (`RVTools_tabvInfo.csv`, `RVTools_tabvDisk.csv`, …).
//! Either way a tab is found by name ignoring case, spaces and punctuation, and read into a [`Grid`].

use std::path::{Path, PathBuf};

use super::grid::{Grid, open_workbook};
use crate::error::Result;
use crate::read::workbook::Workbook;
use crate::rules::normalize_key;

/// The tabs of one RVTools export.
pub enum Tabs {
    Workbook {
        path: PathBuf,
        workbook: Box<Workbook>,
        names: Vec<String>,
    },
    /// The vInfo CSV file; the other tabs are its siblings whose names differ only in the tab.
    CsvFolder {
        vinfo: PathBuf,
    },
}

impl Tabs {
    pub fn open(path: &Path) -> Result<Tabs> {
        if super::detect::is_workbook(path)? {
            let workbook = open_workbook(path)?;
            let names = workbook.sheet_names();
            return Ok(Tabs::Workbook { path: path.to_path_buf(), workbook: Box::new(workbook), names });
        }
        Ok(Tabs::CsvFolder { vinfo: path.to_path_buf() })
    }

    /// What the tabs are, for messages: `sheet "vDisk"` or the file name.
    pub fn place(&self, tab: &str) -> String {
        match self {
            Tabs::Workbook { names, .. } => format!("sheet \"{}\"", find_sheet(names, tab).map_or(tab, String::as_str)),
            Tabs::CsvFolder { vinfo } => sibling_name(vinfo, tab).unwrap_or_else(|| format!("tab {tab}")),
        }
    }

    /// The names the export has, for messages.
    pub fn names(&self) -> String {
        match self {
            Tabs::Workbook { names, .. } => names.join(", "),
            Tabs::CsvFolder { vinfo } => vinfo.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default(),
        }
    }

    /// The tab named `tab`, `None` when the export has no such tab. vInfo, in a CSV folder, is the file given.
    pub fn grid(&mut self, tab: &str) -> Result<Option<Grid>> {
        match self {
            Tabs::Workbook { workbook, names, .. } => match find_sheet(names, tab) {
                Some(name) => Ok(Some(Grid::from_sheet(workbook, &name.clone())?)),
                None => Ok(None),
            },
            Tabs::CsvFolder { vinfo } => {
                if tab_of(vinfo).is_some_and(|own| normalize_key(&own) == normalize_key(tab)) {
                    return Ok(Some(Grid::from_csv(vinfo)?));
                }
                match sibling(vinfo, tab) {
                    Some(file) => Ok(Some(Grid::from_csv(&file)?)),
                    None => Ok(None),
                }
            }
        }
    }
}

/// The workbook's sheet named like `wanted` (ignoring case, spaces and punctuation).
pub fn find_sheet<'n>(names: &'n [String], wanted: &str) -> Option<&'n String> {
    names.iter().find(|n| normalize_key(n) == normalize_key(wanted))
}

/// The tab a CSV file of RVTools names: `vInfo` for `RVTools_tabvInfo.csv`; `None` without `tab` in the name.
pub fn tab_of(path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_str()?;
    let at = stem.to_ascii_lowercase().rfind("tab")?;
    let tab = &stem[at + 3..];
    (!tab.is_empty()).then(|| tab.to_string())
}

/// The prefix before the tab's name (`RVTools_tab`), the same for every file of one export.
fn prefix_of(path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_str()?;
    let at = stem.to_ascii_lowercase().rfind("tab")?;
    Some(stem[..at + 3].to_string())
}

fn sibling_name(vinfo: &Path, tab: &str) -> Option<String> {
    Some(format!("{}{tab}.csv", prefix_of(vinfo)?))
}

/// The file of `tab` beside `vinfo`, its name compared ignoring case.
fn sibling(vinfo: &Path, tab: &str) -> Option<PathBuf> {
    let wanted = sibling_name(vinfo, tab)?.to_lowercase();
    let folder = vinfo.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::read_dir(folder)
        .ok()?
        .filter_map(|entry| entry.ok())
        .find(|entry| entry.file_name().to_string_lossy().to_lowercase() == wanted)
        // Not filtered to regular files: a tab that is a FIFO or a folder is refused by name when read, not
        // taken for a missing tab.
        .map(|entry| entry.path())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_tabs_are_named_after_the_vinfo_file() {
        let vinfo = Path::new("export/RVTools_tabvInfo.csv");
        assert_eq!(tab_of(vinfo).as_deref(), Some("vInfo"));
        assert_eq!(sibling_name(vinfo, "vDisk").as_deref(), Some("RVTools_tabvDisk.csv"));
        assert_eq!(tab_of(Path::new("servers.csv")), None);
    }
}
