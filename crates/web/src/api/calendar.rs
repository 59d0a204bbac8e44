//! The working-day calendar, public and read-only: is a date a working day, when is a
//! deadline, how much working time lies between two instants. Built-in State Council
//! schedules (Asia/Shanghai, 08:30–12:00 and 13:30–17:30); years without a schedule are
//! counted provisionally by the statutory holidays, and every such answer says
//! `provisional: true` and names the years in `uncovered_years` and `warnings`.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use servicehall_domain::access::Permission;
use servicehall_domain::calendar::{
    self, Calendar, CalendarError, Counted, DayKind, Period, format_duration, format_instant,
};
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};

/// The calendar in use: shipped schedules plus the years an administrator imported.
async fn cal(s: &AppState) -> ApiResult<Arc<Calendar>> {
    Ok(s.store.calendar().await?)
}

fn query<T>(q: Result<Query<T>, QueryRejection>) -> ApiResult<T> {
    q.map(|Query(v)| v)
        .map_err(|e| ApiError::bad_request(e.body_text()))
}

fn required<'a>(v: &'a Option<String>, name: &str, example: &str) -> ApiResult<&'a str> {
    v.as_deref().ok_or_else(|| {
        ApiError::bad_request(format!(
            "请加上查询参数 {name}={example} · add the query parameter {name}={example}"
        ))
    })
}

/// An instant from a query string. A `+` offset sent unencoded arrives as a space, so a
/// space before the offset is read back as `+`.
fn instant(v: &Option<String>, name: &str, tz: chrono_tz::Tz) -> ApiResult<i64> {
    let s = required(v, name, "2024-09-30T16:00:00%2B08:00")?;
    let fixed = match s.rfind(' ') {
        Some(i) if s.contains('T') => format!("{}+{}", &s[..i], &s[i + 1..]),
        _ => s.to_string(),
    };
    calendar::parse_instant(&fixed, tz)
        .map_err(|e| ApiError::bad_request(format!("参数 {name} 有误：{e} · bad {name}: {e}")))
}

fn count(v: &Option<String>, name: &str) -> ApiResult<Option<u32>> {
    v.as_deref()
        .map(|s| {
            s.trim().parse::<u32>().map_err(|_| {
                ApiError::bad_request(format!(
                    "{name} 须为整数，如 3（收到 {s:?}）· {name} must be a whole number such as 3, got {s:?}"
                ))
            })
        })
        .transpose()
}

fn refused(e: CalendarError) -> ApiError {
    ApiError::unprocessable(format!(
        "超出日历范围：{e}；请选择范围内的时间和天数 · {e}; choose an instant and amount within that range"
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DateQuery {
    /// `YYYY-MM-DD`
    date: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DayAnswer {
    date: String,
    working: bool,
    /// workday, weekend, holiday or make_up_workday
    #[schema(value_type = String)]
    kind: DayKind,
    /// The holiday's or make-up day's name (春节, 春节调休), empty otherwise.
    name: String,
    /// False when the year has no imported schedule.
    covered: bool,
    /// Counted by the statutory holidays only (暂按法定节假日推算): the year's schedule is
    /// not imported.
    provisional: bool,
    uncovered_years: Vec<i32>,
    warnings: Vec<String>,
}

/// Whether a date is a working day in the built-in calendar.
#[utoipa::path(get, path = "/api/v1/calendar/is-workday", tag = "calendar", params(DateQuery),
    responses((status = 200, body = DayAnswer), (status = 400, body = crate::error::Problem)))]
pub async fn is_workday(
    State(st): State<AppState>,
    q: Result<Query<DateQuery>, QueryRejection>,
) -> ApiResult<Json<DayAnswer>> {
    let q = query(q)?;
    let cal = cal(&st).await?;
    let s = required(&q.date, "date", "2026-02-14")?;
    let date = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        ApiError::bad_request(format!(
            "日期格式须为 YYYY-MM-DD，如 2026-02-14（收到 {s:?}）· date must be YYYY-MM-DD, e.g. 2026-02-14; got {s:?}"
        ))
    })?;
    let day = cal.day(date);
    let uncovered = cal.is_working_day(date).uncovered_years;
    let provisional = day.provisional();
    Ok(Json(DayAnswer {
        date: date.to_string(),
        working: day.working,
        kind: day.kind,
        name: day.name,
        covered: day.covered,
        provisional,
        warnings: uncovered
            .iter()
            .map(|y| calendar::provisional_year(*y))
            .collect(),
        uncovered_years: uncovered,
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AddQuery {
    /// The instant of acceptance, RFC 3339 (encode `+` as `%2B`), or local `2024-09-30T16:00`.
    from: Option<String>,
    /// Working days; the acceptance day is not counted; ends at close of business.
    working_days: Option<String>,
    /// Working hours: `4`, `1.5` or `4h30m`.
    working_hours: Option<String>,
    /// Calendar days; ends at close of business, moved off a day off.
    days: Option<String>,
    /// Elapsed hours: `24`, `1.5` or `4h30m`.
    hours: Option<String>,
}

/// A time limit, as one key naming its unit: `{"working_days": 3}`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PeriodView {
    WorkingDays(u32),
    /// Milliseconds of working time.
    WorkingHours(i64),
    CalendarDays(u32),
    /// Milliseconds of elapsed time.
    Hours(i64),
}

impl From<Period> for PeriodView {
    fn from(p: Period) -> Self {
        match p {
            Period::WorkingDays(d) => Self::WorkingDays(d),
            Period::WorkingHours(ms) => Self::WorkingHours(ms),
            Period::CalendarDays(d) => Self::CalendarDays(d),
            Period::Hours(ms) => Self::Hours(ms),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DeadlineAnswer {
    from: String,
    /// `{"working_days": 3}`, `{"working_hours": 14400000}` (ms) …
    period: PeriodView,
    deadline: String,
    deadline_ms: i64,
    /// The answer reaches into a year counted provisionally (暂按法定节假日推算).
    provisional: bool,
    uncovered_years: Vec<i32>,
    warnings: Vec<String>,
}

/// The deadline of a time limit: exactly one of working_days, working_hours, days, hours.
#[utoipa::path(get, path = "/api/v1/calendar/add", tag = "calendar", params(AddQuery),
    responses((status = 200, body = DeadlineAnswer), (status = 400, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn add(
    State(st): State<AppState>,
    q: Result<Query<AddQuery>, QueryRejection>,
) -> ApiResult<Json<DeadlineAnswer>> {
    let q = query(q)?;
    let cal = cal(&st).await?;
    let from = instant(&q.from, "from", cal.tz())?;
    let period = calendar::period_from(
        count(&q.working_days, "working_days")?,
        q.working_hours.as_deref(),
        count(&q.days, "days")?,
        q.hours.as_deref(),
    )
    .map_err(ApiError::bad_request)?;
    let Counted {
        value,
        uncovered_years,
    } = cal.deadline(from, period).map_err(refused)?;
    let tz = cal.tz();
    Ok(Json(DeadlineAnswer {
        from: format_instant(from, tz),
        period: period.into(),
        deadline: format_instant(value, tz),
        deadline_ms: value,
        provisional: !uncovered_years.is_empty(),
        warnings: uncovered_years
            .iter()
            .map(|y| calendar::provisional_year(*y))
            .collect(),
        uncovered_years,
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BetweenQuery {
    /// RFC 3339 or local `2024-09-30T16:00`
    from: Option<String>,
    /// RFC 3339 or local `2024-10-08T11:00`
    to: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct BetweenAnswer {
    from: String,
    to: String,
    /// Working time, e.g. `4h30m` (negative when `to` is before `from`).
    working: String,
    working_seconds: i64,
    /// Working days after `from`'s day up to and including `to`'s day.
    working_days: i64,
    /// The answer reaches into a year counted provisionally (暂按法定节假日推算).
    provisional: bool,
    uncovered_years: Vec<i32>,
    warnings: Vec<String>,
}

/// Working time between two instants (lunch, nights, weekends and holidays left out).
#[utoipa::path(get, path = "/api/v1/calendar/between", tag = "calendar", params(BetweenQuery),
    responses((status = 200, body = BetweenAnswer), (status = 400, body = crate::error::Problem)))]
pub async fn between(
    State(st): State<AppState>,
    q: Result<Query<BetweenQuery>, QueryRejection>,
) -> ApiResult<Json<BetweenAnswer>> {
    let q = query(q)?;
    let cal = cal(&st).await?;
    let tz = cal.tz();
    let (a, b) = (instant(&q.from, "from", tz)?, instant(&q.to, "to", tz)?);
    let time = cal.working_time_between(a, b).map_err(refused)?;
    let days = cal.working_days_between(a, b).map_err(refused)?;
    Ok(Json(BetweenAnswer {
        from: format_instant(a, tz),
        to: format_instant(b, tz),
        working: format_duration(time.value),
        working_seconds: time.value / 1000,
        working_days: days.value,
        provisional: time.provisional(),
        warnings: time
            .uncovered_years
            .iter()
            .map(|y| calendar::provisional_year(*y))
            .collect(),
        uncovered_years: time.uncovered_years,
    }))
}

/// One year the calendar covers, and where its schedule comes from.
#[derive(Serialize, ToSchema)]
pub struct YearLine {
    pub year: i32,
    /// The notice it comes from.
    pub source: String,
    /// `shipped` with the binary, or `imported` by an administrator.
    pub origin: String,
    pub holidays: usize,
    pub workdays: usize,
    /// The year's section in the calendar format (docs/deadlines.md).
    pub text: String,
    pub imported_at: Option<i64>,
}

/// The covered years of the calendar in use, ascending, and the first year missing.
pub async fn year_lines(s: &AppState) -> ApiResult<(Vec<YearLine>, i32)> {
    let cal = cal(s).await?;
    let imported = s.store.imported_years().await?;
    let years = cal.covered_years();
    let lines = years
        .iter()
        .filter_map(|y| cal.schedule(*y))
        .map(|y| {
            let imp = imported.iter().find(|i| i.year == y.year);
            YearLine {
                year: y.year,
                source: y.source.clone(),
                origin: if imp.is_some() { "imported" } else { "shipped" }.into(),
                holidays: y.holidays.len(),
                workdays: y.workdays.len(),
                text: y.to_text(),
                imported_at: imp.map(|i| i.imported_at),
            }
        })
        .collect();
    let next = years.last().map_or(2020, |y| y + 1);
    Ok((lines, next))
}

#[derive(Serialize, ToSchema)]
pub struct YearsAnswer {
    pub years: Vec<YearLine>,
    /// The first year after the covered ones: import it before deadlines reach it.
    pub first_missing: i32,
}

/// The years the calendar covers, with their sources (public).
#[utoipa::path(get, path = "/api/v1/calendar/years", tag = "calendar",
    responses((status = 200, body = YearsAnswer)))]
pub async fn years(State(s): State<AppState>) -> ApiResult<Json<YearsAnswer>> {
    let (years, first_missing) = year_lines(&s).await?;
    Ok(Json(YearsAnswer {
        years,
        first_missing,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportBody {
    /// One or more year sections in the calendar format.
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub struct ImportAnswer {
    pub imported: Vec<i32>,
}

/// Only administrators above halls change the calendar every hall counts with.
pub fn require_calendar_admin(caller: &Caller) -> ApiResult<()> {
    caller.require_any(Permission::Administer)?;
    if !caller.actor.deployment_wide() {
        return Err(ApiError::forbidden(
            "工作日历为各营业厅共用，只有不限区域的上级管理员可以修改 · the calendar is shared by every hall; only an administrator above halls (not limited to a region) may change it",
        ));
    }
    Ok(())
}

/// Imports year sections; each replaces an earlier import of its year. A bad file changes
/// nothing and names its lines.
#[utoipa::path(post, path = "/api/v1/calendar/years", tag = "calendar", request_body = ImportBody,
    responses((status = 201, body = ImportAnswer), (status = 403, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn import(
    State(s): State<AppState>,
    caller: Caller,
    super::JsonBody(body): super::JsonBody<ImportBody>,
) -> ApiResult<(StatusCode, Json<ImportAnswer>)> {
    require_calendar_admin(&caller)?;
    crate::parsing::probe(&body.text, servicehall_domain::calendar::parse_years).await?;
    let imported = s
        .store
        .import_years(&body.text, caller.actor.staff_id, s.now())
        .await?;
    Ok((StatusCode::CREATED, Json(ImportAnswer { imported })))
}

/// Forgets an imported year; the shipped schedule, or the provisional one, applies again.
#[utoipa::path(delete, path = "/api/v1/calendar/years/{year}", tag = "calendar",
    params(("year" = i32, Path)),
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn remove(
    State(s): State<AppState>,
    caller: Caller,
    Path(year): Path<i32>,
) -> ApiResult<StatusCode> {
    require_calendar_admin(&caller)?;
    s.store
        .remove_imported_year(year, caller.actor.staff_id, s.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
