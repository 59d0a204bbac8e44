//! Monthly reports (月度报告): which sections a report has and what each shows, read from a
//! list so a section (a scorecard, later) is added by a line here. Pure: the web crate reads
//! the figures and draws the page and the workbook from these definitions.

use crate::assessment::{Direction, ITEMS};

/// What a section shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// Indicators of the library: value, previous month, change, target, six-month trend.
    Indicators,
    /// The standard's 31 items judged for the month.
    Conformance,
    /// The tamper-evident record's heads as they stood when the report was made.
    Audit,
}

/// One section of the monthly report (one page on paper, one sheet in the workbook).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Section {
    pub code: &'static str,
    pub title_zh: &'static str,
    pub title_en: &'static str,
    /// The workbook's sheet name (Excel allows 31 characters, no `[]:*?/\`).
    pub sheet: &'static str,
    pub kind: SectionKind,
    pub indicators: &'static [&'static str],
    /// Draw the six-month trend as a chart (the workbook's trend sheets).
    pub chart: bool,
}

/// The sections, in the order printed.
pub const SECTIONS: &[Section] = &[
    Section {
        code: "summary",
        title_zh: "概要",
        title_en: "Summary",
        sheet: "概要 Summary",
        kind: SectionKind::Indicators,
        indicators: &[
            "served",
            "wait_mean",
            "wait_within",
            "satisfaction",
            "on_time_rate",
            "complaints_per_10k",
            "rectification_on_time",
        ],
        chart: false,
    },
    Section {
        code: "queue",
        title_zh: "排队与办理",
        title_en: "Queue and service",
        sheet: "排队 Queue",
        kind: SectionKind::Indicators,
        indicators: &[
            "served",
            "wait_mean",
            "wait_p90",
            "wait_within",
            "handling_mean",
            "no_show_rate",
            "repeat_trips",
            "idle_share",
        ],
        chart: true,
    },
    Section {
        code: "cases",
        title_zh: "工单与时限",
        title_en: "Cases and time limits",
        sheet: "工单 Cases",
        kind: SectionKind::Indicators,
        indicators: &[
            "on_time_rate",
            "on_time_statutory",
            "on_time_promised",
            "on_time_appointment",
            "complaints_per_10k",
        ],
        chart: true,
    },
    Section {
        code: "feedback",
        title_zh: "评价与回访",
        title_en: "Feedback and call-backs",
        sheet: "评价 Feedback",
        kind: SectionKind::Indicators,
        indicators: &[
            "satisfaction",
            "bad_rating_rate",
            "callback_within_limit",
            "observation_score",
        ],
        chart: true,
    },
    Section {
        code: "site",
        title_zh: "现场检查与整改",
        title_en: "Site checks and rectification",
        sheet: "现场 Site",
        kind: SectionKind::Indicators,
        indicators: &[
            "inspection_score",
            "inspection_pass",
            "site_checks_done_rate",
            "site_checks_missed",
            "rectification_on_time",
            "ack_rate",
        ],
        chart: true,
    },
    Section {
        code: "conformance",
        title_zh: "标准达标",
        title_en: "Conformance",
        sheet: "达标 Conformance",
        kind: SectionKind::Conformance,
        indicators: &[],
        chart: false,
    },
    Section {
        code: "audit",
        title_zh: "防篡改记录",
        title_en: "Tamper-evident record",
        sheet: "审计 Audit",
        kind: SectionKind::Audit,
        indicators: &[],
        chart: false,
    },
];

/// How many months of trend a report shows (the month and the five before it).
pub const TREND_MONTHS: i32 = 6;

/// The target of an indicator: the first of the standard's items it measures.
pub fn target_of(indicator: &str) -> Option<f64> {
    ITEMS
        .iter()
        .filter_map(|i| i.measure)
        .find(|m| m.indicator == indicator)
        .map(|m| m.target)
}

/// The change from last month, and whether it is for the better in the indicator's direction
/// (`None` when either month has no value or nothing changed).
pub fn month_on_month(
    now: Option<f64>,
    before: Option<f64>,
    direction: Direction,
) -> (Option<f64>, Option<bool>) {
    match (now, before) {
        (Some(a), Some(b)) => {
            let d = ((a - b) * 100.0).round() / 100.0;
            let better = if d == 0.0 {
                None
            } else {
                Some(match direction {
                    Direction::Higher => d > 0.0,
                    Direction::Lower => d < 0.0,
                })
            };
            (Some(d), better)
        }
        _ => (None, None),
    }
}

/// A download's file name: `月度报告-<scope code>-<YYYY-MM>.<ext>`, the code reduced to
/// letters, digits and dashes.
pub fn file_name(scope_code: &str, month: &str, ext: &str) -> String {
    let code: String = scope_code
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("月度报告-{code}-{month}.{ext}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::indicator;

    #[test]
    fn every_section_names_indicators_of_the_library_and_a_valid_sheet() {
        let mut sheets = std::collections::HashSet::new();
        for s in SECTIONS {
            assert!(sheets.insert(s.sheet), "sheet {} twice", s.sheet);
            assert!(s.sheet.chars().count() <= 31);
            assert!(!s.sheet.contains(['[', ']', ':', '*', '?', '/', '\\']));
            for code in s.indicators {
                assert!(indicator(code).is_some(), "{code} is not in the library");
            }
            assert_eq!(s.kind == SectionKind::Indicators, !s.indicators.is_empty());
        }
        assert_eq!(SECTIONS.first().map(|s| s.code), Some("summary"));
    }

    #[test]
    fn month_on_month_reads_the_direction() {
        use Direction::*;
        assert_eq!(
            month_on_month(Some(97.5), Some(95.0), Higher),
            (Some(2.5), Some(true))
        );
        assert_eq!(
            month_on_month(Some(12.0), Some(10.0), Lower),
            (Some(2.0), Some(false))
        );
        assert_eq!(
            month_on_month(Some(3.0), Some(3.0), Lower),
            (Some(0.0), None)
        );
        assert_eq!(month_on_month(None, Some(3.0), Lower), (None, None));
    }

    #[test]
    fn targets_come_from_the_items_and_file_names_are_safe() {
        assert_eq!(target_of("wait_within"), Some(80.0));
        assert_eq!(target_of("ack_rate"), Some(95.0));
        assert_eq!(target_of("served"), None);
        assert_eq!(
            file_name("DL/XH 1", "2026-03", "xlsx"),
            "月度报告-DL_XH_1-2026-03.xlsx"
        );
    }

    #[test]
    fn wait_p90_reads_the_bin_holding_the_ninetieth_visit() {
        use crate::assessment::{wait_bin_code, wait_p90_ms};
        assert_eq!(wait_p90_ms(&[]), None);
        // 10 visits: 8 waited under a minute, one 4–5 min, one 20–21 min: p90 is the 9th.
        assert_eq!(wait_p90_ms(&[(0, 8), (4, 1), (20, 1)]), Some(5 * 60_000));
        // Everyone in the 60-and-over bin reads as 60 minutes.
        assert_eq!(wait_p90_ms(&[(60, 3)]), Some(60 * 60_000));
        assert_eq!(wait_bin_code(75), "wait_bin:60");
        assert_eq!(wait_bin_code(3), "wait_bin:03");
    }
}
