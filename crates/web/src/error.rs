//! Errors as RFC 9457 problem+json for the API, and as a friendly page for screens.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use servicehall_store::StoreError;

/// An error a caller can act on: a status and a sentence saying what to fix.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub detail: String,
    /// Seconds for a `Retry-After` header (429 answers).
    pub retry_after: Option<u64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
}

impl ApiError {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        Self {
            status,
            detail: detail.into(),
            retry_after: None,
        }
    }
    /// 429 with `Retry-After: secs`.
    pub fn too_many(retry_after: u64, detail: impl Into<String>) -> Self {
        Self {
            retry_after: Some(retry_after.max(1)),
            ..Self::new(StatusCode::TOO_MANY_REQUESTS, detail)
        }
    }
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, detail)
    }
    pub fn unprocessable(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, detail)
    }
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "请先登录，或以 Authorization: Bearer <token> 发送设备令牌 · sign in, or send a device token as Authorization: Bearer <token>",
        )
    }
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, detail)
    }
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, detail)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(m) => Self::not_found(m),
            StoreError::Conflict(m) => Self::new(StatusCode::CONFLICT, m),
            StoreError::Invalid(m) => Self::unprocessable(m),
            StoreError::Forbidden(m) => Self::forbidden(m),
            e if e.is_unreachable() => {
                tracing::error!(error = %e, "database unreachable");
                let mut err = Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    servicehall_store::DB_UNREACHABLE,
                );
                err.retry_after = Some(2);
                err
            }
            StoreError::Db(e) => {
                tracing::error!(error = %e, "database error");
                Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    servicehall_store::WRITE_FAILED,
                )
            }
            StoreError::Unavailable(m) => Self::new(StatusCode::SERVICE_UNAVAILABLE, m),
        }
    }
}

fn set_retry_after(res: &mut Response, secs: Option<u64>) {
    if let Some(secs) = secs {
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let retry_after = self.retry_after;
        let body = Problem {
            kind: "about:blank".into(),
            title: self.status.canonical_reason().unwrap_or("Error").into(),
            status: self.status.as_u16(),
            detail: self.detail,
        };
        let mut res = (self.status, axum::Json(body)).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        set_retry_after(&mut res, retry_after);
        res
    }
}

/// The same error shown to a person: a page in Chinese and English.
pub struct PageError(pub ApiError);

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        Self(e)
    }
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        Self(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.0.status;
        if status == StatusCode::UNAUTHORIZED {
            // `auth::sign_in_for_pages` turns this into the sign-in page (and back).
            return status.into_response();
        }
        let (zh, en) = match status {
            StatusCode::FORBIDDEN => ("无权访问", "Not allowed"),
            StatusCode::NOT_FOUND => ("未找到", "Not found"),
            StatusCode::TOO_MANY_REQUESTS => ("请求过于频繁", "Too many requests"),
            s if s.is_client_error() => ("请求有误", "Please check your input"),
            _ => ("系统繁忙", "Service unavailable"),
        };
        let html = crate::pages::render_error(zh, en, &self.0.detail);
        let mut res = (status, axum::response::Html(html)).into_response();
        set_retry_after(&mut res, self.0.retry_after);
        res
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
