//! The rule `src/lib.rs` states: each folder of `src/` imports only from the folders below it,
//! and no module imports one that imports it back. Read from the source (outside test modules
//! and comments), since Rust itself would allow either.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Bottom to top; folders on one line stand side by side and do not import each other.
const LAYERS: &[&[&str]] = &[
    &["system"],
    &["lang"],
    &["model"],
    &["rules"],
    &["share"],
    &["loader"],
    &["layout"],
    &["render"],
    &["player", "watch"],
    &["app"],
    &["ops"],
];

fn rank(folder: &str) -> usize {
    LAYERS
        .iter()
        .position(|l| l.contains(&folder))
        .unwrap_or_else(|| panic!("src/{folder}/ is in no layer of LAYERS (tests/layers.rs)"))
}

/// `crate::a::b…` paths in `source` before its test module, comments left out: (a, b).
fn imports(source: &str) -> Vec<(String, String)> {
    let code = source.split("#[cfg(test)]").next().unwrap_or("");
    let word = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut found = Vec::new();
    for line in code.lines() {
        let line = line.split("//").next().unwrap_or("");
        for (at, _) in line.match_indices("crate::") {
            let rest = &line[at + "crate::".len()..];
            let folder = word(rest);
            let module = rest[folder.len()..]
                .strip_prefix("::")
                .map(word)
                .unwrap_or_default();
            found.push((folder, module));
        }
    }
    found
}

/// Every library source file as (folder, module, text): `src/rules/timeline.rs` and
/// `src/rules/timeline/tests.rs` are module `timeline` of folder `rules`.
fn sources() -> Vec<(String, String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    for folder in std::fs::read_dir(&src).unwrap() {
        let folder = folder.unwrap().path();
        let name = folder.file_name().unwrap().to_string_lossy().into_owned();
        // The binary's own modules stand above the library.
        if !folder.is_dir() || name == "cli" {
            continue;
        }
        let mut stack = vec![folder.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs")
                    // A test module of its own (`#[cfg(test)] mod tests;`) may reach anywhere.
                    && path.file_name().is_some_and(|n| n != "tests.rs")
                {
                    let inside = path.strip_prefix(&folder).unwrap();
                    let first = inside.iter().next().unwrap().to_string_lossy();
                    let module = first.trim_end_matches(".rs").to_string();
                    let text = std::fs::read_to_string(&path).unwrap();
                    out.push((name.clone(), module, text));
                }
            }
        }
    }
    assert!(out.len() > 50, "only {} source files found", out.len());
    out
}

#[test]
fn each_folder_imports_only_the_layers_below_it() {
    let mut wrong = BTreeSet::new();
    for (folder, module, text) in sources() {
        for (to, _) in imports(&text) {
            if to != folder && rank(&to) >= rank(&folder) {
                wrong.insert(format!("src/{folder}/{module} imports crate::{to}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers of src/lib.rs:\n{}",
        wrong.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (folder, module, text) in sources() {
        let from = format!("{folder}::{module}");
        for (to_folder, to_module) in imports(&text) {
            let to = format!("{to_folder}::{to_module}");
            // A folder's `mod.rs` is its face: what the folder's files share.
            if to != from && !to_module.is_empty() && to_module != "mod" {
                edges.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    // Depth-first: a module met again while it is still on the path closes a circle.
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut circle = path[at..].to_vec();
            circle.push(node.to_string());
            return Some(circle);
        }
        if !done.insert(node.to_string()) {
            return None;
        }
        path.push(node.to_string());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(circle) = visit(next, edges, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        let circle = visit(node, &edges, &mut Vec::new(), &mut done);
        assert!(
            circle.is_none(),
            "an import circle: {}",
            circle.unwrap().join(" -> ")
        );
    }
}
