//! Administration screens: halls, business types, counters, staff, devices.
//!
//! Plain forms: every POST takes a `SignedForm` (sign-in and the form's CSRF token), then
//! checks the caller's right to administer the hall, then saves and redirects (303) back with a `?ok=` code. A form the
//! store rejects comes back on the same page with the person's input and the reason (422).

mod file;
mod pairing;
pub mod setup;

mod forms;
mod pages;
mod people_forms;

use forms::*;
use pages::*;
use people_forms::*;

use crate::pages::{Fields, respond};
pub use people_forms::{MIN_PASSWORD_CHARS, check_password};

use crate::AppState;
use crate::auth::{Caller, hash_password_async, hash_token, new_token};
use crate::error::{ApiError, PageError};
use crate::pages::SignedForm;
use crate::security::{self, ClientAddr};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use servicehall_domain::Role;
use servicehall_domain::access::Permission;
use servicehall_store::{StaffInput, StoreError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(overview))
        .route("/admin/halls", post(create_hall))
        .route("/admin/halls/{id}", get(hall).post(update_hall))
        .route("/admin/halls/{id}/business-types", post(create_bt))
        .route("/admin/business-types/{id}", post(update_bt))
        .route("/admin/halls/{id}/counters", post(create_counter))
        .route("/admin/counters/{id}", post(update_counter))
        .route("/admin/halls/{id}/staff", post(create_staff))
        .route("/admin/staff", post(create_top_staff))
        .route("/admin/staff/{id}", post(update_staff))
        .route("/admin/staff/{id}/password", post(reset_password))
        .route("/admin/halls/{id}/devices", post(create_device))
        .route("/admin/devices/{id}/revoke", post(revoke_device))
        .merge(pairing::routes())
        .merge(file::routes())
        .merge(setup::routes())
}

/// The caller, or the sign-in page for someone not signed in (a page, not a JSON 401).
type Signed = Result<Caller, ApiError>;

#[derive(serde::Deserialize, Default)]
struct OkQuery {
    ok: Option<String>,
}

impl OkQuery {
    fn message(&self) -> String {
        self.ok
            .as_deref()
            .and_then(flash_message)
            .unwrap_or_default()
            .to_string()
    }
}

/// Splits a store result into saved, rejected (a reason to show on the form) or failed.
fn split<T>(r: servicehall_store::Result<T>) -> Result<Result<T, String>, PageError> {
    match r {
        Ok(v) => Ok(Ok(v)),
        Err(StoreError::Invalid(m) | StoreError::Conflict(m)) => Ok(Err(m)),
        Err(e) => Err(e.into()),
    }
}

fn see_other(to: String) -> Response {
    Redirect::to(&to).into_response()
}

fn forbidden(msg: &str) -> PageError {
    PageError(ApiError::forbidden(msg))
}

/// True for administrators above halls not limited to a region (they may create halls and
/// admins; a region's administrator manages the halls of that region).
fn above_halls(caller: &Caller) -> bool {
    caller.actor.deployment_wide() && caller.actor.allows(Permission::Administer)
}

fn require_above_halls(caller: &Caller) -> Result<(), PageError> {
    caller.require_any(Permission::Administer)?;
    if above_halls(caller) {
        Ok(())
    } else {
        Err(forbidden(
            "仅系统管理员可操作 · only administrators above halls may do this",
        ))
    }
}

/// Checks the caller may manage this staff member at all.
fn require_staff_access(
    caller: &Caller,
    hall_id: Option<i64>,
    role: Role,
) -> Result<(), PageError> {
    match hall_id {
        Some(h) => caller.require(Permission::Administer, h)?,
        None => require_above_halls(caller)?,
    }
    if !above_halls(caller) && matches!(role, Role::Admin | Role::Supervisor) {
        return Err(forbidden(
            "值班长不能管理系统管理员或督查 · a hall manager may not manage administrators or supervisors",
        ));
    }
    Ok(())
}

fn is_self(caller: &Caller, staff_id: i64) -> bool {
    caller.actor.staff_id == Some(staff_id)
}

// ---- overview and halls ----

async fn overview(
    State(s): State<AppState>,
    caller: Signed,
    Query(q): Query<OkQuery>,
) -> Result<Response, PageError> {
    let caller = caller?;
    caller.require_any(Permission::Administer)?;
    let page = overview_page(&s, &caller, q.message(), Failed::None).await?;
    respond(&page, StatusCode::OK)
}

async fn create_hall(
    State(s): State<AppState>,
    SignedForm(caller, f): SignedForm<Fields>,
) -> Result<Response, PageError> {
    require_above_halls(&caller)?;
    let form = HallForm::read(&f);
    let saved = match form.input().and_then(|i| Ok((i, form.notify_ahead()?))) {
        Err(m) => Err(m),
        Ok((input, notify_ahead)) => match split(s.store.create_hall(&input).await)? {
            Err(m) => Err(m),
            Ok(h) => {
                if let Some(n) = notify_ahead {
                    let by = caller.staff.as_ref().map(|st| st.id);
                    s.store.change_notify_ahead(h.id, n, by, s.now()).await?;
                }
                Ok(h)
            }
        },
    };
    match saved {
        Ok(h) => Ok(see_other(format!("/admin/halls/{}?ok=hall-created", h.id))),
        Err(m) => {
            let page = overview_page(&s, &caller, String::new(), Failed::Hall(form, m)).await?;
            respond(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

async fn hall(
    State(s): State<AppState>,
    caller: Signed,
    Path(id): Path<i64>,
    Query(q): Query<OkQuery>,
) -> Result<Response, PageError> {
    let caller = caller?;
    caller.require(Permission::Administer, id)?;
    let hall = s.store.hall(id).await?;
    let page = hall_page(&s, &caller, hall, q.message(), Failed::None).await?;
    respond(&page, StatusCode::OK)
}

/// The hall page again with a rejected form and its reason.
async fn hall_rejected(
    s: &AppState,
    caller: &Caller,
    hall_id: i64,
    failed: Failed,
) -> Result<Response, PageError> {
    let hall = s.store.hall(hall_id).await?;
    let page = hall_page(s, caller, hall, String::new(), failed).await?;
    respond(&page, StatusCode::UNPROCESSABLE_ENTITY)
}

async fn update_hall(
    State(s): State<AppState>,
    Path(id): Path<i64>,
    SignedForm(caller, f): SignedForm<Fields>,
) -> Result<Response, PageError> {
    caller.require(Permission::Administer, id)?;
    let form = HallForm::read(&f);
    let saved = match form.input().and_then(|i| Ok((i, form.notify_ahead()?))) {
        Err(m) => Err(m),
        Ok((input, notify_ahead)) => match split(s.store.update_hall(id, &input).await)? {
            Err(m) => Err(m),
            // Checked above, so only the database can fail here; the change is audited.
            Ok(h) => {
                let by = caller.staff.as_ref().map(|st| st.id);
                let n = notify_ahead.unwrap_or(h.notify_ahead);
                split(s.store.change_notify_ahead(id, n, by, s.now()).await)?.map(|_| ())
            }
        },
    };
    match saved {
        Ok(_) => Ok(see_other(format!("/admin/halls/{id}?ok=hall-saved#hall"))),
        Err(m) => hall_rejected(&s, &caller, id, Failed::Hall(form, m)).await,
    }
}

// ---- business types ----

async fn create_bt(
    State(s): State<AppState>,
    Path(id): Path<i64>,
    SignedForm(caller, f): SignedForm<Fields>,
) -> Result<Response, PageError> {
    caller.require(Permission::Administer, id)?;
    let form = BtForm::read(&f);
    let saved = match form.input() {
        Err(m) => Err(m),
        Ok(input) => split(s.store.create_business_type(id, &input).await)?,
    };
    match saved {
        Ok(_) => Ok(see_other(format!(
            "/admin/halls/{id}?ok=bt-created#business-types"
        ))),
        Err(m) => hall_rejected(&s, &caller, id, Failed::NewBt(form, m)).await,
    }
}

async fn update_bt(
    State(s): State<AppState>,
    Path(bt_id): Path<i64>,
    SignedForm(caller, f): SignedForm<Fields>,
) -> Result<Response, PageError> {
    let hall_id = s.store.business_type(bt_id).await?.hall_id;
    caller.require(Permission::Administer, hall_id)?;
    let form = BtForm::read(&f);
    let saved = match form.input() {
        Err(m) => Err(m),
        Ok(input) => split(s.store.update_business_type(bt_id, &input).await)?,
    };
    match saved {
        Ok(_) => Ok(see_other(format!(
            "/admin/halls/{hall_id}?ok=bt-saved#business-types"
        ))),
        Err(m) => hall_rejected(&s, &caller, hall_id, Failed::Bt(bt_id, form, m)).await,
    }
}

// ---- counters ----

async fn create_counter(
    State(s): State<AppState>,
    Path(id): Path<i64>,
    SignedForm(caller, f): SignedForm<Fields>,
) -> Result<Response, PageError> {
    caller.require(Permission::Administer, id)?;
    let saved = match CounterForm::input(&f) {
        Err(m) => Err(m),
        Ok(input) => split(s.store.create_counter(id, &input).await)?,
    };
    match saved {
        Ok(_) => Ok(see_other(format!(
            "/admin/halls/{id}?ok=counter-created#counters"
        ))),
        Err(m) => {
            let bts = s.store.business_types(id).await?;
            let form = CounterForm::read(&f, &bts);
            hall_rejected(&s, &caller, id, Failed::NewCounter(form, m)).await
        }
    }
}

async fn update_counter(
    State(s): State<AppState>,
    Path(cid): Path<i64>,
    SignedForm(caller, f): SignedForm<Fields>,
) -> Result<Response, PageError> {
    let hall_id = s.store.counter(cid).await?.hall_id;
    caller.require(Permission::Administer, hall_id)?;
    let saved = match CounterForm::input(&f) {
        Err(m) => Err(m),
        Ok(input) => split(s.store.update_counter(cid, &input).await)?,
    };
    match saved {
        Ok(_) => Ok(see_other(format!(
            "/admin/halls/{hall_id}?ok=counter-saved#counters"
        ))),
        Err(m) => {
            let bts = s.store.business_types(hall_id).await?;
            let form = CounterForm::read(&f, &bts);
            hall_rejected(&s, &caller, hall_id, Failed::Counter(cid, form, m)).await
        }
    }
}

// ---- staff ----

/// Where a staff member's forms live: their hall's page, or the overview.
fn staff_home(hall_id: Option<i64>, ok: &str) -> String {
    match hall_id {
        Some(h) => format!("/admin/halls/{h}?ok={ok}#staff"),
        None => format!("/admin?ok={ok}#staff"),
    }
}

async fn staff_rejected(
    s: &AppState,
    caller: &Caller,
    hall_id: Option<i64>,
    failed: Failed,
) -> Result<Response, PageError> {
    match hall_id {
        Some(h) => hall_rejected(s, caller, h, failed).await,
        None => {
            let page = overview_page(s, caller, String::new(), failed).await?;
            respond(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

/// Creates a staff member in a hall (`Some`) or above halls (`None`).
async fn add_staff(
    s: &AppState,
    caller: &Caller,
    addr: ClientAddr,
    hall_id: Option<i64>,
    f: &Fields,
) -> Result<Response, PageError> {
    let form = StaffForm::read(f);
    let role = match form.role() {
        Ok(r) => r,
        Err(m) => return staff_rejected(s, caller, hall_id, Failed::NewStaff(form, m)).await,
    };
    require_staff_access(caller, hall_id, role)?;
    let password = f.raw("password");
    if let Err(m) = check_password(&password) {
        return staff_rejected(s, caller, hall_id, Failed::NewStaff(form, m)).await;
    }
    let hash = hash_password_async(password).await?;
    let input = StaffInput {
        hall_id,
        username: form.username.clone(),
        name: form.name.clone(),
        badge_no: form.badge_no.clone(),
        role,
        photo: String::new(),
        active: form.active,
    };
    match split(s.store.create_staff(&input, &hash).await)? {
        Ok(created) => {
            let detail = format!("{} {}", created.username, role.as_str());
            security::admin_change("staff_created", caller, addr, created.id, &detail);
            Ok(see_other(staff_home(hall_id, "staff-created")))
        }
        Err(m) => staff_rejected(s, caller, hall_id, Failed::NewStaff(form, m)).await,
    }
}

async fn create_staff(
    State(s): State<AppState>,
    addr: ClientAddr,
    Path(id): Path<i64>,
    SignedForm(caller, f): SignedForm<Fields>,
) -> Result<Response, PageError> {
    caller.require(Permission::Administer, id)?;
    s.store.hall(id).await?;
    add_staff(&s, &caller, addr, Some(id), &f).await
}

async fn create_top_staff(
    State(s): State<AppState>,
    addr: ClientAddr,
    SignedForm(caller, f): SignedForm<Fields>,
) -> Result<Response, PageError> {
    require_above_halls(&caller)?;
    add_staff(&s, &caller, addr, None, &f).await
}

async fn update_staff(
    State(s): State<AppState>,
    addr: ClientAddr,
    Path(sid): Path<i64>,
    SignedForm(caller, f): SignedForm<Fields>,
) -> Result<Response, PageError> {
    let staff = s.store.staff(sid).await?;
    require_staff_access(&caller, staff.hall_id, staff.role)?;
    let form = StaffForm::read(&f);
    let role = match form.role() {
        Ok(r) => r,
        Err(m) => {
            return staff_rejected(&s, &caller, staff.hall_id, Failed::Staff(sid, form, m)).await;
        }
    };
    require_staff_access(&caller, staff.hall_id, role)?;
    if is_self(&caller, sid) && (!form.active || role != staff.role) {
        let m = "不能停用自己的账号或更改自己的角色 · you cannot deactivate yourself or change your own role".to_string();
        return staff_rejected(&s, &caller, staff.hall_id, Failed::Staff(sid, form, m)).await;
    }
    let input = StaffInput {
        hall_id: staff.hall_id,
        username: form.username.clone(),
        name: form.name.clone(),
        badge_no: form.badge_no.clone(),
        role,
        photo: staff.photo.clone(),
        active: form.active,
    };
    match split(s.store.update_staff(sid, &input).await)? {
        Ok(_) => {
            if !input.active {
                s.credentials.end_staff(sid);
            }
            let detail = format!(
                "{} role {}→{} active {}→{}",
                input.username,
                staff.role.as_str(),
                role.as_str(),
                staff.active,
                input.active
            );
            security::admin_change("staff_updated", &caller, addr, sid, &detail);
            Ok(see_other(staff_home(staff.hall_id, "staff-saved")))
        }
        Err(m) => staff_rejected(&s, &caller, staff.hall_id, Failed::Staff(sid, form, m)).await,
    }
}

async fn reset_password(
    State(s): State<AppState>,
    addr: ClientAddr,
    Path(sid): Path<i64>,
    SignedForm(caller, f): SignedForm<Fields>,
) -> Result<Response, PageError> {
    let staff = s.store.staff(sid).await?;
    require_staff_access(&caller, staff.hall_id, staff.role)?;
    let password = f.raw("password");
    if let Err(m) = check_password(&password) {
        return staff_rejected(&s, &caller, staff.hall_id, Failed::Password(sid, m)).await;
    }
    let hash = hash_password_async(password).await?;
    match split(s.store.set_password(sid, &hash).await)? {
        Ok(()) => {
            // The reset ended the person's sessions; their open streams end with them.
            s.credentials.end_staff(sid);
            security::admin_change("password_reset", &caller, addr, sid, &staff.username);
            Ok(see_other(staff_home(staff.hall_id, "password-reset")))
        }
        Err(m) => staff_rejected(&s, &caller, staff.hall_id, Failed::Password(sid, m)).await,
    }
}

// ---- devices ----

async fn create_device(
    State(s): State<AppState>,
    addr: ClientAddr,
    Path(id): Path<i64>,
    SignedForm(caller, f): SignedForm<Fields>,
) -> Result<Response, PageError> {
    caller.require(Permission::Administer, id)?;
    let hall = s.store.hall(id).await?;
    let form = DeviceForm::read(&f);
    let (kind, name, number) = match form.parsed() {
        Ok(p) => p,
        Err(m) => return hall_rejected(&s, &caller, id, Failed::NewDevice(form, m)).await,
    };
    let counters = s.store.counters(id).await?;
    let counter = match number {
        None => None,
        Some(n) => match counters.iter().find(|c| c.number == n) {
            Some(c) => Some(c),
            None => {
                let m = format!("本厅没有 {n} 号柜台 · this hall has no counter {n}");
                return hall_rejected(&s, &caller, id, Failed::NewDevice(form, m)).await;
            }
        },
    };
    let token = new_token();
    let saved = split(
        s.store
            .create_device(
                id,
                counter.map(|c| c.id),
                kind,
                &name,
                &hash_token(&token),
                s.now(),
            )
            .await,
    )?;
    match saved {
        Ok(device) => {
            let detail = format!("{:?} hall {id}", device.kind);
            security::admin_change("device_created", &caller, addr, device.id, &detail);
            let page =
                DeviceTokenPage::new(&caller, hall, device, counter.map(|c| c.number), token);
            let mut res = respond(&page, StatusCode::OK)?;
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            Ok(res)
        }
        Err(m) => hall_rejected(&s, &caller, id, Failed::NewDevice(form, m)).await,
    }
}

async fn revoke_device(
    State(s): State<AppState>,
    addr: ClientAddr,
    Path(did): Path<i64>,
    SignedForm(caller, f): SignedForm<Fields>,
) -> Result<Response, PageError> {
    let hall_id: i64 = f.get("hall_id").parse().map_err(|_| {
        PageError(ApiError::bad_request(
            "表单缺少营业厅，请刷新页面 · the form lacks its hall; reload the page",
        ))
    })?;
    caller.require(Permission::Administer, hall_id)?;
    let known = s.store.devices(hall_id).await?.iter().any(|d| d.id == did);
    if !known {
        return Err(PageError(ApiError::not_found(format!(
            "本厅没有设备 {did} · no device {did} in this hall"
        ))));
    }
    s.store.revoke_device(did).await?;
    s.credentials.end_device(did);
    let detail = format!("hall {hall_id}");
    security::admin_change("device_revoked", &caller, addr, did, &detail);
    Ok(see_other(format!(
        "/admin/halls/{hall_id}?ok=device-revoked#devices"
    )))
}
