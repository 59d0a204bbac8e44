//! `restore FILE`: puts a backup in place of a SQLite hall database, with the server
//! stopped. The file is copied beside the database and checked there first; the database it
//! replaces (with its WAL) is kept aside under a dated name, never deleted.

use super::{lock, snapshot};
use crate::config::DbArgs;
use crate::{CliError, CliResult};
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
#[command(
    after_help = "Exit codes 退出码: 0 restored 已恢复; 1 failed 失败; 2 bad arguments, \
no such file, or PostgreSQL (use pg_restore) 参数有误; 3 a running server holds the database \
服务正在运行; 4 the file failed its check 文件未通过检查.\n\
Example 示例:\n  systemctl stop servicehall\n  servicehall restore /backup/hall-2026-12-01.db \
--data-dir /var/lib/servicehall\n  systemctl start servicehall"
)]
pub struct RestoreArgs {
    /// The backup file (made by `servicehall backup` or the scheduled backups). 备份文件
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[command(flatten)]
    pub db: DbArgs,
}

/// `NAME.SUFFIX` beside `file`.
fn beside(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    file.with_file_name(name)
}

pub async fn run(args: RestoreArgs) -> CliResult<()> {
    let url = args.db.url();
    let Some(db) = crate::config::sqlite_path(&url) else {
        return Err(CliError::usage(super::backup::postgres_advice(&url)));
    };
    if !args.file.is_file() {
        return Err(CliError::usage(format!(
            "没有这个备份文件 · no backup file at {}",
            args.file.display()
        )));
    }
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S").to_string();
    let file = args.file.clone();
    let (report, aside) = tokio::task::spawn_blocking(move || restore(&file, &db, &stamp))
        .await
        .map_err(|e| CliError::failed(format!("恢复任务中断 · restore task: {e}")))??;
    println!("备份文件已检查 · the backup passed its check:");
    for line in report.lines(&args.file) {
        println!("{line}");
    }
    match aside {
        Some(p) => println!(
            "原数据库已移至 · the replaced database is kept at {}",
            p.display()
        ),
        None => println!("此前没有数据库 · there was no database before"),
    }
    println!(
        "已恢复 · restored: {} — 启动服务时会自动执行所需迁移 · `servicehall serve` applies any newer migrations at start",
        crate::serve::redact(&url)
    );
    Ok(())
}

/// Under the data lock: copy in, check the copy, move the old database aside, rename.
fn restore(file: &Path, db: &Path, stamp: &str) -> CliResult<(snapshot::Report, Option<PathBuf>)> {
    let _held = lock::take(db)?;
    let incoming = beside(db, ".restoring");
    std::fs::copy(file, &incoming).map_err(|e| {
        CliError::failed(format!(
            "无法复制 · cannot copy {} to {}: {e}",
            file.display(),
            incoming.display()
        ))
    })?;
    let report = match snapshot::check(&incoming) {
        Ok(r) => r,
        Err(e) => {
            let _ = std::fs::remove_file(&incoming);
            return Err(e);
        }
    };
    std::fs::File::open(&incoming)?.sync_all()?;
    let aside = if db.exists() {
        let old = beside(db, &format!(".before-restore-{stamp}"));
        // The WAL goes with its database (SQLite pairs them by name); shared memory is
        // rebuilt from the WAL, so it is dropped.
        std::fs::rename(db, &old)?;
        let wal = beside(db, "-wal");
        if wal.exists() {
            std::fs::rename(&wal, beside(&old, "-wal"))?;
        }
        let _ = std::fs::remove_file(beside(db, "-shm"));
        Some(old)
    } else {
        None
    };
    std::fs::rename(&incoming, db)?;
    snapshot::sync_dir(db);
    Ok((report, aside))
}
