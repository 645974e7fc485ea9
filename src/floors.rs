//! The floors test: data flows one way through the pipeline, and this keeps it so.
//!
//! Every module stands on a floor (below). A module may use modules on its own floor or lower,
//! never a higher one, and never the crate root: what it needs from a later stage comes to it
//! as a value, not an import. Two modules on one floor may not use each other either, so the
//! floors stay a plain order rather than a tangle. The table follows the pipeline, not today's
//! imports: a new module has to be given its floor here, which is the moment to ask where it
//! belongs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each module of `src/` by its floor, lowest first.
const FLOORS: &[(&str, &[&str])] = &[
    (
        "vocabulary",
        &[
            "brand",
            "build_info",
            "code_hash",
            "colour",
            "error",
            "escape",
            "fonts",
            "hash",
            "moment",
            "numbers",
            "output",
            "read",
            "strings",
            "theme",
            "typography",
            "urls",
            "web",
            "yaml",
        ],
    ),
    ("load", &["components", "data", "event", "figure", "layouts", "load", "markdown", "photo"]),
    ("check", &["check", "handtyped", "schedule"]),
    ("render", &["assets", "cache", "chart", "headers", "render", "share"]),
    ("write", &["new", "write"]),
    ("pipeline", &["pipeline"]),
    ("serve", &["serve"]),
];

fn floor_of(module: &str) -> Option<usize> {
    FLOORS.iter().position(|(_, modules)| modules.contains(&module))
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The names that `text` reaches through `crate::`: `crate::load::Site` and
/// `use crate::{load, render}` both name their first segments.
fn crate_uses(text: &str) -> BTreeSet<String> {
    // Comments may name any module (a doc link to a later stage says where a value goes).
    let code: String = text.lines().map(|line| line.split_once("//").map_or(line, |(code, _)| code)).collect::<Vec<_>>().join("\n");
    let text = code.as_str();
    let mut used = BTreeSet::new();
    let word = |s: &str| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
    for (at, _) in text.match_indices("crate::") {
        // `soapbox::crate::` cannot occur; `$crate::` in macros is the same crate.
        let rest = &text[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name = word(item.trim());
                if !name.is_empty() {
                    used.insert(name);
                }
            }
        } else {
            used.insert(word(rest));
        }
    }
    used
}

/// The module a file of `src/` belongs to: `src/chart/draw.rs` is `chart`.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_string_lossy().into_owned();
    let name = first.trim_end_matches(".rs").to_string();
    (!["lib", "main", "floors"].contains(&name.as_str())).then_some(name)
}

/// Each module's uses of other modules, from the files of `src`.
fn uses_by_module(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    sources(src, &mut files);
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let Some(module) = module_of(src, &file) else { continue };
        let text = std::fs::read_to_string(&file).unwrap();
        let entry = uses.entry(module.clone()).or_default();
        entry.extend(crate_uses(&text).into_iter().filter(|u| *u != module));
    }
    uses
}

/// What breaks the floors in `uses`, in words.
fn violations(uses: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let mut found = Vec::new();
    for (module, used) in uses {
        let Some(own) = floor_of(module) else {
            found.push(format!("`{module}` has no floor: give it one in src/floors.rs"));
            continue;
        };
        for other in used {
            match floor_of(other) {
                None => found.push(format!("`{module}` uses `crate::{other}`, which is not a module on a floor (the crate root is the top)")),
                Some(floor) if floor > own => found.push(format!("`{module}` ({}) uses `{other}` ({}), a later floor", FLOORS[own].0, FLOORS[floor].0)),
                Some(floor) if floor == own && uses.get(other).is_some_and(|back| back.contains(module)) && module < other => {
                    found.push(format!("`{module}` and `{other}` use each other"))
                }
                _ => {}
            }
        }
    }
    found
}

#[test]
fn no_module_uses_a_later_floor_or_the_crate_root() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = violations(&uses_by_module(&src));
    assert!(found.is_empty(), "the floors are broken:\n{}", found.join("\n"));
}

#[test]
fn the_floors_test_sees_what_breaks_them() {
    let uses = |pairs: &[(&str, &[&str])]| -> BTreeMap<String, BTreeSet<String>> {
        pairs.iter().map(|(m, used)| (m.to_string(), used.iter().map(|u| u.to_string()).collect())).collect()
    };
    assert!(violations(&uses(&[("render", &["load", "error"]), ("load", &["error"])])).is_empty());
    assert_eq!(violations(&uses(&[("check", &["render"])])), ["`check` (check) uses `render` (render), a later floor"]);
    assert_eq!(violations(&uses(&[("load", &["key"])])).len(), 1, "an item of the crate root");
    assert_eq!(violations(&uses(&[("figure", &["load"]), ("load", &["figure"])])), ["`figure` and `load` use each other"]);
    assert_eq!(violations(&uses(&[("widgets", &[])])).len(), 1, "a module without a floor");
    let text = "use crate::{error::Error, load};\nfn f() { crate::hash::key(1); } // [`crate::serve`]\n/// [`crate::render`]";
    assert_eq!(crate_uses(text).into_iter().collect::<Vec<_>>(), ["error", "hash", "load"]);
}
