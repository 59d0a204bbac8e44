//! Per-hall feedback configuration, with documented defaults (see `docs/feedback.md`).

use serde::{Deserialize, Serialize};

/// What a hall configures about feedback. Every field has a default; a stored JSON that
/// lacks a field takes the default, so new settings never break old halls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FeedbackSettings {
    /// 一事一评: hours after the visit finished during which the phone rating is accepted.
    pub phone_window_hours: u32,
    /// 服务补救: working days to call the customer back (from the bad rating).
    pub callback_working_days: u32,
    /// 服务补救: working days to put the cause right (from the bad rating).
    pub rectify_working_days: u32,
    /// Gaming flag (a): a pad rating this many seconds or less after finishing is "fast".
    pub fast_rating_s: u32,
    /// … and a clerk is flagged when at least this share (%) of their ratings is fast …
    pub fast_share_pct: u32,
    /// … out of at least this many ratings (fewer prove nothing).
    pub min_ratings: u32,
    /// Gaming flag (b): an unbroken run of this many top-level (非常满意) ratings.
    pub top_run: u32,
    /// Gaming flag (c): a visit served at least this long (seconds) is "long" …
    pub long_visit_s: u32,
    /// … and a counter is flagged when at least this share (%) of its long or transferred
    /// visits got no pad rating …
    pub skip_share_pct: u32,
    /// … out of at least this many such visits.
    pub min_long_visits: u32,
}

impl Default for FeedbackSettings {
    fn default() -> Self {
        Self {
            phone_window_hours: 72,
            callback_working_days: 1,
            rectify_working_days: 5,
            fast_rating_s: 2,
            fast_share_pct: 50,
            min_ratings: 20,
            top_run: 50,
            long_visit_s: 900,
            skip_share_pct: 50,
            min_long_visits: 8,
        }
    }
}

/// Each setting with its allowed range (inclusive), in the order screens show them.
pub const RANGES: [(&str, u32, u32); 10] = [
    ("phone_window_hours", 1, 24 * 30),
    ("callback_working_days", 0, 30),
    ("rectify_working_days", 1, 60),
    ("fast_rating_s", 1, 60),
    ("fast_share_pct", 1, 100),
    ("min_ratings", 1, 10_000),
    ("top_run", 2, 10_000),
    ("long_visit_s", 60, 4 * 3600),
    ("skip_share_pct", 1, 100),
    ("min_long_visits", 1, 10_000),
];

/// A setting's Chinese name, for messages.
fn setting_zh(name: &str) -> &'static str {
    match name {
        "phone_window_hours" => "手机评价时限（小时）",
        "callback_working_days" => "服务补救回访时限（工作日）",
        "rectify_working_days" => "服务补救整改时限（工作日）",
        "fast_rating_s" => "快速评价秒数",
        "fast_share_pct" => "快速评价占比（%）",
        "min_ratings" => "最少评价数",
        "top_run" => "连续“非常满意”次数",
        "long_visit_s" => "长时业务秒数",
        "skip_share_pct" => "未评价占比（%）",
        "min_long_visits" => "最少长时或转办业务数",
        _ => "该设置",
    }
}

impl FeedbackSettings {
    /// Checks a (possibly hand-edited) configuration; the message says what to fix.
    pub fn validate(&self) -> Result<(), String> {
        match self.problems().into_iter().next() {
            Some((_, message)) => Err(message),
            None => Ok(()),
        }
    }

    /// Every field out of its range, as (field, message), so a form can mark them all.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        RANGES
            .iter()
            .filter_map(|&(name, lo, hi)| {
                let v = self.get(name)?;
                (!(lo..=hi).contains(&v)).then(|| {
                    let zh = setting_zh(name);
                    (
                        name,
                        format!("{zh}须为 {lo}–{hi} {name} must be {lo}–{hi} (got {v})"),
                    )
                })
            })
            .collect()
    }

    /// A field by its name (as in the API and the JSON).
    pub fn get(&self, name: &str) -> Option<u32> {
        Some(match name {
            "phone_window_hours" => self.phone_window_hours,
            "callback_working_days" => self.callback_working_days,
            "rectify_working_days" => self.rectify_working_days,
            "fast_rating_s" => self.fast_rating_s,
            "fast_share_pct" => self.fast_share_pct,
            "min_ratings" => self.min_ratings,
            "top_run" => self.top_run,
            "long_visit_s" => self.long_visit_s,
            "skip_share_pct" => self.skip_share_pct,
            "min_long_visits" => self.min_long_visits,
            _ => return None,
        })
    }

    /// Sets a field by its name; false for an unknown name.
    pub fn set(&mut self, name: &str, v: u32) -> bool {
        let slot = match name {
            "phone_window_hours" => &mut self.phone_window_hours,
            "callback_working_days" => &mut self.callback_working_days,
            "rectify_working_days" => &mut self.rectify_working_days,
            "fast_rating_s" => &mut self.fast_rating_s,
            "fast_share_pct" => &mut self.fast_share_pct,
            "min_ratings" => &mut self.min_ratings,
            "top_run" => &mut self.top_run,
            "long_visit_s" => &mut self.long_visit_s,
            "skip_share_pct" => &mut self.skip_share_pct,
            "min_long_visits" => &mut self.min_long_visits,
            _ => return false,
        };
        *slot = v;
        true
    }

    pub fn phone_window_ms(&self) -> i64 {
        i64::from(self.phone_window_hours) * 3_600_000
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_bad_values_are_named() {
        assert!(FeedbackSettings::default().validate().is_ok());
        let bad = FeedbackSettings {
            phone_window_hours: 0,
            ..Default::default()
        };
        assert!(bad.validate().unwrap_err().contains("phone_window_hours"));
        let mut two = bad.clone();
        assert!(two.set("top_run", 1));
        assert!(!two.set("no_such", 1));
        let fields: Vec<&str> = two.problems().iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["phone_window_hours", "top_run"]);
        for (name, _, _) in RANGES {
            assert!(FeedbackSettings::default().get(name).is_some(), "{name}");
        }
        assert_eq!(
            FeedbackSettings::default().phone_window_ms(),
            72 * 3_600_000
        );
    }
}
