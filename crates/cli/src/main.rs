//! `servicehall`: one binary for a hall's mini-PC or a province's server farm.
//!
//! Subcommands: `init`, `serve`, `migrate`, `backup`, `restore`, `token create`, `demo`,
//! `bench`, `calendar`, `audit`, `bench-calendar`, `bench-satisfaction`, `bench-case-scan`,
//! `staffing`, `simulate`.

mod assessment;
mod audit;
mod bench;
mod bench_call_next;
mod bench_case_scan;
mod bench_conformance;
mod bench_handling;
mod bench_report;
mod bench_satisfaction;
mod calendar;
mod config;
mod config_limits;
mod demo;
mod edge;
mod halls;
mod init;
mod ops;
mod prng;
mod report;
mod rollup;
mod serve;
mod staffing;
mod token;
mod token_admin;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// ServiceHall — 供电营业厅服务系统 (State Grid customer-service hall software).
#[derive(Parser, Debug)]
#[command(name = "servicehall", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Set up an empty database: the schema and the first administrator.
    /// 初始化：建库并创建首位系统管理员。
    Init(init::InitArgs),
    /// Serve every screen and the API of the halls in a database.
    /// 启动服务：营业厅全部界面与 API。
    Serve(config::ServeArgs),
    /// A hall as one YAML file: export, import. 营业厅文件导出、导入
    #[command(subcommand)]
    Hall(halls::HallCommand),
    /// Apply database migrations and print which were applied. 执行数据库迁移。
    Migrate(config::MigrateArgs),
    /// A checked copy of a SQLite database, taken while the server runs. 在线备份
    Backup(ops::backup::BackupArgs),
    /// Put a backup in place of a SQLite database, the server stopped. 从备份恢复
    Restore(ops::restore::RestoreArgs),
    /// Device tokens (kiosk, display, evaluator …). 设备令牌。
    #[command(subcommand)]
    Token(token::TokenCommand),
    /// Create (or reuse) a realistic demo hall with 30 days of history, then serve it.
    /// 演示：生成大连西岗营业厅演示数据并启动服务。
    Demo(demo::DemoArgs),
    /// Measure throughput, latency, live-screen fan-out and memory of a `serve` child process.
    /// 性能测试。
    Bench(bench::BenchArgs),
    /// Working days, deadlines and working time (限时办结). 工作日历
    #[command(subcommand)]
    Calendar(calendar::CalendarCommand),
    /// Deadlines per second and the overdue scan over a million open cases. 日历性能测试
    BenchCalendar(calendar::bench::BenchCalendarArgs),
    /// The satisfaction view over a province-sized year (1,000 halls, up to 10M ratings).
    /// 满意度视图性能测试
    BenchSatisfaction(bench_satisfaction::BenchSatisfactionArgs),
    /// Recompute the daily roll-up of ratings from the ratings (after a bulk load or restore).
    /// 重建评价日汇总
    RollupRebuild(config::MigrateArgs),
    /// The case warning scan over 100k open cases, before and after the warning index.
    /// 工单预警扫描性能测试
    BenchCaseScan(bench_case_scan::BenchCaseScanArgs),
    /// call-next at 500k waiting: ranking the whole queue vs candidates read by index.
    /// 叫号性能测试
    BenchCallNext(bench_call_next::BenchCallNextArgs),
    /// A day's first wait estimate at 500k finished visits: full read vs kept sums.
    /// 办理时长读取性能测试
    BenchHandling(bench_handling::BenchHandlingArgs),
    /// Issue throughput: sustained on SQLite; on PostgreSQL against /healthz and across nodes.
    /// 取号吞吐性能测试
    BenchIssue(bench::issue::BenchIssueArgs),
    /// The tamper-evident record: verify the chains, show their heads. 防篡改记录
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// The fewest counters for a load and service level (Erlang C). 排班建议：所需窗口数
    Staffing(staffing::StaffingArgs),
    /// Simulate a hall's queue (M/M/c, seeded): mean wait and service level. 排队模拟
    Simulate(staffing::SimulateArgs),
    /// Indicators' daily figures (督查 · 考核): rebuild from the logs, or check them.
    /// 指标日汇总：重建或核对
    #[command(subcommand)]
    Assessment(assessment::AssessmentCommand),
    /// The conformance page's year for one hall from the kept figures vs the naive scan.
    /// 标准达标页性能测试
    BenchConformance(bench_conformance::BenchConformanceArgs),
    /// A province-year (1,000 halls, 100M visits) of kept figures: the region's monthly
    /// report and a hall's conformance page against the naive sum. 省级月报性能测试
    BenchReport(bench_report::BenchReportArgs),
    /// Monthly reports (月度报告): a hall's or a region's month as an A4 page or a workbook.
    /// 月度报告
    #[command(subcommand)]
    Report(report::ReportCommand),
}

/// An error with the exit code it deserves: 2 for bad input, 1 for everything else.
#[derive(Debug)]
pub struct CliError {
    pub code: u8,
    pub message: String,
}

impl CliError {
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            code: 2,
            message: message.into(),
        }
    }
    pub fn failed(message: impl Into<String>) -> Self {
        Self {
            code: 1,
            message: message.into(),
        }
    }
}

impl From<servicehall_store::StoreError> for CliError {
    fn from(e: servicehall_store::StoreError) -> Self {
        Self::failed(e.to_string())
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        Self::failed(e.to_string())
    }
}

pub type CliResult<T> = Result<T, CliError>;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("servicehall: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let result = rt.block_on(async move {
        match cli.command {
            Command::Init(args) => init::run(args).await,
            Command::Hall(cmd) => halls::run(cmd).await,
            Command::Serve(args) => serve::run(args).await,
            Command::Migrate(args) => serve::migrate(args).await,
            Command::Backup(args) => ops::backup::run(args).await,
            Command::Restore(args) => ops::restore::run(args).await,
            Command::Token(cmd) => token::run(cmd).await,
            Command::Demo(args) => demo::run(args).await,
            Command::Bench(args) => bench::run(args).await,
            Command::Calendar(cmd) => calendar::run(cmd),
            Command::BenchCalendar(args) => calendar::bench::run(args),
            Command::BenchSatisfaction(args) => bench_satisfaction::run(args).await,
            Command::RollupRebuild(args) => rollup::rebuild(args).await,
            Command::BenchCaseScan(args) => bench_case_scan::run(args).await,
            Command::BenchCallNext(args) => bench_call_next::run(args).await,
            Command::BenchHandling(args) => bench_handling::run(args).await,
            Command::BenchIssue(args) => bench::issue::run(args).await,
            Command::Audit(cmd) => audit::run(cmd).await,
            Command::Staffing(args) => staffing::staffing(args),
            Command::Simulate(args) => staffing::simulate(args),
            Command::Assessment(cmd) => assessment::run(cmd).await,
            Command::BenchConformance(args) => bench_conformance::run(args).await,
            Command::BenchReport(args) => bench_report::run(args).await,
            Command::Report(cmd) => report::run(cmd).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("servicehall: {}", e.message);
            ExitCode::from(e.code)
        }
    }
}
