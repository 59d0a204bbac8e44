//! The demo's region registers (区域风险), marked as sample: the Dalian company's own risks
//! (a regional power cut crowding several halls, a tariff change's enquiry peak, customer
//! data at outsourced maintenance), kept by the city supervisor `dlsupervisor`, and the
//! province's (a province-wide marketing-system failure, a public-opinion event), kept by
//! `supervisor` with one acceptance signed by `admin`. One Dalian risk was lowered after a
//! review, so its trend has a step. The province set a stricter matrix of its own two weeks
//! ago (高 from 8, reviewed every 60 days), so its matrix screen has a history; Dalian keeps
//! the default. Seeded once: a region that has risks is left alone.

use crate::CliResult;
use chrono::Days;
use servicehall_domain::Role;
use servicehall_domain::risks::{Band, Category, Control, Matrix, Rating, Treatment};
use servicehall_domain::time::service_day;
use servicehall_store::{RiskActor, RiskInput, Store};

const DAY: i64 = 86_400_000;

/// (region, code, title, category, cause, event, consequence, inherent, residual, controls,
/// treatment)
type Sample = (
    &'static str,
    &'static str,
    &'static str,
    Category,
    &'static str,
    &'static str,
    &'static str,
    (u8, u8),
    (u8, u8),
    &'static [(&'static str, &'static str, u32)],
    Treatment,
);

const SAMPLES: [Sample; 5] = [
    (
        "LN-DL",
        "DL-R01",
        "区域性停电后多厅客户聚集",
        Category::Outage,
        "主网故障或台风、暴雪导致城区大面积停电",
        "西岗、中山等多个营业厅同时涌入咨询、报修和缴费客户",
        "排队过长、客户冲突与投诉，经社交媒体发酵成舆情",
        (4, 4),
        (3, 4),
        &[
            ("停电信息经短信、公众号提前推送", "市公司营销部", 90),
            ("相邻营业厅引导人员互相支援预案", "各营业厅值班长", 180),
            ("95598 与营业厅统一停电答复口径", "客户服务中心", 90),
        ],
        Treatment::Reduce,
    ),
    (
        "LN-DL",
        "DL-R02",
        "电价政策调整后集中咨询高峰",
        Category::BusinessError,
        "分时电价、阶梯电价政策调整，宣传解读不到位",
        "调整后两周内营业厅咨询量成倍增加，各厅解释口径不一",
        "客户误解、重复往返和投诉",
        (3, 3),
        (2, 3),
        &[("政策调整前统一培训与答复口径", "市公司营销部", 365)],
        Treatment::Reduce,
    ),
    (
        "LN-DL",
        "DL-R03",
        "外包运维泄露客户信息",
        Category::InfoSecurity,
        "第三方运维人员账号与权限管理不严",
        "营业厅终端或视频中的客户信息被违规导出",
        "客户隐私受损、监管处罚和赔偿",
        (2, 5),
        (2, 4),
        &[
            ("运维账号一人一号、季度复核权限", "市公司信通公司", 90),
            ("外包合同约定保密责任与赔偿", "市公司法律事务部", 365),
        ],
        Treatment::Transfer,
    ),
    (
        "LN",
        "LN-R01",
        "营销业务系统全省故障",
        Category::Outage,
        "省级营销系统升级失败或数据中心故障",
        "全省营业厅无法收费、办理业扩等业务",
        "客户滞留、人工登记差错、事后补录工作量大",
        (3, 5),
        (2, 5),
        &[
            ("系统升级安排在夜间并备有回退方案", "省公司信通公司", 180),
            ("营业厅人工登记应急流程每半年演练", "省公司营销部", 180),
        ],
        Treatment::Reduce,
    ),
    (
        "LN",
        "LN-R02",
        "涉电服务舆情事件",
        Category::PublicOpinion,
        "停电、收费争议或服务态度视频在社交媒体传播",
        "负面舆情在全省范围扩散",
        "品牌受损、监管问询",
        (3, 4),
        (2, 4),
        &[("7×24 舆情监测与 2 小时响应机制", "省公司宣传部", 90)],
        Treatment::Accept,
    ),
];

/// Seeds the sample region registers once; returns how many risks were added.
pub async fn seed_if_empty(store: &dyn Store, now: i64) -> CliResult<usize> {
    let tree = store.region_tree().await?;
    let regions: Vec<(String, i64)> = tree
        .in_order()
        .into_iter()
        .map(|(_, r)| (r.code.clone(), r.id))
        .collect();
    let region = |code: &str| regions.iter().find(|(c, _)| c == code).map(|x| x.1);
    let (Some(dl), Some(ln)) = (region("LN-DL"), region("LN")) else {
        return Ok(0);
    };
    if !store.region_risks(dl).await?.is_empty() || !store.region_risks(ln).await?.is_empty() {
        return Ok(0);
    }
    let person = |p: Option<(servicehall_store::Staff, String)>| p.map(|(s, _)| s);
    let (Some(city), Some(province), Some(admin)) = (
        person(store.staff_login("dlsupervisor").await?),
        person(store.staff_login("supervisor").await?),
        person(store.staff_login("admin").await?),
    ) else {
        return Ok(0);
    };
    store
        .set_region_risk_matrix(ln, &province_matrix(), Some(province.id), now - 14 * DAY)
        .await?;
    let today = service_day(now, chrono_tz::Asia::Shanghai);
    let mut added = 0;
    for (code_region, code, title, category, cause, event, consequence, inh, res, controls, t) in
        SAMPLES
    {
        let (region_id, owner) = if code_region == "LN" {
            (ln, &province)
        } else {
            (dl, &city)
        };
        let by = RiskActor {
            staff_id: Some(owner.id),
            role: Role::Supervisor,
        };
        let rating = |(l, i): (u8, u8)| Rating {
            likelihood: l,
            impact: i,
        };
        let mut input = RiskInput {
            code: code.into(),
            title: title.into(),
            category,
            cause: cause.into(),
            event: event.into(),
            consequence: consequence.into(),
            owner_id: owner.id,
            inherent: rating(inh),
            residual: rating(inh),
            controls: controls
                .iter()
                .enumerate()
                .map(|(i, (text, who, every))| Control {
                    text: (*text).into(),
                    owner: (*who).into(),
                    last_tested: today.checked_sub_days(Days::new(20 + 30 * i as u64)),
                    test_every_days: *every,
                })
                .collect(),
            treatment: Treatment::Reduce,
            accept_until: None,
            reviewed: false,
            sample: true,
        };
        // Registered a month ago at its inherent score; reviewed last week with the
        // controls in place, which brought the residual score down (the trend's step).
        let r = store
            .create_region_risk(region_id, &input, by, now - 30 * DAY)
            .await?;
        input.residual = rating(res);
        input.treatment = t;
        input.reviewed = true;
        let by = if t == Treatment::Accept {
            // An acceptance is signed above the owner (a supervisor): the administrator.
            input.accept_until = today.checked_add_days(Days::new(180));
            RiskActor {
                staff_id: Some(admin.id),
                role: Role::Admin,
            }
        } else {
            by
        };
        store.update_risk(r.id, &input, by, now - 7 * DAY).await?;
        added += 1;
    }
    Ok(added)
}

/// The province's own matrix: stricter than the default, so a company-wide 2×4 is 高 High.
fn province_matrix() -> Matrix {
    let band = |key: &str, zh: &str, en: &str, min_score, colour: &str, review_days| Band {
        key: key.into(),
        name_zh: zh.into(),
        name_en: en.into(),
        min_score,
        colour: colour.into(),
        review_days,
    };
    Matrix {
        size: 5,
        bands: vec![
            band("low", "低", "Low", 1, "#d7ecd9", 365),
            band("medium", "中", "Medium", 4, "#fff1b8", 120),
            band("high", "高", "High", 8, "#ffd3a8", 60),
            band("extreme", "极高", "Extreme", 15, "#f6a8a8", 30),
        ],
    }
}
