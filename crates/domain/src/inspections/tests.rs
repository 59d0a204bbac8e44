//! Scores worked out by hand, one case per rule.

use super::score::{ItemResult, SubmitError, check_submission, format_tenths, score};
use super::shipped::{parse_yaml, shipped};
use super::{Outcome, SubjectKind, Template};

fn grooming() -> Template {
    shipped()
        .expect("shipped templates parse")
        .into_iter()
        .find(|t| t.code == "pre_shift_grooming")
        .expect("grooming template")
}

fn r(key: &str, outcome: Outcome, note: &str) -> ItemResult {
    ItemResult {
        key: key.into(),
        outcome,
        note: note.into(),
    }
}

/// Every item of `t` passed, except the ones in `except`.
fn all_pass_but(t: &Template, except: &[ItemResult]) -> Vec<ItemResult> {
    t.items()
        .map(|(_, i)| {
            except
                .iter()
                .find(|e| e.key == i.key)
                .cloned()
                .unwrap_or_else(|| r(&i.key, Outcome::Pass, ""))
        })
        .collect()
}

#[test]
fn shipped_templates_are_valid_and_distinct() {
    let all = shipped().expect("shipped templates parse");
    let codes: Vec<_> = all.iter().map(|t| t.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "pre_shift_grooming",
            "opening",
            "midday",
            "closing",
            "weekly_placement",
            "monthly_on_site"
        ]
    );
    assert_eq!(all[0].subject, SubjectKind::Staff);
    assert!(all[1..].iter().all(|t| t.subject == SubjectKind::Hall));
    // 定置: every amenity the standard names is an item.
    let weekly = &all[4];
    for k in [
        "brochure_rack",
        "water_dispenser",
        "reading_glasses",
        "umbrellas",
        "first_aid",
        "convenience_box",
        "extinguisher",
        "evaluators",
        "suggestion_book",
    ] {
        assert!(weekly.item(k).is_some(), "weekly check lacks {k}");
    }
    assert_eq!(all[5].sections.len(), 7, "GB/T 36112 headings");
}

#[test]
fn all_passed_scores_100() {
    let t = grooming();
    let s = score(&t, &all_pass_but(&t, &[]));
    assert_eq!(s.overall.tenths(), Some(1000));
    assert!(s.passed);
}

#[test]
fn not_applicable_is_left_out_of_section_and_overall() {
    // appearance: uniform 3 + badge 3 + hair 2 + makeup 2 = 10; hair fails → 8/10 = 80.
    // readiness: spirit 2 + equipment 3 (+ desk 1, N/A) → 5/5 = 100.
    // overall: 13/15 = 86.67 → 86.7, under 90 → not passed.
    let t = grooming();
    let res = all_pass_but(
        &t,
        &[
            r("hair", Outcome::Fail, "刘海过眉"),
            r("desk_items", Outcome::NotApplicable, ""),
        ],
    );
    let s = score(&t, &res);
    assert_eq!(s.sections[0].share.tenths(), Some(800));
    assert_eq!(s.sections[1].share.tenths(), Some(1000));
    assert_eq!((s.overall.passed, s.overall.applicable), (13, 15));
    assert_eq!(format_tenths(s.overall.tenths()), "86.7");
    assert!(!s.passed);
    assert!(s.critical_failed.is_empty());
}

#[test]
fn a_section_with_nothing_applicable_has_no_score() {
    let t = grooming();
    let res = all_pass_but(
        &t,
        &[
            r("spirit", Outcome::NotApplicable, ""),
            r("equipment", Outcome::NotApplicable, ""),
            r("desk_items", Outcome::NotApplicable, ""),
        ],
    );
    let s = score(&t, &res);
    assert_eq!(s.sections[1].share.tenths(), None);
    assert_eq!(format_tenths(s.sections[1].share.tenths()), "—");
    assert_eq!(s.overall.tenths(), Some(1000));
    assert!(s.passed);
}

#[test]
fn a_failed_critical_item_fails_a_high_score() {
    let t = parse_yaml(
        "code: t\nname_zh: 测试\nname_en: Test\nsubject: hall\npass_threshold: 90\nsections:\n  - key: a\n    title_zh: 甲\n    title_en: A\n    items:\n      - {key: door, text_zh: 门, text_en: Door, weight: 1, critical: true}\n      - {key: floor, text_zh: 地, text_en: Floor, weight: 10}\n      - {key: desk, text_zh: 台, text_en: Desk, weight: 10}\n",
    )
    .expect("test template");
    // 20/21 = 95.24 → 95.2, above 90, but the critical door failed.
    let s = score(&t, &all_pass_but(&t, &[r("door", Outcome::Fail, "")]));
    assert_eq!(s.overall.tenths(), Some(952));
    assert_eq!(s.critical_failed, ["door"]);
    assert!(!s.passed);
    // A heavy non-critical miss fails on the score alone.
    let s = score(&t, &all_pass_but(&t, &[r("floor", Outcome::Fail, "")]));
    assert_eq!(s.overall.tenths(), Some(524)); // 11/21 = 52.38
    assert!(!s.passed);
}

#[test]
fn the_threshold_is_inclusive_and_exact() {
    let t = parse_yaml(
        "code: t\nname_zh: 测试\nname_en: Test\nsubject: hall\npass_threshold: 90\nsections:\n  - key: a\n    title_zh: 甲\n    title_en: A\n    items:\n      - {key: a1, text_zh: 一, text_en: One, weight: 9}\n      - {key: a2, text_zh: 二, text_en: Two, weight: 1}\n      - {key: a3, text_zh: 三, text_en: Three, weight: 10}\n",
    )
    .expect("test template");
    // a3 (10) failed, a2 N/A: 9/19 = 47.4.
    let s = score(
        &t,
        &all_pass_but(
            &t,
            &[
                r("a3", Outcome::Fail, ""),
                r("a2", Outcome::NotApplicable, ""),
            ],
        ),
    );
    assert_eq!((s.overall.passed, s.overall.applicable), (9, 19));
    assert!(!s.passed, "9/19 = 47.4");
    let s = score(&t, &all_pass_but(&t, &[r("a2", Outcome::Fail, "")]));
    // 19/20 = 95.0
    assert_eq!(s.overall.tenths(), Some(950));
    assert!(s.passed);
    let mut t90 = t.clone();
    t90.sections[0].items[2].weight = 1; // 9 + 1 + 1 = 11; fail a2 → 10/11 = 90.9
    let s = score(&t90, &all_pass_but(&t90, &[r("a2", Outcome::Fail, "")]));
    assert_eq!(s.overall.tenths(), Some(909));
    assert!(s.passed);
    // 9/10 exactly 90: a3 not applicable, a2 fails.
    let s = score(
        &t90,
        &all_pass_but(
            &t90,
            &[
                r("a2", Outcome::Fail, ""),
                r("a3", Outcome::NotApplicable, ""),
            ],
        ),
    );
    assert_eq!(s.overall.tenths(), Some(900));
    assert!(s.passed, "90.0 reaches a threshold of 90");
}

#[test]
fn rounding_is_half_up_to_one_decimal() {
    use super::score::Share;
    let tenths = |p, a| {
        Share {
            passed: p,
            applicable: a,
        }
        .tenths()
    };
    assert_eq!(tenths(2, 3), Some(667));
    assert_eq!(tenths(1, 8), Some(125));
    assert_eq!(tenths(1, 16), Some(63)); // 6.25 → 6.3
    assert_eq!(tenths(0, 5), Some(0));
    assert_eq!(format_tenths(Some(63)), "6.3");
    assert_eq!(format_tenths(Some(900)), "90");
}

#[test]
fn a_fail_without_its_note_cannot_be_submitted() {
    let t = grooming();
    let res = all_pass_but(
        &t,
        &[
            r("badge", Outcome::Fail, " "),
            r("desk_items", Outcome::Fail, ""),
        ],
    );
    let e = check_submission(&t, &res).expect_err("badge needs a note");
    assert!(matches!(e, SubmitError::MissingEvidence { .. }));
    let msg = e.to_string();
    assert!(msg.contains("工号牌佩戴于左胸"), "{msg}");
    assert!(msg.contains("Staff badge worn"), "{msg}");
    // desk_items asks for no evidence, so it is not named.
    assert!(!msg.contains("台面物品"), "{msg}");
    let res = all_pass_but(
        &t,
        &[
            r("badge", Outcome::Fail, "未佩戴"),
            r("desk_items", Outcome::Fail, ""),
        ],
    );
    let s = check_submission(&t, &res).expect("with its note it goes");
    // badge 3 + desk_items 1 failed of 16: 12/16 = 75.0; badge is critical.
    assert_eq!(s.overall.tenths(), Some(750));
    assert_eq!(s.critical_failed, ["badge"]);
}

#[test]
fn unanswered_and_all_not_applicable_are_refused() {
    let t = grooming();
    let mut res = all_pass_but(&t, &[]);
    res.retain(|x| x.key != "makeup");
    let e = check_submission(&t, &res).expect_err("makeup unanswered");
    assert!(e.to_string().contains("淡妆上岗"), "{e}");
    let none: Vec<_> = t
        .items()
        .map(|(_, i)| r(&i.key, Outcome::NotApplicable, ""))
        .collect();
    assert_eq!(
        check_submission(&t, &none),
        Err(SubmitError::NothingApplicable)
    );
}

#[test]
fn bad_templates_are_refused_in_both_languages() {
    let mut t = grooming();
    t.sections[0].items[1].key = "uniform".into();
    let e = t.validate().expect_err("duplicate key");
    assert!(
        e.0.contains("重复") && e.0.contains("used twice"),
        "{}",
        e.0
    );
    let mut t = grooming();
    t.sections[0].items[0].weight = 0;
    assert!(t.validate().is_err());
    let mut t = grooming();
    t.pass_threshold = 0;
    assert!(t.validate().is_err());
    let e = parse_yaml("code: x\nname_zh: 甲\n").expect_err("no sections");
    assert!(e.0.contains("模板格式有误"), "{}", e.0);
}
