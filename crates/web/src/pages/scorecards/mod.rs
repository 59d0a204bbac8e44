//! 考核 · 红黑榜 screens: `/scorecards` (a hall's card and its clerks' cards, each line
//! explained down to its records), `/ranking` (the region's 红黑榜 with arrows, and the
//! month-end freeze), `/admin/scorecard-schemes` (the weights editor) and `/appeals`.
//! Everything is read through the API folder's read model (`api::scorecards::compute`).

mod admin;
mod counters;

use crate::AppState;
use crate::api::assessment::measure;
use crate::api::scorecards::view::{RankingView, ScorecardView};
use crate::api::scorecards::{compute, may_see_staff, this_month};
use crate::auth::Caller;
use crate::error::{ApiError, PageError};
use crate::pages::{Chrome, hall_for, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use servicehall_domain::access::{Permission, Role};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/scorecards", get(scorecards))
        .route("/ranking", get(ranking))
        .route("/admin/scorecard-schemes", get(admin::schemes))
        .route("/appeals", get(admin::appeals))
}

#[derive(serde::Deserialize, Default)]
struct CardQuery {
    hall: Option<String>,
    month: Option<String>,
    /// hall, clerk or counter
    tab: Option<String>,
    staff: Option<i64>,
    counter: Option<i64>,
}

/// A clerk (or counter) of the hall with their month's total.
struct ClerkRow {
    id: i64,
    label: String,
    total: String,
    selected: bool,
}

struct HallOption {
    code: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "scorecards/scorecards.html")]
struct ScorecardsPage {
    chrome: Chrome,
    halls: Vec<HallOption>,
    hall_code: String,
    month: String,
    tab: String,
    /// Whether the caller may see the hall tab (a clerk sees only their own card).
    sees_hall: bool,
    clerks: Vec<ClerkRow>,
    card: Option<ScorecardView>,
}

fn one(v: Option<f64>) -> String {
    v.map_or("—".into(), |t| format!("{t:.1}"))
}

async fn scorecards(
    State(s): State<AppState>,
    caller: Result<Caller, ApiError>,
    Query(q): Query<CardQuery>,
) -> Result<impl IntoResponse, PageError> {
    let caller = caller?;
    caller.require_person()?;
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    let sees_hall = caller.actor.may(Permission::ViewStats, hall.id);
    let own = caller.staff.as_ref().map(|p| p.id);
    if !sees_hall && !caller.actor.may(Permission::OperateCounter, hall.id) {
        return Err(PageError(ApiError::forbidden(
            "考核供营业厅经理、督查与员工本人查看 · scorecards are for hall managers, supervisors and each clerk's own",
        )));
    }
    let month = measure::month_or_now(&s, q.month.as_deref(), Some(&hall))?;
    let tree = s.store.region_tree().await?;
    let tab = if sees_hall {
        q.tab
            .clone()
            .filter(|t| t == "clerk" || t == "counter")
            .unwrap_or_else(|| "hall".into())
    } else {
        "clerk".into()
    };
    let mut clerks = Vec::new();
    let card = if tab == "hall" {
        Some(compute::hall_card(&s, &tree, &hall, month).await?)
    } else if tab == "counter" {
        let (rows, card) = counters::counter_rows(&s, &tree, &hall, q.counter, month).await?;
        clerks = rows;
        card
    } else {
        let staff: Vec<_> = s
            .store
            .staff_list(Some(hall.id))
            .await?
            .into_iter()
            .filter(|p| p.active && p.role == Role::Clerk)
            .filter(|p| sees_hall || Some(p.id) == own)
            .collect();
        let chosen = q.staff.or(if sees_hall {
            staff.first().map(|p| p.id)
        } else {
            own
        });
        let mut card = None;
        for p in &staff {
            let c = compute::personal_card(&s, &tree, &hall, p, month).await?;
            clerks.push(ClerkRow {
                id: p.id,
                label: format!("{} {}", p.badge_no, p.name),
                total: one(c.total),
                selected: Some(p.id) == chosen,
            });
            if Some(p.id) == chosen {
                may_see_staff(&caller, &hall, p.id)?;
                card = Some(c);
            }
        }
        if let (Some(id), None) = (chosen, &card) {
            may_see_staff(&caller, &hall, id)?;
        }
        card
    };
    let halls = crate::scope::visible_halls(&s, &caller.actor)
        .await?
        .into_iter()
        .map(|h| HallOption {
            selected: h.id == hall.id,
            label: format!("{} {}", h.code, h.name),
            code: h.code,
        })
        .collect();
    render(&ScorecardsPage {
        chrome: Chrome::staff("考核 Scorecards", "/scorecards", Some(&caller)),
        halls,
        hall_code: hall.code.clone(),
        month: month.to_string(),
        tab,
        sees_hall,
        clerks,
        card,
    })
}

#[derive(serde::Deserialize, Default)]
struct RankQuery {
    region: Option<i64>,
    month: Option<String>,
}

struct RegionOption {
    id: i64,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "scorecards/ranking.html")]
struct RankingPage {
    chrome: Chrome,
    regions: Vec<RegionOption>,
    month: String,
    ranking: Option<RankingView>,
    /// The region's own card (from its halls' summed counts).
    region_card: Option<ScorecardView>,
    /// The month has ended and is not frozen yet: the freeze button shows.
    can_freeze: bool,
}

/// The regions a supervisor or administrator may pick, indented by depth.
async fn region_options(
    s: &AppState,
    caller: &Caller,
    selected: Option<i64>,
) -> Result<Vec<RegionOption>, PageError> {
    let tree = s.store.region_tree().await?;
    let own = caller.staff.as_ref().and_then(|p| p.region_id);
    let mut out = Vec::new();
    for (depth, r) in tree.in_order() {
        if own.is_none_or(|o| tree.contains(o, r.id)) {
            out.push(RegionOption {
                id: r.id,
                label: format!("{}{} {}", "　".repeat(depth), r.name_zh, r.code),
                selected: false,
            });
        }
    }
    let pick = selected
        .filter(|id| out.iter().any(|o| o.id == *id))
        .or_else(|| {
            // Default: the first region with halls below the top (a city), else the first.
            out.iter()
                .find(|o| tree.get(o.id).is_some_and(|r| r.parent_id.is_some()))
                .or(out.first())
                .map(|o| o.id)
        });
    for o in &mut out {
        o.selected = Some(o.id) == pick;
    }
    Ok(out)
}

fn above_halls(caller: &Caller) -> Result<(), PageError> {
    caller.require_person()?;
    caller.require_any(Permission::ViewStats)?;
    if caller.actor.hall_id.is_some() {
        return Err(PageError(ApiError::forbidden(
            "红黑榜与考核方案由督查管理；请在“考核”中查看本厅 · the ranking and schemes are kept by supervisors; see your hall under 考核 Scorecards",
        )));
    }
    Ok(())
}

async fn ranking(
    State(s): State<AppState>,
    caller: Result<Caller, ApiError>,
    Query(q): Query<RankQuery>,
) -> Result<impl IntoResponse, PageError> {
    let caller = caller?;
    above_halls(&caller)?;
    let regions = region_options(&s, &caller, q.region).await?;
    let region = regions.iter().find(|r| r.selected).map(|r| r.id);
    let mut month = measure::month_or_now(&s, q.month.as_deref(), None)?;
    if q.month.as_deref().is_none_or(|m| m.trim().is_empty()) {
        // The ranking people look for is last month's, the one that can be frozen.
        month = month.back(1);
    }
    let (ranking, can_freeze) = match region {
        Some(id) => {
            let halls = crate::api::scorecards::supervised_region(&s, &caller, id).await?;
            let tree = s.store.region_tree().await?;
            let r = compute::ranking(&s, &tree, id, month, true).await?;
            let ended = month < this_month(&s, halls.first())?;
            let can = ended && !r.frozen && !halls.is_empty();
            (Some(r), can)
        }
        None => (None, false),
    };
    render(&RankingPage {
        chrome: Chrome::staff("红黑榜 Ranking", "/ranking", Some(&caller)),
        regions,
        month: month.to_string(),
        region_card: ranking.as_ref().map(|r| r.region_card.clone()),
        ranking,
        can_freeze,
    })
}
