//! Playbook validation and step timing, one case per rule.

use super::shipped::{parse_yaml, shipped};
use super::timing::{StepStatus, due_at, seconds_left, status};
use super::{KioskMode, ReviewAction, StepRole, check_review};

const MIN: i64 = 60_000;

fn outage() -> super::Playbook {
    shipped()
        .unwrap()
        .into_iter()
        .find(|p| p.code == "outage")
        .unwrap()
}

#[test]
fn shipped_playbooks_cover_the_six_kinds() {
    let all = shipped().expect("shipped playbooks parse");
    let codes: Vec<_> = all.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "outage",
            "business_system",
            "crowd",
            "conflict",
            "medical",
            "fire"
        ]
    );
    let names: Vec<_> = all.iter().map(|p| p.name_zh.as_str()).collect();
    assert!(names.contains(&"营销系统故障") && names.contains(&"火警"));
    // The business system's fallback: counters record by hand; the kiosk keeps payments.
    let bs = &all[1];
    assert!(bs.manual_entries);
    assert_eq!(bs.kiosk, KioskMode::Reduced);
    assert!(bs.kiosk_businesses.contains(&"payment".to_string()));
    // Every kind has a step for the manager and one someone reads to customers.
    for p in &all {
        assert!(
            p.steps.iter().any(|s| s.role == StepRole::Manager),
            "{}",
            p.code
        );
        assert!(p.steps.iter().any(|s| s.script_zh.is_some()), "{}", p.code);
    }
    assert_eq!(all[5].kiosk, KioskMode::Notice);
}

#[test]
fn validation_names_what_to_fix() {
    let mut p = outage();
    p.steps[1].key = p.steps[0].key.clone();
    let e = p.validate().unwrap_err().0;
    assert!(e.contains("无效或重复") && e.contains("used twice"), "{e}");

    let mut p = outage();
    p.announcement_zh = "停".repeat(121);
    assert!(p.validate().unwrap_err().0.contains("1–120"));

    let mut p = outage();
    p.steps.swap(0, 4);
    assert!(p.validate().unwrap_err().0.contains("order they fall due"));

    let mut p = outage();
    p.steps[1].script_en = None;
    assert!(p.validate().unwrap_err().0.contains("中英文都有"));

    let mut p = outage();
    p.steps[0].call.as_mut().unwrap().phone = "call me".into();
    assert!(p.validate().unwrap_err().0.contains("phone number"));

    let mut p = outage();
    p.kiosk = KioskMode::Reduced;
    assert!(p.validate().unwrap_err().0.contains("business codes"));

    let mut p = outage();
    p.steps[4].due_minutes = 9 * 60;
    assert!(p.validate().unwrap_err().0.contains("at most 480"));

    let mut p = outage();
    p.steps.clear();
    assert!(p.validate().is_err());
    assert!(outage().validate().is_ok());
}

#[test]
fn a_yaml_error_names_the_field() {
    let e = parse_yaml("code: x\nname_zh: 1\nsteps: nope\n")
        .unwrap_err()
        .0;
    assert!(e.contains("不能") || e.contains("does not parse"), "{e}");
    let e = parse_yaml("code: x\nname_zh: a\nname_en: b\nannouncement_zh: c\nannouncement_en: d\nsteps:\n  - key: k\n    role: boss\n    text_zh: t\n    text_en: t\n    due_minutes: 1\n")
        .unwrap_err()
        .0;
    assert!(e.contains("steps[0].role"), "{e}");
}

#[test]
fn steps_fall_due_after_their_minutes_and_turn_overdue() {
    let p = outage();
    let t0 = 1_700_000_000_000;
    let guide = &p.steps[1]; // 5 minutes
    assert_eq!(due_at(t0, guide), t0 + 5 * MIN);
    assert_eq!(status(t0, guide, None, t0 + 5 * MIN), StepStatus::Pending);
    assert_eq!(
        status(t0, guide, None, t0 + 5 * MIN + 1),
        StepStatus::Overdue
    );
    assert_eq!(
        status(t0, guide, Some(t0 + 4 * MIN), t0 + 9 * MIN),
        StepStatus::Done
    );
    assert_eq!(
        status(t0, guide, Some(t0 + 6 * MIN), t0 + 9 * MIN),
        StepStatus::DoneLate
    );
    assert_eq!(seconds_left(t0, guide, t0 + 2 * MIN), 180);
    assert_eq!(seconds_left(t0, guide, t0 + 7 * MIN), -120);
    // "At once" gets a minute's grace.
    let first = &p.steps[0];
    assert_eq!(status(t0, first, None, t0 + 30_000), StepStatus::Pending);
    assert_eq!(status(t0, first, None, t0 + MIN + 1), StepStatus::Overdue);
}

#[test]
fn a_review_needs_a_cause_and_dated_actions() {
    let closed = 1_700_000_000_000;
    let a = |text: &str, due: i64| ReviewAction {
        text: text.into(),
        owner_id: 1,
        due_at: due,
    };
    let day = 24 * 60 * MIN;
    assert!(
        check_review(
            "线路故障",
            &[a("加装应急电源", closed + 7 * day)],
            Some("R-01"),
            closed
        )
        .is_ok()
    );
    assert!(check_review(" ", &[a("x", closed + day)], None, closed).is_err());
    assert!(check_review("c", &[], None, closed).is_err());
    assert!(check_review("c", &[a("x", closed - 1)], None, closed).is_err());
    assert!(check_review("c", &[a("x", closed + 400 * day)], None, closed).is_err());
    assert!(check_review("c", &[a(" ", closed + day)], None, closed).is_err());
    let e = check_review("c", &[a("x", closed + day)], Some("R 01;"), closed).unwrap_err();
    assert!(e.0.contains("风险编号"));
}

#[test]
fn step_roles_match_people() {
    use crate::Role;
    assert!(StepRole::Guide.is(Role::Guide));
    assert!(!StepRole::Guide.is(Role::Clerk));
    assert!(StepRole::Manager.is(Role::HallManager));
}
