//! HTML screens (askama templates; live screens add a small script that uses the JSON API
//! and the SSE feed). Every screen checks the caller's role and hall like the API does.

pub mod admin;
pub(crate) mod calendar_admin;
mod case_admin;
mod cases;
mod catalogue;
mod chrome;
mod counter;
mod device;
mod display;
mod feedback;
mod feedback_settings;
mod home;
mod insight;
mod kiosk;
mod manager;
mod observations;
mod on_time;
mod printouts;
mod regions_admin;
mod signed_form;
mod standards;
mod surveys;

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
        .merge(home::routes())
        .merge(device::routes())
        .merge(kiosk::routes())
        .merge(counter::routes())
        .merge(display::routes())
        .merge(manager::routes())
        .merge(printouts::routes())
        .merge(admin::routes())
        .merge(cases::routes())
        .merge(case_admin::routes())
        .merge(calendar_admin::routes())
        .merge(on_time::routes())
        .merge(regions_admin::routes())
        .merge(feedback::routes())
        .merge(feedback_settings::routes())
        .merge(catalogue::routes())
        .merge(insight::routes())
        .merge(observations::routes())
        .merge(surveys::routes())
        .merge(standards::routes())
}

/// Renders a template into a page, or a 500 page if the template fails.
pub fn render<T: Template>(t: &T) -> Result<Html<String>, PageError> {
    t.render().map(Html).map_err(|e| {
        PageError(ApiError::new(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            format!("page failed to render: {e}"),
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
                    "no hall is set up yet; create one under 管理 Admin",
                ))
            }),
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
