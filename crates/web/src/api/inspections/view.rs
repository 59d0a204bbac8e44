//! The JSON shapes of checklists and inspections. The domain types carry no OpenAPI
//! description, so the bodies are mirrored here and converted both ways.

use serde::{Deserialize, Serialize};
use servicehall_domain::inspections::score::{RULE_EN, RULE_ZH, format_tenths, score};
use servicehall_domain::inspections::{Evidence, Item, Outcome, Section, SubjectKind, Template};
use servicehall_store::{Inspection, InspectionTemplate};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKindView {
    Hall,
    Staff,
}

/// What a failed item must carry: `photo` asks for a note until photos are stored.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceView {
    Photo,
    Note,
    #[default]
    None,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeView {
    Pass,
    Fail,
    NotApplicable,
}

impl From<OutcomeView> for Outcome {
    fn from(o: OutcomeView) -> Self {
        match o {
            OutcomeView::Pass => Self::Pass,
            OutcomeView::Fail => Self::Fail,
            OutcomeView::NotApplicable => Self::NotApplicable,
        }
    }
}

impl From<Outcome> for OutcomeView {
    fn from(o: Outcome) -> Self {
        match o {
            Outcome::Pass => Self::Pass,
            Outcome::Fail => Self::Fail,
            Outcome::NotApplicable => Self::NotApplicable,
        }
    }
}

fn evidence(e: Evidence) -> EvidenceView {
    match e {
        Evidence::Photo => EvidenceView::Photo,
        Evidence::Note => EvidenceView::Note,
        Evidence::None => EvidenceView::None,
    }
}

/// One item as written in a template.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ItemBody {
    pub key: String,
    pub text_zh: String,
    pub text_en: String,
    /// 1–10.
    pub weight: u32,
    #[serde(default)]
    pub critical: bool,
    #[serde(default)]
    pub evidence_on_fail: EvidenceView,
    /// A standards-library behaviour code or document reference.
    #[serde(default)]
    pub reference: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SectionBody {
    pub key: String,
    pub title_zh: String,
    pub title_en: String,
    pub items: Vec<ItemBody>,
}

/// A checklist as a hall writes a new version of it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct TemplateBody {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub subject: SubjectKindView,
    /// 1–100; 90 when left out.
    #[serde(default)]
    pub pass_threshold: Option<u32>,
    pub sections: Vec<SectionBody>,
}

impl From<TemplateBody> for Template {
    fn from(b: TemplateBody) -> Self {
        Template {
            code: b.code.trim().to_string(),
            name_zh: b.name_zh,
            name_en: b.name_en,
            subject: match b.subject {
                SubjectKindView::Hall => SubjectKind::Hall,
                SubjectKindView::Staff => SubjectKind::Staff,
            },
            pass_threshold: b
                .pass_threshold
                .unwrap_or(servicehall_domain::inspections::DEFAULT_THRESHOLD),
            sections: b
                .sections
                .into_iter()
                .map(|s| Section {
                    key: s.key,
                    title_zh: s.title_zh,
                    title_en: s.title_en,
                    items: s
                        .items
                        .into_iter()
                        .map(|i| Item {
                            key: i.key,
                            text_zh: i.text_zh,
                            text_en: i.text_en,
                            weight: i.weight,
                            critical: i.critical,
                            evidence_on_fail: match i.evidence_on_fail {
                                EvidenceView::Photo => Evidence::Photo,
                                EvidenceView::Note => Evidence::Note,
                                EvidenceView::None => Evidence::None,
                            },
                            reference: i.reference.filter(|r| !r.trim().is_empty()),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

fn item_body(i: &Item) -> ItemBody {
    ItemBody {
        key: i.key.clone(),
        text_zh: i.text_zh.clone(),
        text_en: i.text_en.clone(),
        weight: i.weight,
        critical: i.critical,
        evidence_on_fail: evidence(i.evidence_on_fail),
        reference: i.reference.clone(),
    }
}

/// One version of a checklist.
#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateView {
    pub id: i64,
    /// `null`: shipped, company-wide.
    pub hall_id: Option<i64>,
    pub code: String,
    pub version: i64,
    pub name_zh: String,
    pub name_en: String,
    pub subject: SubjectKindView,
    pub pass_threshold: u32,
    pub sections: Vec<SectionBody>,
}

impl From<&InspectionTemplate> for TemplateView {
    fn from(t: &InspectionTemplate) -> Self {
        let d = &t.template;
        TemplateView {
            id: t.id,
            hall_id: t.hall_id,
            code: d.code.clone(),
            version: t.version,
            name_zh: d.name_zh.clone(),
            name_en: d.name_en.clone(),
            subject: match d.subject {
                SubjectKind::Hall => SubjectKindView::Hall,
                SubjectKind::Staff => SubjectKindView::Staff,
            },
            pass_threshold: d.pass_threshold,
            sections: d
                .sections
                .iter()
                .map(|s| SectionBody {
                    key: s.key.clone(),
                    title_zh: s.title_zh.clone(),
                    title_en: s.title_en.clone(),
                    items: s.items.iter().map(item_body).collect(),
                })
                .collect(),
        }
    }
}

/// One item of an inspection with its result so far.
#[derive(Debug, Serialize, ToSchema)]
pub struct InspectionItemView {
    pub key: String,
    pub section: String,
    pub text_zh: String,
    pub text_en: String,
    pub weight: u32,
    pub critical: bool,
    pub evidence_on_fail: EvidenceView,
    pub reference: Option<String>,
    /// `null` until recorded.
    pub result: Option<OutcomeView>,
    pub note: String,
}

/// A section's score: weighted share of passed among applicable items.
#[derive(Debug, Serialize, ToSchema)]
pub struct SectionScoreView {
    pub key: String,
    pub title_zh: String,
    pub title_en: String,
    /// "92.5"; "—" when nothing in the section applies.
    pub score: String,
    pub passed_weight: u32,
    pub applicable_weight: u32,
}

/// An inspection with its items, and its scores (provisional until submitted).
#[derive(Debug, Serialize, ToSchema)]
pub struct InspectionView {
    pub id: i64,
    pub hall_id: i64,
    pub template_id: i64,
    pub template_code: String,
    pub template_version: i64,
    pub template_name_zh: String,
    pub template_name_en: String,
    /// `null`: the hall is the subject.
    pub subject_staff_id: Option<i64>,
    pub subject_name: Option<String>,
    pub inspector_name: String,
    pub started_at: i64,
    pub submitted_at: Option<i64>,
    /// The overall score, "86.7" (provisional before submission, over the items recorded).
    pub score: String,
    pub pass_threshold: u32,
    /// Set once submitted.
    pub passed: Option<bool>,
    /// Keys of critical items that failed.
    pub critical_failed: Vec<String>,
    pub sections: Vec<SectionScoreView>,
    pub items: Vec<InspectionItemView>,
    /// The scoring rule, as the result screen shows it.
    pub rule_zh: String,
    pub rule_en: String,
}

impl InspectionView {
    pub fn new(i: &Inspection, t: &Template) -> Self {
        let s = score(t, &i.results);
        let result = |k: &str| i.results.iter().find(|r| r.key == k);
        InspectionView {
            id: i.id,
            hall_id: i.hall_id,
            template_id: i.template_id,
            template_code: i.template_code.clone(),
            template_version: i.template_version,
            template_name_zh: i.template_name_zh.clone(),
            template_name_en: i.template_name_en.clone(),
            subject_staff_id: i.subject_staff_id,
            subject_name: i.subject_name.clone(),
            inspector_name: i.inspector_name.clone(),
            started_at: i.started_at,
            submitted_at: i.submitted_at,
            score: format_tenths(
                i.score_tenths
                    .and_then(|v| u32::try_from(v).ok())
                    .or(s.overall.tenths()),
            ),
            pass_threshold: t.pass_threshold,
            passed: i.passed,
            critical_failed: s.critical_failed.clone(),
            sections: t
                .sections
                .iter()
                .zip(&s.sections)
                .map(|(sec, sc)| SectionScoreView {
                    key: sec.key.clone(),
                    title_zh: sec.title_zh.clone(),
                    title_en: sec.title_en.clone(),
                    score: format_tenths(sc.share.tenths()),
                    passed_weight: sc.share.passed,
                    applicable_weight: sc.share.applicable,
                })
                .collect(),
            items: t
                .items()
                .map(|(sec, it)| {
                    let r = result(&it.key);
                    InspectionItemView {
                        key: it.key.clone(),
                        section: sec.key.clone(),
                        text_zh: it.text_zh.clone(),
                        text_en: it.text_en.clone(),
                        weight: it.weight,
                        critical: it.critical,
                        evidence_on_fail: evidence(it.evidence_on_fail),
                        reference: it.reference.clone(),
                        result: r.map(|r| r.outcome.into()),
                        note: r.map(|r| r.note.clone()).unwrap_or_default(),
                    }
                })
                .collect(),
            rule_zh: RULE_ZH.into(),
            rule_en: RULE_EN.into(),
        }
    }
}
