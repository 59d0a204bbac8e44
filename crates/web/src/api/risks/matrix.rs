//! The hall's risk matrix (风险矩阵): read by whoever keeps the register, changed by a
//! supervisor or an administrator (one matrix for the halls they compare), checked by the
//! domain (bands from 1 to the top score without gaps, `#rrggbb` colours the heat map's
//! text reads on) and audited band by band by the store. The register and the heat maps read
//! it on every request, so a change shows at once.

use super::{actor, hall_of};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use servicehall_domain::Role;
use servicehall_domain::access::ActorKind;
use servicehall_domain::risks::bands::{TEXT, contrast, ranges};
use servicehall_domain::risks::{Band, Matrix};
use utoipa::ToSchema;

/// One band of the matrix with the scores it covers.
#[derive(Debug, Serialize, ToSchema)]
pub struct BandView {
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    pub min_score: u32,
    /// The last score in the band: up to the next band's start, the last to size².
    pub max_score: u32,
    /// `#rrggbb`
    pub colour: String,
    /// Contrast of the heat map's text on the colour (WCAG; at least 4.5).
    pub contrast: f64,
    pub review_days: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatrixView {
    pub size: u8,
    pub bands: Vec<BandView>,
    /// Whether the caller may change it (supervisors and administrators).
    pub editable: bool,
}

impl MatrixView {
    pub fn new(m: &Matrix, editable: bool) -> Self {
        Self {
            size: m.size,
            bands: ranges(m)
                .into_iter()
                .map(|(b, to)| BandView {
                    key: b.key.clone(),
                    name_zh: b.name_zh.clone(),
                    name_en: b.name_en.clone(),
                    min_score: b.min_score,
                    max_score: to,
                    colour: b.colour.clone(),
                    contrast: (contrast(&b.colour, TEXT).unwrap_or(0.0) * 10.0).round() / 10.0,
                    review_days: b.review_days,
                })
                .collect(),
            editable,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BandBody {
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    pub min_score: u32,
    pub colour: String,
    pub review_days: u32,
}

/// A new matrix: its bands in ascending order of `min_score`; the size stays when left out.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MatrixBody {
    pub size: Option<u8>,
    pub bands: Vec<BandBody>,
}

/// Supervisors and administrators change matrices; hall managers read theirs.
pub fn may_edit(caller: &Caller) -> bool {
    matches!(
        caller.actor.kind,
        ActorKind::Person(Role::Supervisor | Role::Admin)
    )
}

/// The hall's matrix and its bands.
#[utoipa::path(get, path = "/api/v1/halls/{hall}/risk-matrix", tag = "risks",
    params(("hall" = String, Path, description = "hall code or id")),
    responses((status = 200, body = MatrixView), (status = 403, body = crate::error::Problem)))]
pub async fn show_matrix(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
) -> ApiResult<Json<MatrixView>> {
    let hall = hall_of(&s, &caller, &hall).await?;
    let m = s.store.risk_matrix(hall.id).await?;
    Ok(Json(MatrixView::new(&m, may_edit(&caller))))
}

/// Changes the hall's matrix (supervisor, administrator); each changed band is audited.
#[utoipa::path(put, path = "/api/v1/halls/{hall}/risk-matrix", tag = "risks",
    params(("hall" = String, Path, description = "hall code or id")),
    request_body = MatrixBody,
    responses((status = 200, body = MatrixView), (status = 403, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem, description = "the band or colour to fix, named")))]
pub async fn set_matrix(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    crate::api::JsonBody(body): crate::api::JsonBody<MatrixBody>,
) -> ApiResult<Json<MatrixView>> {
    let hall = hall_of(&s, &caller, &hall).await?;
    if !may_edit(&caller) {
        return Err(ApiError::forbidden(
            "风险矩阵由督查或系统管理员设置 · the risk matrix is set by a supervisor or an administrator",
        ));
    }
    let by = actor(&caller)?.staff_id;
    let old = s.store.risk_matrix(hall.id).await?;
    let m = checked(body, &old)?;
    s.store.set_risk_matrix(hall.id, &m, by, s.now()).await?;
    Ok(Json(MatrixView::new(&m, true)))
}

/// The matrix a body asks for, trimmed and checked by the domain (the size stays when left
/// out); shared by the hall's and the region's matrix.
pub fn checked(body: MatrixBody, old: &Matrix) -> ApiResult<Matrix> {
    let m = Matrix {
        size: body.size.unwrap_or(old.size),
        bands: body
            .bands
            .into_iter()
            .map(|b| Band {
                key: b.key.trim().into(),
                name_zh: b.name_zh.trim().into(),
                name_en: b.name_en.trim().into(),
                min_score: b.min_score,
                colour: b.colour.trim().to_ascii_lowercase(),
                review_days: b.review_days,
            })
            .collect(),
    };
    if m.bands.is_empty() {
        return Err(ApiError::unprocessable(
            "风险矩阵至少需要一个等级 · the matrix needs at least one band",
        ));
    }
    m.validate()
        .map_err(|e| ApiError::unprocessable(e.to_string()))?;
    Ok(m)
}
