//! The `serve` child a bench loads: started on a free local port with the bench's limits,
//! waited for on `/healthz`; and what the bench reads of a process from /proc.

use crate::{CliError, CliResult};
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};

/// A running `servicehall serve` child.
pub(super) struct Server {
    pub _child: Child,
    pub base: String,
    pub pid: u32,
}

/// The server's `[limits]` for a bench: one client address opens every stream with one
/// display token and issues as fast as it can with two integration tokens, so the sign-in
/// throttle, the stream caps and the issue rates are off (the connection timeouts stay).
pub(super) const BENCH_LIMITS: &str = "[limits]
login_account_failures = 0
login_address_failures = 0
streams_per_credential = 0
streams_per_address = 0
kiosk_issue_per_minute = 0
integration_issue_per_minute = 0
";

pub(super) async fn spawn_server(database: &str) -> CliResult<Server> {
    let log = std::env::var("SERVICEHALL_BENCH_LOG").unwrap_or_else(|_| "warn".into());
    spawn_server_with(database, "", &log).await
}

/// [`spawn_server`] with more `[limits]` lines after the bench's own, logging at `log`.
pub(super) async fn spawn_server_with(
    database: &str,
    more_limits: &str,
    log: &str,
) -> CliResult<Server> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let exe = std::env::current_exe()?;
    let config = std::env::temp_dir().join(format!(
        "servicehall-bench-{}-{port}.toml",
        std::process::id()
    ));
    std::fs::write(&config, format!("{BENCH_LIMITS}{more_limits}"))?;
    let child = Command::new(exe)
        .args(["serve", "--database", database, "--listen"])
        .arg(format!("127.0.0.1:{port}"))
        .arg("--config")
        .arg(&config)
        // SERVICEHALL_BENCH_LOG sets the server's RUST_LOG, e.g. `sqlx::query=debug` to see
        // which statements a phase runs (the server's log goes to this process's stderr).
        .env("RUST_LOG", log)
        .env_remove("SERVICEHALL_CONFIG")
        .stdout(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| {
            CliError::failed(format!(
                "无法启动服务进程 · cannot start `servicehall serve`: {e}"
            ))
        })?;
    let pid = child
        .id()
        .ok_or_else(|| CliError::failed("服务进程启动即退出 · the server exited at once"))?;
    let server = Server {
        _child: child,
        base: format!("http://127.0.0.1:{port}"),
        pid,
    };
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .map_err(http_err)?;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(r) = client.get(format!("{}/healthz", server.base)).send().await
            && r.status().is_success()
        {
            let _ = std::fs::remove_file(&config); // read at start
            return Ok(server);
        }
        if Instant::now() > deadline {
            return Err(CliError::failed(
                "服务进程 20 秒内未应答 /healthz · the server did not answer /healthz in 20 s",
            ));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub(super) fn http_err(e: reqwest::Error) -> CliError {
    CliError::failed(format!("HTTP 请求失败 · HTTP: {e}"))
}

/// Resident memory of a process in MiB, from /proc.
pub(super) fn rss_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// The soft limit on open files, from /proc.
pub(super) fn open_files_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}
