//! Embedded migrations, one list per backend, applied in order and recorded.

use super::{Backend, SqlStore};
use crate::Result;
use sqlx::AssertSqlSafe;

pub(crate) const SQLITE: &[(i64, &str)] = &[
    (1, include_str!("../../migrations/sqlite/0001_hall.sql")),
    (
        2,
        include_str!("../../migrations/sqlite/0002_badge_unique.sql"),
    ),
    (
        3,
        include_str!("../../migrations/sqlite/0003_ticket_counter_index.sql"),
    ),
    (4, include_str!("../../migrations/sqlite/0004_cases.sql")),
    (
        5,
        include_str!("../../migrations/sqlite/0005_catalogue.sql"),
    ),
    (
        6,
        include_str!("../../migrations/sqlite/0006_standards.sql"),
    ),
    (7, include_str!("../../migrations/sqlite/0007_feedback.sql")),
    (8, include_str!("../../migrations/sqlite/0008_insight.sql")),
    (
        9,
        include_str!("../../migrations/sqlite/0009_queue_depth.sql"),
    ),
    (
        10,
        include_str!("../../migrations/sqlite/0010_calendar_years.sql"),
    ),
    (11, include_str!("../../migrations/sqlite/0011_regions.sql")),
    (
        12,
        include_str!("../../migrations/sqlite/0012_feedback_review.sql"),
    ),
    (
        13,
        include_str!("../../migrations/sqlite/0013_case_config_documents_scan.sql"),
    ),
    (
        14,
        include_str!("../../migrations/sqlite/0014_tickets_one_queue_index.sql"),
    ),
    (
        15,
        include_str!("../../migrations/sqlite/0015_tickets_finished_index.sql"),
    ),
    (
        16,
        include_str!("../../migrations/sqlite/0016_case_access_code.sql"),
    ),
    (
        17,
        include_str!("../../migrations/sqlite/0017_case_access_code_backfill.sql"),
    ),
    (
        18,
        include_str!("../../migrations/sqlite/0018_kiosk_taps.sql"),
    ),
    (
        19,
        include_str!("../../migrations/sqlite/0019_ticket_estimates.sql"),
    ),
    (
        20,
        include_str!("../../migrations/sqlite/0020_staff_photos.sql"),
    ),
    (
        21,
        include_str!("../../migrations/sqlite/0021_phone_queue_steps.sql"),
    ),
    (
        22,
        include_str!("../../migrations/sqlite/0022_webhook_outbox.sql"),
    ),
    (
        23,
        include_str!("../../migrations/sqlite/0023_inspections.sql"),
    ),
    (
        24,
        include_str!("../../migrations/sqlite/0024_rectification.sql"),
    ),
    (
        25,
        include_str!("../../migrations/sqlite/0025_inspection_schedules.sql"),
    ),
    (
        26,
        include_str!("../../migrations/sqlite/0026_layout_map.sql"),
    ),
    (27, include_str!("../../migrations/sqlite/0027_audit.sql")),
    (
        28,
        include_str!("../../migrations/sqlite/0028_assessment.sql"),
    ),
    (29, include_str!("../../migrations/sqlite/0029_risks.sql")),
    (
        30,
        include_str!("../../migrations/sqlite/0030_incidents.sql"),
    ),
    (
        31,
        include_str!("../../migrations/sqlite/0031_staffing.sql"),
    ),
    (
        34,
        include_str!("../../migrations/sqlite/0034_scorecards.sql"),
    ),
    (35, include_str!("../../migrations/sqlite/0035_reports.sql")),
    (
        36,
        include_str!("../../migrations/sqlite/0036_customers.sql"),
    ),
    (
        37,
        include_str!("../../migrations/sqlite/0037_appointments.sql"),
    ),
    (
        39,
        include_str!("../../migrations/sqlite/0039_tickets_targeted_index.sql"),
    ),
    (
        40,
        include_str!("../../migrations/sqlite/0040_region_risks.sql"),
    ),
    (
        42,
        include_str!("../../migrations/sqlite/0042_assessment_months.sql"),
    ),
    (
        43,
        include_str!("../../migrations/sqlite/0043_appeal_evidence.sql"),
    ),
    (45, include_str!("../../migrations/sqlite/0045_edge.sql")),
    (
        46,
        include_str!("../../migrations/sqlite/0046_handling_sums.sql"),
    ),
    (
        47,
        include_str!("../../migrations/sqlite/0047_edge_handover.sql"),
    ),
];
const POSTGRES: &[(i64, &str)] = &[
    (1, include_str!("../../migrations/postgres/0001_hall.sql")),
    (
        2,
        include_str!("../../migrations/postgres/0002_badge_unique.sql"),
    ),
    (
        3,
        include_str!("../../migrations/postgres/0003_ticket_counter_index.sql"),
    ),
    (4, include_str!("../../migrations/postgres/0004_cases.sql")),
    (
        5,
        include_str!("../../migrations/postgres/0005_catalogue.sql"),
    ),
    (
        6,
        include_str!("../../migrations/postgres/0006_standards.sql"),
    ),
    (
        7,
        include_str!("../../migrations/postgres/0007_feedback.sql"),
    ),
    (
        8,
        include_str!("../../migrations/postgres/0008_insight.sql"),
    ),
    (
        9,
        include_str!("../../migrations/postgres/0009_queue_depth.sql"),
    ),
    (
        10,
        include_str!("../../migrations/postgres/0010_calendar_years.sql"),
    ),
    (
        11,
        include_str!("../../migrations/postgres/0011_regions.sql"),
    ),
    (
        12,
        include_str!("../../migrations/postgres/0012_feedback_review.sql"),
    ),
    (
        13,
        include_str!("../../migrations/postgres/0013_case_config_documents_scan.sql"),
    ),
    (
        14,
        include_str!("../../migrations/postgres/0014_tickets_one_queue_index.sql"),
    ),
    (
        15,
        include_str!("../../migrations/postgres/0015_tickets_finished_index.sql"),
    ),
    (
        16,
        include_str!("../../migrations/postgres/0016_case_access_code.sql"),
    ),
    (
        17,
        include_str!("../../migrations/postgres/0017_case_access_code_backfill.sql"),
    ),
    (
        18,
        include_str!("../../migrations/postgres/0018_kiosk_taps.sql"),
    ),
    (
        19,
        include_str!("../../migrations/postgres/0019_ticket_estimates.sql"),
    ),
    (
        20,
        include_str!("../../migrations/postgres/0020_staff_photos.sql"),
    ),
    (
        21,
        include_str!("../../migrations/postgres/0021_phone_queue_steps.sql"),
    ),
    (
        22,
        include_str!("../../migrations/postgres/0022_webhook_outbox.sql"),
    ),
    (
        23,
        include_str!("../../migrations/postgres/0023_inspections.sql"),
    ),
    (
        24,
        include_str!("../../migrations/postgres/0024_rectification.sql"),
    ),
    (
        25,
        include_str!("../../migrations/postgres/0025_inspection_schedules.sql"),
    ),
    (
        26,
        include_str!("../../migrations/postgres/0026_layout_map.sql"),
    ),
    (27, include_str!("../../migrations/postgres/0027_audit.sql")),
    (
        28,
        include_str!("../../migrations/postgres/0028_assessment.sql"),
    ),
    (29, include_str!("../../migrations/postgres/0029_risks.sql")),
    (
        30,
        include_str!("../../migrations/postgres/0030_incidents.sql"),
    ),
    (
        31,
        include_str!("../../migrations/postgres/0031_staffing.sql"),
    ),
    (
        34,
        include_str!("../../migrations/postgres/0034_scorecards.sql"),
    ),
    (
        35,
        include_str!("../../migrations/postgres/0035_reports.sql"),
    ),
    (
        36,
        include_str!("../../migrations/postgres/0036_customers.sql"),
    ),
    (
        37,
        include_str!("../../migrations/postgres/0037_appointments.sql"),
    ),
    (
        39,
        include_str!("../../migrations/postgres/0039_tickets_targeted_index.sql"),
    ),
    (
        40,
        include_str!("../../migrations/postgres/0040_region_risks.sql"),
    ),
    (
        42,
        include_str!("../../migrations/postgres/0042_assessment_months.sql"),
    ),
    (
        43,
        include_str!("../../migrations/postgres/0043_appeal_evidence.sql"),
    ),
    (45, include_str!("../../migrations/postgres/0045_edge.sql")),
    (
        46,
        include_str!("../../migrations/postgres/0046_handling_sums.sql"),
    ),
    (
        47,
        include_str!("../../migrations/postgres/0047_edge_handover.sql"),
    ),
    (
        48,
        include_str!("../../migrations/postgres/0048_queue_depth_per_statement.sql"),
    ),
];

/// The advisory-lock key of migrations (hall locks use hall ids, which are positive).
const MIGRATION_LOCK: i64 = -0x5348_0000;

impl SqlStore {
    /// The newest migration this build knows (a backup made by a newer build is refused).
    pub fn latest_migration() -> i64 {
        SQLITE
            .last()
            .map_or(0, |m| m.0)
            .max(POSTGRES.last().map_or(0, |m| m.0))
    }

    /// Applies the migrations not yet applied; safe to run at every start.
    pub async fn migrate(&self) -> Result<Vec<i64>> {
        let steps = match self.backend {
            Backend::Sqlite => SQLITE,
            Backend::Postgres => POSTGRES,
        };
        let mut w = self.begin().await?;
        if self.backend == Backend::Postgres {
            // Before any DDL: two nodes starting at once on an empty database would both
            // run `CREATE TABLE IF NOT EXISTS` and one would fail on the catalogue's unique
            // index. The lock is the transaction's, so it goes with the commit.
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(MIGRATION_LOCK)
                .execute(&mut *w.tx)
                .await?;
        }
        sqlx::raw_sql(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
        )
        .execute(&mut *w.tx)
        .await?;
        let done: Vec<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations")
            .fetch_all(&mut *w.tx)
            .await?;
        let mut applied = Vec::new();
        for (version, sql) in steps {
            if done.contains(version) {
                continue;
            }
            sqlx::raw_sql(AssertSqlSafe(*sql))
                .execute(&mut *w.tx)
                .await?;
            sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)")
                .bind(*version)
                .bind(chrono::Utc::now().timestamp_millis())
                .execute(&mut *w.tx)
                .await?;
            applied.push(*version);
        }
        self.commit(w).await?;
        Ok(applied)
    }
}
