//! The anti-gaming flags (防刷评, `/feedback/flags`) on the lists' shared frame: the flags
//! detected over the period and stored, filtered by period, kind and state in the store,
//! paged, exported and printed like the other staff lists; on screen each open flag's row
//! carries the finding form a supervisor records, in the frame's action column.

use crate::AppState;
use crate::api::feedback::gaming::{FlagNames, FlagView, acknowledge_flag, detect_flags};
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::listing::{self, Column, Filter, Format, List, ListQuery, Row, Value, col};
use crate::pages::{Chrome, Fields, SignedForm, hall_for, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use servicehall_domain::access::Permission;
use servicehall_domain::feedback::FeedbackSettings;
use servicehall_domain::feedback::gaming::FlagKind;
use servicehall_domain::time::parse_tz;
use servicehall_store::{FlagFilter, FlagState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/feedback/flags", get(flags_page))
        .route(
            "/feedback/flags/{id}/finding",
            axum::routing::post(flag_finding),
        )
}

const COLUMNS: &[Column] = &[
    col("最近检出", "Last seen"),
    col("首次检出", "First seen"),
    col("类型", "Kind"),
    col("对象", "Subject"),
    col("情况", "Summary"),
    col("数据", "Figures"),
    col("证据票号", "Evidence tickets"),
    col("结论", "Finding"),
    col("核查说明", "Finding note"),
    col("核查人", "Judged by"),
    col("核查时间", "Judged at"),
];

const ACTION: Column = col("核查", "Check");

#[derive(Template)]
#[template(path = "feedback/gaming.html")]
struct FlagsPage {
    chrome: Chrome,
    list: List,
    settings: FeedbackSettings,
    visits: usize,
    ok: String,
    error: String,
}

/// A row's action cell: the evidence ticket by ticket, and an open flag's finding form.
#[derive(Template)]
#[template(path = "feedback/flag_action.html")]
struct FlagAction<'a> {
    view: &'a FlagView,
    csrf: &'a str,
    /// The list's filters and page, so the form comes back to the same view.
    back: &'a str,
    /// The note typed when this flag's finding was refused.
    note: &'a str,
}

/// What a refused finding brings back to the page.
struct Refused {
    flag: i64,
    note: String,
    error: String,
}

async fn build(
    s: &AppState,
    caller: &Caller,
    q: &ListQuery,
    refused: Option<Refused>,
) -> Result<(FlagsPage, Format), PageError> {
    let hall = hall_for(s.store.as_ref(), caller, q.hall.as_deref()).await?;
    caller.require(Permission::ReviewFeedback, hall.id)?;
    let req = q.request()?;
    let now = s.now();
    let period = listing::period(std::slice::from_ref(&hall), q, now)?;
    let kind = q.choice(&q.kind, "kind", &FlagKind::ALL.map(|k| k.as_str()))?;
    let state = q.choice(&q.state, "state", &FlagState::ALL.map(|x| x.as_str()))?;
    let (settings, visits) = detect_flags(
        s.store.as_ref(),
        hall.id,
        period.scope.from,
        period.scope.to,
        now,
    )
    .await?;
    let filter = FlagFilter {
        from: period.scope.from,
        to: period.scope.to,
        kind: kind.as_deref().and_then(FlagKind::parse),
        state: state.as_deref().and_then(FlagState::parse),
    };
    let page = s.store.flag_page(hall.id, &filter, req.window()).await?;
    let names = FlagNames::load(s.store.as_ref(), hall.id).await?;
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let mut list = List {
        path: "/feedback/flags",
        title_zh: "评价异常",
        title_en: "Rating flags",
        table_id: "flags-table",
        hall_code: hall.code.clone(),
        hall_name: hall.name.clone(),
        keep_hall: caller.actor.hall_id.is_none(),
        filters: vec![
            Filter::date("from", "起", "From", &period.from),
            Filter::date("to", "止", "To", &period.to),
            Filter::choice(
                "kind",
                "类型",
                "Kind",
                kind,
                FlagKind::ALL
                    .iter()
                    .map(|k| (k.as_str().to_string(), k.label_zh().to_string()))
                    .collect(),
            ),
            Filter::choice(
                "state",
                "状态",
                "State",
                state,
                vec![
                    ("open".into(), "待核查 open".into()),
                    ("confirmed".into(), "属实 confirmed".into()),
                    ("dismissed".into(), "排除 dismissed".into()),
                ],
            ),
        ],
        columns: COLUMNS,
        action: Some(&ACTION),
        rows: Vec::new(),
        total: page.total,
        page: req.page,
        per: req.per,
        empty: "没有符合条件的评价异常 · No flags match these filters.",
    };
    let back = match (list.query(), req.page) {
        (q, 1) => q,
        (q, p) if q.is_empty() => format!("page={p}"),
        (q, p) => format!("{q}&page={p}"),
    };
    let csrf = caller.csrf.clone();
    let mut rows = Vec::with_capacity(page.items.len());
    for sf in page.items {
        let v = names.view(sf);
        let note = match &refused {
            Some(r) if r.flag == v.id => r.note.as_str(),
            _ => "",
        };
        let action = if req.format == Format::Html {
            render(&FlagAction {
                view: &v,
                csrf: &csrf,
                back: &back,
                note,
            })?
            .0
        } else {
            String::new()
        };
        let finding = match v.finding {
            Some(f) => Value::text(format!("{} {}", f.label_zh(), f.label_en())).class("pill"),
            None => Value::text("待核查 open").class("pill alert"),
        };
        rows.push(Row {
            class: if v.finding.is_some() {
                "flag judged"
            } else {
                "flag open"
            },
            id: format!("flag-{}", v.id),
            action,
            cells: vec![
                Value::text(listing::when(v.last_seen_at, tz)),
                Value::text(listing::when(v.first_seen_at, tz)),
                Value::text(&v.kind_zh),
                Value::text(&v.subject_label),
                Value::text(&v.flag.summary_zh),
                Value::text(
                    v.flag
                        .figures
                        .iter()
                        .map(|x| format!("{}：{}", x.label, x.value))
                        .collect::<Vec<_>>()
                        .join("；"),
                ),
                tickets(&v),
                finding,
                Value::text(&v.finding_note),
                Value::text(&v.finding_by),
                Value::text(
                    v.finding_at
                        .map(|at| listing::when(at, tz))
                        .unwrap_or_default(),
                ),
            ],
        });
    }
    list.rows = rows;
    Ok((
        FlagsPage {
            chrome: Chrome::staff("评价异常 Rating flags", "/feedback/flags", Some(caller)),
            list,
            settings,
            visits,
            ok: String::new(),
            error: refused.map(|r| r.error).unwrap_or_default(),
        },
        req.format,
    ))
}

/// The evidence tickets: all in the file and the print; on screen the first three and how
/// many (the row's action cell lists each with what it shows).
fn tickets(v: &FlagView) -> Value {
    let numbers: Vec<&str> = v.flag.tickets.iter().map(|t| t.number.as_str()).collect();
    let all = Value::text(numbers.join("、"));
    if numbers.len() <= 3 {
        return all;
    }
    let n = numbers.len();
    all.brief(format!("{} … 共 {n} 张 ({n})", numbers[..3].join("、")))
}

/// 防刷评: the hall's flags detected over the period and stored — open first — filtered,
/// paged, exported (`format=xlsx`) or printed (`format=print`).
async fn flags_page(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<ListQuery>,
    Query(flash): Query<Flash>,
) -> Result<Response, PageError> {
    let (mut page, format) = build(&s, &caller, &q, None).await?;
    if format != Format::Html {
        let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
        let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
        return listing::export(&page.list, format, &listing::when(s.now(), tz));
    }
    if flash.ok.is_some() {
        page.ok = "已记录核查结论 Finding recorded".into();
    }
    Ok(render(&page)?.into_response())
}

/// `ok=1` after a recorded finding (the redirect adds it; the list's filters ignore it).
#[derive(serde::Deserialize)]
struct Flash {
    ok: Option<String>,
}

/// The list's filters and page as the form sent them back: plain query text only.
fn back_of(f: &Fields) -> String {
    let back = f.get("back");
    let plain = back.len() <= 2_000
        && back
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"%&=._~+-".contains(&b));
    if plain { back } else { String::new() }
}

/// A supervisor's finding from a flag's row (form: finding, note, back).
async fn flag_finding(
    State(s): State<AppState>,
    Path(id): Path<i64>,
    SignedForm(caller, f): SignedForm<Fields>,
) -> Result<Response, PageError> {
    let back = back_of(&f);
    let note = f.raw("note");
    // A refused finding (bad input, already judged) comes back on the page; a refusal of
    // the caller or a failure is the error page.
    let result = match acknowledge_flag(&s, &caller, id, &f.get("finding"), &note).await {
        Err(e) if !e.status.is_client_error() || e.status == axum::http::StatusCode::FORBIDDEN => {
            return Err(e.into());
        }
        r => r,
    };
    let hall_id = match &result {
        Ok(flag) => flag.hall_id,
        Err(_) => s.store.stored_flag(id).await?.hall_id,
    };
    let hall = s.store.hall(hall_id).await?;
    let has_hall = back.starts_with("hall=") || back.contains("&hall=");
    let query = match (has_hall, back.is_empty()) {
        (true, _) => back.clone(),
        (false, true) => format!("hall={}", hall.code),
        (false, false) => format!("hall={}&{back}", hall.code),
    };
    match result {
        Ok(_) => Ok(axum::response::Redirect::to(&format!(
            "/feedback/flags?{query}&ok=1#flag-{id}"
        ))
        .into_response()),
        Err(e) => {
            let uri: axum::http::Uri = format!("/feedback/flags?{query}")
                .parse()
                .unwrap_or_else(|_| axum::http::Uri::from_static("/feedback/flags"));
            let q = Query::<ListQuery>::try_from_uri(&uri)
                .map(|Query(q)| q)
                .unwrap_or_default();
            let refused = Refused {
                flag: id,
                note,
                error: e.detail.clone(),
            };
            let (page, _) = build(&s, &caller, &q, Some(refused)).await?;
            crate::pages::respond(&page, e.status)
        }
    }
}
