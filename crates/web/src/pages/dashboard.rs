//! The hall manager's live dashboard (值班看板).

use super::{Chrome, HallQuery, hall_for, json_for_script, render};
use crate::AppState;
use crate::auth::Caller;
use crate::error::PageError;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use servicehall_domain::access::Permission;

pub fn routes() -> Router<AppState> {
    Router::new().route("/manager", get(dashboard))
}

#[derive(Template)]
#[template(path = "dashboard/manager.html")]
struct Dashboard {
    chrome: Chrome,
    data: String,
    hall_name: String,
    hall_code: String,
    /// Real-name bad ratings of the last 30 days still without their call-back (服务补救).
    callbacks_missing: usize,
    /// The wait estimate's accuracy, today and the last 7 days (`dashboard/accuracy.html`).
    accuracy: Vec<crate::api::queue::accuracy::AccuracyRow>,
    /// Today's missed and late site checks (`dashboard/site_checks.html`); `None` for who
    /// does not inspect.
    site_checks: Option<crate::api::inspections::site_checks::SiteChecksToday>,
    /// KRI crossings on the hall's risks not yet reviewed (服务风险), for those who keep them.
    risk_notices: Vec<super::risks::notices::Line>,
    /// The hall's edge, online or offline, when an edge runs it (`edge/line.html`).
    edge: Option<crate::edge::view::EdgeHallView>,
}

async fn dashboard(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<HallQuery>,
) -> Result<impl IntoResponse, PageError> {
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    // Pause, close and move go through the counters' routes; who may not work counters
    // (a supervisor) gets the rows without the buttons.
    let can_act = caller.actor.may(Permission::OperateCounter, hall.id) && caller.is_person();
    let data =
        serde_json::json!({ "hall": hall.code, "timezone": hall.timezone, "can_act": can_act });
    let now = s.now();
    let callbacks_missing = s
        .store
        .recovery_items(hall.id, now - 30 * 24 * 3_600_000, now + 1, now)
        .await?
        .iter()
        .filter(|i| i.real_name && !i.callback_recorded)
        .count();
    let accuracy =
        crate::api::queue::accuracy::dashboard_rows(s.store.as_ref(), &hall, now).await?;
    let site_checks = match caller.actor.may(Permission::Observe, hall.id) {
        true => Some(
            crate::api::inspections::site_checks::site_checks_today(s.store.as_ref(), &hall, now)
                .await?,
        ),
        false => None,
    };
    let risk_notices = if caller.actor.may(Permission::ManageRisks, hall.id) {
        super::risks::notices::lines(&s, &hall, None).await?
    } else {
        Vec::new()
    };
    let edge = crate::edge::hall_badge(&s, hall.id).await?;
    render(&Dashboard {
        edge,
        site_checks,
        risk_notices,
        hall_code: hall.code.clone(),
        chrome: Chrome::staff("值班看板 Dashboard", "/manager", Some(&caller)),
        data: json_for_script(&data),
        hall_name: hall.name,
        callbacks_missing,
        accuracy,
    })
}
