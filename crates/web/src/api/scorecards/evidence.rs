//! 申诉证据 as files: the hall manager attaches a photo, screenshot or scanned page (JPEG,
//! PNG or PDF by content, at most 5 MiB) to a pending appeal; the supervisor deciding it
//! downloads the file. Each file's SHA-256 is chained into the hall's audit record when it
//! is stored, and checked again on every download.

use super::view::AppealFileView;
use crate::AppState;
use crate::api::access_rule::{Access, access};
use crate::api::resolve_hall;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use servicehall_domain::access::Permission;
use servicehall_domain::audit::sha256_hex;
use servicehall_domain::scorecards::evidence::MAX_EVIDENCE_BYTES;
use servicehall_store::{AppealRow, Hall, NewAppealFile};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        // The file plus multipart framing; a larger body is refused (413) before it is read.
        .routes(access(
            Access::StaffPerm(Permission::Administer),
            crate::api::with_body_limit(routes!(upload_evidence), MAX_EVIDENCE_BYTES + 64 * 1024),
        ))
        .routes(access(
            Access::StaffPerm(Permission::ViewStats),
            routes!(evidence_file),
        ))
}

fn multipart_err(e: axum::extract::multipart::MultipartError) -> ApiError {
    let status = e.status();
    let mib = MAX_EVIDENCE_BYTES / (1024 * 1024);
    let detail = if status == StatusCode::PAYLOAD_TOO_LARGE {
        format!(
            "证据文件过大（最多 {mib} MiB），请压缩照片或分页扫描 · the evidence file is larger than {mib} MiB; shrink the photo or scan fewer pages"
        )
    } else {
        format!(
            "上传内容无法读取，请重新选择文件 · the upload could not be read as multipart/form-data: {e}"
        )
    };
    ApiError::new(status, detail)
}

/// The appeal, when it is the hall's; 404 otherwise.
async fn appeal_of(s: &AppState, hall: &Hall, id: i64) -> ApiResult<AppealRow> {
    s.store
        .appeal(id)
        .await?
        .filter(|a| a.hall_id == hall.id)
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "{} 没有第 {id} 号申诉，请从申诉列表中选择 · {} has no appeal {id}; pick one from the list",
                hall.name, hall.code
            ))
        })
}

/// Attaches an evidence file to a pending appeal (multipart field `file`).
#[utoipa::path(post, path = "/api/v1/halls/{hall}/appeals/{id}/evidence", tag = "scorecards",
    params(("hall" = String, Path, description = "hall code or id"), ("id" = i64, Path, description = "appeal id")),
    request_body(content_type = "multipart/form-data", description = "`file`: JPEG, PNG or PDF up to 5 MiB"),
    responses((status = 201, body = AppealFileView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 413, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn upload_evidence(
    State(s): State<AppState>,
    caller: Caller,
    Path((hall, id)): Path<(String, i64)>,
    mut form: Multipart,
) -> ApiResult<(StatusCode, Json<AppealFileView>)> {
    caller.require_person()?;
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::Administer, hall.id)?;
    appeal_of(&s, &hall, id).await?;
    let mut file = None;
    while let Some(field) = form.next_field().await.map_err(multipart_err)? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or_default().to_string();
            let bytes = field.bytes().await.map_err(multipart_err)?;
            file = Some((name, bytes.to_vec()));
        }
    }
    let (name, bytes) = file.ok_or_else(|| {
        ApiError::unprocessable(
            "请选择证据文件（照片、截图或 PDF）· choose the evidence file: the form needs a `file` field (JPEG, PNG or PDF)",
        )
    })?;
    let row = s
        .store
        .add_appeal_file(
            NewAppealFile {
                appeal_id: id,
                name,
                bytes,
                added_by: caller.staff.as_ref().map(|p| p.id),
            },
            s.now(),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(AppealFileView::new(&hall.code, &row)),
    ))
}

/// Downloads an appeal's evidence file: the hall's manager, the supervisors over the hall
/// and administrators. A file whose bytes no longer match the SHA-256 recorded when it was
/// stored is refused (409) rather than served as evidence.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/appeals/{id}/evidence/{doc}", tag = "scorecards",
    params(("hall" = String, Path, description = "hall code or id"), ("id" = i64, Path, description = "appeal id"),
        ("doc" = i64, Path, description = "evidence file id")),
    responses((status = 200, description = "the file, as image/jpeg, image/png or application/pdf"),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem)))]
pub async fn evidence_file(
    State(s): State<AppState>,
    caller: Caller,
    Path((hall, id, doc)): Path<(String, i64, i64)>,
) -> ApiResult<Response> {
    caller.require_person()?;
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    appeal_of(&s, &hall, id).await?;
    let f = s.store.appeal_file(id, doc).await?;
    if sha256_hex(&f.bytes) != f.file.sha256 {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "该证据文件与提交时登记的 SHA-256 不符，可能已被改动；请运行防篡改核验并联系管理员 · the file no longer matches the SHA-256 recorded when it was attached; run the audit verification and tell the administrator",
        ));
    }
    Ok((
        [
            (header::CONTENT_TYPE, f.file.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                crate::api::cases::documents::disposition(&f.file.name),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        f.bytes,
    )
        .into_response())
}
