//! One version of one business type's catalogue entry, and its checks.

use super::CatalogueError;
use crate::cases::CustomerClass;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where a customer can apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Channel {
    /// 营业厅.
    #[serde(rename = "hall")]
    Hall,
    /// 网上国网 app.
    #[serde(rename = "app")]
    App,
    /// 95598 hotline and website.
    #[serde(rename = "95598")]
    Hotline,
}

impl Channel {
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Hall => "营业厅",
            Self::App => "网上国网 App",
            Self::Hotline => "95598 热线",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Hall => "Service hall",
            Self::App => "State Grid Online app",
            Self::Hotline => "95598 hotline",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// Required documents per customer class; a class left out is not offered this business.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassDocuments {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resident: Option<Vec<Document>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low_voltage: Option<Vec<Document>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hv_single: Option<Vec<Document>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hv_dual: Option<Vec<Document>>,
}

impl ClassDocuments {
    pub fn for_class(&self, class: CustomerClass) -> Option<&Vec<Document>> {
        match class {
            CustomerClass::Resident => self.resident.as_ref(),
            CustomerClass::LowVoltage => self.low_voltage.as_ref(),
            CustomerClass::HvSingle => self.hv_single.as_ref(),
            CustomerClass::HvDual => self.hv_dual.as_ref(),
        }
    }

    /// The classes this business is offered to, in the fixed order.
    pub fn classes(&self) -> Vec<CustomerClass> {
        CustomerClass::ALL
            .into_iter()
            .filter(|c| self.for_class(*c).is_some())
            .collect()
    }
}

/// A fee. `fen: 0` is shown as 免费 (free).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fee {
    pub item: String,
    /// Amount in fen; 0 = free.
    pub fen: i64,
    /// The legal basis or public source of the figure.
    pub basis: String,
    /// True when the figure is sample data (示例数据), not from a cited source.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sample: bool,
    /// The customer classes the fee applies to; empty = every class.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub classes: Vec<CustomerClass>,
}

impl Fee {
    pub fn applies_to(&self, class: CustomerClass) -> bool {
        self.classes.is_empty() || self.classes.contains(&class)
    }
}

/// One version of a business type's entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueEntry {
    /// The business type's code in the hall (`new_residential`).
    pub business_type: String,
    /// `YYYY-MM-DD`, hall-local: the first day this version is shown.
    pub effective_from: String,
    /// Plain description (zh).
    pub description: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description_en: String,
    /// Who may apply.
    pub who_may_apply: String,
    pub documents: ClassDocuments,
    pub fees: Vec<Fee>,
    pub channels: Vec<Channel>,
    /// Where to apply online, e.g. the app menu path.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub online: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

/// Why a required field is refused.
const EMPTY: &str = "不能为空 must not be empty";

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("日期格式有误，请按 YYYY-MM-DD 填写，例如 2026-12-01 {s:?} is not a date; write YYYY-MM-DD, e.g. 2026-12-01"))
}

impl CatalogueEntry {
    /// Checks one entry; `at` prefixes the paths in errors (`entries[3]`).
    pub fn validate(&self, at: &str, known_types: &[&str]) -> Result<(), CatalogueError> {
        let err = |field: &str, why: String| CatalogueError::new(format!("{at}.{field}"), why);
        if !known_types.contains(&self.business_type.as_str()) {
            return Err(err(
                "business_type",
                format!(
                    "本厅没有这个业务类型，请从本厅的业务类型中选择 unknown business type {:?}; this hall has: {}",
                    self.business_type,
                    known_types.join(", ")
                ),
            ));
        }
        parse_date(&self.effective_from).map_err(|e| err("effective_from", e))?;
        if self.description.trim().is_empty() {
            return Err(err("description", EMPTY.into()));
        }
        if self.who_may_apply.trim().is_empty() {
            return Err(err("who_may_apply", EMPTY.into()));
        }
        if self.documents.classes().is_empty() {
            return Err(err(
                "documents",
                "请至少为一类客户列出所需资料（居民、低压非居民、高压单电源、高压双电源） list the documents of at least one customer class (resident, low_voltage, hv_single, hv_dual)".into(),
            ));
        }
        for class in CustomerClass::ALL {
            for (i, d) in self
                .documents
                .for_class(class)
                .into_iter()
                .flatten()
                .enumerate()
            {
                if d.name.trim().is_empty() {
                    return Err(err(&format!("documents.{class}[{i}].name"), EMPTY.into()));
                }
            }
        }
        for (i, f) in self.fees.iter().enumerate() {
            if f.item.trim().is_empty() {
                return Err(err(&format!("fees[{i}].item"), EMPTY.into()));
            }
            if f.fen < 0 {
                return Err(err(
                    &format!("fees[{i}].fen"),
                    format!(
                        "收费金额不能为负数，免费填 0 {} is negative; a fee is 0 (free) or more fen",
                        f.fen
                    ),
                ));
            }
            if let Some(c) = f
                .classes
                .iter()
                .find(|c| self.documents.for_class(**c).is_none())
            {
                return Err(err(
                    &format!("fees[{i}].classes"),
                    format!(
                        "“{}”客户不办理此业务（没有列出所需资料） {c} is not offered this business (it has no documents list)",
                        c.label_zh()
                    ),
                ));
            }
            if f.basis.trim().is_empty() {
                return Err(err(
                    &format!("fees[{i}].basis"),
                    "请写明收费依据（示例数据请标为 sample: true 并注明） name the legal basis or source of the fee (or mark it sample: true and say so)"
                        .into(),
                ));
            }
        }
        if self.channels.is_empty() {
            return Err(err(
                "channels",
                "请至少选择一个办理渠道：营业厅、掌上电力或 95598 list at least one channel: hall, app or 95598".into(),
            ));
        }
        Ok(())
    }

    /// True when every fee is zero (or there is none): shown as 免费.
    pub fn is_free(&self) -> bool {
        self.fees.iter().all(|f| f.fen == 0)
    }

    /// The fees a customer of `class` pays.
    pub fn fees_for(&self, class: CustomerClass) -> Vec<&Fee> {
        self.fees.iter().filter(|f| f.applies_to(class)).collect()
    }
}
