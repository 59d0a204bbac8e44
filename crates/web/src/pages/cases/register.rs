//! The case register (工单台账, `/cases/register`): every case of the hall by registration
//! day, state, kind, business and owner, 50 a page, exported or printed through the lists'
//! shared frame. The customer's name, phone and account number are shown in full only to
//! the case's owner and the hall manager (as on the case page), masked for everyone else.

use crate::AppState;
use crate::api::cases::view::sees_full;
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::listing::{self, Column, Filter, Format, List, ListQuery, Row, Value, col};
use crate::pages::{Chrome, hall_for, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use servicehall_domain::Role;
use servicehall_domain::cases::{CaseKind, mask};
use servicehall_domain::time::parse_tz;
use servicehall_store::{CaseFilter, CaseState};

pub fn routes() -> Router<AppState> {
    Router::new().route("/cases/register", get(page))
}

const COLUMNS: &[Column] = &[
    col("工单号", "No."),
    col("登记时间", "Opened"),
    col("类型", "Kind"),
    col("业务", "Business"),
    col("客户", "Customer"),
    col("电话", "Phone"),
    col("户号", "Account"),
    col("责任人", "Owner"),
    col("状态", "State"),
    col("下一时限", "Next deadline"),
    col("办结时间", "Closed"),
];

#[derive(Template)]
#[template(path = "cases/register.html")]
struct Page {
    chrome: Chrome,
    list: List,
}

async fn page(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    crate::api::require_read_cases(&caller, hall.id)?;
    let req = q.request()?;
    let now = s.now();
    let period = listing::period(std::slice::from_ref(&hall), &q, now)?;
    let state = q.choice(&q.state, "state", &["open", "closed", "overdue"])?;
    let kinds: Vec<&str> = CaseKind::ALL.iter().map(|k| k.as_str()).collect();
    let kind = q.choice(&q.kind, "kind", &kinds)?;
    let filter = CaseFilter {
        from: period.scope.from,
        to: period.scope.to,
        state: state.as_deref().and_then(CaseState::parse),
        kind: kind.as_deref().and_then(|k| k.parse().ok()),
        business_type_id: q.id(&q.business, "business")?,
        owner_id: q.id(&q.clerk, "clerk")?,
    };
    let page = s
        .store
        .case_page(hall.id, &filter, req.window(), now)
        .await?;
    let types = s.store.business_types(hall.id).await?;
    let staff = s.store.staff_list(Some(hall.id)).await?;
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let name_of = |id: i64| {
        staff
            .iter()
            .find(|st| st.id == id)
            .map(|st| format!("{} · {}", st.name, st.badge_no))
            .unwrap_or_default()
    };
    let rows = page
        .items
        .into_iter()
        .map(|l| {
            let c = l.case;
            let full = sees_full(&caller, c.owner_id);
            let shown = |v: &str, hide: fn(&str) -> String| {
                if full || v.is_empty() {
                    v.to_string()
                } else {
                    hide(v)
                }
            };
            let state = if c.closed_at.is_some() {
                Value::text("已办结 closed").class("pill closed")
            } else if l.overdue {
                Value::text("超期 overdue").class("pill alert")
            } else {
                Value::text("办理中 open").class("pill")
            };
            Row {
                id: String::new(),
                action: String::new(),
                class: "",
                cells: vec![
                    Value::link(c.number.clone(), format!("/cases/{}", c.id)),
                    Value::text(listing::when(c.created_at, tz)),
                    Value::text(c.kind.label_zh()),
                    Value::text(
                        c.business_type_id
                            .map(|id| servicehall_store::business_type_name(&types, id))
                            .unwrap_or_default(),
                    ),
                    Value::text(shown(&c.customer_name, mask::name)),
                    Value::text(shown(&c.customer_phone, mask::phone)),
                    Value::text(shown(&c.account_no, mask::account)),
                    Value::text(name_of(c.owner_id)),
                    state,
                    Value::text(
                        l.next_deadline
                            .map(|d| listing::when(d, tz))
                            .unwrap_or_default(),
                    ),
                    Value::text(
                        c.closed_at
                            .map(|d| listing::when(d, tz))
                            .unwrap_or_default(),
                    ),
                ],
            }
        })
        .collect();
    let list = List {
        path: "/cases/register",
        title_zh: "工单台账",
        title_en: "Case register",
        table_id: "case-register",
        hall_code: hall.code.clone(),
        hall_name: hall.name.clone(),
        keep_hall: caller.actor.hall_id.is_none(),
        filters: vec![
            Filter::date("from", "起", "From", &period.from),
            Filter::date("to", "止", "To", &period.to),
            Filter::choice(
                "state",
                "状态",
                "State",
                state,
                crate::pages::feedback::state_options(),
            ),
            Filter::choice(
                "kind",
                "类型",
                "Kind",
                kind,
                CaseKind::ALL
                    .iter()
                    .map(|k| (k.as_str().to_string(), k.label_zh().to_string()))
                    .collect(),
            ),
            Filter::choice(
                "business",
                "业务",
                "Business",
                filter.business_type_id.map(|id| id.to_string()),
                types
                    .iter()
                    .map(|b| (b.id.to_string(), format!("{} {}", b.name_zh, b.name_en)))
                    .collect(),
            ),
            Filter::choice(
                "clerk",
                "责任人",
                "Owner",
                filter.owner_id.map(|id| id.to_string()),
                staff
                    .iter()
                    .filter(|st| matches!(st.role, Role::Clerk | Role::HallManager))
                    .map(|st| (st.id.to_string(), format!("{} · {}", st.name, st.badge_no)))
                    .collect(),
            ),
        ],
        columns: COLUMNS,
        action: None,
        rows,
        total: page.total,
        page: req.page,
        per: req.per,
        empty: "没有符合条件的工单 · No cases match these filters.",
    };
    if req.format != Format::Html {
        return listing::export(&list, req.format, &listing::when(now, tz));
    }
    Ok(render(&Page {
        chrome: Chrome::staff("工单台账 Case register", "/cases", Some(&caller)),
        list,
    })?
    .into_response())
}
