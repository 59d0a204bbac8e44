//! The first administrator of an empty database (`servicehall init`, a first-run page).

use crate::Result;
use crate::model::{Staff, StaffInput};
use async_trait::async_trait;

/// Setting up a database from nothing.
#[async_trait]
pub trait FirstRunStore: Send + Sync + 'static {
    /// Whether any administrator exists, active or not.
    async fn has_admin(&self) -> Result<bool>;
    /// Creates the first administrator, or refuses with `Conflict` when one exists. The
    /// check and the insert are one transaction, so two runs at once create one.
    async fn create_first_admin(&self, input: &StaffInput, password_hash: &str) -> Result<Staff>;
}
