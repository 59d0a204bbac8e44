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

#[test]
fn every_outcome_reads_back_from_its_stored_name_and_only_missing_documents_repeat() {
    use std::str::FromStr;
    for o in VisitOutcome::ALL {
        assert_eq!(VisitOutcome::from_str(o.as_str()), Ok(o));
        assert!(!o.label_zh().is_empty());
    }
    let err = VisitOutcome::from_str("finished").unwrap_err();
    assert!(err.contains("transferred (转办)") && err.contains("other (其他)"));
    // A visit handed on (转办) or ended otherwise (其他) does not make the next one a repeat.
    for outcome in [VisitOutcome::Transferred, VisitOutcome::Other] {
        let earlier = vec![PastVisit {
            id: 1,
            ticket_id: Some(10),
            business_type: "new".into(),
            at: 0,
            outcome,
        }];
        assert_eq!(repeat_of(&earlier, "new", Some(20), 1000, 15), None);
    }
}

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn yuan_typed_in_the_form_is_kept_in_fen() {
    assert_eq!(parse_yuan("260"), Ok(26_000));
    assert_eq!(parse_yuan(" ¥1,234.5 "), Ok(123_450));
    assert_eq!(parse_yuan("0.07"), Ok(7));
    assert_eq!(parse_yuan(""), Ok(0));
    assert_eq!(parse_yuan("免费"), Ok(0));
    for bad in ["12.345", "-5", "1e3", "abc", ".5"] {
        assert!(parse_yuan(bad).unwrap_err().contains("yuan"), "{bad}");
    }
    assert_eq!(yuan_field(26_000), "260");
    assert_eq!(yuan_field(123_450), "1234.50");
    assert_eq!(parse_yuan(&yuan_field(7)), Ok(7));
}

#[test]
fn the_field_form_reads_back_into_an_entry_with_rows_in_order() {
    let (e, errors) = entry_from_fields(&fields(&[
        ("business_type", "new"),
        ("effective_from", "2026-12-01"),
        ("description", " 居民新装 "),
        ("who_may_apply", "产权人"),
        ("offered", "resident"),
        ("documents.resident[1].name", "房产证"),
        ("documents.resident[1].note", "或购房合同"),
        ("documents.resident[0].name", "身份证"),
        ("documents.resident[0].note", ""),
        ("documents.resident[2].name", ""),
        ("documents.resident[2].note", ""),
        // A class not ticked as offered is left out, whatever rows it had.
        ("documents.hv_dual[0].name", "批复"),
        ("fees[0].item", "验表费"),
        ("fees[0].yuan", "12.5"),
        ("fees[0].basis", "辽价〔2020〕1号"),
        ("fees[0].classes", "resident"),
        ("fees[1].item", ""),
        ("fees[1].yuan", ""),
        ("fees[1].basis", ""),
        ("channels", "hall"),
        ("channels", "95598"),
    ]));
    assert_eq!(errors, vec![]);
    assert_eq!(e.description, "居民新装");
    let docs = e.documents.resident.as_ref().unwrap();
    assert_eq!(
        docs.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(),
        ["身份证", "房产证"]
    );
    assert_eq!(docs[1].note, "或购房合同");
    assert_eq!(e.documents.hv_dual, None);
    assert_eq!(e.fees.len(), 1, "the blank fee row is dropped");
    assert_eq!(e.fees[0].fen, 1250);
    assert_eq!(e.fees[0].classes, vec![CustomerClass::Resident]);
    assert_eq!(e.channels, vec![Channel::Hall, Channel::Hotline]);
    e.validate("entry", &["new"]).unwrap();
}

#[test]
fn bad_form_fields_are_named_as_the_form_names_them() {
    let (e, errors) = entry_from_fields(&fields(&[
        ("business_type", "new"),
        ("offered", "resident"),
        ("fees[3].item", "验表费"),
        ("fees[3].yuan", "12.345"),
        ("fees[3].basis", "x"),
        ("channels", "fax"),
    ]));
    let named: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(named, ["channels", "fees[0].yuan"]);
    assert_eq!(
        e.fees[0].fen, 0,
        "read as 0 so the preview still shows the rest"
    );
    // The entry's own checks point at the same names.
    let err = e.validate("entry", &["new"]).unwrap_err();
    assert_eq!(field_of(&err.at), "effective_from");
    assert_eq!(field_of("entry.fees[2].fen"), "fees[2].yuan");
}

#[test]
fn typed_amounts_follow_the_kept_fee_rows() {
    let f = |k: &str, v: &str| (k.to_string(), v.to_string());
    let fields = [
        f("fees[0].item", ""),
        f("fees[0].yuan", ""),
        f("fees[3].item", "高可靠性供电费"),
        f("fees[3].yuan", " 12,5x "),
        f("fees[7].yuan", "260"),
        f("fees[7].basis", "辽价发"),
    ];
    // The empty row 0 is dropped, as entry_from_fields drops it; the rest keep their order.
    assert_eq!(typed_fee_amounts(&fields), ["12,5x", "260"]);
    let (entry, errors) = entry_from_fields(&fields);
    assert_eq!(entry.fees.len(), 2);
    assert_eq!(errors[0].field, "fees[0].yuan");
}
