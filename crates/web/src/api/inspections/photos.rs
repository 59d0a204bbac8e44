//! Photo evidence (现场照片): a photo of a failed item while the inspection is open, and
//! served back. Uploads are multipart (field `photo`, optional `supersedes`), told by their
//! content, decoded within limits, shrunk and re-encoded with a thumbnail
//! (`crate::photo::evidence`), so no EXIF or location is kept. A photo is never deleted: a
//! new one may supersede it, and both stay on record.

use crate::AppState;
use crate::api::access_rule::{Access, access};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use servicehall_domain::access::Permission;
use servicehall_store::{InspectionPhoto, PhotoStage, PhotoUpload};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    use Access::StaffPerm;
    use Permission::Observe;
    let limit = crate::photo::MAX_EVIDENCE_BYTES + 64 * 1024;
    OpenApiRouter::new()
        .routes(access(
            StaffPerm(Observe),
            crate::api::with_body_limit(routes!(add_item_photo), limit),
        ))
        .routes(access(StaffPerm(Observe), routes!(list)))
        .routes(access(StaffPerm(Observe), routes!(file)))
}

/// One kept photo.
#[derive(Debug, Serialize, ToSchema)]
pub struct PhotoView {
    pub id: i64,
    pub inspection_id: i64,
    pub item: String,
    /// `finding` (taken by the inspector, 整改前) or `fix` (evidence of the fix, 整改后).
    pub stage: String,
    /// The rectification case a `fix` photo belongs to.
    pub case_id: Option<i64>,
    pub uploaded_by: i64,
    pub uploader_name: String,
    /// Milliseconds since the epoch.
    pub uploaded_at: i64,
    /// The photo that replaced this one (it is kept and still served).
    pub superseded_by: Option<i64>,
    pub superseded_at: Option<i64>,
    pub url: String,
    pub thumb_url: String,
}

impl From<&InspectionPhoto> for PhotoView {
    fn from(p: &InspectionPhoto) -> Self {
        Self {
            id: p.id,
            inspection_id: p.inspection_id,
            item: p.item_key.clone(),
            stage: p.stage.as_str().into(),
            case_id: p.case_id,
            uploaded_by: p.uploaded_by,
            uploader_name: p.uploader_name.clone(),
            uploaded_at: p.uploaded_at,
            superseded_by: p.superseded_by,
            superseded_at: p.superseded_at,
            url: format!("/api/v1/inspection-photos/{}", p.id),
            thumb_url: format!("/api/v1/inspection-photos/{}?size=thumb", p.id),
        }
    }
}

pub(crate) fn person(caller: &Caller) -> ApiResult<i64> {
    caller.actor.staff_id.ok_or_else(|| {
        ApiError::forbidden("须由本人登录操作 · this is signed by a person, not a device")
    })
}

fn multipart_err(e: axum::extract::multipart::MultipartError) -> ApiError {
    let status = e.status();
    let detail = if status == StatusCode::PAYLOAD_TOO_LARGE {
        format!(
            "照片过大（最多 {} MB） · the upload is larger than {} MB",
            crate::photo::MAX_EVIDENCE_BYTES / (1024 * 1024),
            crate::photo::MAX_EVIDENCE_BYTES / (1024 * 1024)
        )
    } else {
        format!("上传内容无法读取 · the upload could not be read as multipart/form-data: {e}")
    };
    ApiError::new(status, detail)
}

/// Reads the multipart form of a photo upload (`photo`, optional `supersedes`) and makes
/// the photo safe to keep.
pub(crate) async fn read_upload(mut form: Multipart, by: i64) -> ApiResult<PhotoUpload> {
    let mut bytes: Option<Vec<u8>> = None;
    let mut supersedes = None;
    while let Some(field) = form.next_field().await.map_err(multipart_err)? {
        match field.name() {
            Some("photo") => bytes = Some(field.bytes().await.map_err(multipart_err)?.to_vec()),
            Some("supersedes") => {
                let t = field.text().await.map_err(multipart_err)?;
                let t = t.trim();
                if !t.is_empty() {
                    supersedes = Some(t.parse::<i64>().map_err(|_| {
                        ApiError::unprocessable(format!(
                            "要替换的照片编号须为数字 · supersedes must be a photo id, not {t:?}"
                        ))
                    })?);
                }
            }
            _ => {}
        }
    }
    let bytes = bytes.ok_or_else(|| {
        ApiError::unprocessable("请选择照片（JPEG 或 PNG） · choose a photo: the form needs a `photo` field (JPEG or PNG)")
    })?;
    let p = crate::photo::evidence(bytes)
        .await
        .map_err(|e| ApiError::unprocessable(e.to_string()))?;
    Ok(PhotoUpload {
        mime: p.kind.mime().into(),
        image: p.image,
        thumb: p.thumb,
        uploaded_by: by,
        supersedes,
    })
}

/// Adds a photo of an item to an inspection that is still open (409 once submitted).
#[utoipa::path(post, path = "/api/v1/inspections/{id}/items/{item}/photos", tag = "inspections",
    params(("id" = i64, Path), ("item" = String, Path, description = "the item's key")),
    request_body(content_type = "multipart/form-data", description = "`photo`: JPEG or PNG up to 4 MB (told by content; re-encoded without EXIF); `supersedes`: optional id of the photo of the same item it replaces"),
    responses((status = 201, body = PhotoView), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 413, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn add_item_photo(
    State(s): State<AppState>,
    caller: Caller,
    Path((id, item)): Path<(i64, String)>,
    form: Multipart,
) -> ApiResult<(StatusCode, Json<PhotoView>)> {
    let i = s.store.inspection(id).await?;
    caller.require(Permission::Observe, i.hall_id)?;
    let by = person(&caller)?;
    let upload = read_upload(form, by).await?;
    let p = s
        .store
        .add_inspection_photo(id, &item, &upload, s.now())
        .await?;
    Ok((StatusCode::CREATED, Json((&p).into())))
}

/// Every photo of an inspection, both stages, superseded ones too (oldest first).
#[utoipa::path(get, path = "/api/v1/inspections/{id}/photos", tag = "inspections",
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<PhotoView>), (status = 404, body = crate::error::Problem)))]
pub async fn list(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<PhotoView>>> {
    let i = s.store.inspection(id).await?;
    caller.require(Permission::Observe, i.hall_id)?;
    person(&caller)?;
    let all = s.store.inspection_photos(id).await?;
    Ok(Json(all.iter().map(PhotoView::from).collect()))
}

#[derive(Deserialize, IntoParams)]
pub struct SizeQuery {
    /// `thumb` for the thumbnail.
    pub size: Option<String>,
}

/// A photo or its thumbnail, typed by its bytes, with `nosniff` and a sandboxing CSP.
#[utoipa::path(get, path = "/api/v1/inspection-photos/{id}", tag = "inspections",
    params(("id" = i64, Path), SizeQuery),
    responses((status = 200, description = "the image"), (status = 404, body = crate::error::Problem)))]
pub async fn file(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(q): Query<SizeQuery>,
) -> ApiResult<Response> {
    let thumb = q.size.as_deref() == Some("thumb");
    let f = s.store.inspection_photo_file(id, thumb).await?;
    caller.require(Permission::Observe, f.photo.hall_id)?;
    person(&caller)?;
    let stage = match f.photo.stage {
        PhotoStage::Finding => "finding",
        PhotoStage::Fix => "fix",
    };
    let name = format!(
        "inspection-{}-{stage}-{id}{}",
        f.photo.inspection_id,
        if thumb { "-thumb" } else { "" }
    );
    Ok(crate::photo::serve_bytes(f.bytes, &name))
}
