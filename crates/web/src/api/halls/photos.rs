//! Staff photos (挂牌服务): an administrator, or a hall manager for their own hall, sets a
//! staff member's photo; every screen that shows the badge shows it. The upload is decoded
//! within limits and encoded again, shrunk, with a thumbnail (`crate::photo`), so what is
//! kept and served is a plain JPEG or PNG without EXIF, whatever was sent.

use crate::AppState;
use crate::api::{JsonBody, resolve_hall};
use crate::auth::{Caller, MaybeCaller};
use crate::error::{ApiError, ApiResult};
use crate::security::{self, ClientAddr};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use servicehall_domain::Role;
use servicehall_domain::access::Permission;
use servicehall_store::StaffPhotoInput;
use utoipa::{IntoParams, ToSchema};

/// A new photo for a staff member.
#[derive(Deserialize, ToSchema)]
pub struct StaffPhotoBody {
    /// The image as a `data:image/…;base64,` URL (JPEG or PNG, at most 150 kB; the type is
    /// told by the content, not by the URL).
    pub photo: String,
}

/// Where a staff member's photo is served from.
#[derive(Serialize, ToSchema)]
pub struct StaffPhotoView {
    pub staff_id: i64,
    /// The photo's URL (what `photo` of the staff member and of their counter now says).
    pub photo: String,
    /// The thumbnail's URL.
    pub thumb: String,
}

/// Sets a staff member's photo (replacing the one before).
#[utoipa::path(put, path = "/api/v1/halls/{hall}/staff/{staff}/photo", tag = "halls",
    params(("hall" = String, Path, description = "hall code or id"), ("staff" = i64, Path)),
    request_body = StaffPhotoBody,
    responses((status = 200, body = StaffPhotoView), (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem, description = "not a JPEG or PNG, too big, or unreadable")))]
pub async fn set_photo(
    State(s): State<AppState>,
    caller: Caller,
    addr: ClientAddr,
    Path((hall, staff_id)): Path<(String, i64)>,
    JsonBody(body): JsonBody<StaffPhotoBody>,
) -> ApiResult<Json<StaffPhotoView>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    caller.require(Permission::Administer, hall.id)?;
    caller.require_person()?;
    let staff = s.store.staff(staff_id).await?;
    if staff.hall_id != Some(hall.id) {
        return Err(ApiError::not_found(format!(
            "本厅没有此人员 · staff member {staff_id} does not work in hall {}",
            hall.code
        )));
    }
    if caller.actor.hall_id.is_some() && matches!(staff.role, Role::Admin | Role::Supervisor) {
        return Err(ApiError::forbidden(
            "值班长不能管理系统管理员或督查 · a hall manager may not manage administrators or supervisors",
        ));
    }
    let p = crate::photo::portrait_from_data_url(body.photo)
        .await
        .map_err(|e| ApiError::unprocessable(e.to_string()))?;
    let input = StaffPhotoInput {
        mime: p.kind.mime().into(),
        image: p.image,
        thumb: p.thumb,
    };
    let url = s.store.set_staff_photo(staff_id, &input, s.now()).await?;
    security::admin_change("staff_photo_set", &caller, addr, staff_id, &staff.username);
    Ok(Json(StaffPhotoView {
        staff_id,
        thumb: format!("{url}&size=thumb"),
        photo: url,
    }))
}

#[derive(Deserialize, IntoParams)]
pub struct PhotoQuery {
    /// `thumb` for the thumbnail.
    pub size: Option<String>,
}

/// A staff member's photo or its thumbnail, as its bytes prove (`image/jpeg` or
/// `image/png`), with `nosniff` and a sandboxing CSP. Signed-in people and paired devices
/// see any; anyone else only the photo of a clerk on duty at a counter, as the public hall
/// page shows them (挂牌服务).
#[utoipa::path(get, path = "/api/v1/staff/{id}/photo", tag = "halls",
    params(("id" = i64, Path), PhotoQuery),
    responses((status = 200, description = "the image"), (status = 404, body = crate::error::Problem)))]
pub async fn photo(
    State(s): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    Path(id): Path<i64>,
    Query(q): Query<PhotoQuery>,
) -> ApiResult<Response> {
    let none = || ApiError::not_found(format!("此人员没有照片 · staff member {id} has no photo"));
    if caller.is_none() && !on_duty(&s, id).await? {
        return Err(none());
    }
    let thumb = q.size.as_deref() == Some("thumb");
    let file = s.store.staff_photo(id, thumb).await?.ok_or_else(none)?;
    Ok(crate::photo::serve_bytes(
        file.bytes,
        &format!("staff-{id}{}", if thumb { "-thumb" } else { "" }),
    ))
}

/// Whether the staff member is on duty at a counter of their hall now.
async fn on_duty(s: &AppState, staff_id: i64) -> ApiResult<bool> {
    let Ok(staff) = s.store.staff(staff_id).await else {
        return Ok(false);
    };
    let Some(hall) = staff.hall_id else {
        return Ok(false);
    };
    Ok(s.store
        .counters(hall)
        .await?
        .iter()
        .any(|c| c.clerk.as_ref().is_some_and(|k| k.staff_id == staff_id)))
}
