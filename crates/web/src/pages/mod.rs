//! HTML screens (askama templates; live screens add a small script that uses the JSON API
//! and the SSE feed). Every screen checks the caller's role and hall like the API does.

mod appointments;
mod assessment;
mod audit;
pub(crate) mod calendar;
mod cases;
mod catalogue;
mod chrome;
mod counters;
mod customers;
mod dashboard;
pub(crate) mod feedback;
pub mod halls;
mod incidents;
mod insight;
mod inspections;
mod layout_map;
pub(crate) mod listing;
pub(crate) mod queue;
mod rectification;
mod regions;
mod reports;
pub(crate) mod risks;
mod scorecards;
mod sessions;
mod signed_form;
mod staffing;
mod standards;

pub use chrome::Chrome;
pub use signed_form::SignedForm;

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, PageError};
use askama::Template;
use axum::Router;
use axum::response::Html;
use servicehall_store::{Hall, Store};

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(sessions::routes())
        .merge(queue::routes())
        .merge(counters::routes())
        .merge(dashboard::routes())
        .merge(halls::routes())
        .merge(cases::routes())
        .merge(calendar::routes())
        .merge(regions::routes())
        .merge(feedback::routes())
        .merge(catalogue::routes())
        .merge(insight::routes())
        .merge(inspections::routes())
        .merge(layout_map::routes())
        .merge(rectification::routes())
        .merge(incidents::routes())
        .merge(audit::routes())
        .merge(staffing::routes())
        .merge(risks::routes())
        .merge(customers::routes())
        .merge(assessment::routes())
        .merge(scorecards::routes())
        .merge(reports::routes())
        .merge(standards::routes())
        .merge(appointments::routes())
}

/// Renders a template into a page, or a 500 page if the template fails.
pub fn render<T: Template>(t: &T) -> Result<Html<String>, PageError> {
    t.render().map(Html).map_err(|e| {
        PageError(ApiError::new(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            format!("页面显示出错 · page failed to render: {e}"),
        ))
    })
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    chrome: Chrome,
    zh: &'a str,
    en: &'a str,
    detail: &'a str,
}

/// A friendly error page (escaped by the template).
pub fn render_error(zh: &str, en: &str, detail: &str) -> String {
    let page = ErrorPage {
        chrome: Chrome::staff(zh, "", None),
        zh,
        en,
        detail,
    };
    page.render().unwrap_or_else(|_| format!("{zh} · {en}"))
}

/// What an unknown path gets: under `/api/` a problem+json 404, elsewhere a page in Chinese
/// and English with a link home.
pub async fn not_found(uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    if uri.path().starts_with("/api/") {
        return ApiError::not_found(
            "没有这个接口，请查看 /api/openapi.json · No such API path; see /api/openapi.json",
        )
        .into_response();
    }
    let html = render_error(
        "页面不存在",
        "Page not found",
        "您要找的页面不存在或已移走，请从首页进入 · The page you asked for does not exist or has moved; start again from the home page.",
    );
    (axum::http::StatusCode::NOT_FOUND, Html(html)).into_response()
}

/// The hall a screen is about: the caller's own hall, or `?hall=CODE` for people above halls.
pub async fn hall_for(
    store: &dyn Store,
    caller: &Caller,
    requested: Option<&str>,
) -> Result<Hall, PageError> {
    if let Some(h) = caller.actor.hall_id {
        return Ok(store.hall(h).await?);
    }
    match requested {
        Some(code) => Ok(crate::api::resolve_hall(store, code).await?),
        None => store
            .halls()
            .await?
            .into_iter()
            .find(|h| caller.actor.in_hall(h.id))
            .ok_or_else(|| {
                PageError(ApiError::not_found(
                    "尚未设置营业厅，请在“管理”中创建 · no hall is set up yet; create one under 管理 Admin",
                ))
            }),
    }
}

/// A page answered with a status (a rejected form comes back with 422 and what was typed).
pub fn respond<T: Template>(
    page: &T,
    status: axum::http::StatusCode,
) -> Result<axum::response::Response, PageError> {
    use axum::response::IntoResponse;
    Ok((status, render(page)?).into_response())
}

/// The fields of an `application/x-www-form-urlencoded` body, in order (repeats kept).
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(transparent)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The first value of `name`, trimmed; empty when absent.
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    }

    /// The first value of `name` exactly as sent (passwords).
    pub fn raw(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// True when a checkbox `name` was ticked (sent with any value but "0"/"false"/"off").
    pub fn checked(&self, name: &str) -> bool {
        self.0
            .iter()
            .any(|(k, v)| k == name && !matches!(v.as_str(), "0" | "false" | "off"))
    }
}

/// Serialises a value for a `<script type="application/json">` block (no `</script>` escape).
pub fn json_for_script<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v)
        .unwrap_or_else(|_| "null".into())
        .replace("</", "<\\/")
}

#[derive(serde::Deserialize, Default)]
pub struct HallQuery {
    pub hall: Option<String>,
}
