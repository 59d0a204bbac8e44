//! The indicators added with the monthly reports, counted the same way as figures.rs (one
//! set of statements for the step, the rebuild and the naive scan): the wait bins behind
//! `wait_p90`, on-time by kind of limit, call-backs and rectifications within their limits,
//! repeat trips and the standards' acknowledgements.

use super::span::{DAY, Span};

/// A standard must be acknowledged within this many ms of its publishing (7 days).
const ACK_WINDOW_MS: i64 = 7 * 86_400_000;

/// Statements as in figures.rs; an empty indicator list marks the wait bins, whose rows
/// carry `bin` (whole minutes, 60 and over in one) and `n` (tickets).
pub(super) fn statements(span: &Span) -> Vec<(String, &'static [&'static str])> {
    let times = super::span::ticket_times(span);
    let stopped_within = "(k.deadline_at IS NULL OR e.at <= k.deadline_at)";
    let kind = |k: &str| {
        format!(
            "CAST(SUM(CASE WHEN k.limit_kind = '{k}' AND {stopped_within} THEN 1 ELSE 0 END) AS BIGINT) AS n_on_time_{k},
             CAST(SUM(CASE WHEN k.limit_kind = '{k}' THEN 1 ELSE 0 END) AS BIGINT) AS d_on_time_{k}"
        )
    };
    vec![
        (
            format!(
                "SELECT t.hall_id, (w.called + {DAY} AS day,
                    CASE WHEN (w.called - w.queued) / 60000 >= 60 THEN 60 ELSE (w.called - w.queued) / 60000 END AS bin,
                    COUNT(*) AS n
                 FROM ({times}) w JOIN tickets t ON t.id = w.ticket_id
                 WHERE w.called IS NOT NULL AND w.queued IS NOT NULL AND t.transferred_from IS NULL AND {}
                 GROUP BY t.hall_id, (w.called + {DAY},
                    CASE WHEN (w.called - w.queued) / 60000 >= 60 THEN 60 ELSE (w.called - w.queued) / 60000 END",
                span.at("w.called")
            ),
            &[],
        ),
        (
            format!(
                "SELECT c.hall_id, (e.at + {DAY} AS day, {}, {}, {},
                    CAST(SUM(CASE WHEN r.case_id IS NOT NULL AND k.code = 'callback' AND {stopped_within} THEN 1 ELSE 0 END) AS BIGINT) AS n_callback_within_limit,
                    CAST(SUM(CASE WHEN r.case_id IS NOT NULL AND k.code = 'callback' THEN 1 ELSE 0 END) AS BIGINT) AS d_callback_within_limit,
                    CAST(SUM(CASE WHEN q.case_id IS NOT NULL AND {stopped_within} THEN 1 ELSE 0 END) AS BIGINT) AS n_rectification_on_time,
                    CAST(SUM(CASE WHEN q.case_id IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS d_rectification_on_time
                 FROM case_events e
                 JOIN case_clocks k ON k.case_id = e.case_id AND k.clock_key = e.clock_key
                 JOIN cases c ON c.id = e.case_id
                 LEFT JOIN recovery_links r ON r.case_id = c.id
                 LEFT JOIN rectifications q ON q.case_id = c.id
                 WHERE e.kind = 'clock_stopped' AND {} AND {}
                 GROUP BY c.hall_id, (e.at + {DAY}",
                kind("statutory"),
                kind("promised"),
                kind("appointment"),
                span.halls("c.hall_id"),
                span.at("e.at")
            ),
            &[
                "on_time_statutory",
                "on_time_promised",
                "on_time_appointment",
                "callback_within_limit",
                "rectification_on_time",
            ],
        ),
        (
            format!(
                "SELECT hall_id, (at + {DAY} AS day,
                    CAST(SUM(CASE WHEN repeat_of IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS n_repeat_trips,
                    COUNT(*) AS d_repeat_trips
                 FROM customer_visits WHERE {} AND {}
                 GROUP BY hall_id, (at + {DAY}",
                span.halls("hall_id"),
                span.at("at")
            ),
            &["repeat_trips"],
        ),
        (
            // Who owes an acknowledgement: the hall's active staff of the roles a published
            // version applies to (company-wide documents: every hall's). Counted on the day
            // the window closes, so a late acknowledgement never changes a kept day.
            format!(
                "SELECT s.hall_id, (v.published_at + {ACK_WINDOW_MS} + {DAY} AS day,
                    CAST(SUM(CASE WHEN a.at IS NOT NULL AND a.at <= v.published_at + {ACK_WINDOW_MS} THEN 1 ELSE 0 END) AS BIGINT) AS n_ack_rate,
                    COUNT(*) AS d_ack_rate
                 FROM standard_versions v
                 JOIN standard_documents d ON d.id = v.document_id
                 JOIN staff s ON s.hall_id IS NOT NULL AND (d.hall_id IS NULL OR s.hall_id = d.hall_id)
                      AND s.active = 1 AND (',' || v.audience || ',') LIKE ('%,' || s.role || ',%')
                 LEFT JOIN standard_acks a ON a.version_id = v.id AND a.staff_id = s.id
                 WHERE v.published_at IS NOT NULL AND {} AND {}
                 GROUP BY s.hall_id, (v.published_at + {ACK_WINDOW_MS} + {DAY}",
                span.halls("s.hall_id"),
                span.at(&format!("v.published_at + {ACK_WINDOW_MS}"))
            ),
            &["ack_rate"],
        ),
    ]
}
