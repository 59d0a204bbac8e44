//! `servicehall calendar`: a year without an imported schedule is answered provisionally
//! (statutory holidays), and standard error says so; an official year says nothing.

use crate::run;

#[test]
fn is_workday_on_a_provisional_year_answers_and_warns() {
    let r = run(&["calendar", "is-workday", "2027-01-01"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.trim(), "false", "元旦 is a statutory holiday");
    assert!(r.stderr.contains("暂按法定节假日推算"), "{}", r.stderr);
    assert!(r.stderr.contains("provisional"), "{}", r.stderr);
    let spring = run(&["calendar", "is-workday", "2027-02-09"], "");
    assert_eq!(
        spring.stdout.trim(),
        "true",
        "春节 is four days from 除夕 Feb 5"
    );
    let official = run(&["calendar", "is-workday", "2026-02-14"], "");
    assert_eq!(official.stdout.trim(), "true", "a make-up Saturday");
    assert!(official.stderr.is_empty(), "{}", official.stderr);
}
