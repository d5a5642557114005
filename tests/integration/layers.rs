//! Layers point one way: the pipeline (read → model → rules → assess/plan/capacity/cost/workloads) never reaches
//! up into the renderers or the command line, and no two top-level modules import each other, directly or
//! through others. Checked on the source text: every `crate::<module>` path outside comments and test modules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::support::repo_file;

/// The modules of the pipeline, which may use `output` (formats) but never `report`, `cli` or `commands`.
const PIPELINE: &[&str] = &["read", "servers", "model", "rules", "assess", "plan", "capacity", "cost", "workloads"];
const ABOVE_THE_PIPELINE: &[&str] = &["report", "cli", "commands"];

fn rust_files(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") && path.file_name().is_some_and(|n| n != "tests.rs") {
            found.push(path);
        }
    }
}

/// Each top-level module → the top-level modules its code (not its tests or comments) names.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = repo_file("src");
    let modules: BTreeSet<String> = std::fs::read_dir(&src)
        .unwrap()
        .flatten()
        .map(|e| e.path().file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|name| name != "lib" && name != "main")
        .collect();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(&src).unwrap();
        let top =
            relative.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for line in code.lines().map(str::trim).filter(|l| !l.starts_with("//")) {
            for (at, _) in line.match_indices("crate::") {
                let name: String = line[at + 7..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if name != top && modules.contains(&name) {
                    graph.entry(top.clone()).or_default().insert(name);
                }
            }
        }
    }
    graph
}

#[test]
fn the_pipeline_never_imports_the_renderers_or_the_command_line() {
    let graph = imports();
    let mut wrong = Vec::new();
    for module in PIPELINE {
        for above in graph.get(*module).into_iter().flatten().filter(|m| ABOVE_THE_PIPELINE.contains(&m.as_str())) {
            wrong.push(format!("{module} → {above}"));
        }
    }
    assert!(wrong.is_empty(), "the pipeline reaches up: {wrong:?}");
}

#[test]
fn no_two_top_level_modules_import_each_other() {
    let graph = imports();
    // Depth-first search; a module met again while still on the path closes a cycle.
    fn visit<'g>(
        module: &'g str,
        graph: &'g BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'g str>,
        done: &mut BTreeSet<&'g str>,
        cycles: &mut Vec<String>,
    ) {
        if let Some(at) = path.iter().position(|m| *m == module) {
            cycles.push(format!("{} → {module}", path[at..].join(" → ")));
            return;
        }
        if !done.insert(module) {
            return;
        }
        path.push(module);
        for next in graph.get(module).into_iter().flatten() {
            visit(next, graph, path, done, cycles);
        }
        path.pop();
    }
    let (mut done, mut cycles) = (BTreeSet::new(), Vec::new());
    for module in graph.keys() {
        visit(module, &graph, &mut Vec::new(), &mut done, &mut cycles);
    }
    assert!(cycles.is_empty(), "import cycles: {cycles:?}");
}
