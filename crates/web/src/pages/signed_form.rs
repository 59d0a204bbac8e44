//! A staff form taken in one extractor: who signs it, whether it came from our own page (its
//! `_csrf` field), and its fields. A handler that takes a [`SignedForm`] starts from a
//! signed-in caller and a genuine form, and cannot forget either check.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, PageError};
use axum::Form;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, FromRequestParts, Multipart, RawForm, Request};
use axum::http::{Method, header};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

/// The form field that carries the caller's CSRF token (`chrome.csrf` in the templates).
pub const CSRF_FIELD: &str = "_csrf";

/// Why a form without the caller's token is refused: most often a page left open across a
/// sign-out and a new sign-in, so the person is told how to get a fresh form.
pub const EXPIRED: &str =
    "表单已过期，请刷新页面后重试 · the form has expired; reload the page and try again";

/// A form posted by a signed-in caller, its CSRF token checked, the other fields read into `T`
/// (a struct, or `Vec<(String, String)>`/[`super::Fields`] to keep them in order).
///
/// Refusals, in this order:
/// - not signed in: the redirect to `/login`, as on every screen (any other sign-in failure,
///   such as a database that cannot be reached: its error page);
/// - `_csrf` missing or not the caller's token: 403 with [`EXPIRED`] on the error page;
/// - a body that is not a form, or fields that do not fit `T`: axum's own form rejection,
///   as when the handlers took `Form<T>`.
pub struct SignedForm<T>(pub Caller, pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for SignedForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let caller = Caller::from_request_parts(&mut parts, state)
            .await
            .map_err(|e| PageError(e).into_response())?;
        let RawForm(raw) = RawForm::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        let Form(pairs) = Form::<Vec<(String, String)>>::from_request(form_request(&raw), &())
            .await
            .map_err(IntoResponse::into_response)?;
        let token = pairs
            .iter()
            .find(|(k, _)| k == CSRF_FIELD)
            .map_or("", |(_, v)| v.trim());
        // A device signed in by bearer token has no token to echo (and no cookie to abuse).
        if !caller.csrf.is_empty() && token != caller.csrf {
            return Err(PageError(ApiError::forbidden(EXPIRED)).into_response());
        }
        let rest = without_csrf(&raw, &pairs);
        let Form(fields) = Form::<T>::from_request(form_request(&rest), &())
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Self(caller, fields))
    }
}

/// A `multipart/form-data` upload posted by a signed-in caller, its `_csrf` field checked, as
/// [`SignedForm`] does for plain forms, and its files. The route's body limit bounds what is
/// read.
pub struct SignedUpload {
    pub caller: Caller,
    pub files: Vec<UploadedFile>,
}

/// One file of a [`SignedUpload`].
pub struct UploadedFile {
    /// The form field it came in.
    pub field: String,
    /// The name on the person's computer (may be empty).
    pub file_name: String,
    pub bytes: Bytes,
}

impl FromRequest<AppState> for SignedUpload {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let caller = Caller::from_request_parts(&mut parts, state)
            .await
            .map_err(|e| PageError(e).into_response())?;
        let mut form = Multipart::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        let (mut fields, mut files) = (Vec::new(), Vec::new());
        while let Some(field) = form.next_field().await.map_err(broken_upload)? {
            let name = field.name().unwrap_or_default().to_string();
            match field.file_name().map(str::to_string) {
                Some(file_name) => files.push(UploadedFile {
                    field: name,
                    file_name,
                    bytes: field.bytes().await.map_err(broken_upload)?,
                }),
                None => fields.push((name, field.text().await.map_err(broken_upload)?)),
            }
        }
        let token = fields
            .iter()
            .find(|(k, _)| k == CSRF_FIELD)
            .map_or("", |(_, v)| v.trim());
        if !caller.csrf.is_empty() && token != caller.csrf {
            return Err(PageError(ApiError::forbidden(EXPIRED)).into_response());
        }
        Ok(Self { caller, files })
    }
}

/// An upload cut off or malformed on the way: the person chooses the file again.
fn broken_upload(e: impl std::fmt::Display) -> Response {
    PageError(ApiError::bad_request(format!(
        "上传未完成，请重新选择文件 · the upload did not complete; choose the file again ({e})"
    )))
    .into_response()
}

/// A request carrying `body` as a form, to read it again. The body is never larger than what
/// the route already accepted (at most 1 MiB), so the default 2 MB limit does not bite.
fn form_request(body: &Bytes) -> Request {
    let mut req = Request::new(Body::from(body.clone()));
    *req.method_mut() = Method::POST;
    req.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/x-www-form-urlencoded"),
    );
    req
}

/// The body without its `_csrf` fields. `pairs` is `raw` decoded: one pair per non-empty
/// `&`-separated segment, in order (how `application/x-www-form-urlencoded` is parsed), so
/// the segments to drop are those whose pair is named `_csrf`, however its name was encoded.
fn without_csrf(raw: &[u8], pairs: &[(String, String)]) -> Bytes {
    let kept: Vec<&[u8]> = raw
        .split(|b| *b == b'&')
        .filter(|seg| !seg.is_empty())
        .zip(pairs)
        .filter(|(_, (k, _))| k != CSRF_FIELD)
        .map(|(seg, _)| seg)
        .collect();
    Bytes::from(kept.join(&b'&'))
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn pairs(body: &[u8]) -> Vec<(String, String)> {
        let raw = Bytes::copy_from_slice(body);
        Form::<Vec<(String, String)>>::from_request(form_request(&raw), &())
            .await
            .map(|Form(p)| p)
            .unwrap()
    }

    async fn rest(body: &str) -> Vec<(String, String)> {
        let all = pairs(body.as_bytes()).await;
        pairs(&without_csrf(body.as_bytes(), &all)).await
    }

    #[tokio::test]
    async fn only_the_csrf_fields_are_dropped_and_the_rest_keeps_its_order() {
        let body = "a=1&_csrf=t0k&&b=%E5%8A%9E+%26%3D&%5Fcsrf=again&a=2&flag";
        let kept = rest(body).await;
        let want = [("a", "1"), ("b", "办 &="), ("a", "2"), ("flag", "")];
        assert_eq!(
            kept,
            want.map(|(k, v)| (k.to_string(), v.to_string())).to_vec()
        );
        assert!(rest("_csrf=x").await.is_empty());
        assert!(rest("").await.is_empty());
    }

    #[tokio::test]
    async fn typed_forms_read_the_fields_without_the_token() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        #[serde(deny_unknown_fields)]
        struct Yaml {
            yaml: String,
        }
        let body = "_csrf=abc&yaml=hall%3A+x%0A";
        let all = pairs(body.as_bytes()).await;
        let rest = without_csrf(body.as_bytes(), &all);
        let Form(y) = Form::<Yaml>::from_request(form_request(&rest), &())
            .await
            .unwrap();
        assert_eq!(y.yaml, "hall: x\n");
        let Form(()) = Form::<()>::from_request(
            form_request(&without_csrf(b"_csrf=abc", &pairs(b"_csrf=abc").await)),
            &(),
        )
        .await
        .unwrap();
    }
}
