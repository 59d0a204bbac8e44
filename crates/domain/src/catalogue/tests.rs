use super::*;
use crate::cases::CustomerClass;

fn day(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}

fn entry(code: &str, from: &str, desc: &str) -> CatalogueEntry {
    CatalogueEntry {
        business_type: code.into(),
        effective_from: from.into(),
        description: desc.into(),
        description_en: String::new(),
        who_may_apply: "产权人".into(),
        documents: ClassDocuments {
            resident: Some(vec![Document {
                name: "身份证".into(),
                note: String::new(),
            }]),
            ..Default::default()
        },
        fees: vec![Fee {
            item: "接电".into(),
            fen: 0,
            basis: "十项承诺".into(),
            sample: false,
            classes: vec![],
        }],
        channels: vec![Channel::Hall, Channel::App],
        online: String::new(),
        notes: String::new(),
    }
}

#[test]
fn the_version_in_effect_is_the_latest_dated_on_or_before_the_day() {
    let v = vec![
        entry("a", "2026-01-01", "old"),
        entry("a", "2026-12-01", "next month"),
        entry("b", "2026-12-01", "only later"),
    ];
    let now: Vec<_> = effective_on(&v, day("2026-11-28"))
        .into_iter()
        .map(|e| e.description.as_str())
        .collect();
    assert_eq!(now, ["old"]);
    let later: Vec<_> = effective_on(&v, day("2026-12-01"))
        .into_iter()
        .map(|e| e.description.as_str())
        .collect();
    assert_eq!(later, ["next month", "only later"]);
}

#[test]
fn locked_versions_cannot_change_and_past_dates_cannot_be_added() {
    let today = day("2026-11-28");
    let existing = vec![
        entry("a", "2026-01-01", "old"),
        entry("a", "2026-12-01", "next"),
    ];
    // Unchanged locked version: nothing to do.
    assert_eq!(plan_save(&existing, &existing[0], today).unwrap(), vec![]);
    // Changed locked version: refused, saying why.
    let e = plan_save(&existing, &entry("a", "2026-01-01", "edited"), today).unwrap_err();
    assert!(e.why.contains("locked"), "{e}");
    // A future version may still change.
    let next = entry("a", "2026-12-01", "edited");
    assert_eq!(
        plan_save(&existing, &next, today).unwrap(),
        vec![Change::Replace(1, next)]
    );
    let e = plan_save(&existing, &entry("a", "2026-11-01", "backdated"), today).unwrap_err();
    assert!(e.why.contains("past"), "{e}");
    // Today is allowed for a new version: it takes effect at once.
    assert!(matches!(
        plan_save(&existing, &entry("a", "2026-11-28", "today"), today).unwrap()[..],
        [Change::Insert(_)]
    ));
}

#[test]
fn an_import_deletes_future_versions_it_leaves_out_but_keeps_history() {
    let today = day("2026-11-28");
    let existing = vec![
        entry("a", "2026-01-01", "old"),
        entry("a", "2026-12-01", "next"),
    ];
    let plan = plan_import(&existing, &[], today).unwrap();
    assert_eq!(plan, vec![Change::Delete(1)]);
    let dup = vec![entry("a", "2026-12-05", "x"), entry("a", "2026-12-05", "y")];
    let e = plan_import(&existing, &dup, today).unwrap_err();
    assert_eq!(e.at, "entries[1]");
    assert!(e.why.contains("duplicate"));
}

#[test]
fn yaml_round_trips_and_errors_say_where() {
    let file = CatalogueFile {
        hall: "DL-XG".into(),
        repeat_window_days: 15,
        map_url: "https://map.example/x".into(),
        complaint_channels: vec!["95598".into()],
        commitments: vec!["居民新装 3 个工作日".into()],
        entries: vec![
            entry("a", "2026-01-01", "说明"),
            entry("b", "2026-12-01", "x"),
        ],
    };
    let text = to_yaml(&file);
    assert_eq!(from_yaml(&text, &["a", "b"]).unwrap(), file);

    let e = from_yaml(&text, &["a"]).unwrap_err();
    assert_eq!(e.at, "entries[1].business_type");
    assert!(e.why.contains("unknown business type"), "{e}");
    let second = text
        .lines()
        .position(|l| l.contains("business_type: b"))
        .unwrap()
        + 1;
    assert_eq!(e.line, Some(second), "{text}");

    let missing = text.replacen("  who_may_apply: 产权人\n", "", 1);
    let e = from_yaml(&missing, &["a", "b"]).unwrap_err();
    assert!(e.why.contains("missing field `who_may_apply`"), "{e}");
    assert_eq!(e.at, "entries[0]", "{e}");
    assert!(e.line.is_some());

    let script = text.replacen(
        "map_url: https://map.example/x",
        "map_url: javascript:alert(1)",
        1,
    );
    let e = from_yaml(&script, &["a", "b"]).unwrap_err();
    assert_eq!((e.at.as_str(), e.line), ("map_url", Some(4)), "{e}");

    let bad_class = text.replacen("resident:", "residents:", 1);
    let e = from_yaml(&bad_class, &["a", "b"]).unwrap_err();
    assert!(e.why.contains("unknown field `residents`"), "{e}");
}

#[test]
fn a_repeat_trip_needs_a_missing_document_within_the_window_on_another_ticket() {
    const D: i64 = 86_400_000;
    let v = |id, ticket, code: &str, at, outcome| PastVisit {
        id,
        ticket_id: Some(ticket),
        business_type: code.into(),
        at,
        outcome,
    };
    let earlier = vec![
        v(1, 10, "new", 0, VisitOutcome::MissingDocument),
        v(2, 11, "pay", 0, VisitOutcome::MissingDocument),
    ];
    assert_eq!(repeat_of(&earlier, "new", Some(20), 3 * D, 15), Some(1));
    assert_eq!(repeat_of(&earlier, "new", Some(20), 16 * D, 15), None);
    assert_eq!(repeat_of(&earlier, "other", Some(20), 3 * D, 15), None);
    assert_eq!(repeat_of(&earlier, "new", Some(10), 3 * D, 15), None);
    let done = vec![v(1, 10, "new", 0, VisitOutcome::Completed)];
    assert_eq!(repeat_of(&done, "new", Some(20), D, 15), None);
}

#[test]
fn contacts_are_normalised_and_bad_ones_say_what_to_give() {
    assert_eq!(normalize_contact(" 138-1234 5678 ").unwrap(), "13812345678");
    assert!(normalize_contact("").unwrap_err().contains("phone"));
    assert!(normalize_contact("12").is_err());
    assert_eq!(
        entry("a", "2026-01-01", "x").documents.classes(),
        vec![CustomerClass::Resident]
    );
}

#[test]
fn fees_may_apply_to_some_classes_only() {
    let mut e = entry("a", "2026-01-01", "x");
    e.fees.push(Fee {
        item: "高可靠性供电费".into(),
        fen: 26_000,
        basis: "示例".into(),
        sample: true,
        classes: vec![CustomerClass::HvDual],
    });
    assert_eq!(e.fees_for(CustomerClass::Resident).len(), 1);
    // HvDual is not offered this business: the fee's classes are checked.
    let err = e.validate("entries[0]", &["a"]).unwrap_err();
    assert_eq!(err.at, "entries[0].fees[1].classes");
    e.documents.hv_dual = Some(vec![]);
    e.validate("entries[0]", &["a"]).unwrap();
    assert_eq!(e.fees_for(CustomerClass::HvDual).len(), 2);
}
