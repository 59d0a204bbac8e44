//! 今日现场检查 · today's site checks and the schedule they follow: per hall the opening,
//! midday and closing checks, per clerk the pre-shift check, each upcoming, due, late,
//! missed or done (the rule is the domain's `inspections::schedule`). The same day
//! computation feeds the dashboard, the counter's gate and the period figures.

use crate::AppState;
use crate::api::access_rule::{Access, access};
use crate::api::feedback::settings::SettingChangeView;
use crate::api::{JsonBody, resolve_hall};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::{Path, State};
use chrono::{Days, NaiveDate, NaiveTime};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use servicehall_domain::Role;
use servicehall_domain::access::Permission;
use servicehall_domain::inspections::schedule::{
    CheckState, Gate, PreShiftMode, Schedule, Slot, SlotStatus, Window, clerk_check, hall_check,
    parse_hm, pre_shift_gate,
};
use servicehall_domain::time::{at_local, hhmm, parse_tz, service_day};
use servicehall_store::{CounterOpening, Hall, Staff, Store, StoreError, SubmittedCheck};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    use Access::StaffPerm;
    use Permission::{Administer, Observe};
    OpenApiRouter::new()
        .routes(access(StaffPerm(Observe), routes!(today)))
        .routes(access(StaffPerm(Observe), routes!(show_schedule)))
        .routes(access(StaffPerm(Administer), routes!(change_schedule)))
}

pub fn hall_tz(hall: &Hall) -> Tz {
    parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai)
}

/// Hall-local midnight of `day` and of the day after.
pub fn day_span(day: NaiveDate, tz: Tz) -> (i64, i64) {
    let next = day.checked_add_days(Days::new(1)).unwrap_or(day);
    (
        at_local(day, NaiveTime::MIN, tz),
        at_local(next, NaiveTime::MIN, tz),
    )
}

/// Where a state stands, as the JSON says it.
#[derive(Debug, Clone, Copy, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CheckStateView {
    Upcoming,
    Due,
    Late,
    Missed,
    Done,
}

impl From<CheckState> for CheckStateView {
    fn from(s: CheckState) -> Self {
        match s {
            CheckState::Upcoming => Self::Upcoming,
            CheckState::Due => Self::Due,
            CheckState::Late => Self::Late,
            CheckState::Missed => Self::Missed,
            CheckState::Done => Self::Done,
        }
    }
}

/// One scheduled check today: a hall check, or one clerk's pre-shift check.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SiteCheckView {
    /// `pre_shift`, `opening`, `midday` or `closing`.
    pub slot: String,
    /// The checklist an inspection of it runs (`pre_shift_grooming` …).
    pub template_code: String,
    pub label: String,
    /// `08:00–08:30`
    pub window: String,
    pub state: CheckStateView,
    /// `待检查 · due` …
    pub state_label: String,
    /// The clerk, for a pre-shift check.
    pub staff_id: Option<i64>,
    pub staff_name: Option<String>,
    pub badge_no: Option<String>,
    /// The inspection that counts, when done.
    pub inspection_id: Option<i64>,
    /// Hall-local `HH:MM` of its submission.
    pub done_at: Option<String>,
    /// Done after the window (or after the clerk's counter opened).
    pub done_late: bool,
    pub score: Option<String>,
    pub passed: Option<bool>,
    /// The clerk's first counter opening today, `HH:MM`.
    pub counter_opened_at: Option<String>,
}

impl SiteCheckView {
    /// `upcoming` … `done`, for a page's classes.
    pub fn state_str(&self) -> &'static str {
        match self.state {
            CheckStateView::Upcoming => "upcoming",
            CheckStateView::Due => "due",
            CheckStateView::Late => "late",
            CheckStateView::Missed => "missed",
            CheckStateView::Done => "done",
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct StateCounts {
    pub upcoming: u32,
    pub due: u32,
    pub late: u32,
    pub missed: u32,
    pub done: u32,
}

impl StateCounts {
    pub fn add(&mut self, s: CheckState) {
        match s {
            CheckState::Upcoming => self.upcoming += 1,
            CheckState::Due => self.due += 1,
            CheckState::Late => self.late += 1,
            CheckState::Missed => self.missed += 1,
            CheckState::Done => self.done += 1,
        }
    }
}

/// Today's site checks of a hall.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SiteChecksToday {
    pub hall: String,
    /// The hall-local date, `YYYY-MM-DD`.
    pub date: String,
    /// `block` or `warn`.
    pub pre_shift_mode: String,
    /// Opening, midday and closing.
    pub hall_checks: Vec<SiteCheckView>,
    /// One per clerk on duty or still due today.
    pub clerks: Vec<SiteCheckView>,
    pub counts: StateCounts,
}

/// What a day's states are computed from.
pub struct DayFacts<'a> {
    pub schedule: &'a Schedule,
    pub tz: Tz,
    pub day: NaiveDate,
    pub checks: &'a [SubmittedCheck],
    pub openings: &'a [CounterOpening],
    pub clerks: &'a [Staff],
}

fn view(
    slot: Slot,
    w: Window,
    st: SlotStatus,
    check: Option<&SubmittedCheck>,
    tz: Tz,
) -> SiteCheckView {
    SiteCheckView {
        slot: slot.as_str().into(),
        template_code: slot.template_code().into(),
        label: slot.label().into(),
        window: w.label(),
        state: st.state.into(),
        state_label: st.state.label().into(),
        staff_id: None,
        staff_name: None,
        badge_no: None,
        inspection_id: check.map(|c| c.id),
        done_at: st.done_at.map(|t| hhmm(t, tz)),
        done_late: st.done_late,
        score: check.map(|c| format!("{:.1}", c.score_tenths as f64 / 10.0)),
        passed: check.map(|c| c.passed),
        counter_opened_at: None,
    }
}

/// The hall checks and the clerks' pre-shift checks of one day as of `now` (a past day:
/// pass its end, so every open check is settled as missed).
pub fn day_checks(f: &DayFacts<'_>, now: i64) -> (Vec<SiteCheckView>, Vec<SiteCheckView>) {
    let (midnight, _) = day_span(f.day, f.tz);
    let grace = f.schedule.grace_ms();
    let found = |code: &str, at: i64, who: Option<i64>| {
        f.checks
            .iter()
            .find(|c| c.template_code == code && c.submitted_at == at && c.subject_staff_id == who)
    };
    let mut hall = Vec::new();
    for slot in Slot::HALL {
        let w = f.schedule.window(slot);
        let times: Vec<i64> = f
            .checks
            .iter()
            .filter(|c| c.template_code == slot.template_code())
            .map(|c| c.submitted_at)
            .collect();
        let st = hall_check(w, grace, midnight, &times, now);
        let check = st.done_at.and_then(|t| {
            f.checks
                .iter()
                .find(|c| c.template_code == slot.template_code() && c.submitted_at == t)
        });
        hall.push(view(slot, w, st, check, f.tz));
    }
    let mut clerks = Vec::new();
    let w = f.schedule.pre_shift;
    let code = Slot::PreShift.template_code();
    for p in f.clerks {
        let times: Vec<i64> = f
            .checks
            .iter()
            .filter(|c| c.template_code == code && c.subject_staff_id == Some(p.id))
            .map(|c| c.submitted_at)
            .collect();
        let first_open = f
            .openings
            .iter()
            .filter(|o| o.staff_id == p.id)
            .map(|o| o.at)
            .min();
        let Some(st) = clerk_check(w, grace, midnight, &times, first_open, now) else {
            continue;
        };
        let check = st.done_at.and_then(|t| found(code, t, Some(p.id)));
        let mut v = view(Slot::PreShift, w, st, check, f.tz);
        v.staff_id = Some(p.id);
        v.staff_name = Some(p.name.clone());
        v.badge_no = Some(p.badge_no.clone());
        v.counter_opened_at = first_open.map(|t| hhmm(t, f.tz));
        clerks.push(v);
    }
    (hall, clerks)
}

/// The hall's active clerks, by badge.
pub async fn hall_clerks(store: &dyn Store, hall_id: i64) -> Result<Vec<Staff>, StoreError> {
    let mut clerks: Vec<Staff> = store
        .staff_list(Some(hall_id))
        .await?
        .into_iter()
        .filter(|p| p.active && p.role == Role::Clerk)
        .collect();
    clerks.sort_by(|a, b| a.badge_no.cmp(&b.badge_no));
    Ok(clerks)
}

/// Today's site checks of a hall as of `now`.
pub async fn site_checks_today(
    store: &dyn Store,
    hall: &Hall,
    now: i64,
) -> ApiResult<SiteChecksToday> {
    let tz = hall_tz(hall);
    let day = service_day(now, tz);
    let (from, to) = day_span(day, tz);
    let schedule = store.inspection_schedule(hall.id).await?;
    let checks = store.submitted_checks(hall.id, from, to).await?;
    let openings = store.counter_openings(hall.id, from, to).await?;
    let clerks = hall_clerks(store, hall.id).await?;
    let facts = DayFacts {
        schedule: &schedule,
        tz,
        day,
        checks: &checks,
        openings: &openings,
        clerks: &clerks,
    };
    let (mut hall_checks, clerks) = day_checks(&facts, now);
    // As in the figures: a day with no counter opened and no check recorded is a day the
    // hall did not open (a weekend, a holiday), so its windows passing is no miss.
    if openings.is_empty() && checks.is_empty() {
        hall_checks.retain(|v| !matches!(v.state, CheckStateView::Missed));
    }
    let mut counts = StateCounts::default();
    for v in hall_checks.iter().chain(&clerks) {
        counts.add(match v.state {
            CheckStateView::Upcoming => CheckState::Upcoming,
            CheckStateView::Due => CheckState::Due,
            CheckStateView::Late => CheckState::Late,
            CheckStateView::Missed => CheckState::Missed,
            CheckStateView::Done => CheckState::Done,
        });
    }
    Ok(SiteChecksToday {
        hall: hall.code.clone(),
        date: day.to_string(),
        pre_shift_mode: schedule.pre_shift_mode.as_str().into(),
        hall_checks,
        clerks,
        counts,
    })
}

/// What opening a counter meets for this person today: only clerks are checked.
pub async fn counter_gate(
    store: &dyn Store,
    hall: &Hall,
    who: &Staff,
    now: i64,
) -> ApiResult<Gate> {
    if who.role != Role::Clerk {
        return Ok(Gate::Open);
    }
    let (from, to) = day_span(service_day(now, hall_tz(hall)), hall_tz(hall));
    let schedule = store.inspection_schedule(hall.id).await?;
    let checked = store
        .submitted_checks(hall.id, from, to)
        .await?
        .iter()
        .any(|c| {
            c.template_code == Slot::PreShift.template_code() && c.subject_staff_id == Some(who.id)
        });
    Ok(pre_shift_gate(schedule.pre_shift_mode, checked, &who.name))
}

/// Today's site checks: the hall's opening, midday and closing checks and each clerk's
/// pre-shift check, with their state (upcoming, due, late, missed, done).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/site-checks/today", tag = "inspections",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, body = SiteChecksToday), (status = 403, body = crate::error::Problem)))]
pub async fn today(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<Json<SiteChecksToday>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::Observe, hall.id)?;
    Ok(Json(
        site_checks_today(s.store.as_ref(), &hall, s.now()).await?,
    ))
}

/// A hall's inspection schedule; windows are hall-local `HH:MM`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleView {
    /// `block`: a clerk's counter does not open until the pre-shift check is recorded;
    /// `warn`: it opens and the console says the check is missing.
    pub pre_shift_mode: String,
    /// `["08:00", "08:30"]`
    pub pre_shift: [String; 2],
    pub opening: [String; 2],
    pub midday: [String; 2],
    pub closing: [String; 2],
    /// Minutes after a window during which a check is late rather than missed (0–240).
    pub grace_min: u32,
    /// 整改期限: working days (1–30) to put right a failed critical item; left out on a
    /// change, the hall's current value stays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rect_critical_days: Option<u32>,
    /// Working days (1–30) for any other failed item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rect_other_days: Option<u32>,
}

fn pair(w: Window) -> [String; 2] {
    let l = w.label();
    let (a, b) = l.split_once('–').unwrap_or(("", ""));
    [a.to_string(), b.to_string()]
}

impl From<&Schedule> for ScheduleView {
    fn from(s: &Schedule) -> Self {
        Self {
            pre_shift_mode: s.pre_shift_mode.as_str().into(),
            pre_shift: pair(s.pre_shift),
            opening: pair(s.opening),
            midday: pair(s.midday),
            closing: pair(s.closing),
            grace_min: s.grace_min,
            rect_critical_days: Some(s.rect_critical_days),
            rect_other_days: Some(s.rect_other_days),
        }
    }
}

impl ScheduleView {
    /// The schedule (limits left out keep `current`'s), or what to fix in both languages.
    pub fn parse(&self, current: &Schedule) -> Result<Schedule, String> {
        let mode = match self.pre_shift_mode.as_str() {
            "block" => PreShiftMode::Block,
            "warn" => PreShiftMode::Warn,
            other => {
                return Err(format!(
                    "班前检查方式须为 block（未检查不能开窗）或 warn（提醒） · pre_shift_mode must be block or warn, got {other:?}"
                ));
            }
        };
        let win = |slot: Slot, [a, b]: &[String; 2]| match (parse_hm(a), parse_hm(b)) {
            (Some(start), Some(end)) => Ok(Window::new(start, end)),
            _ => Err(format!(
                "{}的时间须为 HH:MM（如 08:00） · the {} window needs HH:MM times such as 08:00, got {a:?}–{b:?}",
                slot.label().split(" · ").next().unwrap_or(""),
                slot.as_str()
            )),
        };
        let s = Schedule {
            pre_shift_mode: mode,
            pre_shift: win(Slot::PreShift, &self.pre_shift)?,
            opening: win(Slot::Opening, &self.opening)?,
            midday: win(Slot::Midday, &self.midday)?,
            closing: win(Slot::Closing, &self.closing)?,
            grace_min: self.grace_min,
            rect_critical_days: self
                .rect_critical_days
                .unwrap_or(current.rect_critical_days),
            rect_other_days: self.rect_other_days.unwrap_or(current.rect_other_days),
        };
        s.validate()?;
        Ok(s)
    }
}

/// The hall's inspection schedule.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/inspection-schedule", tag = "inspections",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, body = ScheduleView), (status = 403, body = crate::error::Problem)))]
pub async fn show_schedule(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<Json<ScheduleView>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::Observe, hall.id)?;
    Ok(Json((&s.store.inspection_schedule(hall.id).await?).into()))
}

/// Sets the hall's schedule (hall manager or administrator); the answer lists the audited
/// changes, empty when nothing changed.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/inspection-schedule", tag = "inspections",
    params(("hall" = String, Path, description = "hall code or id")),
    request_body = ScheduleView,
    responses((status = 200, body = Vec<SettingChangeView>), (status = 422, body = crate::error::Problem)))]
pub async fn change_schedule(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    JsonBody(b): JsonBody<ScheduleView>,
) -> ApiResult<Json<Vec<SettingChangeView>>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::Administer, hall.id)?;
    let current = s.store.inspection_schedule(hall.id).await?;
    let schedule = b.parse(&current).map_err(ApiError::unprocessable)?;
    let by = caller.actor.staff_id;
    let changes = s
        .store
        .change_inspection_schedule(hall.id, &schedule, by, s.now())
        .await?;
    Ok(Json(changes.iter().map(SettingChangeView::from).collect()))
}
