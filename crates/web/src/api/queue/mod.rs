//! The queue (有序接办): tickets issued, called and rated (`tickets`), the hall's queue as
//! the lobby display and the kiosk see it (`queue`), the customer's own steps by the slip's
//! code (`public`), the read models behind them and behind every wait estimate (`view`), and
//! how good those estimates were (`accuracy`).

pub mod accuracy;
pub mod public;
pub mod tickets;
pub mod view;

use crate::api::resolve_hall;
use crate::auth::random_hex;
use crate::error::ApiResult;
use crate::{AppState, auth::Caller};
use axum::Json;
use axum::extract::{Path, State};
use servicehall_domain::access::Permission;
use view::{QueueView, queue_view};

/// Waiting tickets per business type, with estimates, and the counters.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/queue", tag = "queue",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, body = QueueView)))]
pub async fn queue(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<Json<QueueView>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::ViewHall, hall.id)?;
    Ok(Json(queue_view(&s, &hall, s.now()).await?))
}

/// A ticket's public code (the follow page `/t/{code}`): the issue instant in milliseconds as
/// hex, then 8 random bytes. The random part makes it unguessable; the time first makes each
/// new code sort after the last, so the unique index on codes grows at its right edge and a
/// batch of issues writes one or two of its pages instead of one random page per ticket.
/// Eleven hex digits of milliseconds last until the year 2527.
pub fn ticket_code(now_ms: i64) -> String {
    format!("{:011x}{}", now_ms.max(0), random_hex(8))
}

#[cfg(test)]
mod tests {
    use super::ticket_code;

    /// Ticket codes sort in issue order (the unique index on them grows at its right edge)
    /// and still carry 64 random bits, so two codes of the same millisecond differ.
    #[test]
    fn ticket_codes_sort_by_time_and_stay_unguessable() {
        let (a, b) = (
            ticket_code(1_800_000_000_000),
            ticket_code(1_800_000_000_001),
        );
        assert!(a < b, "{a} {b}");
        assert_eq!(a.len(), 27);
        assert!(a.starts_with("1a3185c5000"), "{a}");
        assert_ne!(ticket_code(5), ticket_code(5));
        assert!(ticket_code(-1).starts_with("00000000000"));
    }
}
