//! Walking a chain: the first link that does not hold, named with its table, id, hall and
//! time, so an operator can go straight to the row someone changed.

use super::{Entry, Head, seal_digest, seal_list};

/// One row of a sealed batch: the source row's id and the digest of its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedRow {
    pub id: i64,
    pub digest: String,
}

/// What the store found of a record's source when it re-read it for verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceNow {
    /// The record names no source row (e.g. a staff change whose row is the record itself).
    None,
    /// One source row; `digest` is `None` when the row is gone.
    Row {
        table: String,
        id: i64,
        digest: Option<String>,
    },
    /// A sealed batch: the row list kept with the record, and the rows found now in its
    /// id range.
    Sealed {
        table: String,
        kept: String,
        now: Vec<SealedRow>,
    },
}

/// An audit row as stored, with its source re-read.
#[derive(Debug, Clone)]
pub struct StoredRecord {
    /// The audit row's own id (`audit_records.id`).
    pub id: i64,
    pub entry: Entry,
    /// The hash as stored in the row.
    pub hash: String,
    pub source: SourceNow,
}

/// What kind of tampering a break shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakKind {
    /// The audit row's fields no longer hash to its stored hash.
    Edited,
    /// A sequence number is missing: the record with it was deleted.
    Deleted,
    /// The record does not point back at its predecessor: it was inserted, or its
    /// predecessor replaced.
    Inserted,
    /// The source row's fields changed after they were recorded.
    SourceEdited,
    /// The source row is gone.
    SourceDeleted,
    /// A source row appeared inside a sealed range after it was sealed.
    SourceInserted,
    /// The chain ends somewhere other than its stored head (its last records were
    /// deleted, or one was appended without moving the head).
    HeadMismatch,
}

/// The first bad link of a chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    pub kind: BreakKind,
    /// The hall's id (0: the deployment chain).
    pub chain: i64,
    /// The sequence number where the chain breaks.
    pub seq: i64,
    /// The table the bad row is in, and its id.
    pub table: String,
    pub id: i64,
    /// The time of the record at the break (epoch seconds), when there is one.
    pub at: Option<i64>,
}

impl Break {
    /// `中文 · English` description, without the time (callers format it in the hall's zone).
    pub fn describe(&self) -> String {
        let (zh, en) = match self.kind {
            BreakKind::Edited => ("记录被改动", "record edited"),
            BreakKind::Deleted => ("记录被删除", "record deleted"),
            BreakKind::Inserted => ("记录被插入或替换", "record inserted or replaced"),
            BreakKind::SourceEdited => ("源数据被改动", "source row edited"),
            BreakKind::SourceDeleted => ("源数据被删除", "source row deleted"),
            BreakKind::SourceInserted => ("源数据被插入", "source row inserted"),
            BreakKind::HeadMismatch => ("链尾与链头不符", "chain does not end at its head"),
        };
        let hall = if self.chain == 0 {
            "全局链 · deployment chain".to_string()
        } else {
            format!("营业厅 {} · hall {}", self.chain, self.chain)
        };
        format!(
            "{zh} · {en}: {} #{} ({hall}, 序号 seq {})",
            self.table, self.id, self.seq
        )
    }
}

/// A chain that held: how many records and where it ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainSummary {
    pub head: Head,
    pub records: i64,
}

/// Walks one chain's records (sorted by `seq`) against the stored head (`None`: no head
/// row). Returns the first break.
pub fn verify_chain(
    chain: i64,
    records: &[StoredRecord],
    stored_head: Option<&Head>,
) -> Result<ChainSummary, Break> {
    let mut at = Head::empty(chain);
    let mut last_at = None;
    for r in records {
        let e = &r.entry;
        let brk = |kind, table: &str, id| Break {
            kind,
            chain,
            seq: e.seq,
            table: table.to_string(),
            id,
            at: Some(e.at),
        };
        if e.chain != chain {
            return Err(brk(BreakKind::Edited, "audit_records", r.id));
        }
        if e.seq > at.seq + 1 {
            return Err(Break {
                seq: at.seq + 1,
                kind: BreakKind::Deleted,
                ..brk(BreakKind::Deleted, "audit_records", r.id)
            });
        }
        if e.seq <= at.seq {
            return Err(brk(BreakKind::Inserted, "audit_records", r.id));
        }
        // A record past the stored head, or one not pointing back at its predecessor, was
        // put there; one that points back right but hashes wrong was edited.
        if stored_head.is_some_and(|h| e.seq > h.seq) || e.prev_hash != at.hash {
            return Err(brk(BreakKind::Inserted, "audit_records", r.id));
        }
        if e.hash() != r.hash {
            return Err(brk(BreakKind::Edited, "audit_records", r.id));
        }
        match &r.source {
            SourceNow::None => {}
            SourceNow::Row { table, id, digest } => match digest {
                None => return Err(brk(BreakKind::SourceDeleted, table, *id)),
                Some(d) if *d != e.digest => return Err(brk(BreakKind::SourceEdited, table, *id)),
                Some(_) => {}
            },
            SourceNow::Sealed { table, kept, now } => {
                if seal_digest(kept) != e.digest {
                    // The kept row list itself was changed: that is an edit of the record.
                    return Err(brk(BreakKind::Edited, "audit_records", r.id));
                }
                if seal_list(now) != *kept {
                    let (kind, id) = first_seal_difference(kept, now);
                    return Err(brk(kind, table, id));
                }
            }
        }
        at = Head {
            chain,
            seq: e.seq,
            hash: r.hash.clone(),
        };
        last_at = Some(e.at);
    }
    if let Some(h) = stored_head
        && (h.seq != at.seq || h.hash != at.hash)
    {
        let seq = at.seq.min(h.seq) + 1;
        return Err(Break {
            kind: BreakKind::HeadMismatch,
            chain,
            seq,
            table: "audit_heads".into(),
            id: chain,
            at: last_at,
        });
    }
    Ok(ChainSummary {
        records: at.seq,
        head: at,
    })
}

/// Where the rows found now differ from the kept list: the first id edited, deleted or
/// inserted, in id order.
pub fn first_seal_difference(kept: &str, now: &[SealedRow]) -> (BreakKind, i64) {
    let kept: Vec<(i64, &str)> = kept
        .lines()
        .filter_map(|l| {
            let (id, d) = l.split_once('=')?;
            Some((id.parse().ok()?, d))
        })
        .collect();
    let (mut i, mut j) = (0, 0);
    loop {
        match (kept.get(i), now.get(j)) {
            (Some(k), Some(n)) if k.0 == n.id => {
                if k.1 != n.digest {
                    return (BreakKind::SourceEdited, n.id);
                }
                i += 1;
                j += 1;
            }
            (Some(k), Some(n)) if k.0 < n.id => return (BreakKind::SourceDeleted, k.0),
            (Some(_), Some(n)) => return (BreakKind::SourceInserted, n.id),
            (Some(k), None) => return (BreakKind::SourceDeleted, k.0),
            (None, Some(n)) => return (BreakKind::SourceInserted, n.id),
            (None, None) => return (BreakKind::SourceEdited, 0),
        }
    }
}
