use super::*;

#[test]
fn the_standard_has_its_31_items_in_five_parts() {
    let count = |g| ITEMS.iter().filter(|i| i.group == g).count();
    assert_eq!(
        ItemGroup::ALL.map(count),
        [6, 8, 7, 5, 5],
        "6 management, 8 basic, 7 principles, 5 rules, 5 codes"
    );
    let mut codes: Vec<_> = ITEMS.iter().map(|i| i.code).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), ITEMS.len(), "item codes are unique");
    for i in ITEMS {
        match i.measure {
            Some(m) => assert!(
                indicator(m.indicator).is_some(),
                "{} names a known indicator",
                i.code
            ),
            None => assert!(
                !i.unmeasured_zh.is_empty() && !i.unmeasured_en.is_empty(),
                "{} says why",
                i.code
            ),
        }
    }
}

#[test]
fn every_indicator_is_written_out_and_drills_down() {
    for i in INDICATORS {
        assert!(
            !i.definition_zh.is_empty() && !i.definition_en.is_empty(),
            "{}",
            i.code
        );
        assert!(!i.sources.is_empty(), "{}", i.code);
        let link = i.drill_link("DL-XH", "2026-03-01", "2026-03-31");
        assert!(link.starts_with('/') && !link.contains('{'), "{link}");
    }
    assert_eq!(
        indicator("on_time_rate").map(|i| i.drill_link("DL-XH", "2026-03-01", "2026-03-31")),
        Some("/cases/on-time?scope=hall:DL-XH&from=2026-03-01&to=2026-03-31".into())
    );
}

#[test]
fn values_follow_each_unit() {
    // 3 waits summing 45 minutes: 15 minutes each.
    assert_eq!(Unit::Minutes.value(45 * 60_000, 3), Some(15.0));
    assert_eq!(Unit::Percent.value(19, 20), Some(95.0));
    assert_eq!(Unit::Per10k.value(3, 20_000), Some(1.5));
    // Scores are kept in tenths: 905 + 875 tenths over two checks is 89.0 points.
    assert_eq!(Unit::Score.value(905 + 875, 2), Some(89.0));
    assert_eq!(Unit::Count.value(120, 5), Some(120.0));
    // Nothing counted is no data, not zero.
    assert_eq!(Unit::Percent.value(0, 0), None);
}

#[test]
fn a_region_sums_counts_before_dividing() {
    // Hall A: 1 of 1 on time (100 %); hall B: 50 of 100 (50 %). The region is 51 of 101,
    // not the 75 % an average of rates would claim.
    let mut f = Figure::default();
    f.add(1, 1);
    f.add(50, 100);
    let v = Unit::Percent.value(f.num, f.den).expect("counted");
    assert!((v - 50.495).abs() < 0.01, "{v}");
}

#[test]
fn status_reads_the_direction() {
    use Direction::*;
    assert_eq!(Status::judge(Some(96.0), 95.0, Higher), Status::Met);
    assert_eq!(Status::judge(Some(95.0), 95.0, Higher), Status::Met);
    assert_eq!(Status::judge(Some(94.99), 95.0, Higher), Status::NotMet);
    assert_eq!(Status::judge(Some(14.0), 15.0, Lower), Status::Met);
    assert_eq!(Status::judge(Some(15.5), 15.0, Lower), Status::NotMet);
    assert_eq!(Status::judge(None, 15.0, Lower), Status::NoData);
    assert_eq!(
        [Status::Met, Status::NotMet, Status::NoData].map(Status::as_str),
        ["met", "not_met", "no_data"]
    );
}

#[test]
fn months_parse_and_step() {
    let m = Month::parse("2026-03").expect("valid");
    assert_eq!(m.to_string(), "2026-03");
    assert_eq!(m.back(3).to_string(), "2025-12");
    assert_eq!(m.back(-10).to_string(), "2027-01");
    assert_eq!(m.end().to_string(), "2026-04-01");
    for bad in ["2026-13", "2026-3", "26-03", "march", "2026-00", ""] {
        let e = Month::parse(bad).expect_err(bad);
        assert!(e.contains("YYYY-MM"), "{e}");
    }
    let d = date_day(m.first_day());
    assert_eq!(day_date(d), m.first_day());
    assert_eq!(
        date_day(chrono::NaiveDate::from_ymd_opt(1970, 1, 2).expect("date")),
        1
    );
}
