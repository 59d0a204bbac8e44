//! Manual entries (人工登记) in the kept figures, as the dashboard counts them
//! (`servicehall_domain::incidents::by_hand`): every entry is kept as `manual_entries` (the
//! mark, 含人工登记 N 笔), and an entry recorded with no ticket at its counter is a visit of
//! its own, added to `served`. A ticket is at its counter from its first call to the first
//! finish, no-show or transfer after it (inclusive), or on while it is still open.

use super::span::Span;

/// The statement for manual entries: `hall_id, day, n_served, d_served, n_manual_entries,
/// d_manual_entries`, by the China Standard Time day the entry was recorded.
pub(crate) fn statement(span: &Span, day: &str) -> (String, &'static [&'static str]) {
    let alone = "NOT EXISTS (SELECT 1 FROM tickets t
            JOIN ticket_events c ON c.ticket_id = t.id AND c.state = 'called'
            WHERE t.counter_id = m.counter_id AND c.at <= m.recorded_at
              AND c.at = (SELECT MIN(c2.at) FROM ticket_events c2
                          WHERE c2.ticket_id = t.id AND c2.state = 'called')
              AND NOT EXISTS (SELECT 1 FROM ticket_events f WHERE f.ticket_id = t.id
                  AND f.state IN ('finished', 'no_show', 'transferred')
                  AND f.at >= c.at AND f.at < m.recorded_at))";
    (
        format!(
            "SELECT m.hall_id, (m.recorded_at + {day} AS day,
                CAST(SUM(CASE WHEN {alone} THEN 1 ELSE 0 END) AS BIGINT) AS n_served,
                CAST(SUM(CASE WHEN {alone} THEN 1 ELSE 0 END) AS BIGINT) AS d_served,
                COUNT(*) AS n_manual_entries, COUNT(*) AS d_manual_entries
             FROM manual_entries m WHERE {} AND {}
             GROUP BY m.hall_id, (m.recorded_at + {day}",
            span.halls("m.hall_id"),
            span.at("m.recorded_at")
        ),
        &["served", "manual_entries"],
    )
}
