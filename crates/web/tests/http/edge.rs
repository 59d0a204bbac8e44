//! The hall edge (docs/edge.md): a hall served from its own SQLite ships to the central
//! PostgreSQL through a link the test cuts and restores. While the WAN is down the hall
//! keeps issuing, calling, finishing and rating, the central screens mark it offline, and the
//! central node refuses to issue for it; when the link returns the central database catches
//! up with exactly the acknowledged tickets, in order. The cut lasts
//! `SERVICEHALL_EDGE_CUT_SECS` seconds (4 by default; the bench in docs/edge.md ran 180).

use crate::browser::queue_proxy::Link;
use crate::common::*;
use servicehall_domain::DeviceKind;
use servicehall_domain::edge::central_id;
use servicehall_store::testing::TestStore;
use servicehall_store::{EdgeStore, SqlStore};
use servicehall_web::clock::{Clock, ManualClock};
use servicehall_web::edge::{EdgeConfig, pull_once, spawn_shipper};
use servicehall_web::{AppState, WebConfig};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What the edge acknowledged: (local id, number) of every ticket answered 201, and how many
/// visits were rated.
#[derive(Default)]
struct Acked {
    tickets: Vec<(i64, String)>,
    rated: usize,
}

/// One visit on the edge: issued at the kiosk, called, served, finished and rated.
async fn visit(edge: &App, clerk: &Session, kiosk: &str, pad: &str, acked: &mut Acked) {
    let t = edge.issue(Auth::Device(kiosk), "payment").await;
    acked.tickets.push((
        t["id"].as_i64().unwrap(),
        t["number"].as_str().unwrap().into(),
    ));
    let called = edge.call_next(clerk, 1).await.expect("the visit is called");
    let id = called["id"].as_i64().unwrap();
    edge.serve_and_finish(clerk, id).await;
    edge.post(
        &format!("/api/v1/tickets/{id}/rating"),
        Auth::Device(pad),
        Some(serde_json::json!({"level": 5})),
    )
    .await
    .expect(201);
    acked.rated += 1;
}

/// Customers who only take a number (they wait), as a second kiosk does under load.
async fn waiting(edge: &App, kiosk: &str, n: usize, acked: &mut Acked) {
    for _ in 0..n {
        let t = edge.issue(Auth::Device(kiosk), "new_connection").await;
        acked.tickets.push((
            t["id"].as_i64().unwrap(),
            t["number"].as_str().unwrap().into(),
        ));
    }
}

async fn central_rows(s: &SqlStore, sql: &str, hall: i64) -> Vec<i64> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(hall)
        .fetch_all(s.pool())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_edge_keeps_serving_through_a_wan_cut_and_central_catches_up_exactly() {
    let Some(db) = postgres_store("edge cut").await else {
        return;
    };
    let cut_secs: u64 = std::env::var("SERVICEHALL_EDGE_CUT_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4);
    let pg_url = db.url();
    let clock = ManualClock::starting_now();
    let central = App::start_full(db, 3, WebConfig::default(), Clock::from(clock.clone())).await;
    let hall = central.fx.hall.clone();
    // Devices paired centrally reach the edge with the flow-down.
    let kiosk = central.device(DeviceKind::Kiosk, None).await;
    let kiosk2 = central.device(DeviceKind::Kiosk, None).await;
    let pad = central
        .device(DeviceKind::Evaluator, Some(central.fx.counter(1).id))
        .await;
    // The edge reaches PostgreSQL through a link the test cuts (the WAN).
    let (auth, rest) = pg_url.rsplit_once('@').unwrap();
    let (host, dbname) = rest.split_once('/').unwrap();
    let link = Link::open(host).await;
    let port = link.base.rsplit(':').next().unwrap();
    let mut cfg = EdgeConfig::new(&hall.code, &format!("{auth}@127.0.0.1:{port}/{dbname}"));
    cfg.name = "星海现场".into();
    cfg.ship_every = Duration::from_millis(100);
    cfg.heartbeat_every = Duration::from_millis(500);
    cfg.timeout = Duration::from_secs(2);
    // Small batches in the short run (many round trips); the default for the long bench.
    cfg.batch = if cut_secs > 30 { 500 } else { 50 };
    let edge_db = TestStore::sqlite("edge").await;
    let local = edge_db.store();
    let set = pull_once(&local, &cfg).await.expect("the hall comes down");
    assert_eq!(set.hall_id, hall.id);
    local.edge_arm().await.unwrap();
    // A busy hall: the kiosks' issue rate is not what is tested here.
    let mut web = WebConfig::default();
    web.limits.issue_kiosk.per_minute = 0;
    let edge = central.beside(edge_db, web).await;
    let ship_state = AppState::new(Arc::new(local.clone()), WebConfig::default());
    let (shipper, status) = spawn_shipper(ship_state, local.clone(), cfg);
    let clerk = edge.clerk_on_duty(1).await;
    let mut acked = Acked::default();
    for _ in 0..5 {
        visit(&edge, &clerk, &kiosk, &pad, &mut acked).await;
    }
    waiting(&edge, &kiosk2, 5, &mut acked).await;
    // Central knows the hall is edge-run and will not issue for it.
    let since = Instant::now();
    while central.store.edge_hall(hall.id).await.unwrap().is_none() {
        assert!(
            since.elapsed() < Duration::from_secs(20),
            "the edge never reported"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let refused = central
        .post(
            &format!("/api/v1/halls/{}/tickets", hall.code),
            Auth::Device(&kiosk),
            Some(serde_json::json!({"business_type": "payment", "another": true})),
        )
        .await
        .problem(409);
    assert!(refused.starts_with("该厅由现场节点运行"), "{refused}");

    // The WAN goes; the hall goes on.
    // Shipped as it happens: the outbox empties while the WAN is up.
    let since = Instant::now();
    while local.edge_backlog().await.unwrap() > 0 {
        assert!(
            since.elapsed() < Duration::from_secs(20),
            "the outbox never emptied: {:?}",
            status.last_error.lock().unwrap()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    link.cut().await;
    let cut_at = Instant::now();
    let mut during = 0;
    while cut_at.elapsed() < Duration::from_secs(cut_secs) {
        visit(&edge, &clerk, &kiosk, &pad, &mut acked).await;
        waiting(&edge, &kiosk2, 1, &mut acked).await;
        during += 1;
    }
    assert!(
        during >= 3,
        "the hall served {during} visits during the cut"
    );
    assert!(!status.connected.load(std::sync::atomic::Ordering::SeqCst));
    assert!(
        local.edge_backlog().await.unwrap() > 0,
        "the outbox holds the cut's records"
    );
    // A minute without a word: central screens say so, with the last shipment's time.
    // (The edge stamps its reports with its own clock, the system's.)
    clock.set(servicehall_web::now_ms() + 61_000);
    let manager = central.login("manager").await;
    let page = central
        .get(
            &format!("/manager?hall={}", hall.code),
            Auth::Person(&manager),
        )
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.text.contains("离线 · Offline"),
        "dashboard shows the hall offline"
    );
    let line = page.text.split("edge-status").nth(1).unwrap_or_default();
    assert!(line.contains("最后发送"), "with the last shipment: {line}");
    let admin = central
        .above_halls("edgeadmin", servicehall_domain::Role::Admin)
        .await;
    let list = central
        .get("/api/v1/edges", Auth::Person(&admin))
        .await
        .expect(200);
    assert_eq!(list[0]["hall"], hall.code.as_str());
    assert_eq!(list[0]["offline"], true);

    // The WAN returns: central catches up by itself.
    let backlog = local.edge_backlog().await.unwrap();
    let rows_before = central
        .store
        .edge_hall(hall.id)
        .await
        .unwrap()
        .unwrap()
        .rows_applied;
    link.restore().await;
    clock.set(servicehall_web::now_ms());
    let back = Instant::now();
    // The catch-up's pace is timed from the first batch central takes after the link
    // returns (before it: the shipper's backoff, up to 15 s, and reconnecting).
    let acked_seq = status
        .acked_through
        .load(std::sync::atomic::Ordering::SeqCst);
    while status
        .acked_through
        .load(std::sync::atomic::Ordering::SeqCst)
        == acked_seq
    {
        assert!(
            back.elapsed() < Duration::from_secs(60),
            "the shipper never reconnected"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let reconnected = back.elapsed();
    let first = Instant::now();
    let rows_first = central
        .store
        .edge_hall(hall.id)
        .await
        .unwrap()
        .unwrap()
        .rows_applied;
    let want: BTreeSet<i64> = acked
        .tickets
        .iter()
        .map(|(id, _)| central_id(hall.id, *id))
        .collect();
    loop {
        let got = central_rows(
            &central.store,
            "SELECT id FROM tickets WHERE hall_id = $1",
            hall.id,
        )
        .await;
        if got.len() >= want.len() && local.edge_backlog().await.unwrap() == 0 {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(60.max(cut_secs * 3)),
            "central did not catch up: {} of {}",
            got.len(),
            want.len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let caught_up = first.elapsed();
    shipper.abort();
    let rows_after = central
        .store
        .edge_hall(hall.id)
        .await
        .unwrap()
        .unwrap()
        .rows_applied;
    let rows = rows_after - rows_before;
    assert!(
        rows >= backlog,
        "the cut's {backlog} captured rows were applied: {rows}"
    );
    // Exactly the acknowledged tickets: none lost, none doubled.
    let got = central_rows(
        &central.store,
        "SELECT id FROM tickets WHERE hall_id = $1 ORDER BY id",
        hall.id,
    )
    .await;
    assert_eq!(got.len(), acked.tickets.len(), "no ticket doubled");
    assert_eq!(
        got.into_iter().collect::<BTreeSet<_>>(),
        want,
        "no ticket lost"
    );
    let numbers: Vec<String> = sqlx::query_scalar("SELECT number FROM tickets WHERE hall_id = $1")
        .bind(hall.id)
        .fetch_all(central.store.pool())
        .await
        .unwrap();
    let unique: BTreeSet<&String> = numbers.iter().collect();
    assert_eq!(unique.len(), numbers.len(), "each number once");
    let ratings = central_rows(
        &central.store,
        "SELECT id FROM ratings WHERE hall_id = $1",
        hall.id,
    )
    .await;
    assert_eq!(ratings.len(), acked.rated);
    // In order: the hall's ticket log centrally is the edge's, event for event.
    let edge_log: Vec<i64> = sqlx::query_scalar("SELECT id FROM ticket_events ORDER BY id")
        .fetch_all(local.pool())
        .await
        .unwrap();
    let central_log = central_rows(
        &central.store,
        "SELECT e.id FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.hall_id = $1 ORDER BY e.id",
        hall.id,
    )
    .await;
    let edge_log: Vec<i64> = edge_log.iter().map(|id| central_id(hall.id, *id)).collect();
    assert_eq!(central_log, edge_log);
    let finished = central_rows(
        &central.store,
        "SELECT id FROM tickets WHERE hall_id = $1 AND state = 'finished'",
        hall.id,
    )
    .await;
    assert_eq!(
        finished.len(),
        acked.rated,
        "every rated visit finished centrally"
    );
    // Online again.
    let list = central
        .get("/api/v1/edges", Auth::Person(&admin))
        .await
        .expect(200);
    assert_eq!(list[0]["offline"], false, "{list}");
    eprintln!(
        "edge cut {cut_secs}s: {} tickets ({} during the cut), {} ratings; {backlog} rows waiting \
         when the link returned, {rows} applied; reconnected after {reconnected:?}, then \
         {} rows in {caught_up:?} ({:.0} rows/s)",
        acked.tickets.len(),
        during * 2,
        acked.rated,
        rows_after - rows_first,
        (rows_after - rows_first) as f64 / caught_up.as_secs_f64().max(0.001)
    );
}
