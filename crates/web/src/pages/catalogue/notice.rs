//! The one-time notice form (一次性告知) at the counter console and the guide desk.

use crate::AppState;
use crate::api::catalogue::view::{GuideView, guide_view, hall_today};
use crate::auth::Caller;
use crate::error::{ApiError, PageError};
use crate::pages::{Chrome, HallQuery, hall_for, json_for_script, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use servicehall_domain::access::Permission;

pub fn routes() -> Router<AppState> {
    Router::new().route("/notice/new", get(form))
}

#[derive(serde::Deserialize, Default)]
struct FormQuery {
    hall: Option<String>,
    ticket: Option<i64>,
    /// A business type code, or the ticket's business type by default.
    #[serde(rename = "type")]
    business_type: Option<String>,
}

#[derive(Template)]
#[template(path = "catalogue/notice_new.html")]
struct NoticeForm {
    chrome: Chrome,
    guides: Vec<GuideView>,
    selected: String,
    ticket_number: Option<String>,
    data: String,
}

async fn form(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<FormQuery>,
) -> Result<impl IntoResponse, PageError> {
    let hall = hall_for(
        s.store.as_ref(),
        &caller,
        HallQuery {
            hall: q.hall.clone(),
        }
        .hall
        .as_deref(),
    )
    .await?;
    if !caller.is_person()
        || !caller.actor.may(Permission::OperateCounter, hall.id)
            && !caller.actor.may(Permission::Triage, hall.id)
    {
        return Err(ApiError::forbidden(
            "一次性告知由窗口或导办台出具，您的角色无权出具 · one-time notices are given at a counter or the guide desk; your role may not give them",
        )
        .into());
    }
    let mut selected = q.business_type.clone().unwrap_or_default();
    let mut ticket_number = None;
    if let Some(id) = q.ticket {
        let t = s.store.ticket(id).await?;
        if t.hall_id != hall.id {
            return Err(ApiError::forbidden(
                "该票号属于其他营业厅 · that ticket belongs to another hall",
            )
            .into());
        }
        if selected.is_empty() {
            selected = s.store.business_type(t.business_type_id).await?.code;
        }
        ticket_number = Some(t.number);
    }
    let guides: Vec<GuideView> = s
        .store
        .effective_catalogue(hall.id, hall_today(&hall, s.now()))
        .await?
        .iter()
        .map(guide_view)
        .collect();
    let classes: serde_json::Map<String, serde_json::Value> = guides
        .iter()
        .map(|g| {
            let cs: Vec<_> = g
                .classes
                .iter()
                .map(|c| serde_json::json!({"class": c.class, "zh": c.label_zh, "en": c.label_en}))
                .collect();
            (g.code.clone(), serde_json::Value::Array(cs))
        })
        .collect();
    let data = serde_json::json!({ "hall": hall.code, "ticket_id": q.ticket, "classes": classes });
    render(&NoticeForm {
        chrome: Chrome::staff("一次性告知 One-time notice", "/notice/new", Some(&caller)),
        guides,
        selected,
        ticket_number,
        data: json_for_script(&data),
    })
}
