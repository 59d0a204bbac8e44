//! A hall as one file over HTTP (营业厅文件): `GET /api/v1/admin/halls/{hall}/file` exports it
//! (YAML, or `?format=xlsx` as a workbook), `PUT`/`POST` imports a YAML file or an Excel
//! workbook of the same content. Administrators not limited to a region only (an import may
//! create a hall). The same import serves the halls admin screen (`pages/halls/file.rs`).
//! Bad files are refused whole, every problem named; new staff's one-time passwords are in
//! the answer, once.

use crate::AppState;
use crate::auth::{Caller, hash_password_async, random_hex};
use crate::error::{ApiError, ApiResult};
use crate::security::{self, ClientAddr};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use servicehall_domain::access::Permission;
use servicehall_domain::halls::file::{self, HallFile};
use servicehall_store::{HallImport, StoreError};
use std::collections::HashMap;
use utoipa::ToSchema;

/// Why an upload was refused: every problem, each naming where (line and field, or sheet,
/// row and column) and why, in Chinese and English.
#[derive(Debug)]
pub enum Refused {
    Problems(Vec<String>),
    Failed(ApiError),
}

impl From<ApiError> for Refused {
    fn from(e: ApiError) -> Self {
        Self::Failed(e)
    }
}

/// What an import did, with each new person's one-time password (shown once).
#[derive(Debug, Serialize, ToSchema)]
pub struct Imported {
    pub hall: String,
    pub hall_id: i64,
    pub created: bool,
    pub business_types: usize,
    pub counters: usize,
    pub staff: usize,
    pub new_staff: Vec<NewStaff>,
    /// The catalogue file the hall file refers to; import it on the catalogue screen or
    /// `POST /api/v1/halls/{hall}/catalogue/import` (one upload carries one file).
    pub catalogue: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NewStaff {
    pub username: String,
    pub one_time_password: String,
}

/// A workbook is a zip archive; anything else is read as YAML text.
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// Reads an upload (YAML or workbook) off the async workers; the file, or every problem.
pub async fn parse_upload(bytes: Bytes) -> Result<HallFile, Refused> {
    if is_workbook(&bytes) {
        return crate::parsing::off_thread(move || crate::hall_xlsx::read(&bytes))
            .await
            .map_err(ApiError::from)?
            .map_err(Refused::Problems);
    }
    let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
        Refused::Problems(vec![
            "文件不是 UTF-8 文本的 YAML，也不是 .xlsx 工作簿 · the file is neither UTF-8 YAML text nor an .xlsx workbook".into(),
        ])
    })?;
    crate::parsing::off_thread(move || file::parse(&text))
        .await
        .map_err(ApiError::from)?
        .map_err(|errors| Refused::Problems(errors.iter().map(|e| e.to_string()).collect()))
}

/// Imports a checked file: one-time passwords for people not yet known, then the store's
/// single transaction. The catalogue reference is reported, not followed.
pub async fn import(
    s: &AppState,
    caller: &Caller,
    addr: ClientAddr,
    f: &HallFile,
) -> Result<Imported, Refused> {
    let mut passwords = Vec::new();
    let mut hashes = HashMap::new();
    for p in &f.staff {
        if s.store
            .staff_login(&p.username)
            .await
            .map_err(ApiError::from)?
            .is_none()
        {
            let password = random_hex(8);
            hashes.insert(
                p.username.clone(),
                hash_password_async(password.clone()).await?,
            );
            passwords.push((p.username.clone(), password));
        }
    }
    let done: HallImport = match s.store.import_hall(f, &hashes, None, s.now()).await {
        Ok(d) => d,
        Err(StoreError::Invalid(m) | StoreError::Conflict(m)) => {
            return Err(Refused::Problems(vec![m]));
        }
        Err(e) => return Err(Refused::Failed(e.into())),
    };
    let detail = format!(
        "hall file {} {}: {} types, {} counters, {} staff ({} new)",
        f.code,
        if done.created_hall {
            "created"
        } else {
            "updated"
        },
        done.business_types,
        done.counters,
        done.staff,
        done.new_staff.len()
    );
    security::admin_change("hall_file_imported", caller, addr, done.hall_id, &detail);
    Ok(Imported {
        hall: f.code.clone(),
        hall_id: done.hall_id,
        created: done.created_hall,
        business_types: done.business_types,
        counters: done.counters,
        staff: done.staff,
        new_staff: passwords
            .into_iter()
            .filter(|(u, _)| done.new_staff.contains(u))
            .map(|(username, one_time_password)| NewStaff {
                username,
                one_time_password,
            })
            .collect(),
        catalogue: f.catalogue.clone(),
    })
}

/// The caller may import and export hall files: an administrator not limited to a region.
pub fn require(caller: &Caller) -> Result<(), ApiError> {
    caller.require_any(Permission::Administer)?;
    if caller.actor.deployment_wide() {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "仅系统管理员可导入导出营业厅文件 · only administrators above halls may import or export hall files",
        ))
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ExportQuery {
    /// `yaml` (default) or `xlsx`.
    pub format: Option<String>,
}

/// The hall as a file: YAML (`text/yaml`), or an Excel workbook with `?format=xlsx`. Staff
/// are listed without passwords.
#[utoipa::path(get, path = "/api/v1/admin/halls/{hall}/file", tag = "halls",
    params(("hall" = String, Path, description = "hall code"), ExportQuery),
    responses((status = 200, content_type = "application/yaml", body = String),
        (status = 404, body = crate::error::Problem)))]
pub async fn export(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    Query(q): Query<ExportQuery>,
) -> ApiResult<Response> {
    require(&caller)?;
    let f = s.store.export_hall(hall.trim()).await?;
    Ok(download(&f, q.format.as_deref() == Some("xlsx")))
}

/// A hall file as a download.
pub fn download(f: &HallFile, xlsx: bool) -> Response {
    let (ct, ext, body) = if xlsx {
        (
            crate::xlsx::CONTENT_TYPE,
            "xlsx",
            crate::hall_xlsx::write(f),
        )
    } else {
        (
            "application/yaml; charset=utf-8",
            "yaml",
            file::to_yaml(f).into_bytes(),
        )
    };
    (
        [
            (header::CONTENT_TYPE, ct.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}.{ext}\"", f.code.to_lowercase()),
            ),
        ],
        body,
    )
        .into_response()
}

async fn import_at(
    s: AppState,
    caller: Caller,
    addr: ClientAddr,
    hall: String,
    body: Bytes,
) -> ApiResult<Response> {
    require(&caller)?;
    let refused = |r: Refused| match r {
        Refused::Problems(p) => ApiError::unprocessable(format!(
            "营业厅文件有误，未导入任何内容 · the hall file has errors; nothing was imported:\n{}",
            p.join("\n")
        )),
        Refused::Failed(e) => e,
    };
    let f = parse_upload(body).await.map_err(refused)?;
    if f.code != hall.trim() {
        return Err(ApiError::unprocessable(format!(
            "文件是营业厅 {} 的，地址却是 {}；未导入任何内容 · the file is hall {}'s but the address names {}; nothing was imported",
            f.code,
            hall.trim(),
            f.code,
            hall.trim()
        )));
    }
    let done = import(&s, &caller, addr, &f).await.map_err(refused)?;
    let mut res = Json(done).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// Creates or updates the hall `{hall}` from a YAML hall file or an `.xlsx` workbook of the
/// same content (sent as the body; a workbook is recognised by its content). All or nothing:
/// a bad file → 422 listing every problem (line and field, or sheet, row and column).
#[utoipa::path(put, path = "/api/v1/admin/halls/{hall}/file", tag = "halls",
    params(("hall" = String, Path, description = "hall code (the file's `code`)")),
    request_body(content = String, content_type = "application/yaml"),
    responses((status = 200, body = Imported), (status = 422, body = crate::error::Problem)))]
pub async fn put_file(
    State(s): State<AppState>,
    caller: Caller,
    addr: ClientAddr,
    Path(hall): Path<String>,
    body: Bytes,
) -> ApiResult<Response> {
    import_at(s, caller, addr, hall, body).await
}

/// The same as `PUT`, for clients that only post.
#[utoipa::path(post, path = "/api/v1/admin/halls/{hall}/file", tag = "halls",
    params(("hall" = String, Path, description = "hall code (the file's `code`)")),
    request_body(content = String, content_type = "application/yaml"),
    responses((status = 200, body = Imported), (status = 422, body = crate::error::Problem)))]
pub async fn post_file(
    State(s): State<AppState>,
    caller: Caller,
    addr: ClientAddr,
    Path(hall): Path<String>,
    body: Bytes,
) -> ApiResult<Response> {
    import_at(s, caller, addr, hall, body).await
}
