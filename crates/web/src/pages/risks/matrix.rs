//! 风险矩阵 · the matrix screen (`/risks/matrix`): the hall's bands with their scores,
//! names, colours and review cadence, and a live heat-map preview. Supervisors and
//! administrators edit it (saved through `PUT /api/v1/halls/{hall}/risk-matrix`, which checks
//! it and audits each band); a hall manager sees it read-only. The settings history lists
//! the changes.

use crate::AppState;
use crate::api::risks::matrix::{MatrixView, may_edit};
use crate::api::risks::region::region_scope;
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::risks::charts::{Cell, heat_map};
use crate::pages::{Chrome, hall_for, json_for_script, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use servicehall_domain::access::Permission;
use servicehall_domain::risks::region::RegionRiskAccess;
use servicehall_domain::time::{local, parse_tz};
use servicehall_store::SettingChange;

#[derive(serde::Deserialize)]
pub struct HallQ {
    hall: Option<String>,
    region: Option<String>,
}

#[derive(Template)]
#[template(path = "risks/matrix.html")]
struct MatrixPage {
    chrome: Chrome,
    /// The hall's or region's name.
    scope_name: String,
    /// The register the matrix belongs to.
    back: String,
    region: bool,
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
) -> Result<Response, PageError> {
    if let Some(code) = q.region.as_deref() {
        return region_page(&s, &caller, code).await;
    }
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    caller.require(Permission::ManageRisks, hall.id)?;
    let m = s.store.risk_matrix(hall.id).await?;
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let changes = s.store.settings_audit(Some(hall.id), 200).await?;
    let view = MatrixView::new(&m, may_edit(&caller));
    let api = format!("/api/v1/halls/{}/risk-matrix", hall.code);
    Ok(render(&MatrixPage {
        chrome: Chrome::staff("风险矩阵 Risk matrix", "/risks", Some(&caller)),
        preview: heat_map(&m, &[], true),
        data: json_for_script(&serde_json::json!({ "api": api, "size": m.size })),
        history: history(changes, "", tz),
        m: view,
        scope_name: hall.name,
        back: format!("/risks?hall={}", hall.code),
        region: false,
    })?
    .into_response())
}

/// The region's own matrix: editable where the caller may keep the region's register.
async fn region_page(s: &AppState, caller: &Caller, code: &str) -> Result<Response, PageError> {
    let (region, access) = region_scope(s, caller, code).await?;
    let m = s.store.region_risk_matrix(region.id).await?;
    // Region matrices are audited with the deployment's settings, named for the region.
    let changes = s.store.settings_audit(None, 500).await?;
    let prefix = format!("region{}.", region.id);
    let api = format!("/api/v1/regions/{}/risk-matrix", region.code);
    let tree = s.store.region_tree().await?;
    Ok(render(&MatrixPage {
        chrome: Chrome::staff("区域风险矩阵 Region risk matrix", "/risks", Some(caller)),
        preview: heat_map(&m, &[], true),
        data: json_for_script(&serde_json::json!({ "api": api, "size": m.size })),
        history: history(changes, &prefix, chrono_tz::Asia::Shanghai),
        m: MatrixView::new(&m, access == RegionRiskAccess::Edit),
        scope_name: tree.path_zh(region.id),
        back: format!("/risks?region={}", region.code),
        region: true,
    })?
    .into_response())
}

/// The last 20 matrix changes among `changes` whose setting starts with `prefix` (empty for
/// a hall, `region<id>.` for a region), as (when, what, before, after).
fn history(
    changes: Vec<SettingChange>,
    prefix: &str,
    tz: chrono_tz::Tz,
) -> Vec<(String, String, String, String)> {
    changes
        .into_iter()
        .filter_map(|c| {
            let rest = c.setting.strip_prefix(prefix)?;
            rest.starts_with("risk_matrix.").then(|| {
                (
                    local(c.at, tz).format("%Y-%m-%d %H:%M").to_string(),
                    rest.replace("risk_matrix.band", "等级 band ")
                        .replace("risk_matrix.size", "矩阵 size"),
                    c.old_value.clone(),
                    c.new_value.clone(),
                )
            })
        })
        .take(20)
        .collect()
}
