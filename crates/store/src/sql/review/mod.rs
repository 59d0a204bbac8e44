//! [`ReviewStore`] on SQL: stored flags and findings (flags.rs), audited settings
//! (audit.rs), the daily roll-up's rebuild (rollup.rs; the triggers of migration 0012 keep
//! it current).

mod audit;
mod flags;
mod rollup;

use super::SqlStore;
use crate::review_model::*;
use crate::{Result, ReviewStore};
use async_trait::async_trait;
use servicehall_domain::feedback::FeedbackSettings;
use servicehall_domain::feedback::gaming::{Finding, Flag};
use servicehall_domain::insight::IndexConfig;

#[async_trait]
impl ReviewStore for SqlStore {
    async fn record_flags(&self, hall_id: i64, flags: &[Flag], now: i64) -> Result<()> {
        self.record_flags_sql(hall_id, flags, now).await
    }
    async fn stored_flags(&self, hall_id: i64, since: i64) -> Result<Vec<StoredFlag>> {
        self.stored_flags_sql(hall_id, since).await
    }
    async fn stored_flag(&self, id: i64) -> Result<StoredFlag> {
        self.stored_flag_sql(id).await
    }
    async fn acknowledge_flag(
        &self,
        id: i64,
        finding: Finding,
        note: &str,
        by: i64,
        now: i64,
    ) -> Result<StoredFlag> {
        self.acknowledge_flag_sql(id, finding, note, by, now).await
    }
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
    async fn change_insight_config(
        &self,
        config: &IndexConfig,
        by: Option<i64>,
        now: i64,
    ) -> Result<Vec<SettingChange>> {
        self.change_insight_config_sql(config, by, now).await
    }
    async fn settings_audit(&self, hall_id: Option<i64>, limit: i64) -> Result<Vec<SettingChange>> {
        self.settings_audit_sql(hall_id, limit).await
    }
    async fn kept_case_survey_link(&self, case_id: i64) -> Result<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT l.token FROM survey_links l JOIN survey_invitations i ON i.id = l.invitation_id
             WHERE i.case_id = $1",
        )
        .bind(case_id)
        .fetch_optional(&self.pool)
        .await?)
    }
    async fn invite_for_case_kept(
        &self,
        case_id: i64,
        token: &str,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<String>> {
        use crate::InsightStore;
        // The invitation is its own transaction; a link that fails to be kept leaves an
        // invitation nobody can reach, which the next call reports as a conflict.
        let Some(inv) = self.invite_for_case(case_id, token_hash, now).await? else {
            return Ok(None);
        };
        let mut w = self.begin().await?;
        sqlx::query("INSERT INTO survey_links (invitation_id, token) VALUES ($1, $2)")
            .bind(inv.id)
            .bind(token.to_string())
            .execute(&mut *w.tx)
            .await?;
        self.commit(w).await?;
        Ok(Some(token.to_string()))
    }
    async fn rebuild_rating_days(&self) -> Result<i64> {
        self.rebuild_rating_days_sql().await
    }
}
