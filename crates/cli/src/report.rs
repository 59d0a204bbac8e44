//! `servicehall report monthly --hall CODE | --region CODE --month YYYY-MM --format html|xlsx
//! --out FILE`: a monthly report from the command line, the same report the web makes
//! (`servicehall_web::api::reports`), written to a file. With `--keep` it is also kept in the
//! history as the month-end step keeps it.

use crate::config::DbArgs;
use crate::{CliError, CliResult};
use clap::{Args, Subcommand};
use servicehall_domain::assessment::Month;
use servicehall_store::HallStore;
use servicehall_web::api::reports::{self, build};
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// A hall's or a region's monthly report to a file (A4 page or Excel workbook).
    /// 生成营业厅或区域的月度报告
    Monthly(MonthlyArgs),
}

#[derive(Args, Debug)]
pub struct MonthlyArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// The hall's code. 营业厅代码
    #[arg(long, conflicts_with = "region", required_unless_present = "region")]
    pub hall: Option<String>,
    /// The region's code. 区域代码
    #[arg(long)]
    pub region: Option<String>,
    /// The month, YYYY-MM (default: the month that ended last). 月份
    #[arg(long)]
    pub month: Option<String>,
    /// html (the A4 page) or xlsx (the workbook). 格式
    #[arg(long, default_value = "xlsx", value_parser = ["html", "xlsx"])]
    pub format: String,
    /// Where to write it. 输出文件
    #[arg(long)]
    pub out: PathBuf,
    /// Also keep it in the reports' history. 同时存档
    #[arg(long)]
    pub keep: bool,
}

fn failed(e: servicehall_web::error::ApiError) -> CliError {
    if e.status.is_client_error() {
        CliError::usage(e.detail)
    } else {
        CliError::failed(format!(
            "月度报告生成失败 · the monthly report failed: {}",
            e.detail
        ))
    }
}

pub async fn run(cmd: ReportCommand) -> CliResult<()> {
    let ReportCommand::Monthly(a) = cmd;
    let (store, _) = crate::config::open_store(&a.db.url()).await?;
    let now = chrono::Utc::now().timestamp_millis();
    let scope = match (&a.hall, &a.region) {
        (Some(code), _) => build::Scope::of_hall(store.hall_by_code(code).await.map_err(|_| {
            CliError::usage(format!(
                "没有代码为 {code} 的营业厅 · no hall with code {code}"
            ))
        })?),
        (None, Some(code)) => build::region_scope(&store, code).await.map_err(failed)?,
        (None, None) => {
            return Err(CliError::usage(
                "请指定 --hall 或 --region · give --hall CODE or --region CODE",
            ));
        }
    };
    let month = match a.month.as_deref() {
        Some(m) => Month::parse(m).map_err(CliError::usage)?,
        None => scope.last_month(now),
    };
    let v = build::build(&store, &scope, month, now, "cli")
        .await
        .map_err(failed)?;
    let (xlsx, html) = reports::render(&v).map_err(failed)?;
    let bytes = if a.format == "html" {
        html.as_bytes()
    } else {
        xlsx.as_slice()
    };
    std::fs::write(&a.out, bytes).map_err(|e| {
        CliError::failed(format!(
            "无法写入 {} · cannot write {}: {e}",
            a.out.display(),
            a.out.display()
        ))
    })?;
    println!(
        "已生成月度报告 · wrote the monthly report: {} {} → {} ({} bytes; audit head {})",
        v.scope_code,
        v.month,
        a.out.display(),
        bytes.len(),
        v.audit_head
    );
    if a.keep {
        let meta = reports::keep_rendered(&store, &scope, &v, xlsx, html, now, "cli")
            .await
            .map_err(failed)?;
        println!(
            "已存档 · kept as report {} (sha256 {})",
            meta.id, meta.sha256
        );
    }
    Ok(())
}
