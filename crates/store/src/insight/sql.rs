//! [`InsightStore`] on SQL: surveys (surveys.rs), observations (observations.rs), the counts
//! behind the figures (counts.rs). Every write is one transaction.

use crate::sql::SqlStore;
use crate::*;
use crate::{InsightStore, Result, StoreError};
use async_trait::async_trait;
use servicehall_domain::insight::IndexConfig;
use servicehall_domain::insight::survey::{SurveyAnswer, SurveyDefinition};

#[async_trait]
impl InsightStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.insight.insight_config")]
    async fn insight_config(&self) -> Result<IndexConfig> {
        let row: Option<String> =
            sqlx::query_scalar("SELECT config FROM insight_settings WHERE id = 1")
                .fetch_optional(&self.pool)
                .await?;
        match row {
            None => Ok(IndexConfig::default()),
            Some(json) => serde_json::from_str(&json).map_err(|e| {
                StoreError::Db(sqlx::Error::Decode(
                    format!("insight_settings.config: {e}").into(),
                ))
            }),
        }
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.insight.set_insight_config")]
    async fn set_insight_config(&self, config: &IndexConfig, now: i64) -> Result<IndexConfig> {
        config
            .validate()
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        let json = serde_json::to_string(config).map_err(|e| {
            StoreError::Invalid(format!("设置无法保存 · cannot store the settings: {e}"))
        })?;
        let mut w = self.begin().await?;
        sqlx::query("DELETE FROM insight_settings WHERE id = 1")
            .execute(&mut *w.tx)
            .await?;
        sqlx::query("INSERT INTO insight_settings (id, config, updated_at) VALUES (1, $1, $2)")
            .bind(json)
            .bind(now)
            .execute(&mut *w.tx)
            .await?;
        self.commit(w).await?;
        Ok(*config)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.insight.create_survey")]
    async fn create_survey(
        &self,
        def: &SurveyDefinition,
        business_type_ids: &[i64],
        by: Option<i64>,
        now: i64,
    ) -> Result<Survey> {
        self.create_survey_sql(def, business_type_ids, by, now)
            .await
    }
    #[tracing::instrument(level = "debug", skip_all, name = "store.insight.surveys")]
    async fn surveys(&self) -> Result<Vec<Survey>> {
        self.surveys_sql().await
    }
    #[tracing::instrument(level = "debug", skip_all, name = "store.insight.survey")]
    async fn survey(&self, id: i64) -> Result<Survey> {
        self.survey_sql(id).await
    }
    #[tracing::instrument(level = "debug", skip_all, name = "store.insight.set_survey_active")]
    async fn set_survey_active(&self, id: i64, active: bool) -> Result<Survey> {
        self.set_survey_active_sql(id, active).await
    }
    #[tracing::instrument(level = "debug", skip_all, name = "store.insight.invite_for_ticket")]
    async fn invite_for_ticket(
        &self,
        ticket_id: i64,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<SurveyInvitation>> {
        self.invite_for_ticket_sql(ticket_id, token_hash, now).await
    }
    #[tracing::instrument(level = "debug", skip_all, name = "store.insight.invite_for_case")]
    async fn invite_for_case(
        &self,
        case_id: i64,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<SurveyInvitation>> {
        self.invite_for_case_sql(case_id, token_hash, now).await
    }
    #[tracing::instrument(level = "debug", skip_all, name = "store.insight.invitation")]
    async fn invitation(&self, token_hash: &str) -> Result<(SurveyInvitation, Survey)> {
        self.invitation_sql(token_hash).await
    }
    #[tracing::instrument(level = "debug", skip_all, name = "store.insight.answer_survey")]
    async fn answer_survey(
        &self,
        token_hash: &str,
        answer: &SurveyAnswer,
        now: i64,
    ) -> Result<SurveyInvitation> {
        self.answer_survey_sql(token_hash, answer, now).await
    }
    #[tracing::instrument(level = "debug", skip_all, name = "store.insight.record_observation")]
    async fn record_observation(&self, input: &ObservationInput, now: i64) -> Result<Observation> {
        self.record_observation_sql(input, now).await
    }
    #[tracing::instrument(level = "debug", skip_all, name = "store.insight.observation")]
    async fn observation(&self, id: i64) -> Result<Observation> {
        self.observation_sql(id).await
    }
    #[tracing::instrument(level = "debug", skip_all, name = "store.insight.observation_photo")]
    async fn observation_photo(&self, id: i64) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT data_url FROM observation_photos WHERE observation_id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }
    #[tracing::instrument(level = "debug", skip_all, name = "store.insight.observations")]
    async fn observations(&self, scope: &InsightScope, limit: i64) -> Result<Vec<Observation>> {
        self.observations_sql(scope, limit).await
    }
    #[tracing::instrument(level = "debug", skip_all, name = "store.insight.observation_page")]
    async fn observation_page(
        &self,
        scope: &InsightScope,
        filter: &ObservationFilter,
        window: crate::Window,
    ) -> Result<crate::Paged<Observation>> {
        self.observations_paged(scope, filter, window).await
    }
    #[tracing::instrument(level = "debug", skip_all, name = "store.insight.satisfaction_counts")]
    async fn satisfaction_counts(
        &self,
        scope: &InsightScope,
        by: GroupBy,
    ) -> Result<SatisfactionCounts> {
        self.satisfaction_counts_sql(scope, by).await
    }
    #[tracing::instrument(level = "debug", skip_all, name = "store.insight.curve_counts")]
    async fn curve_counts(&self, scope: &InsightScope) -> Result<CurveCounts> {
        self.curve_counts_sql(scope).await
    }
    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.insight.kept_case_survey_link"
    )]
    async fn kept_case_survey_link(&self, case_id: i64) -> Result<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT l.token FROM survey_links l JOIN survey_invitations i ON i.id = l.invitation_id
             WHERE i.case_id = $1",
        )
        .bind(case_id)
        .fetch_optional(&self.pool)
        .await?)
    }
    #[tracing::instrument(level = "debug", skip_all, name = "store.insight.invite_for_case_kept")]
    async fn invite_for_case_kept(
        &self,
        case_id: i64,
        token: &str,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<String>> {
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
    #[tracing::instrument(level = "debug", skip_all, name = "store.insight.rebuild_rating_days")]
    async fn rebuild_rating_days(&self) -> Result<i64> {
        self.rebuild_rating_days_sql().await
    }
}
