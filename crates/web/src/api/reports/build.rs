//! Composing a monthly report from the kept indicator figures: the sections of
//! `servicehall_domain::reports::SECTIONS`, the standard's items and the audit heads. Takes
//! the store and the time as arguments, so the routes, the month-end step and the command
//! line build the same report.

use super::view::{MonthlyReportView, ReportAuditHeadView, ReportRowView, ReportSectionView};
use crate::api::assessment::measure::{self, Sums, yyyymm};
use crate::api::assessment::view::unit_code;
use crate::error::{ApiError, ApiResult};
use servicehall_domain::assessment::{Direction, Figure, Month, Status, indicator};
use servicehall_domain::reports::{SECTIONS, SectionKind, TREND_MONTHS, month_on_month, target_of};
use servicehall_store::{Hall, ReportScope, Store};

/// What a report covers, resolved: its halls and how it is named.
#[derive(Debug, Clone)]
pub struct Scope {
    pub scope: ReportScope,
    pub code: String,
    pub name: String,
    pub halls: Vec<Hall>,
}

impl Scope {
    pub fn of_hall(h: Hall) -> Self {
        Self {
            scope: ReportScope::hall(h.id),
            code: h.code.clone(),
            name: h.name.clone(),
            halls: vec![h],
        }
    }
    fn tz(&self) -> chrono_tz::Tz {
        self.halls
            .first()
            .and_then(|h| servicehall_domain::time::parse_tz(&h.timezone).ok())
            .unwrap_or(chrono_tz::Asia::Shanghai)
    }
    /// The month that ended last in the scope's zone at `now`.
    pub fn last_month(&self, now: i64) -> Month {
        Month::of(servicehall_domain::time::service_day(now, self.tz())).back(1)
    }
}

/// A region by code, with all its halls (no caller: the command line and the month-end step;
/// the routes check the caller's scope on top).
pub async fn region_scope(store: &dyn Store, code: &str) -> ApiResult<Scope> {
    let tree = store.region_tree().await?;
    let region = tree
        .in_order()
        .into_iter()
        .map(|(_, r)| r.clone())
        .find(|r| r.code == code)
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "没有代码为 {code} 的区域，请从区域列表中选择 · no region with code {code}; pick one from the region list"
            ))
        })?;
    let ids = store.region_halls(region.id).await?;
    let halls: Vec<Hall> = store
        .halls()
        .await?
        .into_iter()
        .filter(|h| ids.contains(&h.id))
        .collect();
    Ok(Scope {
        scope: ReportScope::region(region.id),
        code: region.code.clone(),
        name: tree.path_zh(region.id),
        halls,
    })
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

async fn sums(store: &dyn Store, ids: &[i64], month: Month) -> ApiResult<Sums> {
    let rows = store
        // Twelve months: the items' trend; the sections' six and last month are within.
        .assessment_months(ids, yyyymm(month.back(11)), yyyymm(month))
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                (r.indicator, r.month),
                Figure {
                    num: r.num,
                    den: r.den,
                },
            )
        })
        .collect())
}

fn row(sums: &Sums, code: &str, month: Month, drill: Option<(&str, &str, &str)>) -> ReportRowView {
    let ind = indicator(code);
    let fig = |m: Month| {
        sums.get(&(code.to_string(), yyyymm(m)))
            .copied()
            .unwrap_or_default()
    };
    let val = |m: Month| {
        let f = fig(m);
        ind.and_then(|i| i.unit.value(f.num, f.den)).map(round2)
    };
    let direction = ind.map_or(Direction::Higher, |i| i.direction);
    let (value, previous) = (val(month), val(month.back(1)));
    let (change, better) = month_on_month(value, previous, direction);
    let target = target_of(code);
    let status = match target {
        Some(t) => Status::judge(value, t, direction),
        None => Status::NoData,
    };
    let now = fig(month);
    ReportRowView {
        indicator: code.into(),
        name_zh: ind.map_or(code, |i| i.name_zh).into(),
        name_en: ind.map_or("", |i| i.name_en).into(),
        unit: ind.map_or("", |i| unit_code(i.unit)).into(),
        unit_zh: ind.map_or("", |i| i.unit.label_zh()).into(),
        direction: match direction {
            Direction::Higher => "higher".into(),
            Direction::Lower => "lower".into(),
        },
        value,
        previous,
        change,
        better,
        target,
        status: if target.is_some() {
            status.as_str().into()
        } else {
            String::new()
        },
        status_zh: if target.is_some() {
            status.label_zh().into()
        } else {
            String::new()
        },
        numerator: now.num,
        denominator: now.den,
        trend: (0..TREND_MONTHS)
            .rev()
            .map(|k| val(month.back(k)))
            .collect(),
        drill: match (ind, drill) {
            (Some(i), Some((hall, from, to))) => Some(i.drill_link(hall, from, to)),
            _ => None,
        },
    }
}

/// The audit heads the report pins: a hall's own chain, or for a region the deployment
/// chain and each of its halls'.
async fn heads(store: &dyn Store, scope: &Scope) -> ApiResult<Vec<ReportAuditHeadView>> {
    let all = match scope.scope.kind.as_str() {
        "hall" => store.audit_heads(Some(scope.scope.id)).await?,
        _ => store.audit_heads(None).await?,
    };
    let ids: Vec<i64> = scope.halls.iter().map(|h| h.id).collect();
    let mut out: Vec<ReportAuditHeadView> = all
        .into_iter()
        .filter(|h| ids.contains(&h.chain) || (scope.scope.kind != "hall" && h.chain == 0))
        .map(|h| ReportAuditHeadView {
            name: if h.chain == 0 {
                "全局链 · deployment".into()
            } else {
                scope
                    .halls
                    .iter()
                    .find(|x| x.id == h.chain)
                    .map_or(format!("#{}", h.chain), |x| {
                        format!("{} {}", x.code, x.name)
                    })
            },
            pin: format!("{}:{}:{}", h.chain, h.seq, h.hash),
            chain: h.chain,
            seq: h.seq,
            hash: h.hash,
        })
        .collect();
    out.sort_by_key(|h| h.chain);
    Ok(out)
}

/// The report of `scope` for `month`, made at `now` by `by`. Keeps the figures up first.
pub async fn build(
    store: &dyn Store,
    scope: &Scope,
    month: Month,
    now: i64,
    by: &str,
) -> ApiResult<MonthlyReportView> {
    let ids: Vec<i64> = scope.halls.iter().map(|h| h.id).collect();
    store.refresh_assessment(&ids, now).await?;
    let sums = sums(store, &ids, month).await?;
    let last = month.end().pred_opt().unwrap_or(month.first_day());
    let (from, to) = (month.first_day().to_string(), last.to_string());
    let hall_code = (scope.scope.kind == "hall").then_some(scope.code.as_str());
    let drill = hall_code.map(|h| (h, from.as_str(), to.as_str()));
    let sections = SECTIONS
        .iter()
        .map(|s| ReportSectionView {
            code: s.code.into(),
            title_zh: s.title_zh.into(),
            title_en: s.title_en.into(),
            sheet: s.sheet.into(),
            kind: match s.kind {
                SectionKind::Indicators => "indicators",
                SectionKind::Conformance => "conformance",
                SectionKind::Audit => "audit",
            }
            .into(),
            chart: s.chart,
            rows: s
                .indicators
                .iter()
                .map(|c| row(&sums, c, month, drill))
                .collect(),
        })
        .collect();
    let items = measure::items(&sums, month, hall_code);
    let (met, not_met, no_data) = measure::tally(&items);
    let audit_heads = heads(store, scope).await?;
    let audit_head = audit_heads
        .iter()
        .find(|h| {
            h.chain
                == if scope.scope.kind == "hall" {
                    scope.scope.id
                } else {
                    0
                }
        })
        .map_or_else(|| "—".to_string(), |h| h.pin.clone());
    let generated_local = chrono::DateTime::from_timestamp_millis(now)
        .map(|t| {
            t.with_timezone(&scope.tz())
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default();
    Ok(MonthlyReportView {
        scope: scope.scope.kind.clone(),
        scope_code: scope.code.clone(),
        scope_name: scope.name.clone(),
        month: month.to_string(),
        months: (0..TREND_MONTHS)
            .rev()
            .map(|k| month.back(k).to_string())
            .collect(),
        halls: scope.halls.len(),
        generated_at: now,
        generated_local,
        generated_by: by.into(),
        audit_head,
        audit_heads,
        sections,
        met,
        not_met,
        no_data,
        items,
    })
}
