//! 客户与分群 · the customer register. Hall managers keep their hall's register and
//! administrators every hall's (`KeepCustomers`); the clerk and the guide recognise a
//! customer at the desk and record their consents (`FrontDesk`); supervisors see counts by
//! segment, never persons. Every view is masked; the full data takes a logged reason.
//! Recognising takes the account number or phone in a POST body, so personal data never
//! reaches a URL or the access log.

pub mod recognise;
pub mod view;

use crate::AppState;
use crate::api::access_rule::{Access, access};
use crate::api::{JsonBody, resolve_hall};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde::Deserialize;
use servicehall_domain::access::Permission;
use servicehall_domain::cases::CustomerClass;
use servicehall_domain::customers::{
    Basis, Care, ContactChannel, Membership, Purpose, REVIEW_DUE_DAYS, Segment,
};
use servicehall_domain::time::{parse_tz, service_day};
use servicehall_store::{
    ConsentInput, Customer, CustomerFilter, CustomerUpdate, Hall, NewCustomer,
};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use view::*;

/// The feature's routes, each with its access rule.
pub fn routes() -> OpenApiRouter<AppState> {
    use Access::{Any, FrontDesk, StaffPerm};
    use Permission::{KeepCustomers, ViewStats};
    OpenApiRouter::new()
        .routes(access(StaffPerm(KeepCustomers), routes!(list, create)))
        .routes(access(StaffPerm(KeepCustomers), routes!(show, update)))
        .routes(access(StaffPerm(KeepCustomers), routes!(reveal)))
        .routes(access(FrontDesk, routes!(consent)))
        .routes(access(FrontDesk, routes!(withdraw)))
        .routes(access(FrontDesk, routes!(recognise::recognise)))
        .routes(access(Any(ViewStats), routes!(segment_counts)))
}

/// Visits and cases a customer's page and the recognition panel read.
pub const HISTORY: i64 = 20;

/// The hall-local day of now.
pub fn today(s: &AppState, hall: &Hall) -> NaiveDate {
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    service_day(s.now(), tz)
}

fn bad(e: String) -> ApiError {
    ApiError::unprocessable(e)
}

/// Parses a stored name; `what` is `中文 English`, e.g. `分群 segment`.
fn parse_with<T>(v: &str, what: &str, f: fn(&str) -> Option<T>, names: String) -> ApiResult<T> {
    let (zh, en) = what.split_once(' ').unwrap_or((what, what));
    f(v).ok_or_else(|| {
        bad(format!(
            "无法识别的{zh}“{v}” · unknown {en} {v:?}; one of {names}"
        ))
    })
}

fn class(v: &str) -> ApiResult<CustomerClass> {
    CustomerClass::ALL
        .into_iter()
        .find(|c| c.as_str() == v.trim())
        .ok_or_else(|| {
            bad(format!(
                "客户类别须为 resident、low_voltage、hv_single 或 hv_dual · class must be resident, low_voltage, hv_single or hv_dual, got {v:?}"
            ))
        })
}

fn segments(list: &[SegmentBody]) -> ApiResult<Vec<Membership>> {
    list.iter()
        .map(|b| {
            let segment = parse_with(&b.segment, "分群 segment", Segment::parse, Segment::names())?;
            let care = match &b.care {
                None => segment.default_care(),
                Some(c) => c
                    .iter()
                    .map(|c| parse_with(c, "关怀 care", Care::parse, Care::names()))
                    .collect::<ApiResult<_>>()?,
            };
            let basis = match b.basis.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(v) => Some(parse_with(v, "依据 basis", Basis::parse, Basis::names())?),
            };
            let review_on = match b.review_on.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(d) => Some(NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                    bad(format!(
                        "复核日期须为 YYYY-MM-DD · the review date must be YYYY-MM-DD, got {d:?}"
                    ))
                })?),
            };
            Ok(Membership {
                segment,
                care,
                basis,
                review_on,
                note: b.note.trim().to_string(),
            })
        })
        .collect()
}

/// A present, non-blank text, or `None`.
fn given(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
}

async fn keeper_hall(s: &AppState, caller: &Caller, hall: &str) -> ApiResult<Hall> {
    let hall = resolve_hall(s.store.as_ref(), hall).await?;
    caller.require(Permission::KeepCustomers, hall.id)?;
    caller.require_person()?;
    Ok(hall)
}

/// A customer the caller may keep, with its hall.
async fn kept(s: &AppState, caller: &Caller, id: i64) -> ApiResult<(Customer, Hall)> {
    let c = s.store.customer(id).await?;
    caller.require(Permission::KeepCustomers, c.hall_id)?;
    caller.require_person()?;
    let hall = s.store.hall(c.hall_id).await?;
    Ok((c, hall))
}

/// The clerk at a counter or the guide at the desk, signed in.
pub fn require_front_desk(caller: &Caller, hall_id: i64) -> ApiResult<()> {
    caller.require_person()?;
    caller
        .require(Permission::OperateCounter, hall_id)
        .or_else(|_| caller.require(Permission::Triage, hall_id))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// Only this segment.
    pub segment: Option<String>,
    /// Only customers with a segment review due within 30 days (or past).
    #[serde(default)]
    pub review_due: bool,
}

/// The filter a list query asks for.
pub fn filter(q: &ListQuery, today: NaiveDate) -> ApiResult<CustomerFilter> {
    let segment = match q.segment.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(v) => Some(parse_with(
            v,
            "分群 segment",
            Segment::parse,
            Segment::names(),
        )?),
    };
    Ok(CustomerFilter {
        segment,
        review_by: q
            .review_due
            .then(|| today + chrono::Days::new(REVIEW_DUE_DAYS as u64)),
    })
}

/// The hall's register, by account number; masked.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/customers", tag = "customers",
    params(("hall" = String, Path, description = "hall code or id"), ListQuery),
    responses((status = 200, body = Vec<CustomerView>), (status = 403, body = crate::error::Problem)))]
pub async fn list(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Vec<CustomerView>>> {
    let hall = keeper_hall(&s, &caller, &hall).await?;
    let day = today(&s, &hall);
    let list = s.store.customers(hall.id, &filter(&q, day)?).await?;
    let now = s.now();
    Ok(Json(
        list.iter()
            .map(|c| CustomerView::new(c, day, now))
            .collect(),
    ))
}

/// Registers a customer by account number, with their segments.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/customers", tag = "customers",
    params(("hall" = String, Path, description = "hall code or id")),
    request_body = CustomerBody,
    responses((status = 201, body = CustomerView), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn create(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    JsonBody(b): JsonBody<CustomerBody>,
) -> ApiResult<(StatusCode, Json<CustomerView>)> {
    let hall = keeper_hall(&s, &caller, &hall).await?;
    let input = NewCustomer {
        account_no: given(&b.account_no)
            .ok_or_else(|| bad("请填写户号 · the account number (户号) is required".into()))?,
        name: given(&b.name)
            .ok_or_else(|| bad("请填写客户姓名 · the customer's name is required".into()))?,
        phone: given(&b.phone).unwrap_or_default(),
        class: class(&b.class)?,
        note: b.note.clone(),
        segments: segments(&b.segments)?,
    };
    let c = s
        .store
        .create_customer(hall.id, &input, caller.actor.staff_id, s.now())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CustomerView::new(&c, today(&s, &hall), s.now())),
    ))
}

/// One customer with consents, history, visits and cases; masked.
#[utoipa::path(get, path = "/api/v1/customers/{id}", tag = "customers",
    params(("id" = i64, Path)),
    responses((status = 200, body = CustomerDetailView), (status = 404, body = crate::error::Problem)))]
pub async fn show(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<CustomerDetailView>> {
    let (c, hall) = kept(&s, &caller, id).await?;
    Ok(Json(detail(&s, &caller, &c, &hall).await?))
}

/// The whole detail view of a customer.
pub async fn detail(
    s: &AppState,
    caller: &Caller,
    c: &Customer,
    hall: &Hall,
) -> ApiResult<CustomerDetailView> {
    let history = s.store.customer_history(c.id, HISTORY).await?;
    let may_read = caller.actor.may(Permission::ReadCases, hall.id);
    Ok(CustomerDetailView {
        customer: CustomerView::new(c, today(s, hall), s.now()),
        consent_history: s
            .store
            .consent_records(c.id)
            .await?
            .iter()
            .map(Into::into)
            .collect(),
        changes: s
            .store
            .customer_changes(c.id)
            .await?
            .iter()
            .map(Into::into)
            .collect(),
        visits: history.visits.iter().map(Into::into).collect(),
        cases: history
            .cases
            .iter()
            .map(|k| CaseLineView::new(k, may_read))
            .collect(),
    })
}

/// Changes a customer (not the account number); the change is audited.
#[utoipa::path(put, path = "/api/v1/customers/{id}", tag = "customers",
    params(("id" = i64, Path)),
    request_body = CustomerBody,
    responses((status = 200, body = CustomerView), (status = 422, body = crate::error::Problem)))]
pub async fn update(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<CustomerBody>,
) -> ApiResult<Json<CustomerView>> {
    let (_, hall) = kept(&s, &caller, id).await?;
    let input = CustomerUpdate {
        name: given(&b.name),
        phone: given(&b.phone),
        class: class(&b.class)?,
        note: b.note.clone(),
        segments: segments(&b.segments)?,
    };
    let c = s
        .store
        .update_customer(id, &input, caller.actor.staff_id, s.now())
        .await?;
    Ok(Json(CustomerView::new(&c, today(&s, &hall), s.now())))
}

/// The full account number, phone and name, once the reason (查看原因) is logged.
#[utoipa::path(post, path = "/api/v1/customers/{id}/reveal", tag = "customers",
    params(("id" = i64, Path)),
    request_body = RevealBody,
    responses((status = 200, body = RevealView), (status = 422, body = crate::error::Problem)))]
pub async fn reveal(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<RevealBody>,
) -> ApiResult<Json<RevealView>> {
    let (c, _) = kept(&s, &caller, id).await?;
    s.store
        .log_customer_reveal(id, &b.reason, caller.actor.staff_id, s.now())
        .await?;
    Ok(Json(RevealView {
        account_no: c.account_no,
        phone: c.phone,
        name: c.name,
    }))
}

async fn front_desk_customer(
    s: &AppState,
    caller: &Caller,
    id: i64,
) -> ApiResult<(Customer, Hall)> {
    let c = s.store.customer(id).await?;
    require_front_desk(caller, c.hall_id)?;
    let hall = s.store.hall(c.hall_id).await?;
    Ok((c, hall))
}

/// Records the customer's consent to be contacted for one purpose by one channel.
#[utoipa::path(post, path = "/api/v1/customers/{id}/consents", tag = "customers",
    params(("id" = i64, Path)),
    request_body = ConsentBody,
    responses((status = 200, body = CustomerView), (status = 422, body = crate::error::Problem)))]
pub async fn consent(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<ConsentBody>,
) -> ApiResult<Json<CustomerView>> {
    let (_, hall) = front_desk_customer(&s, &caller, id).await?;
    let input = ConsentInput {
        purpose: parse_with(&b.purpose, "用途 purpose", Purpose::parse, Purpose::names())?,
        channel: Some(parse_with(
            &b.channel,
            "渠道 channel",
            ContactChannel::parse,
            ContactChannel::names(),
        )?),
        granted: true,
        note: b.note.clone(),
    };
    let c = s
        .store
        .record_consent(id, &input, caller.actor.staff_id, s.now())
        .await?;
    Ok(Json(CustomerView::new(&c, today(&s, &hall), s.now())))
}

/// Withdraws the consent for one purpose; it stops at once, the history stays.
#[utoipa::path(post, path = "/api/v1/customers/{id}/consents/{purpose}/withdraw", tag = "customers",
    params(("id" = i64, Path), ("purpose" = String, Path, description = "appointment_reminder | outage_notice | satisfaction_survey | marketing")),
    request_body = WithdrawBody,
    responses((status = 200, body = CustomerView), (status = 422, body = crate::error::Problem)))]
pub async fn withdraw(
    State(s): State<AppState>,
    caller: Caller,
    Path((id, purpose)): Path<(i64, String)>,
    JsonBody(b): JsonBody<WithdrawBody>,
) -> ApiResult<Json<CustomerView>> {
    let (_, hall) = front_desk_customer(&s, &caller, id).await?;
    let input = ConsentInput {
        purpose: parse_with(&purpose, "用途 purpose", Purpose::parse, Purpose::names())?,
        channel: None,
        granted: false,
        note: b.note.clone(),
    };
    let c = s
        .store
        .record_consent(id, &input, caller.actor.staff_id, s.now())
        .await?;
    Ok(Json(CustomerView::new(&c, today(&s, &hall), s.now())))
}

/// Customers per hall and segment, for the caller's halls: counts, never persons.
#[utoipa::path(get, path = "/api/v1/customer-segments", tag = "customers",
    responses((status = 200, body = Vec<SegmentCountView>), (status = 403, body = crate::error::Problem)))]
pub async fn segment_counts(
    State(s): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<SegmentCountView>>> {
    caller.require_any(Permission::ViewStats)?;
    Ok(Json(counts(&s, &caller).await?))
}

/// The counts of the halls the caller may see.
pub async fn counts(s: &AppState, caller: &Caller) -> ApiResult<Vec<SegmentCountView>> {
    let halls: Vec<Hall> = s
        .store
        .halls()
        .await?
        .into_iter()
        .filter(|h| caller.actor.may(Permission::ViewStats, h.id))
        .collect();
    let ids: Vec<i64> = halls.iter().map(|h| h.id).collect();
    let by = halls
        .first()
        .map(|h| today(s, h))
        .unwrap_or_else(|| service_day(s.now(), chrono_tz::Asia::Shanghai))
        + chrono::Days::new(REVIEW_DUE_DAYS as u64);
    let mut list = s.store.segment_counts(&ids, by).await?;
    list.sort_by_key(|c| (c.hall_id, Segment::ALL.iter().position(|x| *x == c.segment)));
    Ok(list
        .iter()
        .map(|c| {
            let name = halls
                .iter()
                .find(|h| h.id == c.hall_id)
                .map(|h| h.name.clone())
                .unwrap_or_default();
            SegmentCountView::new(c, &name)
        })
        .collect())
}
