use super::walk::{Finding, FindingRecord, check_finding, results, tally, walk_template};
use super::*;
use crate::inspections::score::check_submission;

fn zone(code: &str, kind: ZoneKind, x: i64, y: i64, w: i64, h: i64) -> Zone {
    Zone {
        code: code.into(),
        name_zh: format!("{code}区"),
        name_en: format!("{code} zone"),
        kind,
        x,
        y,
        w,
        h,
    }
}

fn item(code: &str, zone: &str, x: i64, y: i64, expected: i64, critical: bool) -> Item {
    Item {
        code: code.into(),
        name_zh: format!("{code}物"),
        name_en: format!("{code} item"),
        zone: zone.into(),
        x,
        y,
        expected,
        critical,
    }
}

fn plan() -> Layout {
    Layout {
        width: 1000,
        height: 600,
        zones: vec![
            zone("guide", ZoneKind::Guide, 0, 0, 300, 600),
            zone("waiting", ZoneKind::Waiting, 300, 0, 400, 600),
            zone("empty", ZoneKind::Other, 700, 0, 300, 600),
        ],
        items: vec![
            item("rack", "guide", 50, 50, 1, false),
            item("glasses", "guide", 100, 100, 3, false),
            item("extinguisher", "waiting", 650, 550, 1, true),
        ],
    }
}

fn err_of(l: &Layout) -> String {
    l.validate().unwrap_err().0
}

#[test]
fn a_good_plan_validates() {
    assert_eq!(plan().validate(), Ok(()));
}

#[test]
fn zones_and_items_must_lie_inside() {
    let mut l = plan();
    l.zones[2].w = 301;
    assert!(err_of(&l).contains("超出平面图范围"), "{}", err_of(&l));
    let mut l = plan();
    l.items[0].x = 301;
    let e = err_of(&l);
    assert!(e.contains("rack物") && e.contains("不在其区域"), "{e}");
    let mut l = plan();
    l.zones[0].h = 0;
    assert!(err_of(&l).contains("guide zone"));
}

#[test]
fn codes_must_be_unique_and_plain() {
    let mut l = plan();
    l.items[1].code = "rack".into();
    assert!(err_of(&l).contains("物品编码“rack”无效或重复"));
    let mut l = plan();
    l.zones[1].code = "Waiting Area".into();
    assert!(err_of(&l).contains("区域编码"));
    // A zone and an item may share a code: they are told apart by kind.
    let mut l = plan();
    l.items[0].code = "guide".into();
    assert_eq!(l.validate(), Ok(()));
}

#[test]
fn quantities_names_and_zones_are_checked() {
    let mut l = plan();
    l.items[1].expected = -1;
    let e = err_of(&l);
    assert!(e.contains("定额数量") && e.contains("-1"), "{e}");
    let mut l = plan();
    l.items[1].name_en = " ".into();
    assert!(err_of(&l).contains("中英文名称"));
    let mut l = plan();
    l.items[1].zone = "nowhere".into();
    assert!(err_of(&l).contains("nowhere"));
    let mut l = plan();
    l.width = 0;
    assert!(err_of(&l).contains("宽、高"));
}

#[test]
fn only_in_place_passes() {
    assert_eq!(Finding::InPlace.outcome(), Outcome::Pass);
    for f in [
        Finding::Moved,
        Finding::Missing,
        Finding::Damaged,
        Finding::Short,
    ] {
        assert_eq!(f.outcome(), Outcome::Fail, "{f:?}");
        assert_eq!(Finding::parse(f.as_str()), Some(f));
    }
}

use crate::inspections::Outcome;

#[test]
fn short_needs_a_count_below_expected() {
    let l = plan();
    assert!(check_finding(&l, "glasses", Finding::Short, Some(2)).is_ok());
    let e = check_finding(&l, "glasses", Finding::Short, Some(3)).unwrap_err();
    assert!(e.0.contains("定额 3"), "{e}");
    assert!(check_finding(&l, "glasses", Finding::Short, None).is_err());
    assert!(check_finding(&l, "glasses", Finding::Moved, Some(-2)).is_err());
    assert!(check_finding(&l, "ghost", Finding::InPlace, None).is_err());
}

#[test]
fn the_walk_checklist_follows_the_plan() {
    let t = walk_template(&plan());
    assert_eq!(t.validate(), Ok(()));
    // The zone without items is no section; the extinguisher stays critical.
    let keys: Vec<_> = t.sections.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(keys, ["guide", "waiting"]);
    let ext = t.item("extinguisher").unwrap();
    assert!(ext.critical);
    assert_eq!(t.item("glasses").unwrap().text_zh, "glasses物（定额 3）");
}

fn rec(item: &str, finding: Finding) -> FindingRecord {
    FindingRecord {
        item: item.into(),
        finding,
        counted: None,
        note: String::new(),
    }
}

#[test]
fn a_missing_critical_item_fails_the_walk() {
    let l = plan();
    let t = walk_template(&l);
    let all_in = [
        rec("rack", Finding::InPlace),
        rec("glasses", Finding::InPlace),
        rec("extinguisher", Finding::InPlace),
    ];
    assert!(check_submission(&t, &results(&all_in)).unwrap().passed);
    let ext_missing = [
        rec("rack", Finding::InPlace),
        rec("glasses", Finding::InPlace),
        rec("extinguisher", Finding::Missing),
    ];
    let s = check_submission(&t, &results(&ext_missing)).unwrap();
    assert!(!s.passed);
    assert_eq!(s.critical_failed, ["extinguisher"]);
    // A moved rack: 3 of 4 weight in place → 75, below the line of 90.
    let moved = [
        rec("rack", Finding::Moved),
        rec("glasses", Finding::InPlace),
        rec("extinguisher", Finding::InPlace),
    ];
    let s = check_submission(&t, &results(&moved)).unwrap();
    assert_eq!(s.overall.tenths(), Some(750));
    assert!(!s.passed);
}

#[test]
fn tally_adds_walks_by_zone_and_item() {
    let l = plan();
    let w1 = [
        rec("rack", Finding::Moved),
        rec("glasses", Finding::InPlace),
    ];
    let w2 = [
        rec("rack", Finding::InPlace),
        rec("extinguisher", Finding::Damaged),
    ];
    let t = tally(&l, &[(&l, &w1), (&l, &w2)]);
    let guide = &t.zones.iter().find(|(c, _)| c == "guide").unwrap().1;
    assert_eq!((guide.passed, guide.applicable), (2, 3));
    let rack = t.items.iter().find(|i| i.item == "rack").unwrap();
    assert_eq!((rack.seen, rack.failed(), rack.by_finding[1]), (2, 1, 1));
    let ext = t.items.iter().find(|i| i.item == "extinguisher").unwrap();
    assert_eq!(ext.by_finding[3], 1);
}

#[test]
fn the_sample_plan_is_valid_and_covers_every_zone_kind() {
    let s = sample();
    assert_eq!(s.validate(), Ok(()));
    for k in ZoneKind::ALL.into_iter().filter(|k| *k != ZoneKind::Other) {
        assert!(s.zones.iter().any(|z| z.kind == k), "{k:?}");
    }
    assert!(s.items.len() >= 15);
    assert!(walk_template(&s).validate().is_ok());
}
