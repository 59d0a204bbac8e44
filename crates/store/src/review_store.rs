//! The [`ReviewStore`] sub-trait: stored anti-gaming flags and their findings, audited
//! changes of the feedback settings and figure definitions, and the daily roll-up of
//! ratings behind the satisfaction views.

use crate::Result;
use crate::review_model::*;
use async_trait::async_trait;
use servicehall_domain::feedback::FeedbackSettings;
use servicehall_domain::feedback::gaming::{Finding, Flag};
use servicehall_domain::insight::IndexConfig;

#[async_trait]
pub trait ReviewStore: Send + Sync + 'static {
    /// Stores freshly detected flags of a hall, idempotently: an open flag of the same kind
    /// and subject is refreshed; a judged one is raised again only by newer evidence.
    async fn record_flags(&self, hall_id: i64, flags: &[Flag], now: i64) -> Result<()>;
    /// The hall's flags: every open one, and those seen or judged since `since`; open first,
    /// then the most recently seen.
    async fn stored_flags(&self, hall_id: i64, since: i64) -> Result<Vec<StoredFlag>>;
    async fn stored_flag(&self, id: i64) -> Result<StoredFlag>;
    /// Records a supervisor's finding on an open flag (a second finding is a conflict).
    async fn acknowledge_flag(
        &self,
        id: i64,
        finding: Finding,
        note: &str,
        by: i64,
        now: i64,
    ) -> Result<StoredFlag>;

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
