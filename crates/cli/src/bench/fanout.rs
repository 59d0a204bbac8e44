//! The live-screen phase of `bench`: displays on the hall's event stream, and the time from
//! each `call-next` to every display's receipt of its `called` event.

use super::*;

/// Each display records when it saw each `called` event: ticket id → instants.
pub(super) type Seen = Arc<Mutex<HashMap<i64, Vec<Instant>>>>;

pub(super) async fn display_task(
    client: reqwest::Client,
    url: String,
    token: String,
    connected: Arc<AtomicUsize>,
    failed: Arc<AtomicUsize>,
    seen: Seen,
    stop: Arc<AtomicBool>,
) {
    let resp = match client.get(&url).bearer_auth(&token).send().await {
        Ok(r) if r.status().is_success() => r,
        _ => {
            failed.fetch_add(1, Ordering::SeqCst);
            return;
        }
    };
    connected.fetch_add(1, Ordering::SeqCst);
    let mut stream = resp.bytes_stream();
    let mut buf = String::new();
    let mut event = String::new();
    while let Some(Ok(chunk)) = stream.next().await {
        let at = Instant::now();
        buf.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(nl) = buf.find('\n') {
            let line: String = buf.drain(..=nl).collect();
            let line = line.trim_end();
            if let Some(e) = line.strip_prefix("event:") {
                event = e.trim().to_string();
            } else if let Some(d) = line.strip_prefix("data:")
                && event == "called"
                && let Ok(v) = serde_json::from_str::<Value>(d.trim())
                && let Some(id) = v["payload"]["ticket_id"].as_i64()
            {
                seen.lock().await.entry(id).or_default().push(at);
            }
        }
        if stop.load(Ordering::Relaxed) {
            break;
        }
    }
}

pub(super) struct Fanout {
    pub(super) connected: usize,
    pub(super) failed: usize,
    pub(super) calls: usize,
    pub(super) delivered: usize,
    pub(super) expected: usize,
    pub(super) latencies_us: Vec<u64>,
}

/// Displays on `base`, calls made on `call_base` (the same server, or another node).
pub(super) async fn fanout(
    base: &str,
    call_base: &str,
    p: &Prepared,
    displays: usize,
    calls: usize,
) -> CliResult<(Fanout, Vec<tokio::task::JoinHandle<()>>, Arc<AtomicBool>)> {
    let client = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(0)
        .build()
        .map_err(http_err)?;
    let connected = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicUsize::new(0));
    let seen: Seen = Arc::new(Mutex::new(HashMap::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let url = format!("{base}/api/v1/halls/{}/events", p.hall_b);
    let mut tasks = Vec::new();
    for i in 0..displays {
        tasks.push(tokio::spawn(display_task(
            client.clone(),
            url.clone(),
            p.display_token.clone(),
            connected.clone(),
            failed.clone(),
            seen.clone(),
            stop.clone(),
        )));
        if i % 100 == 99 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    while connected.load(Ordering::SeqCst) + failed.load(Ordering::SeqCst) < displays
        && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let n = connected.load(Ordering::SeqCst);
    let ctl = reqwest::Client::builder()
        .no_proxy()
        .build()
        .map_err(http_err)?;
    let (counter, user) = &p.call_counter;
    let base = call_base;
    let (cookie, csrf) = login(&ctl, base, user).await?;
    let staff = |r: reqwest::RequestBuilder| {
        r.header(reqwest::header::COOKIE, &cookie)
            .header("X-CSRF-Token", &csrf)
    };
    let mut latencies = Vec::new();
    let mut delivered = 0;
    let mut done = 0;
    for _ in 0..calls {
        expect_json(
            ctl.post(format!("{base}/api/v1/halls/{}/tickets", p.hall_b))
                .bearer_auth(&p.issue_token_b)
                .json(&json!({"business_type": "display_call"})),
            "issue",
        )
        .await
        .map_err(CliError::failed)?;
        tokio::time::sleep(Duration::from_millis(100)).await;
        let t0 = Instant::now();
        let called = expect_json(
            staff(ctl.post(format!("{base}/api/v1/counters/{counter}/call-next"))),
            "call-next",
        )
        .await
        .map_err(CliError::failed)?;
        let Some(id) = called["id"].as_i64() else {
            continue;
        };
        let wait_until = Instant::now() + Duration::from_secs(5);
        loop {
            let got = seen.lock().await.get(&id).map_or(0, Vec::len);
            if got >= n || Instant::now() > wait_until {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        if let Some(ts) = seen.lock().await.get(&id) {
            delivered += ts.len();
            latencies.extend(
                ts.iter()
                    .map(|t| t.saturating_duration_since(t0).as_micros() as u64),
            );
        }
        done += 1;
        for action in ["start", "finish"] {
            expect_json(
                staff(ctl.post(format!("{base}/api/v1/tickets/{id}/{action}"))),
                action,
            )
            .await
            .map_err(CliError::failed)?;
        }
    }
    Ok((
        Fanout {
            connected: n,
            failed: failed.load(Ordering::SeqCst),
            calls: done,
            delivered,
            expected: done * n,
            latencies_us: latencies,
        },
        tasks,
        stop,
    ))
}
