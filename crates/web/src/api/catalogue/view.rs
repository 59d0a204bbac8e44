//! The catalogue as screens show it: fees as 免费 or ¥, steps with their time limits in
//! words, channels by name. Shared by the public hall page, the one-time notice and the
//! administrator's preview, so all three say exactly the same thing.

use serde::Serialize;
use servicehall_domain::cases::{ClockStart, CustomerClass};
use servicehall_domain::catalogue::{CatalogueEntry, Fee};
use servicehall_domain::time::{parse_tz, service_day};
use servicehall_store::{CatalogueItem, ClassGuide, Hall};
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FeeLine {
    pub item: String,
    pub amount: String,
    pub basis: String,
    pub sample: bool,
    /// `高压双电源` when the fee applies to some classes only; empty for all.
    pub classes_zh: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StepLine {
    pub name_zh: String,
    pub name_en: String,
    /// `3 个工作日 · 承诺时限`, or empty when the step has no clock.
    pub limit: String,
    pub source: String,
    pub sample: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClassView {
    pub class: String,
    pub label_zh: String,
    pub label_en: String,
    /// (document, note) pairs.
    pub documents: Vec<(String, String)>,
    pub steps: Vec<StepLine>,
    /// The fees this class pays (what its one-time notice lists).
    pub fees: Vec<FeeLine>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GuideView {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub effective_from: String,
    pub description: String,
    pub description_en: String,
    pub who_may_apply: String,
    pub fees: Vec<FeeLine>,
    pub free: bool,
    /// (code, name) pairs.
    pub channels: Vec<(String, String)>,
    pub online: String,
    pub notes: String,
    pub classes: Vec<ClassView>,
    pub has_sample: bool,
}

pub fn class_en(c: CustomerClass) -> &'static str {
    match c {
        CustomerClass::Resident => "Residential",
        CustomerClass::LowVoltage => "Low-voltage non-residential",
        CustomerClass::HvSingle => "High-voltage, single supply",
        CustomerClass::HvDual => "High-voltage, dual supply",
    }
}

/// `¥1,234.50`-style yuan from fen; 0 is 免费.
pub fn fee_text(fen: i64) -> String {
    if fen == 0 {
        return "免费 Free".into();
    }
    format!("¥{}.{:02}", fen / 100, fen % 100)
}

fn fee_line(f: &Fee) -> FeeLine {
    FeeLine {
        item: f.item.clone(),
        amount: fee_text(f.fen),
        basis: f.basis.clone(),
        sample: f.sample,
        classes_zh: f
            .classes
            .iter()
            .map(|c| c.label_zh())
            .collect::<Vec<_>>()
            .join("、"),
    }
}

fn class_view(entry: &CatalogueEntry, g: &ClassGuide) -> ClassView {
    ClassView {
        fees: entry.fees_for(g.class).into_iter().map(fee_line).collect(),
        class: g.class.as_str().into(),
        label_zh: g.label_zh.clone(),
        label_en: class_en(g.class).into(),
        documents: g
            .documents
            .iter()
            .map(|d| (d.name.clone(), d.note.clone()))
            .collect(),
        steps: g
            .process
            .steps
            .iter()
            .map(|s| {
                let limits: Vec<String> = s
                    .clocks
                    .iter()
                    .map(|c| {
                        let from = match c.starts {
                            ClockStart::CaseOpened => "自受理起 ",
                            ClockStart::StepStarted => "",
                        };
                        format!("{from}{} · {}", c.amount.label_zh(), c.kind.label_zh())
                    })
                    .collect();
                let sources: Vec<String> = s.clocks.iter().map(|c| c.source.clone()).collect();
                StepLine {
                    name_zh: s.name_zh.clone(),
                    name_en: s.name_en.clone(),
                    limit: limits.join("；"),
                    sample: sources
                        .iter()
                        .any(|src| src == servicehall_domain::cases::process::SRC_SAMPLE),
                    source: sources.join("；"),
                }
            })
            .collect(),
    }
}

pub fn guide_view(item: &CatalogueItem) -> GuideView {
    let e = &item.entry;
    let classes: Vec<ClassView> = item.classes.iter().map(|g| class_view(e, g)).collect();
    let has_sample =
        e.fees.iter().any(|f| f.sample) || classes.iter().any(|c| c.steps.iter().any(|s| s.sample));
    GuideView {
        code: item.code.clone(),
        name_zh: item.name_zh.clone(),
        name_en: item.name_en.clone(),
        effective_from: e.effective_from.clone(),
        description: e.description.clone(),
        description_en: e.description_en.clone(),
        who_may_apply: e.who_may_apply.clone(),
        fees: e.fees.iter().map(fee_line).collect(),
        free: e.is_free(),
        channels: e
            .channels
            .iter()
            .map(|c| (c.label_zh().to_string(), c.label_en().to_string()))
            .collect(),
        online: e.online.clone(),
        notes: e.notes.clone(),
        classes,
        has_sample,
    }
}

/// The hall-local date of `now`.
pub fn hall_today(hall: &Hall, now: i64) -> chrono::NaiveDate {
    service_day(
        now,
        parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai),
    )
}
