//! What part of the deployment a caller sees: their hall, their region's halls, or all.

use crate::AppState;
use crate::error::ApiResult;
use servicehall_domain::access::Actor;
use servicehall_store::Hall;

/// The halls `actor` may see, by code: one for hall staff and devices, a region's for staff
/// limited to a region, every hall for deployment-wide staff.
pub async fn visible_halls(s: &AppState, actor: &Actor) -> ApiResult<Vec<Hall>> {
    if let Some(h) = actor.hall_id {
        return Ok(vec![s.store.hall(h).await?]);
    }
    let mut halls = s.store.halls().await?;
    halls.retain(|h| actor.in_hall(h.id));
    Ok(halls)
}

/// The halls `actor` reaches as a list for the store, `None` when every hall: the same
/// answer as [`Actor::in_hall`] for each hall, for queries that filter or check many rows.
pub fn hall_reach(actor: &Actor) -> Option<Vec<i64>> {
    if actor.deployment_wide() {
        return None;
    }
    match actor.hall_id {
        Some(h) => Some(vec![h]),
        None => Some(actor.region_halls.clone().unwrap_or_default()),
    }
}
