//! 检查统计 · the inspection figures over a span of days: scores by period, by zone (a
//! checklist's section: 门前与入口, 营业大厅, 柜台 …) and by item, the most-failed items, and
//! the schedule's done, late and missed checks; and the caller's halls side by side (a
//! regional supervisor sees the region's).
//!
//! A day counts for the schedule only when the hall worked (a counter opened or a check was
//! submitted), so a closed Sunday is not a day of missed checks.

use super::site_checks::{DayFacts, StateCounts, day_checks, day_span, hall_clerks, hall_tz};
use crate::AppState;
use crate::api::access_rule::{Access, access};
use crate::api::resolve_hall;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::{Path, Query, State};
use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};
use servicehall_domain::access::Permission;
use servicehall_domain::inspections::Outcome;
use servicehall_domain::inspections::schedule::CheckState;
use servicehall_domain::inspections::score::{Share, format_tenths};
use servicehall_domain::time::service_day;
use servicehall_store::{Hall, InspectionTemplate, Store};
use std::collections::{BTreeMap, HashMap};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(access(
            Access::StaffPerm(Permission::Observe),
            routes!(hall_figures),
        ))
        .routes(access(
            Access::Any(Permission::Observe),
            routes!(halls_side_by_side),
        ))
}

/// The longest span asked at once.
const MAX_DAYS: i64 = 366;

#[derive(Debug, Deserialize, IntoParams)]
pub struct FiguresQuery {
    /// First day, `YYYY-MM-DD` (hall-local); default 30 days before `to`.
    pub from: Option<String>,
    /// Last day, inclusive; default today.
    pub to: Option<String>,
    /// `day`, `week` or `month` (default `week`).
    pub period: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScoreLine {
    /// The period (`2026-11-02`, `2026-W45`, `2026-11`), zone or item it is about.
    pub key: String,
    pub label: String,
    /// Submitted checks (or, for an item, checks where it applied).
    pub checks: u32,
    /// Weighted score over the checks, one decimal; `—` without any.
    pub score: String,
    /// Checks passed (for an item: times it failed).
    pub passed: u32,
    pub failed: u32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HallFigures {
    pub hall: String,
    pub hall_name: String,
    pub from: String,
    pub to: String,
    pub overall: ScoreLine,
    pub by_period: Vec<ScoreLine>,
    /// Per checklist section, worst first.
    pub by_zone: Vec<ScoreLine>,
    /// Per item that ever applied, most failed first.
    pub by_item: Vec<ScoreLine>,
    /// The schedule's checks over the days the hall worked: done, late (grace), missed.
    pub schedule: StateCounts,
    /// Of the done ones, how many after their window.
    pub done_late: u32,
}

fn parse_day(s: &str, what: &str) -> ApiResult<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        ApiError::unprocessable(format!(
            "{what} 须为 YYYY-MM-DD 日期 · {what} must be a date like 2026-11-02, got {s:?}"
        ))
    })
}

fn period_key(day: NaiveDate, period: &str) -> String {
    match period {
        "day" => day.to_string(),
        "month" => format!("{}-{:02}", day.year(), day.month()),
        _ => {
            let w = day.iso_week();
            format!("{}-W{:02}", w.year(), w.week())
        }
    }
}

#[derive(Default)]
struct Tally {
    share: Share,
    checks: u32,
    passed: u32,
    failed: u32,
}

impl Tally {
    fn line(&self, key: String, label: String) -> ScoreLine {
        ScoreLine {
            key,
            label,
            checks: self.checks,
            score: format_tenths(self.share.tenths()),
            passed: self.passed,
            failed: self.failed,
        }
    }
}

/// The figures of one hall over `[from, to]` (hall-local days) as of `now`.
pub async fn figures(
    store: &dyn Store,
    hall: &Hall,
    from: NaiveDate,
    to: NaiveDate,
    period: &str,
    now: i64,
) -> ApiResult<HallFigures> {
    let tz = hall_tz(hall);
    let (start, _) = day_span(from, tz);
    let (_, end) = day_span(to, tz);
    let checks = store.submitted_checks(hall.id, start, end).await?;
    let items = store.check_item_results(hall.id, start, end).await?;
    let openings = store.counter_openings(hall.id, start, end).await?;
    let schedule = store.inspection_schedule(hall.id).await?;
    let clerks = hall_clerks(store, hall.id).await?;
    let mut templates: HashMap<i64, InspectionTemplate> = HashMap::new();
    for c in &checks {
        if let std::collections::hash_map::Entry::Vacant(e) = templates.entry(c.template_id) {
            e.insert(store.inspection_template(c.template_id).await?);
        }
    }
    let mut overall = Tally::default();
    let mut periods: BTreeMap<String, Tally> = BTreeMap::new();
    let mut zones: BTreeMap<(String, String), (String, Tally)> = BTreeMap::new();
    let mut by_item: BTreeMap<(String, String), (String, Tally)> = BTreeMap::new();
    let mut per_inspection: HashMap<i64, Vec<_>> = HashMap::new();
    for r in &items {
        per_inspection.entry(r.inspection_id).or_default().push(r);
    }
    for c in &checks {
        let Some(t) = templates.get(&c.template_id) else {
            continue;
        };
        let mut share = Share::default();
        for r in per_inspection.get(&c.id).into_iter().flatten() {
            let (Some(item), Some(sec)) = (
                t.template.item(&r.item_key),
                t.template
                    .sections
                    .iter()
                    .find(|s| s.items.iter().any(|i| i.key == r.item_key)),
            ) else {
                continue;
            };
            if r.outcome == Outcome::NotApplicable {
                continue;
            }
            let pass = r.outcome == Outcome::Pass;
            let w = item.weight;
            let add = |s: &mut Share| {
                s.applicable += w;
                if pass {
                    s.passed += w;
                }
            };
            add(&mut share);
            let code = t.template.code.clone();
            let z = &mut zones
                .entry((code.clone(), sec.key.clone()))
                .or_insert_with(|| {
                    (
                        format!("{} · {} {}", t.template.name_zh, sec.title_zh, sec.title_en),
                        Tally::default(),
                    )
                })
                .1;
            add(&mut z.share);
            let it = &mut by_item
                .entry((code, item.key.clone()))
                .or_insert_with(|| {
                    (
                        format!("{} · {}", item.text_zh, item.text_en),
                        Tally::default(),
                    )
                })
                .1;
            add(&mut it.share);
            it.checks += 1;
            if pass {
                it.passed += 1;
            } else {
                it.failed += 1;
            }
        }
        let day = service_day(c.submitted_at, tz);
        for tally in [
            &mut overall,
            periods.entry(period_key(day, period)).or_default(),
        ] {
            tally.share.passed += share.passed;
            tally.share.applicable += share.applicable;
            tally.checks += 1;
            if c.passed {
                tally.passed += 1;
            } else {
                tally.failed += 1;
            }
        }
    }
    // The schedule day by day, only on the days the hall worked.
    let mut counts = StateCounts::default();
    let mut done_late = 0;
    let mut day = from;
    while day <= to {
        let (a, b) = day_span(day, tz);
        let day_checks_of: Vec<_> = checks
            .iter()
            .filter(|c| c.submitted_at >= a && c.submitted_at < b)
            .cloned()
            .collect();
        let day_opens: Vec<_> = openings
            .iter()
            .filter(|o| o.at >= a && o.at < b)
            .copied()
            .collect();
        if a <= now && (!day_checks_of.is_empty() || !day_opens.is_empty()) {
            let facts = DayFacts {
                schedule: &schedule,
                tz,
                day,
                checks: &day_checks_of,
                openings: &day_opens,
                clerks: &clerks,
            };
            let (h, c) = day_checks(&facts, now.min(b));
            for v in h.iter().chain(&c) {
                let st = match v.state_str() {
                    "missed" => CheckState::Missed,
                    "late" => CheckState::Late,
                    "due" => CheckState::Due,
                    "upcoming" => CheckState::Upcoming,
                    _ => CheckState::Done,
                };
                counts.add(st);
                done_late += u32::from(v.done_late);
            }
        }
        day = day
            .checked_add_days(Days::new(1))
            .unwrap_or(to.succ_opt().unwrap_or(to));
    }
    let mut by_zone: Vec<ScoreLine> = zones
        .into_iter()
        .map(|((code, key), (label, t))| t.line(format!("{code}.{key}"), label))
        .collect();
    by_zone.sort_by(|a, b| {
        a.score
            .parse::<f64>()
            .unwrap_or(101.0)
            .total_cmp(&b.score.parse::<f64>().unwrap_or(101.0))
    });
    let mut items: Vec<ScoreLine> = by_item
        .into_iter()
        .map(|((code, key), (label, t))| t.line(format!("{code}.{key}"), label))
        .collect();
    items.sort_by(|a, b| b.failed.cmp(&a.failed).then(a.key.cmp(&b.key)));
    Ok(HallFigures {
        hall: hall.code.clone(),
        hall_name: hall.name.clone(),
        from: from.to_string(),
        to: to.to_string(),
        overall: overall.line("all".into(), "全部检查 · all checks".into()),
        by_period: periods
            .into_iter()
            .map(|(k, t)| t.line(k.clone(), k))
            .collect(),
        by_zone,
        by_item: items,
        schedule: counts,
        done_late,
    })
}

/// The span asked for, checked: at most a year, `from` not after `to`.
pub fn span(q: &FiguresQuery, today: NaiveDate) -> ApiResult<(NaiveDate, NaiveDate, String)> {
    let to = match &q.to {
        Some(s) => parse_day(s, "to")?,
        None => today,
    };
    let from = match &q.from {
        Some(s) => parse_day(s, "from")?,
        None => to.checked_sub_days(Days::new(29)).unwrap_or(to),
    };
    if from > to || (to - from).num_days() >= MAX_DAYS {
        return Err(ApiError::unprocessable(format!(
            "日期范围须从早到晚且不超过 {MAX_DAYS} 天 · from must not be after to, and the span is at most {MAX_DAYS} days"
        )));
    }
    let period = q.period.clone().unwrap_or_else(|| "week".into());
    if !matches!(period.as_str(), "day" | "week" | "month") {
        return Err(ApiError::unprocessable(format!(
            "统计周期须为日、周或月（day、week、month） · period must be day, week or month, got {period:?}"
        )));
    }
    Ok((from, to, period))
}

/// A hall's inspection figures over a span of days.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/inspection-figures", tag = "inspections",
    params(("hall" = String, Path, description = "hall code or id"), FiguresQuery),
    responses((status = 200, body = HallFigures), (status = 422, body = crate::error::Problem)))]
pub async fn hall_figures(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    Query(q): Query<FiguresQuery>,
) -> ApiResult<Json<HallFigures>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::Observe, hall.id)?;
    let now = s.now();
    let (from, to, period) = span(&q, service_day(now, hall_tz(&hall)))?;
    Ok(Json(
        figures(s.store.as_ref(), &hall, from, to, &period, now).await?,
    ))
}

/// The caller's halls side by side over a span of days (a regional supervisor: the
/// region's halls), each with its figures.
#[utoipa::path(get, path = "/api/v1/inspection-figures/halls", tag = "inspections",
    params(FiguresQuery),
    responses((status = 200, body = Vec<HallFigures>), (status = 422, body = crate::error::Problem)))]
pub async fn halls_side_by_side(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<FiguresQuery>,
) -> ApiResult<Json<Vec<HallFigures>>> {
    caller.require_any(Permission::Observe)?;
    let now = s.now();
    let mut out = Vec::new();
    for hall in s.store.halls().await? {
        if !caller.actor.may(Permission::Observe, hall.id) {
            continue;
        }
        let (from, to, period) = span(&q, service_day(now, hall_tz(&hall)))?;
        out.push(figures(s.store.as_ref(), &hall, from, to, &period, now).await?);
    }
    Ok(Json(out))
}
