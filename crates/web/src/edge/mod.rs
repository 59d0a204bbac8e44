//! The hall edge (现场节点, docs/edge.md): `servicehall serve --edge` serves one hall from
//! its own SQLite and runs [`spawn_shipper`] beside it. The shipper pushes the captured
//! changes (`edge_outbox`) to the central database in batches, one transaction each,
//! forgetting them only once central has committed; with nothing to ship it still reports
//! every few seconds (the heartbeat behind the central screens' 离线 · Offline). It pulls the
//! hall's configuration, catalogue and staff from central on a timer. When the WAN is down
//! every try fails fast, the hall keeps working on its own database, and the shipper retries
//! with backoff until central answers again.

pub mod view;

use crate::AppState;
use servicehall_store::{EdgeStore, FlowDown, SqlStore, StoreError};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;
use tokio::task::JoinHandle;

/// How the edge reaches its central database.
#[derive(Debug, Clone)]
pub struct EdgeConfig {
    pub hall_code: String,
    /// `postgres://…` (or `sqlite:` in tests).
    pub central_url: String,
    /// The edge's name as central screens show it (default: the hall's code).
    pub name: String,
    /// Pause between shipments when the outbox is empty.
    pub ship_every: Duration,
    /// A heartbeat at least this often.
    pub heartbeat_every: Duration,
    /// The configuration, catalogue and staff are pulled this often.
    pub pull_every: Duration,
    /// Entries per batch (one central transaction) when the edge keeps up; while it catches
    /// up each full batch doubles the next, up to `domain::edge::CATCH_UP_BATCH`.
    pub batch: i64,
    /// A central call that takes longer than this counts as failed (and is retried).
    pub timeout: Duration,
}

impl EdgeConfig {
    pub fn new(hall_code: &str, central_url: &str) -> Self {
        Self {
            hall_code: hall_code.into(),
            central_url: central_url.into(),
            name: hall_code.into(),
            ship_every: Duration::from_millis(500),
            heartbeat_every: Duration::from_secs(10),
            pull_every: Duration::from_secs(30),
            batch: 500,
            timeout: Duration::from_secs(5),
        }
    }
}

/// What the shipper last saw, for logs, `/metrics`-like checks and tests.
#[derive(Debug, Default)]
pub struct ShipperStatus {
    /// Whether the last call to central succeeded.
    pub connected: AtomicBool,
    /// When central last acknowledged a batch or heartbeat (ms; 0 before the first).
    pub last_ok_at: AtomicI64,
    /// The last sequence number central acknowledged.
    pub acked_through: AtomicI64,
    /// Failed tries since the last success.
    pub failures: AtomicI64,
    /// The last failure's text (empty after a success).
    pub last_error: std::sync::Mutex<String>,
}

/// The edge's link to central: a connection pool opened lazily (the WAN may be down when
/// the edge starts) and kept; sqlx reconnects it by itself when the WAN returns.
struct Central {
    url: String,
    store: Option<SqlStore>,
    timeout: Duration,
}

impl Central {
    async fn get(&mut self) -> Result<&SqlStore, StoreError> {
        if self.store.is_none() {
            let s = tokio::time::timeout(self.timeout, SqlStore::connect(&self.url))
                .await
                .map_err(|_| StoreError::Unavailable(unreachable()))??;
            self.store = Some(s);
        }
        Ok(self.store.as_ref().expect("connected above"))
    }
}

fn unreachable() -> String {
    "中心数据库无法连接 · the central database cannot be reached".into()
}

async fn timed<T>(
    limit: Duration,
    f: impl std::future::Future<Output = Result<T, StoreError>>,
) -> Result<T, StoreError> {
    tokio::time::timeout(limit, f)
        .await
        .map_err(|_| StoreError::Unavailable(unreachable()))?
}

/// Pulls the hall's configuration, catalogue and staff once and applies them locally, then
/// takes over the hall's open tickets of the day if central issued any (a mid-day switch);
/// returns the set pulled. `serve --edge` calls it (retrying) before it serves a new data
/// directory, which has no hall yet.
pub async fn pull_once(local: &SqlStore, cfg: &EdgeConfig) -> Result<FlowDown, StoreError> {
    let mut central = Central {
        url: cfg.central_url.clone(),
        store: None,
        timeout: cfg.timeout,
    };
    let c = central.get().await?;
    let set = timed(
        cfg.timeout,
        c.edge_flow_down(&cfg.hall_code, crate::now_ms()),
    )
    .await?;
    local.edge_apply_flow_down(&set).await?;
    take_over(c, local, cfg, crate::now_ms()).await?;
    if let Some(s) = central.store {
        s.pool().close().await;
    }
    Ok(set)
}

/// Marks the hall edge-run centrally and takes over the open tickets of the day central
/// issued before the switch (docs/edge.md); nothing once the hall's day began on the edge.
async fn take_over(
    c: &SqlStore,
    local: &SqlStore,
    cfg: &EdgeConfig,
    now: i64,
) -> Result<(), StoreError> {
    let handed = timed(
        cfg.timeout + servicehall_store::HAND_OVER_SETTLE,
        c.edge_hand_over(&cfg.hall_code, &cfg.name, now),
    )
    .await?;
    let taken = local.edge_take_over(&handed).await?;
    if taken > 0 {
        tracing::info!(hall = %cfg.hall_code, taken, "took over the day's open tickets from central");
    }
    Ok(())
}

/// Starts the shipper for `state`'s hall (its store must be the edge's SQLite, armed).
pub fn spawn_shipper(
    state: AppState,
    local: SqlStore,
    cfg: EdgeConfig,
) -> (JoinHandle<()>, Arc<ShipperStatus>) {
    let status = Arc::new(ShipperStatus::default());
    let st = status.clone();
    let task = tokio::spawn(async move { run(state, local, cfg, st).await });
    (task, status)
}

async fn run(state: AppState, local: SqlStore, cfg: EdgeConfig, status: Arc<ShipperStatus>) {
    let mut central = Central {
        url: cfg.central_url.clone(),
        store: None,
        timeout: cfg.timeout,
    };
    let mut last_pull: Option<(tokio::time::Instant, FlowDown)> = None;
    let mut last_report = tokio::time::Instant::now() - cfg.heartbeat_every;
    let mut failures: u32 = 0;
    // Grows while the outbox fills whole batches (catching up after a cut).
    let mut limit = cfg.batch;
    loop {
        let pull_due = last_pull
            .as_ref()
            .is_none_or(|(at, _)| at.elapsed() >= cfg.pull_every);
        let step = async {
            let c = central.get().await?;
            if pull_due {
                let set = timed(cfg.timeout, c.edge_flow_down(&cfg.hall_code, state.now())).await?;
                if last_pull.as_ref().is_none_or(|(_, old)| old != &set) {
                    local.edge_apply_flow_down(&set).await?;
                    tracing::info!(hall = %cfg.hall_code, "applied configuration from central");
                }
                // Again on every pull: a ticket central issued as the switch happened comes
                // too. A hand-over that fails is logged and tried at the next pull; it never
                // holds up shipping.
                if let Err(e) = take_over(c, &local, &cfg, state.now()).await {
                    tracing::warn!(hall = %cfg.hall_code, error = %e, "hand-over from central failed; retried at the next pull");
                }
                last_pull = Some((tokio::time::Instant::now(), set));
            }
            let hall_id = last_pull.as_ref().map_or(0, |(_, s)| s.hall_id);
            let batch = local.edge_pending(limit).await?;
            let full = batch.len() as i64 == limit;
            limit = servicehall_domain::edge::next_batch(cfg.batch, limit, batch.len() as i64);
            if batch.is_empty() && last_report.elapsed() < cfg.heartbeat_every {
                return Ok(false);
            }
            let receipt = timed(
                cfg.timeout,
                c.edge_receive(hall_id, &cfg.name, &batch, state.now()),
            )
            .await?;
            // Only after central committed: a crash before this line re-sends the batch,
            // which central skips by sequence number.
            local.edge_forget_through(receipt.applied_through).await?;
            status
                .acked_through
                .store(receipt.applied_through, Ordering::SeqCst);
            last_report = tokio::time::Instant::now();
            Ok::<bool, StoreError>(full)
        };
        match step.await {
            Ok(more) => {
                if failures > 0 {
                    tracing::info!(hall = %cfg.hall_code, failures, "central reachable again; catching up");
                }
                failures = 0;
                status.connected.store(true, Ordering::SeqCst);
                status.failures.store(0, Ordering::SeqCst);
                status.last_ok_at.store(state.now(), Ordering::SeqCst);
                if !more {
                    tokio::time::sleep(cfg.ship_every).await;
                }
            }
            Err(e) => {
                if failures == 0 {
                    tracing::warn!(hall = %cfg.hall_code, error = %e, "central unreachable; the hall keeps working and ships later");
                }
                status.connected.store(false, Ordering::SeqCst);
                if let Ok(mut m) = status.last_error.lock() {
                    *m = e.to_string();
                }
                status.failures.fetch_add(1, Ordering::SeqCst);
                // A big batch that timed out is not tried whole again.
                limit = cfg.batch;
                tokio::time::sleep(Duration::from_millis(
                    servicehall_domain::edge::retry_after_ms(failures),
                ))
                .await;
                failures = failures.saturating_add(1);
            }
        }
    }
}

/// The one guard of the central node's queue and counter writes for a hall its edge runs:
/// issuing, calling, acting on a ticket (start, finish, transfer, recall, no-show, hold),
/// a counter's open, pause, close and move, ratings, check-ins and the customer's own steps.
/// The edge is the hall's only writer of these rows, so numbers, calls and the log stay one
/// sequence and nothing it ships is overwritten by a second writer (409, bilingual). Reads
/// (displays, reports) stay allowed centrally. Every such handler calls it once it knows
/// the hall; on the edge itself no hall is edge-run, so it never refuses there.
pub async fn refuse_if_edge_run(s: &AppState, hall_id: i64) -> Result<(), crate::error::ApiError> {
    match s.store.edge_runner(hall_id).await? {
        Some(edge) => {
            let hall = s.store.hall(hall_id).await?;
            Err(crate::error::ApiError::new(
                axum::http::StatusCode::CONFLICT,
                format!(
                    "该厅由现场节点运行，取号、叫号、窗口与评价请在厅内现场节点办理 · hall {} is run by its edge ({edge}): tickets, calls, counters and ratings are worked there, not on the central node",
                    hall.code
                ),
            ))
        }
        None => Ok(()),
    }
}

/// On the edge itself: bookings are made, changed and cancelled centrally (the public page,
/// the phone desk) and come down within a pull; one made here would have no central id and
/// could be overwritten by the next pull, so the edge refuses it (409, bilingual) and checks
/// bookings in. The booking policy comes down too, so it is set centrally as well.
pub async fn refuse_bookings_on_edge(s: &AppState) -> Result<(), crate::error::ApiError> {
    if s.store.edge_armed().await? {
        return Err(crate::error::ApiError::new(
            axum::http::StatusCode::CONFLICT,
            "现场节点不办理预约、改约、取消与预约设置，请在中心系统办理；预约客户到厅可在此签到 · bookings, their changes, cancellations and settings are made on the central node, not on the hall's edge; booked customers check in here".to_string(),
        ));
    }
    Ok(())
}

/// The central screens' line for `hall_id`, when an edge runs it.
pub async fn hall_badge(
    s: &AppState,
    hall_id: i64,
) -> Result<Option<view::EdgeHallView>, StoreError> {
    let now = s.now();
    Ok(s.store
        .edge_hall(hall_id)
        .await?
        .map(|e| view::EdgeHallView::new(&e, now)))
}
