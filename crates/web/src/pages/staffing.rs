//! 排班建议 The staffing advisor's screen: a day's forecast, recommended, planned and actual
//! counters and predicted waits as a chart and a table; the plan form (managers); the replay
//! of a past day. The figures come from `api::staffing`; the plan is saved through its API.

use super::{Chrome, json_for_script, render};
use crate::AppState;
use crate::api::staffing::view::{SlotView, StaffingDayView};
use crate::api::staffing::{hall_today, hours, parse_date, parse_level, staffing_day};
use crate::auth::Caller;
use crate::error::PageError;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use chrono::Duration;
use servicehall_domain::access::Permission;

pub fn routes() -> Router<AppState> {
    Router::new().route("/staffing", get(page))
}

#[derive(serde::Deserialize, Default)]
struct PageQuery {
    hall: Option<String>,
    date: Option<String>,
    level: Option<String>,
}

#[derive(Template)]
#[template(path = "staffing/day.html")]
struct StaffingPage {
    chrome: Chrome,
    data: String,
    hall_name: String,
    day: StaffingDayView,
    /// The half-hours shown: the hall's hours, widened to any with arrivals or a plan.
    rows: Vec<SlotView>,
    kind_label: String,
    level_pct: u32,
    /// The levels offered, the chosen one marked.
    levels: Vec<(u32, bool)>,
    can_plan: bool,
    is_past: bool,
    prev: String,
    next: String,
    today: String,
    /// The counters' skills (主办/兼办 per business type) and who is on duty at each.
    skills: Vec<SkillRow>,
    /// Business types no counter takes as 主办 (only 兼办, or none).
    no_primary: Vec<String>,
}

/// One counter's skills beside the plan.
struct SkillRow {
    number: i64,
    clerk: String,
    primary: String,
    secondary: String,
}

/// The counters' 主办/兼办 (stored on the counters) with who staffs each now.
async fn skills(s: &AppState, hall_id: i64) -> Result<(Vec<SkillRow>, Vec<String>), PageError> {
    let types = s.store.business_types(hall_id).await?;
    let name = |id: &i64| {
        types
            .iter()
            .find(|t| t.id == *id)
            .map(|t| t.name_zh.clone())
            .unwrap_or_default()
    };
    let counters = s.store.counters(hall_id).await?;
    let rows = counters
        .iter()
        .map(|c| SkillRow {
            number: c.number,
            clerk: c
                .clerk
                .as_ref()
                .map(|k| format!("{} {}", k.name, k.badge_no))
                .unwrap_or_default(),
            primary: c.primary.iter().map(name).collect::<Vec<_>>().join("、"),
            secondary: c.secondary.iter().map(name).collect::<Vec<_>>().join("、"),
        })
        .collect();
    let no_primary = types
        .iter()
        .filter(|t| t.active && !counters.iter().any(|c| c.primary.contains(&t.id)))
        .map(|t| t.name_zh.clone())
        .collect();
    Ok((rows, no_primary))
}

async fn page(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<PageQuery>,
) -> Result<impl IntoResponse, PageError> {
    let hall = super::hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    let today = hall_today(&hall, s.now());
    let date = match q.date.as_deref().filter(|d| !d.is_empty()) {
        Some(d) => parse_date(d)?,
        None => today,
    };
    let level = parse_level(q.level.as_deref().filter(|l| !l.is_empty()))?;
    let day = staffing_day(&s, &hall, date, level).await?;
    let (opens, closes) = hours(&hall);
    let busy =
        |r: &SlotView| r.forecast_arrivals > 0.0 || r.planned_counters.is_some_and(|c| c > 0);
    let first = day
        .slots
        .iter()
        .position(busy)
        .map_or(opens, |f| f.min(opens));
    let last = day
        .slots
        .iter()
        .rposition(busy)
        .map_or(closes, |l| (l + 1).max(closes));
    let rows = day.slots[first..last].to_vec();
    let can_plan = caller.actor.may(Permission::Administer, hall.id) && caller.is_person();
    let data = serde_json::json!({
        "hall": hall.code, "timezone": hall.timezone, "date": day.date,
        "can_plan": can_plan, "is_past": date < today, "first": first, "day": &day,
    });
    let (skills, no_primary) = skills(&s, hall.id).await?;
    let kind_label = match day.day_kind.as_str() {
        "holiday" => format!("节假日 Holiday {}", day.day_name),
        "weekend" => "周末 Weekend".to_string(),
        "make_up_workday" => format!("调休上班 Make-up working day {}", day.day_name),
        _ => "工作日 Working day".to_string(),
    };
    render(&StaffingPage {
        chrome: Chrome::staff("排班建议 Staffing", "/staffing", Some(&caller)),
        data: json_for_script(&data),
        hall_name: hall.name.clone(),
        rows,
        kind_label,
        level_pct: (level * 100.0).round() as u32,
        levels: [70, 80, 90, 95]
            .iter()
            .map(|p| (*p, *p == (level * 100.0).round() as u32))
            .collect(),
        can_plan,
        is_past: date < today,
        prev: (date - Duration::days(1)).format("%Y-%m-%d").to_string(),
        next: (date + Duration::days(1)).format("%Y-%m-%d").to_string(),
        today: today.format("%Y-%m-%d").to_string(),
        skills,
        no_primary,
        day,
    })
}
