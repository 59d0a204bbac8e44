//! 物品摆放定置化 · 定置图: a hall's floor plan with its zones and the items kept at fixed
//! positions, and the rules of a map walk (an inspection that walks the plan item by item).
//!
//! A layout is versioned like a checklist: saving writes a new version and a walk names the
//! version it walked, so a past walk still shows the plan as it was. The walk itself is an
//! ordinary inspection on a checklist made from the layout ([`walk::walk_template`]); its
//! findings (in place, moved, missing, damaged, short) map onto pass / fail.

#[cfg(test)]
mod tests;
pub mod walk;

use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The kind of a zone; it picks the zone's colour on the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ZoneKind {
    /// 引导区
    Guide,
    /// 等候区
    Waiting,
    /// 业务办理区
    Service,
    /// 自助区
    SelfService,
    /// 24小时自助区
    #[serde(rename = "self_service_24h")]
    SelfService24h,
    /// 低柜
    LowCounter,
    /// 高柜
    HighCounter,
    /// 其他
    Other,
}

impl ZoneKind {
    pub const ALL: [ZoneKind; 8] = [
        Self::Guide,
        Self::Waiting,
        Self::Service,
        Self::SelfService,
        Self::SelfService24h,
        Self::LowCounter,
        Self::HighCounter,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Guide => "guide",
            Self::Waiting => "waiting",
            Self::Service => "service",
            Self::SelfService => "self_service",
            Self::SelfService24h => "self_service_24h",
            Self::LowCounter => "low_counter",
            Self::HighCounter => "high_counter",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Guide => "引导区 · Guide",
            Self::Waiting => "等候区 · Waiting",
            Self::Service => "业务办理区 · Service",
            Self::SelfService => "自助区 · Self-service",
            Self::SelfService24h => "24小时自助区 · 24-hour self-service",
            Self::LowCounter => "低柜 · Low counter",
            Self::HighCounter => "高柜 · High counter",
            Self::Other => "其他 · Other",
        }
    }
}

/// A rectangle of the plan. Coordinates are plan units (centimetres in the demo), origin top
/// left; signed so that a wrong value is named rather than refused by the parser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Zone {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub kind: ZoneKind,
    pub x: i64,
    pub y: i64,
    pub w: i64,
    pub h: i64,
}

/// A thing kept at a fixed point inside a zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// The code of the zone it stands in.
    pub zone: String,
    pub x: i64,
    pub y: i64,
    /// How many should be there (老花镜 3 副, 雨伞 10 把 …); 0 for a fixture counted as one.
    pub expected: i64,
    /// A critical item (灭火器, 医药箱) out of place fails the whole walk.
    #[serde(default)]
    pub critical: bool,
}

/// A hall's floor plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layout {
    pub width: i64,
    pub height: i64,
    pub zones: Vec<Zone>,
    pub items: Vec<Item>,
}

pub const MAX_SIDE: i64 = 10_000;
pub const MAX_ZONES: usize = 60;
pub const MAX_ITEMS: usize = 400;
pub const MAX_NAME: usize = 40;
pub const MAX_QUANTITY: i64 = 999;

/// A layout that cannot be kept, with what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct LayoutError(pub String);

/// The same rule as checklist keys, since items become checklist items.
pub fn code_ok(k: &str) -> bool {
    !k.is_empty()
        && k.len() <= 48
        && k.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn names_ok(zh: &str, en: &str) -> bool {
    let ok = |s: &str| !s.trim().is_empty() && s.chars().count() <= MAX_NAME;
    ok(zh) && ok(en)
}

impl Layout {
    pub fn zone(&self, code: &str) -> Option<&Zone> {
        self.zones.iter().find(|z| z.code == code)
    }

    pub fn item(&self, code: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.code == code)
    }

    /// Checks what a person can get wrong when drawing a plan; the message names the zone or
    /// item to fix.
    pub fn validate(&self) -> Result<(), LayoutError> {
        let err = |zh: String, en: String| Err(LayoutError(format!("{zh} · {en}")));
        if !(1..=MAX_SIDE).contains(&self.width) || !(1..=MAX_SIDE).contains(&self.height) {
            return err(
                format!("平面图宽、高须在 1–{MAX_SIDE} 之间"),
                format!("the plan's width and height must be 1–{MAX_SIDE}"),
            );
        }
        if self.zones.len() > MAX_ZONES || self.items.len() > MAX_ITEMS {
            return err(
                format!("最多 {MAX_ZONES} 个区域、{MAX_ITEMS} 件物品"),
                format!("at most {MAX_ZONES} zones and {MAX_ITEMS} items"),
            );
        }
        let mut codes = HashSet::new();
        for z in &self.zones {
            if !code_ok(&z.code) || !codes.insert(z.code.as_str()) {
                return err(
                    format!("区域编码“{}”无效或重复（小写字母、数字、下划线）", z.code),
                    format!(
                        "zone code {:?} is invalid or used twice (lowercase letters, digits, _)",
                        z.code
                    ),
                );
            }
            if !names_ok(&z.name_zh, &z.name_en) {
                return err(
                    format!("区域“{}”须有中英文名称（各不超过 {MAX_NAME} 字）", z.code),
                    format!(
                        "zone {:?} needs a Chinese and an English name (up to {MAX_NAME} characters)",
                        z.code
                    ),
                );
            }
            if z.w <= 0
                || z.h <= 0
                || z.x < 0
                || z.y < 0
                || z.x + z.w > self.width
                || z.y + z.h > self.height
            {
                return err(
                    format!("区域“{}”超出平面图范围或大小为零", z.name_zh),
                    format!("zone {:?} lies outside the plan or has no size", z.name_en),
                );
            }
        }
        let mut codes = HashSet::new();
        for i in &self.items {
            if !code_ok(&i.code) || !codes.insert(i.code.as_str()) {
                return err(
                    format!("物品编码“{}”无效或重复（小写字母、数字、下划线）", i.code),
                    format!(
                        "item code {:?} is invalid or used twice (lowercase letters, digits, _)",
                        i.code
                    ),
                );
            }
            if !names_ok(&i.name_zh, &i.name_en) {
                return err(
                    format!("物品“{}”须有中英文名称（各不超过 {MAX_NAME} 字）", i.code),
                    format!(
                        "item {:?} needs a Chinese and an English name (up to {MAX_NAME} characters)",
                        i.code
                    ),
                );
            }
            if !(0..=MAX_QUANTITY).contains(&i.expected) {
                return err(
                    format!(
                        "物品“{}”的定额数量须在 0–{MAX_QUANTITY} 之间（现为 {}）",
                        i.name_zh, i.expected
                    ),
                    format!(
                        "the expected quantity of {:?} must be 0–{MAX_QUANTITY} (is {})",
                        i.name_en, i.expected
                    ),
                );
            }
            let Some(z) = self.zone(&i.zone) else {
                return err(
                    format!("物品“{}”所在区域“{}”不存在", i.name_zh, i.zone),
                    format!(
                        "item {:?} names a zone {:?} that does not exist",
                        i.name_en, i.zone
                    ),
                );
            };
            if i.x < z.x || i.y < z.y || i.x > z.x + z.w || i.y > z.y + z.h {
                return err(
                    format!("物品“{}”不在其区域“{}”内", i.name_zh, z.name_zh),
                    format!("item {:?} lies outside its zone {:?}", i.name_en, z.name_en),
                );
            }
        }
        Ok(())
    }
}

/// A starting plan of a typical hall (all zone kinds and the usual items); the demo hall uses
/// it and the editor offers it to a hall without a layout.
pub fn sample() -> Layout {
    serde_norway::from_str(include_str!("sample.yaml")).unwrap_or(Layout {
        width: 2400,
        height: 1500,
        zones: Vec::new(),
        items: Vec::new(),
    })
}
