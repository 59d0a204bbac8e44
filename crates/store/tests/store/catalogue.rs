//! The service catalogue, one-time notices and repeat trips, on both backends.

on_both!(in suite:
    catalogue_versions_take_effect_on_their_date,
    catalogue_yaml_round_trips,
    bad_catalogue_imports_change_nothing,
    repeat_trips_are_flagged_within_the_window,
    repeat_trip_list_filters_and_pages,
    notices_for_unknown_types_or_classes_record_nothing,
);

mod suite {
    use crate::fixture::{Fixture, T0, fixture, issue_req};
    use servicehall_domain::cases::{CaseKind, CustomerClass};
    use servicehall_domain::catalogue::{
        CatalogueEntry, Channel, ClassDocuments, Document, Fee, VisitOutcome, parse_date, to_yaml,
    };
    use servicehall_store::*;

    const DAY: i64 = 86_400_000;

    fn entry(code: &str, from: &str, desc: &str) -> CatalogueEntry {
        CatalogueEntry {
            business_type: code.into(),
            effective_from: from.into(),
            description: desc.into(),
            description_en: "New connection".into(),
            who_may_apply: "房屋产权人或其委托人".into(),
            documents: ClassDocuments {
                resident: Some(vec![Document {
                    name: "户主有效身份证明".into(),
                    note: String::new(),
                }]),
                low_voltage: Some(vec![Document {
                    name: "营业执照".into(),
                    note: "复印件加盖公章".into(),
                }]),
                ..Default::default()
            },
            fees: vec![Fee {
                item: "居民新装".into(),
                fen: 0,
                basis: "国家电网公司供电服务“十项承诺”".into(),
                sample: false,
                classes: vec![],
            }],
            channels: vec![Channel::Hall, Channel::App, Channel::Hotline],
            online: "网上国网 App → 办电".into(),
            notes: String::new(),
        }
    }

    async fn seeded(s: &SqlStore) -> Fixture {
        let f = fixture(s).await;
        s.save_catalogue_version(
            f.hall.id,
            &entry("new_connection", "2025-11-28", "今天起"),
            T0,
        )
        .await
        .unwrap();
        s.save_catalogue_version(
            f.hall.id,
            &entry("new_connection", "2025-12-01", "下月起"),
            T0,
        )
        .await
        .unwrap();
        f
    }

    fn descriptions(items: &[CatalogueItem]) -> Vec<String> {
        items.iter().map(|i| i.entry.description.clone()).collect()
    }

    pub async fn catalogue_versions_take_effect_on_their_date(s: SqlStore) {
        let f = seeded(&s).await;
        let today = parse_date("2025-11-28").unwrap();
        let now = s.effective_catalogue(f.hall.id, today).await.unwrap();
        assert_eq!(descriptions(&now), ["今天起"]);
        let next = s
            .effective_catalogue(f.hall.id, parse_date("2025-12-01").unwrap())
            .await
            .unwrap();
        assert_eq!(descriptions(&next), ["下月起"]);
        assert!(
            s.effective_catalogue(f.hall.id, parse_date("2025-11-27").unwrap())
                .await
                .unwrap()
                .is_empty()
        );

        // Steps and limits are the hall's case process, not a copy: change it, see it.
        let item = &now[0];
        let resident = item.class(CustomerClass::Resident).unwrap();
        assert_eq!(resident.process.steps[0].code, "scheme_reply");
        let mut p = resident.process.clone();
        p.steps[0].name_zh = "供电方案答复（改）".into();
        s.set_case_process(
            f.hall.id,
            CaseKind::Application,
            Some(f.bt[1].id),
            CustomerClass::Resident,
            &p,
            T0,
        )
        .await
        .unwrap();
        let again = s.effective_catalogue(f.hall.id, today).await.unwrap();
        assert_eq!(
            again[0]
                .class(CustomerClass::Resident)
                .unwrap()
                .process
                .steps[0]
                .name_zh,
            "供电方案答复（改）"
        );

        // History: both versions readable; today's is locked and current.
        let versions = s.catalogue_versions(f.hall.id, T0).await.unwrap();
        let flags: Vec<_> = versions
            .iter()
            .map(|v| (v.entry.effective_from.as_str(), v.locked, v.current))
            .collect();
        assert_eq!(
            flags,
            [("2025-11-28", true, true), ("2025-12-01", false, false)]
        );

        // A locked version cannot change; a future one can.
        let err = s
            .save_catalogue_version(f.hall.id, &entry("new_connection", "2025-11-28", "改"), T0)
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid(ref m) if m.contains("locked")),
            "{err}"
        );
        assert_eq!(
            s.save_catalogue_version(f.hall.id, &entry("new_connection", "2025-12-01", "改"), T0)
                .await
                .unwrap(),
            1
        );
        // A day later the December version is still not shown; on its date it is.
        let later = s.catalogue_versions(f.hall.id, T0 + 3 * DAY).await.unwrap();
        assert!(later.iter().all(|v| v.locked));
        assert!(later[1].current && !later[0].current);
    }

    pub async fn catalogue_yaml_round_trips(s: SqlStore) {
        let f = seeded(&s).await;
        let first = s.export_catalogue(f.hall.id).await.unwrap();
        let text = to_yaml(&first);
        // Re-importing the export changes nothing and exports the same file.
        assert_eq!(s.import_catalogue(f.hall.id, &text, T0).await.unwrap(), 0);
        assert_eq!(s.export_catalogue(f.hall.id).await.unwrap(), first);
        // A file with a new future version and public information round-trips too.
        let mut file = first.clone();
        file.repeat_window_days = 10;
        file.commitments = vec!["居民客户新装 3 个工作日内答复供电方案".into()];
        file.entries
            .push(entry("payment", "2026-01-01", "缴费说明"));
        let n = s
            .import_catalogue(f.hall.id, &to_yaml(&file), T0)
            .await
            .unwrap();
        assert_eq!(n, 1);
        let back = s.export_catalogue(f.hall.id).await.unwrap();
        assert_eq!(back.repeat_window_days, 10);
        assert_eq!(back.commitments, file.commitments);
        let mut a = back.entries.clone();
        let mut b = file.entries.clone();
        a.sort_by(|x, y| {
            (&x.business_type, &x.effective_from).cmp(&(&y.business_type, &y.effective_from))
        });
        b.sort_by(|x, y| {
            (&x.business_type, &x.effective_from).cmp(&(&y.business_type, &y.effective_from))
        });
        assert_eq!(a, b);
    }

    pub async fn bad_catalogue_imports_change_nothing(s: SqlStore) {
        let f = seeded(&s).await;
        let before = s.export_catalogue(f.hall.id).await.unwrap();
        let good = to_yaml(&before);
        let mut with_new = before.clone();
        with_new.repeat_window_days = 30;
        with_new.entries.push(entry("payment", "2026-01-01", "新"));
        let base = to_yaml(&with_new);

        let missing = base.replacen("  who_may_apply: 房屋产权人或其委托人\n", "", 1);
        let duplicate = {
            let mut d = with_new.clone();
            d.entries.push(entry("payment", "2026-01-01", "又一个"));
            to_yaml(&d)
        };
        let unknown = base.replace("business_type: payment", "business_type: teleport");
        let past_over_locked = base.replacen("description: 今天起", "description: 改写历史", 1);
        let backdated = base.replace("2026-01-01", "2025-01-01");
        let other_hall = base.replacen("hall: DL-XH", "hall: DL-XG", 1);
        for (name, text, says) in [
            ("missing field", missing, "missing field `who_may_apply`"),
            ("duplicate", duplicate, "duplicate"),
            (
                "unknown type",
                unknown,
                "unknown business type \"teleport\"",
            ),
            ("locked", past_over_locked, "locked"),
            ("past date", backdated, "in the past"),
            ("other hall", other_hall, "DL-XG"),
        ] {
            let err = s.import_catalogue(f.hall.id, &text, T0).await.unwrap_err();
            match &err {
                StoreError::Invalid(m) => {
                    assert!(m.contains(says), "{name}: {m}");
                    if name != "other hall" {
                        assert!(
                            m.contains("entries[") && m.contains("(line "),
                            "{name}: {m}"
                        );
                    }
                }
                other => panic!("{name}: expected Invalid, got {other:?}"),
            }
            assert_eq!(
                s.export_catalogue(f.hall.id).await.unwrap(),
                before,
                "{name}"
            );
        }
        assert_eq!(s.import_catalogue(f.hall.id, &good, T0).await.unwrap(), 0);
    }

    fn visit(f: &Fixture, ticket: i64, contact: &str, outcome: VisitOutcome) -> VisitInput {
        VisitInput {
            hall_id: f.hall.id,
            ticket_id: Some(ticket),
            business_type: "new_connection".into(),
            class: CustomerClass::Resident,
            contact: contact.into(),
            outcome,
            staff_id: Some(f.clerks[0].id),
        }
    }

    /// Three customers back after a missing document, a day apart; the third return was
    /// recorded by another clerk.
    pub async fn repeat_trip_list_filters_and_pages(s: SqlStore) {
        let f = seeded(&s).await;
        let mut returns = Vec::new();
        for i in 0..3i64 {
            let contact = format!("1380000000{i}");
            let t = s
                .issue_ticket(&issue_req(&f, 1, &format!("a{i}")), T0 + i * DAY)
                .await
                .unwrap();
            let first = visit(&f, t.id, &contact, VisitOutcome::MissingDocument);
            let first = s.record_visit(&first, T0 + i * DAY).await.unwrap();
            let t = s
                .issue_ticket(&issue_req(&f, 1, &format!("b{i}")), T0 + (i + 1) * DAY)
                .await
                .unwrap();
            let mut back = visit(&f, t.id, &contact, VisitOutcome::Completed);
            if i == 2 {
                back.staff_id = Some(f.clerks[1].id);
            }
            let back = s.record_visit(&back, T0 + (i + 1) * DAY).await.unwrap();
            assert_eq!(back.repeat_of, Some(first.id));
            returns.push((back.id, first.id));
        }
        let all = RepeatTripFilter {
            from: T0,
            to: T0 + 10 * DAY,
            ..Default::default()
        };
        let got = s
            .repeat_trip_page(f.hall.id, &all, Window::first(50))
            .await
            .unwrap();
        assert_eq!(got.total, 3);
        let pairs: Vec<_> = got
            .items
            .iter()
            .map(|t| (t.visit.id, t.earlier.id))
            .collect();
        assert_eq!(pairs, returns.iter().rev().copied().collect::<Vec<_>>());
        let page2 = s
            .repeat_trip_page(
                f.hall.id,
                &all,
                Window {
                    limit: 2,
                    offset: 2,
                },
            )
            .await
            .unwrap();
        assert_eq!((page2.total, page2.items.len()), (3, 1));
        assert_eq!(page2.items[0].visit.id, returns[0].0);
        let count = |g: RepeatTripFilter| {
            let s = s.clone();
            let hall = f.hall.id;
            async move {
                s.repeat_trip_page(hall, &g, Window::first(50))
                    .await
                    .unwrap()
                    .total
            }
        };
        let by_clerk2 = RepeatTripFilter {
            staff_id: Some(f.clerks[1].id),
            ..all.clone()
        };
        assert_eq!(count(by_clerk2).await, 1);
        let payment = RepeatTripFilter {
            business_type: Some("payment".into()),
            ..all.clone()
        };
        assert_eq!(count(payment).await, 0);
        let first_days = RepeatTripFilter {
            to: T0 + 2 * DAY + 1,
            ..all
        };
        assert_eq!(count(first_days).await, 2, "returns on day 1 and day 2");
    }

    pub async fn repeat_trips_are_flagged_within_the_window(s: SqlStore) {
        let f = seeded(&s).await;
        let t1 = s.issue_ticket(&issue_req(&f, 1, "rt1"), T0).await.unwrap();
        let v1 = s
            .record_visit(
                &visit(&f, t1.id, "138 1234 5678", VisitOutcome::MissingDocument),
                T0,
            )
            .await
            .unwrap();
        assert_eq!(v1.contact, "13812345678");
        assert_eq!(v1.repeat_of, None);
        // Recording again on the same ticket updates that visit, never links it to itself.
        let v1b = s
            .record_visit(
                &visit(&f, t1.id, "13812345678", VisitOutcome::MissingDocument),
                T0 + 1000,
            )
            .await
            .unwrap();
        assert_eq!((v1b.id, v1b.repeat_of), (v1.id, None));

        // Back 3 days later for the same business: a repeat trip, linked to the first visit.
        let t2 = s
            .issue_ticket(&issue_req(&f, 1, "rt2"), T0 + 3 * DAY)
            .await
            .unwrap();
        let v2 = s
            .record_visit(
                &visit(&f, t2.id, "13812345678", VisitOutcome::Completed),
                T0 + 3 * DAY,
            )
            .await
            .unwrap();
        assert_eq!(v2.repeat_of, Some(v1.id));
        // Another customer, or another business, is not.
        let t3 = s
            .issue_ticket(&issue_req(&f, 1, "rt3"), T0 + 3 * DAY)
            .await
            .unwrap();
        let v3 = s
            .record_visit(
                &visit(&f, t3.id, "13900000000", VisitOutcome::Completed),
                T0 + 3 * DAY,
            )
            .await
            .unwrap();
        assert_eq!(v3.repeat_of, None);
        let mut pay = visit(&f, t3.id, "13812345678", VisitOutcome::Completed);
        pay.business_type = "payment".into();
        assert_eq!(
            s.record_visit(&pay, T0 + 3 * DAY).await.unwrap().repeat_of,
            None
        );

        let trips = s.repeat_trips(f.hall.id, T0).await.unwrap();
        assert_eq!(trips.len(), 1);
        assert_eq!(trips[0].visit.id, v2.id);
        assert_eq!(trips[0].earlier.id, v1.id);
        assert_eq!(
            trips[0].earlier.ticket_number.as_deref(),
            Some(t1.number.as_str())
        );

        // Past the window (15 days by default) it is a new visit, not a repeat trip.
        let t4 = s
            .issue_ticket(&issue_req(&f, 1, "rt4"), T0 + 20 * DAY)
            .await
            .unwrap();
        let v4 = s
            .record_visit(
                &visit(&f, t4.id, "13812345678", VisitOutcome::Completed),
                T0 + 20 * DAY,
            )
            .await
            .unwrap();
        assert_eq!(v4.repeat_of, None);

        // The window is the hall's: shorten it to 2 days and a 3-day return is not flagged.
        let mut file = s.export_catalogue(f.hall.id).await.unwrap();
        file.repeat_window_days = 2;
        s.import_catalogue(f.hall.id, &to_yaml(&file), T0)
            .await
            .unwrap();
        let t5 = s
            .issue_ticket(&issue_req(&f, 1, "rt5"), T0 + 30 * DAY)
            .await
            .unwrap();
        s.record_visit(
            &visit(&f, t5.id, "15000000000", VisitOutcome::MissingDocument),
            T0 + 30 * DAY,
        )
        .await
        .unwrap();
        let t6 = s
            .issue_ticket(&issue_req(&f, 1, "rt6"), T0 + 33 * DAY)
            .await
            .unwrap();
        let v6 = s
            .record_visit(
                &visit(&f, t6.id, "15000000000", VisitOutcome::Completed),
                T0 + 33 * DAY,
            )
            .await
            .unwrap();
        assert_eq!(v6.repeat_of, None);
    }

    pub async fn notices_for_unknown_types_or_classes_record_nothing(s: SqlStore) {
        let f = seeded(&s).await;
        let t = s.issue_ticket(&issue_req(&f, 1, "nt1"), T0).await.unwrap();
        let mut v = visit(&f, t.id, "13812345678", VisitOutcome::NoticeOnly);
        v.class = CustomerClass::HvDual;
        let err = s.give_notice(&v, "code-a", T0).await.unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid(ref m) if m.contains("not offered")),
            "{err}"
        );
        v.class = CustomerClass::Resident;
        v.business_type = "inquiry".into();
        assert!(matches!(
            s.give_notice(&v, "code-b", T0).await.unwrap_err(),
            StoreError::NotFound(_)
        ));
        v.business_type = "nope".into();
        assert!(s.give_notice(&v, "code-c", T0).await.is_err());
        assert!(s.repeat_trips(f.hall.id, 0).await.unwrap().is_empty());
        assert!(s.notice("code-a").await.is_err());

        v.business_type = "new_connection".into();
        let (n, visit) = s.give_notice(&v, "code-d", T0).await.unwrap();
        assert_eq!(n.effective_from, "2025-11-28");
        assert_eq!(n.visit_id, visit.id);
        assert_eq!(visit.outcome, VisitOutcome::NoticeOnly);
        assert_eq!(s.notice("code-d").await.unwrap(), n);
    }
}
