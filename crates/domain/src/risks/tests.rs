//! Scoring on the matrix, treatment and review rules, KRI thresholds.

use super::kri::{Direction, KriState, Measure, Thresholds, Trend, crossed, rolling};
use super::*;
use chrono::NaiveDate;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn rt(likelihood: u8, impact: u8) -> Rating {
    Rating { likelihood, impact }
}

#[test]
fn scores_fall_in_the_default_bands() {
    let m = Matrix::default();
    m.validate().unwrap();
    assert_eq!(m.score(rt(2, 2)).unwrap(), 4);
    assert_eq!(m.band_of(4).key, "low");
    assert_eq!(m.band_of(5).key, "medium");
    assert_eq!(m.band_of(9).key, "medium");
    assert_eq!(m.band_of(10).key, "high");
    assert_eq!(m.band_of(16).key, "high");
    assert_eq!(m.band_of(17).key, "extreme");
    assert_eq!(m.band_of(25).key, "extreme");
    assert_eq!(
        m.score(rt(6, 1)),
        Err(RiskError::OutOfMatrix { value: 6, size: 5 })
    );
    assert!(m.score(rt(0, 3)).is_err());
}

#[test]
fn the_grid_puts_most_likely_on_top_with_each_cells_band() {
    let m = Matrix::default();
    let g = m.grid();
    assert_eq!(g.len(), 5);
    assert_eq!(g[0][0].0, rt(5, 1));
    assert_eq!(g[0][4].1.key, "extreme");
    assert_eq!(g[4][0].1.key, "low");
    assert_eq!(g[2][2].1.key, "medium"); // 3 × 3
}

#[test]
fn a_configured_matrix_is_checked() {
    let mut m = Matrix {
        size: 3,
        bands: vec![
            Band {
                key: "ok".into(),
                name_zh: "可接受".into(),
                name_en: "Acceptable".into(),
                min_score: 1,
                colour: "#ccffcc".into(),
                review_days: 365,
            },
            Band {
                key: "act".into(),
                name_zh: "须处置".into(),
                name_en: "Act".into(),
                min_score: 4,
                colour: "#ff9999".into(),
                review_days: 30,
            },
        ],
    };
    m.validate().unwrap();
    assert_eq!(m.band_of(m.score(rt(2, 2)).unwrap()).key, "act");
    assert!(m.score(rt(4, 1)).is_err());
    m.bands[1].min_score = 10; // above 3 × 3
    assert!(matches!(m.validate(), Err(RiskError::Bands(_))));
    m.bands[1].min_score = 1;
    assert!(matches!(m.validate(), Err(RiskError::Bands(_))));
    m.bands[1].min_score = 4;
    m.bands[1].colour = "red".into();
    assert!(matches!(m.validate(), Err(RiskError::Bands(_))));
    m.size = 9;
    assert_eq!(m.validate(), Err(RiskError::MatrixSize(9)));
}

#[test]
fn residual_may_not_exceed_inherent() {
    let m = Matrix::default();
    assert_eq!(check_ratings(&m, rt(4, 4), rt(3, 3)), Ok(9));
    assert_eq!(
        check_ratings(&m, rt(2, 2), rt(3, 2)),
        Err(RiskError::ResidualAboveInherent {
            inherent: 4,
            residual: 6
        })
    );
}

#[test]
fn acceptance_needs_someone_above_the_owner_and_expires() {
    let today = d("2026-12-06");
    let acc = |role, until: &str| Acceptance {
        approver_role: role,
        until: d(until),
    };
    // Other treatments need nothing.
    assert!(check_treatment(Treatment::Reduce, Role::HallManager, None, today).is_ok());
    // A hall manager's risk is accepted by a supervisor, not by the manager.
    assert!(
        check_treatment(
            Treatment::Accept,
            Role::HallManager,
            Some(&acc(Role::Supervisor, "2027-03-01")),
            today
        )
        .is_ok()
    );
    let own = check_treatment(
        Treatment::Accept,
        Role::HallManager,
        Some(&acc(Role::HallManager, "2027-03-01")),
        today,
    )
    .unwrap_err();
    assert!(own.to_string().starts_with("接受风险须由高于责任人岗位"));
    // A clerk's risk may be accepted by the hall manager.
    assert!(
        check_treatment(
            Treatment::Accept,
            Role::Clerk,
            Some(&acc(Role::HallManager, "2027-01-01")),
            today
        )
        .is_ok()
    );
    // No expiry, a past one, or one beyond a year is refused.
    assert_eq!(
        check_treatment(Treatment::Accept, Role::Clerk, None, today),
        Err(RiskError::AcceptanceExpiry)
    );
    for until in ["2026-12-06", "2026-01-01", "2028-01-01"] {
        assert_eq!(
            check_treatment(
                Treatment::Accept,
                Role::Clerk,
                Some(&acc(Role::Admin, until)),
                today
            ),
            Err(RiskError::AcceptanceExpiry),
            "{until}"
        );
    }
    assert!(!acceptance_lapsed(Some(d("2027-01-01")), today));
    assert!(acceptance_lapsed(Some(d("2026-12-06")), today));
    assert!(!acceptance_lapsed(None, today));
}

#[test]
fn reviews_follow_the_band_cadence_and_lapsed_acceptance() {
    let m = Matrix::default();
    let reviewed = d("2026-12-01");
    assert_eq!(next_review(&m, 20, reviewed), d("2026-12-31"));
    assert_eq!(next_review(&m, 12, reviewed), d("2027-03-01"));
    assert_eq!(next_review(&m, 2, reviewed), d("2027-12-01"));
    assert!(!review_due(d("2026-12-31"), None, d("2026-12-06")));
    assert!(review_due(d("2026-12-06"), None, d("2026-12-06")));
    assert!(review_due(
        d("2027-03-01"),
        Some(d("2026-12-05")),
        d("2026-12-06")
    ));
}

#[test]
fn controls_are_due_for_testing_by_their_cadence() {
    let c = Control {
        text: "唱收唱付复核".into(),
        owner: "柜员".into(),
        last_tested: Some(d("2026-11-01")),
        test_every_days: 30,
    };
    assert_eq!(c.next_test(d("2026-11-15")), d("2026-12-01"));
    assert!(!c.test_overdue(d("2026-11-30")));
    assert!(c.test_overdue(d("2026-12-01")));
    let never = Control {
        last_tested: None,
        ..c
    };
    assert!(never.test_overdue(d("2026-11-01")));
}

#[test]
fn words_are_required() {
    assert!(check_text("乱收费", "a", "b", "c").is_ok());
    let e = check_text("乱收费", "a", " ", "c").unwrap_err();
    assert_eq!(e.to_string(), "请填写风险事件 · the event is required");
}

#[test]
fn kri_states_follow_thresholds_in_either_direction() {
    let up = Thresholds {
        amber: 3,
        red: 6,
        direction: Direction::HigherIsWorse,
        window_days: 7,
    };
    up.validate().unwrap();
    assert_eq!(up.state(0), KriState::Green);
    assert_eq!(up.state(2), KriState::Green);
    assert_eq!(up.state(3), KriState::Amber);
    assert_eq!(up.state(5), KriState::Amber);
    assert_eq!(up.state(6), KriState::Red);
    assert_eq!(up.state(60), KriState::Red);
    let down = Thresholds {
        amber: 90,
        red: 80,
        direction: Direction::LowerIsWorse,
        window_days: 30,
    };
    down.validate().unwrap();
    assert_eq!(down.state(95), KriState::Green);
    assert_eq!(down.state(90), KriState::Amber);
    assert_eq!(down.state(80), KriState::Red);
    assert!(Thresholds { amber: 7, ..up }.validate().is_err());
    assert!(Thresholds { amber: 70, ..down }.validate().is_err());
    assert!(
        Thresholds {
            window_days: 0,
            ..up
        }
        .validate()
        .is_err()
    );
    assert!(Thresholds { amber: -1, ..up }.validate().is_err());
}

#[test]
fn only_a_worsening_crossing_raises_the_risk() {
    use KriState::*;
    assert!(crossed(Green, Amber));
    assert!(crossed(Green, Red));
    assert!(crossed(Amber, Red));
    assert!(!crossed(Red, Red));
    assert!(!crossed(Red, Amber));
    assert!(!crossed(Green, Green));
    assert_eq!(
        Trend::of(Some(3), 5, Direction::HigherIsWorse),
        Trend::Worsening
    );
    assert_eq!(
        Trend::of(Some(3), 5, Direction::LowerIsWorse),
        Trend::Improving
    );
    assert_eq!(
        Trend::of(Some(5), 5, Direction::LowerIsWorse),
        Trend::Steady
    );
    assert_eq!(Trend::of(None, 5, Direction::HigherIsWorse), Trend::Steady);
}

#[test]
fn rolling_values_sum_the_window() {
    assert_eq!(rolling(&[1, 2, 3, 4], 2), 7);
    assert_eq!(rolling(&[1, 2, 3, 4], 7), 10);
    assert_eq!(rolling(&[], 7), 0);
}

#[test]
fn the_sample_register_is_consistent() {
    let m = Matrix::default();
    let all = sample::register();
    assert!(all.len() >= 7);
    for s in &all {
        check_text(s.title, s.cause, s.event, s.consequence).unwrap();
        check_ratings(&m, s.inherent, s.residual).unwrap();
        for (_, amber, red) in s.kris {
            sample::thresholds(*amber, *red).validate().unwrap();
        }
    }
    let titles: Vec<_> = all.iter().map(|s| s.title).collect();
    for t in [
        "乱收费",
        "推诿扯皮",
        "超时限",
        "泄露客户信息",
        "停电后客户聚集",
        "营销系统故障",
        "过激客户",
    ] {
        assert!(titles.contains(&t), "{t}");
    }
    assert!(
        Measure::ALL
            .iter()
            .all(|m| Measure::parse(m.as_str()) == Some(*m))
    );
    assert!(
        Category::ALL
            .iter()
            .all(|c| Category::parse(c.as_str()) == Some(*c))
    );
}

#[test]
fn every_message_is_chinese_first_and_english() {
    use super::kri::KriError;
    let messages = [
        RiskError::OutOfMatrix { value: 6, size: 5 }.to_string(),
        RiskError::MatrixSize(9).to_string(),
        RiskError::Bands("第一级须从 1 分开始 · the first band must start at score 1".into())
            .to_string(),
        RiskError::ApproverNotAbove {
            owner: "值班长",
            owner_en: "hall manager",
        }
        .to_string(),
        RiskError::AcceptanceExpiry.to_string(),
        RiskError::Missing("原因", "the cause").to_string(),
        RiskError::ResidualAboveInherent {
            inherent: 4,
            residual: 6,
        }
        .to_string(),
        KriError::Order { amber: 5, red: 2 }.to_string(),
        KriError::Negative.to_string(),
        KriError::Window(0).to_string(),
    ];
    for m in messages {
        let first = m.chars().next().unwrap();
        assert!(('\u{4e00}'..='\u{9fff}').contains(&first), "{m}");
        let (_, en) = m.split_once(" · ").unwrap_or_else(|| panic!("{m}"));
        assert!(en.chars().any(|c| c.is_ascii_alphabetic()), "{m}");
    }
}
