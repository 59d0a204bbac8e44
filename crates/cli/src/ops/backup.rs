//! `backup --to FILE`: a consistent copy of a SQLite hall database taken while the server
//! runs, checked (integrity, schema version, row counts) before it gets its name. A
//! PostgreSQL database is backed up with PostgreSQL's own tools; the command says which.

use super::snapshot;
use crate::config::DbArgs;
use crate::serve::redact;
use crate::{CliError, CliResult};
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
#[command(
    after_help = "Exit codes 退出码: 0 done 完成; 1 failed 失败; 2 bad arguments, \
the file exists, or PostgreSQL (use pg_dump) 参数有误; 4 the copy failed its check 副本未通过检查.\n\
Example 示例:\n  servicehall backup --data-dir /var/lib/servicehall --to /backup/hall-$(date +%F).db"
)]
pub struct BackupArgs {
    /// The file to write; it must not exist yet. 备份文件
    #[arg(long, value_name = "FILE")]
    pub to: PathBuf,
    #[command(flatten)]
    pub db: DbArgs,
}

/// What to run instead on PostgreSQL.
pub fn postgres_advice(url: &str) -> String {
    let url = redact(url);
    format!(
        "PostgreSQL 数据库请用其标准工具备份与恢复 · PostgreSQL is backed up with its standard tools:\n  \
备份 backup:  pg_dump -Fc --dbname='{url}' --file=servicehall.dump\n  \
恢复 restore: pg_restore --clean --if-exists --no-owner --dbname='{url}' servicehall.dump\n\
(docs/operations.md)"
    )
}

pub async fn run(args: BackupArgs) -> CliResult<()> {
    let url = args.db.url();
    let Some(src) = crate::config::sqlite_path(&url) else {
        return Err(CliError::usage(postgres_advice(&url)));
    };
    let to = args.to.clone();
    let started = std::time::Instant::now();
    let report = tokio::task::spawn_blocking(move || snapshot::copy_checked(&src, &to))
        .await
        .map_err(|e| CliError::failed(format!("备份任务中断 · backup task: {e}")))??;
    println!(
        "备份完成 · backup done in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    for line in report.lines(&args.to) {
        println!("{line}");
    }
    Ok(())
}
