//! Sessions of signed-in staff and device tokens (both stored as hashes only).

use crate::sql::SqlStore;
use crate::sql::rows::{self, DEVICE_COLS, STAFF_COLS};
use crate::*;
use crate::{Result, SessionStore};
use async_trait::async_trait;
use sqlx::{AssertSqlSafe, Row};

#[async_trait]
impl SessionStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.sessions.create_session")]
    async fn create_session(
        &self,
        token_hash: &str,
        staff_id: i64,
        csrf: &str,
        expires_at: i64,
    ) -> Result<()> {
        let mut w = self.begin().await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, staff_id, csrf, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(staff_id)
        .bind(csrf)
        .bind(expires_at)
        .execute(&mut *w.tx)
        .await?;
        self.commit(w).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.sessions.session")]
    async fn session(&self, token_hash: &str, now: i64) -> Result<Option<(Staff, String)>> {
        let cols = STAFF_COLS
            .split(", ")
            .map(|c| format!("s.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {cols}, x.csrf FROM sessions x JOIN staff s ON s.id = x.staff_id
             WHERE x.token_hash = $1 AND x.expires_at > $2 AND s.active = 1"
        )))
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(r) => Ok(Some((rows::staff(&r)?, r.try_get("csrf")?))),
            None => Ok(None),
        }
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.sessions.delete_session")]
    async fn delete_session(&self, token_hash: &str) -> Result<()> {
        let mut w = self.begin().await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&mut *w.tx)
            .await?;
        self.commit(w).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.sessions.device_by_token")]
    async fn device_by_token(&self, token_hash: &str) -> Result<Option<Device>> {
        if let Some(d) = self.config.device(token_hash) {
            return Ok(Some(d));
        }
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {DEVICE_COLS} FROM devices WHERE token_hash = $1 AND revoked = 0"
        )))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let device = row.as_ref().map(rows::device).transpose()?;
        if let Some(d) = &device {
            self.config.put_device(token_hash, d);
        }
        Ok(device)
    }
}
