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
    /// Of `token_hashes`, the sessions still open at `now` (unexpired, their person active):
    /// one query per [`STILL_VALID_CHUNK`] hashes, for the live streams' credential sweep.
    async fn sessions_still_valid(&self, token_hashes: &[String], now: i64) -> Result<Vec<String>>;
    /// Of `token_hashes`, the device tokens not revoked, read from the database (not the
    /// device cache, so another node's revocation is seen at once); batched like sessions.
    async fn devices_still_valid(&self, token_hashes: &[String]) -> Result<Vec<String>>;
}

/// Hashes checked per query by the `*_still_valid` methods (well under SQLite's limit on
/// bound parameters, and a short statement for PostgreSQL to plan).
pub const STILL_VALID_CHUNK: usize = 500;
