//! The chain's rows as stored.

use servicehall_domain::audit::Break;

/// A chain's head: the pin a printed report carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditHead {
    /// The hall's id, or 0 for the deployment chain.
    pub chain: i64,
    pub seq: i64,
    pub hash: String,
    /// The last hall event sealed into this chain.
    pub sealed_through: i64,
}

/// One record of a chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub id: i64,
    pub chain: i64,
    pub seq: i64,
    pub prev_hash: String,
    pub hash: String,
    pub at: i64,
    pub actor: String,
    pub origin: String,
    pub kind: String,
    pub subject: String,
    pub digest: String,
    /// The source table ('' when the record is its own source) and row id (for a sealed
    /// batch: the first id of its range, `source_to` the last).
    pub source_table: String,
    pub source_id: Option<i64>,
    pub source_to: Option<i64>,
}

/// A record appended on its own (see [`crate::AuditStore::append_audit`]).
#[derive(Debug, Clone)]
pub struct AuditInput {
    /// `None`: the deployment chain.
    pub hall_id: Option<i64>,
    pub kind: String,
    pub subject: String,
}

/// One chain's outcome in a verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainCheck {
    pub chain: i64,
    pub records: i64,
    /// The head the walk ended at (for a broken chain: the last good link).
    pub seq: i64,
    pub hash: String,
    /// Hall events written but not yet sealed (the sealer runs every few seconds).
    pub unsealed_events: i64,
    pub broken: Option<Break>,
}

/// The outcome of walking every chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditReport {
    pub chains: Vec<ChainCheck>,
    pub records: i64,
}

impl AuditReport {
    /// The first break, deployment chain first, then halls by id.
    pub fn first_break(&self) -> Option<&Break> {
        self.chains.iter().find_map(|c| c.broken.as_ref())
    }
}

/// A verification as kept for the audit page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditVerification {
    pub at: i64,
    pub by_whom: String,
    pub ok: bool,
    pub records: i64,
    /// The first break in words, '' when the record held.
    pub finding: String,
}
