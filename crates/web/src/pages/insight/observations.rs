//! Observation screens (内查): the list for the halls and period, the form (one line per
//! behaviour code: verdict, note, touchpoints; evidence and photo), and one observation.
//! The form posts to the JSON API; the server re-checks everything.

use crate::AppState;
use crate::api::insight::view::{ViewQuery, halls_for};
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::listing::{self, Column, Filter, Format, List, ListQuery, Row, Value, col};
use crate::pages::{Chrome, HallQuery, hall_for, json_for_script, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use servicehall_domain::access::Permission;
use servicehall_domain::insight::observation::Verdict;
use servicehall_domain::insight::touchpoint::{TOUCHPOINTS, touchpoint};
use servicehall_domain::standards::behaviour::{BEHAVIOUR_CODES, behaviour_code};
use servicehall_domain::time::{local, parse_tz};
use servicehall_store::{Hall, Observation, ObservationFilter, Store};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/observations", get(list))
        .route("/observations/new", get(form))
        .route("/observations/{id}", get(show))
}

/// Where each behaviour code is usually seen — the form's pre-ticked touchpoints.
fn default_touchpoints(code: &str) -> &'static [&'static str] {
    match code {
        "greet_farewell" => &["welcome", "farewell"],
        "read_back" => &["payment"],
        "first_inquiry" => &["triage"],
        "serve_one_settle_two" => &["call"],
        _ => &["counter"],
    }
}

async fn names(
    store: &dyn Store,
    o: &Observation,
    halls: &[Hall],
) -> (String, String, String, String) {
    let hall = halls.iter().find(|h| h.id == o.hall_id);
    let tz = hall
        .and_then(|h| parse_tz(&h.timezone).ok())
        .unwrap_or(chrono_tz::Asia::Shanghai);
    let when = local(o.observed_at, tz)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let counter = match o.counter_id {
        Some(c) => store
            .counter(c)
            .await
            .map(|c| format!("{}号窗口", c.number))
            .unwrap_or_default(),
        None => "—".into(),
    };
    let clerk = match o.staff_id {
        Some(s) => store
            .staff(s)
            .await
            .map(|s| format!("{} · {}", s.name, s.badge_no))
            .unwrap_or_default(),
        None => "—".into(),
    };
    let observer = store
        .staff(o.observer_id)
        .await
        .map(|s| s.name)
        .unwrap_or_default();
    (when, counter, clerk, observer)
}

fn kind_label(kind: &str) -> &'static str {
    if kind == "mystery_shopper" {
        "暗访 Mystery shopper"
    } else {
        "督查 Supervisor"
    }
}

#[derive(Template)]
#[template(path = "insight/observation_list.html")]
struct ListPage {
    chrome: Chrome,
    list: List,
    new_link: String,
    can_observe: bool,
}

const COLUMNS: &[Column] = &[
    col("时间", "When"),
    col("营业厅", "Hall"),
    col("窗口", "Counter"),
    col("柜员", "Clerk"),
    col("检查人", "Observer"),
    col("方式", "Kind"),
    col("得分", "Score"),
    col("未达标", "Not met"),
];

/// 内查: the observations of the caller's halls (or `hall=` codes, comma-separated), by
/// day, kind and clerk, paged, exported or printed through the lists' shared frame.
async fn list(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    caller.require_person()?;
    let req = q.request()?;
    let vq = ViewQuery {
        halls: q.hall.clone(),
        ..Default::default()
    };
    let halls = halls_for(s.store.as_ref(), &caller, &vq).await?;
    let period = listing::period(&halls, &q, s.now())?;
    let kind = q.choice(&q.kind, "kind", &["supervisor", "mystery_shopper"])?;
    let filter = ObservationFilter {
        kind: kind.clone(),
        staff_id: q.id(&q.clerk, "clerk")?,
    };
    let page = s
        .store
        .observation_page(&period.scope, &filter, req.window())
        .await?;
    let mut rows = Vec::with_capacity(page.items.len());
    for o in &page.items {
        let (when, counter, clerk, observer) = names(s.store.as_ref(), o, &halls).await;
        let misses: Vec<String> = o
            .items
            .iter()
            .filter(|i| matches!(i.verdict, Verdict::NotMet | Verdict::Partly))
            .filter_map(|i| behaviour_code(&i.code).map(|c| c.zh.to_string()))
            .collect();
        rows.push(Row {
            id: String::new(),
            action: String::new(),
            class: "",
            cells: vec![
                Value::link(when, format!("/observations/{}", o.id)),
                Value::text(
                    halls
                        .iter()
                        .find(|h| h.id == o.hall_id)
                        .map(|h| h.code.clone())
                        .unwrap_or_default(),
                ),
                Value::text(counter),
                Value::text(clerk),
                Value::text(observer),
                Value::text(kind_label(&o.observer_kind)),
                Value::text(
                    o.score_pct
                        .map(|p| format!("{p}%"))
                        .unwrap_or_else(|| "—".into()),
                ),
                Value::text(misses.join("、")),
            ],
        });
    }
    // The clerk filter lists the clerks of the halls shown (one hall's, as a rule).
    let mut clerks = Vec::new();
    for h in &halls {
        for st in s.store.staff_list(Some(h.id)).await? {
            if st.role == servicehall_domain::Role::Clerk {
                clerks.push((st.id.to_string(), format!("{} · {}", st.name, st.badge_no)));
            }
        }
    }
    let first = halls.first();
    let tz = first
        .and_then(|h| parse_tz(&h.timezone).ok())
        .unwrap_or(chrono_tz::Asia::Shanghai);
    let list = List {
        path: "/observations",
        title_zh: "内查",
        title_en: "Observations",
        table_id: "observation-table",
        hall_code: q.hall.clone().unwrap_or_default(),
        hall_name: match halls.as_slice() {
            [one] => one.name.clone(),
            many => format!("{} 个营业厅 halls", many.len()),
        },
        keep_hall: q.hall.as_deref().is_some_and(|h| !h.trim().is_empty()),
        filters: vec![
            Filter::date("from", "起", "From", &period.from),
            Filter::date("to", "止", "To", &period.to),
            Filter::choice(
                "kind",
                "方式",
                "Kind",
                kind,
                vec![
                    ("supervisor".into(), kind_label("supervisor").into()),
                    (
                        "mystery_shopper".into(),
                        kind_label("mystery_shopper").into(),
                    ),
                ],
            ),
            Filter::choice(
                "clerk",
                "柜员",
                "Clerk",
                filter.staff_id.map(|id| id.to_string()),
                clerks,
            ),
        ],
        columns: COLUMNS,
        action: None,
        rows,
        total: page.total,
        page: req.page,
        per: req.per,
        empty: "没有符合条件的内查记录 · No observations match these filters.",
    };
    if req.format != Format::Html {
        return listing::export(&list, req.format, &listing::when(s.now(), tz));
    }
    let can_observe = halls
        .iter()
        .any(|h| caller.actor.may(Permission::Observe, h.id));
    let new_link = match halls.as_slice() {
        [one] => format!("/observations/new?hall={}", one.code),
        _ => "/observations/new".into(),
    };
    Ok(render(&ListPage {
        chrome: Chrome::staff("内查 Checks", "/observations", Some(&caller)),
        list,
        new_link,
        can_observe,
    })?
    .into_response())
}

pub struct FormLine {
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub touchpoints: Vec<(&'static str, &'static str, bool)>,
}

#[derive(Template)]
#[template(path = "insight/observation_form.html")]
struct FormPage {
    chrome: Chrome,
    data: String,
    hall: Hall,
    halls: Vec<Hall>,
    counters: Vec<(i64, i64)>,
    clerks: Vec<(i64, String)>,
    lines: Vec<FormLine>,
    now_local: String,
}

async fn form(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<HallQuery>,
) -> Result<impl IntoResponse, PageError> {
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    caller.require(Permission::Observe, hall.id)?;
    let halls = if caller.actor.hall_id.is_none() {
        crate::scope::visible_halls(&s, &caller.actor).await?
    } else {
        vec![hall.clone()]
    };
    let counters = s
        .store
        .counters(hall.id)
        .await?
        .into_iter()
        .map(|c| (c.id, c.number))
        .collect();
    let clerks = s
        .store
        .staff_list(Some(hall.id))
        .await?
        .into_iter()
        .filter(|st| st.active && st.role == servicehall_domain::Role::Clerk)
        .map(|st| (st.id, format!("{} · {}", st.name, st.badge_no)))
        .collect();
    let lines = BEHAVIOUR_CODES
        .iter()
        .map(|c| FormLine {
            code: c.id,
            zh: c.zh,
            en: c.en,
            touchpoints: TOUCHPOINTS
                .iter()
                .map(|t| (t.id, t.zh, default_touchpoints(c.id).contains(&t.id)))
                .collect(),
        })
        .collect();
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let data = json_for_script(&serde_json::json!({
        "page": "observe",
        "hall": hall.code,
        "codes": BEHAVIOUR_CODES.iter().map(|c| c.id).collect::<Vec<_>>(),
        "timezone": hall.timezone,
    }));
    render(&FormPage {
        chrome: Chrome::staff("新建内查 New observation", "/observations", Some(&caller)),
        data,
        now_local: local(s.now(), tz).format("%Y-%m-%dT%H:%M").to_string(),
        hall,
        halls,
        counters,
        clerks,
        lines,
    })
}

pub struct ItemRow {
    pub zh: &'static str,
    pub verdict: &'static str,
    pub verdict_class: &'static str,
    pub note: String,
    pub touchpoints: String,
}

#[derive(Template)]
#[template(path = "insight/observation_show.html")]
struct ShowPage {
    chrome: Chrome,
    o: Observation,
    hall: Hall,
    when: String,
    counter: String,
    clerk: String,
    observer: String,
    kind: &'static str,
    items: Vec<ItemRow>,
}

async fn show(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<impl IntoResponse, PageError> {
    let o = s.store.observation(id).await?;
    caller.require(Permission::ViewStats, o.hall_id)?;
    caller.require_person()?;
    let hall = s.store.hall(o.hall_id).await?;
    let (when, counter, clerk, observer) =
        names(s.store.as_ref(), &o, std::slice::from_ref(&hall)).await;
    let items = o
        .items
        .iter()
        .map(|i| ItemRow {
            zh: behaviour_code(&i.code).map(|c| c.zh).unwrap_or("?"),
            verdict: i.verdict.label_zh(),
            verdict_class: i.verdict.as_str(),
            note: i.note.clone(),
            touchpoints: i
                .touchpoints
                .iter()
                .filter_map(|t| touchpoint(t).map(|t| t.zh))
                .collect::<Vec<_>>()
                .join("、"),
        })
        .collect();
    render(&ShowPage {
        chrome: Chrome::staff(&format!("内查 #{id}"), "/observations", Some(&caller)),
        kind: kind_label(&o.observer_kind),
        o,
        hall,
        when,
        counter,
        clerk,
        observer,
        items,
    })
}
