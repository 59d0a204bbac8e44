//! The satisfaction view and the emotion curve, shared by the API and the screens: which
//! halls and period the caller asked for (and may see), the counts from the store, the
//! figures from the domain. A hall manager sees their hall; supervisors and administrators
//! any list of halls (a region filter will be one more way to make that list).

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use servicehall_domain::access::Permission;
use servicehall_domain::insight::curve::{
    CurvePoint, ParetoBar, curve_input, emotion_curve, pareto, reason_label,
};
use servicehall_domain::insight::indices::Figure;
use servicehall_domain::insight::indices::{figures, trend};
use servicehall_domain::insight::period::{PeriodKind, containing, previous};
use servicehall_domain::insight::{Figures, IndexConfig};
use servicehall_domain::time::{at_local, parse_tz, service_day};
use servicehall_store::{GroupBy, GroupCounts, Hall, InsightScope, Store};
use utoipa::{IntoParams, ToSchema};

/// What a view is about; every parameter is optional.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ViewQuery {
    /// Hall codes or ids, comma-separated; default: the caller's hall, or every hall.
    pub halls: Option<String>,
    /// A region's code (e.g. `LN-DL`): the halls of that region and below; ignored when
    /// `halls` is given.
    pub region: Option<String>,
    /// First day, `YYYY-MM-DD` (hall-local); default: 29 days before `to`.
    pub from: Option<String>,
    /// Last day, inclusive; default: today.
    pub to: Option<String>,
    /// `hall`, `counter`, `staff` (clerk) or `business_type`; default `hall`.
    pub by: Option<String>,
    /// `day`, `week` (Monday–Sunday) or `month`: the calendar period containing `at`,
    /// compared with the one before it (the previous calendar month for a month); `from`
    /// and `to` are then ignored. Empty or `custom`: the `from`–`to` range.
    pub period: Option<String>,
    /// A day in the period, `YYYY-MM-DD`; default today.
    pub at: Option<String>,
}

/// The halls and days a view covers, and the period before it of the same length.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Period {
    /// `day`, `week`, `month`, or `custom` for a from–to range.
    pub kind: String,
    pub from: String,
    pub to: String,
    pub days: i64,
    pub previous_from: String,
    pub previous_to: String,
    #[serde(skip)]
    pub scope: InsightScope,
    #[serde(skip)]
    pub previous: InsightScope,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HallRef {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// Change against the previous period, in points, where both periods have a figure.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Trend {
    pub satisfaction: Option<f64>,
    pub bad: Option<f64>,
    pub csat: Option<f64>,
    pub nps: Option<f64>,
    pub csi: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupFigures {
    pub key: i64,
    pub label: String,
    pub figures: FiguresView,
    pub previous: FiguresView,
    pub trend: Trend,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ParetoRow {
    pub reason: String,
    pub label: String,
    pub count: i64,
    pub cumulative_pct: f64,
}

/// Figures of the halls and period, in total and by group, with the bad-reason Pareto.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SatisfactionView {
    pub halls: Vec<HallRef>,
    pub period: Period,
    pub by: String,
    pub config: IndexConfigView,
    pub total: GroupFigures,
    pub groups: Vec<GroupFigures>,
    pub pareto: Vec<ParetoRow>,
}

/// One touchpoint of the curve: customers' satisfaction and the observed compliance.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CurveRow {
    #[serde(flatten)]
    pub point: CurvePointView,
    pub standard_zh: String,
    /// Observation (内查) points ÷ possible, percent; `None` when nothing was observed here.
    pub observed_pct: Option<f64>,
    pub observed_items: i64,
    /// The top reasons in words.
    pub reason_labels: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CurveView {
    pub halls: Vec<HallRef>,
    pub period: Period,
    pub config: IndexConfigView,
    pub points: Vec<CurveRow>,
}

/// The halls the caller asked for, each checked against their role.
pub async fn halls_for(store: &dyn Store, caller: &Caller, q: &ViewQuery) -> ApiResult<Vec<Hall>> {
    caller.require_any(Permission::ViewStats)?;
    let halls = match q.halls.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(list) => {
            let mut out: Vec<Hall> = Vec::new();
            for key in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                let h = crate::api::resolve_hall(store, key).await?;
                caller.require(Permission::ViewStats, h.id)?;
                if !out.iter().any(|o| o.id == h.id) {
                    out.push(h);
                }
            }
            out
        }
        None => {
            let mut all = store.halls().await?;
            if let Some(code) = q.region.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                let tree = store.region_tree().await?;
                let region = tree
                    .in_order()
                    .into_iter()
                    .find(|(_, r)| r.code == code)
                    .map(|(_, r)| r.id)
                    .ok_or_else(|| {
                        ApiError::unprocessable(format!("没有区域 {code}，请从列表中选择 · no region {code}; pick one from the list"))
                    })?;
                let ids = store.region_halls(region).await?;
                all.retain(|h| ids.contains(&h.id));
                for h in &all {
                    caller.require(Permission::ViewStats, h.id)?;
                }
            } else {
                all.retain(|h| caller.actor.in_hall(h.id));
            }
            all
        }
    };
    if halls.is_empty() {
        return Err(ApiError::not_found(
            "尚未建立营业厅，请在“管理”中新建 · no hall is set up yet; create one under 管理 Admin",
        ));
    }
    Ok(halls)
}

fn parse_day(s: &str, what: &str) -> ApiResult<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        ApiError::bad_request(format!(
            "{what} 须为 YYYY-MM-DD 日期（收到 {s:?}）· {what} must be a date YYYY-MM-DD, got {s:?}"
        ))
    })
}

/// The period in the first hall's time zone; at most 3 years, `from` not after `to`.
pub fn period_for(halls: &[Hall], q: &ViewQuery, now: i64) -> ApiResult<Period> {
    let tz = halls
        .first()
        .and_then(|h| parse_tz(&h.timezone).ok())
        .unwrap_or(chrono_tz::Asia::Shanghai);
    let kind = match q.period.as_deref().map(str::trim) {
        None | Some("") | Some("custom") => None,
        Some(k) => Some(PeriodKind::parse(k).ok_or_else(|| {
            ApiError::bad_request(format!(
                "统计周期 period 须为 day、week、month 或 custom（收到 {k:?}）· period must be day, week, month or custom (got {k:?})"
            ))
        })?),
    };
    let (from, to, prev_from, prev_to) = match kind {
        Some(kind) => {
            let at = match &q.at {
                Some(s) if !s.trim().is_empty() => parse_day(s, "at")?,
                _ => service_day(now, tz),
            };
            let span = containing(kind, at);
            let prev = previous(kind, span);
            (span.from, span.to, prev.from, prev.to)
        }
        None => {
            let to = match &q.to {
                Some(s) if !s.trim().is_empty() => parse_day(s, "to")?,
                _ => service_day(now, tz),
            };
            let from = match &q.from {
                Some(s) if !s.trim().is_empty() => parse_day(s, "from")?,
                _ => to - Duration::days(29),
            };
            if from > to {
                return Err(ApiError::bad_request(format!(
                    "开始日期（{from}）晚于结束日期（{to}），请对调 · from ({from}) is after to ({to}); swap them"
                )));
            }
            let days = (to - from).num_days() + 1;
            (
                from,
                to,
                from - Duration::days(days),
                from - Duration::days(1),
            )
        }
    };
    let days = (to - from).num_days() + 1;
    if days > 3 * 366 {
        return Err(ApiError::bad_request(
            "查询最多覆盖三年，请缩短时间段 · a view covers at most three years; choose a shorter period",
        ));
    }
    let midnight = chrono::NaiveTime::MIN;
    let ms = |d: NaiveDate| at_local(d, midnight, tz);
    let ids: Vec<i64> = halls.iter().map(|h| h.id).collect();
    Ok(Period {
        kind: kind.map_or("custom", PeriodKind::as_str).to_string(),
        from: from.to_string(),
        to: to.to_string(),
        days,
        previous_from: prev_from.to_string(),
        previous_to: prev_to.to_string(),
        scope: InsightScope {
            hall_ids: ids.clone(),
            from: ms(from),
            to: ms(to + Duration::days(1)),
        },
        previous: InsightScope {
            hall_ids: ids,
            from: ms(prev_from),
            to: ms(prev_to + Duration::days(1)),
        },
    })
}

fn hall_refs(halls: &[Hall]) -> Vec<HallRef> {
    halls
        .iter()
        .map(|h| HallRef {
            id: h.id,
            code: h.code.clone(),
            name: h.name.clone(),
        })
        .collect()
}

fn figures_of(g: &GroupCounts, cfg: &IndexConfig) -> Figures {
    figures(&g.levels, &g.recommend, &g.dimensions, cfg)
}

fn trend_of(now: &Figures, before: &Figures) -> Trend {
    Trend {
        satisfaction: trend(&now.satisfaction, &before.satisfaction),
        bad: trend(&now.bad, &before.bad),
        csat: trend(&now.csat, &before.csat),
        nps: trend(&now.nps, &before.nps),
        csi: trend(&now.csi, &before.csi),
    }
}

fn merged(groups: &[GroupCounts]) -> GroupCounts {
    let mut total = GroupCounts::default();
    for g in groups {
        total.levels.merge(&g.levels);
        for i in 0..11 {
            total.recommend.0[i] += g.recommend.0[i];
        }
        for (d, c) in &g.dimensions {
            match total.dimensions.iter_mut().find(|(x, _)| x == d) {
                Some((_, t)) => t.merge(c),
                None => total.dimensions.push((*d, *c)),
            }
        }
    }
    total
}

/// A group's name: hall, counter, clerk (name · badge) or business type.
async fn label(store: &dyn Store, by: GroupBy, key: i64, halls: &[Hall]) -> String {
    if key == 0 {
        return "（未记录 not recorded）".into();
    }
    let hall_code = |id: i64| {
        halls
            .iter()
            .find(|h| h.id == id)
            .map(|h| h.code.clone())
            .unwrap_or_default()
    };
    match by {
        GroupBy::Hall => halls
            .iter()
            .find(|h| h.id == key)
            .map(|h| format!("{} {}", h.code, h.name))
            .unwrap_or_else(|| key.to_string()),
        GroupBy::Counter => match store.counter(key).await {
            Ok(c) => format!("{} {}号窗口", hall_code(c.hall_id), c.number),
            Err(_) => format!("#{key}"),
        },
        GroupBy::Staff => match store.staff(key).await {
            Ok(s) => format!("{} · {}", s.name, s.badge_no),
            Err(_) => format!("#{key}"),
        },
        GroupBy::BusinessType => match store.business_type(key).await {
            Ok(b) => format!("{} {}", hall_code(b.hall_id), b.name_zh),
            Err(_) => format!("#{key}"),
        },
    }
}

/// Groups beyond this many are named by id only (a province by clerk is a download, not a
/// screen).
const LABEL_LIMIT: usize = 300;

pub async fn satisfaction_view(
    store: &dyn Store,
    caller: &Caller,
    q: &ViewQuery,
    now: i64,
) -> ApiResult<SatisfactionView> {
    let halls = halls_for(store, caller, q).await?;
    let period = period_for(&halls, q, now)?;
    let by_str = q.by.as_deref().unwrap_or("hall");
    let by = GroupBy::parse(by_str).ok_or_else(|| {
        ApiError::bad_request(format!(
            "分组 by 须为 hall、counter、staff 或 business_type（收到 {by_str:?}）· by must be hall, counter, staff or business_type, got {by_str:?}"
        ))
    })?;
    let cfg = store.insight_config().await?;
    let now_c = store.satisfaction_counts(&period.scope, by).await?;
    let prev_c = store.satisfaction_counts(&period.previous, by).await?;
    let empty = GroupCounts::default();
    let mut groups = Vec::with_capacity(now_c.groups.len());
    for g in &now_c.groups {
        let f = figures_of(g, &cfg);
        let p = figures_of(
            prev_c
                .groups
                .iter()
                .find(|x| x.key == g.key)
                .unwrap_or(&empty),
            &cfg,
        );
        let label = if now_c.groups.len() <= LABEL_LIMIT {
            label(store, by, g.key, &halls).await
        } else {
            format!("#{}", g.key)
        };
        groups.push(GroupFigures {
            key: g.key,
            label,
            trend: trend_of(&f, &p),
            figures: (&f).into(),
            previous: (&p).into(),
        });
    }
    let total_now = figures_of(&merged(&now_c.groups), &cfg);
    let total_prev = figures_of(&merged(&prev_c.groups), &cfg);
    Ok(SatisfactionView {
        total: GroupFigures {
            key: 0,
            label: "合计 Total".into(),
            trend: trend_of(&total_now, &total_prev),
            figures: (&total_now).into(),
            previous: (&total_prev).into(),
        },
        groups,
        pareto: pareto(&now_c.reasons)
            .into_iter()
            .map(|b: ParetoBar| ParetoRow {
                label: reason_label(&b.reason),
                reason: b.reason,
                count: b.count,
                cumulative_pct: b.cumulative_pct,
            })
            .collect(),
        halls: hall_refs(&halls),
        by: by_str.to_string(),
        config: (&cfg).into(),
        period,
    })
}

/// How many of the lowest touchpoints the curve marks.
const LOWEST: usize = 2;

pub async fn curve_view(
    store: &dyn Store,
    caller: &Caller,
    q: &ViewQuery,
    now: i64,
) -> ApiResult<CurveView> {
    let halls = halls_for(store, caller, q).await?;
    let period = period_for(&halls, q, now)?;
    let cfg = store.insight_config().await?;
    let counts = store.curve_counts(&period.scope).await?;
    let points = emotion_curve(&curve_input(&counts.sources), &cfg, LOWEST)
        .into_iter()
        .map(|p| {
            let (points, scored) = counts
                .observed
                .iter()
                .find(|(t, _, _)| t == p.touchpoint)
                .map(|(_, a, b)| (*a, *b))
                .unwrap_or((0, 0));
            CurveRow {
                standard_zh: servicehall_domain::insight::touchpoint::touchpoint(p.touchpoint)
                    .map(|t| t.standard_zh.to_string())
                    .unwrap_or_default(),
                observed_pct: (scored > 0)
                    .then(|| ((points as f64 * 1000.0 / (2 * scored) as f64).round()) / 10.0),
                observed_items: scored,
                reason_labels: p
                    .top_reasons
                    .iter()
                    .map(|(r, k)| format!("{} ×{k}", reason_label(r)))
                    .collect(),
                point: (&p).into(),
            }
        })
        .collect();
    Ok(CurveView {
        halls: hall_refs(&halls),
        period,
        config: (&cfg).into(),
        points,
    })
}

/// One figure: its value (percent, NPS points or CSI 0–100) with a 95% interval, or none
/// with `too_few` when it rests on fewer responses than the minimum.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FigureView {
    pub n: i64,
    pub value: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// True when `n` is below the minimum: show "样本不足 too few responses".
    pub too_few: bool,
}

impl From<&Figure> for FigureView {
    fn from(f: &Figure) -> Self {
        Self {
            n: f.n,
            value: f.value,
            low: f.low,
            high: f.high,
            too_few: f.too_few,
        }
    }
}

/// The figures of one group of responses.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FiguresView {
    /// 满意率.
    pub satisfaction: FigureView,
    /// 差评率.
    pub bad: FigureView,
    pub csat: FigureView,
    pub nps: FigureView,
    pub csi: FigureView,
}

impl From<&Figures> for FiguresView {
    fn from(f: &Figures) -> Self {
        Self {
            satisfaction: (&f.satisfaction).into(),
            bad: (&f.bad).into(),
            csat: (&f.csat).into(),
            nps: (&f.nps).into(),
            csi: (&f.csi).into(),
        }
    }
}

/// The administrator's choices behind the figures.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndexConfigView {
    /// The lowest level counted as satisfied (3 = 基本满意 and better; 4 = 满意 and better).
    pub good_from: u8,
    /// Fewer responses than this and a figure says "样本不足 too few responses".
    pub min_n: i64,
    /// CSI weights per dimension, in the dimensions' order (five; any scale).
    pub weights: Vec<f64>,
}

impl From<&IndexConfig> for IndexConfigView {
    fn from(c: &IndexConfig) -> Self {
        Self {
            good_from: c.good_from,
            min_n: c.min_n,
            weights: c.weights.0.to_vec(),
        }
    }
}

/// One touchpoint (关键时刻) of the emotion curve.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CurvePointView {
    pub touchpoint: String,
    pub zh: String,
    pub en: String,
    pub satisfaction: FigureView,
    /// Mean on 0–100 ((level − 1) × 25), the curve's height; absent without answers.
    pub mean: Option<f64>,
    pub lowest: bool,
    /// The three most frequent reasons with their counts, most frequent first.
    pub top_reasons: Vec<(String, i64)>,
}

impl From<&CurvePoint> for CurvePointView {
    fn from(p: &CurvePoint) -> Self {
        Self {
            touchpoint: p.touchpoint.into(),
            zh: p.zh.into(),
            en: p.en.into(),
            satisfaction: (&p.satisfaction).into(),
            mean: p.mean,
            lowest: p.lowest,
            top_reasons: p.top_reasons.clone(),
        }
    }
}

#[cfg(test)]
mod view_tests {
    use super::*;

    #[test]
    fn the_index_config_view_is_what_the_settings_route_reads() {
        let cfg = IndexConfig::default();
        let json = serde_json::to_string(&IndexConfigView::from(&cfg)).unwrap();
        assert_eq!(json, serde_json::to_string(&cfg).unwrap());
        assert_eq!(serde_json::from_str::<IndexConfig>(&json).unwrap(), cfg);
    }
}
