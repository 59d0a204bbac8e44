//! [`FeedbackStore`](super::FeedbackStore) on SQL: phone ratings (phone.rs), external
//! evaluations (import.rs), service recovery (recovery.rs) and the visits behind the
//! anti-gaming flags (gaming/visits.rs). See `migrations/*/0007_feedback.sql`
//! for the tables (documented there for the satisfaction indices that read them).

use crate::sql::SqlStore;
use crate::*;
use crate::{FeedbackStore, Result, StoreError};
use async_trait::async_trait;
use sqlx::AnyConnection;

pub(crate) fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(format!("{what}: {e}").into()))
}

/// How many ratings, pad and phone, a visit has.
const RATED_COUNT: &str = "SELECT (SELECT COUNT(*) FROM ratings WHERE ticket_id = $1) + (SELECT COUNT(*) FROM phone_ratings WHERE ticket_id = $1)";

/// 一事一评: a visit is rated once, on the pad or on the phone. Called in the rating's write
/// transaction (on PostgreSQL the ticket's row is locked first, so a pad and a phone rating
/// racing each other queue here); refuses when the visit already has a rating of either kind.
pub(crate) async fn ensure_not_rated(
    w: &mut crate::sql::WriteTx,
    ticket_id: i64,
    number: &str,
) -> Result<()> {
    if w.postgres {
        sqlx::query("SELECT id FROM tickets WHERE id = $1 FOR UPDATE")
            .bind(ticket_id)
            .execute(&mut *w.tx)
            .await?;
    }
    let rated: i64 = sqlx::query_scalar(RATED_COUNT)
        .bind(ticket_id)
        .fetch_one(&mut *w.tx)
        .await?;
    if rated > 0 {
        return Err(StoreError::Conflict(format!(
            "这次业务已经评价过，一次业务只能评价一次 · visit {number} has already been rated; a visit is rated once"
        )));
    }
    Ok(())
}

/// The hall's settings on this connection (defaults when none are stored).
pub(crate) async fn settings_on(
    conn: &mut AnyConnection,
    hall_id: i64,
) -> Result<FeedbackSettings> {
    let stored: Option<String> =
        sqlx::query_scalar("SELECT settings FROM feedback_settings WHERE hall_id = $1")
            .bind(hall_id)
            .fetch_optional(&mut *conn)
            .await?;
    match stored {
        Some(json) => serde_json::from_str(&json).map_err(|e| corrupt("feedback_settings", e)),
        None => Ok(FeedbackSettings::default()),
    }
}

/// Reason codes as stored: comma-separated.
pub(crate) fn split_reasons(s: &str) -> Vec<String> {
    s.split(',')
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .collect()
}

#[async_trait]
impl FeedbackStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.feedback.rate_by_phone")]
    async fn rate_by_phone(
        &self,
        code: &str,
        input: &PhoneRatingInput,
        now: i64,
    ) -> Result<PhoneRating> {
        self.phone_rate(code, input, now).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.feedback.phone_rating")]
    async fn phone_rating(&self, ticket_id: i64) -> Result<Option<PhoneRating>> {
        self.phone_rating_of(ticket_id).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.feedback.visit_rated")]
    async fn visit_rated(&self, ticket_id: i64) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(RATED_COUNT)
            .bind(ticket_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.feedback.import_external")]
    async fn import_external(
        &self,
        source: ExternalSource,
        file_name: &str,
        csv: &str,
        by: i64,
        halls: Option<&[i64]>,
        now: i64,
    ) -> Result<ImportReport> {
        self.import_csv(source, file_name, csv, by, halls, now)
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.feedback.import_reports")]
    async fn import_reports(
        &self,
        limit: i64,
        halls: Option<&[i64]>,
        me: i64,
    ) -> Result<Vec<ImportReport>> {
        self.reports(limit, halls, me).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.feedback.recovery_items", fields(hall = hall_id))]
    async fn recovery_items(
        &self,
        hall_id: i64,
        from: i64,
        to: i64,
        now: i64,
    ) -> Result<Vec<RecoveryItem>> {
        self.recovery_list(hall_id, from, to, now).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.feedback.recovery_page", fields(hall = hall_id))]
    async fn recovery_page(
        &self,
        hall_id: i64,
        filter: &RecoveryFilter,
        window: crate::Window,
        now: i64,
    ) -> Result<crate::Paged<RecoveryItem>> {
        self.recovery_paged(hall_id, filter, window, now).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.feedback.rating_page", fields(hall = hall_id))]
    async fn rating_page(
        &self,
        hall_id: i64,
        filter: &RatingFilter,
        window: crate::Window,
    ) -> Result<crate::Paged<RatingLine>> {
        self.ratings_paged(hall_id, filter, window).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.feedback.pad_visits", fields(hall = hall_id))]
    async fn pad_visits(&self, hall_id: i64, from: i64, to: i64) -> Result<Vec<PadVisit>> {
        self.visits(hall_id, from, to).await
    }
}
