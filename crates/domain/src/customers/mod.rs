//! 客户与分群 · customers and segments: the hall's register of customers it knows by their
//! account number (户号), the segments that say what care they need (key accounts,
//! high-voltage, the vulnerable), and their consent to be contacted per purpose (PIPL:
//! purpose, time, channel, withdrawal). Pure rules; the store keeps the history.

mod consent;
#[cfg(test)]
mod tests;

pub use consent::{
    Consent, ConsentEvent, ContactChannel, Purpose, check_consent, consent_now, may_contact,
};

use crate::cases::mask;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Declares a closed set of stored names with their bilingual labels.
macro_rules! labelled {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal, $zh:literal, $en:literal;)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $v,)+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$(Self::$v,)+];
            pub fn as_str(self) -> &'static str { match self { $(Self::$v => $s,)+ } }
            pub fn label_zh(self) -> &'static str { match self { $(Self::$v => $zh,)+ } }
            pub fn label_en(self) -> &'static str { match self { $(Self::$v => $en,)+ } }
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|x| x.as_str() == s.trim())
            }
            /// Every stored name, for an error that says what to give.
            pub fn names() -> String {
                Self::ALL.iter().map(|x| format!("{} ({})", x.as_str(), x.label_zh())).collect::<Vec<_>>().join(", ")
            }
        }
    };
}
pub(crate) use labelled;

labelled! {
    /// A segment of the register. The last four are vulnerable customers (特殊群体).
    Segment {
        KeyAccount = "key_account", "重点客户", "key account";
        HighVoltage = "high_voltage", "高压客户", "high-voltage customer";
        LivingAlone = "living_alone", "独居老人", "elderly living alone";
        Disabled = "disabled", "残障人士", "person with a disability";
        LowIncome = "low_income", "低保户", "minimum-income household";
        MedicalEquipment = "medical_equipment", "医疗设备用电", "home medical equipment";
    }
}

labelled! {
    /// What care a segment's member needs from the hall.
    Care {
        GreenChannel = "green_channel", "绿色通道", "green channel";
        Seat = "seat", "安排座位", "a seat while waiting";
        OutageCall = "outage_call", "停电前主动致电", "a call before planned outages";
        HomeVisit = "home_visit", "上门服务", "home visit";
        AccountManager = "account_manager", "客户经理对接", "account manager";
    }
}

labelled! {
    /// Why the hall holds a customer in a vulnerable segment.
    Basis {
        SelfDeclared = "self_declared", "本人申报", "self-declared";
        VerifiedDocument = "verified_document", "证件核验", "verified document";
        CommunityReferral = "community_referral", "社区转介", "community referral";
    }
}

impl Segment {
    /// Vulnerable segments hold sensitive personal data (PIPL art. 28): they need a basis
    /// and a review date, and only the hall's keepers see who is in them.
    pub fn is_vulnerable(self) -> bool {
        matches!(
            self,
            Self::LivingAlone | Self::Disabled | Self::LowIncome | Self::MedicalEquipment
        )
    }

    /// The care a new member of the segment is offered by default (the keeper may change it).
    pub fn default_care(self) -> Vec<Care> {
        match self {
            Self::KeyAccount | Self::HighVoltage => vec![Care::AccountManager],
            Self::LivingAlone => vec![Care::GreenChannel, Care::Seat, Care::OutageCall],
            Self::Disabled => vec![Care::GreenChannel, Care::Seat, Care::HomeVisit],
            Self::LowIncome => vec![Care::GreenChannel],
            Self::MedicalEquipment => vec![Care::OutageCall, Care::HomeVisit],
        }
    }
}

/// A customer's place in one segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub segment: Segment,
    pub care: Vec<Care>,
    pub basis: Option<Basis>,
    /// When the hall checks the membership again (a vulnerable one must have it).
    pub review_on: Option<NaiveDate>,
    pub note: String,
}

/// Longest a vulnerable membership goes without a review.
pub const MAX_REVIEW_DAYS: i64 = 366;
/// Days ahead a review counts as due on the register.
pub const REVIEW_DUE_DAYS: i64 = 30;

/// Checks one membership on `today`; the error says what to fix.
pub fn check_membership(m: &Membership, today: NaiveDate) -> Result<(), String> {
    let what = format!("{}（{}）", m.segment.label_zh(), m.segment.label_en());
    if m.note.chars().count() > 200 {
        return Err(format!(
            "{what}的备注不超过 200 字 · the note of {} is at most 200 characters",
            m.segment.as_str()
        ));
    }
    if !m.segment.is_vulnerable() {
        return Ok(());
    }
    if m.basis.is_none() {
        return Err(format!(
            "{what}须注明依据：本人申报、证件核验或社区转介 · {} needs a basis: self_declared, verified_document or community_referral",
            m.segment.as_str()
        ));
    }
    match m.review_on {
        None => Err(format!(
            "{what}须填写复核日期 · {} needs a review date",
            m.segment.as_str()
        )),
        Some(d) if d < today => Err(format!(
            "{what}的复核日期 {d} 已过，请填今天或以后 · the review date of {} is in the past",
            m.segment.as_str()
        )),
        Some(d) if (d - today).num_days() > MAX_REVIEW_DAYS => Err(format!(
            "{what}的复核日期不能晚于一年后 · the review date of {} is at most a year ahead",
            m.segment.as_str()
        )),
        Some(_) => Ok(()),
    }
}

/// Checks a whole list: each segment at most once, each membership valid.
pub fn check_memberships(ms: &[Membership], today: NaiveDate) -> Result<(), String> {
    for (i, m) in ms.iter().enumerate() {
        if ms[..i].iter().any(|o| o.segment == m.segment) {
            return Err(format!(
                "分群“{}”重复 · segment {} is listed twice",
                m.segment.label_zh(),
                m.segment.as_str()
            ));
        }
        check_membership(m, today)?;
    }
    Ok(())
}

/// True when a membership's review falls within [`REVIEW_DUE_DAYS`] of `today` (or passed).
pub fn review_due(m: &Membership, today: NaiveDate) -> bool {
    m.review_on
        .is_some_and(|d| (d - today).num_days() <= REVIEW_DUE_DAYS)
}

/// The care the customer needs, across segments, each once in the fixed order.
pub fn care_needs(ms: &[Membership]) -> Vec<Care> {
    Care::ALL
        .iter()
        .copied()
        .filter(|c| ms.iter().any(|m| m.care.contains(c)))
        .collect()
}

/// What the guide desk suggests for a recognised customer.
pub fn suggest_green_channel(ms: &[Membership]) -> bool {
    care_needs(ms).contains(&Care::GreenChannel)
}

/// The account number as stored: digits and letters, 6–20 of them.
pub fn normalize_account(raw: &str) -> Result<String, String> {
    let a: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if a.len() < 6 || a.len() > 20 || !a.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(
            "户号须为 6–20 位数字或字母 · the account number (户号) is 6–20 digits or letters"
                .into(),
        );
    }
    Ok(a)
}

/// A phone number as stored: digits only, 7–15 of them (mobile or landline).
pub fn normalize_phone(raw: &str) -> Result<String, String> {
    let p: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if p.len() < 7 || p.len() > 15 || !p.chars().all(|c| c.is_ascii_digit()) {
        return Err("电话号码须为 7–15 位数字 · the phone number is 7–15 digits".into());
    }
    Ok(p)
}

/// A name as stored: 1–40 characters.
pub fn check_name(raw: &str) -> Result<String, String> {
    let n = raw.trim();
    if n.is_empty() || n.chars().count() > 40 {
        return Err("请填写客户姓名（不超过 40 字）· the customer's name is required, at most 40 characters".into());
    }
    Ok(n.to_string())
}

/// A reason for seeing a customer's full data (查看原因): said in words, logged.
pub fn check_reveal_reason(raw: &str) -> Result<String, String> {
    let r = raw.trim();
    if r.chars().count() < 4 || r.chars().count() > 200 {
        return Err("请写明查看完整信息的原因（4–200 字）· give the reason for seeing the full data, 4–200 characters".into());
    }
    Ok(r.to_string())
}

/// A customer's identifying data as the front desk sees it: 户号 last 4, 138****1234,
/// surname + `*`. The masking is the cases' own, so a case and a customer read alike.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Masked {
    pub account: String,
    pub phone: String,
    pub name: String,
}

pub fn masked(account: &str, phone: &str, name: &str) -> Masked {
    Masked {
        account: mask::account(account),
        phone: mask::phone(phone),
        name: mask::name(name),
    }
}
