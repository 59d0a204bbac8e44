//! Case configuration over JSON (administrators and hall managers): a hall's clock settings
//! (warning shares, pause cap) and its processes — the steps of each business type and
//! customer class, each step's clocks with kind, limit and source. A change applies to
//! cases opened after it; open cases keep the limits they were opened with.

use crate::api::cases::view::{CaseSettingsView, ProcessDefView};
use crate::api::{JsonBody, resolve_hall};
use crate::error::{ApiError, ApiResult};
use crate::{AppState, auth::Caller};
use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use servicehall_domain::access::Permission;
use servicehall_domain::cases::settings::SRC_SETTINGS;
use servicehall_domain::cases::{CaseKind, CaseSettings, CustomerClass, Process, default_process};
use servicehall_store::{CONFIGURABLE_KINDS, Hall};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    use crate::api::access_rule::{Access::*, access};
    use servicehall_domain::access::Permission as P;
    OpenApiRouter::new()
        .routes(access(Perm(P::Administer), routes!(show)))
        .routes(access(Perm(P::Administer), routes!(set_settings)))
        .routes(access(Perm(P::Administer), routes!(set_process)))
}

#[derive(Serialize, ToSchema)]
pub struct SettingsView {
    pub owner_permille: u32,
    pub manager_permille: u32,
    pub pause_cap_hours: u32,
    pub updated_at: Option<i64>,
    pub updated_by: Option<i64>,
    /// Where the defaults come from.
    pub source: String,
    pub defaults: CaseSettingsView,
}

/// One process the hall uses: as configured now and as shipped.
#[derive(Serialize, ToSchema)]
pub struct ProcessView {
    pub kind: String,
    pub kind_zh: String,
    pub business_type: Option<String>,
    pub business_type_zh: Option<String>,
    pub customer_class: Option<String>,
    pub customer_class_zh: Option<String>,
    /// Edited by an administrator (else the shipped default is in force).
    pub customised: bool,
    pub updated_at: i64,
    pub process: ProcessDefView,
    pub default_process: ProcessDefView,
}

#[derive(Serialize, ToSchema)]
pub struct CaseConfigView {
    pub hall: String,
    pub settings: SettingsView,
    pub processes: Vec<ProcessView>,
}

async fn admin_hall(s: &AppState, caller: &Caller, hall: &str) -> ApiResult<Hall> {
    let hall = resolve_hall(s.store.as_ref(), hall).await?;
    caller.require(Permission::Administer, hall.id)?;
    Ok(hall)
}

fn class_key(kind: CaseKind, class: Option<CustomerClass>) -> Option<CustomerClass> {
    (kind == CaseKind::Application).then_some(class).flatten()
}

/// The hall's clock settings and every process it uses (complaints, opinions, inquiries,
/// and each active business type × customer class).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/case-config", tag = "cases",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, body = CaseConfigView), (status = 403, body = crate::error::Problem)))]
pub async fn show(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<Json<CaseConfigView>> {
    let hall = admin_hall(&s, &caller, &hall).await?;
    let stored = s.store.case_settings(hall.id).await?;
    let configured = s.store.configured_processes(hall.id).await?;
    let types = s.store.business_types(hall.id).await?;
    let mut processes = Vec::new();
    for kind in CONFIGURABLE_KINDS {
        let combos: Vec<(
            Option<&servicehall_store::BusinessType>,
            Option<CustomerClass>,
        )> = if kind == CaseKind::Application {
            types
                .iter()
                .filter(|b| b.active)
                .flat_map(|b| CustomerClass::ALL.map(|c| (Some(b), Some(c))))
                .collect()
        } else {
            vec![(None, None)]
        };
        for (bt, class) in combos {
            let shipped = default_process(
                kind,
                bt.map(|b| b.code.as_str()),
                class.unwrap_or(CustomerClass::Resident),
            );
            let found = configured.iter().find(|p| {
                p.kind == kind
                    && p.business_type_id == bt.map(|b| b.id)
                    && class_key(kind, p.customer_class) == class
            });
            processes.push(ProcessView {
                kind: kind.as_str().into(),
                kind_zh: kind.label_zh().into(),
                business_type: bt.map(|b| b.code.clone()),
                business_type_zh: bt.map(|b| b.name_zh.clone()),
                customer_class: class.map(|c| c.as_str().into()),
                customer_class_zh: class.map(|c| c.label_zh().into()),
                customised: found.is_some_and(|p| p.updated_at > 0),
                updated_at: found.map_or(0, |p| p.updated_at),
                process: found.map_or_else(|| (&shipped).into(), |p| (&p.process).into()),
                default_process: (&shipped).into(),
            });
        }
    }
    Ok(Json(CaseConfigView {
        hall: hall.code,
        settings: SettingsView {
            owner_permille: stored.settings.owner_permille,
            manager_permille: stored.settings.manager_permille,
            pause_cap_hours: stored.settings.pause_cap_hours,
            updated_at: stored.updated_at,
            updated_by: stored.updated_by,
            source: SRC_SETTINGS.into(),
            defaults: (&CaseSettings::default()).into(),
        },
        processes,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsBody {
    /// Owner reminder at this share of the limit, in ‰ (default 500 = 50 %).
    pub owner_permille: u32,
    /// Hall-manager warning (bar turns amber), in ‰ (default 800 = 80 %).
    pub manager_permille: u32,
    /// Paused time excused per clock, in hours (default 720 = 30 days).
    pub pause_cap_hours: u32,
}

/// Saves the hall's clock settings; cases opened from now on use them.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/case-config/settings", tag = "cases",
    params(("hall" = String, Path, description = "hall code or id")), request_body = SettingsBody,
    responses((status = 200, body = CaseConfigView), (status = 422, body = crate::error::Problem)))]
pub async fn set_settings(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    JsonBody(b): JsonBody<SettingsBody>,
) -> ApiResult<Json<CaseConfigView>> {
    let h = admin_hall(&s, &caller, &hall).await?;
    let by = caller
        .staff
        .as_ref()
        .ok_or_else(|| {
            ApiError::forbidden(
                "设置须由登录的人员修改 · settings are changed by a signed-in person",
            )
        })?
        .id;
    let settings = CaseSettings {
        owner_permille: b.owner_permille,
        manager_permille: b.manager_permille,
        pause_cap_hours: b.pause_cap_hours,
    };
    s.store
        .set_case_settings(h.id, &settings, by, s.now())
        .await?;
    show(State(s), caller, Path(hall)).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProcessBody {
    /// application, complaint, opinion or inquiry_follow_up.
    pub kind: String,
    /// The business type's code (applications only).
    pub business_type: Option<String>,
    /// resident, low_voltage, hv_single or hv_dual (applications only).
    pub customer_class: Option<String>,
    /// Steps in order, each with its clocks: `{code, kind, amount: {unit, n}, starts, source}`.
    #[schema(value_type = ProcessDefView)]
    pub process: Process,
}

/// Replaces one process of the hall; cases opened from now on follow it.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/case-config/process", tag = "cases",
    params(("hall" = String, Path, description = "hall code or id")), request_body = ProcessBody,
    responses((status = 200, body = CaseConfigView), (status = 422, body = crate::error::Problem)))]
pub async fn set_process(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    JsonBody(b): JsonBody<ProcessBody>,
) -> ApiResult<Json<CaseConfigView>> {
    let h = admin_hall(&s, &caller, &hall).await?;
    let kind: CaseKind = b.kind.parse().map_err(ApiError::unprocessable)?;
    if !CONFIGURABLE_KINDS.contains(&kind) {
        return Err(ApiError::unprocessable(format!(
            "{kind} 流程随评价设置而定，请在评价设置中配置 · the {kind} process follows the feedback settings; configure it there"
        )));
    }
    let (bt, class) = if kind == CaseKind::Application {
        let code = b.business_type.as_deref().ok_or_else(|| {
            ApiError::unprocessable("业务申请流程须注明业务类型 business_type（其代码）· an application process needs business_type (its code)")
        })?;
        let bt = s
            .store
            .business_types(h.id)
            .await?
            .into_iter()
            .find(|t| t.code == code)
            .ok_or_else(|| {
                ApiError::unprocessable(format!(
                    "营业厅 {} 没有业务类型 {code:?} · unknown business type {code:?} in this hall",
                    h.code
                ))
            })?;
        let class: CustomerClass = b
            .customer_class
            .as_deref()
            .ok_or_else(|| {
                ApiError::unprocessable(
                    "业务申请流程须注明客户类别 customer_class：resident、low_voltage、hv_single 或 hv_dual · an application process needs customer_class: resident, low_voltage, hv_single or hv_dual",
                )
            })?
            .parse()
            .map_err(ApiError::unprocessable)?;
        (Some(bt.id), class)
    } else {
        if b.business_type.is_some() || b.customer_class.is_some() {
            return Err(ApiError::unprocessable(format!(
                "{kind} 流程每厅只有一个；请不要填写 business_type 和 customer_class · a {kind} process is one per hall; leave out business_type and customer_class"
            )));
        }
        (None, CustomerClass::Resident)
    };
    s.store
        .set_case_process(h.id, kind, bt, class, &b.process, s.now())
        .await?;
    show(State(s), caller, Path(hall)).await
}
