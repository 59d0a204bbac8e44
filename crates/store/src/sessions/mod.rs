//! Sign-in sessions and device tokens: the trait and its SQL (sql.rs).

mod sql;

use crate::Result;
use crate::{Device, Staff};
use async_trait::async_trait;

/// Sign-in sessions and device tokens.
#[async_trait]
pub trait SessionStore: Send + Sync + 'static {
    async fn create_session(
        &self,
        token_hash: &str,
        staff_id: i64,
        csrf: &str,
        expires_at: i64,
    ) -> Result<()>;
    /// The session's staff member and CSRF token, if the session exists and has not expired.
    async fn session(&self, token_hash: &str, now: i64) -> Result<Option<(Staff, String)>>;
    async fn delete_session(&self, token_hash: &str) -> Result<()>;
    async fn device_by_token(&self, token_hash: &str) -> Result<Option<Device>>;
}
