//! Halls run by an edge (现场节点), for central monitoring: online or offline, last shipment.

use crate::edge::view::EdgeHallView;
use crate::error::ApiResult;
use crate::{AppState, auth::Caller};
use axum::Json;
use axum::extract::State;
use servicehall_domain::access::Permission;

/// The edge-run halls the caller may see the figures of, with their link's state.
#[utoipa::path(get, path = "/api/v1/edges", tag = "halls", responses((status = 200, body = Vec<EdgeHallView>)))]
pub async fn list(State(s): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<EdgeHallView>>> {
    caller.require_any(Permission::ViewStats)?;
    let now = s.now();
    Ok(Json(
        s.store
            .edge_halls()
            .await?
            .iter()
            .filter(|e| caller.actor.may(Permission::ViewStats, e.hall_id))
            .map(|e| EdgeHallView::new(e, now))
            .collect(),
    ))
}
