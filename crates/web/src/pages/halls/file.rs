//! The hall file on the halls admin screen: an administrator above halls uploads a YAML hall
//! file or an Excel workbook of the same content (`multipart/form-data` with the form's
//! `_csrf` field), downloads the workbook template, and each hall's file (the links go to
//! `GET /api/v1/admin/halls/{hall}/file`). The import is the API's (`api::hall_file`): all or
//! nothing; the result page shows new staff's one-time passwords once (`no-store`).

use super::Signed;
use crate::AppState;
use crate::api::hall_file::{self, Imported, Refused};
use crate::error::PageError;
use crate::pages::signed_form::SignedUpload;
use crate::pages::{Chrome, respond};
use crate::security::ClientAddr;
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

/// The largest upload the screen takes (as the API).
const MAX_UPLOAD: usize = 4 * 1024 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/admin/hall-file",
            post(upload).layer(DefaultBodyLimit::max(MAX_UPLOAD)),
        )
        .route("/admin/hall-file/template.xlsx", get(template))
}

#[derive(Template)]
#[template(path = "halls/file_result.html")]
pub struct FileResultPage {
    pub chrome: Chrome,
    pub file_name: String,
    pub done: Option<Imported>,
    pub problems: Vec<String>,
}

async fn template(caller: Signed) -> Result<Response, PageError> {
    hall_file::require(&caller?)?;
    Ok((
        [
            (header::CONTENT_TYPE, crate::xlsx::CONTENT_TYPE),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"hall-template.xlsx\"",
            ),
        ],
        crate::hall_xlsx::template(),
    )
        .into_response())
}

async fn upload(
    State(s): State<AppState>,
    addr: ClientAddr,
    upload: SignedUpload,
) -> Result<Response, PageError> {
    let caller = upload.caller;
    hall_file::require(&caller)?;
    let file = upload.files.into_iter().find(|f| f.field == "file");
    let name = file
        .as_ref()
        .map(|f| f.file_name.clone())
        .unwrap_or_default();
    let bytes = file.map(|f| f.bytes);
    let page = |done, problems| FileResultPage {
        chrome: Chrome::staff("营业厅文件 Hall file", "/admin", Some(&caller)),
        file_name: name.clone(),
        done,
        problems,
    };
    let result = match bytes.filter(|b| !b.is_empty()) {
        None => Err(Refused::Problems(vec![
            "请选择 YAML 或 .xlsx 文件 · choose a YAML or .xlsx file".into(),
        ])),
        Some(b) => match hall_file::parse_upload(b).await {
            Ok(f) => hall_file::import(&s, &caller, addr, &f).await,
            Err(r) => Err(r),
        },
    };
    let (page, status) = match result {
        Ok(done) => (page(Some(done), Vec::new()), StatusCode::OK),
        Err(Refused::Problems(p)) => (page(None, p), StatusCode::UNPROCESSABLE_ENTITY),
        Err(Refused::Failed(e)) => return Err(PageError(e)),
    };
    let mut res = respond(&page, status)?;
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}
