//! Feedback settings and figure definitions changed with their audit (table
//! `settings_audit`, migration 0012): one row per changed field, in the same transaction
//! as the change.

use super::sql::{corrupt, settings_on};
use crate::SettingChange;
use crate::sql::SqlStore;
use crate::{HallStore, Result, StoreError};
use async_trait::async_trait;
use servicehall_domain::feedback::FeedbackSettings;
use servicehall_domain::insight::{Dimension, IndexConfig};
use sqlx::Row;

fn invalid(e: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(e.to_string())
}

/// Each top-level field of a JSON object as (name, value as text).
fn fields(v: &impl serde::Serialize) -> Vec<(String, String)> {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::Object(m)) => {
            m.into_iter().map(|(k, v)| (k, v.to_string())).collect()
        }
        _ => Vec::new(),
    }
}

/// The figure definitions field by field, weights named by dimension.
fn config_fields(c: &IndexConfig) -> Vec<(String, String)> {
    let mut out = vec![
        ("good_from".to_string(), c.good_from.to_string()),
        ("min_n".to_string(), c.min_n.to_string()),
    ];
    for d in Dimension::ALL {
        out.push((format!("weights.{}", d.id()), c.weights.get(d).to_string()));
    }
    out
}

/// (setting, old, new) for each field whose value differs.
fn diff(old: &[(String, String)], new: &[(String, String)]) -> Vec<(String, String, String)> {
    new.iter()
        .filter_map(|(k, v)| {
            let before = old
                .iter()
                .find(|(ok, _)| ok == k)
                .map_or("", |(_, ov)| ov.as_str());
            (before != v).then(|| (k.clone(), before.to_string(), v.clone()))
        })
        .collect()
}

impl SqlStore {
    pub(crate) async fn change_feedback_settings_sql(
        &self,
        hall_id: i64,
        settings: &FeedbackSettings,
        by: Option<i64>,
        now: i64,
    ) -> Result<Vec<SettingChange>> {
        settings.validate().map_err(StoreError::Invalid)?;
        self.hall(hall_id).await?;
        let json = serde_json::to_string(settings).map_err(invalid)?;
        let mut w = self.begin().await?;
        let old = settings_on(&mut w.tx, hall_id).await?;
        sqlx::query(
            "INSERT INTO feedback_settings (hall_id, settings, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (hall_id) DO UPDATE SET settings = $2, updated_at = $3",
        )
        .bind(hall_id)
        .bind(json)
        .bind(now)
        .execute(&mut *w.tx)
        .await?;
        let changes = diff(&fields(&old), &fields(settings));
        let out = self
            .audit(&mut w.tx, Some(hall_id), changes, by, now)
            .await?;
        self.commit(w).await?;
        Ok(out)
    }

    pub(crate) async fn change_insight_config_sql(
        &self,
        config: &IndexConfig,
        by: Option<i64>,
        now: i64,
    ) -> Result<Vec<SettingChange>> {
        config.validate().map_err(invalid)?;
        let json = serde_json::to_string(config).map_err(invalid)?;
        let mut w = self.begin().await?;
        let stored: Option<String> =
            sqlx::query_scalar("SELECT config FROM insight_settings WHERE id = 1")
                .fetch_optional(&mut *w.tx)
                .await?;
        let old = match stored {
            Some(s) => serde_json::from_str(&s).map_err(|e| {
                StoreError::Db(sqlx::Error::Decode(
                    format!("insight_settings.config: {e}").into(),
                ))
            })?,
            None => IndexConfig::default(),
        };
        sqlx::query("DELETE FROM insight_settings WHERE id = 1")
            .execute(&mut *w.tx)
            .await?;
        sqlx::query("INSERT INTO insight_settings (id, config, updated_at) VALUES (1, $1, $2)")
            .bind(json)
            .bind(now)
            .execute(&mut *w.tx)
            .await?;
        let changes = diff(&config_fields(&old), &config_fields(config));
        let out = self.audit(&mut w.tx, None, changes, by, now).await?;
        self.commit(w).await?;
        Ok(out)
    }

    pub(crate) async fn audit(
        &self,
        tx: &mut sqlx::AnyConnection,
        hall_id: Option<i64>,
        changes: Vec<(String, String, String)>,
        by: Option<i64>,
        now: i64,
    ) -> Result<Vec<SettingChange>> {
        let mut out = Vec::new();
        for (setting, old_value, new_value) in changes {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO settings_audit (hall_id, setting, old_value, new_value, by_staff, at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(hall_id)
            .bind(setting.clone())
            .bind(old_value.clone())
            .bind(new_value.clone())
            .bind(by)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            out.push(SettingChange {
                id,
                hall_id,
                setting,
                old_value,
                new_value,
                by_staff: by,
                at: now,
            });
        }
        Ok(out)
    }

    pub(crate) async fn settings_audit_sql(
        &self,
        hall_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<SettingChange>> {
        const COLS: &str =
            "SELECT id, hall_id, setting, old_value, new_value, by_staff, at FROM settings_audit";
        let rows = match hall_id {
            Some(h) => {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "{COLS} WHERE hall_id = $1 ORDER BY at DESC, id DESC LIMIT $2"
                )))
                .bind(h)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "{COLS} WHERE hall_id IS NULL ORDER BY at DESC, id DESC LIMIT $1"
                )))
                .bind(limit)
                .fetch_all(&self.pool)
                .await?
            }
        };
        rows.iter()
            .map(|r| {
                Ok(SettingChange {
                    id: r.try_get("id")?,
                    hall_id: r.try_get("hall_id")?,
                    setting: r.try_get("setting")?,
                    old_value: r.try_get("old_value")?,
                    new_value: r.try_get("new_value")?,
                    by_staff: r.try_get("by_staff")?,
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }
}

#[async_trait]
impl FeedbackSettingsStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.feedback.settings.feedback_settings", fields(hall = hall_id))]
    async fn feedback_settings(&self, hall_id: i64) -> Result<FeedbackSettings> {
        let mut conn = self.pool.acquire().await?;
        settings_on(&mut conn, hall_id).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.feedback.settings.set_feedback_settings", fields(hall = hall_id))]
    async fn set_feedback_settings(
        &self,
        hall_id: i64,
        settings: &FeedbackSettings,
        now: i64,
    ) -> Result<()> {
        settings.validate().map_err(StoreError::Invalid)?;
        self.hall(hall_id).await?;
        let json = serde_json::to_string(settings).map_err(|e| corrupt("settings", e))?;
        let mut w = self.begin().await?;
        sqlx::query(
            "INSERT INTO feedback_settings (hall_id, settings, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (hall_id) DO UPDATE SET settings = $2, updated_at = $3",
        )
        .bind(hall_id)
        .bind(json)
        .bind(now)
        .execute(&mut *w.tx)
        .await?;
        self.commit(w).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.feedback.settings.change_feedback_settings", fields(hall = hall_id))]
    async fn change_feedback_settings(
        &self,
        hall_id: i64,
        settings: &FeedbackSettings,
        by: Option<i64>,
        now: i64,
    ) -> Result<Vec<SettingChange>> {
        self.change_feedback_settings_sql(hall_id, settings, by, now)
            .await
    }
    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.feedback.settings.change_insight_config"
    )]
    async fn change_insight_config(
        &self,
        config: &IndexConfig,
        by: Option<i64>,
        now: i64,
    ) -> Result<Vec<SettingChange>> {
        self.change_insight_config_sql(config, by, now).await
    }
    #[tracing::instrument(level = "debug", skip_all, name = "store.feedback.settings.settings_audit", fields(hall = ?hall_id))]
    async fn settings_audit(&self, hall_id: Option<i64>, limit: i64) -> Result<Vec<SettingChange>> {
        self.settings_audit_sql(hall_id, limit).await
    }
}

/// The feedback settings (评价设置) and the figure definitions, each change audited.
#[async_trait]
pub trait FeedbackSettingsStore: Send + Sync + 'static {
    /// The hall's feedback settings (defaults until set).
    async fn feedback_settings(&self, hall_id: i64) -> Result<FeedbackSettings>;
    /// Stores a hall's settings without an audit row; the web changes them through
    /// [`change_feedback_settings`](Self::change_feedback_settings). Kept for the tests and
    /// the demo that set a hall up.
    async fn set_feedback_settings(
        &self,
        hall_id: i64,
        settings: &FeedbackSettings,
        now: i64,
    ) -> Result<()>;
    /// Validates and stores a hall's feedback settings with one audit row per changed field,
    /// in one transaction; returns the changes.
    async fn change_feedback_settings(
        &self,
        hall_id: i64,
        settings: &FeedbackSettings,
        by: Option<i64>,
        now: i64,
    ) -> Result<Vec<SettingChange>>;
    /// The same for the province-wide figure definitions.
    async fn change_insight_config(
        &self,
        config: &IndexConfig,
        by: Option<i64>,
        now: i64,
    ) -> Result<Vec<SettingChange>>;
    /// Changes of a hall's settings (with `Some`) or of the figure definitions (`None`),
    /// newest first.
    async fn settings_audit(&self, hall_id: Option<i64>, limit: i64) -> Result<Vec<SettingChange>>;
}
