//! `servicehall assessment rebuild [--check]`: recount the indicators' daily figures from the
//! logs. With `--check` it first keeps them up as a page would, then compares and exits
//! non-zero when what was kept differs from the recount; without it, it replaces them.

use crate::config::DbArgs;
use crate::{CliError, CliResult};
use clap::{Args, Subcommand};
use servicehall_store::AssessmentStore;
use std::time::Instant;

#[derive(Subcommand, Debug)]
pub enum AssessmentCommand {
    /// Recount the indicators' daily figures from the logs (--check: compare only).
    /// 从业务记录重建指标日汇总（--check 只核对）
    Rebuild(RebuildArgs),
}

#[derive(Args, Debug)]
pub struct RebuildArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Compare the kept figures with a recount and change nothing; exit 1 when they differ.
    /// 只核对，不改动
    #[arg(long)]
    pub check: bool,
}

pub async fn run(cmd: AssessmentCommand) -> CliResult<()> {
    let AssessmentCommand::Rebuild(args) = cmd;
    let (store, _) = crate::config::open_store(&args.db.url()).await?;
    let now = chrono::Utc::now().timestamp_millis();
    let t = Instant::now();
    let r = store
        .rebuild_assessment(args.check, now)
        .await
        .map_err(|e| {
            CliError::failed(format!(
                "指标日汇总重建失败 · assessment rebuild failed: {e}"
            ))
        })?;
    let secs = t.elapsed().as_secs_f64();
    if !args.check {
        println!(
            "已重建指标日汇总 · rebuilt the indicators' daily figures: {} rows in {secs:.1} s",
            r.rows
        );
        return Ok(());
    }
    if r.differences == 0 && r.month_differences == 0 {
        println!(
            "指标日汇总与重算一致，月汇总与日汇总一致 · the kept figures equal the recount and every month sum equals its days: {} rows in {secs:.1} s",
            r.rows
        );
        return Ok(());
    }
    if r.month_differences > 0 {
        println!(
            "  月汇总与日汇总不一致 · month sums differing from their days: {}",
            r.month_differences
        );
    }
    for (kept, rebuilt) in &r.examples {
        let show = |f: &Option<servicehall_store::DayFigure>| {
            f.as_ref()
                .map_or("—".to_string(), |f| format!("{}/{}", f.num, f.den))
        };
        let any = kept.as_ref().or(rebuilt.as_ref());
        if let Some(f) = any {
            println!(
                "  hall {} day {} {}: kept {} · rebuilt {}",
                f.hall_id,
                servicehall_domain::assessment::day_date(f.day),
                f.indicator,
                show(kept),
                show(rebuilt)
            );
        }
    }
    Err(CliError::failed(format!(
        "指标汇总与重算不一致：{} 行不同，请运行 servicehall assessment rebuild · the kept figures differ from the recount in {} rows; run `servicehall assessment rebuild`",
        r.differences + r.month_differences,
        r.differences + r.month_differences
    )))
}
