//! The customer register on both backends: records keyed by account number, segments with
//! their rules, consents that are never rewritten, the audited history (also on the hall's
//! audit chain), the visits and cases the front desk sees, and counts by segment.

on_both!(in suite:
    customers_are_registered_changed_and_audited,
    consent_history_is_kept_and_withdrawal_stops_contact,
    history_shows_cases_and_what_was_missing,
);

pub(crate) mod suite {
    use crate::fixture::{T0, fixture, issue_req};
    use chrono::NaiveDate;
    use servicehall_domain::cases::{CaseKind, CustomerClass};
    use servicehall_domain::catalogue::{CatalogueEntry, ClassDocuments, Document, VisitOutcome};
    use servicehall_domain::customers::{
        Basis, Care, ContactChannel, Membership, Purpose, Segment, may_contact,
    };
    use servicehall_store::*;

    const DAY: i64 = 86_400_000;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    pub(crate) fn alone() -> Membership {
        Membership {
            segment: Segment::LivingAlone,
            care: vec![Care::GreenChannel, Care::Seat],
            basis: Some(Basis::CommunityReferral),
            review_on: Some(d("2025-12-10")),
            note: "社区网格员转介".into(),
        }
    }

    pub(crate) fn new_customer(account: &str, phone: &str) -> NewCustomer {
        NewCustomer {
            account_no: account.into(),
            name: "王秀兰".into(),
            phone: phone.into(),
            class: CustomerClass::Resident,
            note: String::new(),
            segments: vec![alone()],
        }
    }

    pub async fn customers_are_registered_changed_and_audited(s: SqlStore) {
        let f = fixture(&s).await;
        let by = Some(f.clerks[0].id);
        let c = s
            .create_customer(
                f.hall.id,
                &new_customer("0102-345678", "138 1234 1234"),
                by,
                T0,
            )
            .await
            .unwrap();
        assert_eq!(c.account_no, "0102345678");
        assert_eq!(c.phone, "13812341234");
        assert_eq!(c.segments, vec![alone()]);
        // The account number is the key: a second record for it is refused.
        let again = s
            .create_customer(f.hall.id, &new_customer("0102345678", ""), by, T0)
            .await;
        assert!(
            matches!(again, Err(StoreError::Conflict(ref m)) if m.contains("****5678")),
            "{again:?}"
        );
        // A vulnerable segment without a basis is refused and nothing is written.
        let mut bad = new_customer("0109999999", "");
        bad.segments[0].basis = None;
        let e = s
            .create_customer(f.hall.id, &bad, by, T0)
            .await
            .unwrap_err();
        assert!(
            matches!(e, StoreError::Invalid(ref m) if m.contains("basis")),
            "{e}"
        );
        assert!(
            s.find_by_account(f.hall.id, "0109999999")
                .await
                .unwrap()
                .is_none()
        );

        assert_eq!(
            s.find_by_account(f.hall.id, "0102345678")
                .await
                .unwrap()
                .map(|c| c.id),
            Some(c.id)
        );
        assert_eq!(
            s.find_by_phone(f.hall.id, "13812341234")
                .await
                .unwrap()
                .map(|c| c.id),
            Some(c.id)
        );
        assert!(
            s.find_by_phone(f.hall.id, "13900000000")
                .await
                .unwrap()
                .is_none()
        );
        assert!(s.find_by_phone(f.hall.id, "x").await.unwrap().is_none());

        let upd = CustomerUpdate {
            name: None,
            phone: Some("13912345678".into()),
            class: CustomerClass::Resident,
            note: "行动不便".into(),
            segments: vec![
                alone(),
                Membership {
                    segment: Segment::KeyAccount,
                    care: vec![Care::AccountManager],
                    basis: None,
                    review_on: None,
                    note: String::new(),
                },
            ],
        };
        let c2 = s.update_customer(c.id, &upd, by, T0 + DAY).await.unwrap();
        assert_eq!(c2.name, "王秀兰", "a name left out is kept");
        assert_eq!(c2.phone, "13912345678");
        assert_eq!(c2.segments.len(), 2);
        s.log_customer_reveal(c.id, "核对停电通知名单", by, T0 + DAY)
            .await
            .unwrap();
        assert!(
            s.log_customer_reveal(c.id, "看", by, T0 + DAY)
                .await
                .is_err()
        );
        let h = s.customer_changes(c.id).await.unwrap();
        let kinds: Vec<&str> = h.iter().map(|c| c.kind.as_str()).collect();
        assert_eq!(kinds, ["created", "changed", "revealed"]);
        assert!(
            h[1].summary.contains("电话：138****1234 → 139****5678"),
            "{}",
            h[1].summary
        );
        assert!(
            h[1].summary.contains("加入分群 重点客户"),
            "{}",
            h[1].summary
        );
        assert!(
            !h.iter().any(|c| c.summary.contains("13912345678")),
            "no phone in clear"
        );
        assert_eq!(h[0].by_name.as_deref(), Some(f.clerks[0].name.as_str()));
        // Every change is on the hall's audit chain, masked.
        let records = s.audit_records(Some(f.hall.id), 50).await.unwrap();
        let ours: Vec<_> = records
            .iter()
            .filter(|r| r.kind == "customer.changed")
            .collect();
        assert_eq!(ours.len(), 3);
        assert!(
            ours.iter()
                .all(|r| r.subject.contains("****5678") && !r.subject.contains("0102345678"))
        );
        let report = s.verify_audit("test", T0 + DAY).await.unwrap();
        assert!(
            report.chains.iter().all(|c| c.broken.is_none()),
            "{report:?}"
        );

        // The register's filters and the counts by segment.
        let due = CustomerFilter {
            segment: None,
            review_by: Some(d("2025-12-31")),
        };
        assert_eq!(s.customers(f.hall.id, &due).await.unwrap().len(), 1);
        let later = CustomerFilter {
            segment: None,
            review_by: Some(d("2025-12-01")),
        };
        assert!(s.customers(f.hall.id, &later).await.unwrap().is_empty());
        let key = CustomerFilter {
            segment: Some(Segment::KeyAccount),
            review_by: Some(d("2025-12-31")),
        };
        assert_eq!(s.customers(f.hall.id, &key).await.unwrap().len(), 1);
        let hv = CustomerFilter {
            segment: Some(Segment::HighVoltage),
            review_by: None,
        };
        assert!(s.customers(f.hall.id, &hv).await.unwrap().is_empty());
        let counts = s
            .segment_counts(&[f.hall.id], d("2025-12-31"))
            .await
            .unwrap();
        let alone_n = counts
            .iter()
            .find(|c| c.segment == Segment::LivingAlone)
            .unwrap();
        assert_eq!((alone_n.customers, alone_n.review_due), (1, 1));
        assert!(
            s.segment_counts(&[f.hall.id + 100], d("2025-12-31"))
                .await
                .unwrap()
                .is_empty()
        );
    }

    pub async fn consent_history_is_kept_and_withdrawal_stops_contact(s: SqlStore) {
        let f = fixture(&s).await;
        let by = Some(f.clerks[0].id);
        let c = s
            .create_customer(
                f.hall.id,
                &new_customer("0102345678", "13812341234"),
                by,
                T0,
            )
            .await
            .unwrap();
        let p = Purpose::OutageNotice;
        assert!(!may_contact(&c.consents, p, ContactChannel::Sms, T0));
        let grant = ConsentInput {
            purpose: p,
            channel: Some(ContactChannel::Sms),
            granted: true,
            note: "柜台签字".into(),
        };
        let c = s.record_consent(c.id, &grant, by, T0 + 10).await.unwrap();
        assert!(may_contact(&c.consents, p, ContactChannel::Sms, T0 + 10));
        assert!(!may_contact(
            &c.consents,
            Purpose::Marketing,
            ContactChannel::Sms,
            T0 + 10
        ));
        let no_channel = ConsentInput {
            channel: None,
            ..grant.clone()
        };
        assert!(
            s.record_consent(c.id, &no_channel, by, T0 + 11)
                .await
                .is_err()
        );
        let withdraw = ConsentInput {
            purpose: p,
            channel: None,
            granted: false,
            note: "电话撤回".into(),
        };
        let c = s
            .record_consent(c.id, &withdraw, by, T0 + 20)
            .await
            .unwrap();
        assert!(!may_contact(&c.consents, p, ContactChannel::Sms, T0 + 20));
        assert!(
            may_contact(&c.consents, p, ContactChannel::Sms, T0 + 19),
            "history kept"
        );
        // Nothing left to withdraw.
        let e = s
            .record_consent(c.id, &withdraw, by, T0 + 30)
            .await
            .unwrap_err();
        assert!(
            matches!(e, StoreError::Invalid(ref m) if m.contains("withdraw")),
            "{e}"
        );
        let recs = s.consent_records(c.id).await.unwrap();
        assert_eq!(recs.len(), 2);
        assert!(recs[0].event.granted && !recs[1].event.granted);
        assert_eq!(recs[1].note, "电话撤回");
        let kinds: Vec<String> = s
            .customer_changes(c.id)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.kind)
            .collect();
        assert_eq!(kinds, ["created", "consent", "withdrawn"]);
        assert!(s.record_consent(c.id + 99, &grant, by, T0).await.is_err());
    }

    pub async fn history_shows_cases_and_what_was_missing(s: SqlStore) {
        let f = fixture(&s).await;
        let entry = CatalogueEntry {
            business_type: "new_connection".into(),
            effective_from: "2025-11-01".into(),
            description: "居民新装".into(),
            description_en: String::new(),
            who_may_apply: "产权人".into(),
            documents: ClassDocuments {
                resident: Some(vec![
                    Document {
                        name: "户主身份证".into(),
                        note: String::new(),
                    },
                    Document {
                        name: "房屋产权证明".into(),
                        note: String::new(),
                    },
                ]),
                ..Default::default()
            },
            fees: vec![],
            channels: vec![servicehall_domain::catalogue::Channel::Hall],
            online: String::new(),
            notes: String::new(),
        };
        s.save_catalogue_version(f.hall.id, &entry, T0 - 30 * DAY)
            .await
            .unwrap();
        let c = s
            .create_customer(
                f.hall.id,
                &new_customer("0102345678", "13812341234"),
                None,
                T0,
            )
            .await
            .unwrap();
        let t = s.issue_ticket(&issue_req(&f, 1, "cv1"), T0).await.unwrap();
        let visit = VisitInput {
            hall_id: f.hall.id,
            ticket_id: Some(t.id),
            business_type: "new_connection".into(),
            class: CustomerClass::Resident,
            contact: "13812341234".into(),
            outcome: VisitOutcome::MissingDocument,
            staff_id: Some(f.clerks[0].id),
        };
        s.give_notice(&visit, "nc-1", T0).await.unwrap();
        // Another customer's visit is not theirs.
        let mut other = visit.clone();
        other.contact = "13700000000".into();
        other.ticket_id = None;
        s.record_visit(&other, T0 + 1).await.unwrap();
        let mut case =
            crate::cases::open_req(&f, CaseKind::Complaint, None, CustomerClass::Resident);
        case.account_no = "0102345678".into();
        case.customer_phone = "13600000000".into();
        let opened = s.open_case(&case, T0 + 2).await.unwrap();
        let h = s.customer_history(c.id, 10).await.unwrap();
        assert_eq!(h.visits.len(), 1);
        let v = &h.visits[0];
        assert_eq!(v.outcome, VisitOutcome::MissingDocument);
        assert_eq!(v.missing, ["户主身份证", "房屋产权证明"]);
        assert_eq!(v.notice_code.as_deref(), Some("nc-1"));
        assert_eq!(v.business_name, "居民新装");
        assert_eq!(v.ticket_number.as_deref(), Some(t.number.as_str()));
        assert_eq!(h.cases.len(), 1);
        assert!(h.cases[0].open);
        assert_eq!(h.cases[0].number, opened.case.number);
        assert_eq!(h.cases[0].kind, CaseKind::Complaint);
    }
}
