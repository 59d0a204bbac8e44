//! What the single-purpose bench commands share: the database they write and the median of
//! their repeated timings.

use std::path::{Path, PathBuf};

use crate::{CliResult, config};

/// The database a bench writes: `--database`, else `servicehall.db` under `--data-dir` or
/// `./data/<name>/`. A SQLite file left by an earlier run is removed unless `reuse`, so each
/// run starts from an empty database.
pub fn bench_url(
    database: Option<&str>,
    data_dir: Option<&PathBuf>,
    name: &str,
    reuse: bool,
) -> CliResult<String> {
    let url = match (database, data_dir) {
        (Some(url), _) => url.to_owned(),
        (None, Some(dir)) => config::sqlite_url_in(dir),
        (None, None) => format!("sqlite:./data/{name}/servicehall.db"),
    };
    if let Some(path) = url.strip_prefix("sqlite:") {
        if let Some(dir) = Path::new(path).parent() {
            std::fs::create_dir_all(dir)?;
        }
        if !reuse {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{path}{suffix}"));
            }
        }
    }
    Ok(url)
}

/// The middle of `xs` (the upper middle of an even count); 0 when empty.
pub fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied().unwrap_or(0.0)
}
