//! The JSON shapes of the layout map. The domain types carry no OpenAPI description, so the
//! bodies are mirrored here and converted both ways.

use crate::api::inspections::view::InspectionView;
use serde::{Deserialize, Serialize};
use servicehall_domain::inspections::Template;
use servicehall_domain::inspections::score::format_tenths;
use servicehall_domain::layout_map::walk::{Finding, Tally};
use servicehall_domain::layout_map::{Item, Layout, Zone, ZoneKind};
use servicehall_store::{LayoutMap, LayoutWalk};
use utoipa::ToSchema;

/// 引导区, 等候区, 业务办理区, 自助区, 24小时自助区, 低柜, 高柜, 其他.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ZoneKindView {
    Guide,
    Waiting,
    Service,
    SelfService,
    #[serde(rename = "self_service_24h")]
    SelfService24h,
    LowCounter,
    HighCounter,
    Other,
}

const KINDS: [(ZoneKindView, ZoneKind); 8] = [
    (ZoneKindView::Guide, ZoneKind::Guide),
    (ZoneKindView::Waiting, ZoneKind::Waiting),
    (ZoneKindView::Service, ZoneKind::Service),
    (ZoneKindView::SelfService, ZoneKind::SelfService),
    (ZoneKindView::SelfService24h, ZoneKind::SelfService24h),
    (ZoneKindView::LowCounter, ZoneKind::LowCounter),
    (ZoneKindView::HighCounter, ZoneKind::HighCounter),
    (ZoneKindView::Other, ZoneKind::Other),
];

impl From<ZoneKindView> for ZoneKind {
    fn from(k: ZoneKindView) -> Self {
        KINDS
            .iter()
            .find(|(v, _)| *v == k)
            .map_or(ZoneKind::Other, |p| p.1)
    }
}

impl From<ZoneKind> for ZoneKindView {
    fn from(k: ZoneKind) -> Self {
        KINDS
            .iter()
            .find(|(_, d)| *d == k)
            .map_or(Self::Other, |p| p.0)
    }
}

/// A zone: a rectangle of the plan (plan units, origin top left).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ZoneBody {
    /// Lowercase letters, digits and `_`; unique among zones.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub kind: ZoneKindView,
    pub x: i64,
    pub y: i64,
    pub w: i64,
    pub h: i64,
}

/// An item at a fixed point inside its zone.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ItemBody {
    /// Lowercase letters, digits and `_`; unique among items.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// The code of the zone it stands in.
    pub zone: String,
    pub x: i64,
    pub y: i64,
    /// How many should be there; 0 or more.
    pub expected: i64,
    /// Out of place fails the whole walk (灭火器, 医药箱).
    #[serde(default)]
    pub critical: bool,
}

/// A new version of the hall's plan.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct LayoutBody {
    /// The version the edit started from; when given and no longer the latest, the save is
    /// refused (409) so one editor does not overwrite another's work.
    #[serde(default)]
    pub base_version: Option<i64>,
    pub width: i64,
    pub height: i64,
    pub zones: Vec<ZoneBody>,
    pub items: Vec<ItemBody>,
}

impl From<LayoutBody> for Layout {
    fn from(b: LayoutBody) -> Self {
        Layout {
            width: b.width,
            height: b.height,
            zones: b
                .zones
                .into_iter()
                .map(|z| Zone {
                    code: z.code.trim().into(),
                    name_zh: z.name_zh,
                    name_en: z.name_en,
                    kind: z.kind.into(),
                    x: z.x,
                    y: z.y,
                    w: z.w,
                    h: z.h,
                })
                .collect(),
            items: b
                .items
                .into_iter()
                .map(|i| Item {
                    code: i.code.trim().into(),
                    name_zh: i.name_zh,
                    name_en: i.name_en,
                    zone: i.zone.trim().into(),
                    x: i.x,
                    y: i.y,
                    expected: i.expected,
                    critical: i.critical,
                })
                .collect(),
        }
    }
}

/// An item as the map shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemView {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub zone: String,
    pub x: i64,
    pub y: i64,
    pub expected: i64,
    pub critical: bool,
    /// The reference photo's URL, when one was set.
    pub photo: Option<String>,
}

/// A version of a hall's plan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LayoutView {
    pub id: i64,
    pub hall_id: i64,
    pub version: i64,
    pub created_at: i64,
    pub width: i64,
    pub height: i64,
    pub zones: Vec<ZoneBody>,
    pub items: Vec<ItemView>,
}

impl LayoutView {
    pub fn new(m: &LayoutMap, hall_code: &str) -> Self {
        let l = &m.layout;
        LayoutView {
            id: m.id,
            hall_id: m.hall_id,
            version: m.version,
            created_at: m.created_at,
            width: l.width,
            height: l.height,
            zones: l
                .zones
                .iter()
                .map(|z| ZoneBody {
                    code: z.code.clone(),
                    name_zh: z.name_zh.clone(),
                    name_en: z.name_en.clone(),
                    kind: z.kind.into(),
                    x: z.x,
                    y: z.y,
                    w: z.w,
                    h: z.h,
                })
                .collect(),
            items: l
                .items
                .iter()
                .map(|i| ItemView {
                    photo: m.photos.iter().find(|(c, _)| *c == i.code).map(|(c, at)| {
                        format!("/api/v1/halls/{hall_code}/layout/items/{c}/photo?v={at}")
                    }),
                    code: i.code.clone(),
                    name_zh: i.name_zh.clone(),
                    name_en: i.name_en.clone(),
                    zone: i.zone.clone(),
                    x: i.x,
                    y: i.y,
                    expected: i.expected,
                    critical: i.critical,
                })
                .collect(),
        }
    }
}

/// 在位, 移位, 缺失, 损坏, 数量不足: only `in_place` passes.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FindingView {
    InPlace,
    Moved,
    Missing,
    Damaged,
    Short,
}

const FINDINGS: [(FindingView, Finding); 5] = [
    (FindingView::InPlace, Finding::InPlace),
    (FindingView::Moved, Finding::Moved),
    (FindingView::Missing, Finding::Missing),
    (FindingView::Damaged, Finding::Damaged),
    (FindingView::Short, Finding::Short),
];

impl From<FindingView> for Finding {
    fn from(f: FindingView) -> Self {
        FINDINGS
            .iter()
            .find(|(v, _)| *v == f)
            .map_or(Finding::Damaged, |p| p.1)
    }
}

impl From<Finding> for FindingView {
    fn from(f: Finding) -> Self {
        FINDINGS
            .iter()
            .find(|(_, d)| *d == f)
            .map_or(Self::Damaged, |p| p.0)
    }
}

/// One item's finding on a walk.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WalkFindingView {
    pub item: String,
    pub finding: FindingView,
    /// "在位 · in place" …
    pub label: String,
    pub counted: Option<i64>,
    pub note: String,
}

/// A map walk: the inspection (items, scores by zone), the plan version it walked and the
/// findings so far.
#[derive(Debug, Serialize, ToSchema)]
pub struct WalkView {
    pub inspection: InspectionView,
    pub layout: LayoutView,
    pub findings: Vec<WalkFindingView>,
}

impl WalkView {
    pub fn new(w: &LayoutWalk, t: &Template, hall_code: &str) -> Self {
        WalkView {
            inspection: InspectionView::new(&w.inspection, t),
            layout: LayoutView::new(&w.layout, hall_code),
            findings: w
                .findings
                .iter()
                .map(|f| WalkFindingView {
                    item: f.item.clone(),
                    finding: f.finding.into(),
                    label: f.finding.label().into(),
                    counted: f.counted,
                    note: f.note.clone(),
                })
                .collect(),
        }
    }
}

/// A zone's score over the submitted walks of the period.
#[derive(Debug, Serialize, ToSchema)]
pub struct ZoneScoreView {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// "92.5"; "—" when no walk checked the zone.
    pub score: String,
    pub passed_weight: u32,
    pub applicable_weight: u32,
}

/// One item's findings over the submitted walks of the period.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemFindingsView {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub zone: String,
    /// Walks that checked it.
    pub checked: u32,
    pub in_place: u32,
    pub moved: u32,
    pub missing: u32,
    pub damaged: u32,
    pub short: u32,
}

/// Scores by zone and findings by item over the period's submitted walks.
#[derive(Debug, Serialize, ToSchema)]
pub struct FindingsView {
    pub days: i64,
    pub walks: usize,
    pub zones: Vec<ZoneScoreView>,
    pub items: Vec<ItemFindingsView>,
}

impl FindingsView {
    pub fn new(days: i64, walks: usize, latest: &Layout, t: &Tally) -> Self {
        FindingsView {
            days,
            walks,
            zones: t
                .zones
                .iter()
                .map(|(code, share)| {
                    let z = latest.zone(code);
                    ZoneScoreView {
                        code: code.clone(),
                        name_zh: z.map_or_else(|| code.clone(), |z| z.name_zh.clone()),
                        name_en: z.map_or_else(|| code.clone(), |z| z.name_en.clone()),
                        score: format_tenths(share.tenths()),
                        passed_weight: share.passed,
                        applicable_weight: share.applicable,
                    }
                })
                .collect(),
            items: t
                .items
                .iter()
                .map(|it| {
                    let i = latest.item(&it.item);
                    let [in_place, moved, missing, damaged, short] = it.by_finding;
                    ItemFindingsView {
                        code: it.item.clone(),
                        name_zh: i.map_or_else(|| it.item.clone(), |i| i.name_zh.clone()),
                        name_en: i.map_or_else(|| it.item.clone(), |i| i.name_en.clone()),
                        zone: i.map(|i| i.zone.clone()).unwrap_or_default(),
                        checked: it.seen,
                        in_place,
                        moved,
                        missing,
                        damaged,
                        short,
                    }
                })
                .collect(),
        }
    }
}
