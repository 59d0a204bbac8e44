//! 时限配置 (administrators and hall managers): a hall's clock settings and the process of
//! each business type and customer class, edited in the browser through the JSON API
//! (`/api/v1/halls/{hall}/case-config`). The page only frames the editor.

use crate::AppState;
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::{Chrome, HallQuery, hall_for, json_for_script, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use servicehall_domain::access::Permission;

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/cases", get(page))
}

#[derive(Template)]
#[template(path = "cases/settings.html")]
struct CaseAdminPage {
    chrome: Chrome,
    data: String,
    hall_name: String,
}

async fn page(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<HallQuery>,
) -> Result<impl IntoResponse, PageError> {
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    caller.require(Permission::Administer, hall.id)?;
    let data = serde_json::json!({ "hall": hall.code, "timezone": hall.timezone });
    render(&CaseAdminPage {
        chrome: Chrome::staff("时限配置 Case limits", "/admin/cases", Some(&caller)),
        data: json_for_script(&data),
        hall_name: hall.name,
    })
}
