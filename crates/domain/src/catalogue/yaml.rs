//! The catalogue as one YAML file: every version of every entry, for export, review and
//! import. Errors name the path and line (`entries[2].fees[0].fen (line 31): …`).

use super::{CatalogueEntry, CatalogueError};
use serde::{Deserialize, Serialize};

/// The whole file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueFile {
    /// The hall's code; an import into another hall is refused.
    pub hall: String,
    /// Days within which a return for the same business after a missing document counts as
    /// a repeat trip (重复往返).
    pub repeat_window_days: i64,
    /// The hall's map link on the public page.
    #[serde(default)]
    pub map_url: String,
    /// Complaint channels besides 95598, one line each.
    #[serde(default)]
    pub complaint_channels: Vec<String>,
    /// The service commitments (服务承诺) the public page lists.
    #[serde(default)]
    pub commitments: Vec<String>,
    pub entries: Vec<CatalogueEntry>,
}

pub fn to_yaml(file: &CatalogueFile) -> String {
    let body = serde_norway::to_string(file).unwrap_or_default();
    format!("# ServiceHall service catalogue (业务公开目录). Format: docs/catalogue.md\n{body}")
}

/// Parses and validates a catalogue file against the hall's business type codes.
pub fn from_yaml(text: &str, known_types: &[&str]) -> Result<CatalogueFile, CatalogueError> {
    let file: CatalogueFile = parse(text, "file")?;
    if file.repeat_window_days < 1 || file.repeat_window_days > 365 {
        return Err(CatalogueError {
            at: "repeat_window_days".into(),
            line: line_of(text, "repeat_window_days:", 0),
            why: format!(
                "超出范围，请填写 1–365 天 {} is out of range; use 1 to 365 days",
                file.repeat_window_days
            ),
        });
    }
    let url = file.map_url.trim();
    if !url.is_empty() && !url.starts_with("https://") && !url.starts_with("http://") {
        return Err(CatalogueError {
            at: "map_url".into(),
            line: line_of(text, "map_url:", 0),
            why: format!(
                "不是网址，请以 https:// 开头 {url:?} is not a web address; start it with https://"
            ),
        });
    }
    for (i, e) in file.entries.iter().enumerate() {
        e.validate(&format!("entries[{i}]"), known_types)
            .map_err(|err| with_entry_line(err, text, i))?;
    }
    Ok(file)
}

/// Adds the line of entry `i` to an error about it.
pub fn with_entry_line(mut err: CatalogueError, text: &str, i: usize) -> CatalogueError {
    if err.line.is_none() {
        err.line = entry_line(text, i);
    }
    err
}

/// The line (1-based) where the `i`-th item of `entries:` starts.
fn entry_line(text: &str, i: usize) -> Option<usize> {
    let start = text.lines().position(|l| l.trim_end() == "entries:")?;
    let mut indent = None;
    let mut n = 0;
    for (no, l) in text.lines().enumerate().skip(start + 1) {
        let t = l.trim_start();
        if !t.starts_with("- ") && t != "-" {
            continue;
        }
        let ind = l.len() - t.len();
        match indent {
            None => indent = Some(ind),
            Some(x) if x != ind => continue,
            _ => {}
        }
        if n == i {
            return Some(no + 1);
        }
        n += 1;
    }
    None
}

fn line_of(text: &str, prefix: &str, nth: usize) -> Option<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with(prefix))
        .nth(nth)
        .map(|(no, _)| no + 1)
}

/// One entry as YAML, for editing on its own.
pub fn entry_to_yaml(e: &CatalogueEntry) -> String {
    serde_norway::to_string(e).unwrap_or_default()
}

/// Parses one entry edited on its own (checked against the hall by the store when saved).
pub fn entry_from_yaml(text: &str) -> Result<CatalogueEntry, CatalogueError> {
    parse(text, "entry")
}

/// Deserialises YAML, turning an error into the path (`entries[2].fees[0].fen`; `root` for
/// the whole document) and line it is about.
fn parse<T: serde::de::DeserializeOwned>(text: &str, root: &str) -> Result<T, CatalogueError> {
    let de = serde_norway::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let line = inner.location().map(|l| l.line());
        // serde_norway appends "at line L column C"; the line is reported on its own.
        let why = inner.to_string();
        let why = format!(
            "文件格式有误 {}",
            why.split(" at line ").next().unwrap_or(&why)
        );
        CatalogueError {
            at: if path == "." { root.into() } else { path },
            line,
            why,
        }
    })
}
