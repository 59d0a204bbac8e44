//! The standard's items (seed: 营业厅标准化体系建设): 6 management requirements, 8 basic
//! requirements, 7 principles, 5 service rules and 5 behaviour codes, each with the
//! indicator that measures it and its target — or, where no record measures it yet, the
//! reason, so the page says so instead of showing a number.

/// The part of the standard an item belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemGroup {
    Management,
    Basic,
    Principle,
    ServiceRule,
    Behaviour,
}

impl ItemGroup {
    pub const ALL: [Self; 5] = [
        Self::Management,
        Self::Basic,
        Self::Principle,
        Self::ServiceRule,
        Self::Behaviour,
    ];
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Management => "管理要求",
            Self::Basic => "基本要求",
            Self::Principle => "基本原则",
            Self::ServiceRule => "服务准则",
            Self::Behaviour => "行为守则",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Management => "Management requirements",
            Self::Basic => "Basic requirements",
            Self::Principle => "Principles",
            Self::ServiceRule => "Service rules",
            Self::Behaviour => "Behaviour codes",
        }
    }
}

/// The indicator that measures an item and the value it must reach.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Measure {
    pub indicator: &'static str,
    pub target: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct ConformanceItem {
    pub code: &'static str,
    pub group: ItemGroup,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub measure: Option<Measure>,
    /// Why nothing measures the item yet (when `measure` is None).
    pub unmeasured_zh: &'static str,
    pub unmeasured_en: &'static str,
}

const fn m(
    code: &'static str,
    group: ItemGroup,
    name_zh: &'static str,
    name_en: &'static str,
    indicator: &'static str,
    target: f64,
) -> ConformanceItem {
    ConformanceItem {
        code,
        group,
        name_zh,
        name_en,
        measure: Some(Measure { indicator, target }),
        unmeasured_zh: "",
        unmeasured_en: "",
    }
}

const fn none(
    code: &'static str,
    group: ItemGroup,
    name_zh: &'static str,
    name_en: &'static str,
    why_zh: &'static str,
    why_en: &'static str,
) -> ConformanceItem {
    ConformanceItem {
        code,
        group,
        name_zh,
        name_en,
        measure: None,
        unmeasured_zh: why_zh,
        unmeasured_en: why_en,
    }
}

use ItemGroup::{Basic as B, Behaviour as C, Management as M, Principle as P, ServiceRule as S};

pub const ITEMS: &[ConformanceItem] = &[
    m(
        "M1",
        M,
        "规章制度标准化",
        "Standardized rules",
        "ack_rate",
        95.0,
    ),
    m(
        "M2",
        M,
        "人员行为规范化",
        "Standardized conduct",
        "observation_score",
        90.0,
    ),
    m(
        "M3",
        M,
        "工作流程程序化",
        "Programmed workflows",
        "on_time_rate",
        98.0,
    ),
    m(
        "M4",
        M,
        "物品摆放定置化",
        "Fixed positions for items",
        "inspection_score",
        90.0,
    ),
    m(
        "M5",
        M,
        "现场环境整洁化",
        "A clean and tidy hall",
        "inspection_pass",
        95.0,
    ),
    // Supervision that runs as scheduled: the site checks done on time.
    m(
        "M6",
        M,
        "考核监督制度化",
        "Institutional assessment and supervision",
        "site_checks_done_rate",
        95.0,
    ),
    m(
        "B1",
        B,
        "基本职业素养",
        "Professional qualities",
        "observation_score",
        90.0,
    ),
    m(
        "B2",
        B,
        "基本工作要求",
        "Basic work requirements",
        "on_time_rate",
        98.0,
    ),
    m(
        "B3",
        B,
        "管理客户期望",
        "Managing expectations",
        "wait_within",
        80.0,
    ),
    m(
        "B4",
        B,
        "管理关键时刻",
        "Managing moments of truth",
        "bad_rating_rate",
        2.0,
    ),
    m(
        "B5",
        B,
        "管理客户体验",
        "Managing the customer experience",
        "satisfaction",
        95.0,
    ),
    none(
        "B6",
        B,
        "管理服务风险",
        "Managing service risks",
        "风险台账尚未上线",
        "the risk register is not in place yet",
    ),
    m(
        "B7",
        B,
        "管理客户满意",
        "Managing satisfaction",
        "satisfaction",
        95.0,
    ),
    none(
        "B8",
        B,
        "管理客户价值",
        "Managing customer value",
        "尚无客户价值记录",
        "no customer-value records exist yet",
    ),
    m("P1", P, "以人为本", "People first", "satisfaction", 95.0),
    none(
        "P2",
        P,
        "守法合规",
        "Lawful and compliant",
        "尚无合规检查记录",
        "no compliance records exist yet",
    ),
    none(
        "P3",
        P,
        "透明开放",
        "Transparent and open",
        "业务公开尚无可计量的记录",
        "public information has no measurable records yet",
    ),
    m(
        "P4",
        P,
        "风险预防",
        "Risk prevention",
        "complaints_per_10k",
        5.0,
    ),
    m(
        "P5",
        P,
        "诚实守信",
        "Honesty and keeping promises",
        "on_time_rate",
        98.0,
    ),
    none(
        "P6",
        P,
        "系统管理",
        "Systematic management",
        "审计链与考核表尚未上线",
        "the audit chain and scorecards are not in place yet",
    ),
    m(
        "P7",
        P,
        "持续改进",
        "Continuous improvement",
        "rectification_on_time",
        95.0,
    ),
    m(
        "S1",
        S,
        "以客为尊",
        "Customer first",
        "bad_rating_rate",
        2.0,
    ),
    none(
        "S2",
        S,
        "首问负责",
        "First-inquiry ownership",
        "首问转交尚未形成指标",
        "first-inquiry hand-overs are not an indicator yet",
    ),
    m(
        "S3",
        S,
        "限时办结",
        "Finished within time limits",
        "on_time_rate",
        98.0,
    ),
    none(
        "S4",
        S,
        "业务公开",
        "Public information",
        "业务公开尚无可计量的记录",
        "public information has no measurable records yet",
    ),
    none(
        "S5",
        S,
        "挂牌服务",
        "Badges and counter plates",
        "挂牌检查尚未单列",
        "badge checks are not recorded on their own yet",
    ),
    m(
        "C1",
        C,
        "定妆上岗",
        "Groomed for duty",
        "inspection_score",
        90.0,
    ),
    m(
        "C2",
        C,
        "迎送有声",
        "Greeting and farewell",
        "observation_score",
        90.0,
    ),
    m("C3", C, "有序接办", "Orderly service", "wait_mean", 15.0),
    m(
        "C4",
        C,
        "精准高效",
        "Accurate and efficient",
        "handling_mean",
        12.0,
    ),
    m("C5", C, "一站服务", "One-stop service", "repeat_trips", 5.0),
];
