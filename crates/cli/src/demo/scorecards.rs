//! The demo's scorecards (考核 · 红黑榜): a hall scheme for 大连 in force for the last three
//! months, the month before last frozen for 大连's halls, one appeal decided into an
//! adjustment and one pending, each with an evidence file (a PDF log, a photo). Last month and this month are scored live from the seeded
//! history; the frozen month lies before that history, so its scores are built by the
//! domain's scoring from sample figures (shown as such on the card's lines).

use crate::CliResult;
use servicehall_domain::assessment::{Figure, Month};
use servicehall_domain::scorecards::{Level, default_scheme, score, tenths};
use servicehall_store::{
    AppealDecision, FrozenInput, HallStore, NewAppeal, NewAppealFile, NewFreeze, NewScheme,
    RegionStore, ScorecardStore, SqlStore,
};
use std::collections::BTreeMap;

/// A one-page PDF: the outage log the first appeal rests on.
const OUTAGE_LOG: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 420 200]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj 4 0 obj<</Length 88>>stream\nBT /F1 14 Tf 30 150 Td (Outage log: billing system down 09:10-11:15, manual queue) Tj ET\nendstream endobj 5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

/// A small PNG standing for the photographed receipt of the documents handed in late.
const RECEIPT_PHOTO: &[u8] = b"\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x08\x00\x00\x00\x08\x08\x02\x00\x00\x00\x4b\x6d\x29\xdc\x00\x00\x00\x11\x49\x44\x41\x54\x78\x9c\x63\xb8\xf1\xee\x01\x56\xc4\x30\xb4\x24\x00\x38\xa6\xa9\x81\x90\x8e\xd4\x69\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";

fn ym(m: Month) -> i64 {
    i64::from(m.year) * 100 + i64::from(m.month)
}

/// Sample sums of a month before the seeded history, one set per hall (the first hall does
/// better on waiting, the second on complaints).
fn sample(i: usize) -> BTreeMap<String, Figure> {
    let rows: &[(&str, i64, i64)] = if i == 0 {
        &[
            ("satisfaction", 1_412, 1_460),
            ("wait_within", 2_710, 2_950),
            ("on_time_rate", 231, 236),
            ("complaints_per_10k", 1, 3_120),
            ("observation_score", 1_730, 2),
            ("inspection_score", 3_540, 4),
            ("bad_rating_rate", 21, 1_460),
            ("no_show_rate", 148, 2_950),
        ]
    } else {
        &[
            ("satisfaction", 620, 655),
            ("wait_within", 1_010, 1_240),
            ("on_time_rate", 118, 124),
            ("complaints_per_10k", 2, 1_300),
            ("observation_score", 820, 1),
            ("bad_rating_rate", 14, 655),
            ("no_show_rate", 96, 1_240),
        ]
    };
    rows.iter()
        .map(|&(c, num, den)| (c.to_string(), Figure { num, den }))
        .collect()
}

/// Seeds once: a region that already has a hall scheme is left alone.
pub async fn seed(store: &SqlStore, today: chrono::NaiveDate, now: i64) -> CliResult<()> {
    let tree = store.region_tree().await?;
    let Some(dl) = tree
        .in_order()
        .into_iter()
        .find(|(_, r)| r.code == "LN-DL")
        .map(|(_, r)| r.id)
    else {
        return Ok(());
    };
    if !store.scorecard_schemes(dl, "hall").await?.is_empty() {
        return Ok(());
    }
    let this = Month::of(today);
    let frozen = this.back(2);
    let sup = store.staff_login("dlsupervisor").await?.map(|(p, _)| p.id);
    let manager = store.staff_login("manager").await?.map(|(p, _)| p.id);
    // 大连's hall scheme: satisfaction and waiting weigh most; 3 points per violation.
    let mut scheme = default_scheme(Level::Hall);
    for l in &mut scheme.lines {
        l.weight = match l.indicator.as_str() {
            "satisfaction" => 25,
            "wait_within" => 20,
            "on_time_rate" => 15,
            "complaints_per_10k" => 10,
            "observation_score" => 15,
            "inspection_score" => 5,
            "bad_rating_rate" => 5,
            "no_show_rate" => 5,
            _ => 0,
        };
    }
    scheme.deduction_per_violation = 3.0;
    let json =
        serde_json::to_string(&scheme).map_err(|e| crate::CliError::failed(e.to_string()))?;
    store
        .set_scorecard_scheme(
            NewScheme {
                region_id: dl,
                level: "hall".into(),
                effective_month: ym(this.back(3)),
                scheme: json,
                set_by: sup,
                summary: "满意率 25, 等候 20, 按时 15, 投诉 10, 内查 15, 检查 5, 差评 5, 过号 5"
                    .into(),
            },
            now - 95 * 86_400_000,
        )
        .await?;
    let ids = store.region_halls(dl).await?;
    let mut scores = Vec::new();
    for (i, h) in ids.iter().enumerate() {
        let card = score(&scheme, &sample(i), &[]);
        scores.push(FrozenInput {
            hall_id: *h,
            total_tenths: card.total.map(tenths),
            detail: serde_json::to_string(&card)
                .map_err(|e| crate::CliError::failed(e.to_string()))?,
        });
    }
    store
        .freeze_scorecards(
            NewFreeze {
                region_id: dl,
                month: ym(frozen),
                frozen_by: sup,
                scores,
            },
            now - 40 * 86_400_000,
        )
        .await?;
    let mut appeals = 0;
    if let Some(&first) = ids.first() {
        let a = store
            .file_appeal(
                NewAppeal {
                    hall_id: first,
                    month: ym(frozen),
                    reason:
                        "11 日营销系统故障两小时，期间排队等候计入了等候达标率，申请剔除故障时段的影响。"
                            .into(),
                    evidence: "应急处置记录：营销系统故障（人工登记）；系统运维工单".into(),
                    filed_by: manager,
                },
                now - 38 * 86_400_000,
            )
            .await?;
        evidence(
            store,
            a.id,
            "营销系统故障处置记录.pdf",
            OUTAGE_LOG,
            manager,
            now - 38 * 86_400_000 + 60_000,
        )
        .await?;
        store
            .decide_appeal(
                AppealDecision {
                    id: a.id,
                    accept: true,
                    points_tenths: 20,
                    reason: "故障属实且已按预案处置，等候达标率一项加回 2 分。".into(),
                    decided_by: sup,
                },
                now - 35 * 86_400_000,
            )
            .await?;
        appeals += 1;
    }
    if let Some(&second) = ids.get(1) {
        let b = store
            .file_appeal(
                NewAppeal {
                    hall_id: second,
                    month: ym(frozen),
                    reason: "本月有 3 件工单因客户资料补交而超时，属客户原因，申请按时办结率复核。"
                        .into(),
                    evidence: "工单号见附表；客户补交资料签收单".into(),
                    filed_by: None,
                },
                now - 33 * 86_400_000,
            )
            .await?;
        evidence(
            store,
            b.id,
            "客户补交资料签收单.png",
            RECEIPT_PHOTO,
            None,
            now - 33 * 86_400_000 + 60_000,
        )
        .await?;
        appeals += 1;
    }
    println!(
        "考核 · scorecards: 大连 hall scheme from {}, {frozen} frozen for {} halls, {appeals} appeals (/scorecards, /ranking, /appeals)",
        this.back(3),
        ids.len()
    );
    Ok(())
}

/// Attaches a demo evidence file to an appeal (chained into the audit record like any).
async fn evidence(
    store: &SqlStore,
    appeal_id: i64,
    name: &str,
    bytes: &[u8],
    by: Option<i64>,
    at: i64,
) -> CliResult<()> {
    store
        .add_appeal_file(
            NewAppealFile {
                appeal_id,
                name: name.into(),
                bytes: bytes.to_vec(),
                added_by: by,
            },
            at,
        )
        .await?;
    Ok(())
}
