//! The OpenAPI description of the API, served at `/api/openapi.json`.

use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "ServiceHall API",
        description = "Queue, counters, tickets, ratings and live events of a power-supply service hall (供电营业厅). Errors are RFC 9457 problem+json. Authenticate with the session cookie (people; echo X-CSRF-Token on writes) or `Authorization: Bearer <device token>`."
    ),
    paths(
        super::halls::list,
        super::halls::show,
        super::halls::queue,
        super::halls::stats_today,
        super::tickets::issue,
        super::tickets::show,
        super::tickets::act,
        super::tickets::rate,
        super::tickets::public_status,
        super::counters::set_status,
        super::counters::call_next,
        super::counters::console,
        super::events::stream,
        super::session::login,
        super::session::logout,
        super::cases::open,
        super::cases::list,
        super::cases::show,
        super::cases::complete_step,
        super::cases::clock,
        super::cases::add_document,
        super::cases::handover,
        super::cases::accept,
        super::cases::callback,
        super::cases::close,
        super::cases::on_time,
        super::cases::scan,
        super::cases::public_status,
        super::feedback::rating_state,
        super::feedback::rate_by_phone,
        super::feedback::import,
        super::feedback::imports,
        super::feedback::recovery,
        super::feedback::flags,
        super::feedback::settings,
        super::feedback::set_settings,
        super::calendar::is_workday,
        super::calendar::add,
        super::calendar::between,
        super::calendar::years,
        super::calendar::import,
        super::calendar::remove,
        super::regions::list,
        super::regions::create,
        super::regions::update,
        super::regions::remove,
        super::regions::set_hall,
        super::regions::set_staff,
        super::catalogue::public_catalogue,
        super::catalogue::public_status,
        super::catalogue::versions,
        super::catalogue::save_version,
        super::catalogue::export,
        super::catalogue::import,
        super::catalogue::give_notice,
        super::catalogue::record_visit,
        super::catalogue::repeat_trips,
        super::standards::list,
        super::standards::create,
        super::standards::show,
        super::standards::save_draft,
        super::standards::publish,
        super::standards::acknowledge,
        super::standards::pending,
        super::standards::report,
        super::standards::search,
    ),
    components(schemas(crate::error::Problem))
)]
pub struct ApiDoc;

pub async fn spec() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
