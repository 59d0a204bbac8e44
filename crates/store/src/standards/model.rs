//! What the standards library keeps and returns: documents, their versions (history),
//! acknowledgements and the acknowledgement report.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use servicehall_domain::Role;
use servicehall_domain::standards::{AckRate, Audience, Category, VersionState};

/// A new document with its first draft.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StandardInput {
    /// `None`: company-wide, every hall follows it.
    pub hall_id: Option<i64>,
    pub category: Category,
    /// For behaviour-code documents: the id in `servicehall_domain::standards::behaviour`.
    pub behaviour_code: Option<String>,
    pub draft: DraftInput,
}

/// The text of a draft version and whom it will apply to.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DraftInput {
    pub title: String,
    #[serde(default)]
    pub title_en: String,
    pub body: String,
    pub audience: Vec<Role>,
    /// The public source the text comes from, with its date.
    #[serde(default)]
    pub source: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StandardVersion {
    pub id: i64,
    pub document_id: i64,
    pub number: i64,
    pub title: String,
    pub title_en: String,
    pub body: String,
    pub audience: Audience,
    pub source: String,
    /// `None` while a draft.
    #[serde(with = "opt_ymd")]
    pub effective_from: Option<NaiveDate>,
    pub published_at: Option<i64>,
    pub published_by: Option<i64>,
    pub updated_at: i64,
    /// Where it stands on the day it was read (the hall's today).
    pub state: VersionState,
}

/// A document with its whole history, oldest version first.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StandardDocument {
    pub id: i64,
    pub hall_id: Option<i64>,
    pub category: Category,
    pub behaviour_code: Option<String>,
    pub created_at: i64,
    pub versions: Vec<StandardVersion>,
}

impl StandardDocument {
    fn in_state(&self, s: VersionState) -> Option<&StandardVersion> {
        self.versions.iter().rev().find(|v| v.state == s)
    }
    /// The version staff follow today.
    pub fn current(&self) -> Option<&StandardVersion> {
        self.in_state(VersionState::InEffect)
    }
    /// The published version waiting for its date.
    pub fn scheduled(&self) -> Option<&StandardVersion> {
        self.in_state(VersionState::Scheduled)
    }
    pub fn draft(&self) -> Option<&StandardVersion> {
        self.in_state(VersionState::Draft)
    }
    /// The title people know it by: the current version's, else the latest.
    pub fn title(&self) -> &str {
        self.current()
            .or(self.versions.last())
            .map(|v| v.title.as_str())
            .unwrap_or("")
    }
}

/// One acknowledgement; `created` is false when it had been given before (idempotent: the
/// first acknowledgement and its time stand).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Acknowledgement {
    pub version_id: i64,
    pub staff_id: i64,
    pub at: i64,
    pub created: bool,
}

/// A version in effect that a staff member has yet to acknowledge.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PendingAck {
    pub document_id: i64,
    pub category: Category,
    pub version: StandardVersion,
}

/// A staff member as the acknowledgement report names them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StaffRef {
    pub id: i64,
    pub name: String,
    pub badge_no: String,
    pub role: Role,
}

/// A staff member's acknowledgement, with when it was given.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AckedBy {
    pub staff: StaffRef,
    pub at: i64,
}

/// Who has and has not acknowledged one version in effect.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AckLine {
    pub document_id: i64,
    pub category: Category,
    pub version_id: i64,
    pub number: i64,
    pub title: String,
    #[serde(with = "ymd")]
    pub effective_from: NaiveDate,
    pub audience: Audience,
    pub rate: AckRate,
    pub acknowledged: Vec<AckedBy>,
    pub missing: Vec<StaffRef>,
}

/// A hall's acknowledgement figures on `today`: per version in effect, and in total.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AckReport {
    pub hall_id: i64,
    #[serde(with = "ymd")]
    pub today: NaiveDate,
    pub total: AckRate,
    pub lines: Vec<AckLine>,
}

/// Dates as `YYYY-MM-DD` (chrono is built without its serde feature).
pub mod ymd {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(d)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let s = String::deserialize(d)?;
        s.parse()
            .map_err(|_| serde::de::Error::custom(format!("date must be YYYY-MM-DD, got {s:?}")))
    }
}

/// Optional dates as `YYYY-MM-DD` or null.
pub mod opt_ymd {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.collect_str(d),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|s| {
                s.parse().map_err(|_| {
                    serde::de::Error::custom(format!("date must be YYYY-MM-DD, got {s:?}"))
                })
            })
            .transpose()
    }
}
