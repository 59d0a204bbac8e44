//! The issue API's side of a reduced kiosk: while an incident whose playbook keeps only some
//! businesses is active, a self-service caller (a kiosk or an integration device) is refused
//! the others with 409 naming the incident. People (the guide desk) still issue: they triage.

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::http::StatusCode;
use servicehall_domain::access::ActorKind;
use servicehall_domain::incidents::kiosk::kiosk_refusal;
use servicehall_store::{BusinessType, Store};

/// Refuses a device's ticket for `business` outside an active incident's reduced set.
pub async fn check_issue(
    store: &dyn Store,
    caller: &Caller,
    hall_id: i64,
    business: &str,
    types: &[BusinessType],
) -> ApiResult<()> {
    if matches!(caller.actor.kind, ActorKind::Person(_)) {
        return Ok(());
    }
    let active = store.active_incidents(hall_id).await?;
    if active.is_empty() {
        return Ok(());
    }
    let name_of = |code: &str| {
        types
            .iter()
            .find(|b| b.code == code)
            .map(|b| (b.name_zh.clone(), b.name_en.clone()))
            .unwrap_or_else(|| (code.to_string(), code.to_string()))
    };
    match kiosk_refusal(active.iter().map(|i| &i.playbook), business, name_of) {
        Some(m) => Err(ApiError::new(StatusCode::CONFLICT, m)),
        None => Ok(()),
    }
}
