//! 区域风险 · a region's register screen (`/risks?region=CODE`): the region's own risks with
//! their heat map, and a roll-up heat map counting the hall risks of every hall under the
//! region (counts per cell, never averages). New region risks (`/risks/new?region=CODE`) and
//! one region risk (`/risks/{id}`) use the hall register's form without its KRIs.

use super::charts::{Cell, heat_map};
use super::{RiskPage, form_choices, history_lines};
use crate::AppState;
use crate::api::risks::region::{region_scope, region_today, roll_up_of};
use crate::api::risks::view::RiskView;
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::{Chrome, json_for_script, render};
use askama::Template;
use axum::response::{IntoResponse, Response};
use servicehall_domain::Role;
use servicehall_domain::access::ActorKind;
use servicehall_domain::regions::Region;
use servicehall_domain::risks::Band;
use servicehall_domain::risks::region::{RegionCaller, RegionRiskAccess, region_access};
use servicehall_store::Risk;

/// Region registers the caller may open, parents first: (code, name with its path).
pub async fn readable(s: &AppState, caller: &Caller) -> Result<Vec<(String, String)>, PageError> {
    let ActorKind::Person(role) = caller.actor.kind else {
        return Ok(Vec::new());
    };
    if !matches!(role, Role::Admin | Role::Supervisor | Role::HallManager) {
        return Ok(Vec::new());
    }
    let own = match (caller.actor.hall_id, &caller.staff) {
        (Some(h), _) => s.store.hall(h).await?.region_id,
        (None, Some(st)) => st.region_id,
        (None, None) => None,
    };
    let who = RegionCaller {
        role,
        hall: caller.actor.hall_id,
        region: own,
    };
    let tree = s.store.region_tree().await?;
    Ok(tree
        .in_order()
        .into_iter()
        .filter(|(_, r)| region_access(who, &tree, r.id) != RegionRiskAccess::None)
        .map(|(_, r)| (r.code.clone(), tree.path_zh(r.id)))
        .collect())
}

/// One cell of the roll-up: its colour and band on the region's matrix, and the count.
struct RollCell {
    likelihood: u8,
    impact: u8,
    score: u32,
    colour: String,
    band_zh: String,
    band_en: String,
    count: u32,
}

#[derive(Template)]
#[template(path = "risks/region.html")]
struct RegionPage {
    chrome: Chrome,
    region: Region,
    path: String,
    regions: Vec<(String, String)>,
    can_edit: bool,
    risks: Vec<RiskView>,
    residual: Vec<Vec<Cell>>,
    rollup: Vec<Vec<RollCell>>,
    rollup_total: u32,
    rollup_outside: u32,
    rollup_halls: usize,
    bands: Vec<Band>,
    due: usize,
    sample: bool,
}

pub(super) async fn register(
    s: &AppState,
    caller: &Caller,
    code: &str,
) -> Result<Response, PageError> {
    let (region, access) = region_scope(s, caller, code).await?;
    let (m, roll) = roll_up_of(s, &region).await?;
    let rows = s.store.region_risks(region.id).await?;
    let day = region_today(s);
    let risks: Vec<RiskView> = rows.iter().map(|r| RiskView::new(r, &m, day)).collect();
    let rollup = m
        .grid()
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|(r, band)| RollCell {
                    likelihood: r.likelihood,
                    impact: r.impact,
                    score: u32::from(r.likelihood) * u32::from(r.impact),
                    colour: band.colour.clone(),
                    band_zh: band.name_zh.clone(),
                    band_en: band.name_en.clone(),
                    count: roll
                        .counts
                        .get(usize::from(r.likelihood).saturating_sub(1))
                        .and_then(|l| l.get(usize::from(r.impact).saturating_sub(1)))
                        .copied()
                        .unwrap_or(0),
                })
                .collect()
        })
        .collect();
    let tree = s.store.region_tree().await?;
    Ok(render(&RegionPage {
        chrome: Chrome::staff("区域风险 Region risks", "/risks", Some(caller)),
        path: tree.path_zh(region.id),
        regions: readable(s, caller).await?,
        can_edit: access == RegionRiskAccess::Edit,
        residual: heat_map(&m, &rows, true),
        rollup,
        rollup_total: roll.total,
        rollup_outside: roll.outside,
        rollup_halls: roll.halls,
        bands: m.bands.clone(),
        due: risks.iter().filter(|r| r.review_due).count(),
        sample: risks.iter().any(|r| r.sample),
        risks,
        region,
    })?
    .into_response())
}

/// Who may own a region risk: staff above halls and the managers of its halls.
async fn owners(s: &AppState, region: &Region) -> Result<Vec<(i64, String)>, PageError> {
    let halls = s.store.region_halls(region.id).await?;
    let tree = s.store.region_tree().await?;
    let mut out = Vec::new();
    for p in s.store.staff_list(None).await? {
        if !p.active {
            continue;
        }
        let above = p.hall_id.is_none()
            && matches!(p.role, Role::Supervisor | Role::Admin)
            && p.region_id
                .is_none_or(|l| tree.contains(l, region.id) || tree.contains(region.id, l));
        let manager = p.role == Role::HallManager && p.hall_id.is_some_and(|h| halls.contains(&h));
        if above || manager {
            out.push((p.id, format!("{} · {}", p.name, p.role.label_zh())));
        }
    }
    Ok(out)
}

pub(super) async fn new_risk(
    s: &AppState,
    caller: &Caller,
    code: &str,
) -> Result<Response, PageError> {
    let region = crate::api::risks::region::region_to_edit(s, caller, code).await?;
    let m = s.store.region_risk_matrix(region.id).await?;
    Ok(render(&RiskPage {
        chrome: Chrome::staff("登记区域风险 New region risk", "/risks", Some(caller)),
        scope_name: region.name_zh.clone(),
        back: format!("/risks?region={}", region.code),
        region: true,
        can_edit: true,
        c: form_choices(owners(s, &region).await?, m.size),
        risk: None,
        kris: Vec::new(),
        trend: String::new(),
        history: Vec::new(),
        data: json_for_script(&serde_json::json!({ "region": region.code, "risk": null })),
    })?
    .into_response())
}

pub(super) async fn show(s: &AppState, caller: &Caller, r: Risk) -> Result<Response, PageError> {
    let key = r.region_id.unwrap_or_default().to_string();
    let (region, access) = region_scope(s, caller, &key).await?;
    let m = s.store.region_risk_matrix(region.id).await?;
    let changes = s.store.risk_changes(r.id).await?;
    let (trend, history) = history_lines(&changes, chrono_tz::Asia::Shanghai);
    Ok(render(&RiskPage {
        chrome: Chrome::staff(&format!("{} {}", r.code, r.title), "/risks", Some(caller)),
        scope_name: region.name_zh.clone(),
        back: format!("/risks?region={}", region.code),
        region: true,
        can_edit: access == RegionRiskAccess::Edit,
        c: form_choices(owners(s, &region).await?, m.size),
        trend,
        history,
        kris: Vec::new(),
        data: json_for_script(&serde_json::json!({ "region": region.code, "risk": r.id })),
        risk: Some(RiskView::new(&r, &m, region_today(s))),
    })?
    .into_response())
}
