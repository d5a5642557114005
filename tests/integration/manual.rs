//! The manual keeps up with the rule pack: every file of `rules/` has its page in `docs/rules/`, listed in the
//! index `docs/rules.md`, and every page names a file that exists.

use crate::support::repo_file;

fn rule_files() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo_file("rules"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name != "README.md")
        .collect();
    names.sort();
    names
}

#[test]
fn every_rule_file_has_its_page_listed_in_the_index() {
    let index = std::fs::read_to_string(repo_file("docs/rules.md")).unwrap();
    for name in rule_files() {
        let page = repo_file(&format!("docs/rules/{name}.md"));
        let text = std::fs::read_to_string(&page).unwrap_or_else(|_| panic!("docs/rules/{name}.md is missing"));
        assert!(text.starts_with(&format!("# `rules/{name}`")), "docs/rules/{name}.md does not start with its title");
        assert!(index.contains(&format!("(rules/{name}.md)")), "docs/rules.md does not link docs/rules/{name}.md");
    }
}

#[test]
fn every_rule_page_names_a_rule_file() {
    let files = rule_files();
    for entry in std::fs::read_dir(repo_file("docs/rules")).unwrap().flatten() {
        let page = entry.file_name().to_string_lossy().into_owned();
        let name = page.trim_end_matches(".md");
        assert!(files.iter().any(|f| f == name), "docs/rules/{page} describes no file of rules/");
    }
}
