//! `bench`: load a `servicehall serve` child process on 127.0.0.1 and report ratios to the
//! same server's `/healthz`, latencies, live-screen fan-out and memory, in one run.

mod conns;
mod fanout;
pub mod fresh;
pub mod issue;
mod nodes;
mod prepare;
mod server;
use crate::config;
use crate::{CliError, CliResult};
use clap::Args;
use fanout::*;
use futures_util::StreamExt;
use prepare::*;
use serde_json::{Value, json};
use server::*;
use servicehall_domain::{CallingPolicy, DeviceKind, Role};
use servicehall_store::{
    BusinessTypeInput, CounterInput, CounterStore, HallInput, HallStore, SqlStore, StaffInput,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::process::Command;
use tokio::sync::Mutex;

#[derive(Args, Debug)]
#[command(
    after_help = "Needs `ulimit -n` above --displays + 500 (e.g. `ulimit -n 4096`).\n\
Build with `cargo build --release -p servicehall` and run ./target/release/servicehall bench."
)]
pub struct BenchArgs {
    /// Concurrent clients for the request phases. 并发客户端数
    #[arg(long, default_value_t = 64)]
    pub clients: usize,
    /// Seconds per request phase. 每阶段秒数
    #[arg(long, default_value_t = 5)]
    pub seconds: u64,
    /// Live lobby-display connections (SSE) for the fan-out phase. 显示屏连接数
    #[arg(long, default_value_t = 1000)]
    pub displays: usize,
    /// Calls measured in the fan-out phase. 叫号次数
    #[arg(long, default_value_t = 20)]
    pub calls: usize,
    /// A demo data directory whose database to serve for the memory figure
    /// (made by `servicehall demo --no-serve`). 演示数据目录
    #[arg(long, default_value = "./data/demo")]
    pub demo_data: PathBuf,
    /// Instead: two nodes on this empty PostgreSQL database (cross-node fan-out, hall
    /// isolation). 两个节点共用的空 PostgreSQL 数据库
    #[arg(long)]
    pub nodes_pg: Option<String>,
    /// Instead: per-connection memory. Opens this many idle keep-alive connections to the
    /// server and to a bare axum "hello" server (the floor), then as many idle lobby-display
    /// streams spread over many halls, and reports each server's RSS per connection.
    /// 空闲连接数（测每连接内存）
    #[arg(long)]
    pub idle_conns: Option<usize>,
    /// Internal: serve the bare "hello" floor on this address (started by --idle-conns).
    #[arg(long, hide = true)]
    pub floor_server: Option<String>,
}

#[derive(Default)]
struct Load {
    ok: usize,
    errors: usize,
    first_error: Option<String>,
    /// Microseconds.
    latencies: Vec<u64>,
    elapsed: Duration,
}

impl Load {
    fn rate(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
    fn pct_ms(&mut self, p: f64) -> f64 {
        percentile(&mut self.latencies, p) as f64 / 1000.0
    }
}

fn percentile(xs: &mut [u64], p: f64) -> u64 {
    if xs.is_empty() {
        return 0;
    }
    xs.sort_unstable();
    let i = ((xs.len() as f64 - 1.0) * p).round() as usize;
    xs[i.min(xs.len() - 1)]
}

/// Runs `op(client_index)` in `clients` concurrent tasks for `dur`.
async fn load<F, Fut>(clients: usize, dur: Duration, op: F) -> Load
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<bool, String>> + Send,
{
    let op = Arc::new(op);
    let start = Instant::now();
    let deadline = start + dur;
    let mut tasks = Vec::new();
    for i in 0..clients {
        let op = op.clone();
        tasks.push(tokio::spawn(async move {
            let mut l = Load::default();
            while Instant::now() < deadline {
                let t = Instant::now();
                match tokio::time::timeout(Duration::from_secs(10), op(i)).await {
                    Ok(Ok(true)) => {
                        l.ok += 1;
                        l.latencies.push(t.elapsed().as_micros() as u64);
                    }
                    Ok(Ok(false)) => {}
                    Ok(Err(e)) => {
                        l.errors += 1;
                        l.first_error.get_or_insert(e);
                        tokio::time::sleep(Duration::from_millis(5)).await;
                    }
                    Err(_) => {
                        l.errors += 1;
                        l.first_error.get_or_insert("timed out after 10 s".into());
                    }
                }
            }
            l
        }));
    }
    let mut total = Load::default();
    for t in tasks {
        if let Ok(l) = t.await {
            total.ok += l.ok;
            total.errors += l.errors;
            if total.first_error.is_none() {
                total.first_error = l.first_error;
            }
            total.latencies.extend(l.latencies);
        }
    }
    total.elapsed = start.elapsed();
    total
}

async fn expect_json(r: reqwest::RequestBuilder, what: &str) -> Result<Value, String> {
    let resp = r.send().await.map_err(|e| format!("{what}: {e}"))?;
    let status = resp.status();
    if !status.is_success() {
        let body = resp.text().await.unwrap_or_default();
        return Err(format!("{what}: {status} {body}"));
    }
    if status == reqwest::StatusCode::NO_CONTENT {
        return Ok(Value::Null);
    }
    resp.json::<Value>()
        .await
        .map_err(|e| format!("{what}: {e}"))
}

/// A signed-in clerk: (cookie header value, csrf).
async fn login(client: &reqwest::Client, base: &str, user: &str) -> CliResult<(String, String)> {
    let resp = client
        .post(format!("{base}/api/v1/session"))
        .json(&json!({"username": user, "password": PASSWORD}))
        .send()
        .await
        .map_err(http_err)?;
    if !resp.status().is_success() {
        return Err(CliError::failed(format!(
            "login as {user}: {}",
            resp.status()
        )));
    }
    let cookie = resp
        .headers()
        .get(reqwest::header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
        .ok_or_else(|| CliError::failed("登录未返回会话 cookie · login set no cookie"))?;
    let body: Value = resp.json().await.map_err(http_err)?;
    let csrf = body["csrf"].as_str().unwrap_or_default().to_string();
    Ok((cookie, csrf))
}

struct Clerk {
    counter: i64,
    cookie: String,
    csrf: String,
    evaluator: String,
}

/// One full visit: issue → call next → start → finish → rating. `false` when another
/// counter took the ticket meanwhile and none was waiting for this one.
async fn cycle(
    client: &reqwest::Client,
    base: &str,
    hall: &str,
    issue_token: &str,
    clerk: &Clerk,
) -> Result<bool, String> {
    expect_json(
        client
            .post(format!("{base}/api/v1/halls/{hall}/tickets"))
            .bearer_auth(issue_token)
            .json(&json!({"business_type": "inquiry"})),
        "issue",
    )
    .await?;
    let staff = |r: reqwest::RequestBuilder| {
        r.header(reqwest::header::COOKIE, &clerk.cookie)
            .header("X-CSRF-Token", &clerk.csrf)
    };
    let called = expect_json(
        staff(client.post(format!(
            "{base}/api/v1/counters/{}/call-next",
            clerk.counter
        ))),
        "call-next",
    )
    .await?;
    let Some(id) = called["id"].as_i64() else {
        return Ok(false);
    };
    for action in ["start", "finish"] {
        expect_json(
            staff(client.post(format!("{base}/api/v1/tickets/{id}/{action}"))),
            action,
        )
        .await?;
    }
    expect_json(
        client
            .post(format!("{base}/api/v1/tickets/{id}/rating"))
            .bearer_auth(&clerk.evaluator)
            .json(&json!({"level": 5})),
        "rating",
    )
    .await?;
    Ok(true)
}

fn mark(ok: bool) -> &'static str {
    if ok { "✓" } else { "✗" }
}

/// Serves a copy of the demo database and returns the child's RSS after a few requests.
async fn demo_rss(dir: &Path, tmp: &Path) -> CliResult<Option<(f64, usize)>> {
    let src = dir.join("servicehall.db");
    if !src.exists() {
        return Ok(None);
    }
    let copy = tmp.join("demo-copy");
    std::fs::create_dir_all(&copy)?;
    // The demo may be running: copy through SQLite's own backup would be safer, but a copy of
    // the file and its WAL is good enough for a memory figure.
    for ext in ["", "-wal"] {
        let from = PathBuf::from(format!("{}{ext}", src.display()));
        if from.exists() {
            std::fs::copy(&from, copy.join(format!("servicehall.db{ext}")))?;
        }
    }
    let server = spawn_server(&config::sqlite_url_in(&copy)).await?;
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .map_err(http_err)?;
    let base = &server.base;
    let resp = client
        .post(format!("{base}/api/v1/session"))
        .json(&json!({"username": "manager", "password": crate::demo::hall::DEMO_PASSWORD}))
        .send()
        .await
        .map_err(http_err)?;
    let cookie = resp
        .headers()
        .get(reqwest::header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
        .unwrap_or_default();
    let mut ok = 0;
    for path in [
        "/api/v1/halls/DL-XG",
        "/api/v1/halls/DL-XG/queue",
        "/api/v1/halls/DL-XG/stats/today",
        "/api/openapi.json",
    ] {
        for _ in 0..20 {
            if let Ok(r) = client
                .get(format!("{base}{path}"))
                .header(reqwest::header::COOKIE, &cookie)
                .send()
                .await
                && r.status().is_success()
            {
                let _ = r.bytes().await;
                ok += 1;
            }
        }
    }
    let rss = rss_mib(server.pid);
    drop(server);
    Ok(rss.map(|r| (r, ok)))
}

pub async fn run(args: BenchArgs) -> CliResult<()> {
    if args.clients == 0 || args.seconds == 0 {
        return Err(CliError::usage(
            "--clients and --seconds must be at least 1",
        ));
    }
    if let Some(addr) = &args.floor_server {
        return conns::floor(addr).await;
    }
    if let Some(n) = args.idle_conns {
        return conns::run(n).await;
    }
    let mut displays = args.displays;
    if let Some(limit) = open_files_limit() {
        let need = displays as u64 + args.clients as u64 * 2 + 200;
        if limit < need {
            let fit = limit.saturating_sub(args.clients as u64 * 2 + 200) as usize;
            eprintln!(
                "note: open-files limit is {limit}; {displays} displays need about {need}. \
                 Using {fit} displays. Raise it with `ulimit -n 4096` and run again."
            );
            displays = fit;
        }
    }
    if let Some(pg) = &args.nodes_pg {
        return nodes::run(&args, displays, pg).await;
    }
    let tmp = std::env::temp_dir().join(format!("servicehall-bench-{}", std::process::id()));
    std::fs::create_dir_all(&tmp)?;
    let url = config::sqlite_url_in(&tmp);
    let result = bench(&args, displays, &url, &tmp).await;
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

async fn bench(args: &BenchArgs, displays: usize, url: &str, tmp: &Path) -> CliResult<()> {
    let (store, _) = config::open_store(url).await?;
    let p = prepare(&store, args.clients).await?;
    store.pool().close().await;
    drop(store);

    let server = spawn_server(url).await?;
    let base = server.base.clone();
    let dur = Duration::from_secs(args.seconds);
    let n = args.clients;
    println!(
        "servicehall bench · {} clients × {} s · {} displays · server pid {} on {base} (SQLite WAL, synchronous=FULL)",
        n, args.seconds, displays, server.pid
    );
    let client = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(n * 2)
        .build()
        .map_err(http_err)?;

    // 1. /healthz: the server's ceiling on this machine.
    let c = client.clone();
    let b = base.clone();
    let mut health = load(n, dur, move |_| {
        let c = c.clone();
        let url = format!("{b}/healthz");
        async move {
            let r = c.get(url).send().await.map_err(|e| e.to_string())?;
            r.bytes().await.map_err(|e| e.to_string())?;
            Ok(true)
        }
    })
    .await;
    let h = health.rate();

    // 2. Issuing tickets.
    let c = client.clone();
    let b = base.clone();
    let (hall_a, token_a) = (p.hall_a.clone(), p.issue_token_a.clone());
    let mut issue = load(n, dur, move |_| {
        let c = c.clone();
        let url = format!("{b}/api/v1/halls/{hall_a}/tickets");
        let token = token_a.clone();
        async move {
            // Like the /healthz phase, read the reply as bytes: the load generator shares
            // the two cores with the server, so it builds and parses nothing it need not.
            let r = c
                .post(url)
                .bearer_auth(token)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(r#"{"business_type":"inquiry"}"#)
                .send()
                .await
                .map_err(|e| format!("issue: {e}"))?;
            let status = r.status();
            let body = r.bytes().await.map_err(|e| format!("issue: {e}"))?;
            if status != reqwest::StatusCode::CREATED {
                return Err(format!(
                    "issue: {status} {}",
                    String::from_utf8_lossy(&body)
                ));
            }
            Ok(true)
        }
    })
    .await;

    // 3. Full visits, one clerk per client.
    let mut clerks = Vec::new();
    for (counter, user, evaluator) in &p.counters {
        let (cookie, csrf) = login(&client, &base, user).await?;
        clerks.push(Clerk {
            counter: *counter,
            cookie,
            csrf,
            evaluator: evaluator.clone(),
        });
    }
    let clerks = Arc::new(clerks);
    let c = client.clone();
    let b = base.clone();
    let (hall_b, token_b) = (p.hall_b.clone(), p.issue_token_b.clone());
    let mut full = load(n, dur, move |i| {
        let c = c.clone();
        let b = b.clone();
        let hall = hall_b.clone();
        let token = token_b.clone();
        let clerks = clerks.clone();
        async move { cycle(&c, &b, &hall, &token, &clerks[i]).await }
    })
    .await;
    let rss_loaded = rss_mib(server.pid);

    // 4. Live fan-out to lobby displays.
    let (mut fan, tasks, stop) = fanout(&base, &base, &p, displays, args.calls).await?;
    let rss_displays = rss_mib(server.pid);
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.abort();
    }
    drop(server);
    let demo = demo_rss(&args.demo_data, tmp).await?;

    let ratio = |x: f64| x / h.max(1e-9);
    println!();
    println!(
        "{:<44} {:>10} {:>9} {:>9} {:>9}   target",
        "", "rate/s", "× healthz", "p50 ms", "p99 ms"
    );
    let (h50, h99) = (health.pct_ms(0.5), health.pct_ms(0.99));
    println!(
        "{:<44} {:>10.0} {:>9.3} {:>9.2} {:>9.2}",
        "GET /healthz", h, 1.0, h50, h99
    );
    let (i50, i99) = (issue.pct_ms(0.5), issue.pct_ms(0.99));
    let ir = ratio(issue.rate());
    println!(
        "{:<44} {:>10.0} {:>9.3} {:>9.2} {:>9.2}   ≥ 0.25× {} · p99 < 20 ms {}",
        "POST tickets (issue)",
        issue.rate(),
        ir,
        i50,
        i99,
        mark(ir >= 0.25),
        mark(i99 < 20.0)
    );
    let (f50, f99) = (full.pct_ms(0.5), full.pct_ms(0.99));
    println!(
        "{:<44} {:>10.0} {:>9.3} {:>9.2} {:>9.2}   (5 requests per visit)",
        "visit: issue→call→start→finish→rating",
        full.rate(),
        ratio(full.rate()),
        f50,
        f99
    );
    for (name, l) in [("healthz", &health), ("issue", &issue), ("visit", &full)] {
        if l.errors > 0 {
            println!(
                "  {name}: {} errors, first: {}",
                l.errors,
                l.first_error.as_deref().unwrap_or("?")
            );
        }
    }
    let c50 = percentile(&mut fan.latencies_us, 0.5) as f64 / 1000.0;
    let c99 = percentile(&mut fan.latencies_us, 0.99) as f64 / 1000.0;
    let cmax = fan.latencies_us.iter().max().copied().unwrap_or(0) as f64 / 1000.0;
    println!();
    println!(
        "call → `called` on {} displays ({} failed to connect), {} calls: p50 {c50:.1} ms, p99 {c99:.1} ms, max {cmax:.1} ms; delivered {}/{}   target p99 < 100 ms {}",
        fan.connected,
        fan.failed,
        fan.calls,
        fan.delivered,
        fan.expected,
        mark(c99 < 100.0 && fan.delivered == fan.expected)
    );
    let fmt = |r: Option<f64>| r.map_or("n/a".to_string(), |r| format!("{r:.1} MiB"));
    // The target is the issue's "resident memory under 64 MB with the demo hall loaded";
    // the figures under this bench's own load are for comparison.
    println!(
        "server RSS after the request phases: {}; with {} displays connected: {}",
        fmt(rss_loaded),
        fan.connected,
        fmt(rss_displays),
    );
    match demo {
        Some((r, ok)) => println!(
            "server RSS over the demo database ({}): {r:.1} MiB after {ok} API reads   target < 64 MB {}",
            args.demo_data.display(),
            mark(r < 64.0)
        ),
        None => println!(
            "server RSS over a demo database: skipped (no {}/servicehall.db; run `servicehall demo --no-serve` first)",
            args.demo_data.display()
        ),
    }
    Ok(())
}
