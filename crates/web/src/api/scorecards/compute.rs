//! The scorecards' read model: which scheme scores a month, the figures and violations it
//! reads, live scores of open months and kept scores of frozen ones, the ranking and the
//! freeze. Shared by the JSON routes and the screens.

use super::view::{
    AdjustmentView, DeductionView, RankRowView, RankingView, ScoreLineView, ScorecardView,
    level_zh, local, month_text,
};
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use servicehall_domain::assessment::{Figure, Month, indicator};
use servicehall_domain::regions::RegionTree;
use servicehall_domain::scorecards::ranking::rank;
use servicehall_domain::scorecards::{
    Level, Scheme, Scorecard, Violation, adjusted, default_scheme, roll_up, score, tenths,
};
use servicehall_store::{FrozenInput, Hall, Personal, Staff};
use std::collections::BTreeMap;

pub fn yyyymm(m: Month) -> i64 {
    i64::from(m.year) * 100 + i64::from(m.month)
}

pub fn month_of(ym: i64) -> Month {
    Month {
        year: (ym / 100) as i32,
        month: (ym % 100) as u32,
    }
}

/// The month's instants `[from, to)`: China Standard Time days, as the kept figures.
pub fn bounds(m: Month) -> (i64, i64) {
    use servicehall_domain::assessment::date_day;
    let at = |d: chrono::NaiveDate| date_day(d) * 86_400_000 - 28_800_000;
    (at(m.first_day()), at(m.end()))
}

/// The scheme scoring a month and where it came from.
#[derive(Debug, Clone)]
pub struct Chosen {
    pub scheme: Scheme,
    /// YYYYMM of its first month; `None` for the default.
    pub from: Option<i64>,
    pub set_at: Option<i64>,
    pub set_by: Option<i64>,
}

impl Chosen {
    pub fn label_zh(&self) -> String {
        match self.from {
            Some(m) => format!(
                "自 {} 起执行的方案 · scheme in force from {}",
                month_text(m),
                month_text(m)
            ),
            None => "默认方案（尚未设置） · default scheme (none set yet)".into(),
        }
    }
}

/// The scheme of `level` in force in `month` for a region: the newest version taking effect
/// by then, looked for in the region and then up its parents; the default when none is set.
pub async fn scheme_for(
    s: &AppState,
    tree: &RegionTree,
    region: Option<i64>,
    level: Level,
    month: i64,
) -> ApiResult<Chosen> {
    for r in region
        .map(|r| tree.ancestors_or_self(r))
        .unwrap_or_default()
    {
        let versions = s.store.scorecard_schemes(r, level.as_str()).await?;
        if let Some(v) = versions.into_iter().find(|v| v.effective_month <= month) {
            let scheme: Scheme = serde_json::from_str(&v.scheme).map_err(|e| {
                internal(format!(
                    "考核方案无法读取 · a stored scheme cannot be read: {e}"
                ))
            })?;
            return Ok(Chosen {
                scheme,
                from: Some(v.effective_month),
                set_at: Some(v.set_at),
                set_by: v.set_by,
            });
        }
    }
    Ok(Chosen {
        scheme: default_scheme(level),
        from: None,
        set_at: None,
        set_by: None,
    })
}

/// The halls' kept figures for a month, summed across them (counts, never rates).
async fn hall_figures(s: &AppState, ids: &[i64], m: Month) -> ApiResult<BTreeMap<String, Figure>> {
    s.store.refresh_assessment(ids, s.now()).await?;
    let ym = yyyymm(m);
    let rows = s.store.assessment_months(ids, ym, ym).await?;
    let per: Vec<BTreeMap<String, Figure>> = rows
        .into_iter()
        .map(|r| {
            BTreeMap::from([(
                r.indicator,
                Figure {
                    num: r.num,
                    den: r.den,
                },
            )])
        })
        .collect();
    Ok(roll_up(per.iter()))
}

pub async fn violations(
    s: &AppState,
    ids: &[i64],
    who: Personal,
    m: Month,
) -> ApiResult<Vec<Violation>> {
    let (from, to) = bounds(m);
    Ok(s.store
        .scorecard_violations(ids, who, from, to)
        .await?
        .into_iter()
        .map(|v| Violation {
            observation_id: v.observation_id,
            code: v.code,
            at: v.at,
            note: v.note,
        })
        .collect())
}

/// Scores halls together (one hall, or a region's halls rolled up) live.
pub async fn live(
    s: &AppState,
    tree: &RegionTree,
    halls: &[Hall],
    region: Option<i64>,
    level: Level,
    m: Month,
) -> ApiResult<(Scorecard, Chosen)> {
    let ids: Vec<i64> = halls.iter().map(|h| h.id).collect();
    let chosen = scheme_for(s, tree, region, level, yyyymm(m)).await?;
    let figs = hall_figures(s, &ids, m).await?;
    let v = violations(s, &ids, Personal::Hall, m).await?;
    Ok((score(&chosen.scheme, &figs, &v), chosen))
}

/// Narrows the lines' records to the counter or clerk the card is about (`counter=ID` /
/// `staff=ID`; the ratings and observation lists name a clerk `clerk=ID`), so a personal
/// card explains itself down to its own visits, ratings and observations.
pub fn narrow_records(view: &mut ScorecardView, param: &str) {
    let rated = param.replacen("staff=", "clerk=", 1);
    for l in &mut view.lines {
        let Some(r) = l.records.as_mut() else {
            continue;
        };
        let p = if r.starts_with("/conformance/visits?") {
            param
        } else if r.starts_with("/feedback/ratings?") {
            &rated
        } else if r.starts_with("/observations?") && param.starts_with("staff=") {
            // Observations name the clerk observed, not a counter.
            &rated
        } else {
            continue;
        };
        r.push('&');
        r.push_str(p);
    }
}

/// A view of a scored card; `hall_code` gives each line its records link.
pub fn card_view(
    card: &Scorecard,
    level: Level,
    hall_code: Option<&str>,
    subject: String,
    m: Month,
    scheme: &str,
    scheme_from: Option<i64>,
) -> ScorecardView {
    let last = m.end().pred_opt().unwrap_or(m.first_day());
    let (from, to) = (m.first_day().to_string(), last.to_string());
    ScorecardView {
        level: level.as_str().into(),
        level_zh: level_zh(level),
        hall_code: hall_code.unwrap_or_default().into(),
        subject,
        month: m.to_string(),
        scheme_from: scheme_from.map(month_text).unwrap_or_default(),
        scheme_zh: scheme.into(),
        frozen: false,
        frozen_at: None,
        lines: card
            .lines
            .iter()
            .map(|l| {
                let link = hall_code
                    .and_then(|c| indicator(&l.indicator).map(|i| i.drill_link(c, &from, &to)));
                ScoreLineView::new(l, link)
            })
            .collect(),
        deductions: card.deductions.iter().map(DeductionView::from).collect(),
        earned: card.earned,
        deducted: card.deducted,
        total: card.total,
        adjustments: Vec::new(),
        final_total: card.total,
        note_zh: card.note_zh.clone(),
        note_en: card.note_en.clone(),
        rank: None,
        ranked: None,
    }
}

/// A hall's scorecard: kept if its month is frozen (with the adjustments since), live
/// otherwise.
pub async fn hall_card(
    s: &AppState,
    tree: &RegionTree,
    hall: &Hall,
    m: Month,
) -> ApiResult<ScorecardView> {
    let subject = format!("{} {}", hall.code, hall.name);
    let ym = yyyymm(m);
    let frozen = s
        .store
        .frozen_scores(&[hall.id], ym)
        .await?
        .into_iter()
        .next();
    let mut view = if let Some(f) = frozen {
        let card: Scorecard = serde_json::from_str(&f.detail).map_err(|e| {
            internal(format!(
                "冻结的得分无法读取 · a frozen score cannot be read: {e}"
            ))
        })?;
        let mut v = card_view(
            &card,
            Level::Hall,
            Some(&hall.code),
            subject,
            m,
            "冻结时的方案 · the scheme in force when frozen",
            None,
        );
        v.frozen = true;
        v.frozen_at = s
            .store
            .scorecard_freeze(f.region_id, ym)
            .await?
            .map(|z| local(z.frozen_at));
        v.total = f.total_tenths.map(|t| t as f64 / 10.0);
        let adj = s.store.scorecard_adjustments(&[hall.id], ym).await?;
        let pts: Vec<f64> = adj.iter().map(|a| a.points_tenths as f64 / 10.0).collect();
        v.final_total = v.total.map(|t| adjusted(t, &pts));
        v.adjustments = adj.iter().map(AdjustmentView::from).collect();
        v
    } else {
        let (card, chosen) = live(
            s,
            tree,
            std::slice::from_ref(hall),
            hall.region_id,
            Level::Hall,
            m,
        )
        .await?;
        card_view(
            &card,
            Level::Hall,
            Some(&hall.code),
            subject,
            m,
            &chosen.label_zh(),
            chosen.from,
        )
    };
    // The hall's place among the halls of the nearest region above it with more than one.
    let mut among = None;
    for r in hall
        .region_id
        .map(|r| tree.ancestors_or_self(r))
        .unwrap_or_default()
    {
        among = Some(r);
        if s.store.region_halls(r).await?.len() > 1 {
            break;
        }
    }
    if let Some(r) = among {
        let ranking = ranking(s, tree, r, m, false).await?;
        view.rank = ranking
            .rows
            .iter()
            .find(|x| x.hall_id == hall.id)
            .and_then(|x| x.rank);
        view.ranked = Some(ranking.rows.iter().filter(|x| x.rank.is_some()).count() as u32);
    }
    Ok(view)
}

/// A clerk's scorecard, always live: their own figures and violations.
pub async fn personal_card(
    s: &AppState,
    tree: &RegionTree,
    hall: &Hall,
    staff: &Staff,
    m: Month,
) -> ApiResult<ScorecardView> {
    let subject = format!("{} {}（{}）", staff.badge_no, staff.name, hall.name);
    own_card(s, tree, hall, Personal::Staff(staff.id), subject, m).await
}

/// The live scorecard of one clerk or one counter of `hall` (or the hall's own figures): the scheme of their level in
/// force, scored on their own figures and violations, each line's records narrowed to them.
pub async fn own_card(
    s: &AppState,
    tree: &RegionTree,
    hall: &Hall,
    who: Personal,
    subject: String,
    m: Month,
) -> ApiResult<ScorecardView> {
    let (level, narrow) = match who {
        Personal::Staff(id) => (Level::Clerk, Some(format!("staff={id}"))),
        Personal::Counter(id) => (Level::Counter, Some(format!("counter={id}"))),
        Personal::Hall => (Level::Hall, None),
    };
    let chosen = scheme_for(s, tree, hall.region_id, level, yyyymm(m)).await?;
    let (from, to) = bounds(m);
    let figs: BTreeMap<String, Figure> = s
        .store
        .scorecard_personal_figures(hall.id, who, from, to)
        .await?
        .into_iter()
        .map(|f| {
            (
                f.indicator,
                Figure {
                    num: f.num,
                    den: f.den,
                },
            )
        })
        .collect();
    let v = violations(s, &[hall.id], who, m).await?;
    let card = score(&chosen.scheme, &figs, &v);
    let mut view = card_view(
        &card,
        level,
        Some(&hall.code),
        subject,
        m,
        &chosen.label_zh(),
        chosen.from,
    );
    if let Some(n) = narrow {
        narrow_records(&mut view, &n);
    }
    Ok(view)
}

/// The totals of a region's halls for a month: kept (with adjustments) where frozen, live
/// otherwise.
async fn totals(
    s: &AppState,
    tree: &RegionTree,
    halls: &[Hall],
    m: Month,
) -> ApiResult<Vec<(i64, Option<f64>)>> {
    let ids: Vec<i64> = halls.iter().map(|h| h.id).collect();
    let ym = yyyymm(m);
    let frozen = s.store.frozen_scores(&ids, ym).await?;
    let adj = s.store.scorecard_adjustments(&ids, ym).await?;
    let mut out = Vec::new();
    for h in halls {
        let total = match frozen.iter().find(|f| f.hall_id == h.id) {
            Some(f) => {
                let pts: Vec<f64> = adj
                    .iter()
                    .filter(|a| a.hall_id == h.id)
                    .map(|a| a.points_tenths as f64 / 10.0)
                    .collect();
                f.total_tenths.map(|t| adjusted(t as f64 / 10.0, &pts))
            }
            None => {
                live(
                    s,
                    tree,
                    std::slice::from_ref(h),
                    h.region_id,
                    Level::Hall,
                    m,
                )
                .await?
                .0
                .total
            }
        };
        out.push((h.id, total));
    }
    Ok(out)
}

/// The halls of a region (its whole subtree) ranked for a month against the month before,
/// with the region's own card from the summed counts when `with_card`.
pub async fn ranking(
    s: &AppState,
    tree: &RegionTree,
    region: i64,
    m: Month,
    with_card: bool,
) -> ApiResult<RankingView> {
    let ids = s.store.region_halls(region).await?;
    let mut halls = Vec::new();
    for id in ids {
        halls.push(s.store.hall(id).await?);
    }
    let now = totals(s, tree, &halls, m).await?;
    let before = totals(s, tree, &halls, m.back(1)).await?;
    let rows = rank(&now, &before)
        .iter()
        .map(|r| {
            let h = halls.iter().find(|h| h.id == r.hall_id);
            RankRowView::new(
                r,
                h.map(|h| h.code.clone()).unwrap_or_default(),
                h.map(|h| h.name.clone()).unwrap_or_default(),
            )
        })
        .collect();
    let level = if tree.get(region).and_then(|r| r.parent_id).is_some() {
        Level::City
    } else {
        Level::Province
    };
    let region_zh = tree.path_zh(region);
    let region_card = if with_card {
        let (card, chosen) = live(s, tree, &halls, Some(region), level, m).await?;
        card_view(
            &card,
            level,
            None,
            region_zh.clone(),
            m,
            &chosen.label_zh(),
            chosen.from,
        )
    } else {
        card_view(
            &score(&default_scheme(level), &BTreeMap::new(), &[]),
            level,
            None,
            region_zh.clone(),
            m,
            "",
            None,
        )
    };
    let frozen = s.store.scorecard_freeze(region, yyyymm(m)).await?.is_some();
    Ok(RankingView {
        region_id: region,
        region_zh,
        month: m.to_string(),
        previous_month: m.back(1).to_string(),
        frozen,
        rows,
        region_card,
    })
}

/// Freezes a region's ended month: each hall's live score is kept as it stands.
pub async fn freeze(
    s: &AppState,
    tree: &RegionTree,
    region: i64,
    halls: &[Hall],
    m: Month,
    by: Option<i64>,
    today: Month,
) -> ApiResult<servicehall_store::FreezeRow> {
    if m >= today {
        return Err(ApiError::unprocessable(format!(
            "{m} 尚未结束，月末之后才能冻结 · {m} has not ended yet; freeze it after the month end"
        )));
    }
    let mut scores = Vec::new();
    for h in halls {
        let (card, _) = live(
            s,
            tree,
            std::slice::from_ref(h),
            h.region_id,
            Level::Hall,
            m,
        )
        .await?;
        scores.push(FrozenInput {
            hall_id: h.id,
            total_tenths: card.total.map(tenths),
            detail: serde_json::to_string(&card)
                .map_err(|e| internal(format!("得分无法保存 · the score cannot be kept: {e}")))?,
        });
    }
    Ok(s.store
        .freeze_scorecards(
            servicehall_store::NewFreeze {
                region_id: region,
                month: yyyymm(m),
                frozen_by: by,
                scores,
            },
            s.now(),
        )
        .await?)
}

fn internal(detail: String) -> ApiError {
    ApiError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, detail)
}
