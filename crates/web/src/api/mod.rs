//! The JSON API under `/api/v1`, described by OpenAPI at `/api/openapi.json`.

pub mod calendar;
mod case_config;
mod case_files;
mod cases;
pub mod catalogue;
mod counters;
mod events;
pub mod feedback;
mod halls;
mod insight;
mod observations;
pub mod openapi;
mod public_cases;
pub mod regions;
pub mod session;
pub mod standards;
pub mod surveys;
mod text_bounds;
mod tickets;

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use axum::Router;
use axum::routing::get;
use servicehall_store::{Hall, Store};
use utoipa::OpenApi;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};
use utoipa_axum::routes;

pub use cases::Thresholds;
pub(crate) use cases::require_read_cases;
pub use events::hall_event_stream;
pub use insight::require_admin as insight_require_admin;
pub use tickets::{TicketView, public_status_of, ticket_view};

/// Every API route, declared once: the router and the OpenAPI description (served at
/// `/api/openapi.json`) are both built from these lines, so a route cannot be served without
/// being described or described without being served.
pub fn routes() -> Router<AppState> {
    let (router, spec) = api_router().split_for_parts();
    let spec = std::sync::Arc::new(spec);
    router.route("/healthz", get(|| async { "ok" })).route(
        "/api/openapi.json",
        get(move || {
            let spec = spec.clone();
            async move { axum::Json(spec.as_ref().clone()) }
        }),
    )
}

/// The API's routes with their descriptions (also what the role tests walk).
pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(routes!(session::login, session::logout))
        .routes(routes!(halls::list))
        .routes(routes!(halls::show))
        .routes(routes!(halls::queue))
        .routes(routes!(halls::stats_today))
        .routes(routes!(tickets::issue))
        .routes(routes!(events::stream))
        .routes(routes!(counters::call_next))
        .routes(routes!(counters::console))
        .routes(routes!(counters::set_status))
        .routes(routes!(tickets::show))
        .routes(routes!(tickets::rate))
        .routes(routes!(tickets::act))
        .routes(routes!(tickets::public_status))
        .merge(cases_routes())
        .merge(catalogue::routes())
        .merge(feedback_routes())
        .merge(standards_routes())
        .merge(calendar_routes())
        .merge(insight_routes())
        .merge(regions_routes())
        .merge(case_config::routes())
        .merge(case_files::routes())
}

/// A route whose bodies may be larger than the application's 64 KiB.
pub(crate) fn with_body_limit(
    (schemas, paths, router): UtoipaMethodRouter<AppState>,
    bytes: usize,
) -> UtoipaMethodRouter<AppState> {
    (
        schemas,
        paths,
        router.layer(axum::extract::DefaultBodyLimit::max(bytes)),
    )
}

/// Cases (工单): steps, clocks, documents, hand-overs, call-backs; the customer's lookup.
fn cases_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(cases::list, cases::open))
        .routes(routes!(cases::on_time))
        .routes(routes!(cases::scan))
        .routes(routes!(cases::show))
        .routes(routes!(cases::complete_step))
        .routes(routes!(cases::clock))
        .routes(routes!(cases::add_document))
        .routes(routes!(cases::handover))
        .routes(routes!(cases::accept))
        .routes(routes!(cases::callback))
        .routes(routes!(cases::close))
        .routes(routes!(public_cases::public_status))
}

/// The working-day calendar: questions and the imported years.
fn calendar_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(calendar::is_workday))
        .routes(routes!(calendar::add))
        .routes(routes!(calendar::between))
        .routes(routes!(calendar::years, calendar::import))
        .routes(routes!(calendar::remove))
}

/// The region tree and who and what hangs on it.
fn regions_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(regions::list, regions::create))
        .routes(routes!(regions::update, regions::remove))
        .routes(routes!(regions::set_hall))
        .routes(routes!(regions::set_staff))
}

/// Satisfaction figures, the emotion curve, surveys and observations (内查).
fn insight_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(insight::satisfaction))
        .routes(routes!(insight::curve))
        .routes(routes!(insight::settings, insight::set_settings))
        .routes(routes!(insight::settings_changes))
        .routes(routes!(observations::list))
        // An observation may carry a photo (about 150 kB as a data URL).
        .routes(with_body_limit(routes!(observations::create), 320 * 1024))
        .routes(routes!(observations::show))
        .routes(routes!(observations::photo))
        .routes(routes!(surveys::list, surveys::create))
        .routes(routes!(surveys::set_active))
        .routes(routes!(surveys::invite_ticket))
        .routes(routes!(surveys::invite_case))
        .routes(routes!(surveys::public_show, surveys::public_answer))
}

/// Feedback: phone rating, imports (bodies up to 4 MB), recovery list, flags, settings.
fn feedback_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(feedback::rating_state, feedback::rate_by_phone))
        .routes(with_body_limit(
            routes!(feedback::imports, feedback::import),
            4 * 1024 * 1024,
        ))
        .routes(routes!(feedback::recovery))
        .routes(routes!(feedback::flags))
        .routes(routes!(feedback::settings, feedback::set_settings))
        .routes(routes!(feedback::settings_changes))
        .routes(routes!(feedback::finding))
}

/// The standards library (规章制度): documents, versions, acknowledgements, search.
fn standards_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(standards::list, standards::create))
        .routes(routes!(standards::report))
        .routes(routes!(standards::search))
        .routes(routes!(standards::show))
        .routes(routes!(standards::save_draft))
        .routes(routes!(standards::publish))
        .routes(routes!(standards::acknowledge))
        .routes(routes!(standards::pending))
}

/// A hall by its code (`DL-XG`) or numeric id.
pub async fn resolve_hall(store: &dyn Store, key: &str) -> ApiResult<Hall> {
    let hall = match key.parse::<i64>() {
        Ok(id) => store.hall(id).await,
        Err(_) => store.hall_by_code(key).await,
    };
    hall.map_err(|_| ApiError::not_found(format!("no hall {key:?}")))
}

/// Parses a JSON body, turning malformed JSON into a 400 that says what is wrong.
pub struct JsonBody<T>(pub T);

impl<T, S> axum::extract::FromRequest<S> for JsonBody<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;
    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<serde_json::Value>::from_request(req, state).await {
            Ok(axum::Json(v)) => {
                text_bounds::check(&v).map_err(ApiError::unprocessable)?;
                serde_json::from_value(v).map(Self).map_err(|e| {
                    ApiError::bad_request(format!(
                        "Failed to deserialize the JSON body into the target type: {e}"
                    ))
                })
            }
            Err(e) => {
                let status = e.status();
                let msg = e.body_text();
                Err(ApiError::new(
                    if status == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                        status
                    } else {
                        axum::http::StatusCode::BAD_REQUEST
                    },
                    msg,
                ))
            }
        }
    }
}

/// A body that may be absent (actions without parameters).
pub struct OptionalJson<T>(pub Option<T>);

impl<T, S> axum::extract::FromRequest<S> for OptionalJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;
    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::new(e.status(), e.body_text()))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self(None));
        }
        let v: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| ApiError::bad_request(format!("malformed JSON body: {e}")))?;
        text_bounds::check(&v).map_err(ApiError::unprocessable)?;
        serde_json::from_value(v)
            .map(|v| Self(Some(v)))
            .map_err(|e| ApiError::bad_request(format!("malformed JSON body: {e}")))
    }
}
