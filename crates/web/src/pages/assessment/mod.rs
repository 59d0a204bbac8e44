//! 督查 · 考核 screens: `/conformance` (the standard measured for a hall or a region, month
//! by month) and `/indicators` (the library: what each figure means and where it comes from).
//! Hall managers see their hall; supervisors and administrators the halls and regions of
//! their scope.

mod format;
mod visits;

use crate::AppState;
use crate::api::assessment::measure;
use crate::api::assessment::view::{ConformanceHallView, IndicatorView};
use crate::auth::Caller;
use crate::error::{ApiError, PageError};
use crate::pages::{Chrome, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use format::{ItemRow, group_rows};
use servicehall_domain::access::Permission;
use servicehall_domain::assessment::INDICATORS;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/conformance", get(conformance))
        .route("/indicators", get(indicators))
        .route("/conformance/visits", get(visits::visits))
}

#[derive(serde::Deserialize, Default)]
struct PageQuery {
    /// `hall:CODE` or `region:ID`
    scope: Option<String>,
    /// `YYYY-MM`
    month: Option<String>,
}

struct ScopeOption {
    value: String,
    label: String,
    selected: bool,
}

struct Group {
    label_zh: &'static str,
    label_en: &'static str,
    rows: Vec<ItemRow>,
}

#[derive(Template)]
#[template(path = "assessment/conformance.html")]
struct ConformancePage {
    chrome: Chrome,
    scopes: Vec<ScopeOption>,
    scope_label: String,
    month: String,
    first_month: String,
    met: usize,
    not_met: usize,
    no_data: usize,
    groups: Vec<Group>,
    halls: Vec<ConformanceHallView>,
    month_q: String,
}

fn bad(msg: String) -> PageError {
    PageError(ApiError::bad_request(msg))
}

async fn conformance(
    State(s): State<AppState>,
    caller: Result<Caller, ApiError>,
    Query(q): Query<PageQuery>,
) -> Result<impl IntoResponse, PageError> {
    let caller = caller?;
    caller.require_any(Permission::ViewStats)?;
    caller.require_person()?;
    let visible = crate::scope::visible_halls(&s, &caller.actor).await?;
    let first = visible.first().cloned().ok_or_else(|| {
        PageError(ApiError::not_found(
            "尚未设置营业厅，请在“管理”中创建 · no hall is set up yet; create one under 管理 Admin",
        ))
    })?;
    // Regions the caller may pick: all for deployment-wide staff, their own subtree otherwise.
    let tree = s.store.region_tree().await?;
    let own_region = caller.staff.as_ref().and_then(|p| p.region_id);
    let mut scopes: Vec<(String, String)> = Vec::new();
    if caller.actor.hall_id.is_none() {
        for (depth, r) in tree.in_order() {
            if own_region.is_none_or(|o| tree.contains(o, r.id)) {
                let indent = "　".repeat(depth);
                scopes.push((
                    format!("region:{}", r.id),
                    format!("{indent}{} 区域", r.name_zh),
                ));
            }
        }
    }
    for h in &visible {
        scopes.push((format!("hall:{}", h.code), format!("{} {}", h.code, h.name)));
    }
    let scope = q
        .scope
        .clone()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| format!("hall:{}", first.code));
    let month = measure::month_or_now(&s, q.month.as_deref(), Some(&first))?;
    let view = if let Some(code) = scope.strip_prefix("hall:") {
        let h = visible.iter().find(|h| h.code == code).ok_or_else(|| {
            bad(format!(
                "营业厅 {code} 不在您的范围内，请从列表中选择 · hall {code} is not in your scope; pick one from the list"
            ))
        })?;
        let label = format!("{} {}", h.code, h.name);
        measure::conformance(
            &s,
            std::slice::from_ref(h),
            month,
            scope.clone(),
            label,
            false,
        )
        .await?
    } else {
        let id: i64 = scope
            .strip_prefix("region:")
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| {
                bad(format!(
                    "范围 scope 须为 hall:代码 或 region:编号（收到 {scope:?}）· scope must be hall:CODE or region:ID, got {scope:?}"
                ))
            })?;
        if caller.actor.hall_id.is_some() {
            return Err(PageError(ApiError::forbidden(
                "区域达标情况供营业厅以上的人员查看；请查看本厅 · regional conformance is for staff above halls; look at your own hall",
            )));
        }
        let (halls, label) = crate::api::assessment::region_halls(&s, &caller, id).await?;
        measure::conformance(&s, &halls, month, scope.clone(), label, true).await?
    };
    let groups = group_rows(&view)
        .into_iter()
        .map(|(g, rows)| Group {
            label_zh: g.label_zh(),
            label_en: g.label_en(),
            rows,
        })
        .collect();
    let page = ConformancePage {
        chrome: Chrome::staff("标准达标 Conformance", "/conformance", Some(&caller)),
        scopes: scopes
            .into_iter()
            .map(|(value, label)| ScopeOption {
                selected: value == scope,
                value,
                label,
            })
            .collect(),
        scope_label: view.scope_zh.clone(),
        month: view.month.clone(),
        first_month: view.months.first().cloned().unwrap_or_default(),
        met: view.met,
        not_met: view.not_met,
        no_data: view.no_data,
        groups,
        halls: view.halls.clone(),
        month_q: view.month.clone(),
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "assessment/indicators.html")]
struct IndicatorsPage {
    chrome: Chrome,
    indicators: Vec<IndicatorView>,
    /// Manual entries (人工登记) kept in the caller's halls over the twelve months the
    /// conformance page shows: marked where served is defined.
    manual: i64,
}

async fn indicators(
    State(s): State<AppState>,
    caller: Result<Caller, ApiError>,
) -> Result<impl IntoResponse, PageError> {
    let caller = caller?;
    caller.require_any(Permission::ViewStats)?;
    caller.require_person()?;
    let halls = crate::scope::visible_halls(&s, &caller.actor).await?;
    let ids: Vec<i64> = halls.iter().map(|h| h.id).collect();
    let month = measure::month_or_now(&s, None, halls.first())?;
    let ym =
        |m: servicehall_domain::assessment::Month| i64::from(m.year) * 100 + i64::from(m.month);
    s.store.refresh_assessment(&ids, s.now()).await?;
    let manual = s
        .store
        .assessment_months(&ids, ym(month.back(11)), ym(month))
        .await?
        .iter()
        .filter(|f| f.indicator == "manual_entries")
        .map(|f| f.num)
        .sum();
    render(&IndicatorsPage {
        chrome: Chrome::staff("指标库 Indicators", "/indicators", Some(&caller)),
        indicators: INDICATORS.iter().map(IndicatorView::from).collect(),
        manual,
    })
}
