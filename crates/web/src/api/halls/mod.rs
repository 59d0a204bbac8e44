//! Halls with their counters and business types (read only; the administrator's screens
//! write them, see `pages/halls/`).

pub mod photos;
pub mod view;

use super::resolve_hall;
use crate::api::counters::view::CounterView;
use crate::error::ApiResult;
use crate::{AppState, auth::Caller};
use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use servicehall_domain::access::Permission;
use utoipa::ToSchema;
use view::{BusinessTypeView, HallView};

#[derive(Serialize, ToSchema)]
pub struct HallDetail {
    pub hall: HallView,
    pub counters: Vec<CounterView>,
    pub business_types: Vec<BusinessTypeView>,
}

/// The halls the caller may see.
#[utoipa::path(get, path = "/api/v1/halls", tag = "halls", responses((status = 200, body = Vec<HallView>)))]
pub async fn list(State(s): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<HallView>>> {
    caller.require_any(Permission::ViewHall)?;
    let halls = s.store.halls().await?;
    Ok(Json(
        halls
            .into_iter()
            .filter(|h| caller.actor.in_hall(h.id))
            .map(|h| HallView::from(&h))
            .collect(),
    ))
}

/// One hall with its counters and business types.
#[utoipa::path(get, path = "/api/v1/halls/{hall}", tag = "halls",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, body = HallDetail), (status = 404, body = crate::error::Problem)))]
pub async fn show(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<Json<HallDetail>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::ViewHall, hall.id)?;
    Ok(Json(HallDetail {
        counters: s
            .store
            .counters(hall.id)
            .await?
            .iter()
            .map(CounterView::from)
            .collect(),
        business_types: s
            .store
            .business_types(hall.id)
            .await?
            .iter()
            .map(BusinessTypeView::from)
            .collect(),
        hall: HallView::from(&hall),
    }))
}
