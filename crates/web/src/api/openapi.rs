//! The OpenAPI description's frame: title, description and shared schemas. The paths are
//! added by the router itself (`api::api_router`), from the routes it serves.

use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "ServiceHall API",
        description = "Queue, counters, tickets, ratings and live events of a power-supply service hall (供电营业厅). Errors are RFC 9457 problem+json. Authenticate with the session cookie (people; echo X-CSRF-Token on writes) or `Authorization: Bearer <device token>`."
    ),
    components(schemas(crate::error::Problem))
)]
pub struct ApiDoc;
