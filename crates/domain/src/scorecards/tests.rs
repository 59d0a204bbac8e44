use super::ranking::{Board, Trend, rank};
use super::*;

fn fig(num: i64, den: i64) -> Figure {
    Figure { num, den }
}

fn two_lines() -> Scheme {
    Scheme {
        lines: vec![
            SchemeLine {
                indicator: "satisfaction".into(),
                weight: 60,
                target: 98.0,
                bands: vec![Band { at: 95.0, pct: 80 }, Band { at: 90.0, pct: 50 }],
            },
            SchemeLine {
                indicator: "no_show_rate".into(),
                weight: 40,
                target: 5.0,
                bands: vec![Band { at: 8.0, pct: 50 }],
            },
        ],
        deduction_per_violation: 2.0,
        deduction_cap: 5.0,
    }
}

fn figures(pairs: &[(&str, i64, i64)]) -> BTreeMap<String, Figure> {
    pairs
        .iter()
        .map(|&(c, n, d)| (c.to_string(), fig(n, d)))
        .collect()
}

fn violation(id: i64) -> Violation {
    Violation {
        observation_id: id,
        code: "greet_farewell".into(),
        at: 1_700_000_000_000 + id,
        note: "未起身迎客".into(),
    }
}

#[test]
fn bands_score_lines_and_every_line_names_its_records() {
    let s = two_lines();
    s.check(Level::Hall).unwrap();
    // 96 % satisfied → band 1 (80 % of 60 = 48); 4 % no-shows meets ≤5 % → 40.
    let card = score(
        &s,
        &figures(&[("satisfaction", 96, 100), ("no_show_rate", 4, 100)]),
        &[],
    );
    assert_eq!(card.lines.len(), 2);
    let sat = &card.lines[0];
    assert_eq!(sat.band, BandHit::Step { n: 1, pct: 80 });
    assert_eq!(sat.points, 48.0);
    assert_eq!((sat.num, sat.den), (96, 100));
    assert!(sat.explain_zh.contains("96.00%"), "{}", sat.explain_zh);
    assert!(sat.explain_zh.contains("第 1 档"), "{}", sat.explain_zh);
    assert!(sat.explain_en.contains("96/100"), "{}", sat.explain_en);
    assert_eq!(card.lines[1].band, BandHit::Target);
    assert_eq!(card.lines[1].points, 40.0);
    assert_eq!(card.total, Some(88.0));
    // Lower is better: 9 % no-shows is past the last band (≤8 %) → 0.
    let card = score(
        &s,
        &figures(&[("satisfaction", 99, 100), ("no_show_rate", 9, 100)]),
        &[],
    );
    assert_eq!(card.lines[1].band, BandHit::Below);
    assert_eq!(card.total, Some(60.0));
}

#[test]
fn a_value_at_the_threshold_reaches_it_at_the_precision_shown() {
    let s = two_lines();
    // 98 of 100 is exactly the target; 95 of 100 exactly band 1.
    let card = score(&s, &figures(&[("satisfaction", 98, 100)]), &[]);
    assert_eq!(card.lines[0].band, BandHit::Target);
    let card = score(&s, &figures(&[("satisfaction", 95, 100)]), &[]);
    assert_eq!(card.lines[0].band, BandHit::Step { n: 1, pct: 80 });
    let card = score(&s, &figures(&[("satisfaction", 89, 100)]), &[]);
    assert_eq!(card.lines[0].band, BandHit::Below);
}

#[test]
fn a_line_without_data_says_so_and_its_weight_goes_to_the_others() {
    let s = two_lines();
    let card = score(&s, &figures(&[("no_show_rate", 7, 100)]), &[]);
    let sat = &card.lines[0];
    assert_eq!(sat.band, BandHit::NoData);
    assert_eq!(sat.points, 0.0);
    assert!(
        sat.explain_zh.contains("没有可计的记录"),
        "{}",
        sat.explain_zh
    );
    assert!(sat.explain_en.contains("nothing was counted"));
    // no_show_rate alone carries all 100 points; 7 % is band 1 → 50 %.
    assert_eq!(card.lines[1].effective_weight, 100.0);
    assert_eq!(card.total, Some(50.0));
    // A denominator of zero is no data, not a zero rate.
    let card = score(&s, &figures(&[("no_show_rate", 0, 0)]), &[]);
    assert_eq!(card.total, None);
    assert!(card.note_zh.contains("暂无得分"));
}

#[test]
fn violations_deduct_up_to_the_cap_and_never_below_zero() {
    let s = two_lines();
    let figs = figures(&[("satisfaction", 100, 100), ("no_show_rate", 0, 100)]);
    let card = score(&s, &figs, &[violation(1), violation(2), violation(3)]);
    let taken: Vec<f64> = card.deductions.iter().map(|d| d.points).collect();
    assert_eq!(taken, vec![2.0, 2.0, 1.0], "the cap of 5 stops the third");
    assert_eq!(card.deducted, 5.0);
    assert_eq!(card.total, Some(95.0));
    assert_eq!(card.deductions[0].label_zh, "迎送有声");
    assert_eq!(card.deductions[0].observation_id, 1);
    let low = score(
        &Scheme {
            deduction_per_violation: 50.0,
            deduction_cap: 100.0,
            ..s
        },
        &figures(&[("satisfaction", 0, 100), ("no_show_rate", 50, 100)]),
        &[violation(1)],
    );
    assert_eq!(low.total, Some(0.0));
}

#[test]
fn the_line_points_add_up_to_the_total() {
    let s = default_scheme(Level::Hall);
    s.check(Level::Hall).unwrap();
    let figs = figures(&[
        ("satisfaction", 961, 1000),
        ("wait_within", 83, 100),
        ("on_time_rate", 49, 50),
        ("complaints_per_10k", 3, 10_000),
        ("observation_score", 1700, 2),
        ("bad_rating_rate", 15, 1000),
    ]);
    let card = score(&s, &figs, &[violation(9)]);
    let sum: f64 = card.lines.iter().map(|l| l.points).sum();
    assert_eq!(round1(sum), card.earned);
    assert_eq!(card.total, Some(round1(card.earned - 2.0)));
    let weights: f64 = card.lines.iter().map(|l| l.effective_weight).sum();
    assert!((weights - 100.0).abs() < 0.2, "{weights}");
    // A mean rests on a number of records, not on "1700/2" tenths of points.
    let obs = card
        .lines
        .iter()
        .find(|l| l.indicator == "observation_score")
        .unwrap();
    assert_eq!(obs.basis, "2 次观察 · 2 observed");
    assert!(
        obs.explain_zh.contains("（2 次观察）"),
        "{}",
        obs.explain_zh
    );
    assert!(!obs.explain_en.contains("1700"), "{}", obs.explain_en);
    let sat = card.lines.iter().find(|l| l.indicator == "satisfaction");
    assert_eq!(sat.unwrap().basis, "961/1000");
}

#[test]
fn schemes_refuse_weights_not_summing_to_100_in_both_languages() {
    let mut s = two_lines();
    s.lines[0].weight = 50;
    let e = s.check(Level::Hall).unwrap_err().0;
    assert!(e.contains("合计须为 100，现为 90"), "{e}");
    assert!(e.contains("must sum to 100; they sum to 90"), "{e}");
    assert!(
        e.find("合计").unwrap() < e.find("sum").unwrap(),
        "Chinese first"
    );
}

#[test]
fn schemes_refuse_bad_lines() {
    let mut s = two_lines();
    s.lines[1].indicator = "satisfaction".into();
    assert!(s.check(Level::Hall).unwrap_err().0.contains("两次"));
    let mut s = two_lines();
    s.lines[0].indicator = "nope".into();
    assert!(s.check(Level::Hall).unwrap_err().0.contains("nope"));
    // A band above the target of a higher-is-better indicator.
    let mut s = two_lines();
    s.lines[0].bands[0].at = 99.0;
    assert!(s.check(Level::Hall).unwrap_err().0.contains("第 1 档"));
    // A band earning as much as the one before.
    let mut s = two_lines();
    s.lines[0].bands[1].pct = 80;
    assert!(s.check(Level::Hall).unwrap_err().0.contains("第 2 档"));
    // Hall indicators cannot be weighted for a clerk.
    let mut s = default_scheme(Level::Hall);
    assert!(s.check(Level::Clerk).unwrap_err().0.contains("员工"));
    s.deduction_cap = 120.0;
    assert!(s.check(Level::Hall).unwrap_err().0.contains("扣分上限"));
    default_scheme(Level::Clerk).check(Level::Clerk).unwrap();
}

#[test]
fn every_library_indicator_is_in_the_default_scheme() {
    for level in scheme::LEVELS {
        let s = default_scheme(level);
        for ind in crate::assessment::INDICATORS {
            assert!(
                s.lines.iter().any(|l| l.indicator == ind.code),
                "{}",
                ind.code
            );
        }
    }
    assert_eq!(Level::parse("city"), Ok(Level::City));
    assert!(Level::parse("town").unwrap_err().starts_with("考核层级"));
}

#[test]
fn region_roll_ups_sum_counts_never_average_rates() {
    // Hall A: 1 of 1 satisfied (100 %); hall B: 1 of 99 (1.01 %). The mean of the rates
    // would be 50.5 %; the region satisfied 2 of 100.
    let a = figures(&[("satisfaction", 1, 1)]);
    let b = figures(&[("satisfaction", 1, 99)]);
    let region = roll_up([&a, &b]);
    assert_eq!(region["satisfaction"], fig(2, 100));
    let card = score(&default_scheme(Level::City), &region, &[]);
    let sat = card
        .lines
        .iter()
        .find(|l| l.indicator == "satisfaction")
        .unwrap();
    assert_eq!(sat.value, Some(2.0));
    assert_eq!(sat.band, BandHit::Below);
}

#[test]
fn rankings_share_ties_and_show_the_change() {
    let now = [
        (1, Some(90.0)),
        (2, Some(95.0)),
        (3, Some(90.0)),
        (4, None),
        (5, Some(70.0)),
        (6, Some(80.0)),
        (7, Some(60.0)),
        (8, Some(99.0)),
        (9, Some(85.0)),
    ];
    let before = [
        (1, Some(80.0)),
        (2, Some(96.0)),
        (3, Some(90.0)),
        (5, Some(70.0)),
        (8, Some(60.0)),
    ];
    let r = rank(&now, &before);
    let by = |h: i64| r.iter().find(|x| x.hall_id == h).unwrap();
    assert_eq!(by(8).rank, Some(1));
    assert_eq!(by(2).rank, Some(2));
    assert_eq!(
        (by(1).rank, by(3).rank),
        (Some(3), Some(3)),
        "a tie shares the place"
    );
    assert_eq!(by(9).rank, Some(5));
    assert_eq!(by(4).rank, None);
    assert_eq!(r.last().unwrap().hall_id, 4, "unscored halls come last");
    // Before: 2 (1st), 3 (2nd), 1 (3rd), 5 (4th), 8 (5th).
    assert_eq!(by(8).trend, Trend::Up { by: 4 });
    assert_eq!(by(2).trend, Trend::Down { by: 1 });
    assert_eq!(by(1).trend, Trend::Same);
    assert_eq!(by(9).trend, Trend::New);
    assert_eq!(by(8).trend.arrow(), "↑");
    // 8 ranked halls → boards of 2: red 8 and 2, black 5 and 7.
    let red: Vec<i64> = r
        .iter()
        .filter(|x| x.board == Board::Red)
        .map(|x| x.hall_id)
        .collect();
    let black: Vec<i64> = r
        .iter()
        .filter(|x| x.board == Board::Black)
        .map(|x| x.hall_id)
        .collect();
    assert_eq!(red, vec![8, 2]);
    assert_eq!(black, vec![5, 7]);
    // One ranked hall is on neither board.
    let alone = rank(&[(1, Some(50.0))], &[]);
    assert_eq!(alone[0].board, Board::None);
}

#[test]
fn adjustments_move_a_frozen_total_within_0_to_100() {
    assert_eq!(adjusted(80.0, &[3.5]), 83.5);
    assert_eq!(adjusted(98.0, &[5.0]), 100.0);
    assert_eq!(adjusted(2.0, &[-5.0]), 0.0);
}
