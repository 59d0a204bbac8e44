//! 风险矩阵 · the matrix screen (`/risks/matrix`): the hall's bands with their scores,
//! names, colours and review cadence, and a live heat-map preview. Supervisors and
//! administrators edit it (saved through `PUT /api/v1/halls/{hall}/risk-matrix`, which checks
//! it and audits each band); a hall manager sees it read-only. The settings history lists
//! the changes.

use crate::AppState;
use crate::api::risks::matrix::{MatrixView, may_edit};
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::risks::charts::{Cell, heat_map};
use crate::pages::{Chrome, hall_for, json_for_script, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use servicehall_domain::access::Permission;
use servicehall_domain::time::{local, parse_tz};
use servicehall_store::Hall;

#[derive(serde::Deserialize)]
pub struct HallQ {
    hall: Option<String>,
}

#[derive(Template)]
#[template(path = "risks/matrix.html")]
struct MatrixPage {
    chrome: Chrome,
    hall: Hall,
    m: MatrixView,
    preview: Vec<Vec<Cell>>,
    /// (when, setting, before, after) of the matrix's changes, newest first.
    history: Vec<(String, String, String, String)>,
    data: String,
}

pub async fn page(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<HallQ>,
) -> Result<impl IntoResponse, PageError> {
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    caller.require(Permission::ManageRisks, hall.id)?;
    let m = s.store.risk_matrix(hall.id).await?;
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let history = s
        .store
        .settings_audit(Some(hall.id), 200)
        .await?
        .into_iter()
        .filter(|c| c.setting.starts_with("risk_matrix."))
        .take(20)
        .map(|c| {
            (
                local(c.at, tz).format("%Y-%m-%d %H:%M").to_string(),
                c.setting
                    .replace("risk_matrix.band", "等级 band ")
                    .replace("risk_matrix.size", "矩阵 size"),
                c.old_value,
                c.new_value,
            )
        })
        .collect();
    let view = MatrixView::new(&m, may_edit(&caller));
    render(&MatrixPage {
        chrome: Chrome::staff("风险矩阵 Risk matrix", "/risks", Some(&caller)),
        preview: heat_map(&m, &[], true),
        data: json_for_script(&serde_json::json!({ "hall": hall.code, "size": m.size })),
        m: view,
        history,
        hall,
    })
}
