//! Every refusal the web crate writes is bilingual, Chinese first (`中文 · English`): the
//! message literals passed to the error constructors are scanned in the sources, so an
//! English-only message cannot come back.

use std::path::{Path, PathBuf};

const SRC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src");

/// The calls whose first string literal is a message a person sees: the API error
/// constructors, the store errors a handler builds, and the pages' own refusal helpers.
const CONSTRUCTORS: &[&str] = &[
    "ApiError::new(",
    "ApiError::too_many(",
    "ApiError::bad_request(",
    "ApiError::unprocessable(",
    "ApiError::forbidden(",
    "ApiError::not_found(",
    "StoreError::Invalid(",
    "StoreError::NotFound(",
    "StoreError::Conflict(",
    "StoreError::Forbidden(",
    "StoreError::Unavailable(",
    " forbidden(",
    "(forbidden(",
    " bad(",
    "(bad(",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read src") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The first string literal inside the call that opens at `from` (just after its `(`),
/// if the call has one before it closes.
fn first_literal(src: &str, from: usize) -> Option<String> {
    let mut depth = 1;
    let mut chars = src[from..].char_indices();
    while let Some((_, c)) = chars.next() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return None;
                }
            }
            '"' => {
                let mut lit = String::new();
                while let Some((_, c)) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => return Some(lit),
                        c => lit.push(c),
                    }
                }
                return None;
            }
            _ => {}
        }
    }
    None
}

fn is_cjk(c: char) -> bool {
    ('\u{3400}'..='\u{9fff}').contains(&c)
}

/// Chinese first and English after, as the domain's messages: `{…}` placeholders and
/// leading quotes, digits or spaces aside, the message starts with a Chinese character,
/// and it has an English word.
fn bilingual(m: &str) -> bool {
    let mut plain = String::new();
    let mut depth = 0;
    for c in m.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            c if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let head = plain.trim_start_matches(|c: char| c.is_ascii_digit() || " “(".contains(c));
    let chinese_first = head.chars().next().is_some_and(is_cjk);
    let english = plain
        .split(|c: char| !c.is_ascii_alphabetic())
        .any(|w| w.len() >= 3);
    chinese_first && english
}

#[test]
fn every_error_message_is_chinese_first_and_english() {
    let mut files = Vec::new();
    rust_files(Path::new(SRC), &mut files);
    files.sort();
    let mut seen = 0;
    let mut wrong = Vec::new();
    for f in &files {
        let src = std::fs::read_to_string(f).expect("read");
        for ctor in CONSTRUCTORS {
            for (at, _) in src.match_indices(ctor) {
                if src[..at].trim_end().ends_with("fn") {
                    continue;
                }
                let Some(lit) = first_literal(&src, at + ctor.len()) else {
                    continue;
                };
                seen += 1;
                if !bilingual(&lit) {
                    let line = src[..at].lines().count();
                    let name = f.strip_prefix(SRC).unwrap_or(f).display().to_string();
                    let name = name.trim_start_matches('/');
                    wrong.push(format!("src/{name}:{line}: {lit}"));
                }
            }
        }
    }
    // The scan must find the messages it guards (142 when written), or it guards nothing.
    assert!(
        seen > 120,
        "only {seen} error messages found; did the constructors move?"
    );
    assert!(
        wrong.is_empty(),
        "error messages must read `中文 · English`, Chinese first:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_check_tells_bilingual_from_english_only() {
    assert!(bilingual(
        "本厅没有工号为 {badge} 的员工 · no staff with badge {badge}"
    ));
    assert!(bilingual("{name} 须为整数 · {name} must be a whole number"));
    assert!(!bilingual("no staff with badge {badge} in this hall"));
    assert!(!bilingual(
        "only administrators may do this · 仅系统管理员可操作"
    ));
    assert!(!bilingual("仅系统管理员可操作"));
}
