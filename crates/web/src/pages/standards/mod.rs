//! Standards screens (规章制度): the library with search and the caller's 待阅读 list,
//! a document with its history (and, for editors, the draft editor and publishing), and
//! the hall manager's acknowledgement status. Actions go through the JSON API
//! (`/api/v1/…/standards`, `/api/v1/standard-versions/{id}/acknowledge`). Who acknowledged
//! what, one row a person and version, is the list `ack_records`.

mod ack_records;

use super::{Chrome, HallQuery, hall_for, json_for_script, render};
use crate::AppState;
use crate::api::standards::{DocumentView, document_view, may_edit, require_read};
use crate::auth::Caller;
use crate::error::PageError;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use servicehall_domain::access::Permission;
use servicehall_domain::standards::behaviour::BEHAVIOUR_CODES;
use servicehall_domain::standards::{Audience, Category};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/standards", get(library))
        .route("/standards/acks", get(acks))
        .route("/standards/acks/records", get(ack_records::page))
        .route("/standards/{id}", get(document))
}

struct PendingItem {
    version_id: i64,
    document_id: i64,
    title: String,
    category_zh: String,
    number: i64,
    effective_from: String,
    body: String,
}

struct Row {
    id: i64,
    title: String,
    company_wide: bool,
    current: String,
    audience: String,
    scheduled: String,
    has_draft: bool,
    behaviour: String,
}

struct Group {
    zh: &'static str,
    en: &'static str,
    rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "standards/list.html")]
struct Library {
    chrome: Chrome,
    data: String,
    hall_name: String,
    pending: Vec<PendingItem>,
    groups: Vec<Group>,
    can_create: bool,
    can_company: bool,
    can_report: bool,
    categories: Vec<(&'static str, &'static str, &'static str)>,
    codes: Vec<(&'static str, &'static str)>,
    roles: Vec<(&'static str, &'static str)>,
}

fn roles() -> Vec<(&'static str, &'static str)> {
    Audience::HALL_ROLES
        .iter()
        .map(|r| (r.as_str(), r.label_zh()))
        .collect()
}

async fn library(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<HallQuery>,
) -> Result<impl IntoResponse, PageError> {
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    require_read(&caller, Some(hall.id))?;
    let now = s.now();
    let docs = s.store.standards(Some(hall.id), now).await?;
    let pending = match &caller.staff {
        Some(st) => s.store.pending_acknowledgements(st.id, now).await?,
        None => Vec::new(),
    };
    let groups = Category::ALL
        .into_iter()
        .map(|c| Group {
            zh: c.label_zh(),
            en: c.label_en(),
            rows: docs
                .iter()
                .filter(|d| d.category == c)
                .map(|d| {
                    let cur = d.current();
                    Row {
                        id: d.id,
                        title: d.title().into(),
                        company_wide: d.hall_id.is_none(),
                        current: cur
                            .map(|v| {
                                format!(
                                    "第{}版 · {} 起",
                                    v.number,
                                    v.effective_from.map(|d| d.to_string()).unwrap_or_default()
                                )
                            })
                            .unwrap_or_else(|| "尚未生效 Not in effect".into()),
                        audience: cur.map(|v| v.audience.label_zh()).unwrap_or_default(),
                        scheduled: d
                            .scheduled()
                            .map(|v| {
                                format!(
                                    "第{}版将于 {} 生效",
                                    v.number,
                                    v.effective_from.map(|d| d.to_string()).unwrap_or_default()
                                )
                            })
                            .unwrap_or_default(),
                        has_draft: d.draft().is_some() && may_edit(&caller, d.hall_id),
                        behaviour: d
                            .behaviour_code
                            .as_deref()
                            .and_then(servicehall_domain::standards::behaviour::behaviour_code)
                            .map(|c| format!("{} · {}", c.id, c.zh))
                            .unwrap_or_default(),
                    }
                })
                .collect(),
        })
        .filter(|g| !g.rows.is_empty())
        .collect();
    let data =
        serde_json::json!({ "page": "library", "hall": hall.code, "timezone": hall.timezone });
    render(&Library {
        chrome: Chrome::staff("规章制度 Standards", "/standards", Some(&caller)),
        data: json_for_script(&data),
        hall_name: hall.name,
        pending: pending
            .into_iter()
            .map(|p| PendingItem {
                version_id: p.version.id,
                document_id: p.document_id,
                title: p.version.title,
                category_zh: p.category.label_zh().into(),
                number: p.version.number,
                effective_from: p
                    .version
                    .effective_from
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                body: p.version.body,
            })
            .collect(),
        groups,
        can_create: may_edit(&caller, Some(hall.id)),
        can_company: may_edit(&caller, None),
        can_report: caller.actor.may(Permission::ViewStats, hall.id),
        categories: Category::ALL
            .into_iter()
            .map(|c| (c.as_str(), c.label_zh(), c.label_en()))
            .collect(),
        codes: BEHAVIOUR_CODES.iter().map(|c| (c.id, c.zh)).collect(),
        roles: roles(),
    })
}

#[derive(Template)]
#[template(path = "standards/page.html")]
struct DocPage {
    chrome: Chrome,
    data: String,
    doc: DocumentView,
    /// The version the caller has yet to acknowledge here, if any.
    my_pending: Option<i64>,
    /// (code, label, ticked in the editor)
    roles: Vec<(&'static str, &'static str, bool)>,
    /// What the editor starts from: the draft, else the latest version.
    edit_title: String,
    edit_title_en: String,
    edit_body: String,
    edit_source: String,
    today: String,
}

async fn document(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<impl IntoResponse, PageError> {
    let now = s.now();
    let d = s.store.standard(id, now).await?;
    require_read(&caller, d.hall_id)?;
    let my_pending = match &caller.staff {
        Some(st) => s
            .store
            .pending_acknowledgements(st.id, now)
            .await?
            .into_iter()
            .find(|p| p.document_id == id)
            .map(|p| p.version.id),
        None => None,
    };
    let view = document_view(&d, &caller);
    // The next version starts from the latest text (a scheduled one, if any).
    let base = view.draft.as_ref().or(view.versions.last());
    let today = {
        let tz = match d.hall_id {
            Some(h) => s.store.hall(h).await?.timezone,
            None => "Asia/Shanghai".into(),
        };
        servicehall_domain::time::parse_tz(&tz)
            .map(|tz| servicehall_domain::time::service_day(now, tz).to_string())
            .unwrap_or_default()
    };
    let data = serde_json::json!({ "page": "document", "id": id });
    render(&DocPage {
        chrome: Chrome::staff(&format!("规章 {}", view.title), "/standards", Some(&caller)),
        data: json_for_script(&data),
        my_pending,
        roles: roles()
            .into_iter()
            .map(|(code, zh)| {
                let on = base.is_none_or(|v| v.audience.iter().any(|a| a == code));
                (code, zh, on)
            })
            .collect(),
        edit_title: base.map(|v| v.title.clone()).unwrap_or_default(),
        edit_title_en: base.map(|v| v.title_en.clone()).unwrap_or_default(),
        edit_body: base.map(|v| v.body.clone()).unwrap_or_default(),
        edit_source: base.map(|v| v.source.clone()).unwrap_or_default(),
        today,
        doc: view,
    })
}

struct AckRow {
    document_id: i64,
    title: String,
    category_zh: String,
    number: i64,
    from: String,
    audience: String,
    percent: String,
    acknowledged: u64,
    required: u64,
    missing: Vec<String>,
    done: Vec<String>,
}

#[derive(Template)]
#[template(path = "standards/acks.html")]
struct AcksPage {
    chrome: Chrome,
    hall_name: String,
    today: String,
    percent: String,
    acknowledged: u64,
    required: u64,
    rows: Vec<AckRow>,
}

async fn acks(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<HallQuery>,
) -> Result<impl IntoResponse, PageError> {
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    let r = s.store.acknowledgement_report(hall.id, s.now()).await?;
    let who = |name: &str, badge: &str, role: servicehall_domain::Role| {
        format!("{name}（{}·{badge}）", role.label_zh())
    };
    render(&AcksPage {
        chrome: Chrome::staff("学习确认 Acknowledgements", "/standards", Some(&caller)),
        hall_name: hall.name,
        today: r.today.to_string(),
        percent: r.total.percent_label(),
        acknowledged: r.total.acknowledged,
        required: r.total.required,
        rows: r
            .lines
            .iter()
            .map(|l| AckRow {
                document_id: l.document_id,
                title: l.title.clone(),
                category_zh: l.category.label_zh().into(),
                number: l.number,
                from: l.effective_from.to_string(),
                audience: l.audience.label_zh(),
                percent: l.rate.percent_label(),
                acknowledged: l.rate.acknowledged,
                required: l.rate.required,
                missing: l
                    .missing
                    .iter()
                    .map(|m| who(&m.name, &m.badge_no, m.role))
                    .collect(),
                done: l
                    .acknowledged
                    .iter()
                    .map(|a| who(&a.staff.name, &a.staff.badge_no, a.staff.role))
                    .collect(),
            })
            .collect(),
    })
}
