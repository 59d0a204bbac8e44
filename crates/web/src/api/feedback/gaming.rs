//! Anti-gaming flags (防刷评): the stored flags with the names behind them and their
//! evidence, and a supervisor's finding on each.

use crate::api::{JsonBody, resolve_hall};
use crate::error::{ApiError, ApiResult};
use crate::{AppState, auth::Caller};
use axum::Json;
use axum::extract::{Path, Query, State};
use serde::{Deserialize, Serialize};
use servicehall_domain::access::Permission;
use servicehall_domain::feedback::gaming::{self, Finding, Flag, Subject};
use servicehall_store::{FeedbackSettings, Store};
use utoipa::ToSchema;

use super::{DaysQuery, period_at};

/// A stored flag with the names behind its subject and its finding.
#[derive(Serialize, ToSchema)]
pub struct FlagView {
    pub id: i64,
    pub flag: FlagDetail,
    pub kind_zh: String,
    pub kind_en: String,
    /// `柜员 张三 (DL003)` or `3号窗口`.
    pub subject_label: String,
    /// When the pattern was first and last detected (unix ms).
    pub first_seen_at: i64,
    pub last_seen_at: i64,
    /// `confirmed` or `dismissed` once a supervisor has judged it; absent while open.
    #[schema(value_type = Option<String>)]
    pub finding: Option<Finding>,
    pub finding_note: String,
    /// Who recorded the finding (name and badge).
    pub finding_by: String,
    pub finding_at: Option<i64>,
}

/// What a flag says: its kind, whom it is about, and the numbers and tickets behind it.
#[derive(Serialize, ToSchema)]
pub struct FlagDetail {
    /// `fast_ratings`, `top_run` or `skipped_pad`.
    pub kind: String,
    pub subject: FlagSubject,
    pub summary_zh: String,
    pub figures: Vec<FlagFigure>,
    pub tickets: Vec<FlagTicket>,
}

/// Whom a flag is about: `{"type": "clerk", "id": 3}` (a staff id) or a counter.
#[derive(Serialize, ToSchema)]
pub struct FlagSubject {
    /// `clerk` or `counter`.
    #[serde(rename = "type")]
    pub kind: String,
    pub id: i64,
}

/// A number behind a flag: label and value as shown.
#[derive(Serialize, ToSchema)]
pub struct FlagFigure {
    pub label: String,
    pub value: String,
}

/// A ticket behind a flag, with what it shows.
#[derive(Serialize, ToSchema)]
pub struct FlagTicket {
    pub ticket_id: i64,
    pub number: String,
    pub note: String,
}

impl From<&Flag> for FlagDetail {
    fn from(f: &Flag) -> Self {
        let (kind, id) = f.subject.parts();
        Self {
            kind: f.kind.as_str().into(),
            subject: FlagSubject {
                kind: kind.into(),
                id,
            },
            summary_zh: f.summary_zh.clone(),
            figures: f
                .figures
                .iter()
                .map(|x| FlagFigure {
                    label: x.label.clone(),
                    value: x.value.clone(),
                })
                .collect(),
            tickets: f
                .tickets
                .iter()
                .map(|t| FlagTicket {
                    ticket_id: t.ticket_id,
                    number: t.number.clone(),
                    note: t.note.clone(),
                })
                .collect(),
        }
    }
}

fn person(staff: &[servicehall_store::Staff], id: i64) -> String {
    staff
        .iter()
        .find(|st| st.id == id)
        .map(|st| format!("{} ({})", st.name, st.badge_no))
        .unwrap_or_else(|| format!("#{id}"))
}

/// Detects the hall's anti-gaming flags over `[from, to)` and stores them, stamped `now`
/// (idempotent: an open flag is refreshed, a judged one comes back only with newer
/// evidence). Gives the hall's settings and how many finished visits were read.
pub async fn detect_flags(
    store: &dyn Store,
    hall_id: i64,
    from: i64,
    to: i64,
    now: i64,
) -> ApiResult<(FeedbackSettings, usize)> {
    let settings = store.feedback_settings(hall_id).await?;
    let visits = store.pad_visits(hall_id, from, to).await?;
    store
        .record_flags(hall_id, &gaming::detect(&visits, &settings), now)
        .await?;
    Ok((settings, visits.len()))
}

/// The names behind a hall's flags: its staff (and those above halls) and its counters.
pub struct FlagNames {
    staff: Vec<servicehall_store::Staff>,
    counters: Vec<servicehall_store::Counter>,
}

impl FlagNames {
    pub async fn load(store: &dyn Store, hall_id: i64) -> ApiResult<Self> {
        let mut staff = store.staff_list(Some(hall_id)).await?;
        staff.extend(store.staff_list(None).await?);
        Ok(Self {
            staff,
            counters: store.counters(hall_id).await?,
        })
    }

    /// A stored flag with the names behind its subject and its finding.
    pub fn view(&self, sf: servicehall_store::StoredFlag) -> FlagView {
        let subject_label = match sf.flag.subject {
            Subject::Clerk(id) => format!("柜员 {}", person(&self.staff, id)),
            Subject::Counter(id) => self
                .counters
                .iter()
                .find(|c| c.id == id)
                .map(|c| format!("{}号窗口 Counter {}", c.number, c.number))
                .unwrap_or_else(|| format!("窗口 #{id}")),
        };
        FlagView {
            id: sf.id,
            kind_zh: sf.flag.kind.label_zh().into(),
            kind_en: sf.flag.kind.label_en().into(),
            subject_label,
            first_seen_at: sf.first_seen_at,
            last_seen_at: sf.last_seen_at,
            finding: sf.finding,
            finding_note: sf.finding_note,
            finding_by: sf
                .finding_by
                .map(|id| person(&self.staff, id))
                .unwrap_or_default(),
            finding_at: sf.finding_at,
            flag: (&sf.flag).into(),
        }
    }
}

/// Detects and stores the period's flags, then lists the stored ones — open first, then
/// those judged or seen in the period with findings.
pub async fn flags_at(
    store: &dyn Store,
    hall_id: i64,
    from: i64,
    to: i64,
    now: i64,
) -> ApiResult<(Vec<FlagView>, FeedbackSettings)> {
    let (settings, _) = detect_flags(store, hall_id, from, to, now).await?;
    let names = FlagNames::load(store, hall_id).await?;
    let views = store
        .stored_flags(hall_id, from)
        .await?
        .into_iter()
        .map(|sf| names.view(sf))
        .collect();
    Ok((views, settings))
}

/// Anti-gaming flags (防刷评) for supervisors, with the evidence: detected over the period,
/// stored, listed open first; judged flags keep their finding.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/feedback/flags", tag = "feedback",
    params(("hall" = String, Path, description = "hall code or id"), DaysQuery),
    responses((status = 200, body = Vec<FlagView>), (status = 403, body = crate::error::Problem)))]
pub async fn flags(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    Query(q): Query<DaysQuery>,
) -> ApiResult<Json<Vec<FlagView>>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::ReviewFeedback, hall.id)?;
    let now = s.now();
    let (from, to) = period_at(&q, now)?;
    Ok(Json(
        flags_at(s.store.as_ref(), hall.id, from, to, now).await?.0,
    ))
}

/// A supervisor's finding on a flag.
#[derive(Deserialize, ToSchema)]
pub struct FindingBody {
    /// `confirmed` (it was gaming) or `dismissed` (checked and explained).
    pub finding: String,
    /// What was checked; required.
    pub note: String,
}

/// Records the finding on an open flag; checks the caller may review the flag's hall.
pub async fn acknowledge_flag(
    s: &AppState,
    caller: &Caller,
    id: i64,
    finding: &str,
    note: &str,
) -> ApiResult<servicehall_store::StoredFlag> {
    let flag = s.store.stored_flag(id).await?;
    caller.require(Permission::ReviewFeedback, flag.hall_id)?;
    let finding = Finding::parse(finding).ok_or_else(|| {
        ApiError::unprocessable(format!(
            "核查结论 finding 须为 confirmed 或 dismissed（收到 {finding:?}）· finding must be confirmed or dismissed (got {finding:?})"
        ))
    })?;
    let by = caller.staff.as_ref().map(|st| st.id).ok_or_else(|| {
        ApiError::forbidden(
            "核查结论须由登录人员记录 · findings are recorded by a signed-in person",
        )
    })?;
    Ok(s.store
        .acknowledge_flag(id, finding, note, by, s.now())
        .await?)
}

/// Acknowledges a flag with a finding (核查结论): confirmed or dismissed, with a note.
/// A flag is judged once (409 after that).
#[utoipa::path(post, path = "/api/v1/feedback/flags/{id}/finding", tag = "feedback",
    params(("id" = i64, Path, description = "flag id")), request_body = FindingBody,
    responses((status = 200, body = StoredFlagView), (status = 403, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn finding(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<FindingBody>,
) -> ApiResult<Json<StoredFlagView>> {
    let flag = acknowledge_flag(&s, &caller, id, &body.finding, &body.note).await?;
    Ok(Json((&flag).into()))
}

/// A stored flag as the store keeps it, with its finding.
#[derive(Serialize, ToSchema)]
pub struct StoredFlagView {
    pub id: i64,
    pub hall_id: i64,
    pub flag: FlagDetail,
    pub first_seen_at: i64,
    pub last_seen_at: i64,
    /// `confirmed` or `dismissed`; absent while open.
    pub finding: Option<String>,
    pub finding_note: String,
    /// Staff id.
    pub finding_by: Option<i64>,
    pub finding_at: Option<i64>,
}

impl From<&servicehall_store::StoredFlag> for StoredFlagView {
    fn from(f: &servicehall_store::StoredFlag) -> Self {
        Self {
            id: f.id,
            hall_id: f.hall_id,
            flag: (&f.flag).into(),
            first_seen_at: f.first_seen_at,
            last_seen_at: f.last_seen_at,
            finding: f.finding.map(|x| x.as_str().to_string()),
            finding_note: f.finding_note.clone(),
            finding_by: f.finding_by,
            finding_at: f.finding_at,
        }
    }
}
