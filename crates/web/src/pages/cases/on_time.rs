//! 按时办结率: the on-time rate of case clocks (met ÷ stopped in the period) for one hall or
//! a region of the tree, by hall, business type, customer class and step. Hall managers see
//! their hall; supervisors and administrators the halls and regions of their scope.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, PageError};
use crate::pages::{Chrome, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use chrono::{Datelike, Days, NaiveDate};
use servicehall_domain::access::Permission;
use servicehall_domain::time::{at_local, parse_tz, service_day};
use servicehall_store::{Hall, OnTimeReport, OnTimeRow, RegionTree};
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new().route("/cases/on-time", get(page))
}

/// Rates at or above this are shown green, at or above [`AMBER`] amber, below it red.
const GREEN: f64 = 0.95;
const AMBER: f64 = 0.85;
/// Below this many stopped clocks a rate is marked as resting on few cases.
const FEW: i64 = 20;

#[derive(serde::Deserialize, Default)]
struct PageQuery {
    /// `hall:CODE` or `region:ID`
    scope: Option<String>,
    /// `YYYY-MM-DD`, inclusive, in the halls' time zone
    from: Option<String>,
    to: Option<String>,
}

/// One line of a table: a group with its counts and rate, ready to show.
struct Line {
    key: String,
    label: String,
    stopped: i64,
    met: i64,
    rate: String,
    /// Bar width in percent.
    width: u32,
    /// green, amber, red or none
    tone: &'static str,
    few: bool,
    /// Where the row leads (a hall's own view), or empty.
    href: String,
}

fn line(key: &str, label: &str, stopped: i64, met: i64) -> Line {
    let rate = (stopped > 0).then(|| met as f64 / stopped as f64);
    Line {
        key: key.to_string(),
        label: label.to_string(),
        stopped,
        met,
        rate: rate.map_or("—".into(), |r| format!("{:.1}%", r * 100.0)),
        width: rate.map_or(0, |r| (r * 100.0).round() as u32),
        tone: match rate {
            None => "none",
            Some(r) if r >= GREEN => "green",
            Some(r) if r >= AMBER => "amber",
            Some(_) => "red",
        },
        few: stopped > 0 && stopped < FEW,
        href: String::new(),
    }
}

fn lines(rows: &[OnTimeRow]) -> Vec<Line> {
    rows.iter()
        .map(|r| line(&r.key, &r.label_zh, r.stopped, r.met))
        .collect()
}

/// Adds up rows of the same key across halls (a region's report is the sum of its halls').
fn sum_rows<'a>(rows: impl Iterator<Item = &'a OnTimeRow>) -> Vec<OnTimeRow> {
    let mut by: BTreeMap<String, OnTimeRow> = BTreeMap::new();
    for r in rows {
        let e = by.entry(r.key.clone()).or_insert_with(|| OnTimeRow {
            key: r.key.clone(),
            label_zh: r.label_zh.clone(),
            stopped: 0,
            met: 0,
            rate: None,
        });
        e.stopped += r.stopped;
        e.met += r.met;
    }
    by.into_values()
        .map(|mut r| {
            r.rate = (r.stopped > 0).then(|| r.met as f64 / r.stopped as f64);
            r
        })
        .collect()
}

struct ScopeOption {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "cases/on_time.html")]
struct OnTimePage {
    chrome: Chrome,
    scopes: Vec<ScopeOption>,
    scope_label: String,
    from: String,
    to: String,
    overall: Line,
    halls: Vec<Line>,
    show_halls: bool,
    by_business_type: Vec<Line>,
    by_customer_class: Vec<Line>,
    by_step: Vec<Line>,
    few_limit: i64,
}

fn bad(msg: String) -> PageError {
    PageError(ApiError::bad_request(msg))
}

fn date(v: Option<&str>, name: &str, default: NaiveDate) -> Result<NaiveDate, PageError> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| bad(format!("{name} 须为日期，如 2026-11-01（收到 {s:?}）· {name} must be a date like 2026-11-01, got {s:?}"))),
    }
}

/// The halls a scope value names, with its label; checked against the caller's scope.
async fn resolve(
    s: &AppState,
    tree: &RegionTree,
    visible: &[Hall],
    scope: &str,
) -> Result<(Vec<Hall>, String), PageError> {
    if let Some(code) = scope.strip_prefix("hall:") {
        let h = visible.iter().find(|h| h.code == code).ok_or_else(|| {
            bad(format!(
                "营业厅 {code} 不在您的范围内，请从列表中选择 · hall {code} is not in your scope; pick one from the list"
            ))
        })?;
        return Ok((vec![h.clone()], format!("{} {}", h.code, h.name)));
    }
    let id: i64 = scope
        .strip_prefix("region:")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| {
            bad(format!(
                "范围 scope 须为 hall:代码 或 region:编号（收到 {scope:?}）· scope must be hall:CODE or region:ID, got {scope:?}"
            ))
        })?;
    let region = tree.get(id).ok_or_else(|| {
        bad(format!(
            "没有这个区域 · no region {id}; pick one from the list"
        ))
    })?;
    let ids = s.store.region_halls(id).await?;
    let halls: Vec<Hall> = visible
        .iter()
        .filter(|h| ids.contains(&h.id))
        .cloned()
        .collect();
    if halls.len() < ids.len() {
        return Err(PageError(ApiError::forbidden(
            "该区域超出您的范围，请选择您的区域或其下级 · this region reaches beyond your scope; pick your own region or one below it",
        )));
    }
    Ok((halls, tree.path_zh(region.id)))
}

async fn page(
    State(s): State<AppState>,
    caller: Result<Caller, ApiError>,
    Query(q): Query<PageQuery>,
) -> Result<impl IntoResponse, PageError> {
    let caller = caller?;
    caller.require_any(Permission::ViewStats)?;
    let visible = crate::scope::visible_halls(&s, &caller.actor).await?;
    let first = visible.first().ok_or_else(|| {
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
    let default_scope = match (caller.actor.hall_id, own_region) {
        (None, Some(r)) => format!("region:{r}"),
        (None, None) => scopes.first().map_or(String::new(), |s| s.0.clone()),
        _ => format!("hall:{}", first.code),
    };
    let scope = q
        .scope
        .clone()
        .filter(|v| !v.is_empty())
        .unwrap_or(default_scope);
    let (halls, scope_label) = resolve(&s, &tree, &visible, &scope).await?;
    let tz = parse_tz(&first.timezone).map_err(|e| bad(e.to_string()))?;
    let today = service_day(s.now(), tz);
    let from = date(
        q.from.as_deref(),
        "from",
        today.with_day(1).unwrap_or(today),
    )?;
    let to = date(q.to.as_deref(), "to", today)?;
    if to < from {
        return Err(bad(format!(
            "结束日期（{to}）早于开始日期（{from}）· the period ends ({to}) before it starts ({from})"
        )));
    }
    let start = at_local(from, chrono::NaiveTime::MIN, tz);
    let end = at_local(
        to.checked_add_days(Days::new(1)).unwrap_or(to),
        chrono::NaiveTime::MIN,
        tz,
    );
    let mut reports: Vec<(Hall, OnTimeReport)> = Vec::with_capacity(halls.len());
    for h in halls {
        let r = s.store.on_time_rate(h.id, start, end).await?;
        reports.push((h, r));
    }
    let overall = sum_rows(reports.iter().map(|(_, r)| &r.overall));
    let overall = overall.first().map_or_else(
        || line("all", "合计", 0, 0),
        |r| line("all", "合计", r.stopped, r.met),
    );
    let hall_lines = reports
        .iter()
        .map(|(h, r)| Line {
            href: format!("/cases/on-time?scope=hall:{}&from={from}&to={to}", h.code),
            ..line(&h.code, &h.name, r.overall.stopped, r.overall.met)
        })
        .collect::<Vec<_>>();
    let page = OnTimePage {
        chrome: Chrome::staff("按时办结率 On-time rate", "/cases/on-time", Some(&caller)),
        scopes: scopes
            .into_iter()
            .map(|(value, label)| ScopeOption {
                selected: value == scope,
                value,
                label,
            })
            .collect(),
        scope_label,
        from: from.to_string(),
        to: to.to_string(),
        overall,
        show_halls: hall_lines.len() > 1,
        halls: hall_lines,
        by_business_type: lines(&sum_rows(
            reports.iter().flat_map(|(_, r)| r.by_business_type.iter()),
        )),
        by_customer_class: lines(&sum_rows(
            reports.iter().flat_map(|(_, r)| r.by_customer_class.iter()),
        )),
        by_step: lines(&sum_rows(
            reports.iter().flat_map(|(_, r)| r.by_step.iter()),
        )),
        few_limit: FEW,
    };
    render(&page)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(key: &str, stopped: i64, met: i64) -> OnTimeRow {
        OnTimeRow {
            key: key.into(),
            label_zh: key.into(),
            stopped,
            met,
            rate: None,
        }
    }

    #[test]
    fn a_region_sums_its_halls_rows_by_key() {
        let a = [row("payment", 10, 9), row("new", 4, 4)];
        let b = [row("payment", 30, 21)];
        let sum = sum_rows(a.iter().chain(b.iter()));
        assert_eq!(sum.len(), 2);
        let pay = sum.iter().find(|r| r.key == "payment").unwrap();
        assert_eq!((pay.stopped, pay.met), (40, 30));
        assert_eq!(pay.rate, Some(0.75));
    }

    #[test]
    fn lines_colour_by_rate_and_mark_few_cases() {
        assert_eq!(line("x", "x", 100, 96).tone, "green");
        assert_eq!(line("x", "x", 100, 90).tone, "amber");
        assert_eq!(line("x", "x", 100, 80).tone, "red");
        let none = line("x", "x", 0, 0);
        assert_eq!(
            (none.tone, none.rate.as_str(), none.few),
            ("none", "—", false)
        );
        assert!(line("x", "x", 5, 5).few);
        assert_eq!(line("x", "x", 3, 2).rate, "66.7%");
    }
}
