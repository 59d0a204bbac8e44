//! Every figure against a case computed by hand (the arithmetic is in the comments).

use super::curve::{TouchpointInput, emotion_curve, pareto};
use super::indices::*;
use super::observation::*;
use super::survey::*;

/// 10 ratings: one 非常不满意, one 不满意, two 基本满意, three 满意, three 非常满意.
fn ten() -> LevelCounts {
    LevelCounts([1, 1, 2, 3, 3])
}

fn cfg(min_n: i64) -> IndexConfig {
    IndexConfig {
        min_n,
        ..IndexConfig::default()
    }
}

fn fig(f: Figure) -> (Option<f64>, Option<f64>, Option<f64>, i64) {
    (f.value, f.low, f.high, f.n)
}

#[test]
fn satisfaction_rate_counts_the_good_levels_with_a_wilson_interval() {
    // good = levels 3..5 = 2 + 3 + 3 = 8 of 10 → 80%; Wilson(8, 10) = 0.490 … 0.943.
    let f = satisfaction_rate(&ten(), &cfg(10));
    assert_eq!(fig(f), (Some(80.0), Some(49.0), Some(94.3), 10));
    // With 满意 and better as good: 6 of 10 → 60%; Wilson(6, 10) = 0.313 … 0.832.
    let strict = IndexConfig {
        good_from: 4,
        ..cfg(10)
    };
    assert_eq!(
        fig(satisfaction_rate(&ten(), &strict)),
        (Some(60.0), Some(31.3), Some(83.2), 10)
    );
}

#[test]
fn bad_rate_and_csat() {
    // bad = levels 1..2 = 2 of 10 → 20%; Wilson(2, 10) = 0.057 … 0.510.
    assert_eq!(
        fig(bad_rate(&ten(), &cfg(10))),
        (Some(20.0), Some(5.7), Some(51.0), 10)
    );
    // CSAT top-2-box = levels 4..5 = 6 of 10 → 60%.
    assert_eq!(
        fig(csat(&ten(), &cfg(10))),
        (Some(60.0), Some(31.3), Some(83.2), 10)
    );
}

#[test]
fn wilson_stays_inside_zero_and_one_at_the_edges() {
    // 0 of 5 → 0 … 43.4%; 5 of 5 → 56.6 … 100%.
    let none = proportion(0, 5, 1);
    assert_eq!(fig(none), (Some(0.0), Some(0.0), Some(43.4), 5));
    let all = proportion(5, 5, 1);
    assert_eq!(fig(all), (Some(100.0), Some(56.6), Some(100.0), 5));
}

#[test]
fn too_few_responses_give_no_number() {
    let f = satisfaction_rate(&ten(), &cfg(30));
    assert!(f.too_few);
    assert_eq!((f.value, f.n), (None, 10));
    assert_eq!(f.label("%"), "样本不足 too few responses (n=10)");
    assert_eq!(
        satisfaction_rate(&ten(), &cfg(10)).label("%"),
        "80% (49–94.3, n=10)"
    );
    assert!(satisfaction_rate(&LevelCounts::default(), &cfg(1)).too_few);
}

#[test]
fn nps_is_promoters_minus_detractors_with_a_normal_interval() {
    // 10 answers: 10, 10, 9, 9, 9 (5 promoters), 8, 7 (passives), 6, 3, 0 (3 detractors).
    // NPS = 50% − 30% = 20. Variance of the ±1 variable = 0.5 + 0.3 − 0.2² = 0.76;
    // half-width = 1.96 × √(0.76 / 10) = 0.540 → −34.0 … 74.0.
    let mut r = RecommendCounts::default();
    for s in [10, 10, 9, 9, 9, 8, 7, 6, 3, 0] {
        r.add(s, 1);
    }
    assert_eq!(
        fig(nps(&r, &cfg(10))),
        (Some(20.0), Some(-34.0), Some(74.0), 10)
    );
    assert!(nps(&r, &cfg(11)).too_few);
    // All promoters: 100, the interval collapses to the point and stays ≤ 100.
    let mut all = RecommendCounts::default();
    all.add(10, 40);
    assert_eq!(
        fig(nps(&all, &cfg(30))),
        (Some(100.0), Some(100.0), Some(100.0), 40)
    );
}

#[test]
fn csi_weights_the_dimension_means() {
    // 环境 weight 1: levels 5, 5, 3, 3 → scores 100, 100, 50, 50: mean 75, s² = 2500/3.
    // 态度 weight 3: levels 5, 4, 4, 4 → 100, 75, 75, 75: mean 81.25, s² = 156.25.
    // Normalised weights 0.25 / 0.75: CSI = 18.75 + 60.9375 = 79.6875 → 79.7.
    // Var = 0.25² × (2500/3)/4 + 0.75² × 156.25/4 = 34.99; half = 1.96 × 5.916 = 11.59.
    let config = IndexConfig {
        min_n: 4,
        weights: CsiWeights([1.0, 3.0, 0.0, 0.0, 0.0]),
        ..IndexConfig::default()
    };
    let dims = [
        (Dimension::Environment, LevelCounts([0, 0, 2, 0, 2])),
        (Dimension::Attitude, LevelCounts([0, 0, 0, 3, 1])),
        // Weight 0: ignored even with answers.
        (Dimension::Efficiency, LevelCounts([4, 0, 0, 0, 0])),
    ];
    assert_eq!(
        fig(csi(&dims, &config)),
        (Some(79.7), Some(68.1), Some(91.3), 4)
    );
    // A weighted dimension without enough answers makes the CSI too few, not a silent drop.
    let equal = IndexConfig {
        min_n: 4,
        ..IndexConfig::default()
    };
    let f = csi(&dims, &equal);
    assert!(f.too_few);
    assert_eq!(f.n, 0);
}

#[test]
fn weights_are_validated() {
    let mut c = IndexConfig::default();
    assert!(c.validate().is_ok());
    c.weights = CsiWeights([1.0, -0.5, 1.0, 1.0, 1.0]);
    assert_eq!(
        c.validate(),
        Err(IndexConfigError::NegativeWeight("attitude"))
    );
    c.weights = CsiWeights([0.0; 5]);
    assert_eq!(c.validate(), Err(IndexConfigError::ZeroWeights));
    c.weights = CsiWeights([f64::NAN, 1.0, 1.0, 1.0, 1.0]);
    assert!(c.validate().is_err());
    let c = IndexConfig {
        good_from: 5,
        ..IndexConfig::default()
    };
    assert_eq!(c.validate(), Err(IndexConfigError::GoodFrom(5)));
    let c = IndexConfig {
        min_n: 0,
        ..IndexConfig::default()
    };
    assert!(c.validate().is_err());
}

#[test]
fn trend_is_the_change_in_points() {
    let now = proportion(9, 10, 1);
    let before = proportion(8, 10, 1);
    assert_eq!(trend(&now, &before), Some(10.0));
    assert_eq!(trend(&now, &proportion(1, 2, 10)), None);
}

#[test]
fn emotion_curve_marks_the_lowest_moments_with_their_reasons() {
    let c = cfg(4);
    let input = vec![
        // 等候: 2 good of 5 → 40%.
        (
            "waiting".to_string(),
            TouchpointInput {
                levels: LevelCounts([2, 1, 0, 1, 1]),
                reasons: vec![("long_wait".into(), 3), ("environment".into(), 1)],
            },
        ),
        // 柜台: 4 of 5 → 80%.
        (
            "counter".to_string(),
            TouchpointInput {
                levels: LevelCounts([0, 1, 0, 2, 2]),
                reasons: vec![("slow".into(), 1)],
            },
        ),
        // 迎接: 3 answers only → too few, never marked.
        (
            "welcome".to_string(),
            TouchpointInput {
                levels: LevelCounts([3, 0, 0, 0, 0]),
                reasons: vec![],
            },
        ),
    ];
    let curve = emotion_curve(&input, &c, 1);
    assert_eq!(curve.len(), 8, "every touchpoint, in visit order");
    assert_eq!(curve[0].touchpoint, "welcome");
    assert!(curve[0].satisfaction.too_few && !curve[0].lowest);
    let waiting = &curve[2];
    assert_eq!(waiting.satisfaction.value, Some(40.0));
    assert!(waiting.lowest);
    // mean = (0+0+25+75+100)/5 = 40.
    assert_eq!(waiting.mean, Some(40.0));
    assert_eq!(
        waiting.top_reasons,
        vec![("long_wait".to_string(), 3), ("environment".to_string(), 1)]
    );
    assert!(!curve[4].lowest);
    assert_eq!(curve[4].satisfaction.value, Some(80.0));
    assert_eq!(curve[5].mean, None);
    assert_eq!(
        emotion_curve(&input, &c, 2)
            .iter()
            .filter(|p| p.lowest)
            .count(),
        2
    );
}

#[test]
fn pareto_sorts_and_accumulates() {
    let bars = pareto(&[
        ("slow".into(), 2),
        ("long_wait".into(), 5),
        ("attitude".into(), 3),
        ("slow".into(), 0),
        ("unclear".into(), 0),
    ]);
    let got: Vec<(&str, i64, f64)> = bars
        .iter()
        .map(|b| (b.reason.as_str(), b.count, b.cumulative_pct))
        .collect();
    assert_eq!(
        got,
        vec![
            ("long_wait", 5, 50.0),
            ("attitude", 3, 80.0),
            ("slow", 2, 100.0)
        ]
    );
    assert!(pareto(&[]).is_empty());
}

fn survey() -> SurveyDefinition {
    SurveyDefinition {
        title: "缴费体验".into(),
        trigger: SurveyTrigger::BusinessType,
        window_hours: 72,
        items: vec![
            SurveyItem {
                key: "wait".into(),
                kind: ItemKind::Level,
                text: "等候时间".into(),
                touchpoint: Some("waiting".into()),
                dimension: Some(Dimension::Efficiency),
            },
            SurveyItem {
                key: "nps".into(),
                kind: ItemKind::Recommend,
                text: "推荐".into(),
                touchpoint: None,
                dimension: None,
            },
            SurveyItem {
                key: "more".into(),
                kind: ItemKind::Text,
                text: "其他".into(),
                touchpoint: None,
                dimension: None,
            },
        ],
    }
}

#[test]
fn survey_definitions_are_checked() {
    assert!(survey().validate().is_ok());
    let mut s = survey();
    s.items[0].touchpoint = Some("parking".into());
    assert!(s.validate().unwrap_err().to_string().contains("parking"));
    let mut s = survey();
    s.items[0].touchpoint = None;
    s.items[0].dimension = None;
    assert!(
        s.validate()
            .unwrap_err()
            .to_string()
            .contains("touchpoint or a CSI")
    );
    let mut s = survey();
    s.items.push(s.items[1].clone());
    s.items[3].key = "nps2".into();
    assert!(
        s.validate()
            .unwrap_err()
            .to_string()
            .contains("at most one")
    );
    let mut s = survey();
    s.items[1].key = "wait".into();
    assert!(s.validate().unwrap_err().to_string().contains("twice"));
    let mut s = survey();
    s.window_hours = 0;
    assert!(s.validate().is_err());
}

#[test]
fn survey_answers_are_once_in_the_window_and_in_range() {
    let def = survey();
    let open = InvitationState {
        expires_at: 1000,
        answered: false,
    };
    let mut a = SurveyAnswer::default();
    a.values.insert("wait".into(), 4);
    a.values.insert("nps".into(), 10);
    assert!(
        check_answer(&def, open, &a, 1000).is_ok(),
        "the last instant counts"
    );
    assert!(
        check_answer(&def, open, &a, 1001)
            .unwrap_err()
            .to_string()
            .contains("window")
    );
    let done = InvitationState {
        answered: true,
        ..open
    };
    assert!(
        check_answer(&def, done, &a, 10)
            .unwrap_err()
            .to_string()
            .contains("already")
    );
    let mut out = a.clone();
    out.values.insert("wait".into(), 6);
    assert!(
        check_answer(&def, open, &out, 10)
            .unwrap_err()
            .to_string()
            .contains("1 to 5")
    );
    let mut out = a.clone();
    out.values.insert("nps".into(), 11);
    assert!(
        check_answer(&def, open, &out, 10)
            .unwrap_err()
            .to_string()
            .contains("0 to 10")
    );
    let mut missing = a.clone();
    missing.values.remove("wait");
    assert!(check_answer(&def, open, &missing, 10).is_err());
    let mut extra = a.clone();
    extra.values.insert("more".into(), 3);
    assert!(
        check_answer(&def, open, &extra, 10).is_err(),
        "text is not a value"
    );
}

fn item(code: &str, v: Verdict, note: &str) -> ObservationItem {
    ObservationItem {
        code: code.into(),
        verdict: v,
        note: note.into(),
        touchpoints: vec!["counter".into()],
    }
}

#[test]
fn observations_are_checked_and_scored() {
    let items = vec![
        item("grooming", Verdict::Met, ""),
        item("read_back", Verdict::Partly, "找零未唱付"),
        item("standard_phrases", Verdict::NotMet, "未使用“您好”"),
        item("first_inquiry", Verdict::NotObserved, ""),
    ];
    assert!(check_items(&items).is_ok());
    // (2 + 1 + 0) / (2 × 3) = 50%; not observed is not scored.
    assert_eq!(score_pct(&items), Some(50.0));
    assert!(check_items(&[item("smiling", Verdict::Met, "")]).is_err());
    assert!(
        check_items(&[item("read_back", Verdict::NotMet, " ")])
            .unwrap_err()
            .to_string()
            .contains("note")
    );
    assert!(
        check_items(&[
            item("grooming", Verdict::Met, ""),
            item("grooming", Verdict::Met, "")
        ])
        .is_err()
    );
    assert!(check_items(&[item("grooming", Verdict::NotObserved, "")]).is_err());
    assert!(check_items(&[]).is_err());
    let mut tp = item("grooming", Verdict::Met, "");
    tp.touchpoints = vec!["parking".into()];
    assert!(check_items(&[tp]).is_err());
    assert_eq!(
        score_pct(&[item("grooming", Verdict::NotObserved, "")]),
        None
    );
}

#[test]
fn curve_sources_land_on_their_touchpoints() {
    use super::curve::{CurveSources, curve_input, reason_label};
    let s = CurveSources {
        pad: LevelCounts([1, 0, 0, 0, 4]),
        bad_reasons: vec![("long_wait".into(), 1), ("attitude".into(), 1)],
        reasons_at: vec![("farewell".into(), "attitude".into(), 2)],
        by_touchpoint: vec![("waiting".into(), LevelCounts([0, 2, 0, 0, 1]))],
        survey_bad: vec![("waiting".into(), "efficiency".into(), 2)],
        observed_misses: vec![("payment".into(), "read_back".into(), 1)],
    };
    let input = curve_input(&s);
    let get = |tp: &str| &input.iter().find(|(id, _)| id == tp).unwrap().1;
    assert_eq!(get("counter").levels, LevelCounts([1, 0, 0, 0, 4]));
    assert_eq!(get("counter").reasons, vec![("attitude".to_string(), 1)]);
    assert_eq!(get("waiting").levels.n(), 3);
    assert_eq!(
        get("waiting").reasons,
        vec![
            ("long_wait".to_string(), 1),
            ("dimension:efficiency".to_string(), 2)
        ]
    );
    assert_eq!(get("payment").levels.n(), 0);
    assert_eq!(get("farewell").reasons, vec![("attitude".to_string(), 2)]);
    assert_eq!(reason_label("long_wait"), "等候时间长 Waited too long");
    assert!(reason_label("behaviour:read_back").contains("唱收唱付"));
    assert!(reason_label("dimension:efficiency").contains("办事效率"));
}

#[test]
fn weights_typed_as_percents_must_add_up_to_100() {
    let w = CsiWeights::from_percents([30, 25, 20, 15, 10]).expect("adds up to 100");
    assert_eq!(w.percents(), [30, 25, 20, 15, 10]);
    let short = CsiWeights::from_percents([30, 25, 20, 15, 5]).unwrap_err();
    assert!(short.contains("95%"), "{short}");
    let negative = CsiWeights::from_percents([110, -10, 0, 0, 0]).unwrap_err();
    assert!(negative.contains("0–100"), "{negative}");
    // Equal weights of 1 show as 20% each; thirds round and the heaviest takes the rest.
    assert_eq!(CsiWeights::default().percents(), [20; 5]);
    assert_eq!(
        CsiWeights([1.0, 1.0, 1.0, 0.0, 0.0])
            .percents()
            .iter()
            .sum::<i64>(),
        100
    );
    assert_eq!(CsiWeights([1.0, 1.0, 1.0, 0.0, 0.0]).percents()[3], 0);
}
