//! The tables an edge ships, in the order central applies them: each table's key, the
//! columns holding ids the edge numbered itself, and which changes are captured. Read by the
//! capture triggers on the edge (capture.rs) and by central applying a batch (receive.rs).

/// A table the edge ships: its key, the columns holding ids the edge numbered itself (placed
/// in the hall's id space centrally, `servicehall_domain::edge::central_id`), and which
/// changes are captured.
pub(super) struct Shipped {
    pub tbl: &'static str,
    pub key: &'static [&'static str],
    pub local_ids: &'static [&'static str],
    /// `None`: every insert and update; `Some(cols)`: updates of these columns only (a
    /// counter's live state; its configuration flows down instead).
    pub only: Option<&'static [&'static str]>,
    /// Columns shipped (to name the row on insert) that keep their central value on update.
    pub keep_central: &'static [&'static str],
}

/// In the order a batch is applied centrally: parents before the rows that name them.
pub(super) const SHIPPED: &[Shipped] = &[
    // A mid-day switch's pairs of local and central ticket ids (flow.rs), before any row
    // naming them.
    Shipped {
        tbl: "edge_handovers",
        key: &["hall_id", "local_id"],
        local_ids: &[],
        only: None,
        keep_central: &[],
    },
    Shipped {
        tbl: "tickets",
        key: &["id"],
        local_ids: &["id", "transferred_from"],
        only: None,
        keep_central: &[],
    },
    Shipped {
        tbl: "ticket_events",
        key: &["id"],
        local_ids: &["id", "ticket_id"],
        only: None,
        keep_central: &[],
    },
    Shipped {
        tbl: "read_backs",
        key: &["ticket_id"],
        local_ids: &["ticket_id"],
        only: None,
        keep_central: &[],
    },
    Shipped {
        tbl: "ratings",
        key: &["id"],
        local_ids: &["id", "ticket_id"],
        only: None,
        keep_central: &[],
    },
    Shipped {
        tbl: "hall_events",
        key: &["id"],
        local_ids: &["id"],
        only: None,
        keep_central: &[],
    },
    // A booking that came down from central (bookings.rs): only what the edge does to it —
    // check-in, its ticket, no-show — goes up, onto the same central booking.
    Shipped {
        tbl: "appointments",
        key: &["id"],
        local_ids: &["ticket_id"],
        only: Some(super::bookings::EDGE_COLUMNS),
        keep_central: &["hall_id"],
    },
    Shipped {
        tbl: "counters",
        key: &["id"],
        local_ids: &[],
        only: Some(&["status", "pause_reason", "staff_id", "status_since"]),
        keep_central: &["number", "hall_id"],
    },
];

pub(super) fn shipped(tbl: &str) -> Option<&'static Shipped> {
    SHIPPED.iter().find(|s| s.tbl == tbl)
}
