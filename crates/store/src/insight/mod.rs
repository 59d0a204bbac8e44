//! Insight (管理客户满意 · 内查外评): surveys and their kept links, observations (内查), the
//! daily roll-up of ratings and the counts behind the satisfaction figures and the emotion
//! curve. The trait, its rows (model.rs) and its SQL (sql.rs, surveys.rs, observations.rs,
//! counts.rs, rollup.rs, rollup_rebuild.rs).

mod counts;
mod model;
mod observations;
mod rollup;
mod rollup_rebuild;
mod sql;
mod surveys;

pub use model::*;

use crate::Result;
use async_trait::async_trait;
use servicehall_domain::insight::IndexConfig;
use servicehall_domain::insight::survey::{SurveyAnswer, SurveyDefinition};

#[async_trait]
pub trait InsightStore: Send + Sync + 'static {
    /// The figures' definitions (good levels, minimum n, CSI weights); defaults until set.
    async fn insight_config(&self) -> Result<IndexConfig>;
    /// Validates and stores the definitions.
    async fn set_insight_config(&self, config: &IndexConfig, now: i64) -> Result<IndexConfig>;

    /// Validates and stores a survey; business types must exist.
    async fn create_survey(
        &self,
        def: &SurveyDefinition,
        business_type_ids: &[i64],
        by: Option<i64>,
        now: i64,
    ) -> Result<Survey>;
    async fn surveys(&self) -> Result<Vec<Survey>>;
    async fn survey(&self, id: i64) -> Result<Survey>;
    async fn set_survey_active(&self, id: i64, active: bool) -> Result<Survey>;

    /// Invites the customer of a finished visit to the active survey for its business type;
    /// `None` when no survey is attached. A second invitation for the visit is a conflict.
    async fn invite_for_ticket(
        &self,
        ticket_id: i64,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<SurveyInvitation>>;
    /// Invites the customer of a closed case to the active after-case survey.
    async fn invite_for_case(
        &self,
        case_id: i64,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<SurveyInvitation>>;
    /// The invitation behind a link, with its survey.
    async fn invitation(&self, token_hash: &str) -> Result<(SurveyInvitation, Survey)>;
    /// Records an answer: once, within the window, in range — or nothing at all.
    async fn answer_survey(
        &self,
        token_hash: &str,
        answer: &SurveyAnswer,
        now: i64,
    ) -> Result<SurveyInvitation>;

    /// Records an observation; the counter and clerk must belong to its hall.
    async fn record_observation(&self, input: &ObservationInput, now: i64) -> Result<Observation>;
    async fn observation(&self, id: i64) -> Result<Observation>;
    /// The photo uploaded with an observation, as a data URL.
    async fn observation_photo(&self, id: i64) -> Result<Option<String>>;
    /// Observations of the halls in `[from, to)`, newest first, at most `limit`.
    async fn observations(&self, scope: &InsightScope, limit: i64) -> Result<Vec<Observation>>;
    /// One page of the scope's observations (newest first) with the list's filters, and
    /// how many match.
    async fn observation_page(
        &self,
        scope: &InsightScope,
        filter: &ObservationFilter,
        window: crate::Window,
    ) -> Result<crate::Paged<Observation>>;

    /// Rating, recommend and dimension counts of the scope by group, and the bad reasons.
    async fn satisfaction_counts(
        &self,
        scope: &InsightScope,
        by: GroupBy,
    ) -> Result<SatisfactionCounts>;
    /// Counts by touchpoint for the emotion curve.
    async fn curve_counts(&self, scope: &InsightScope) -> Result<CurveCounts>;

    /// The kept survey link (token) of a case's invitation made by the system, if any.
    async fn kept_case_survey_link(&self, case_id: i64) -> Result<Option<String>>;
    /// Invites the customer of a closed case to the after-case survey and keeps the link's
    /// token to show again, in one transaction; `None` when no after-case survey is active.
    async fn invite_for_case_kept(
        &self,
        case_id: i64,
        token: &str,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<String>>;

    /// Recomputes the daily roll-up of ratings from the ratings themselves (after a restore
    /// or a bulk load with triggers off); returns the number of roll-up rows.
    async fn rebuild_rating_days(&self) -> Result<i64>;
}
