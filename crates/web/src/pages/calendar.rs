//! 工作日历 administration: the covered years with their sources, and a form to import or
//! edit year sections (the calendar format of docs/deadlines.md). Shared by every hall, so
//! only administrators above halls change it.

use crate::AppState;
use crate::api::calendar::{YearLine, require_calendar_admin, year_lines};
use crate::auth::Caller;
use crate::error::{ApiError, PageError};
use crate::pages::Chrome;
use crate::pages::SignedForm;
use crate::pages::{Fields, respond};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use servicehall_store::StoreError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/calendar", get(page).post(import))
        .route("/admin/calendar/{year}/remove", post(remove))
}

#[derive(Template)]
#[template(path = "calendar/admin.html")]
struct CalendarPage {
    chrome: Chrome,
    ok: String,
    years: Vec<YearLine>,
    first_missing: i32,
    /// True once the current year is the last covered one: next year needs importing.
    missing_soon: bool,
    text: String,
    errors: Vec<String>,
}

#[derive(serde::Deserialize, Default)]
struct PageQuery {
    ok: Option<String>,
    edit: Option<i32>,
}

async fn build(
    s: &AppState,
    caller: &Caller,
    ok: String,
    text: String,
    errors: Vec<String>,
) -> Result<CalendarPage, PageError> {
    let (years, first_missing) = year_lines(s).await?;
    let this_year = chrono::Datelike::year(&local_today(s));
    Ok(CalendarPage {
        chrome: Chrome::staff("工作日历 Calendar", "/admin/calendar", Some(caller)),
        ok,
        years,
        first_missing,
        missing_soon: first_missing <= this_year + 1,
        text,
        errors,
    })
}

async fn page(
    State(s): State<AppState>,
    caller: Result<Caller, ApiError>,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let caller = caller?;
    require_calendar_admin(&caller)?;
    let ok = match q.ok.as_deref() {
        Some("imported") => "已导入 Imported".to_string(),
        Some("removed") => "已撤销导入 Import removed".to_string(),
        _ => String::new(),
    };
    let mut page = build(&s, &caller, ok, String::new(), Vec::new()).await?;
    if let Some(y) = q.edit {
        page.text = page
            .years
            .iter()
            .find(|l| l.year == y)
            .map(|l| l.text.clone())
            .unwrap_or_default();
    }
    respond(&page, StatusCode::OK)
}

async fn import(
    State(s): State<AppState>,
    SignedForm(caller, f): SignedForm<Fields>,
) -> Result<Response, PageError> {
    require_calendar_admin(&caller)?;
    let text = f.raw("text");
    crate::parsing::probe(&text, servicehall_domain::calendar::parse_years)
        .await
        .map_err(ApiError::from)?;
    match s
        .store
        .import_years(&text, caller.actor.staff_id, s.now())
        .await
    {
        Ok(_) => Ok(Redirect::to("/admin/calendar?ok=imported").into_response()),
        Err(StoreError::Invalid(m)) => {
            let errors = line_errors(&m);
            let page = build(&s, &caller, String::new(), text, errors).await?;
            respond(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => Err(e.into()),
    }
}

async fn remove(
    State(s): State<AppState>,
    Path(year): Path<i32>,
    SignedForm(caller, _): SignedForm<Fields>,
) -> Result<Response, PageError> {
    require_calendar_admin(&caller)?;
    s.store
        .remove_imported_year(year, caller.actor.staff_id, s.now())
        .await?;
    Ok(Redirect::to("/admin/calendar?ok=removed").into_response())
}

/// One entry per wrong line: the store joins them with "; ", and a reason may itself hold "; ".
/// `第 N 行 line N: …` (or the older `line N: …`) begins a wrong line's entry.
fn starts_a_line(part: &str) -> bool {
    let numbered = |rest: &str, tail: &str| {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        digits > 0 && rest[digits..].starts_with(tail)
    };
    part.strip_prefix("第 ")
        .is_some_and(|r| numbered(r, " 行 line "))
        || part.strip_prefix("line ").is_some_and(|r| numbered(r, ":"))
}

fn line_errors(message: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in message.split("; ") {
        match out.last_mut() {
            Some(last) if !starts_a_line(part) => {
                last.push_str("; ");
                last.push_str(part);
            }
            _ => out.push(part.to_string()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_wrong_line_is_one_entry() {
        let m = "line 2: 2027-01-06 is a Wed; a make-up day must be a Saturday or Sunday; line 3: bad date";
        assert_eq!(
            super::line_errors(m),
            [
                "line 2: 2027-01-06 is a Wed; a make-up day must be a Saturday or Sunday",
                "line 3: bad date"
            ]
        );
        let m = "第 2 行 line 2: 2027-01-06 是周三 is a Wed; a make-up day must be a Saturday or Sunday; 第 13 行 line 13: bad date; line 3 of the note";
        assert_eq!(
            super::line_errors(m),
            [
                "第 2 行 line 2: 2027-01-06 是周三 is a Wed; a make-up day must be a Saturday or Sunday",
                "第 13 行 line 13: bad date; line 3 of the note"
            ]
        );
    }
}

/// The year whose holiday schedule should be imported now: the current year when it is
/// missing, or next year from October on (the State Council publishes it in the autumn).
/// Shown on the administration overview so it is seen before 1 January, not after.
pub async fn schedule_due(s: &AppState) -> Result<Option<i32>, PageError> {
    use chrono::Datelike;
    let (_, first_missing) = year_lines(s).await?;
    let today = local_today(s);
    Ok(calendar_due(first_missing, today.year(), today.month()))
}

/// Now on the application's clock, in China's time (the calendar is the State Council's).
fn local_today(s: &AppState) -> chrono::DateTime<chrono_tz::Tz> {
    chrono::DateTime::from_timestamp_millis(s.now())
        .unwrap_or_default()
        .with_timezone(&chrono_tz::Asia::Shanghai)
}

/// [`schedule_due`]'s rule, on its own for tests.
pub fn calendar_due(first_missing: i32, year: i32, month: u32) -> Option<i32> {
    (first_missing <= year || (first_missing == year + 1 && month >= 10)).then_some(first_missing)
}

#[cfg(test)]
mod due_tests {
    #[test]
    fn next_year_is_due_from_october_and_this_year_always() {
        assert_eq!(super::calendar_due(2027, 2026, 9), None);
        assert_eq!(super::calendar_due(2027, 2026, 10), Some(2027));
        assert_eq!(super::calendar_due(2027, 2026, 12), Some(2027));
        assert_eq!(super::calendar_due(2027, 2027, 1), Some(2027));
        assert_eq!(super::calendar_due(2028, 2026, 12), None);
    }
}
