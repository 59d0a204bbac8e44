//! Headers every answer carries: a Content-Security-Policy that runs only scripts served
//! from `/static` (pages keep no inline script; see `static/app.js` for the behaviours they
//! declare), framing by this site only (the kiosk prints its slip through a hidden frame),
//! no type sniffing, no referrer to other sites (follow-page links carry the ticket's code),
//! and `no-store` on everything but the static files, so a shared counter PC's back button
//! or cache never shows the last person's screen.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// The policy of every page. Styles may be inline (templates carry their own small style
/// blocks); images may be data URLs (QR codes, observation photos) or staff photos on https.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https:; connect-src 'self'; \
     font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'self'";

pub async fn apply(req: Request, next: Next) -> Response {
    let is_static = req.uri().path().starts_with("/static/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    // A handler that set its own (a photo's sandbox, a file's cache) keeps it.
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    h.entry(header::X_CONTENT_TYPE_OPTIONS)
        .or_insert(HeaderValue::from_static("nosniff"));
    h.entry(header::X_FRAME_OPTIONS)
        .or_insert(HeaderValue::from_static("SAMEORIGIN"));
    h.entry(header::REFERRER_POLICY)
        .or_insert(HeaderValue::from_static("same-origin"));
    if !is_static {
        h.entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
    }
    res
}
