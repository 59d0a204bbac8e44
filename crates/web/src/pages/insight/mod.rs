//! Satisfaction screens: the figures by hall, counter, clerk or business type with the trend
//! and the Pareto of bad-rating reasons (/insight), and the moments of truth — the touchpoint
//! catalogue with its standards and the emotion curve (/insight/curve). Tables are rendered
//! here, so the numbers read without the charts; insight.js draws the charts from the same
//! data.

mod observations;
mod surveys;

use crate::AppState;
use crate::api::insight::view::FigureView;
use crate::api::insight::view::{
    CurveView, GroupFigures, SatisfactionView, ViewQuery, curve_view, satisfaction_view,
};
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::{Chrome, json_for_script, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use axum::routing::get;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/insight", get(satisfaction))
        .route("/insight/curve", get(curve))
        .merge(observations::routes())
        .merge(surveys::routes())
}

/// One figure as a table cell shows it.
pub struct Cell {
    pub value: String,
    pub ci: String,
    pub n: i64,
    pub too_few: bool,
    pub trend: String,
    /// `up`, `down` or `` — colour of the change (for the bad-rating rate, down is good).
    pub trend_class: &'static str,
}

fn cell(f: &FigureView, trend: Option<f64>, unit: &str, lower_is_better: bool) -> Cell {
    let (value, ci) = match (f.value, f.low, f.high) {
        (Some(v), Some(l), Some(h)) => (format!("{v}{unit}"), format!("{l}–{h}")),
        _ => ("样本不足".into(), "too few responses".into()),
    };
    let (trend, trend_class) = match trend {
        Some(t) if t > 0.0 => (
            format!("▲ {t}"),
            if lower_is_better { "worse" } else { "better" },
        ),
        Some(t) if t < 0.0 => (
            format!("▼ {}", -t),
            if lower_is_better { "better" } else { "worse" },
        ),
        Some(_) => ("＝ 0".into(), ""),
        None => ("—".into(), ""),
    };
    Cell {
        value,
        ci,
        n: f.n,
        too_few: f.too_few,
        trend,
        trend_class,
    }
}

pub struct Row {
    pub label: String,
    pub cells: Vec<Cell>,
}

fn row(g: &GroupFigures) -> Row {
    let f = &g.figures;
    let t = &g.trend;
    Row {
        label: g.label.clone(),
        cells: vec![
            cell(&f.satisfaction, t.satisfaction, "%", false),
            cell(&f.bad, t.bad, "%", true),
            cell(&f.csat, t.csat, "%", false),
            cell(&f.nps, t.nps, "", false),
            cell(&f.csi, t.csi, "", false),
        ],
    }
}

#[derive(Template)]
#[template(path = "insight/satisfaction.html")]
struct SatisfactionPage {
    chrome: Chrome,
    data: String,
    v: SatisfactionView,
    total: Row,
    rows: Vec<Row>,
    halls_param: String,
    can_pick_halls: bool,
    /// `halls=…&region=…`, carried by the page's links.
    scope_query: String,
    regions: Vec<RegionChoice>,
    good_label: &'static str,
    /// A day of the previous and of the next period, for the ← → links of a calendar period.
    prev_at: String,
    next_at: String,
}

/// A region the view can be limited to.
struct RegionChoice {
    code: String,
    label: String,
    selected: bool,
}

/// The regions of the caller's scope (all for deployment-wide staff, their own subtree
/// otherwise; none for hall staff).
async fn region_choices(
    s: &AppState,
    caller: &Caller,
    q: &ViewQuery,
) -> Result<Vec<RegionChoice>, PageError> {
    if caller.actor.hall_id.is_some() {
        return Ok(Vec::new());
    }
    let tree = s.store.region_tree().await?;
    let own = caller.staff.as_ref().and_then(|p| p.region_id);
    let picked = q.region.as_deref().unwrap_or("");
    Ok(tree
        .in_order()
        .into_iter()
        .filter(|(_, r)| own.is_none_or(|o| tree.contains(o, r.id)))
        .map(|(depth, r)| RegionChoice {
            code: r.code.clone(),
            label: format!("{}{}", "　".repeat(depth), r.name_zh),
            selected: r.code == picked,
        })
        .collect())
}

/// The scope part of the page's own links.
fn scope_query(q: &ViewQuery) -> String {
    format!(
        "halls={}&region={}",
        q.halls.as_deref().unwrap_or(""),
        q.region.as_deref().unwrap_or("")
    )
}

fn good_label(good_from: u8) -> &'static str {
    if good_from >= 4 {
        "满意、非常满意 (4–5)"
    } else {
        "基本满意、满意、非常满意 (3–5)"
    }
}

async fn satisfaction(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<ViewQuery>,
) -> Result<impl IntoResponse, PageError> {
    let v = satisfaction_view(s.store.as_ref(), &caller, &q, s.now()).await?;
    let data = json_for_script(&serde_json::json!({
        "page": "satisfaction",
        "groups": v.groups,
        "pareto": v.pareto,
        "by": v.by,
    }));
    render(&SatisfactionPage {
        chrome: Chrome::staff("满意度 Satisfaction", "/insight", Some(&caller)),
        data,
        total: row(&v.total),
        rows: v.groups.iter().map(row).collect(),
        halls_param: q.halls.clone().unwrap_or_default(),
        can_pick_halls: caller.actor.hall_id.is_none(),
        scope_query: scope_query(&q),
        regions: region_choices(&s, &caller, &q).await?,
        good_label: good_label(v.config.good_from),
        prev_at: v.period.previous_from.clone(),
        next_at: next_day(&v.period.to),
        v,
    })
}

#[derive(Template)]
#[template(path = "insight/curve.html")]
struct CurvePage {
    chrome: Chrome,
    data: String,
    v: CurveView,
    cells: Vec<Cell>,
    halls_param: String,
    can_pick_halls: bool,
    scope_query: String,
    regions: Vec<RegionChoice>,
}

/// The day after `day` (`YYYY-MM-DD`), or `day` itself if it does not parse.
fn next_day(day: &str) -> String {
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.succ_opt())
        .map_or_else(|| day.to_string(), |d| d.to_string())
}

async fn curve(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<ViewQuery>,
) -> Result<impl IntoResponse, PageError> {
    let v = curve_view(s.store.as_ref(), &caller, &q, s.now()).await?;
    let data = json_for_script(&serde_json::json!({ "page": "curve", "points": v.points }));
    render(&CurvePage {
        chrome: Chrome::staff("关键时刻 Moments of truth", "/insight/curve", Some(&caller)),
        data,
        cells: v
            .points
            .iter()
            .map(|p| cell(&p.point.satisfaction, None, "%", false))
            .collect(),
        halls_param: q.halls.clone().unwrap_or_default(),
        can_pick_halls: caller.actor.hall_id.is_none(),
        scope_query: scope_query(&q),
        regions: region_choices(&s, &caller, &q).await?,
        v,
    })
}
