//! The hall edge's rows: an outbox entry as shipped, what the central database answers, an
//! edge-run hall as central screens show it, and the set that flows down.

use serde::{Deserialize, Serialize};

/// One captured row change, in the edge's commit order: the table and the whole row as it
/// stood after the change (column → value), with the edge's own ids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EdgeEntry {
    pub seq: i64,
    pub tbl: String,
    pub body: serde_json::Map<String, serde_json::Value>,
}

/// What the central database did with a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EdgeReceipt {
    /// The hall's last applied sequence number after this batch: the edge may forget every
    /// entry up to here.
    pub applied_through: i64,
    /// Entries applied now.
    pub applied: i64,
    /// Entries already applied by an earlier delivery of the same batch, skipped.
    pub skipped: i64,
}

/// A hall run by an edge, as the central database knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EdgeHall {
    pub hall_id: i64,
    pub hall_code: String,
    pub hall_name: String,
    pub timezone: String,
    pub edge_name: String,
    pub last_seq: i64,
    pub rows_applied: i64,
    /// Last heartbeat or shipment (ms).
    pub last_seen_at: i64,
    /// Last shipment that carried rows (ms; 0 when none yet).
    pub last_shipped_at: i64,
    /// When the edge first reported (ms).
    pub since: i64,
}

/// Configuration, catalogue and staff of one hall as the central database holds them, table
/// by table in the order they are applied: rows as column → value, with central ids. The
/// edge applies a pull only when it differs from the last one it applied.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FlowDown {
    pub hall_id: i64,
    pub tables: Vec<(String, Vec<serde_json::Map<String, serde_json::Value>>)>,
}

impl FlowDown {
    pub fn rows(&self, tbl: &str) -> usize {
        self.tables
            .iter()
            .find(|(t, _)| t == tbl)
            .map_or(0, |(_, r)| r.len())
    }
}

/// What central hands an edge that takes its hall over in the middle of a day: the day's
/// open tickets and the records they were transferred from (rows with central ids, oldest
/// first), and the day's last number of each prefix (`ticket_sequences` rows).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HandOver {
    pub hall_id: i64,
    pub service_day: String,
    pub tickets: Vec<serde_json::Map<String, serde_json::Value>>,
    pub sequences: Vec<serde_json::Map<String, serde_json::Value>>,
}
