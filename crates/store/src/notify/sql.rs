//! The delivery log on SQL.

use crate::notify::{Notification, NotificationInput, NotificationQuery, NotifyStore};
use crate::sql::{SqlStore, WriteTx};
use crate::{Result, StoreError};
use async_trait::async_trait;
use servicehall_domain::notify::{DeliveryStatus, mask_recipient, next_try};
use sqlx::Row;
use sqlx::any::AnyRow;

const COLS: &str = "id, hall_id, event, channel, recipient, recipient_masked, body, ref, status, attempts, next_try, last_error, created_at, sent_at";

fn notification(r: &AnyRow) -> Result<Notification> {
    let bad = |e: String| StoreError::Invalid(e);
    Ok(Notification {
        id: r.try_get("id")?,
        hall_id: r.try_get("hall_id")?,
        event: r.try_get::<String, _>("event")?.parse().map_err(bad)?,
        channel: r.try_get("channel")?,
        recipient: r.try_get("recipient")?,
        recipient_masked: r.try_get("recipient_masked")?,
        body: r.try_get("body")?,
        reference: r.try_get("ref")?,
        status: r.try_get::<String, _>("status")?.parse().map_err(bad)?,
        attempts: r.try_get("attempts")?,
        next_try: r.try_get("next_try")?,
        last_error: r.try_get("last_error")?,
        created_at: r.try_get("created_at")?,
        sent_at: r.try_get("sent_at")?,
    })
}

/// Queues a delivery inside the caller's transaction (the booking, the reminder …), so the
/// message exists exactly when what it reports does.
pub(crate) async fn insert_notification(
    w: &mut WriteTx,
    d: &NotificationInput,
    now: i64,
) -> Result<i64> {
    let id = sqlx::query_scalar(
        "INSERT INTO notify_log (hall_id, event, channel, recipient, recipient_masked, body, ref, status, attempts, next_try, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, $8, $9) RETURNING id",
    )
    .bind(d.hall_id)
    .bind(d.event.as_str())
    .bind(d.channel.as_str())
    .bind(d.recipient.as_str())
    .bind(mask_recipient(&d.recipient))
    .bind(d.body.as_str())
    .bind(d.reference.as_str())
    .bind(now)
    .bind(now)
    .fetch_one(&mut *w.tx)
    .await?;
    Ok(id)
}

impl SqlStore {
    pub(crate) async fn notification_by_id(&self, id: i64) -> Result<Notification> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM notify_log WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(self.pool())
        .await?
        .ok_or_else(|| StoreError::not_found("notification", id))?;
        notification(&row)
    }
}

#[async_trait]
impl NotifyStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.notify.enqueue_notification")]
    async fn enqueue_notification(
        &self,
        input: &NotificationInput,
        now: i64,
    ) -> Result<Notification> {
        let mut w = self.begin().await?;
        let id = insert_notification(&mut w, input, now).await?;
        self.commit(w).await?;
        self.notification_by_id(id).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.notify.claim_notifications")]
    async fn claim_notifications(
        &self,
        now: i64,
        limit: i64,
        lease_ms: i64,
    ) -> Result<Vec<Notification>> {
        let mut w = self.begin().await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM notify_log WHERE status = 'pending' AND next_try <= $1 ORDER BY next_try, id LIMIT $2"
        )))
        .bind(now)
        .bind(limit)
        .fetch_all(&mut *w.tx)
        .await?;
        let mut claimed = Vec::new();
        for r in &rows {
            let mut d = notification(r)?;
            // Conditional on the time read: a node that claimed it meanwhile moved it.
            let n = sqlx::query(
                "UPDATE notify_log SET next_try = $1 WHERE id = $2 AND next_try = $3 AND status = 'pending'",
            )
            .bind(now + lease_ms)
            .bind(d.id)
            .bind(d.next_try)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
            if n == 1 {
                d.next_try = now + lease_ms;
                claimed.push(d);
            }
        }
        self.commit(w).await?;
        Ok(claimed)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.notify.notification_result")]
    async fn notification_result(
        &self,
        id: i64,
        outcome: std::result::Result<(), String>,
        now: i64,
    ) -> Result<Notification> {
        let d = self.notification_by_id(id).await?;
        let attempts = d.attempts + 1;
        let mut w = self.begin().await?;
        match outcome {
            Ok(()) => {
                sqlx::query(
                    "UPDATE notify_log SET status = 'sent', attempts = $1, sent_at = $2, last_error = '' WHERE id = $3",
                )
                .bind(attempts)
                .bind(now)
                .bind(id)
                .execute(&mut *w.tx)
                .await?;
            }
            Err(error) => {
                let (status, next) = match next_try(now, attempts) {
                    Some(at) => (DeliveryStatus::Pending, at),
                    None => (DeliveryStatus::Failed, now),
                };
                let error: String = error.chars().take(500).collect();
                sqlx::query(
                    "UPDATE notify_log SET status = $1, attempts = $2, next_try = $3, last_error = $4 WHERE id = $5",
                )
                .bind(status.as_str())
                .bind(attempts)
                .bind(next)
                .bind(error)
                .bind(id)
                .execute(&mut *w.tx)
                .await?;
            }
        }
        self.commit(w).await?;
        self.notification_by_id(id).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.notify.notifications")]
    async fn notifications(&self, q: &NotificationQuery) -> Result<Vec<Notification>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM notify_log
             WHERE ($1 IS NULL OR hall_id = $1) AND ($2 IS NULL OR recipient = $2) AND ($3 IS NULL OR event = $3)
             ORDER BY id DESC LIMIT $4"
        )))
        .bind(q.hall_id)
        .bind(q.recipient.as_deref())
        .bind(q.event.map(|e| e.as_str()))
        .bind(q.limit.clamp(1, 1000))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(notification).collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.notify.queue_case_notice")]
    async fn queue_case_notice(
        &self,
        input: &crate::notify::CaseNoticeInput,
        now: i64,
    ) -> Result<Option<Notification>> {
        self.queue_case_notice_sql(input, now).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.notify.phone_codes_sent")]
    async fn phone_codes_sent(&self, phone: &str, client: &str, since: i64) -> Result<(i64, i64)> {
        let by_phone: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM phone_codes WHERE phone = $1 AND created_at >= $2",
        )
        .bind(phone)
        .bind(since)
        .fetch_one(self.pool())
        .await?;
        let by_client: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM phone_codes WHERE client = $1 AND created_at >= $2",
        )
        .bind(client)
        .bind(since)
        .fetch_one(self.pool())
        .await?;
        Ok((by_phone, by_client))
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.notify.store_phone_code")]
    async fn store_phone_code(
        &self,
        phone: &str,
        client: &str,
        code_hash: &str,
        expires_at: i64,
        message: &NotificationInput,
        now: i64,
    ) -> Result<()> {
        let mut w = self.begin().await?;
        sqlx::query(
            "INSERT INTO phone_codes (phone, code_hash, client, created_at, expires_at, tries) VALUES ($1, $2, $3, $4, $5, 0)",
        )
        .bind(phone)
        .bind(code_hash)
        .bind(client)
        .bind(now)
        .bind(expires_at)
        .execute(&mut *w.tx)
        .await?;
        insert_notification(&mut w, message, now).await?;
        self.commit(w).await
    }
}
