//! `bench-issue`: the issue path's targets, each as a ratio in one run against `serve`
//! child processes. On SQLite: issuing for `--seconds` (60 by default) at `--clients`, the
//! rate and p99 per sixth of the run (10 s windows at 60 s), last window over first. On
//! PostgreSQL: one hall's issue rate against `/healthz` on the same node, then two halls on
//! two nodes at once against one hall on one node. Both end by counting the tickets in the
//! database against the 201s received; a difference exits non-zero.

use super::*;

#[derive(Args, Debug)]
pub struct BenchIssueArgs {
    /// Concurrent clients. 并发客户端数
    #[arg(long, default_value_t = 64)]
    pub clients: usize,
    /// Seconds per phase (SQLite: the whole sustained run, reported in six windows).
    /// 每阶段秒数
    #[arg(long, default_value_t = 60)]
    pub seconds: u64,
    /// Database: `sqlite:PATH` (recreated) or a `postgres://…` URL of an empty database.
    /// [default: sqlite:./data/bench-issue/servicehall.db]
    #[arg(long, conflicts_with = "data_dir")]
    pub database: Option<String>,
    /// A data directory; means `--database sqlite:DIR/servicehall.db` (recreated). 数据目录
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
}

/// Completions of one phase: (finished at, µs since the phase began; latency µs).
#[derive(Default)]
struct Timed {
    done: Vec<(u64, u64)>,
    errors: usize,
    first_error: Option<String>,
    elapsed: Duration,
}

impl Timed {
    fn rate(&self) -> f64 {
        self.done.len() as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
    fn p99_ms(&self) -> f64 {
        let mut l: Vec<u64> = self.done.iter().map(|d| d.1).collect();
        percentile(&mut l, 0.99) as f64 / 1000.0
    }
    /// (completions, rate/s, p99 ms) of each of `n` equal windows.
    fn windows(&self, n: usize) -> Vec<(usize, f64, f64)> {
        let span = (self.elapsed.as_micros() as u64 / n as u64).max(1);
        (0..n as u64)
            .map(|k| {
                let mut l: Vec<u64> = self
                    .done
                    .iter()
                    .filter(|d| d.0 / span == k || (k + 1 == n as u64 && d.0 / span >= k))
                    .map(|d| d.1)
                    .collect();
                let rate = l.len() as f64 / (span as f64 / 1e6);
                (l.len(), rate, percentile(&mut l, 0.99) as f64 / 1000.0)
            })
            .collect()
    }
    fn report_errors(&self, name: &str) {
        if self.errors > 0 {
            println!(
                "  {name}: {} errors, first: {}",
                self.errors,
                self.first_error.as_deref().unwrap_or("?")
            );
        }
    }
}

/// `clients` tasks issuing for `hall` through `base` (or reading `/healthz` when `hall` is
/// None) for `dur`, each completion timed.
async fn timed(base: &str, hall: Option<(&str, &str)>, clients: usize, dur: Duration) -> Timed {
    let client = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(clients * 2)
        .build()
        .unwrap_or_default();
    let (url, token) = match hall {
        Some((code, token)) => (
            format!("{base}/api/v1/halls/{code}/tickets"),
            token.to_string(),
        ),
        None => (format!("{base}/healthz"), String::new()),
    };
    let start = Instant::now();
    let deadline = start + dur;
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (c, url, token) = (client.clone(), url.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            let mut t = Timed::default();
            while Instant::now() < deadline {
                let began = Instant::now();
                let req = if token.is_empty() {
                    c.get(&url)
                } else {
                    c.post(&url)
                        .bearer_auth(&token)
                        .header(reqwest::header::CONTENT_TYPE, "application/json")
                        .body(r#"{"business_type":"inquiry"}"#)
                };
                let res = async {
                    let r = req.send().await.map_err(|e| e.to_string())?;
                    let status = r.status();
                    r.bytes().await.map_err(|e| e.to_string())?;
                    if status.is_success() {
                        Ok(())
                    } else {
                        Err(format!("HTTP {status}"))
                    }
                };
                match tokio::time::timeout(Duration::from_secs(10), res).await {
                    Ok(Ok(())) => t.done.push((
                        (began - start).as_micros() as u64 + began.elapsed().as_micros() as u64,
                        began.elapsed().as_micros() as u64,
                    )),
                    Ok(Err(e)) => {
                        t.errors += 1;
                        t.first_error.get_or_insert(e);
                        tokio::time::sleep(Duration::from_millis(5)).await;
                    }
                    Err(_) => {
                        t.errors += 1;
                        t.first_error.get_or_insert("timed out after 10 s".into());
                    }
                }
            }
            t
        }));
    }
    let mut all = Timed::default();
    for task in tasks {
        if let Ok(t) = task.await {
            all.done.extend(t.done);
            all.errors += t.errors;
            if all.first_error.is_none() {
                all.first_error = t.first_error;
            }
        }
    }
    all.elapsed = start.elapsed();
    all
}

pub async fn run(args: BenchIssueArgs) -> CliResult<()> {
    if args.clients == 0 || args.seconds == 0 {
        return Err(CliError::usage(
            "--clients 与 --seconds 至少为 1 · --clients and --seconds must be at least 1",
        ));
    }
    let url = crate::bench::fresh::bench_url(
        args.database.as_deref(),
        args.data_dir.as_ref(),
        "bench-issue",
        false,
    )?;
    let (store, _) = config::open_store(&url).await?;
    let p = prepare(&store, 1).await?;
    store.pool().close().await;
    drop(store);
    let dur = Duration::from_secs(args.seconds);
    let issued = if url.starts_with("sqlite:") {
        sustained(&args, &url, &p, dur).await?
    } else {
        postgres(&args, &url, &p, dur).await?
    };
    // Every 201 is a ticket in the database and every ticket had its 201.
    let (store, _) = config::open_store(&url).await?;
    let in_db: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tickets")
        .fetch_one(store.pool())
        .await
        .map_err(|e| CliError::failed(format!("无法清点票号 · count tickets: {e}")))?;
    println!(
        "tickets in the database: {in_db}; issued (201): {issued}   {}",
        mark(in_db == issued as i64)
    );
    if in_db != issued as i64 {
        return Err(CliError::failed(format!(
            "数据库中的号票数与成功取号数不符 · tickets in the database ({in_db}) differ from the issues answered 201 ({issued})"
        )));
    }
    Ok(())
}

/// SQLite: one long issuing run, in six windows.
async fn sustained(
    args: &BenchIssueArgs,
    url: &str,
    p: &Prepared,
    dur: Duration,
) -> CliResult<usize> {
    let server = spawn_server(url).await?;
    println!(
        "servicehall bench-issue · SQLite (WAL, synchronous=FULL) · {} clients × {} s · server pid {}",
        args.clients, args.seconds, server.pid
    );
    let run = timed(
        &server.base,
        Some((&p.hall_a, &p.issue_token_a)),
        args.clients,
        dur,
    )
    .await;
    let w = run.windows(6);
    let span = args.seconds as f64 / 6.0;
    for (k, (count, rate, p99)) in w.iter().enumerate() {
        println!(
            "  {:>5.1}–{:<5.1} s: {count:>7} tickets, {rate:>7.0} issues/s, p99 {p99:>6.1} ms   target p99 < 20 ms {}",
            k as f64 * span,
            (k + 1) as f64 * span,
            mark(*p99 < 20.0)
        );
    }
    let ratio = w[5].1 / w[0].1.max(1e-9);
    println!(
        "issue on SQLite: {:.0}/s over {} s, p99 {:.1} ms; last window / first: {ratio:.2}   target ≥ 0.9 {}",
        run.rate(),
        args.seconds,
        run.p99_ms(),
        mark(ratio >= 0.9)
    );
    run.report_errors("issue");
    Ok(run.done.len())
}

/// PostgreSQL: one hall against `/healthz`, then two halls on two nodes against one.
async fn postgres(
    args: &BenchIssueArgs,
    url: &str,
    p: &Prepared,
    dur: Duration,
) -> CliResult<usize> {
    let a = spawn_server(url).await?;
    let b = spawn_server(url).await?;
    println!(
        "servicehall bench-issue · PostgreSQL · nodes A pid {} and B pid {} · {} clients × {} s per phase",
        a.pid, b.pid, args.clients, args.seconds
    );
    let n = args.clients;
    let health = timed(&a.base, None, n, dur).await;
    let one = timed(&a.base, Some((&p.hall_a, &p.issue_token_a)), n, dur).await;
    let ratio = one.rate() / health.rate().max(1e-9);
    println!(
        "GET /healthz on A: {:.0}/s, p99 {:.1} ms",
        health.rate(),
        health.p99_ms()
    );
    println!(
        "one hall on A: {:.0} issues/s ({ratio:.3}× /healthz), p99 {:.1} ms   target ≥ 0.05× {} · p99 < 50 ms {}",
        one.rate(),
        one.p99_ms(),
        mark(ratio >= 0.05),
        mark(one.p99_ms() < 50.0)
    );
    // Both halls at once, each on its own node, each with the clients of the one-node phase.
    let (ha, hb) = tokio::join!(
        timed(&a.base, Some((&p.hall_a, &p.issue_token_a)), n, dur),
        timed(&b.base, Some((&p.hall_b, &p.issue_token_b)), n, dur)
    );
    let both = ha.rate() + hb.rate();
    let scale = both / one.rate().max(1e-9);
    println!(
        "two halls on two nodes: {:.0} + {:.0} = {both:.0} issues/s (p99 {:.1} / {:.1} ms); × one node: {scale:.2}   target ≥ 1.6 {}",
        ha.rate(),
        hb.rate(),
        ha.p99_ms(),
        hb.p99_ms(),
        mark(scale >= 1.6)
    );
    for (name, t) in [
        ("healthz", &health),
        ("one hall", &one),
        ("hall A", &ha),
        ("hall B", &hb),
    ] {
        t.report_errors(name);
    }
    Ok(one.done.len() + ha.done.len() + hb.done.len())
}
