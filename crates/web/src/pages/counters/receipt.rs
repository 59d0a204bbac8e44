//! The receipt of a finished visit, with the read-back (唱收唱付) and the clerk's badge. The
//! receipt is opened by staff, so it points to the slip's QR code instead of carrying the
//! slip's code (issue 11).

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, PageError};
use crate::pages::{Chrome, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use axum::routing::get;
use servicehall_domain::access::Permission;
use servicehall_domain::time::{local, parse_tz};

pub fn routes() -> Router<AppState> {
    Router::new().route("/receipts/{id}", get(receipt))
}

#[derive(Template)]
#[template(path = "counters/receipt.html")]
struct Receipt {
    chrome: Chrome,
    hall: String,
    number: String,
    business_type: String,
    counter: String,
    clerk: String,
    badge: String,
    finished: String,
    due: String,
    received: String,
    change: String,
    spoken: String,
    has_amounts: bool,
    /// A survey is attached to the business type (reached from the slip's follow page).
    has_survey: bool,
}

/// The printable receipt of a finished visit; staff of the hall only.
async fn receipt(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<impl IntoResponse, PageError> {
    let t = s.store.ticket(id).await?;
    caller.require(Permission::OperateCounter, t.hall_id)?;
    if t.state != servicehall_domain::TicketState::Finished {
        return Err(ApiError::new(
            axum::http::StatusCode::CONFLICT,
            format!("该业务尚未办结 · ticket {} is not finished yet", t.number),
        )
        .into());
    }
    let hall = s.store.hall(t.hall_id).await?;
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let bt = s.store.business_type(t.business_type_id).await?;
    let counter = match t.counter_id {
        Some(c) => s.store.counter(c).await?.number.to_string(),
        None => "—".into(),
    };
    let clerk = match t.staff_id {
        Some(st) => Some(s.store.staff(st).await?),
        None => None,
    };
    let rb = s.store.read_back(t.id).await?;
    // Whether the follow page offers a survey (the invitation is made here on first use,
    // as before); its link carries the slip code, so the receipt does not print it.
    let has_survey = crate::api::insight::survey_links::for_ticket(&s, &t)
        .await?
        .is_some();
    let page = Receipt {
        has_survey,
        chrome: Chrome::staff("回执 Receipt", "", Some(&caller)),
        hall: hall.name,
        number: t.number,
        business_type: bt.name_zh,
        counter,
        clerk: clerk.as_ref().map(|c| c.name.clone()).unwrap_or_default(),
        badge: clerk
            .as_ref()
            .map(|c| c.badge_no.clone())
            .unwrap_or_default(),
        finished: local(t.updated_at, tz)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string(),
        due: rb
            .as_ref()
            .map(|r| r.read_back.due.to_string())
            .unwrap_or_default(),
        received: rb
            .as_ref()
            .map(|r| r.read_back.received.to_string())
            .unwrap_or_default(),
        change: rb
            .as_ref()
            .map(|r| r.read_back.change.to_string())
            .unwrap_or_default(),
        spoken: rb
            .as_ref()
            .map(|r| r.read_back.spoken_zh())
            .unwrap_or_default(),
        has_amounts: rb.is_some(),
    };
    render(&page)
}
