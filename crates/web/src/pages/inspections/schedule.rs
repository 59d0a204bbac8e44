//! 检查计划 · the hall's inspection schedule: pre-shift block or warn, the opening, midday
//! and closing windows and the grace, with who changed what. The hall manager and
//! administrators edit (through `PUT /api/v1/halls/{hall}/inspection-schedule`); supervisors
//! read.

use crate::AppState;
use crate::api::inspections::site_checks::{ScheduleView, hall_tz};
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::{Chrome, hall_for, json_for_script, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use serde::Deserialize;
use servicehall_domain::access::Permission;
use servicehall_domain::inspections::schedule::Slot;
use servicehall_domain::time::local;
use servicehall_store::Hall;

pub fn routes() -> Router<AppState> {
    Router::new().route("/inspections/schedule", get(page))
}

#[derive(Deserialize)]
struct PageQuery {
    hall: Option<String>,
}

struct WindowRow {
    key: &'static str,
    label: &'static str,
    start: String,
    end: String,
}

struct Change {
    at: String,
    setting: String,
    old_value: String,
    new_value: String,
    by: String,
}

#[derive(Template)]
#[template(path = "inspections/schedule.html")]
struct SchedulePage {
    chrome: Chrome,
    hall: Hall,
    block: bool,
    windows: Vec<WindowRow>,
    grace_min: u32,
    rect_critical_days: u32,
    rect_other_days: u32,
    editable: bool,
    changes: Vec<Change>,
    data: String,
}

const FIELDS: [&str; 8] = [
    "pre_shift_mode",
    "pre_shift",
    "opening",
    "midday",
    "closing",
    "grace_min",
    "rect_critical_days",
    "rect_other_days",
];

/// A setting as the change list names it, in both languages.
fn setting_label(code: &str) -> String {
    match code {
        "pre_shift_mode" => "班前检查方式 · pre-shift mode".into(),
        "grace_min" => "宽限（分钟） · grace (minutes)".into(),
        "rect_critical_days" => {
            "关键项整改期限（工作日） · critical items' limit (working days)".into()
        }
        "rect_other_days" => "其他项整改期限（工作日） · other items' limit (working days)".into(),
        other => Slot::ALL
            .iter()
            .find(|s| s.as_str() == other)
            .map_or_else(|| other.to_string(), |s| s.label().to_string()),
    }
}

async fn page(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<PageQuery>,
) -> Result<impl IntoResponse, PageError> {
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    caller.require(Permission::Observe, hall.id)?;
    let schedule = s.store.inspection_schedule(hall.id).await?;
    let view = ScheduleView::from(&schedule);
    let windows = Slot::ALL
        .iter()
        .map(|&slot| {
            let [start, end] = match slot {
                Slot::PreShift => view.pre_shift.clone(),
                Slot::Opening => view.opening.clone(),
                Slot::Midday => view.midday.clone(),
                Slot::Closing => view.closing.clone(),
            };
            WindowRow {
                key: slot.as_str(),
                label: slot.label(),
                start,
                end,
            }
        })
        .collect();
    let staff = s.store.staff_list(Some(hall.id)).await?;
    let tz = hall_tz(&hall);
    let changes = s
        .store
        .settings_audit(Some(hall.id), 200)
        .await?
        .into_iter()
        .filter(|c| FIELDS.contains(&c.setting.as_str()))
        .take(20)
        .map(|c| Change {
            at: local(c.at, tz).format("%Y-%m-%d %H:%M").to_string(),
            by: c
                .by_staff
                .and_then(|id| staff.iter().find(|p| p.id == id))
                .map_or_else(|| "—".into(), |p| p.name.clone()),
            setting: setting_label(&c.setting),
            old_value: c.old_value,
            new_value: c.new_value,
        })
        .collect();
    render(&SchedulePage {
        chrome: Chrome::staff(
            "检查计划 Inspection schedule",
            "/inspections",
            Some(&caller),
        ),
        block: view.pre_shift_mode == "block",
        windows,
        grace_min: schedule.grace_min,
        rect_critical_days: schedule.rect_critical_days,
        rect_other_days: schedule.rect_other_days,
        editable: caller.actor.may(Permission::Administer, hall.id),
        changes,
        data: json_for_script(&serde_json::json!({ "hall": hall.code })),
        hall,
    })
}
