//! `ARCHITECTURE.md` names files, and a map that names a file the repository no longer has
//! sends a newcomer nowhere: every repository path it writes in backticks must exist.

use std::path::Path;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// Root files the map may name without a folder (`README.md`, `Cargo.toml`).
fn is_root_file(span: &str) -> bool {
    !span.contains('/') && [".md", ".toml", ".lock"].iter().any(|x| span.ends_with(x))
}

/// The repository paths written in backticks: `crates/…`, `docs/…`, `scripts/…` (a folder
/// may end with `/`) and root files. URL paths (`/api/…`, `/counter`) and patterns
/// (anything with `{`, `*` or a space) are not paths to check.
fn paths_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        // Between backticks: the odd pieces of the line.
        for span in line.split('`').skip(1).step_by(2) {
            let span = span.trim();
            if span.is_empty() || span.contains(['{', '*', ' ']) || span.starts_with('/') {
                continue;
            }
            let repo_path = ["crates/", "docs/", "scripts/"]
                .iter()
                .any(|p| span.starts_with(p));
            if repo_path || is_root_file(span) {
                out.push(span.to_string());
            }
        }
    }
    out
}

#[test]
fn every_path_in_architecture_md_exists() {
    let root = Path::new(ROOT);
    let text = std::fs::read_to_string(root.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let paths = paths_in(&text);
    // The reader must see the map's paths, or this test proves nothing.
    assert!(paths.len() > 100, "only {} paths read", paths.len());
    let missing: Vec<&String> = paths
        .iter()
        .filter(|p| {
            let full = root.join(p.trim_end_matches('/'));
            if p.ends_with('/') {
                !full.is_dir()
            } else {
                !full.exists()
            }
        })
        .collect();
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names paths that do not exist (fix the map): {missing:#?}"
    );
}

#[test]
fn the_reader_takes_paths_and_leaves_urls_and_patterns() {
    let text = "`crates/web/src/lib.rs` and `docs/` and `README.md`, not `/api/v1/halls`, \
                `crates/store/src/sql/issue*.rs`, `crates/{a,b}/`, `lib.rs` or `a b/c`\n\
                ```\ncrates/in/a/fence.rs `crates/in/a/fence.rs`\n```\n";
    assert_eq!(
        paths_in(text),
        ["crates/web/src/lib.rs", "docs/", "README.md"]
    );
}
