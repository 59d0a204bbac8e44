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
