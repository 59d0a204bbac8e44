//! 服务风险 · the risk screens: the register with its two heat maps (inherent, residual)
//! and the KRIs with their 30-day charts (`/risks`), one risk with its form, KRIs, trend
//! and audited history (`/risks/{id}`), and a new risk (`/risks/new`). Writes go through
//! the JSON API (`api::risks`) from `static/risks.js`.

pub mod charts;
pub mod matrix;
pub mod notices;
pub mod region;

use crate::AppState;
use crate::api::risks::view::{KriView, RiskView};
use crate::api::risks::{kri_views, today};
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::{Chrome, hall_for, json_for_script, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use charts::{Cell, heat_map, line};
use serde::Deserialize;
use servicehall_domain::Role;
use servicehall_domain::access::Permission;
use servicehall_domain::risks::kri::Measure;
use servicehall_domain::risks::{Band, Category, Treatment};
use servicehall_domain::time::{local, parse_tz};
use servicehall_store::Hall;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/risks", get(register))
        .route("/risks/new", get(new_risk))
        .route("/risks/matrix", get(matrix::page))
        .route("/risks/{id}", get(show))
}

#[derive(Deserialize)]
struct HallQ {
    hall: Option<String>,
    /// A region's own register instead of a hall's (`/risks?region=LN-DL`).
    region: Option<String>,
}

/// A KRI as a row: its view and its chart.
pub(super) struct KriRow {
    k: KriView,
    chart: String,
}

fn kri_rows(list: Vec<KriView>) -> Vec<KriRow> {
    list.into_iter()
        .map(|k| {
            let values: Vec<i64> = k.history.iter().map(|p| p.value).collect();
            let chart = line(&values, &[(k.amber, "amber"), (k.red, "red")]);
            KriRow { k, chart }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "risks/register.html")]
struct RegisterPage {
    chrome: Chrome,
    /// The region register to link to (code), when the caller may open one.
    region_link: Option<String>,
    hall: Hall,
    halls: Vec<Hall>,
    risks: Vec<RiskView>,
    /// Per risk id: its KRIs' states.
    kri_states: Vec<(i64, String, String)>,
    inherent: Vec<Vec<Cell>>,
    residual: Vec<Vec<Cell>>,
    bands: Vec<Band>,
    kris: Vec<KriRow>,
    /// The latest notices (five) and how many there are.
    notices: Vec<notices::Line>,
    notices_total: usize,
    due: usize,
    sample: bool,
}

async fn register(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<HallQ>,
) -> Result<axum::response::Response, PageError> {
    if let Some(code) = q.region.as_deref().filter(|c| !c.is_empty()) {
        return region::register(&s, &caller, code).await;
    }
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    caller.require(Permission::ManageRisks, hall.id)?;
    let regions = region::readable(&s, &caller).await?;
    // The nearest region above the hall that keeps risks of its own (a district usually
    // keeps none, its city does), else the hall's own region, else the first the caller
    // may open.
    let tree = s.store.region_tree().await?;
    let readable = |code: &str| regions.iter().any(|(rc, _)| rc == code);
    let above: Vec<(i64, String)> = hall
        .region_id
        .map(|id| tree.ancestors_or_self(id))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|id| tree.get(id).map(|r| (id, r.code.clone())))
        .filter(|(_, code)| readable(code))
        .collect();
    let mut region_link = None;
    for (id, code) in &above {
        if !s.store.region_risks(*id).await?.is_empty() {
            region_link = Some(code.clone());
            break;
        }
    }
    let region_link = region_link
        .or_else(|| above.first().map(|(_, c)| c.clone()))
        .or_else(|| regions.first().map(|r| r.0.clone()));
    let m = s.store.risk_matrix(hall.id).await?;
    let rows = s.store.risks(hall.id).await?;
    let day = today(&s, &hall);
    let risks: Vec<RiskView> = rows.iter().map(|r| RiskView::new(r, &m, day)).collect();
    let kris = kri_views(&s, hall.id).await?;
    let halls = if caller.actor.hall_id.is_none() {
        s.store
            .halls()
            .await?
            .into_iter()
            .filter(|h| caller.actor.in_hall(h.id))
            .collect()
    } else {
        Vec::new()
    };
    let all_notices = notices::lines(&s, &hall, None).await?;
    Ok(render(&RegisterPage {
        region_link,
        chrome: Chrome::staff("服务风险 Risks", "/risks", Some(&caller)),
        halls,
        kri_states: kris
            .iter()
            .map(|k| (k.risk_id, k.state.clone(), k.measure_zh.clone()))
            .collect(),
        inherent: heat_map(&m, &rows, false),
        residual: heat_map(&m, &rows, true),
        bands: m.bands.clone(),
        due: risks.iter().filter(|r| r.review_due).count(),
        sample: risks.iter().any(|r| r.sample),
        notices_total: all_notices.len(),
        notices: all_notices.into_iter().take(5).collect(),
        kris: kri_rows(kris),
        risks,
        hall,
    })?
    .into_response())
}

/// What the risk form offers.
pub(super) struct FormChoices {
    categories: Vec<(&'static str, String)>,
    treatments: Vec<(&'static str, String)>,
    owners: Vec<(i64, String)>,
    scale: Vec<u8>,
    measures: Vec<(&'static str, String)>,
}

async fn choices(s: &AppState, hall: &Hall, size: u8) -> Result<FormChoices, PageError> {
    let mut owners: Vec<(i64, String)> = Vec::new();
    for p in s.store.staff_list(Some(hall.id)).await? {
        if p.active {
            owners.push((p.id, format!("{} · {}", p.name, p.role.label_zh())));
        }
    }
    for p in s.store.staff_list(None).await? {
        if p.active && p.hall_id.is_none() && matches!(p.role, Role::Supervisor | Role::Admin) {
            owners.push((p.id, format!("{} · {}", p.name, p.role.label_zh())));
        }
    }
    Ok(form_choices(owners, size))
}

/// The form's lists around `owners` on a `size`×`size` matrix.
pub(super) fn form_choices(owners: Vec<(i64, String)>, size: u8) -> FormChoices {
    FormChoices {
        categories: Category::ALL
            .iter()
            .map(|c| (c.as_str(), format!("{} {}", c.label_zh(), c.label_en())))
            .collect(),
        treatments: Treatment::ALL
            .iter()
            .map(|t| (t.as_str(), format!("{} {}", t.label_zh(), t.label_en())))
            .collect(),
        owners,
        scale: (1..=size).collect(),
        measures: Measure::ALL
            .iter()
            .map(|m| (m.as_str(), format!("{} {}", m.label_zh(), m.label_en())))
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "risks/risk.html")]
pub(super) struct RiskPage {
    pub(super) chrome: Chrome,
    /// The hall's or region's name, and its register's address.
    pub(super) scope_name: String,
    pub(super) back: String,
    /// A region risk: no KRIs (they count a hall's own operations).
    pub(super) region: bool,
    /// False for a reader (a hall manager on a region risk): the form is shown, not saved.
    pub(super) can_edit: bool,
    /// `None`: a new risk.
    pub(super) risk: Option<RiskView>,
    pub(super) c: FormChoices,
    pub(super) kris: Vec<KriRow>,
    /// The residual score over the risk's changes.
    pub(super) trend: String,
    /// (when, who, what, residual score)
    pub(super) history: Vec<(String, String, String, i64)>,
    pub(super) data: String,
}

async fn new_risk(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<HallQ>,
) -> Result<axum::response::Response, PageError> {
    if let Some(code) = q.region.as_deref().filter(|c| !c.is_empty()) {
        return region::new_risk(&s, &caller, code).await;
    }
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    caller.require(Permission::ManageRisks, hall.id)?;
    let m = s.store.risk_matrix(hall.id).await?;
    Ok(render(&RiskPage {
        chrome: Chrome::staff("登记风险 New risk", "/risks", Some(&caller)),
        scope_name: hall.name.clone(),
        back: format!("/risks?hall={}", hall.code),
        region: false,
        can_edit: true,
        c: choices(&s, &hall, m.size).await?,
        risk: None,
        kris: Vec::new(),
        trend: String::new(),
        history: Vec::new(),
        data: json_for_script(&serde_json::json!({ "hall": hall.code, "risk": null })),
    })?
    .into_response())
}

async fn show(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<axum::response::Response, PageError> {
    let r = s.store.get(id).await?;
    let Some(hall_id) = r.hall_id else {
        return region::show(&s, &caller, r).await;
    };
    caller.require(Permission::ManageRisks, hall_id)?;
    let hall = s.store.hall(hall_id).await?;
    let m = s.store.risk_matrix(hall.id).await?;
    let view = RiskView::new(&r, &m, today(&s, &hall));
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let changes = s.store.risk_changes(id).await?;
    let scores: Vec<i64> = changes.iter().map(|c| c.residual_score).collect();
    let kris = kri_views(&s, hall.id)
        .await?
        .into_iter()
        .filter(|k| k.risk_id == id)
        .collect();
    Ok(render(&RiskPage {
        chrome: Chrome::staff(&format!("{} {}", r.code, r.title), "/risks", Some(&caller)),
        scope_name: hall.name.clone(),
        back: format!("/risks?hall={}", hall.code),
        region: false,
        can_edit: true,
        c: choices(&s, &hall, m.size).await?,
        trend: line(&scores, &[]),
        history: changes
            .iter()
            .rev()
            .map(|c| {
                (
                    local(c.at, tz).format("%Y-%m-%d %H:%M").to_string(),
                    c.by_name.clone().unwrap_or_else(|| "系统 System".into()),
                    c.summary.clone(),
                    c.residual_score,
                )
            })
            .collect(),
        kris: kri_rows(kris),
        data: json_for_script(&serde_json::json!({ "hall": hall.code, "risk": id })),
        risk: Some(view),
    })?
    .into_response())
}

/// The residual trend and the history lines of a risk's changes, newest first.
pub(super) fn history_lines(
    changes: &[servicehall_store::RiskChange],
    tz: chrono_tz::Tz,
) -> (String, Vec<(String, String, String, i64)>) {
    let scores: Vec<i64> = changes.iter().map(|c| c.residual_score).collect();
    let lines = changes
        .iter()
        .rev()
        .map(|c| {
            (
                local(c.at, tz).format("%Y-%m-%d %H:%M").to_string(),
                c.by_name.clone().unwrap_or_else(|| "系统 System".into()),
                c.summary.clone(),
                c.residual_score,
            )
        })
        .collect();
    (line(&scores, &[]), lines)
}
