//! Measuring the standard: keeps the halls' figures up, reads twelve months of sums and
//! judges each item against its target. Shared by the JSON routes and the `/conformance` page.

use super::view::{ConformanceHallView, ConformanceItemView, ConformanceView, unit_code};
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use servicehall_domain::assessment::{Direction, Figure, ITEMS, Month, Status, indicator};
use servicehall_store::{Hall, MonthFigure};
use std::collections::HashMap;

/// `YYYY-MM`, or the current month of the first hall's zone when absent.
pub fn month_or_now(s: &AppState, q: Option<&str>, hall: Option<&Hall>) -> ApiResult<Month> {
    match q.map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => Month::parse(m).map_err(ApiError::unprocessable),
        None => {
            let tz = hall
                .and_then(|h| servicehall_domain::time::parse_tz(&h.timezone).ok())
                .unwrap_or(chrono_tz::Asia::Shanghai);
            Ok(Month::of(servicehall_domain::time::service_day(
                s.now(),
                tz,
            )))
        }
    }
}

pub fn yyyymm(m: Month) -> i64 {
    i64::from(m.year) * 100 + i64::from(m.month)
}

/// The months' sums by (indicator, YYYYMM).
pub type Sums = HashMap<(String, i64), Figure>;

async fn sums(s: &AppState, ids: &[i64], month: Month) -> ApiResult<Sums> {
    let rows: Vec<MonthFigure> = s
        .store
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

/// The items judged for the month; `hall` (a single hall's code) gives evidence links.
pub fn items(sums: &Sums, month: Month, hall: Option<&str>) -> Vec<ConformanceItemView> {
    let last_day = month.end().pred_opt().unwrap_or(month.first_day());
    let (from, to) = (month.first_day().to_string(), last_day.to_string());
    ITEMS
        .iter()
        .map(|item| {
            let ind = item.measure.and_then(|m| indicator(m.indicator));
            let fig = |m: Month| {
                ind.and_then(|i| sums.get(&(i.code.to_string(), yyyymm(m))))
                    .copied()
                    .unwrap_or_default()
            };
            let now = fig(month);
            let value = ind.and_then(|i| i.unit.value(now.num, now.den));
            let target = item.measure.map(|m| m.target);
            let status = match (ind, target) {
                (Some(i), Some(t)) => Status::judge(value, t, i.direction),
                _ => Status::NoData,
            };
            let (note_zh, note_en) = match (ind, value) {
                (None, _) => (
                    item.unmeasured_zh.to_string(),
                    item.unmeasured_en.to_string(),
                ),
                (Some(_), None) => (
                    "本月没有可计的记录".into(),
                    "nothing was counted this month".into(),
                ),
                _ => (String::new(), String::new()),
            };
            ConformanceItemView {
                code: item.code.into(),
                group: serde_json::to_value(item.group)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                group_zh: item.group.label_zh().into(),
                name_zh: item.name_zh.into(),
                name_en: item.name_en.into(),
                indicator: ind.map(|i| i.code.into()),
                indicator_zh: ind.map(|i| i.name_zh.into()),
                unit: ind.map(|i| unit_code(i.unit).into()),
                unit_zh: ind.map(|i| i.unit.label_zh().into()),
                direction: ind.map(|i| match i.direction {
                    Direction::Higher => "higher".into(),
                    Direction::Lower => "lower".into(),
                }),
                value: value.map(|v| (v * 100.0).round() / 100.0),
                target,
                status: status.as_str().into(),
                status_zh: status.label_zh().into(),
                numerator: now.num,
                denominator: now.den,
                note_zh,
                note_en,
                evidence: match (ind, hall) {
                    (Some(i), Some(code)) => Some(i.drill_link(code, &from, &to)),
                    _ => None,
                },
                trend: (0..12)
                    .rev()
                    .map(|k| {
                        let f = fig(month.back(k));
                        ind.and_then(|i| i.unit.value(f.num, f.den))
                            .map(|v| (v * 100.0).round() / 100.0)
                    })
                    .collect(),
            }
        })
        .collect()
}

pub fn tally(items: &[ConformanceItemView]) -> (usize, usize, usize) {
    let n = |s: &str| items.iter().filter(|i| i.status == s).count();
    (n("met"), n("not_met"), n("no_data"))
}

/// The standard measured over `halls` (one hall, or a region's halls) for `month`.
pub async fn conformance(
    s: &AppState,
    halls: &[Hall],
    month: Month,
    scope: String,
    scope_zh: String,
    per_hall: bool,
) -> ApiResult<ConformanceView> {
    let ids: Vec<i64> = halls.iter().map(|h| h.id).collect();
    let single = (halls.len() == 1 && !per_hall).then(|| halls[0].code.as_str());
    // Keep the figures up first: today's events since the last step are counted now.
    s.store.refresh_assessment(&ids, s.now()).await?;
    let all = sums(s, &ids, month).await?;
    let items = items(&all, month, single);
    let (met, not_met, no_data) = tally(&items);
    let mut hall_rows = Vec::new();
    if per_hall {
        for h in halls {
            let one = sums(s, &[h.id], month).await?;
            let (met, not_met, no_data) = tally(&self::items(&one, month, None));
            hall_rows.push(ConformanceHallView {
                code: h.code.clone(),
                name: h.name.clone(),
                met,
                not_met,
                no_data,
            });
        }
    }
    Ok(ConformanceView {
        scope,
        scope_zh,
        month: month.to_string(),
        months: (0..12).rev().map(|k| month.back(k).to_string()).collect(),
        met,
        not_met,
        no_data,
        items,
        halls: hall_rows,
    })
}
