//! Case documents as files: multipart upload from the case page (PDF, JPEG or PNG, checked
//! by content; at most 10 MiB), download with the case's hall and role checks, and marking a
//! document superseded — a document is never deleted; and a document recorded without a
//! file (what the customer showed at the counter).

use super::view::{CaseView, case_view};
use super::{visible, workable};
use crate::api::JsonBody;
use crate::error::{ApiError, ApiResult};
use crate::{AppState, auth::Caller};
use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use servicehall_domain::cases::MAX_DOCUMENT_BYTES;
use servicehall_store::{DocumentInput, DocumentUpload};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    use crate::api::access_rule::{Access::*, access};
    OpenApiRouter::new()
        // The file plus the form's other fields and multipart framing.
        .routes(access(
            CaseWork,
            crate::api::with_body_limit(routes!(upload), MAX_DOCUMENT_BYTES + 64 * 1024),
        ))
        .routes(access(CaseRead, routes!(download)))
        .routes(access(CaseWork, routes!(supersede)))
}

fn multipart_err(e: axum::extract::multipart::MultipartError) -> ApiError {
    let status = e.status();
    let detail = if status == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        format!(
            "the upload is larger than {} MiB; scan at a lower resolution or split the document",
            MAX_DOCUMENT_BYTES / (1024 * 1024)
        )
    } else {
        format!("the upload could not be read as multipart/form-data: {e}")
    };
    ApiError::new(status, detail)
}

/// Uploads a document (multipart fields `file`, optional `note`).
#[utoipa::path(post, path = "/api/v1/cases/{id}/documents/upload", tag = "cases",
    params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data", description = "`file`: PDF, JPEG or PNG up to 10 MiB; `note`: optional text"),
    responses((status = 200, body = CaseView), (status = 413, body = crate::error::Problem),
               (status = 422, body = crate::error::Problem)))]
pub async fn upload(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    mut form: Multipart,
) -> ApiResult<Json<CaseView>> {
    let (_, by) = workable(&s, &caller, id).await?;
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut note = String::new();
    while let Some(field) = form.next_field().await.map_err(multipart_err)? {
        match field.name() {
            Some("file") => {
                let name = field.file_name().unwrap_or_default().to_string();
                let bytes = field.bytes().await.map_err(multipart_err)?;
                file = Some((name, bytes.to_vec()));
            }
            Some("note") => note = field.text().await.map_err(multipart_err)?,
            _ => {}
        }
    }
    let (name, bytes) = file.ok_or_else(|| {
        ApiError::unprocessable("请选择文件（PDF、JPEG 或 PNG）· choose a file: the form needs a `file` field (PDF, JPEG or PNG)")
    })?;
    let d = s
        .store
        .upload_document(id, &DocumentUpload { name, bytes, note }, by, s.now())
        .await?;
    Ok(Json(case_view(s.store.as_ref(), &caller, d).await?))
}

/// `attachment; filename="…"; filename*=UTF-8''…` — an ASCII fallback plus the real name.
pub(crate) fn disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if (c.is_ascii_graphic() && c != '"' && c != '\\') || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// Downloads a document's file (people who may see the case's hall).
#[utoipa::path(get, path = "/api/v1/cases/{id}/documents/{doc}/file", tag = "cases",
    params(("id" = i64, Path), ("doc" = i64, Path)),
    responses((status = 200, description = "the file, as application/pdf, image/jpeg or image/png"),
               (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn download(
    State(s): State<AppState>,
    caller: Caller,
    Path((id, doc)): Path<(i64, i64)>,
) -> ApiResult<Response> {
    visible(&s, &caller, id).await?;
    let f = s.store.document_file(id, doc).await?;
    Ok((
        [
            (header::CONTENT_TYPE, f.doc_type.mime().to_string()),
            (header::CONTENT_DISPOSITION, disposition(&f.name)),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        f.bytes,
    )
        .into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupersedeBody {
    /// Why: 客户提供了新版 / a newer copy, 扫描不清 / unreadable scan …
    pub reason: String,
}

/// Marks a document superseded (kept and still downloadable; shown struck through).
#[utoipa::path(post, path = "/api/v1/cases/{id}/documents/{doc}/supersede", tag = "cases",
    params(("id" = i64, Path), ("doc" = i64, Path)), request_body = SupersedeBody,
    responses((status = 200, body = CaseView), (status = 409, body = crate::error::Problem),
               (status = 422, body = crate::error::Problem)))]
pub async fn supersede(
    State(s): State<AppState>,
    caller: Caller,
    Path((id, doc)): Path<(i64, i64)>,
    JsonBody(b): JsonBody<SupersedeBody>,
) -> ApiResult<Json<CaseView>> {
    let (_, by) = workable(&s, &caller, id).await?;
    let d = s
        .store
        .supersede_document(id, doc, &b.reason, by, s.now())
        .await?;
    Ok(Json(case_view(s.store.as_ref(), &caller, d).await?))
}

/// Records a document the customer handed in.
#[utoipa::path(post, path = "/api/v1/cases/{id}/documents", tag = "cases",
    params(("id" = i64, Path)), request_body = super::view::DocumentBody,
    responses((status = 200, body = CaseView), (status = 422, body = crate::error::Problem)))]
pub async fn add_document(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    JsonBody(doc): JsonBody<super::view::DocumentBody>,
) -> ApiResult<Json<CaseView>> {
    let (_, by) = workable(&s, &caller, id).await?;
    let doc = DocumentInput::from(doc);
    let d = s.store.add_document(id, &doc, by, s.now()).await?;
    Ok(Json(case_view(s.store.as_ref(), &caller, d).await?))
}

#[cfg(test)]
mod tests {
    #[test]
    fn disposition_keeps_the_chinese_name_and_an_ascii_fallback() {
        assert_eq!(
            super::disposition("身份证 正面.png"),
            "attachment; filename=\"___ __.png\"; filename*=UTF-8''%E8%BA%AB%E4%BB%BD%E8%AF%81%20%E6%AD%A3%E9%9D%A2.png"
        );
    }
}
