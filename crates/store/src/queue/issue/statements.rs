//! The statements of issuing a ticket, shared word for word by the sqlx path (PostgreSQL,
//! and SQLite without the issuer) and the SQLite issuer's own connection (lite_conn.rs, sqlite_issuer.rs).
//! `$n` placeholders appear first in order, so SQLite binds them by position in both.

pub(crate) const IDEMPOTENCY_CLAIM: &str = "INSERT INTO idempotency_keys (hall_id, key, created_at) VALUES ($1, $2, $3) ON CONFLICT (hall_id, key) DO NOTHING";
pub(crate) const IDEMPOTENCY_FIND: &str =
    "SELECT ticket_id FROM idempotency_keys WHERE hall_id = $1 AND key = $2";
pub(crate) const IDEMPOTENCY_SET: &str =
    "UPDATE idempotency_keys SET ticket_id = $1 WHERE hall_id = $2 AND key = $3";
/// Takes (and locks until the commit) the kiosk's row for this business type and reads its
/// last ticket: a second tap running at the same moment on PostgreSQL waits here and then
/// reads the first tap's ticket. `ticket_id` is NULL on the first tap ever.
pub(crate) const KIOSK_TAP_CLAIM: &str =
    "INSERT INTO kiosk_taps (device_id, business_type_id, ticket_id, at) VALUES ($1, $2, NULL, 0)
     ON CONFLICT (device_id, business_type_id) DO UPDATE SET at = kiosk_taps.at
     RETURNING ticket_id, at";
/// Records the ticket a kiosk tap issued.
pub(crate) const KIOSK_TAP_SET: &str =
    "UPDATE kiosk_taps SET ticket_id = $3, at = $4 WHERE device_id = $1 AND business_type_id = $2";
pub(crate) const NEXT_SEQ: &str =
    "INSERT INTO ticket_sequences (hall_id, service_day, prefix, last_no) VALUES ($1, $2, $3, 1)
     ON CONFLICT (hall_id, service_day, prefix) DO UPDATE SET last_no = ticket_sequences.last_no + 1
     RETURNING last_no";
/// The SQLite issuer writes back the last number a batch handed out (sqlite_issuer.rs).
pub(crate) const SET_SEQ: &str = "UPDATE ticket_sequences SET last_no = $4
     WHERE hall_id = $1 AND service_day = $2 AND prefix = $3";
macro_rules! insert_ticket {
    () => {
        "INSERT INTO tickets (hall_id, business_type_id, service_day, prefix, seq_no, number, code, priority, green_reason,
                          proxy, channel, state, queued_since, issued_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'waiting', $12, $12, $12)"
    };
}
pub(crate) const INSERT_TICKET: &str = concat!(insert_ticket!(), " RETURNING id");
/// [`INSERT_TICKET`] without `RETURNING`: the SQLite issuer reads the new id from
/// `last_insert_rowid()`, since SQLite gathers a statement's returned rows in a temporary
/// table — opened, filled and freed for every ticket.
pub(crate) const INSERT_TICKET_ROW: &str = insert_ticket!();
pub(crate) const LOG_EVENT: &str = "INSERT INTO ticket_events (ticket_id, state, action, at, counter_id, staff_id, note) VALUES ($1, $2, $3, $4, $5, $6, $7)";
macro_rules! push_event {
    () => {
        "INSERT INTO hall_events (hall_id, kind, payload, at) VALUES ($1, $2, $3, $4)"
    };
}
pub(crate) const PUSH_EVENT: &str = concat!(push_event!(), " RETURNING id");
/// [`PUSH_EVENT`] without `RETURNING`, as [`INSERT_TICKET_ROW`].
pub(crate) const PUSH_EVENT_ROW: &str = push_event!();
/// The days before `$2` on which a hall still has someone waiting (queue_depth keeps a row
/// only while someone waits, once a day is closed), so closing a day reads its tickets only.
macro_rules! stale_days {
    () => {
        "(SELECT service_day FROM queue_depth WHERE hall_id = $1 AND service_day < $2 AND waiting > 0)"
    };
}
pub(crate) const EXPIRE_LOG: &str = concat!(
    "INSERT INTO ticket_events (ticket_id, state, action, at, note)
     SELECT id, 'no_show', 'expire', $3, '营业日结束未叫号 · not called before the day ended'
     FROM tickets WHERE hall_id = $1 AND state = 'waiting' AND service_day IN ",
    stale_days!()
);
pub(crate) const EXPIRE: &str = concat!(
    "UPDATE tickets SET state = 'no_show', updated_at = $3 WHERE hall_id = $1 AND state = 'waiting' AND service_day IN ",
    stale_days!()
);
/// After [`EXPIRE`]: the closed days' emptied queues.
pub(crate) const PRUNE_DEPTH: &str =
    "DELETE FROM queue_depth WHERE hall_id = $1 AND service_day < $2 AND waiting = 0";
/// The duties of a hall's open counters: (counter, business type, 主办 = 1): the wait
/// estimate weighs 主办 and 兼办 differently and spreads the other types' work over them.
pub(crate) const OPEN_DUTIES: &str =
    "SELECT c.id, t.business_type_id, CAST(t.is_primary AS BIGINT) FROM counters c
     JOIN counter_business_types t ON t.counter_id = c.id
     WHERE c.hall_id = $1 AND c.status = 'open' ORDER BY c.id, t.business_type_id";
/// Waiting tickets per business type of a hall's day in the classes `green IN ($3, $4)`:
/// the mix ahead of a ticket.
pub(crate) const WAITING_BY_TYPE: &str =
    "SELECT business_type_id, CAST(SUM(waiting) AS BIGINT) FROM queue_depth
     WHERE hall_id = $1 AND service_day = $2 AND green IN ($3, $4) AND waiting > 0
     GROUP BY business_type_id ORDER BY business_type_id";

/// The ticket a kiosk tap at `now` repeats: the kiosk's last ticket for the business type
/// when it was issued less than the window ago and the customer did not ask for another.
pub(crate) fn repeated(
    tap: &crate::KioskTap,
    last: Option<i64>,
    last_at: i64,
    now: i64,
) -> Option<i64> {
    if tap.another {
        return None;
    }
    // A tap that raced ahead of an earlier one (now < last_at) is a repeat too.
    last.filter(|_| now - last_at < tap.window_ms)
}

/// The note logged with an issue.
pub(crate) fn issue_note(proxy: bool) -> &'static str {
    if proxy {
        "业务代办 proxy handling"
    } else {
        ""
    }
}

/// Keeps a new ticket's estimate. Binds: ticket id, seconds.
pub(crate) const INSERT_ESTIMATE: &str =
    "INSERT INTO ticket_estimates (ticket_id, estimated_wait_s) VALUES ($1, $2)";
