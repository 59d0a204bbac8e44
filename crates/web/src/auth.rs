//! Who is calling: a signed-in person (session cookie) or a device (bearer token, or the
//! device cookie set when a screen is paired). Every route checks the caller's permission
//! for the hall it touches; cookie-authenticated writes must carry the CSRF token.

use crate::AppState;
use crate::error::ApiError;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::{Method, header, request::Parts};
use servicehall_domain::access::{Actor, ActorKind, Permission};
use servicehall_store::{Device, Staff};
use sha2::{Digest, Sha256};

pub const SESSION_COOKIE: &str = "sh_session";
pub const DEVICE_COOKIE: &str = "sh_device";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller {
    pub actor: Actor,
    pub staff: Option<Staff>,
    pub device: Option<Device>,
    /// The token cookie-authenticated writes must echo.
    pub csrf: String,
    /// The SHA-256 of the session or device token the caller came with.
    pub credential: Credential,
}

/// What a caller authenticated with (token hashes, never the tokens).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Credential {
    Session(String),
    Device(String),
}

impl Credential {
    /// A key naming the credential (for per-credential limits).
    pub fn key(&self) -> String {
        match self {
            Self::Session(h) => format!("s:{h}"),
            Self::Device(h) => format!("d:{h}"),
        }
    }
}

impl Caller {
    /// Fails with 403 unless the caller may do `perm` in `hall_id`.
    pub fn require(&self, perm: Permission, hall_id: i64) -> Result<(), ApiError> {
        if self.actor.may(perm, hall_id) {
            Ok(())
        } else if !self.actor.allows(perm) {
            Err(ApiError::forbidden(format!(
                "您的角色无权执行此操作 · your role may not do this ({perm:?})"
            )))
        } else {
            Err(ApiError::forbidden(
                "这属于其他营业厅 · that belongs to another hall",
            ))
        }
    }

    /// Fails with 403 unless the caller's kind allows `perm` anywhere.
    pub fn require_any(&self, perm: Permission) -> Result<(), ApiError> {
        if self.actor.allows(perm) {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "您的角色无权执行此操作 · your role may not do this ({perm:?})"
            )))
        }
    }

    /// The name shown in the header bar.
    pub fn display_name(&self) -> String {
        match (&self.staff, &self.device) {
            (Some(s), _) => format!("{} · {}", s.name, s.badge_no),
            (_, Some(d)) => d.name.clone(),
            _ => String::new(),
        }
    }

    /// Fails with 403 unless a person is calling: what staff wrote about staff (observation
    /// notes and photos) is not for devices or integrations.
    pub fn require_person(&self) -> Result<(), ApiError> {
        if self.is_person() {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                "只有工作人员可以查看 · only signed-in staff may read this; devices and integrations may not",
            ))
        }
    }

    pub fn is_person(&self) -> bool {
        matches!(self.actor.kind, ActorKind::Person(_))
    }

    /// The caller as the security log names them.
    pub fn who(&self) -> crate::security::Who {
        crate::security::Who {
            staff_id: self.staff.as_ref().map(|s| s.id),
            username: self.staff.as_ref().map(|s| s.username.clone()),
            device_id: self.device.as_ref().map(|d| d.id),
        }
    }
}

/// SHA-256 of a token, hex: tokens are stored only as this.
pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Lower-case hex, built in one allocation: both callers run on every kiosk request.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 0x0f)] as char);
    }
    s
}

/// A new random token: 32 bytes as 64 hex characters.
pub fn new_token() -> String {
    random_hex(32)
}

pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the operating system's random source is available");
    hex(&buf)
}

/// Argon2id hash of a password, in PHC string format.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|_| {
        ApiError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "系统无法生成随机数，请稍后再试 · no random source; try again later",
        )
    })?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| ApiError::bad_request(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| {
            ApiError::bad_request(format!(
                "无法处理此密码：{e} · cannot hash that password: {e}"
            ))
        })
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// An Argon2id hash with the default parameters of a password nobody knows: sign-in checks
/// an unknown username against it, so that it takes as long as a known one.
pub const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$D7cF5koxdTRsLS3+QRBufQ$qehs1w2F9DrXTlZMawcYNj93UcsCOZrOxll0gA3EIyA";

/// Argon2 runs on the blocking threads, at most one per core at a time (each run takes
/// about 19 MiB and tens of milliseconds of a core), so a flood of sign-ins neither stalls
/// the async workers nor eats the memory.
fn argon_permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    PERMITS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        tokio::sync::Semaphore::new(cores)
    })
}

async fn off_thread<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    let unavailable = || {
        ApiError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "系统繁忙，请稍后再试 The server is busy; try again shortly",
        )
    };
    let _permit = argon_permits().acquire().await.map_err(|_| unavailable())?;
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| unavailable())
}

/// [`hash_password`] on a blocking thread.
pub async fn hash_password_async(password: String) -> Result<String, ApiError> {
    off_thread(move || hash_password(&password)).await?
}

/// [`verify_password`] on a blocking thread; with no hash (unknown user), a check against
/// [`DUMMY_HASH`] that takes as long and fails.
pub async fn verify_password_async(password: String, hash: Option<String>) -> bool {
    off_thread(move || match hash {
        Some(h) => verify_password(&password, &h),
        None => {
            let _ = verify_password(&password, DUMMY_HASH);
            false
        }
    })
    .await
    .unwrap_or(false)
}

/// The value of cookie `name`, if sent.
pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The CSRF token a device cookie's screens echo (derived, so nothing more is stored).
pub fn device_csrf(token_hash: &str) -> String {
    hash_token(&format!("csrf:{token_hash}"))[..32].to_string()
}

fn device_actor(d: &Device) -> Actor {
    Actor {
        kind: ActorKind::Device(d.kind),
        hall_id: Some(d.hall_id),
        counter_id: d.counter_id,
        staff_id: None,
        region_halls: None,
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let now = state.now();
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if let Some(token) = bearer {
            let hash = hash_token(token.trim());
            let device = state.store.device_by_token(&hash).await?;
            let d = device.ok_or_else(|| {
                ApiError::new(
                    axum::http::StatusCode::UNAUTHORIZED,
                    "设备令牌无效或已吊销 · unknown or revoked device token",
                )
            })?;
            let caller = Caller {
                actor: device_actor(&d),
                staff: None,
                device: Some(d),
                csrf: String::new(),
                credential: Credential::Device(hash),
            };
            crate::security::WhoSlot::set(parts, caller.who());
            crate::request_log::record_caller(&caller.actor);
            return Ok(caller);
        }
        let caller = if let Some(token) = cookie(parts, SESSION_COOKIE) {
            let hash = hash_token(token);
            let (staff, csrf) = state
                .store
                .session(&hash, now)
                .await?
                .ok_or_else(ApiError::unauthorized)?;
            // Staff above halls limited to a region act in that region's halls only.
            let region_halls = match (staff.hall_id, staff.region_id) {
                (None, Some(region)) => Some(state.store.region_halls(region).await?),
                _ => None,
            };
            let actor = Actor {
                kind: ActorKind::Person(staff.role),
                hall_id: staff.hall_id,
                counter_id: None,
                staff_id: Some(staff.id),
                region_halls,
            };
            Caller {
                actor,
                staff: Some(staff),
                device: None,
                csrf,
                credential: Credential::Session(hash),
            }
        } else if let Some(token) = cookie(parts, DEVICE_COOKIE) {
            let hash = hash_token(token);
            let d = state
                .store
                .device_by_token(&hash)
                .await?
                .ok_or_else(ApiError::unauthorized)?;
            Caller {
                actor: device_actor(&d),
                staff: None,
                device: Some(d),
                csrf: device_csrf(&hash),
                credential: Credential::Device(hash),
            }
        } else {
            return Err(ApiError::unauthorized());
        };
        crate::security::WhoSlot::set(parts, caller.who());
        crate::request_log::record_caller(&caller.actor);
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        // Only the HTML screens take forms; the JSON API always wants the header.
        let is_form = !parts.uri.path().starts_with("/api/")
            && parts
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| {
                    v.starts_with("application/x-www-form-urlencoded")
                        || v.starts_with("multipart/form-data")
                });
        // Forms carry the token in their body; the pages' SignedForm extractor checks it (the
        // one multipart screen, the hall file upload in pages/halls/file.rs, reads `_csrf`).
        if !safe && !is_form {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if sent != caller.csrf {
                return Err(ApiError::forbidden(
                    "页面已过期，请刷新 · missing or wrong X-CSRF-Token header; reload the page",
                ));
            }
        }
        Ok(caller)
    }
}

/// Screens (every path outside `/api/`) answer a signed-out visitor with the sign-in page
/// instead of a JSON 401: a 303 to `/login?next=<path>` for a page read, so that signing in
/// comes back to it, and to `/login` for a form sent after the session ended.
pub async fn sign_in_for_pages(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let path = req.uri().path();
    // The sign-in form answers a wrong password itself (401 with the form).
    if path.starts_with("/api/") || path == "/login" {
        return next.run(req).await;
    }
    let read = matches!(*req.method(), Method::GET | Method::HEAD);
    let back = req
        .uri()
        .path_and_query()
        .map_or_else(|| path.to_string(), |pq| pq.as_str().to_string());
    let res = next.run(req).await;
    if res.status() != axum::http::StatusCode::UNAUTHORIZED {
        return res;
    }
    let to = match safe_next(&back) {
        Some(p) if read => format!("/login?next={}", encode_component(p)),
        _ => "/login".to_string(),
    };
    axum::response::Redirect::to(&to).into_response()
}

/// `next` when it is a path of this site to come back to after signing in: it starts with
/// one `/` (not `//` or `/\`, which browsers read as another host), has no control
/// characters and is not the sign-in page itself. Anything else is refused, so a link cannot
/// send a person who signs in to another site.
pub fn safe_next(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && next.len() <= 2000
        && !next.chars().any(|c| c.is_control() || c == '\\')
        && next != "/login"
        && !next.starts_with("/login?")
        && !next.starts_with("/logout");
    ok.then_some(next)
}

/// Percent-encodes everything but unreserved characters and `/` (a query value).
fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A caller who may be anonymous (public pages that show more to staff).
pub struct MaybeCaller(pub Option<Caller>);

impl FromRequestParts<AppState> for MaybeCaller {
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match Caller::from_request_parts(parts, state).await {
            Ok(c) => Ok(Self(Some(c))),
            Err(e) if e.status == axum::http::StatusCode::UNAUTHORIZED => Ok(Self(None)),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_with_the_right_password() {
        let h = hash_password("s3cret-Pass").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("s3cret-Pass", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("s3cret-Pass", "not a hash"));
    }

    /// The dummy hash costs what a real one does: same algorithm and parameters.
    #[test]
    fn the_dummy_hash_has_the_default_parameters() {
        let real = hash_password("some-password-123").unwrap();
        let params = |h: &str| h.rsplitn(3, '$').nth(2).unwrap().to_string();
        assert_eq!(params(DUMMY_HASH), params(&real));
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
        assert!(!verify_password("", DUMMY_HASH));
    }

    /// On a one-thread runtime a ticker keeps ticking while passwords are checked: Argon2
    /// runs on the blocking threads, not on the async worker.
    #[tokio::test]
    async fn argon2_leaves_the_async_worker_free() {
        let hash = hash_password("the-right-password").unwrap();
        let ticks = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
        let t = ticks.clone();
        let ticker = tokio::spawn(async move {
            let mut every = tokio::time::interval(std::time::Duration::from_millis(2));
            loop {
                every.tick().await;
                t.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        });
        let start = std::time::Instant::now();
        for _ in 0..4 {
            assert!(!verify_password_async("wrong".into(), Some(hash.clone())).await);
            assert!(!verify_password_async("wrong".into(), None).await);
        }
        assert!(hash_password_async("another-password".into()).await.is_ok());
        let ms = start.elapsed().as_millis() as u32;
        ticker.abort();
        let n = ticks.load(std::sync::atomic::Ordering::Relaxed);
        // Inline, the ticker could tick only between the nine runs.
        assert!(n > 20 && n * 2 * 4 > ms, "{n} ticks in {ms} ms");
    }

    #[test]
    fn only_paths_of_this_site_are_followed_after_sign_in() {
        for ok in [
            "/counter",
            "/cases?state=open&page=2",
            "/admin/halls/DL-XH",
            "/",
        ] {
            assert_eq!(safe_next(ok), Some(ok), "{ok}");
        }
        for bad in [
            "https://evil.example/",
            "//evil.example/x",
            "/\\evil.example",
            "/\\/evil.example",
            "evil",
            "",
            "/login",
            "/login?next=/x",
            "/logout",
            "/a\nb",
            "javascript:alert(1)",
        ] {
            assert_eq!(safe_next(bad), None, "{bad:?}");
        }
        assert_eq!(
            encode_component("/cases?state=open&x=中"),
            "/cases%3Fstate%3Dopen%26x%3D%E4%B8%AD"
        );
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(hash_token(&a).len(), 64);
        assert_ne!(hash_token(&a), a);
        assert_eq!(hash_token(&a), hash_token(&a));
    }

    /// Stored device tokens are SHA-256 in lower-case hex; the encoding must never change
    /// or every device would have to be issued a new token.
    #[test]
    fn token_hashes_are_lower_case_hex_sha256() {
        assert_eq!(
            hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(
            random_hex(8)
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
    }
}
