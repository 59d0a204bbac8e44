//! The tamper-evident record (防篡改记录): an append-only chain of records, each holding the
//! SHA-256 of its predecessor, so a record edited, deleted or slipped in behind the
//! application's back breaks the chain at that point. Pure: the store keeps the rows and
//! hands them here to hash and to check.
//!
//! A record hashes a canonical serialisation of (seq, prev_hash, at, actor, origin, kind,
//! subject, digest), where `digest` is the SHA-256 of the source record's own fields, so
//! the chain also pins the rating, observation or event it speaks for.

mod verify;

pub use verify::{
    Break, BreakKind, ChainSummary, SealedRow, SourceNow, StoredRecord, first_seal_difference,
    verify_chain,
};

use sha2::{Digest, Sha256};

/// `prev_hash` of a chain's first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Bumped if the canonical form ever changes; part of every hash.
const FORM: &str = "servicehall-audit-v1";

/// One link as it is hashed. `chain` is the hall's id, or 0 for the deployment chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub chain: i64,
    pub seq: i64,
    pub prev_hash: String,
    pub at: i64,
    pub actor: String,
    pub origin: String,
    pub kind: String,
    pub subject: String,
    pub digest: String,
}

impl Entry {
    /// The canonical bytes: every field length-prefixed, so no two different entries
    /// serialise alike however their texts are chosen.
    pub fn canonical(&self) -> String {
        let mut out = String::with_capacity(256);
        field(&mut out, FORM);
        for v in [
            &self.chain.to_string(),
            &self.seq.to_string(),
            &self.prev_hash,
            &self.at.to_string(),
            &self.actor,
            &self.origin,
            &self.kind,
            &self.subject,
            &self.digest,
        ] {
            field(&mut out, v);
        }
        out
    }

    /// The record's hash (lower-case hex SHA-256 of the canonical form).
    pub fn hash(&self) -> String {
        sha256_hex(self.canonical().as_bytes())
    }
}

/// A chain's last link: what the next record points back to. `seq` 0 is an empty chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub chain: i64,
    pub seq: i64,
    pub hash: String,
}

impl Head {
    pub fn empty(chain: i64) -> Self {
        Self {
            chain,
            seq: 0,
            hash: GENESIS.to_string(),
        }
    }

    /// The next entry after this head; the caller stores it with `entry.hash()`.
    pub fn next(
        &self,
        at: i64,
        actor: &str,
        origin: &str,
        kind: &str,
        subject: &str,
        digest: String,
    ) -> Entry {
        Entry {
            chain: self.chain,
            seq: self.seq + 1,
            prev_hash: self.hash.clone(),
            at,
            actor: actor.to_string(),
            origin: origin.to_string(),
            kind: kind.to_string(),
            subject: subject.to_string(),
            digest,
        }
    }

    /// How a head is written on paper and given back to `audit verify --expect-head`:
    /// `chain:seq:hash`.
    pub fn pin(&self) -> String {
        format!("{}:{}:{}", self.chain, self.seq, self.hash)
    }

    /// Reads a pin written by [`Head::pin`] (a shortened hash of at least 12 digits is
    /// accepted, as printed reports may show one).
    pub fn parse_pin(s: &str) -> Result<Self, String> {
        let bad =
            || format!("链头格式应为 链:序号:哈希 · a head is written chain:seq:hash (got {s:?})");
        let mut it = s.trim().splitn(3, ':');
        let chain = it.next().and_then(|v| v.parse().ok()).ok_or_else(bad)?;
        let seq = it.next().and_then(|v| v.parse().ok()).ok_or_else(bad)?;
        let hash = it.next().ok_or_else(bad)?.to_ascii_lowercase();
        if hash.len() < 12 || hash.len() > 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        Ok(Self { chain, seq, hash })
    }
}

/// The digest of a source record: its table and named fields (`None` is SQL NULL), each
/// length-prefixed, so an edit to any field or a swap between fields changes it.
pub fn digest(table: &str, fields: &[(&str, Option<String>)]) -> String {
    let mut out = String::with_capacity(128);
    field(&mut out, table);
    for (name, value) in fields {
        field(&mut out, name);
        match value {
            Some(v) => field(&mut out, v),
            None => out.push_str("-;"),
        }
    }
    sha256_hex(out.as_bytes())
}

/// The digest a sealed batch of rows is chained by: the hash of its row list
/// ([`seal_list`]).
pub fn seal_digest(list: &str) -> String {
    sha256_hex(list.as_bytes())
}

/// A batch of sealed rows written as `id=digest` lines, kept beside the record so that
/// verify can name the very row that changed, not just the batch.
pub fn seal_list(rows: &[SealedRow]) -> String {
    rows.iter()
        .map(|r| format!("{}={}", r.id, r.digest))
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in d {
        s.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        s.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
    }
    s
}

fn field(out: &mut String, v: &str) {
    out.push_str(&v.len().to_string());
    out.push(':');
    out.push_str(v);
    out.push(';');
}

#[cfg(test)]
mod tests;
