//! `bench --idle-conns N`: what a connection costs the server. Opens N idle keep-alive
//! connections (each after one `/healthz`) to `servicehall serve` and to a bare axum
//! "hello" server in its own process (the floor: hyper and tokio alone), then N idle
//! lobby-display streams spread over many halls, and reports each child's RSS growth per
//! connection and the server's CPU while the streams sit idle.

use super::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Displays per hall in the stream phase (a large hall's lobby, corridor and counters).
const PER_HALL: usize = 100;
/// Connections opened at once.
const OPENING: usize = 200;

/// The floor: axum's own `serve` with one route, as a "hello world" would be written.
pub(super) async fn floor(addr: &str) -> CliResult<()> {
    let listener = crate::serve::bind(addr).await?;
    let app = axum::Router::new().route("/healthz", axum::routing::get(|| async { "ok" }));
    axum::serve(listener, app)
        .await
        .map_err(|e| CliError::failed(format!("对照服务器出错 · floor server: {e}")))
}

async fn spawn_floor() -> CliResult<Server> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let child = Command::new(std::env::current_exe()?)
        .args(["bench", "--floor-server"])
        .arg(format!("127.0.0.1:{port}"))
        .stdout(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| {
            CliError::failed(format!(
                "无法启动对照服务器 · cannot start the floor server: {e}"
            ))
        })?;
    let pid = child.id().ok_or_else(|| {
        CliError::failed("对照服务器启动即退出 · the floor server exited at once")
    })?;
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(20);
    while healthz(&base).await.is_err() {
        if Instant::now() > deadline {
            return Err(CliError::failed(
                "对照服务器 20 秒内无应答 · the floor server did not answer in 20 s",
            ));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(Server {
        _child: child,
        base,
        pid,
    })
}

/// Sends `request` on a new connection and reads the reply's head (and, for a reply with a
/// length, its body); the connection stays open.
async fn open(addr: &str, request: String) -> Result<TcpStream, String> {
    let mut s = TcpStream::connect(addr)
        .await
        .map_err(|e| format!("connect: {e}"))?;
    s.write_all(request.as_bytes())
        .await
        .map_err(|e| format!("write: {e}"))?;
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        let n = s.read(&mut chunk).await.map_err(|e| format!("read: {e}"))?;
        if n == 0 {
            return Err("closed by the server".into());
        }
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf);
        if let Some(end) = text.find("\r\n\r\n") {
            if !text.starts_with("HTTP/1.1 200") {
                return Err(text.lines().next().unwrap_or_default().to_string());
            }
            let length = text[..end].lines().find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("content-length:")
                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
            });
            if length.is_none_or(|len| buf.len() >= end + 4 + len) {
                return Ok(s);
            }
        }
    }
}

async fn healthz(base: &str) -> Result<TcpStream, String> {
    let addr = base.trim_start_matches("http://").to_string();
    open(
        &addr,
        format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\n\r\n"),
    )
    .await
}

/// Opens every request of `requests` (at most [`OPENING`] at a time) and keeps the
/// connections; returns them and the first error.
async fn open_all(addr: &str, requests: Vec<String>) -> (Vec<TcpStream>, usize, Option<String>) {
    let addr = addr.to_string();
    let results: Vec<Result<TcpStream, String>> = futures_util::stream::iter(requests)
        .map(|r| {
            let addr = addr.clone();
            async move { open(&addr, r).await }
        })
        .buffer_unordered(OPENING)
        .collect()
        .await;
    let mut open = Vec::new();
    let (mut failed, mut first) = (0, None);
    for r in results {
        match r {
            Ok(s) => open.push(s),
            Err(e) => {
                failed += 1;
                first.get_or_insert(e);
            }
        }
    }
    (open, failed, first)
}

/// RSS once it has settled (the kernel and the allocator catch up within a second).
async fn settled_rss(pid: u32) -> f64 {
    tokio::time::sleep(Duration::from_millis(1500)).await;
    rss_mib(pid).unwrap_or(0.0)
}

/// CPU seconds (user + system) a process has used, from /proc.
fn cpu_secs(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

struct Cost {
    before: f64,
    after: f64,
    open: usize,
    failed: usize,
    first_error: Option<String>,
}

impl Cost {
    fn per_conn_kib(&self) -> f64 {
        (self.after - self.before) * 1024.0 / self.open.max(1) as f64
    }
    fn line(&self, what: &str) -> String {
        let mut s = format!(
            "{what:<46} {:>7} {:>9.1} {:>9.1} {:>10.1}",
            self.open,
            self.before,
            self.after,
            self.per_conn_kib()
        );
        if self.failed > 0 {
            s.push_str(&format!(
                "   {} failed, first: {}",
                self.failed,
                self.first_error.as_deref().unwrap_or("?")
            ));
        }
        s
    }
}

/// Idle keep-alive connections, each after one `/healthz`, to `server`.
async fn idle_cost(server: &Server, n: usize) -> (Cost, Vec<TcpStream>) {
    for _ in 0..50 {
        let _ = healthz(&server.base).await;
    }
    let before = settled_rss(server.pid).await;
    let addr = server.base.trim_start_matches("http://").to_string();
    let req = format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    let (open, failed, first_error) = open_all(&addr, vec![req; n]).await;
    let after = settled_rss(server.pid).await;
    let cost = Cost {
        before,
        after,
        open: open.len(),
        failed,
        first_error,
    };
    (cost, open)
}

pub(super) async fn run(n: usize) -> CliResult<()> {
    if n == 0 {
        return Err(CliError::usage(
            "--idle-conns 至少为 1 · --idle-conns must be at least 1",
        ));
    }
    if let Some(limit) = open_files_limit()
        && limit < n as u64 + 200
    {
        return Err(CliError::usage(format!(
            "打开文件数上限为 {limit}，{n} 个连接至少需要 {}；请先执行 `ulimit -n {}` · open-files limit is {limit}; {n} connections need at least {}: run `ulimit -n {}` first",
            n + 200,
            n + 1000,
            n + 200,
            n + 1000
        )));
    }
    let tmp = std::env::temp_dir().join(format!("servicehall-conns-{}", std::process::id()));
    std::fs::create_dir_all(&tmp)?;
    let result = measure(n, &config::sqlite_url_in(&tmp)).await;
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

async fn measure(n: usize, url: &str) -> CliResult<()> {
    let halls = n.div_ceil(PER_HALL);
    let (store, _) = config::open_store(url).await?;
    let mut tokens = Vec::new();
    for i in 0..halls {
        let h = store
            .create_hall(&hall(&format!("IDLE-{:03}", i + 1)))
            .await?;
        tokens.push((
            h.code.clone(),
            device(&store, h.id, None, DeviceKind::Display).await?,
        ));
    }
    store.pool().close().await;
    drop(store);
    // Connections sit idle longer than the default timeouts would allow while RSS settles;
    // streams opened by the hundred are logged as slow requests, which is no news here.
    let limits = "header_read_timeout_secs = 600\nidle_timeout_secs = 600\n";
    let server = spawn_server_with(url, limits, "error").await?;
    let floor = spawn_floor().await?;
    println!(
        "servicehall bench --idle-conns {n} · server pid {} · floor (axum hello) pid {} · {halls} halls × {PER_HALL} displays",
        server.pid, floor.pid
    );

    let (floor_cost, conns) = idle_cost(&floor, n).await;
    drop(conns);
    let (server_cost, conns) = idle_cost(&server, n).await;
    drop(conns);
    // Gone before the next starts: it holds the data directory's lock until it exits.
    let mut server = server;
    let _ = server._child.kill().await;
    // A fresh server for the streams, so that memory freed by the connections above does
    // not hide what the streams take.
    let server = spawn_server_with(url, limits, "error").await?;
    let _ = healthz(&server.base).await;

    // Idle lobby-display streams: PER_HALL per hall, each hall's display token.
    let before = settled_rss(server.pid).await;
    let addr = server.base.trim_start_matches("http://").to_string();
    let requests = (0..n)
        .map(|i| {
            let (code, token) = &tokens[i / PER_HALL];
            format!(
                "GET /api/v1/halls/{code}/events HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n"
            )
        })
        .collect();
    let (streams, failed, first_error) = open_all(&addr, requests).await;
    let after = settled_rss(server.pid).await;
    let stream_cost = Cost {
        before,
        after,
        open: streams.len(),
        failed,
        first_error,
    };
    // What the open streams cost the server while nothing happens (heartbeats only).
    let watch0 = credential_watch(&server.base).await;
    let cpu0 = cpu_secs(server.pid);
    tokio::time::sleep(Duration::from_secs(10)).await;
    let idle_cpu = cpu_secs(server.pid).zip(cpu0).map(|(b, a)| (b - a) / 10.0);
    let watch1 = credential_watch(&server.base).await;
    let rss_held = rss_mib(server.pid).unwrap_or(0.0);
    drop(streams);

    println!();
    println!(
        "{:<46} {:>7} {:>9} {:>9} {:>10}",
        "", "open", "RSS MiB", "after", "KiB/conn"
    );
    println!(
        "{}",
        floor_cost.line("idle keep-alive: bare axum hello (floor)")
    );
    println!("{}", server_cost.line("idle keep-alive: servicehall serve"));
    println!("{}", stream_cost.line("idle lobby-display streams (SSE)"));
    let floor_kib = floor_cost.per_conn_kib();
    let ratio = server_cost.per_conn_kib() / floor_kib.max(1e-9);
    println!();
    println!(
        "servicehall / floor per idle connection: {ratio:.2}×   target near the floor {}",
        mark(ratio < 1.5)
    );
    println!(
        "{} idle display streams: server RSS {:.1} MiB (after 10 s idle: {rss_held:.1} MiB)   target < 400 MB {}",
        stream_cost.open,
        stream_cost.after,
        mark(stream_cost.open == n && rss_held * 1.048_576 < 400.0)
    );
    if let Some(cpu) = idle_cpu {
        println!(
            "server CPU while the streams idle (heartbeats every 2 s): {:.0} % of one core",
            cpu * 100.0
        );
    }
    if let (Some(a), Some(b)) = (watch0, watch1) {
        println!(
            "credential checks while idle: {} batched queries in {} sweeps over 10 s, for {} credentials (none per stream)",
            b.queries - a.queries,
            b.sweeps - a.sweeps,
            b.credentials
        );
    }
    Ok(())
}

/// The server's credential sweep as `/metrics` shows it (fanout_watch.rs).
#[derive(Clone, Copy)]
struct Watch {
    sweeps: u64,
    queries: u64,
    credentials: u64,
}

async fn credential_watch(base: &str) -> Option<Watch> {
    // Straight to loopback: /metrics answers this machine without a token.
    let client = reqwest::Client::builder().no_proxy().build().ok()?;
    let text = client
        .get(format!("{base}/metrics"))
        .send()
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    let value = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse::<u64>().ok())
    };
    Some(Watch {
        sweeps: value("servicehall_stream_credential_sweeps_total")?,
        queries: value("servicehall_stream_credential_queries_total")?,
        credentials: value("servicehall_stream_credentials")?,
    })
}
