//! A SQLite database copied while the server writes to it, and a copy checked before anyone
//! relies on it. `VACUUM INTO` reads one consistent snapshot (a read transaction; in WAL
//! mode writers carry on meanwhile) and writes a compact, self-contained file.

use crate::{CliError, CliResult};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Exit code when a copy fails its checks.
pub const BAD_COPY: u8 = 4;

/// Tables whose rows a check counts and prints.
const MAIN_TABLES: [(&str, &str); 9] = [
    ("halls", "营业厅"),
    ("staff", "人员"),
    ("counters", "窗口"),
    ("devices", "设备"),
    ("tickets", "号票"),
    ("ratings", "评价"),
    ("cases", "工单"),
    ("standard_documents", "规范文件"),
    ("regions", "区域"),
];

/// What a checked copy holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub migration: i64,
    pub counts: Vec<(&'static str, &'static str, i64)>,
    pub bytes: u64,
}

impl Report {
    /// The lines printed after a backup or before a restore, Chinese first.
    pub fn lines(&self, file: &Path) -> Vec<String> {
        let mut lines = vec![
            format!(
                "文件 · file: {} ({:.1} MiB)",
                file.display(),
                self.bytes as f64 / (1024.0 * 1024.0)
            ),
            "完整性检查 · integrity_check: ok".to_string(),
            format!(
                "数据库版本 · migration version: {:04} (本程序 · this binary: {:04})",
                self.migration,
                servicehall_store::SqlStore::latest_migration()
            ),
        ];
        for (table, zh, n) in &self.counts {
            lines.push(format!("  {zh} · {table}: {n}"));
        }
        lines
    }

    pub fn count(&self, table: &str) -> Option<i64> {
        self.counts
            .iter()
            .find(|(t, _, _)| *t == table)
            .map(|(_, _, n)| *n)
    }
}

fn sql_err(what: &str) -> impl Fn(rusqlite::Error) -> CliError + '_ {
    move |e| CliError::failed(format!("{what}: {e}"))
}

fn bad(file: &Path, why: impl std::fmt::Display) -> CliError {
    CliError {
        code: BAD_COPY,
        message: format!(
            "备份文件未通过检查 · {} failed its check: {why}",
            file.display()
        ),
    }
}

/// `FILE.partial`: where a copy is written before it is checked and renamed.
pub fn partial_of(to: &Path) -> PathBuf {
    let mut name = to.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    to.with_file_name(name)
}

/// Copies the live database `src` to `to` (which must not exist), checks the copy, and only
/// then gives it its name. Blocking: call from `spawn_blocking`.
pub fn copy_checked(src: &Path, to: &Path) -> CliResult<Report> {
    if !src.is_file() {
        return Err(CliError::usage(format!(
            "没有数据库文件 · no database at {}",
            src.display()
        )));
    }
    if to.exists() {
        return Err(CliError::usage(format!(
            "备份文件已存在，不会覆盖 · {} exists already; choose a new name",
            to.display()
        )));
    }
    let partial = partial_of(to);
    let _ = std::fs::remove_file(&partial);
    // Read-write without create: a missing file is an error, and a WAL database needs its
    // shared-memory file, which a read-only connection could not make. Nothing is written.
    let conn = Connection::open_with_flags(
        src,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sql_err("无法打开数据库 · cannot open the database"))?;
    conn.busy_timeout(Duration::from_secs(30))
        .map_err(sql_err("无法设置等待时间 · busy_timeout"))?;
    let target = partial
        .to_str()
        .ok_or_else(|| CliError::usage("备份路径须为 UTF-8 · the backup path must be UTF-8"))?;
    conn.execute("VACUUM INTO ?1", [target])
        .map_err(sql_err("复制失败 · VACUUM INTO failed"))?;
    drop(conn);
    let report = match check(&partial) {
        Ok(r) => r,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    std::fs::File::open(&partial)?.sync_all()?;
    std::fs::rename(&partial, to)?;
    sync_dir(to);
    Ok(report)
}

/// Makes a rename durable (best effort: not every filesystem syncs directories).
pub fn sync_dir(file: &Path) {
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(d) = std::fs::File::open(dir)
    {
        let _ = d.sync_all();
    }
}

/// Checks a copy: a single self-contained file (rollback journal, so no `-wal` beside it is
/// needed), `PRAGMA integrity_check` says ok, it has ServiceHall's schema at a version this
/// binary knows; counts the main tables.
pub fn check(file: &Path) -> CliResult<Report> {
    let bytes = std::fs::metadata(file)
        .map_err(|e| CliError::usage(format!("无法读取 · cannot read {}: {e}", file.display())))?
        .len();
    let conn = Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| bad(file, e))?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode=DELETE", [], |r| r.get(0))
        .map_err(|e| bad(file, e))?;
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(bad(
            file,
            format!("日志模式为 {mode}，应为 delete · journal mode {mode}"),
        ));
    }
    let mut stmt = conn
        .prepare("PRAGMA integrity_check")
        .map_err(|e| bad(file, e))?;
    let problems: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .and_then(Iterator::collect)
        .map_err(|e| bad(file, e))?;
    drop(stmt);
    if problems != ["ok"] {
        let first: Vec<&str> = problems.iter().take(3).map(String::as_str).collect();
        return Err(bad(
            file,
            format!("完整性检查未通过 · integrity_check: {}", first.join("; ")),
        ));
    }
    let migration: i64 = conn
        .query_row("SELECT MAX(version) FROM schema_migrations", [], |r| {
            r.get(0)
        })
        .map_err(|_| {
            bad(
                file,
                "不是 ServiceHall 数据库 · not a ServiceHall database (no schema_migrations)",
            )
        })?;
    let latest = servicehall_store::SqlStore::latest_migration();
    if migration > latest {
        return Err(bad(
            file,
            format!(
                "数据库版本 {migration:04} 比本程序（{latest:04}）新，请先升级程序 · made by a newer servicehall (migration {migration:04}, this binary knows {latest:04}); upgrade first"
            ),
        ));
    }
    let mut counts = Vec::new();
    for (table, zh) in MAIN_TABLES {
        let exists: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [table],
                |r| r.get(0),
            )
            .map_err(|e| bad(file, e))?;
        if exists == 1 {
            let n: i64 = conn
                .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
                .map_err(|e| bad(file, e))?;
            counts.push((table, zh, n));
        }
    }
    Ok(Report {
        migration,
        counts,
        bytes,
    })
}
