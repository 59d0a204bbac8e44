//! 检查统计 · the inspection figures as pages: one hall's scores by period, zone and item,
//! the most-failed items and its open and overdue rectifications; and the caller's halls
//! side by side (a regional supervisor: the region's), sortable, each linking into its hall.
//! The numbers are the API's (`api::inspections::figures`); the chart only draws them.

use crate::AppState;
use crate::api::inspections::figures::{FiguresQuery, HallFigures, ScoreLine, figures, span};
use crate::api::inspections::site_checks::hall_tz;
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::listing;
use crate::pages::{Chrome, hall_for, json_for_script, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use serde::Deserialize;
use servicehall_domain::access::Permission;
use servicehall_domain::time::service_day;
use servicehall_store::{
    Hall, Rectification, RectificationFilter, RectificationState, Store, Window,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/inspections/figures", get(hall_page))
        .route("/inspections/figures/halls", get(halls_page))
}

#[derive(Deserialize)]
struct PageQuery {
    hall: Option<String>,
    from: Option<String>,
    to: Option<String>,
    period: Option<String>,
    /// The halls' table: `score`, `checks`, `failed`, `missed`, `open`, `overdue` or `name`.
    sort: Option<String>,
}

impl PageQuery {
    fn figures(&self) -> FiguresQuery {
        FiguresQuery {
            from: self.from.clone().filter(|s| !s.is_empty()),
            to: self.to.clone().filter(|s| !s.is_empty()),
            period: self.period.clone().filter(|s| !s.is_empty()),
        }
    }
}

/// The first day of the longest span a list covers (three years to `now`), so a link to
/// the open rectifications misses none.
fn since(now: i64, tz: chrono_tz::Tz) -> String {
    let today = service_day(now, tz);
    today
        .checked_sub_days(chrono::Days::new(3 * 365))
        .unwrap_or(today)
        .to_string()
}

/// How many of the most-failed items and of the overdue cases a page lists.
const TOP: usize = 10;

/// A hall's open (not yet verified) and overdue rectifications as of `now`.
async fn rect_counts(store: &dyn Store, hall: i64, now: i64) -> Result<(i64, i64), PageError> {
    let count = |state| RectificationFilter {
        from: 0,
        to: i64::MAX,
        state: Some(state),
    };
    let open = store
        .rectifications(
            hall,
            &count(RectificationState::Open),
            Window::first(1),
            now,
        )
        .await?
        .total;
    let overdue = store
        .rectifications(
            hall,
            &count(RectificationState::Overdue),
            Window::first(1),
            now,
        )
        .await?
        .total;
    Ok((open, overdue))
}

struct OverdueRow {
    case_id: i64,
    number: String,
    item: String,
    critical: bool,
    due: String,
    owner: String,
}

#[derive(Template)]
#[template(path = "inspections/figures.html")]
struct HallPage {
    chrome: Chrome,
    hall: Hall,
    f: HallFigures,
    period: String,
    /// Whether the caller sees more than this hall (the link to the halls side by side).
    many_halls: bool,
    worst_items: Vec<ScoreLine>,
    /// The worst zones, and the rest folded away (every checklist's sections add up).
    zones: Vec<ScoreLine>,
    more_zones: Vec<ScoreLine>,
    open: i64,
    overdue: i64,
    overdue_rows: Vec<OverdueRow>,
    /// The earliest day a list link may ask for (lists cover at most three years).
    since: String,
    data: String,
}

/// 检查统计: one hall over a span of days.
async fn hall_page(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<PageQuery>,
) -> Result<impl IntoResponse, PageError> {
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    caller.require(Permission::Observe, hall.id)?;
    let now = s.now();
    let tz = hall_tz(&hall);
    let (from, to, period) = span(&q.figures(), service_day(now, tz))?;
    let f = figures(s.store.as_ref(), &hall, from, to, &period, now).await?;
    let (open, overdue) = rect_counts(s.store.as_ref(), hall.id, now).await?;
    let late: Vec<Rectification> = s
        .store
        .rectifications(
            hall.id,
            &RectificationFilter {
                from: 0,
                to: i64::MAX,
                state: Some(RectificationState::Overdue),
            },
            Window::first(TOP as i64),
            now,
        )
        .await?
        .items;
    let overdue_rows = late
        .into_iter()
        .map(|r| OverdueRow {
            case_id: r.case_id,
            number: r.case_number,
            item: format!("{} · {}", r.item_zh, r.item_en),
            critical: r.critical,
            due: r
                .deadline_at
                .map(|d| listing::when(d, tz))
                .unwrap_or_default(),
            owner: r.owner_name,
        })
        .collect();
    let worst_items = f
        .by_item
        .iter()
        .filter(|i| i.failed > 0)
        .take(TOP)
        .cloned()
        .collect();
    let zones: Vec<ScoreLine> = f.by_zone.iter().take(TOP).cloned().collect();
    let more_zones: Vec<ScoreLine> = f.by_zone.iter().skip(TOP).cloned().collect();
    let many_halls = caller.actor.hall_id.is_none()
        && s.store
            .halls()
            .await?
            .iter()
            .filter(|h| caller.actor.may(Permission::Observe, h.id))
            .count()
            > 1;
    let data = json_for_script(&serde_json::json!({
        "page": "hall",
        "periods": f.by_period,
        "zones": f.by_zone,
    }));
    render(&HallPage {
        chrome: Chrome::staff(
            "检查统计 Inspection figures",
            "/inspections/figures",
            Some(&caller),
        ),
        hall,
        f,
        period,
        many_halls,
        worst_items,
        zones,
        more_zones,
        open,
        overdue,
        overdue_rows,
        since: since(now, tz),
        data,
    })
}

struct HallRow {
    f: HallFigures,
    score: Option<f64>,
    open: i64,
    overdue: i64,
    /// The hall's most-failed item, `—` without a failure.
    worst: String,
}

struct SortLink {
    key: &'static str,
    zh: &'static str,
    en: &'static str,
    num: bool,
    href: String,
    active: bool,
}

#[derive(Template)]
#[template(path = "inspections/figures_halls.html")]
struct HallsPage {
    chrome: Chrome,
    from: String,
    to: String,
    period: String,
    sort: String,
    heads: Vec<SortLink>,
    rows: Vec<HallRow>,
    since: String,
    data: String,
}

const SORTS: [(&str, &str, &str, bool); 9] = [
    ("name", "营业厅", "Hall", false),
    ("checks", "检查次数", "Checks", true),
    ("score", "得分", "Score", true),
    ("failed", "不合格", "Failed", true),
    ("done", "按时完成", "Done", true),
    ("missed", "漏检", "Missed", true),
    ("open", "未销号整改", "Open fixes", true),
    ("overdue", "已超期", "Overdue", true),
    ("worst", "最常不合格项", "Most failed", false),
];

fn sort_rows(rows: &mut [HallRow], key: &str) {
    // Worst first for every figure, so the hall needing attention tops the table.
    match key {
        "name" => rows.sort_by(|a, b| a.f.hall.cmp(&b.f.hall)),
        "checks" => rows.sort_by_key(|r| r.f.overall.checks),
        "failed" => rows.sort_by_key(|r| std::cmp::Reverse(r.f.overall.failed)),
        "done" => rows.sort_by_key(|r| r.f.schedule.done),
        "missed" => rows.sort_by_key(|r| std::cmp::Reverse(r.f.schedule.missed)),
        "open" => rows.sort_by_key(|r| std::cmp::Reverse(r.open)),
        "overdue" => rows.sort_by_key(|r| std::cmp::Reverse(r.overdue)),
        "worst" => rows.sort_by(|a, b| a.worst.cmp(&b.worst)),
        _ => rows.sort_by(|a, b| {
            a.score
                .unwrap_or(101.0)
                .total_cmp(&b.score.unwrap_or(101.0))
        }),
    }
}

/// 各厅对比: the caller's halls side by side, one row each.
async fn halls_page(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<PageQuery>,
) -> Result<impl IntoResponse, PageError> {
    caller.require_any(Permission::Observe)?;
    let now = s.now();
    let sort = q
        .sort
        .clone()
        .filter(|k| SORTS.iter().any(|x| x.0 == k))
        .unwrap_or_else(|| "score".into());
    let mut rows = Vec::new();
    let (mut from, mut to, mut period) = (String::new(), String::new(), String::new());
    for hall in s.store.halls().await? {
        if !caller.actor.may(Permission::Observe, hall.id) {
            continue;
        }
        let (a, b, p) = span(&q.figures(), service_day(now, hall_tz(&hall)))?;
        let f = figures(s.store.as_ref(), &hall, a, b, &p, now).await?;
        let (open, overdue) = rect_counts(s.store.as_ref(), hall.id, now).await?;
        (from, to, period) = (f.from.clone(), f.to.clone(), p);
        rows.push(HallRow {
            score: f.overall.score.parse().ok(),
            worst: f
                .by_item
                .iter()
                .find(|i| i.failed > 0)
                .map_or_else(|| "—".into(), |i| format!("{}（{}次）", i.label, i.failed)),
            f,
            open,
            overdue,
        });
    }
    sort_rows(&mut rows, &sort);
    let base = format!("/inspections/figures/halls?from={from}&to={to}&period={period}");
    let heads = SORTS
        .iter()
        .map(|&(key, zh, en, num)| SortLink {
            key,
            zh,
            en,
            num,
            href: format!("{base}&sort={key}"),
            active: key == sort,
        })
        .collect();
    let data = json_for_script(&serde_json::json!({
        "page": "halls",
        "halls": rows.iter().map(|r| serde_json::json!({
            "name": r.f.hall_name, "score": r.score, "missed": r.f.schedule.missed,
            "overdue": r.overdue,
        })).collect::<Vec<_>>(),
    }));
    render(&HallsPage {
        chrome: Chrome::staff(
            "各厅检查对比 Halls side by side",
            "/inspections/figures",
            Some(&caller),
        ),
        from,
        to,
        period,
        sort,
        heads,
        rows,
        since: since(now, chrono_tz::Asia::Shanghai),
        data,
    })
}
