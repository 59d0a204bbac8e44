//! The JSON API under `/api/v1`, described by OpenAPI at `/api/openapi.json`.

pub mod access_rule;
pub mod appointments;
pub mod assessment;
pub mod audit;
pub mod calendar;
pub mod cases;
pub mod catalogue;
mod counters;
pub mod customers;
mod dashboard;
mod edge;
mod events;
pub mod feedback;
pub mod hall_file;
mod halls;
pub mod incidents;
pub mod insight;
pub mod inspections;
pub mod layout_map;
pub mod openapi;
pub mod queue;
pub mod readiness;
pub mod regions;
pub mod reports;
pub mod risks;
pub mod scorecards;
pub mod sessions;
pub mod staffing;
pub mod standards;
mod text_bounds;

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use access_rule::{Access, access};
use axum::Router;
use axum::routing::get;
use servicehall_domain::access::Permission;
use servicehall_store::{Hall, Store};
use utoipa::OpenApi;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};
use utoipa_axum::routes;

pub use cases::Thresholds;
pub(crate) use cases::require_read_cases;
pub use events::hall_event_stream;
pub use insight::require_admin as insight_require_admin;
use insight::{observations, surveys};
pub use queue::public::public_status_of;
use queue::tickets;
pub use queue::tickets::{TicketView, ticket_view};

/// Every API route, declared once: the router and the OpenAPI description (served at
/// `/api/openapi.json`) are both built from these lines, so a route cannot be served without
/// being described or described without being served.
pub fn routes() -> Router<AppState> {
    let (router, spec) = api_router().split_for_parts();
    let spec = std::sync::Arc::new(spec);
    router
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readiness::readyz))
        .route(
            "/api/openapi.json",
            get(move || {
                let spec = spec.clone();
                async move { axum::Json(spec.as_ref().clone()) }
            }),
        )
}

/// The API's routes with their descriptions (also what the role tests walk). Each line
/// declares who may call the route (`access`, written into the description as the
/// operation's `caller` security requirement); the handlers check the same.
pub fn api_router() -> OpenApiRouter<AppState> {
    use Access::*;
    use Permission as P;
    let mut frame = openapi::ApiDoc::openapi();
    access_rule::add_scheme(&mut frame);
    OpenApiRouter::with_openapi(frame)
        .routes(access(Public, routes!(sessions::login)))
        .routes(access(SignedIn, routes!(sessions::logout)))
        .routes(access(Any(P::ViewHall), routes!(halls::list)))
        .routes(access(Perm(P::ViewHall), routes!(halls::show)))
        .routes(access(Perm(P::ViewHall), routes!(queue::queue)))
        .routes(access(Perm(P::ViewStats), routes!(dashboard::stats_today)))
        .routes(access(
            Perm(P::ViewStats),
            routes!(queue::accuracy::estimate_accuracy_route),
        ))
        .routes(access(Perm(P::ViewStats), routes!(dashboard::stats_hourly)))
        .routes(access(
            Perm(P::ViewStats),
            routes!(dashboard::stats_counters),
        ))
        .routes(access(Perm(P::IssueTicket), routes!(tickets::issue)))
        .routes(access(Any(P::ViewStats), routes!(edge::list)))
        .routes(access(Perm(P::ViewEvents), routes!(events::stream)))
        .routes(access(CounterWork, routes!(counters::call_next)))
        .routes(access(Perm(P::OperateCounter), routes!(counters::console)))
        .routes(access(CounterWork, routes!(counters::set_status)))
        .routes(access(Perm(P::ViewHall), routes!(tickets::show)))
        .routes(access(EvaluatorPad, routes!(tickets::rate)))
        .routes(access(Perm(P::ViewHall), routes!(counters::read_back)))
        // A staff member's photo (about 150 kB as a data URL), set by the hall's administrator.
        .routes(access(
            StaffPerm(P::Administer),
            with_body_limit(routes!(halls::photos::set_photo), 320 * 1024),
        ))
        .routes(access(Public, routes!(halls::photos::photo)))
        .routes(access(Perm(P::OperateCounter), routes!(tickets::act)))
        .routes(access(Public, routes!(queue::public::public_status)))
        .routes(access(Public, routes!(queue::public::leave)))
        .routes(access(Public, routes!(queue::public::on_way)))
        .merge(cases_routes())
        .merge(catalogue::routes())
        .merge(feedback_routes())
        .merge(standards_routes())
        .merge(calendar_routes())
        .merge(insight_routes())
        .merge(regions_routes())
        .merge(inspections::routes())
        .merge(layout_map::routes())
        .merge(incidents::routes())
        .merge(audit::routes())
        .routes(access(Perm(P::ViewStats), routes!(staffing::day_advice)))
        .routes(access(
            StaffPerm(P::Administer),
            routes!(staffing::set_plan),
        ))
        .routes(access(Perm(P::ViewStats), routes!(staffing::replay_day)))
        .merge(risks::routes())
        .merge(customers::routes())
        .merge(assessment::routes())
        .merge(scorecards::routes())
        .merge(reports::routes())
        // A hall as one file (YAML or an .xlsx workbook of up to 4 MiB).
        .routes(access(
            DeploymentAdmin,
            with_body_limit(
                routes!(hall_file::export, hall_file::put_file, hall_file::post_file),
                4 * 1024 * 1024,
            ),
        ))
        .merge(cases::settings::routes())
        .merge(cases::documents::routes())
        .merge(appointments::routes())
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
/// `CaseRead` marks the routes that read cases.
fn cases_routes() -> OpenApiRouter<AppState> {
    use Access::*;
    use Permission as P;
    OpenApiRouter::new()
        .routes(access(CaseRead, routes!(cases::list)))
        .routes(access(Perm(P::HandleCases), routes!(cases::open)))
        .routes(access(Perm(P::ViewStats), routes!(cases::on_time::on_time)))
        .routes(access(Perm(P::Administer), routes!(cases::scan)))
        .routes(access(CaseRead, routes!(cases::show)))
        .routes(access(CaseWork, routes!(cases::complete_step)))
        .routes(access(CaseWork, routes!(cases::clock)))
        .routes(access(CaseWork, routes!(cases::documents::add_document)))
        .routes(access(CaseWork, routes!(cases::handover)))
        .routes(access(CaseHandoverTarget, routes!(cases::accept)))
        .routes(access(CaseWork, routes!(cases::callback)))
        .routes(access(CaseWork, routes!(cases::notices::schedule_callback)))
        .routes(access(CaseWork, routes!(cases::close)))
        .routes(access(Public, routes!(cases::public::public_status)))
}

/// The working-day calendar: questions (public) and the imported years.
fn calendar_routes() -> OpenApiRouter<AppState> {
    use Access::*;
    OpenApiRouter::new()
        .routes(access(Public, routes!(calendar::is_workday)))
        .routes(access(Public, routes!(calendar::add)))
        .routes(access(Public, routes!(calendar::between)))
        .routes(access(Public, routes!(calendar::years)))
        .routes(access(DeploymentAdmin, routes!(calendar::import)))
        .routes(access(DeploymentAdmin, routes!(calendar::remove)))
}

/// The region tree and who and what hangs on it.
fn regions_routes() -> OpenApiRouter<AppState> {
    use Access::*;
    OpenApiRouter::new()
        .routes(access(AboveHalls, routes!(regions::list)))
        .routes(access(DeploymentAdmin, routes!(regions::create)))
        .routes(access(
            DeploymentAdmin,
            routes!(regions::update, regions::remove),
        ))
        .routes(access(DeploymentAdmin, routes!(regions::set_hall)))
        .routes(access(DeploymentAdmin, routes!(regions::set_staff)))
}

/// Satisfaction figures, the emotion curve, surveys and observations (内查).
fn insight_routes() -> OpenApiRouter<AppState> {
    use Access::*;
    use Permission as P;
    OpenApiRouter::new()
        .routes(access(Perm(P::ViewStats), routes!(insight::satisfaction)))
        .routes(access(Perm(P::ViewStats), routes!(insight::curve)))
        .routes(access(Any(P::ViewStats), routes!(insight::settings)))
        .routes(access(DeploymentAdmin, routes!(insight::set_settings)))
        .routes(access(
            Any(P::ViewStats),
            routes!(insight::settings_changes),
        ))
        .routes(access(StaffPerm(P::ViewStats), routes!(observations::list)))
        // An observation may carry a photo (about 150 kB as a data URL).
        .routes(access(
            Perm(P::Observe),
            with_body_limit(routes!(observations::create), 320 * 1024),
        ))
        .routes(access(StaffPerm(P::ViewStats), routes!(observations::show)))
        .routes(access(
            StaffPerm(P::ViewStats),
            routes!(observations::photo),
        ))
        .routes(access(Any(P::ViewStats), routes!(surveys::list)))
        .routes(access(DeploymentAdmin, routes!(surveys::create)))
        .routes(access(DeploymentAdmin, routes!(surveys::set_active)))
        .routes(access(
            Perm(P::OperateCounter),
            routes!(surveys::invite_ticket),
        ))
        .routes(access(Perm(P::HandleCases), routes!(surveys::invite_case)))
        .routes(access(
            Public,
            routes!(surveys::public_show, surveys::public_answer),
        ))
}

/// Feedback: phone rating, imports (bodies up to 4 MB), recovery list, flags, settings.
fn feedback_routes() -> OpenApiRouter<AppState> {
    use Access::*;
    use Permission as P;
    use feedback::{gaming, settings};
    OpenApiRouter::new()
        .routes(access(
            Public,
            routes!(feedback::rating_state, feedback::rate_by_phone),
        ))
        .routes(access(
            Any(P::ReviewFeedback),
            with_body_limit(
                routes!(feedback::imports, feedback::import),
                4 * 1024 * 1024,
            ),
        ))
        .routes(access(RecoveryList, routes!(feedback::recovery)))
        .routes(access(Perm(P::ReviewFeedback), routes!(gaming::flags)))
        .routes(access(Perm(P::ViewStats), routes!(settings::settings)))
        .routes(access(HallAdministrator, routes!(settings::set_settings)))
        .routes(access(
            Perm(P::ViewStats),
            routes!(settings::settings_changes),
        ))
        .routes(access(Perm(P::ReviewFeedback), routes!(gaming::finding)))
}

/// The standards library (规章制度): documents, versions, acknowledgements, search.
fn standards_routes() -> OpenApiRouter<AppState> {
    use Access::*;
    use Permission as P;
    OpenApiRouter::new()
        .routes(access(StandardRead, routes!(standards::list)))
        .routes(access(StandardEdit, routes!(standards::create)))
        .routes(access(Perm(P::ViewStats), routes!(standards::report)))
        .routes(access(StandardRead, routes!(standards::search)))
        .routes(access(StandardRead, routes!(standards::show)))
        .routes(access(StandardEdit, routes!(standards::save_draft)))
        .routes(access(StandardEdit, routes!(standards::publish)))
        .routes(access(Staff, routes!(standards::acknowledge)))
        .routes(access(Staff, routes!(standards::pending)))
}

/// A unit enum's word as it is serialized (`working_days`, `hall_manager`, `phone` …): views
/// carry the same words the store's rows serialize to.
pub(crate) fn word<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// A hall by its code (`DL-XG`) or numeric id.
pub async fn resolve_hall(store: &dyn Store, key: &str) -> ApiResult<Hall> {
    let hall = match key.parse::<i64>() {
        Ok(id) => store.hall(id).await,
        Err(_) => store.hall_by_code(key).await,
    };
    let hall = hall.map_err(|_| ApiError::not_found(format!("没有此营业厅 · no hall {key:?}")))?;
    crate::request_log::record_hall(&hall.code);
    Ok(hall)
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
            Ok(axum::Json(v)) => bounded(v).map(Self),
            Err(e) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                Err(ApiError::new(
                    e.status(),
                    format!("请求内容过大 · the request is too large: {}", e.body_text()),
                ))
            }
            Err(e) => Err(ApiError::bad_request(format!(
                "请求内容不是有效的 JSON · the body is not valid JSON: {}",
                e.body_text()
            ))),
        }
    }
}

/// A parsed JSON body whose texts are within their bounds, as `T`.
fn bounded<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> ApiResult<T> {
    text_bounds::check(&v).map_err(ApiError::unprocessable)?;
    serde_json::from_value(v).map_err(|e| {
        ApiError::bad_request(format!(
            "请求内容的字段有误 · the JSON body does not fit this request: {e}"
        ))
    })
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
        let v: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
            ApiError::bad_request(format!(
                "请求内容不是有效的 JSON · malformed JSON body: {e}"
            ))
        })?;
        bounded(v).map(|v| Self(Some(v)))
    }
}
