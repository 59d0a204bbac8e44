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
mod openapi;
mod public_cases;
pub mod regions;
pub mod session;
pub mod standards;
pub mod surveys;
mod tickets;

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use axum::Router;
use axum::routing::{get, post};
use servicehall_store::{Hall, Store};

pub use cases::Thresholds;
pub(crate) use cases::require_read_cases;
pub use events::hall_event_stream;
pub use insight::require_admin as insight_require_admin;
pub use tickets::{TicketView, public_status_of, ticket_view};

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(catalogue::routes())
        .route("/healthz", get(|| async { "ok" }))
        .route("/api/openapi.json", get(openapi::spec))
        .route(
            "/api/v1/session",
            post(session::login).delete(session::logout),
        )
        .route("/api/v1/halls", get(halls::list))
        .route("/api/v1/halls/{hall}", get(halls::show))
        .route("/api/v1/halls/{hall}/queue", get(halls::queue))
        .route("/api/v1/halls/{hall}/stats/today", get(halls::stats_today))
        .route("/api/v1/halls/{hall}/tickets", post(tickets::issue))
        .route("/api/v1/halls/{hall}/events", get(events::stream))
        .route(
            "/api/v1/counters/{counter}/call-next",
            post(counters::call_next),
        )
        .route("/api/v1/counters/{counter}/console", get(counters::console))
        .route(
            "/api/v1/counters/{counter}/{action}",
            post(counters::set_status),
        )
        .route("/api/v1/tickets/{id}", get(tickets::show))
        .route("/api/v1/tickets/{id}/rating", post(tickets::rate))
        .route("/api/v1/tickets/{id}/{action}", post(tickets::act))
        .route("/api/v1/public/tickets/{code}", get(tickets::public_status))
        .route(
            "/api/v1/halls/{hall}/cases",
            get(cases::list).post(cases::open),
        )
        .route("/api/v1/halls/{hall}/cases/on-time", get(cases::on_time))
        .route("/api/v1/halls/{hall}/cases/scan", post(cases::scan))
        .route("/api/v1/cases/{id}", get(cases::show))
        .route(
            "/api/v1/cases/{id}/steps/{code}/complete",
            post(cases::complete_step),
        )
        .route(
            "/api/v1/cases/{id}/clocks/{clock}/{action}",
            post(cases::clock),
        )
        .route("/api/v1/cases/{id}/documents", post(cases::add_document))
        .route("/api/v1/cases/{id}/handover", post(cases::handover))
        .route("/api/v1/cases/{id}/handover/accept", post(cases::accept))
        .route("/api/v1/cases/{id}/callback", post(cases::callback))
        .route("/api/v1/cases/{id}/close", post(cases::close))
        .route(
            "/api/v1/public/cases/{number}",
            get(public_cases::public_status),
        )
        .merge(feedback_routes())
        .merge(standards_routes())
        .route("/api/v1/calendar/is-workday", get(calendar::is_workday))
        .route("/api/v1/calendar/add", get(calendar::add))
        .route("/api/v1/calendar/between", get(calendar::between))
        .route(
            "/api/v1/calendar/years",
            get(calendar::years).post(calendar::import),
        )
        .route(
            "/api/v1/calendar/years/{year}",
            axum::routing::delete(calendar::remove),
        )
        .merge(insight_routes())
        .route("/api/v1/regions", get(regions::list).post(regions::create))
        .route(
            "/api/v1/regions/{id}",
            axum::routing::put(regions::update).delete(regions::remove),
        )
        .route(
            "/api/v1/halls/{id}/region",
            axum::routing::put(regions::set_hall),
        )
        .route(
            "/api/v1/staff/{id}/region",
            axum::routing::put(regions::set_staff),
        )
        .merge(case_config::routes())
        .merge(case_files::routes())
}

/// Satisfaction figures, the emotion curve, surveys and observations (内查).
fn insight_routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/insight/satisfaction", get(insight::satisfaction))
        .route("/api/v1/insight/curve", get(insight::curve))
        .route(
            "/api/v1/insight/settings",
            get(insight::settings).put(insight::set_settings),
        )
        .route(
            "/api/v1/insight/settings/changes",
            get(insight::settings_changes),
        )
        .route("/api/v1/insight/observations", get(observations::list))
        .route(
            "/api/v1/halls/{hall}/observations",
            // An observation may carry a photo (about 150 kB as a data URL).
            post(observations::create).layer(axum::extract::DefaultBodyLimit::max(320 * 1024)),
        )
        .route("/api/v1/observations/{id}", get(observations::show))
        .route("/api/v1/observations/{id}/photo", get(observations::photo))
        .route("/api/v1/surveys", get(surveys::list).post(surveys::create))
        .route("/api/v1/surveys/{id}/active", post(surveys::set_active))
        .route("/api/v1/tickets/{id}/survey", post(surveys::invite_ticket))
        .route("/api/v1/cases/{id}/survey", post(surveys::invite_case))
        .route(
            "/api/v1/public/surveys/{token}",
            get(surveys::public_show).post(surveys::public_answer),
        )
}

/// Feedback: phone rating, imports (bodies up to 4 MB), recovery list, flags, settings.
fn feedback_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/public/tickets/{code}/rating",
            get(feedback::rating_state).post(feedback::rate_by_phone),
        )
        .route(
            "/api/v1/feedback/imports",
            get(feedback::imports)
                .post(feedback::import)
                .layer(axum::extract::DefaultBodyLimit::max(4 * 1024 * 1024)),
        )
        .route(
            "/api/v1/halls/{hall}/feedback/recovery",
            get(feedback::recovery),
        )
        .route("/api/v1/halls/{hall}/feedback/flags", get(feedback::flags))
        .route(
            "/api/v1/halls/{hall}/feedback/settings",
            get(feedback::settings).put(feedback::set_settings),
        )
        .route(
            "/api/v1/halls/{hall}/feedback/settings/changes",
            get(feedback::settings_changes),
        )
        .route(
            "/api/v1/feedback/flags/{id}/finding",
            post(feedback::finding),
        )
}

fn standards_routes() -> Router<AppState> {
    use axum::routing::put;
    Router::new()
        .route(
            "/api/v1/halls/{hall}/standards",
            get(standards::list).post(standards::create),
        )
        .route(
            "/api/v1/halls/{hall}/standards/acknowledgements",
            get(standards::report),
        )
        .route("/api/v1/halls/{hall}/search", get(standards::search))
        .route("/api/v1/standards/{id}", get(standards::show))
        .route("/api/v1/standards/{id}/draft", put(standards::save_draft))
        .route("/api/v1/standards/{id}/publish", post(standards::publish))
        .route(
            "/api/v1/standard-versions/{id}/acknowledge",
            post(standards::acknowledge),
        )
        .route("/api/v1/me/standards/pending", get(standards::pending))
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
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Self(v)),
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
        serde_json::from_slice(&bytes)
            .map(|v| Self(Some(v)))
            .map_err(|e| ApiError::bad_request(format!("malformed JSON body: {e}")))
    }
}
