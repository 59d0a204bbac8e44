//! The standards library (规章制度) over JSON: documents with their history, drafts,
//! publishing on a date, acknowledgements (我已阅读并遵守) and the hall's acknowledgement
//! report, and full-text search over what is in effect.
//!
//! Who may do what: every signed-in person reads the documents of their hall and the
//! company-wide ones; administrators edit company-wide documents, administrators and the
//! hall manager edit a hall's own; each person acknowledges only for themselves; the
//! report is for those who see the hall's figures (hall manager, supervisor, admin).

mod report_view;
pub mod search;

pub use report_view::*;

use crate::api::{JsonBody, resolve_hall};
use crate::error::{ApiError, ApiResult};
use crate::{AppState, auth::Caller};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use servicehall_domain::Role;
use servicehall_domain::access::{ActorKind, Permission};
use servicehall_domain::standards::Category;
use servicehall_domain::standards::behaviour::behaviour_code;
use servicehall_domain::standards::search::Segment;
use servicehall_store::{DraftInput, StandardDocument, StandardInput, StandardVersion};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema, Clone)]
pub struct VersionView {
    pub id: i64,
    pub number: i64,
    pub title: String,
    pub title_en: String,
    pub body: String,
    /// Role codes: hall_manager, clerk, guide.
    pub audience: Vec<String>,
    pub audience_zh: String,
    pub source: String,
    /// YYYY-MM-DD; null while a draft.
    pub effective_from: Option<String>,
    /// draft, scheduled, in_effect or superseded (on the hall's today).
    pub state: String,
    pub state_zh: String,
    pub published_at: Option<i64>,
    pub updated_at: i64,
}

#[derive(Serialize, ToSchema)]
pub struct DocumentView {
    pub id: i64,
    pub hall_id: Option<i64>,
    pub company_wide: bool,
    pub category: String,
    pub category_zh: String,
    pub category_en: String,
    /// For behaviour-code documents: the stable id later checks score against.
    pub behaviour_code: Option<String>,
    pub behaviour_code_zh: Option<String>,
    pub title: String,
    pub current: Option<VersionView>,
    pub scheduled: Option<VersionView>,
    pub draft: Option<VersionView>,
    /// Every version, oldest first (history).
    pub versions: Vec<VersionView>,
    /// Whether the caller may write drafts and publish.
    pub can_edit: bool,
}

pub fn version_view(v: &StandardVersion) -> VersionView {
    VersionView {
        id: v.id,
        number: v.number,
        title: v.title.clone(),
        title_en: v.title_en.clone(),
        body: v.body.clone(),
        audience: v
            .audience
            .roles()
            .iter()
            .map(|r| r.as_str().to_string())
            .collect(),
        audience_zh: v.audience.label_zh(),
        source: v.source.clone(),
        effective_from: v.effective_from.map(|d| d.to_string()),
        state: v.state.as_str().into(),
        state_zh: v.state.label_zh().into(),
        published_at: v.published_at,
        updated_at: v.updated_at,
    }
}

pub fn document_view(d: &StandardDocument, caller: &Caller) -> DocumentView {
    DocumentView {
        id: d.id,
        hall_id: d.hall_id,
        company_wide: d.hall_id.is_none(),
        category: d.category.as_str().into(),
        category_zh: d.category.label_zh().into(),
        category_en: d.category.label_en().into(),
        behaviour_code: d.behaviour_code.clone(),
        behaviour_code_zh: d
            .behaviour_code
            .as_deref()
            .and_then(behaviour_code)
            .map(|c| c.zh.to_string()),
        title: d.title().into(),
        current: d.current().map(version_view),
        scheduled: d.scheduled().map(version_view),
        draft: d.draft().map(version_view),
        versions: d.versions.iter().map(version_view).collect(),
        can_edit: may_edit(caller, d.hall_id),
    }
}

fn role(caller: &Caller) -> Option<Role> {
    match caller.actor.kind {
        ActorKind::Person(r) => Some(r),
        ActorKind::Device(_) => None,
    }
}

/// Company-wide documents are the administrator's; a hall's own are also its manager's.
pub fn may_edit(caller: &Caller, doc_hall: Option<i64>) -> bool {
    match doc_hall {
        None => role(caller) == Some(Role::Admin),
        Some(h) => caller.actor.may(Permission::Administer, h),
    }
}

fn require_edit(caller: &Caller, doc_hall: Option<i64>) -> ApiResult<()> {
    if may_edit(caller, doc_hall) {
        Ok(())
    } else if doc_hall.is_none() {
        Err(ApiError::forbidden(
            "只有管理员可以编辑全公司规章 · only administrators edit company-wide standards",
        ))
    } else {
        Err(ApiError::forbidden(
            "只有管理员和本厅值班长可以编辑本厅规章 · only administrators and the hall's manager edit its standards",
        ))
    }
}

/// Standards are read by people (not devices), in their hall or company-wide.
pub fn require_read(caller: &Caller, doc_hall: Option<i64>) -> ApiResult<()> {
    if !caller.is_person() {
        return Err(ApiError::forbidden(
            "规章须登录后查看 · standards are read by signed-in staff",
        ));
    }
    match doc_hall {
        Some(h) => caller.require(Permission::ViewHall, h),
        None => caller.require_any(Permission::ViewHall),
    }
}

#[derive(Serialize, ToSchema)]
pub struct DocumentSummary {
    pub id: i64,
    pub company_wide: bool,
    pub category: String,
    pub category_zh: String,
    pub behaviour_code: Option<String>,
    pub title: String,
    pub current_number: Option<i64>,
    pub current_from: Option<String>,
    pub current_audience_zh: Option<String>,
    pub scheduled_number: Option<i64>,
    pub scheduled_from: Option<String>,
    pub has_draft: bool,
}

pub fn summary(d: &StandardDocument) -> DocumentSummary {
    let cur = d.current();
    let sch = d.scheduled();
    DocumentSummary {
        id: d.id,
        company_wide: d.hall_id.is_none(),
        category: d.category.as_str().into(),
        category_zh: d.category.label_zh().into(),
        behaviour_code: d.behaviour_code.clone(),
        title: d.title().into(),
        current_number: cur.map(|v| v.number),
        current_from: cur.and_then(|v| v.effective_from).map(|d| d.to_string()),
        current_audience_zh: cur.map(|v| v.audience.label_zh()),
        scheduled_number: sch.map(|v| v.number),
        scheduled_from: sch.and_then(|v| v.effective_from).map(|d| d.to_string()),
        has_draft: d.draft().is_some(),
    }
}

/// The documents a hall follows (its own and company-wide).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/standards", tag = "standards",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, body = Vec<DocumentSummary>), (status = 403, body = crate::error::Problem)))]
pub async fn list(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<Json<Vec<DocumentSummary>>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    require_read(&caller, Some(hall.id))?;
    let docs = s.store.standards(Some(hall.id), s.now()).await?;
    Ok(Json(docs.iter().map(summary).collect()))
}

#[derive(Deserialize, ToSchema)]
pub struct NewStandard {
    /// staff_code, ten_prohibitions, service_commitments, hall_rules, behaviour_code, standard_phrases
    pub category: String,
    /// For behaviour_code documents: grooming, greet_farewell, standard_phrases, read_back,
    /// one_time_notice, first_inquiry or serve_one_settle_two.
    #[serde(default)]
    pub behaviour_code: Option<String>,
    /// True: every hall follows it (administrators only); false: this hall's own.
    #[serde(default)]
    pub company_wide: bool,
    #[serde(flatten)]
    #[schema(inline)]
    pub draft: DraftBody,
}

#[derive(Deserialize, ToSchema)]
pub struct DraftBody {
    pub title: String,
    #[serde(default)]
    pub title_en: String,
    pub body: String,
    /// Role codes the version applies to: hall_manager, clerk, guide.
    pub audience: Vec<String>,
    #[serde(default)]
    pub source: String,
}

fn draft_input(b: DraftBody) -> ApiResult<DraftInput> {
    let audience = b
        .audience
        .iter()
        .map(|r| r.parse::<Role>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(ApiError::unprocessable)?;
    Ok(DraftInput {
        title: b.title,
        title_en: b.title_en,
        body: b.body,
        audience,
        source: b.source,
    })
}

/// Creates a document with its first draft (version 1).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/standards", tag = "standards",
    params(("hall" = String, Path, description = "hall code or id")),
    request_body = NewStandard,
    responses((status = 201, body = DocumentView), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn create(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    JsonBody(b): JsonBody<NewStandard>,
) -> ApiResult<(StatusCode, Json<DocumentView>)> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    let scope = (!b.company_wide).then_some(hall.id);
    require_edit(&caller, scope)?;
    let category: Category = b.category.parse().map_err(ApiError::unprocessable)?;
    let input = StandardInput {
        hall_id: scope,
        category,
        behaviour_code: b.behaviour_code.filter(|c| !c.trim().is_empty()),
        draft: draft_input(b.draft)?,
    };
    let by = caller.staff.as_ref().map(|st| st.id);
    let doc = s.store.create_standard(&input, by, s.now()).await?;
    Ok((StatusCode::CREATED, Json(document_view(&doc, &caller))))
}

/// A document with its whole history.
#[utoipa::path(get, path = "/api/v1/standards/{id}", tag = "standards",
    params(("id" = i64, Path)),
    responses((status = 200, body = DocumentView), (status = 404, body = crate::error::Problem)))]
pub async fn show(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<DocumentView>> {
    let doc = s.store.standard(id, s.now()).await?;
    require_read(&caller, doc.hall_id)?;
    Ok(Json(document_view(&doc, &caller)))
}

/// Writes the draft: updates the open draft, or starts the next version (published versions
/// are locked).
#[utoipa::path(put, path = "/api/v1/standards/{id}/draft", tag = "standards",
    params(("id" = i64, Path)),
    request_body = DraftBody,
    responses((status = 200, body = DocumentView), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn save_draft(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<DraftBody>,
) -> ApiResult<Json<DocumentView>> {
    let doc = s.store.standard(id, s.now()).await?;
    require_edit(&caller, doc.hall_id)?;
    let doc = s.store.save_draft(id, &draft_input(b)?, s.now()).await?;
    Ok(Json(document_view(&doc, &caller)))
}

#[derive(Deserialize, ToSchema)]
pub struct Publish {
    /// YYYY-MM-DD: today or later, after every earlier version's date.
    pub effective_from: String,
}

/// Publishes the draft to take effect on a date; from then it is locked.
#[utoipa::path(post, path = "/api/v1/standards/{id}/publish", tag = "standards",
    params(("id" = i64, Path)),
    request_body = Publish,
    responses((status = 200, body = DocumentView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn publish(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<Publish>,
) -> ApiResult<Json<DocumentView>> {
    let doc = s.store.standard(id, s.now()).await?;
    require_edit(&caller, doc.hall_id)?;
    let date = b.effective_from.trim().parse().map_err(|_| {
        ApiError::unprocessable(format!(
            "生效日期 effective_from 须为 YYYY-MM-DD（收到 {:?}）· effective_from must be a date YYYY-MM-DD",
            b.effective_from
        ))
    })?;
    let by = caller.staff.as_ref().map(|st| st.id);
    let doc = s.store.publish_standard(id, date, by, s.now()).await?;
    Ok(Json(document_view(&doc, &caller)))
}

#[derive(Serialize, ToSchema)]
pub struct AckView {
    pub version_id: i64,
    pub staff_id: i64,
    pub at: i64,
    /// False when it had been given before: acknowledging twice is idempotent and keeps
    /// the first time.
    pub created: bool,
}

/// 我已阅读并遵守: the caller acknowledges a version in effect that applies to them.
#[utoipa::path(post, path = "/api/v1/standard-versions/{id}/acknowledge", tag = "standards",
    params(("id" = i64, Path, description = "version id")),
    responses((status = 201, body = AckView), (status = 200, body = AckView, description = "already acknowledged (idempotent)"),
        (status = 409, body = crate::error::Problem, description = "not yet in effect, or replaced"),
        (status = 422, body = crate::error::Problem, description = "a draft, another hall's, or not for the caller's role")))]
pub async fn acknowledge(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<(StatusCode, Json<AckView>)> {
    let staff = caller.staff.as_ref().ok_or_else(|| {
        ApiError::forbidden("须登录的员工才能确认已读 · only a signed-in staff member acknowledges")
    })?;
    let a = s.store.acknowledge_standard(id, staff.id, s.now()).await?;
    let status = if a.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(AckView {
            version_id: a.version_id,
            staff_id: a.staff_id,
            at: a.at,
            created: a.created,
        }),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct PendingView {
    pub document_id: i64,
    pub category: String,
    pub category_zh: String,
    pub version: VersionView,
}

/// 待阅读: the versions in effect that apply to the caller and await their acknowledgement.
#[utoipa::path(get, path = "/api/v1/me/standards/pending", tag = "standards",
    responses((status = 200, body = Vec<PendingView>)))]
pub async fn pending(
    State(s): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<PendingView>>> {
    let staff = caller.staff.as_ref().ok_or_else(|| {
        ApiError::forbidden(
            "须登录的员工才有待读规章 · only a signed-in staff member has documents to read",
        )
    })?;
    let list = s.store.pending_acknowledgements(staff.id, s.now()).await?;
    Ok(Json(
        list.iter()
            .map(|p| PendingView {
                document_id: p.document_id,
                category: p.category.as_str().into(),
                category_zh: p.category.label_zh().into(),
                version: version_view(&p.version),
            })
            .collect(),
    ))
}

/// The hall's acknowledgement report: per version in effect, who has and has not
/// acknowledged, and the rate assessments use.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/standards/acknowledgements", tag = "standards",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, body = AckReportView), (status = 403, body = crate::error::Problem)))]
pub async fn report(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<Json<AckReportView>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    let r = s.store.acknowledgement_report(hall.id, s.now()).await?;
    Ok(Json(AckReportView::from(&r)))
}

/// A piece of highlighted text: `hit` marks a match.
#[derive(Serialize, ToSchema)]
pub struct SegmentView {
    pub text: String,
    pub hit: bool,
}

impl From<&Segment> for SegmentView {
    fn from(s: &Segment) -> Self {
        Self {
            text: s.text.clone(),
            hit: s.hit,
        }
    }
}

#[derive(Deserialize, IntoParams)]
pub struct SearchQuery {
    /// Words or Chinese text, e.g. 一次性告知
    pub q: String,
    /// At most this many hits (1–50, default 10).
    pub limit: Option<usize>,
}

#[derive(Serialize, ToSchema)]
pub struct SearchHit {
    pub key: String,
    /// standard, or catalogue (a business guide entry)
    pub kind: String,
    pub label_zh: String,
    pub label_en: String,
    pub url: String,
    pub version: Option<i64>,
    pub score: f64,
    /// The title cut into segments; `hit` marks matches.
    pub title: Vec<SegmentView>,
    pub snippet: Vec<SegmentView>,
}

#[derive(Serialize, ToSchema)]
pub struct SearchResult {
    pub query: String,
    pub documents: usize,
    pub took_us: u128,
    pub hits: Vec<SearchHit>,
}

pub const MAX_QUERY_CHARS: usize = 100;

/// Full-text search over the standards and the catalogue entries in effect in the hall,
/// Chinese included (bigrams), ranked, with highlighted snippets.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/search", tag = "standards",
    params(("hall" = String, Path, description = "hall code or id"), SearchQuery),
    responses((status = 200, body = SearchResult), (status = 422, body = crate::error::Problem)))]
pub async fn search(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    Query(q): Query<SearchQuery>,
) -> ApiResult<Json<SearchResult>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    require_read(&caller, Some(hall.id))?;
    if q.q.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::unprocessable(format!(
            "搜索词超过 {MAX_QUERY_CHARS} 个字，请只输入几个关键词 · the query is longer than {MAX_QUERY_CHARS} characters; search for a few words"
        )));
    }
    let limit = q.limit.unwrap_or(10);
    if !(1..=50).contains(&limit) {
        return Err(ApiError::unprocessable(
            "条数 limit 须在 1 到 50 之间 · limit must be between 1 and 50",
        ));
    }
    let started = std::time::Instant::now();
    let (hits, documents) = s
        .search
        .search(s.store.as_ref(), &hall, &q.q, limit, s.now())
        .await?;
    Ok(Json(SearchResult {
        query: q.q,
        documents,
        took_us: started.elapsed().as_micros(),
        hits: hits
            .into_iter()
            .map(|(h, i)| SearchHit {
                key: h.key,
                kind: i.kind.into(),
                label_zh: i.label_zh,
                label_en: i.label_en,
                url: i.url,
                version: i.version,
                score: h.score,
                title: h.title.iter().map(SegmentView::from).collect(),
                snippet: h.snippet.iter().map(SegmentView::from).collect(),
            })
            .collect(),
    }))
}
