//! Scheduled backups run by `serve` on SQLite: the config file's `[backup]` table names a
//! directory, an interval and how many copies to keep. Each copy is made and checked as
//! `servicehall backup` makes it (`servicehall-YYYYMMDD-HHMMSS-mmm.db`, UTC), then the
//! oldest beyond `keep` are removed. On PostgreSQL the table is refused at start: pg_dump
//! from cron does this job there.

use super::snapshot;
use crate::{CliError, CliResult};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const BACKUP_KEYS: &str = "dir, every_hours, keep";

#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BackupFile {
    /// Where the copies go (created when missing).
    pub dir: PathBuf,
    /// Hours between copies (fractions allowed); the first copy is made one interval after
    /// start. [default: 24]
    pub every_hours: Option<f64>,
    /// Copies kept, newest first. [default: 7]
    pub keep: Option<usize>,
}

impl BackupFile {
    pub fn every(&self) -> CliResult<Duration> {
        let h = self.every_hours.unwrap_or(24.0);
        if !(h.is_finite() && h > 0.0 && h <= 24.0 * 366.0) {
            return Err(CliError::usage(format!(
                "[backup] every_hours 须大于 0 · must be a number of hours above 0 (got {h})"
            )));
        }
        Ok(Duration::from_secs_f64(h * 3600.0))
    }

    pub fn keep(&self) -> CliResult<usize> {
        match self.keep.unwrap_or(7) {
            0 => Err(CliError::usage(
                "[backup] keep 至少为 1 · must keep at least 1 copy",
            )),
            n => Ok(n),
        }
    }
}

/// Is `name` one of the scheduled copies?
fn is_copy(name: &str) -> bool {
    name.starts_with("servicehall-") && name.ends_with(".db")
}

/// Removes the scheduled copies in `dir` beyond the `keep` newest (their names sort by
/// time); returns the names removed. Other files are left alone.
pub fn prune(dir: &Path, keep: usize) -> std::io::Result<Vec<String>> {
    let mut copies: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| is_copy(n))
        .collect();
    copies.sort_unstable_by(|a, b| b.cmp(a));
    let old = copies.split_off(keep.min(copies.len()));
    for name in &old {
        std::fs::remove_file(dir.join(name))?;
    }
    Ok(old)
}

/// Makes one copy of `db` into `dir` and prunes.
pub fn once(db: &Path, dir: &Path, keep: usize) -> CliResult<(PathBuf, snapshot::Report)> {
    std::fs::create_dir_all(dir)?;
    let name = chrono::Utc::now()
        .format("servicehall-%Y%m%d-%H%M%S-%3f.db")
        .to_string();
    let to = dir.join(name);
    let report = snapshot::copy_checked(db, &to)?;
    let removed = prune(dir, keep)?;
    if !removed.is_empty() {
        tracing::info!(removed = ?removed, keep, "old backups removed");
    }
    Ok((to, report))
}

/// Checks the settings and starts the schedule; the task ends with the process.
pub fn spawn(db: PathBuf, cfg: &BackupFile) -> CliResult<tokio::task::JoinHandle<()>> {
    let every = cfg.every()?;
    let keep = cfg.keep()?;
    let dir = cfg.dir.clone();
    std::fs::create_dir_all(&dir).map_err(|e| {
        CliError::usage(format!(
            "[backup] 无法创建备份目录 · cannot create backup dir {}: {e}",
            dir.display()
        ))
    })?;
    tracing::info!(dir = %dir.display(), every_secs = every.as_secs_f64(), keep, "scheduled backups on");
    Ok(tokio::spawn(async move {
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let (db, dir) = (db.clone(), dir.clone());
            let started = std::time::Instant::now();
            match tokio::task::spawn_blocking(move || once(&db, &dir, keep)).await {
                Ok(Ok((file, report))) => tracing::info!(
                    file = %file.display(),
                    bytes = report.bytes,
                    tickets = report.count("tickets"),
                    ms = started.elapsed().as_millis() as u64,
                    "scheduled backup done · 定时备份完成"
                ),
                Ok(Err(e)) => {
                    tracing::error!(error = %e.message, "scheduled backup failed · 定时备份失败")
                }
                Err(e) => {
                    tracing::error!(error = %e, "scheduled backup task failed · 定时备份失败")
                }
            }
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retention_keeps_the_newest_copies_and_nothing_else_is_touched() {
        let dir = std::env::temp_dir().join(format!("sh_prune_{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let names = [
            "servicehall-20261201-020000-000.db",
            "servicehall-20261203-020000-000.db",
            "servicehall-20261202-020000-000.db",
            "servicehall-20261204-020000-000.db",
            "servicehall-20261205-020000-000.db.partial",
            "notes.txt",
        ];
        for n in names {
            std::fs::write(dir.join(n), n).unwrap();
        }
        let removed = prune(&dir, 2).unwrap();
        assert_eq!(
            removed,
            [
                "servicehall-20261202-020000-000.db",
                "servicehall-20261201-020000-000.db"
            ]
        );
        let mut left: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                "notes.txt",
                "servicehall-20261203-020000-000.db",
                "servicehall-20261204-020000-000.db",
                "servicehall-20261205-020000-000.db.partial"
            ]
        );
        assert!(prune(&dir, 5).unwrap().is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn bad_settings_are_named() {
        let cfg = BackupFile {
            dir: "/tmp/x".into(),
            every_hours: Some(0.0),
            keep: Some(0),
        };
        assert!(cfg.every().unwrap_err().message.contains("every_hours"));
        assert!(cfg.keep().unwrap_err().message.contains("keep"));
        let ok = BackupFile {
            every_hours: None,
            keep: None,
            ..cfg
        };
        assert_eq!(ok.every().unwrap(), Duration::from_secs(24 * 3600));
        assert_eq!(ok.keep().unwrap(), 7);
    }
}
