//! The data directory's lock: `serve` (and `demo`) hold an advisory lock on
//! `servicehall.db.lock` beside a SQLite database while they run; `restore` takes the same
//! lock, so it refuses while a server holds the database and no server can start mid-swap.
//! The kernel drops the lock when its holder exits, even on SIGKILL or a power cut, so a
//! stale lock file never blocks anyone; the PID written inside is only for people to read.

use crate::{CliError, CliResult};
use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Exit code when a running server holds the database.
pub const HELD: u8 = 3;

/// Held while it lives.
#[derive(Debug)]
pub struct DataLock {
    _file: File,
}

/// `DB.lock` beside the database file `DB`.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    db.with_file_name(name)
}

/// Takes the lock of database file `db`, or says who holds it.
pub fn take(db: &Path) -> CliResult<DataLock> {
    let path = lock_path(db);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| {
            CliError::failed(format!(
                "无法打开锁文件 · cannot open the lock file {}: {e}",
                path.display()
            ))
        })?;
    match file.try_lock() {
        Ok(()) => {
            // The PID is for people only: a full disk must not stop the server starting.
            let _ = file
                .set_len(0)
                .and_then(|()| writeln!(file, "{}", std::process::id()));
            Ok(DataLock { _file: file })
        }
        Err(TryLockError::WouldBlock) => {
            let pid = std::fs::read_to_string(&path).unwrap_or_default();
            Err(CliError {
                code: HELD,
                message: format!(
                    "数据库正被运行中的服务使用（进程 {}），请先停止服务 · a running server holds {} (PID {}); stop it first",
                    pid.trim(),
                    db.display(),
                    pid.trim()
                ),
            })
        }
        Err(TryLockError::Error(e)) => Err(CliError::failed(format!(
            "无法锁定 · cannot lock {}: {e}",
            path.display()
        ))),
    }
}

/// The lock for a database URL: taken for `sqlite:` files, none for PostgreSQL.
pub fn take_for_url(url: &str) -> CliResult<Option<DataLock>> {
    crate::config::sqlite_path(url)
        .map(|p| take(&p))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_until_the_first_lets_go() {
        let dir = std::env::temp_dir().join(format!("sh_lock_{}", std::process::id()));
        let db = dir.join("servicehall.db");
        let first = take(&db).unwrap();
        let e = take(&db).unwrap_err();
        assert_eq!(e.code, HELD);
        assert!(
            e.message.contains(&std::process::id().to_string()),
            "{}",
            e.message
        );
        drop(first);
        assert!(take(&db).is_ok());
        assert_eq!(lock_path(&db), dir.join("servicehall.db.lock"));
        let _ = std::fs::remove_dir_all(dir);
    }
}
