//! The tamper-evident record (防篡改记录): the chains' heads, a hall's recent records, a
//! verification on demand, the request origin every append records, and the background
//! step that seals the hall event log into the chains.

use crate::AppState;
use crate::api::access_rule::{Access, access};
use crate::api::resolve_hall;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::{ConnectInfo, MatchedPath, Path, Query, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use servicehall_domain::access::Permission;
use servicehall_store::{
    AuditHead, AuditOrigin, AuditRecord, AuditReport, AuditVerification, Hall,
};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    use Access::*;
    OpenApiRouter::new()
        .routes(access(AboveHalls, routes!(heads)))
        .routes(access(AboveHalls, routes!(verify)))
        .routes(access(
            StaffPerm(Permission::ViewStats),
            routes!(hall_records),
        ))
}

/// One chain's head: the pin a printed report carries.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct HeadView {
    /// The hall's id, or 0 for the deployment chain.
    pub chain: i64,
    /// The hall's name (`全局 Deployment` for chain 0).
    pub name: String,
    /// Records in the chain (its last sequence number).
    pub seq: i64,
    /// SHA-256 of the last record, hex.
    pub hash: String,
    /// `chain:seq:hash`, as given to `servicehall audit verify --expect-head`.
    pub pin: String,
    /// The last hall event sealed into the chain.
    pub sealed_through: i64,
}

impl HeadView {
    pub fn of(h: &AuditHead, halls: &[Hall]) -> Self {
        Self {
            chain: h.chain,
            name: chain_name(h.chain, halls),
            seq: h.seq,
            hash: h.hash.clone(),
            pin: format!("{}:{}:{}", h.chain, h.seq, h.hash),
            sealed_through: h.sealed_through,
        }
    }
}

pub fn chain_name(chain: i64, halls: &[Hall]) -> String {
    if chain == 0 {
        return "全局 Deployment".into();
    }
    halls
        .iter()
        .find(|h| h.id == chain)
        .map_or_else(|| format!("营业厅 Hall #{chain}"), |h| h.name.clone())
}

/// The last verification.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct VerificationView {
    /// Epoch milliseconds.
    pub at: i64,
    /// Who asked (`cli` for `servicehall audit verify`).
    pub by: String,
    pub ok: bool,
    pub records: i64,
    /// The first break in words (`中文 · English`), empty when the record held.
    pub finding: String,
}

impl From<&AuditVerification> for VerificationView {
    fn from(v: &AuditVerification) -> Self {
        Self {
            at: v.at,
            by: v.by_whom.clone(),
            ok: v.ok,
            records: v.records,
            finding: v.finding.clone(),
        }
    }
}

/// The heads of the chains the caller may see, and the last verification.
#[derive(Serialize, ToSchema, Debug)]
pub struct HeadsView {
    pub heads: Vec<HeadView>,
    pub last_verification: Option<VerificationView>,
}

/// One record as a supervisor reads it; the client's address is masked.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct RecordView {
    pub seq: i64,
    /// Epoch milliseconds.
    pub at: i64,
    /// Who: a username, `device #N`, or `system`.
    pub actor: String,
    /// From where: the masked client address and the route (`10.1.2.* POST /api/v1/…`).
    pub origin: String,
    /// e.g. `rating`, `case.event`, `observation`, `inspection.submitted`, `staff.changed`,
    /// `events.sealed`.
    pub kind: String,
    pub subject: String,
    pub hash: String,
}

impl From<&AuditRecord> for RecordView {
    fn from(r: &AuditRecord) -> Self {
        Self {
            seq: r.seq,
            at: r.at,
            actor: r.actor.clone(),
            origin: mask_origin(&r.origin),
            kind: r.kind.clone(),
            subject: r.subject.clone(),
            hash: r.hash.clone(),
        }
    }
}

/// A hall's chain: its head and newest records.
#[derive(Serialize, ToSchema, Debug)]
pub struct HallRecordsView {
    pub head: Option<HeadView>,
    pub records: Vec<RecordView>,
}

/// One chain's outcome.
#[derive(Serialize, ToSchema, Debug)]
pub struct ChainCheckView {
    pub chain: i64,
    pub name: String,
    pub records: i64,
    pub ok: bool,
    /// Hall events not yet sealed (the sealer runs every few seconds).
    pub unsealed_events: i64,
    /// The first break in words, empty when the chain held.
    pub finding: String,
}

/// A verification's outcome.
#[derive(Serialize, ToSchema, Debug)]
pub struct VerifyView {
    pub ok: bool,
    pub records: i64,
    pub chains: Vec<ChainCheckView>,
}

impl VerifyView {
    pub fn of(r: &AuditReport, halls: &[Hall]) -> Self {
        Self {
            ok: r.first_break().is_none(),
            records: r.records,
            chains: r
                .chains
                .iter()
                .map(|c| ChainCheckView {
                    chain: c.chain,
                    name: chain_name(c.chain, halls),
                    records: c.records,
                    ok: c.broken.is_none(),
                    unsealed_events: c.unsealed_events,
                    finding: c.broken.as_ref().map(|b| b.describe()).unwrap_or_default(),
                })
                .collect(),
        }
    }
}

/// The last part of an address hidden (IPv4: the last octet; IPv6: all but the first
/// four groups), as the security log's readers need the network, not the machine.
pub fn mask_origin(origin: &str) -> String {
    let (addr, rest) = origin.split_once(' ').unwrap_or((origin, ""));
    let masked = match addr.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => {
            let o = v4.octets();
            format!("{}.{}.{}.*", o[0], o[1], o[2])
        }
        Ok(IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}:*", s[0], s[1], s[2], s[3])
        }
        Err(_) => addr.to_string(),
    };
    if rest.is_empty() {
        masked
    } else {
        format!("{masked} {rest}")
    }
}

/// Visible chains: the deployment chain and every hall the caller may read.
async fn visible_heads(s: &AppState, caller: &Caller) -> ApiResult<(Vec<HeadView>, Vec<Hall>)> {
    let halls = s.store.halls().await?;
    let heads = s
        .store
        .audit_heads(None)
        .await?
        .iter()
        .filter(|h| h.chain == 0 || caller.actor.may(Permission::ViewStats, h.chain))
        .map(|h| HeadView::of(h, &halls))
        .collect();
    Ok((heads, halls))
}

fn require_above_halls(caller: &Caller) -> ApiResult<()> {
    caller.require_any(Permission::ViewStats)?;
    if caller.actor.hall_id.is_some() {
        return Err(ApiError::forbidden(
            "全部链头供营业厅以上的人员查看；您可查看本厅的记录 · every chain's head is for staff above halls; your hall's records are at /api/v1/halls/{hall}/audit",
        ));
    }
    Ok(())
}

/// The heads of the chains: the deployment chain's and each visible hall's.
#[utoipa::path(get, path = "/api/v1/audit/head", tag = "audit",
    responses((status = 200, body = HeadsView), (status = 403, body = crate::error::Problem)))]
pub async fn heads(State(s): State<AppState>, caller: Caller) -> ApiResult<Json<HeadsView>> {
    require_above_halls(&caller)?;
    let (heads, _) = visible_heads(&s, &caller).await?;
    let last = s.store.last_audit_verification().await?;
    Ok(Json(HeadsView {
        heads,
        last_verification: last.as_ref().map(VerificationView::from),
    }))
}

/// Walks every chain now (as `servicehall audit verify` does) and keeps the outcome.
#[utoipa::path(post, path = "/api/v1/audit/verify", tag = "audit",
    responses((status = 200, body = VerifyView), (status = 403, body = crate::error::Problem)))]
pub async fn verify(State(s): State<AppState>, caller: Caller) -> ApiResult<Json<VerifyView>> {
    require_above_halls(&caller)?;
    let by = caller
        .staff
        .as_ref()
        .map_or_else(|| "api".to_string(), |p| p.username.clone());
    let report = s.store.verify_audit(&by, s.now()).await?;
    let halls = s.store.halls().await?;
    Ok(Json(VerifyView::of(&report, &halls)))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct RecordsQuery {
    /// How many of the newest records (1–200, default 50).
    pub limit: Option<i64>,
}

/// A hall's chain: its head and newest records (a hall manager: their own hall only).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/audit", tag = "audit",
    params(("hall" = String, Path, description = "hall id or code"), RecordsQuery),
    responses((status = 200, body = HallRecordsView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
pub async fn hall_records(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    Query(q): Query<RecordsQuery>,
) -> ApiResult<Json<HallRecordsView>> {
    caller.require_person()?;
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::unprocessable(
            "条数须在 1 到 200 之间 · limit must be between 1 and 200",
        ));
    }
    let head = s.store.audit_heads(Some(hall.id)).await?;
    let records = s.store.audit_records(Some(hall.id), limit).await?;
    Ok(Json(HallRecordsView {
        head: head
            .first()
            .map(|h| HeadView::of(h, std::slice::from_ref(&hall))),
        records: records.iter().map(RecordView::from).collect(),
    }))
}

/// Runs each request with its origin (client address, method, route) and a way to name the
/// caller once authenticated, so every record appended while it runs says who and where.
pub async fn record_origin(req: Request, next: Next) -> Response {
    let addr = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string());
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| req.uri().path().to_string(), |m| m.as_str().to_string());
    let origin = format!("{addr} {} {route}", req.method());
    let slot = req.extensions().get::<crate::security::WhoSlot>().cloned();
    let actor = Arc::new(move || {
        slot.as_ref()
            .map_or_else(|| "anonymous".to_string(), |s| s.describe())
    });
    servicehall_store::with_origin(AuditOrigin { origin, actor }, next.run(req)).await
}

/// Seals the hall event log into the chains every `every` until the process ends.
pub fn spawn_sealer(state: AppState, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        // One node runs it (crate::nodes); the others ask again each tick.
        let mut lead = crate::nodes::Lead::new(&state, crate::nodes::AUDIT_SEALER);
        loop {
            tick.tick().await;
            if !lead.ensure().await {
                continue;
            }
            if let Err(e) = state.store.seal_hall_events(1_000, state.now()).await {
                tracing::error!(error = %e, "sealing hall events into the audit chain failed");
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::mask_origin;

    #[test]
    fn addresses_are_masked_but_routes_kept() {
        assert_eq!(
            mask_origin("10.1.2.3 POST /api/v1/x"),
            "10.1.2.* POST /api/v1/x"
        );
        assert_eq!(
            mask_origin("2001:db8:1:2:3:4:5:6 GET /a"),
            "2001:db8:1:2:* GET /a"
        );
        assert_eq!(mask_origin("system"), "system");
        assert_eq!(mask_origin("unknown POST /x"), "unknown POST /x");
    }
}
