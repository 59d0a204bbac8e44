//! The source tables the chain pins, and the fields of each that its digest covers. A
//! column is read as text on both databases (`CAST(… AS TEXT)`), so the digest taken at
//! append time and the one taken by verify see the same strings. Only columns that never
//! change after the row is written are listed: a later legitimate update must not read
//! as tampering.

use crate::Result;
use servicehall_domain::audit::{SealedRow, digest};
use sqlx::{AnyConnection, Row};

/// (table, the columns its digest covers).
const SOURCES: &[(&str, &[&str])] = &[
    (
        "ratings",
        &[
            "ticket_id",
            "hall_id",
            "counter_id",
            "staff_id",
            "device_id",
            "level",
            "reasons",
            "at",
        ],
    ),
    (
        "phone_ratings",
        &[
            "ticket_id",
            "hall_id",
            "counter_id",
            "staff_id",
            "business_type_id",
            "level",
            "reasons",
            "comment",
            "contact_name",
            "contact_phone",
            "finished_at",
            "at",
        ],
    ),
    (
        "case_events",
        &[
            "case_id",
            "kind",
            "at",
            "actor_id",
            "step_code",
            "clock_key",
            "target_id",
            "note",
            "data",
        ],
    ),
    (
        "observations",
        &[
            "hall_id",
            "counter_id",
            "staff_id",
            "observer_id",
            "observer_kind",
            "observed_at",
            "note",
            "evidence",
            "photo_ref",
            "score_pct",
            "created_at",
        ],
    ),
    (
        "inspections",
        &[
            "hall_id",
            "template_id",
            "subject_staff_id",
            "inspector_id",
            "started_at",
            "submitted_at",
            "score_tenths",
            "passed",
        ],
    ),
    ("hall_events", &["hall_id", "kind", "payload", "at"]),
    (
        "customer_changes",
        &["customer_id", "kind", "at", "by_id", "summary"],
    ),
    (
        "external_evaluations",
        &[
            "import_id",
            "source",
            "source_row_id",
            "hall_id",
            "business_type_id",
            "touchpoint",
            "level",
            "reasons",
            "comment",
            "customer_phone",
            "ticket_id",
            "evaluated_at",
        ],
    ),
    (
        "external_imports",
        &["source", "file_name", "imported_by", "at", "rows_total"],
    ),
    (
        "scorecard_appeal_files",
        &[
            "appeal_id",
            "name",
            "content_type",
            "size_bytes",
            "sha256",
            "added_by",
            "added_at",
        ],
    ),
];

fn columns(table: &str) -> &'static [&'static str] {
    SOURCES
        .iter()
        .find(|(t, _)| *t == table)
        .map_or(&[], |(_, c)| c)
}

fn select(table: &str, filter: &str) -> String {
    let cols: Vec<String> = columns(table)
        .iter()
        .map(|c| format!("CAST({c} AS TEXT)"))
        .collect();
    format!(
        "SELECT id, {} FROM {table} WHERE {filter} ORDER BY id",
        cols.join(", ")
    )
}

fn row_digest(table: &str, row: &sqlx::any::AnyRow) -> Result<(i64, String)> {
    let id: i64 = row.try_get(0)?;
    let mut fields = Vec::with_capacity(columns(table).len() + 1);
    fields.push(("id", Some(id.to_string())));
    for (i, c) in columns(table).iter().enumerate() {
        fields.push((*c, row.try_get::<Option<String>, _>(i + 1)?));
    }
    Ok((id, digest(table, &fields)))
}

/// The digest of one source row now, `None` when it is gone. Unknown tables are a bug of
/// the caller, reported as a missing row rather than a panic.
pub(crate) async fn row(conn: &mut AnyConnection, table: &str, id: i64) -> Result<Option<String>> {
    if columns(table).is_empty() {
        return Ok(None);
    }
    let r = sqlx::query(sqlx::AssertSqlSafe(select(table, "id = $1")))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    r.map(|r| row_digest(table, &r).map(|(_, d)| d)).transpose()
}

/// The hall events of `hall` with ids in `from..=to`, each with its short digest (16 hex
/// digits: the batch's own digest covers the list, these only point at the row).
pub(crate) async fn hall_events(
    conn: &mut AnyConnection,
    hall: i64,
    from: i64,
    to: i64,
) -> Result<Vec<SealedRow>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(select(
        "hall_events",
        "hall_id = $1 AND id >= $2 AND id <= $3",
    )))
    .bind(hall)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            row_digest("hall_events", r).map(|(id, d)| SealedRow {
                id,
                digest: d[..16].to_string(),
            })
        })
        .collect()
}
