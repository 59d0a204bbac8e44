//! Monthly reports on both backends: the history keeps each report's bytes, who made it,
//! the audit head and the workbook's SHA-256, lists by scope, and answers the month-end
//! step's "already kept?"; and the indicators added with the reports (wait p90 from its
//! bins, on time by kind of limit) are kept and equal the recount.

on_both!(in suite: reports_are_kept_with_their_history, new_indicators_are_kept_and_rebuilt);

mod suite {
    use crate::fixture::{MIN, T0, fixture, issue_req, op};
    use servicehall_domain::cases::{CaseKind, CustomerClass};
    use servicehall_store::*;

    fn report(scope: ReportScope, code: &str, month: &str, bytes: &[u8]) -> NewReport {
        NewReport {
            scope,
            scope_code: code.into(),
            scope_name: format!("{code} 营业厅"),
            month: month.into(),
            generated_by: "manager".into(),
            audit_head: "1:42:abcdef".into(),
            xlsx: bytes.to_vec(),
            html: "<p>月度报告</p>".into(),
        }
    }

    pub async fn reports_are_kept_with_their_history(s: SqlStore) {
        let a = s
            .keep_report(
                &report(ReportScope::hall(1), "DL-XH", "2026-02", b"PK\x03\x04one"),
                T0,
            )
            .await
            .unwrap();
        let b = s
            .keep_report(
                &report(ReportScope::hall(1), "DL-XH", "2026-03", b"PK\x03\x04two"),
                T0 + MIN,
            )
            .await
            .unwrap();
        let r = s
            .keep_report(
                &report(ReportScope::region(7), "LN", "2026-03", b"PK\x03\x04three"),
                T0 + 2 * MIN,
            )
            .await
            .unwrap();
        // The SHA-256 is of the workbook's bytes, as `sha256sum` prints it.
        assert_eq!(
            a.sha256,
            servicehall_domain::audit::sha256_hex(b"PK\x03\x04one")
        );
        assert_ne!(a.sha256, b.sha256);
        assert_eq!(a.xlsx_bytes, 7);

        // Newest month first; a scope list limits what is listed.
        let all: Vec<i64> = s
            .reports(None, 10)
            .await
            .unwrap()
            .iter()
            .map(|m| m.id)
            .collect();
        assert_eq!(all, [r.id, b.id, a.id]);
        let hall: Vec<i64> = s
            .reports(Some(&[ReportScope::hall(1)]), 10)
            .await
            .unwrap()
            .iter()
            .map(|m| m.id)
            .collect();
        assert_eq!(hall, [b.id, a.id]);
        assert!(s.reports(Some(&[]), 10).await.unwrap().is_empty());
        assert!(
            s.reports(Some(&[ReportScope::hall(2)]), 10)
                .await
                .unwrap()
                .is_empty()
        );

        // The bytes and the page come back as kept.
        let k = s.report(b.id).await.unwrap().unwrap();
        assert_eq!(k.xlsx, b"PK\x03\x04two");
        assert_eq!(k.html, "<p>月度报告</p>");
        assert_eq!(k.meta, b);
        assert!(s.report(9_999).await.unwrap().is_none());

        assert!(
            s.report_kept(&ReportScope::region(7), "2026-03")
                .await
                .unwrap()
        );
        assert!(
            !s.report_kept(&ReportScope::region(7), "2026-02")
                .await
                .unwrap()
        );
        assert!(
            !s.report_kept(&ReportScope::hall(7), "2026-03")
                .await
                .unwrap()
        );
    }

    fn figure(rows: &[MonthFigure], ind: &str) -> (i64, i64) {
        rows.iter()
            .filter(|r| r.indicator == ind)
            .fold((0, 0), |(n, d), r| (n + r.num, d + r.den))
    }

    pub async fn new_indicators_are_kept_and_rebuilt(s: SqlStore) {
        let f = fixture(&s).await;
        let h = [f.hall.id];
        let c = f.counters[1].id;
        // Ten visits called after 2, 2, …, 2 (eight), 7 and 33 minutes: p90 is the 9th wait,
        // in the 7–8 minute bin, so 8 minutes.
        let waits = [2, 2, 2, 2, 2, 2, 2, 2, 7, 33];
        for (i, w) in waits.iter().enumerate() {
            let at = T0 + (i as i64) * 40 * MIN;
            let t = s
                .issue_ticket(&issue_req(&f, 1, &format!("p{i}")), at)
                .await
                .unwrap();
            let called = s.call_next(c, None, at + w * MIN).await.unwrap().unwrap();
            assert_eq!(called.id, t.id);
            s.act_on_ticket(t.id, &TicketCommand::NoShow, op(&f, 1), at + (w + 2) * MIN)
                .await
                .unwrap();
        }
        // A case whose first clock stops (the scheme reply) on time.
        let d = s
            .open_case(
                &crate::cases::open_req(
                    &f,
                    CaseKind::Application,
                    Some(1),
                    CustomerClass::HvSingle,
                ),
                T0,
            )
            .await
            .unwrap();
        s.complete_step(
            d.case.id,
            "scheme_reply",
            f.clerks[0].id,
            "",
            T0 + 2 * 60 * MIN,
        )
        .await
        .unwrap();
        let now = T0 + 12 * 60 * MIN;
        s.refresh_assessment(&h, now).await.unwrap();
        let month = {
            use chrono::Datelike;
            let d = chrono::DateTime::from_timestamp_millis(T0 + 8 * 3_600_000)
                .unwrap()
                .date_naive();
            i64::from(d.year()) * 100 + i64::from(d.month())
        };
        let kept = s.assessment_months(&h, month, month).await.unwrap();
        assert_eq!(figure(&kept, "wait_p90"), (8 * MIN, 1), "{kept:?}");
        // The bins stay behind the indicator: no month figure names one.
        assert!(kept.iter().all(|r| !r.indicator.starts_with("wait_bin")));
        // The kinds of limit add up to the on-time rate.
        let all = figure(&kept, "on_time_rate");
        assert!(all.1 >= 1, "a clock stopped: {kept:?}");
        let kinds = [
            "on_time_statutory",
            "on_time_promised",
            "on_time_appointment",
        ]
        .map(|k| figure(&kept, k));
        assert_eq!(
            kinds.iter().fold((0, 0), |(n, d), k| (n + k.0, d + k.1)),
            all,
            "{kinds:?}"
        );
        // The naive scan reads the same, and the rebuild check finds the kept bins equal.
        let d0 = (T0 + 8 * 3_600_000) / 86_400_000;
        let naive = s
            .assessment_months_from_logs(&h, d0 - 1, d0 + 2, now)
            .await
            .unwrap();
        assert_eq!(figure(&naive, "wait_p90"), (8 * MIN, 1));
        let r = s.rebuild_assessment(true, now).await.unwrap();
        assert_eq!(r.differences, 0, "{r:?}");
        // A drifted bin is caught (days later: the step recounts only from its mark on).
        let later = now + 3 * 24 * 60 * MIN;
        s.refresh_assessment(&h, later).await.unwrap();
        sqlx::query("UPDATE assessment_days SET num = num + 5 WHERE indicator = 'wait_bin:33'")
            .execute(s.pool())
            .await
            .unwrap();
        let r = s.rebuild_assessment(true, later).await.unwrap();
        assert_eq!(r.differences, 1, "{r:?}");
    }
}
