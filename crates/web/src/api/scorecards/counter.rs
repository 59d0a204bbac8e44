//! 窗口考核: a counter's scorecard for a month, from what was called, finished, rated and
//! observed at that counter whoever staffed it — the scheme of the `counter` level in
//! force for the hall's region, each line with its counts and the records behind it.

use super::compute::own_card;
use super::view::ScorecardView;
use crate::AppState;
use crate::api::access_rule::{Access, access};
use crate::api::assessment::measure;
use crate::api::resolve_hall;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::{Path, Query, State};
use servicehall_domain::access::Permission;
use servicehall_domain::assessment::Month;
use servicehall_domain::regions::RegionTree;
use servicehall_store::{Counter, Hall, Personal};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(access(
        Access::Perm(Permission::ViewStats),
        routes!(counter_scorecard),
    ))
}

/// The counter's name as the hall says it: `3 号窗口（星海营业厅）`.
pub fn counter_subject(counter: &Counter, hall: &Hall) -> String {
    format!("{} 号窗口（{}）", counter.number, hall.name)
}

/// A counter's scorecard, always live: the counter's own figures and violations.
pub async fn counter_card(
    s: &AppState,
    tree: &RegionTree,
    hall: &Hall,
    counter: &Counter,
    m: Month,
) -> ApiResult<ScorecardView> {
    let who = Personal::Counter(counter.id);
    own_card(s, tree, hall, who, counter_subject(counter, hall), m).await
}

/// The hall's counter `id`, or 404 naming the hall.
pub async fn hall_counter(s: &AppState, hall: &Hall, id: i64) -> ApiResult<Counter> {
    s.store
        .counters(hall.id)
        .await?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "{} 没有编号为 {id} 的窗口，请从窗口列表中选择 · {} has no counter {id}; pick one from the list",
                hall.name, hall.code
            ))
        })
}

/// A counter's scorecard for a month: each line's value, target, band and points for what
/// happened at the counter, with a link to its records, and the observed violations there.
/// For the hall's manager, the supervisors over the hall and administrators.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/counters/{counter}/scorecard", tag = "scorecards",
    params(("hall" = String, Path, description = "hall code or id"), ("counter" = i64, Path, description = "counter id"),
        super::MonthQuery),
    responses((status = 200, body = ScorecardView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn counter_scorecard(
    State(s): State<AppState>,
    caller: Caller,
    Path((hall, counter)): Path<(String, i64)>,
    Query(q): Query<super::MonthQuery>,
) -> ApiResult<Json<ScorecardView>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    let counter = hall_counter(&s, &hall, counter).await?;
    let month = measure::month_or_now(&s, q.month.as_deref(), Some(&hall))?;
    let tree = s.store.region_tree().await?;
    Ok(Json(counter_card(&s, &tree, &hall, &counter, month).await?))
}
