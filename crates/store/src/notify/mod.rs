//! The notifier's delivery log (通知记录), which is also its queue: the trait, its rows
//! (model.rs) and its SQL (sql.rs). Deliveries are written in the transaction of what
//! caused them (a booking, a reminder) and sent afterwards by the web's notifier, which
//! claims due ones with a lease so two nodes never send the same message.

mod cases;
mod model;
pub(crate) mod sql;

pub use model::*;

use crate::Result;
use async_trait::async_trait;

#[async_trait]
pub trait NotifyStore: Send + Sync + 'static {
    /// Queues one message, due now.
    async fn enqueue_notification(
        &self,
        input: &NotificationInput,
        now: i64,
    ) -> Result<Notification>;
    /// Claims up to `limit` due deliveries for `lease_ms` (another node skips them).
    async fn claim_notifications(
        &self,
        now: i64,
        limit: i64,
        lease_ms: i64,
    ) -> Result<Vec<Notification>>;
    /// Records an attempt: sent, or failed with `error` (tried again later, or given up
    /// after the domain's last attempt).
    async fn notification_result(
        &self,
        id: i64,
        outcome: std::result::Result<(), String>,
        now: i64,
    ) -> Result<Notification>;
    /// The log, newest first.
    async fn notifications(&self, q: &NotificationQuery) -> Result<Vec<Notification>>;
    /// Codes sent to `phone` and from `client` since `since` (the phone check's rate limits).
    async fn phone_codes_sent(&self, phone: &str, client: &str, since: i64) -> Result<(i64, i64)>;
    /// Queues a case notice (a step done, a call-back scheduled) to the case's customer
    /// when they consented to case notices by `input.channel`; `None` when not sent.
    async fn queue_case_notice(
        &self,
        input: &CaseNoticeInput,
        now: i64,
    ) -> Result<Option<Notification>>;
    /// Keeps a phone code's hash (valid until `expires_at`) and queues its message.
    async fn store_phone_code(
        &self,
        phone: &str,
        client: &str,
        code_hash: &str,
        expires_at: i64,
        message: &NotificationInput,
        now: i64,
    ) -> Result<()>;
}
