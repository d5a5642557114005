//! Runs one hostile case against the binary and checks what must hold for every bad input: the expected exit
//! code, no panic, no abort or signal, done within the deadline, the message naming the place, the inputs
//! byte-identical afterwards and no stray or partial output.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use wait_timeout::ChildExt;

/// How long a case may run: no input may make the tool hang.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// What a case prepares in its own empty folder before the binary runs.
pub type Setup = Box<dyn Fn(&Path)>;
/// A check of the outputs after the run (escaping of hostile names): `Err` says what is wrong.
pub type Check = Box<dyn Fn(&Path) -> Result<(), String>>;

/// One hostile input and what the tool must do with it.
pub struct Case {
    pub name: String,
    /// Which reader or option the case aims at (the figures are printed per area).
    pub area: &'static str,
    pub setup: Setup,
    /// The arguments; `{dir}` stands for the case's folder.
    pub args: Vec<String>,
    pub code: i32,
    /// Texts the message must contain (the file, row or cell, column, option); `{dir}` as in `args`.
    pub names: Vec<String>,
    /// Paths (relative to the folder) the run may create; anything else new is a stray output.
    pub outputs: Vec<String>,
    pub check: Option<Check>,
}

impl Case {
    /// A case whose folder holds `files` (relative path → bytes).
    pub fn new(area: &'static str, name: impl Into<String>) -> Self {
        Case {
            name: name.into(),
            area,
            setup: Box::new(|_| {}),
            args: Vec::new(),
            code: 2,
            names: Vec::new(),
            outputs: Vec::new(),
            check: None,
        }
    }

    /// Writes a file into the case's folder before the run.
    pub fn file(self, relative: &str, bytes: impl AsRef<[u8]>) -> Self {
        let relative = relative.to_string();
        let bytes = bytes.as_ref().to_vec();
        self.setup(move |dir| {
            let path = dir.join(&relative);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).unwrap();
            }
            std::fs::write(path, &bytes).unwrap();
        })
    }

    /// Any other preparation (a FIFO, a symlink, a read-only folder), after the earlier ones.
    pub fn setup(mut self, step: impl Fn(&Path) + 'static) -> Self {
        let earlier = std::mem::replace(&mut self.setup, Box::new(|_| {}));
        self.setup = Box::new(move |dir| {
            earlier(dir);
            step(dir);
        });
        self
    }

    pub fn args(mut self, args: &[&str]) -> Self {
        self.args = args.iter().map(|a| a.to_string()).collect();
        self
    }

    pub fn code(mut self, code: i32) -> Self {
        self.code = code;
        self
    }

    /// A text the message must contain.
    pub fn names(mut self, text: &str) -> Self {
        self.names.push(text.to_string());
        self
    }

    /// A path the run may create.
    pub fn output(mut self, relative: &str) -> Self {
        self.outputs.push(relative.to_string());
        self
    }

    pub fn check(mut self, check: impl Fn(&Path) -> Result<(), String> + 'static) -> Self {
        self.check = Some(Box::new(check));
        self
    }
}

/// What one run did.
pub struct Outcome {
    pub code: Option<i32>,
    pub elapsed: Duration,
    pub problems: Vec<String>,
}

/// A file's kind and content as seen before the run (content for regular files only).
#[derive(PartialEq, Eq, Debug)]
enum Entry {
    File(Vec<u8>),
    Dir,
    Symlink(PathBuf),
    Other(u32),
}

fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Entry> {
    let mut entries = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let Ok(listing) = std::fs::read_dir(&folder) else { continue };
        for item in listing.flatten() {
            let path = item.path();
            let Ok(meta) = std::fs::symlink_metadata(&path) else { continue };
            let relative = path.strip_prefix(dir).unwrap().to_path_buf();
            let entry = if meta.file_type().is_symlink() {
                Entry::Symlink(std::fs::read_link(&path).unwrap_or_default())
            } else if meta.is_dir() {
                pending.push(path.clone());
                Entry::Dir
            } else if meta.is_file() {
                Entry::File(std::fs::read(&path).unwrap_or_default())
            } else {
                use std::os::unix::fs::MetadataExt;
                Entry::Other(meta.mode())
            };
            entries.insert(relative, entry);
        }
    }
    entries
}

fn substitute(text: &str, dir: &Path) -> String {
    text.replace("{dir}", &dir.display().to_string())
}

/// Runs the case in a fresh folder and lists every rule it broke.
pub fn run(case: &Case) -> Outcome {
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path();
    (case.setup)(dir);
    let before = snapshot(dir);
    let args: Vec<String> = case.args.iter().map(|a| substitute(a, dir)).collect();
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_csp-planner"))
        .args(&args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // stderr is read on its own thread so a chatty child never blocks on a full pipe.
    let mut pipe = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = pipe.by_ref().take(4 << 20).read_to_end(&mut text);
        String::from_utf8_lossy(&text).into_owned()
    });
    let mut problems = Vec::new();
    let status = match child.wait_timeout(DEADLINE).unwrap() {
        Some(status) => Some(status),
        None => {
            problems.push(format!("still running after {DEADLINE:?}: killed"));
            let _ = child.kill();
            child.wait().ok();
            None
        }
    };
    let elapsed = started.elapsed();
    let stderr = reader.join().unwrap_or_default();
    let code = status.and_then(|s| s.code());
    if let Some(status) = status {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            problems.push(format!("killed by signal {signal} (abort or crash)"));
        }
    }
    if code == Some(101) || stderr.contains("panicked") {
        problems.push("panicked".to_string());
    }
    if status.is_some() && code != Some(case.code) {
        problems.push(format!("exit code {code:?}, expected {}", case.code));
    }
    for name in &case.names {
        let name = substitute(name, dir);
        if !stderr.contains(&name) {
            problems.push(format!("the message does not name {name:?}"));
        }
    }
    compare(dir, &before, &snapshot(dir), case, &mut problems);
    if let Some(check) = &case.check
        && let Err(problem) = check(dir)
    {
        problems.push(problem);
    }
    if !problems.is_empty() {
        problems.push(format!("args: {args:?}\nstderr: {}", stderr.trim_end()));
    }
    Outcome { code, elapsed, problems }
}

/// Inputs byte-identical (and of the same kind), nothing new but the declared outputs, no temporary file left.
fn compare(
    dir: &Path,
    before: &BTreeMap<PathBuf, Entry>,
    after: &BTreeMap<PathBuf, Entry>,
    case: &Case,
    problems: &mut Vec<String>,
) {
    for (path, entry) in before {
        match after.get(path) {
            None => problems.push(format!("{} was deleted", path.display())),
            Some(now) if now != entry && !case.outputs.iter().any(|o| Path::new(o) == path) => {
                problems.push(format!("{} was modified or replaced", path.display()))
            }
            _ => {}
        }
    }
    for path in after.keys().filter(|p| !before.contains_key(*p)) {
        let declared = case.outputs.iter().any(|o| path.starts_with(o));
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if !declared || name.starts_with(".csp-planner-") {
            problems.push(format!("stray output {} in {}", path.display(), dir.display()));
        }
    }
}
