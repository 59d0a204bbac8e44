//! A hall as one file, imported in one transaction (`servicehall hall import`).

use crate::Result;
use async_trait::async_trait;
use servicehall_domain::hall_file::HallFile;
use std::collections::HashMap;

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HallImport {
    pub hall_id: i64,
    pub created_hall: bool,
    /// Usernames of the staff the import created (they need their one-time passwords).
    pub new_staff: Vec<String>,
    pub business_types: usize,
    pub counters: usize,
    pub staff: usize,
}

#[async_trait]
pub trait HallFileStore: Send + Sync + 'static {
    /// Creates the hall of `file` or updates it by its code: business types by code,
    /// counters by number (their 主办/兼办 replaced by the file's), staff by username.
    /// Nothing is deleted. `new_hashes` holds a password hash for every username that may
    /// be new. All or nothing: one transaction; a username of another hall refuses it all.
    async fn import_hall(
        &self,
        file: &HallFile,
        new_hashes: &HashMap<String, String>,
    ) -> Result<HallImport>;
}
