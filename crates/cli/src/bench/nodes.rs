//! `bench --nodes-pg URL`: two `servicehall serve` nodes on one PostgreSQL database.
//! Cross-node fan-out: displays on node B, calls made on node A, the time from each
//! `call-next` on A to every display's receipt on B. Hall isolation: the issue rate of one
//! hall with and without a crowd of displays watching another hall on the same node.

use super::*;

/// One issuing phase on `hall` through `base` (the request phase of the single-node bench).
async fn issue_rate(base: &str, hall: &str, token: &str, clients: usize, dur: Duration) -> Load {
    let client = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(clients * 2)
        .build()
        .unwrap_or_default();
    let url = format!("{base}/api/v1/halls/{hall}/tickets");
    let token = token.to_string();
    load(clients, dur, move |_| {
        let (c, url, token) = (client.clone(), url.clone(), token.clone());
        async move {
            let r = c
                .post(url)
                .bearer_auth(token)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(r#"{"business_type":"inquiry"}"#)
                .send()
                .await
                .map_err(|e| format!("issue: {e}"))?;
            let status = r.status();
            r.bytes().await.map_err(|e| format!("issue: {e}"))?;
            if status != reqwest::StatusCode::CREATED {
                return Err(format!("issue: {status}"));
            }
            Ok(true)
        }
    })
    .await
}

pub(super) async fn run(args: &BenchArgs, displays: usize, pg: &str) -> CliResult<()> {
    if !pg.starts_with("postgres") {
        return Err(CliError::usage(
            "--nodes-pg 须为一个空的 PostgreSQL 数据库地址 · --nodes-pg needs the URL of an empty PostgreSQL database",
        ));
    }
    let (store, _) = config::open_store(pg).await?;
    let p = prepare(&store, 1).await?;
    store.pool().close().await;
    drop(store);
    let a = spawn_server(pg).await?;
    let b = spawn_server(pg).await?;
    let dur = Duration::from_secs(args.seconds);
    println!(
        "servicehall bench · two nodes on one PostgreSQL · A pid {} {}, B pid {} {} · {} displays on B · {} clients × {} s",
        a.pid, a.base, b.pid, b.base, displays, args.clients, args.seconds
    );
    // 1. Hall A's issue rate on node B, nobody watching hall B.
    let mut quiet = issue_rate(&b.base, &p.hall_a, &p.issue_token_a, args.clients, dur).await;
    // 2. Displays on B watch hall B; its calls are made on A.
    let (mut fan, tasks, stop) = fanout(&b.base, &a.base, &p, displays, args.calls).await?;
    // 3. Hall A's issue rate on node B again, with the displays still watching hall B.
    let mut crowded = issue_rate(&b.base, &p.hall_a, &p.issue_token_a, args.clients, dur).await;
    stop.store(true, Ordering::SeqCst);
    for t in tasks {
        t.abort();
    }
    let c50 = percentile(&mut fan.latencies_us, 0.5) as f64 / 1000.0;
    let c99 = percentile(&mut fan.latencies_us, 0.99) as f64 / 1000.0;
    let cmax = fan.latencies_us.iter().max().copied().unwrap_or(0) as f64 / 1000.0;
    println!(
        "call on A → `called` on {} displays on B ({} failed to connect), {} calls: p50 {c50:.1} ms, p99 {c99:.1} ms, max {cmax:.1} ms; delivered {}/{}   target p99 < 250 ms {}",
        fan.connected,
        fan.failed,
        fan.calls,
        fan.delivered,
        fan.expected,
        mark(c99 < 250.0 && fan.delivered == fan.expected)
    );
    let ratio = crowded.rate() / quiet.rate().max(1e-9);
    println!(
        "hall A issue on B: {:.0}/s (p99 {:.1} ms) alone, {:.0}/s (p99 {:.1} ms) with {} displays on hall B: ratio {ratio:.2}   target ≥ 0.8 {}",
        quiet.rate(),
        quiet.pct_ms(0.99),
        crowded.rate(),
        crowded.pct_ms(0.99),
        fan.connected,
        mark(ratio >= 0.8)
    );
    for (name, l) in [("alone", &quiet), ("crowded", &crowded)] {
        if l.errors > 0 {
            println!(
                "  {name}: {} errors, first: {}",
                l.errors,
                l.first_error.as_deref().unwrap_or("?")
            );
        }
    }
    Ok(())
}
