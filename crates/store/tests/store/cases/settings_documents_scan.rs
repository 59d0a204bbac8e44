//! Issue 3 remainder on both backends: clock settings and processes that apply to cases
//! opened after a change, document files in the database, the warning index derived from
//! the log (and the scan that reads it), and case changes on the live feed.

use crate::fixture::{T0, fixture};
use servicehall_domain::cases::{
    Amount, CaseKind, CaseSettings, ClockEvent, ClockLog, ClockPolicy, CustomerClass,
    MAX_CASE_FILES, Process, WarningLevel, default_process, next_warning_at, warning_instants,
};
use servicehall_store::*;

const HOUR: i64 = 3_600_000;
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01";

on_both!(
    settings_and_processes_apply_to_cases_opened_after_them,
    bad_settings_and_processes_change_nothing,
    documents_are_stored_checked_and_superseded_never_deleted,
    the_warning_index_is_derived_from_the_log,
    the_scan_indexes_clocks_written_before_the_index,
    case_changes_are_published_on_the_hall_feed,
);

pub(crate) fn complaint(f: &crate::fixture::Fixture) -> OpenCase {
    OpenCase {
        hall_id: f.hall.id,
        kind: CaseKind::Complaint,
        business_type_id: None,
        customer_class: CustomerClass::Resident,
        customer_name: "李四".into(),
        customer_phone: "13912345678".into(),
        account_no: "0109876543".into(),
        summary: "投诉 等候时间长".into(),
        ticket_id: None,
        by: f.clerks[0].id,
    }
}

fn levels(w: &[CaseWarning]) -> Vec<(i64, WarningLevel)> {
    let mut v: Vec<_> = w.iter().map(|x| (x.case_id, x.level)).collect();
    v.sort();
    v
}

async fn settings_and_processes_apply_to_cases_opened_after_them(s: SqlStore) {
    let f = fixture(&s).await;
    let old = s.open_case(&complaint(&f), T0).await.unwrap();
    assert_eq!(old.policy, ClockPolicy::default());
    // The administrator tightens the complaint reply to 2 working days and warns earlier.
    let mut p = default_process(CaseKind::Complaint, None, CustomerClass::Resident);
    p.steps[1].clocks[0].amount = Amount::WorkingDays(2);
    s.set_case_process(
        f.hall.id,
        CaseKind::Complaint,
        None,
        CustomerClass::Resident,
        &p,
        T0 + 1,
    )
    .await
    .unwrap();
    let tight = CaseSettings {
        owner_permille: 250,
        manager_permille: 600,
        pause_cap_hours: 2,
    };
    let stored = s
        .set_case_settings(f.hall.id, &tight, f.clerks[0].id, T0 + 2)
        .await
        .unwrap();
    assert_eq!(stored.settings, tight);
    assert_eq!(stored.updated_at, Some(T0 + 2));
    let new = s.open_case(&complaint(&f), T0 + 3).await.unwrap();
    // The new case follows the new rules; the old one keeps what it was opened with.
    assert_eq!(new.policy, tight.policy());
    assert_eq!(new.clocks[1].amount, Amount::WorkingDays(2));
    let old = s.case(old.case.id, T0 + 3).await.unwrap();
    assert_eq!(old.policy, ClockPolicy::default());
    assert_eq!(old.clocks[1].amount, Amount::WorkingDays(5));
    // 7 h into the 24-hour contact clock: 29 % — past the new case's 25 %, not the old 50 %;
    // the new 2-day reply clock is at 5.5 of 21 working hours (26 %), the old one at 13 %.
    let w = s
        .scan_warnings(Some(f.hall.id), T0 + 7 * HOUR)
        .await
        .unwrap();
    let mut got: Vec<_> = w
        .iter()
        .map(|x| (x.case_id, x.clock_key.as_str(), x.level))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            (new.case.id, "contact.contact", WarningLevel::Owner),
            (new.case.id, "reply.resolve", WarningLevel::Owner)
        ]
    );
    // The stored list shows the edit as customised.
    let list = s.configured_processes(f.hall.id).await.unwrap();
    let c = list.iter().find(|p| p.kind == CaseKind::Complaint).unwrap();
    assert_eq!(c.updated_at, T0 + 1);
    assert_eq!(c.process, p);
}

async fn bad_settings_and_processes_change_nothing(s: SqlStore) {
    let f = fixture(&s).await;
    for bad in [
        CaseSettings {
            owner_permille: 0,
            manager_permille: 800,
            pause_cap_hours: 1,
        },
        CaseSettings {
            owner_permille: 800,
            manager_permille: 500,
            pause_cap_hours: 1,
        },
        CaseSettings {
            owner_permille: 500,
            manager_permille: 800,
            pause_cap_hours: 100_000,
        },
    ] {
        match s
            .set_case_settings(f.hall.id, &bad, f.clerks[0].id, T0)
            .await
        {
            Err(StoreError::Invalid(m)) => assert!(!m.is_empty()),
            other => panic!("expected invalid, got {other:?}"),
        }
    }
    let st = s.case_settings(f.hall.id).await.unwrap();
    assert_eq!(st.settings, CaseSettings::default());
    assert_eq!(st.updated_at, None);
    let mut p = default_process(CaseKind::Opinion, None, CustomerClass::Resident);
    p.steps[0].clocks[0].source = " ".into();
    let e = s
        .set_case_process(
            f.hall.id,
            CaseKind::Opinion,
            None,
            CustomerClass::Resident,
            &p,
            T0,
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("source"), "{e}");
    let mut p = default_process(CaseKind::Opinion, None, CustomerClass::Resident);
    p.steps[0].clocks[0].amount = Amount::WorkingDays(5000);
    assert!(
        s.set_case_process(
            f.hall.id,
            CaseKind::Opinion,
            None,
            CustomerClass::Resident,
            &p,
            T0
        )
        .await
        .is_err()
    );
    let e = s
        .set_case_process(
            f.hall.id,
            CaseKind::Opinion,
            None,
            CustomerClass::Resident,
            &Process { steps: vec![] },
            T0,
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("at least one step"), "{e}");
    assert!(s.configured_processes(f.hall.id).await.unwrap().is_empty());
}

async fn documents_are_stored_checked_and_superseded_never_deleted(s: SqlStore) {
    let f = fixture(&s).await;
    let d = s.open_case(&complaint(&f), T0).await.unwrap();
    let id = d.case.id;
    let by = f.clerks[0].id;
    let up = |name: &str, bytes: &[u8]| DocumentUpload {
        name: name.into(),
        bytes: bytes.to_vec(),
        note: "正面".into(),
    };
    let d = s
        .upload_document(id, &up("C:\\scans\\身份证.png", PNG), by, T0 + HOUR)
        .await
        .unwrap();
    assert_eq!(d.documents.len(), 1);
    let doc = &d.documents[0];
    assert_eq!(doc.name, "身份证.png");
    assert_eq!(doc.content_type, "image/png");
    assert_eq!(doc.size_bytes, PNG.len() as i64);
    assert_eq!(doc.received_by, Some(by));
    assert!(d.trail.iter().any(|e| e.kind == "document_added"));
    let file = s.document_file(id, doc.id).await.unwrap();
    assert_eq!(file.bytes, PNG);
    assert_eq!(file.hall_id, f.hall.id);
    // Refused by content, size or name; nothing is written.
    let big = [b"%PDF-1.7".as_slice(), &vec![0u8; 10 * 1024 * 1024]].concat();
    for (name, bytes, needle) in [
        ("virus.pdf", b"MZ\x90\0".as_slice(), "not a PDF"),
        ("scan.pdf", PNG, "rename it to .png"),
        ("empty.png", b"".as_slice(), "empty"),
        ("big.pdf", big.as_slice(), "at most"),
    ] {
        match s.upload_document(id, &up(name, bytes), by, T0 + HOUR).await {
            Err(StoreError::Invalid(m)) => assert!(m.contains(needle), "{name}: {m}"),
            other => panic!("{name}: expected invalid, got {other:?}"),
        }
    }
    let d = s.case(id, T0 + HOUR).await.unwrap();
    assert_eq!(d.documents.len(), 1);
    // A document from another case is not found through this one.
    let other = s.open_case(&complaint(&f), T0).await.unwrap();
    assert!(matches!(
        s.document_file(other.case.id, doc.id).await,
        Err(StoreError::NotFound(_))
    ));
    // Superseded: kept and still downloadable, with who, when and why.
    assert!(matches!(
        s.supersede_document(id, doc.id, " ", by, T0 + 2 * HOUR)
            .await,
        Err(StoreError::Invalid(_))
    ));
    let d = s
        .supersede_document(id, doc.id, "客户提供了新版", by, T0 + 2 * HOUR)
        .await
        .unwrap();
    let doc = &d.documents[0];
    assert_eq!(doc.superseded_at, Some(T0 + 2 * HOUR));
    assert_eq!(doc.superseded_by, Some(by));
    assert_eq!(doc.superseded_reason, "客户提供了新版");
    assert!(d.trail.iter().any(|e| e.kind == "document_superseded"));
    assert!(s.document_file(id, doc.id).await.is_ok());
    assert!(matches!(
        s.supersede_document(id, doc.id, "again", by, T0 + 3 * HOUR)
            .await,
        Err(StoreError::Conflict(_))
    ));
    // The name is made safe: invisible direction marks go, the content sets the extension.
    let d = s
        .upload_document(id, &up("回执\u{202E}lmth.html", PNG), by, T0 + 3 * HOUR)
        .await
        .unwrap();
    assert!(
        d.documents.iter().any(|d| d.name == "回执lmth.png"),
        "{:?}",
        d.documents
    );
    // A case's quota counts every kept file; the one over it is refused and not written.
    for i in 2..MAX_CASE_FILES {
        s.upload_document(id, &up(&format!("p{i}.png"), PNG), by, T0 + 3 * HOUR)
            .await
            .unwrap();
    }
    match s
        .upload_document(id, &up("one-more.png", PNG), by, T0 + 3 * HOUR)
        .await
    {
        Err(StoreError::Conflict(m)) => assert!(m.contains("at most"), "{m}"),
        other => panic!("expected the quota to refuse, got {other:?}"),
    }
    let d = s.case(id, T0 + 3 * HOUR).await.unwrap();
    assert_eq!(d.documents.len() as i64, MAX_CASE_FILES);
}

/// Rebuilds each clock's warning instants from the case's trail with the domain alone and
/// compares them with what the store keeps.
async fn check_index(s: &SqlStore, case_id: i64, now: i64) {
    let d = s.case(case_id, now).await.unwrap();
    let stored = s.clock_warn_index(case_id).await.unwrap();
    let wc = servicehall_domain::cases::hall_clock("Asia/Shanghai");
    assert_eq!(stored.len(), d.clocks.len());
    for c in &d.clocks {
        let evs: Vec<ClockEvent> = d
            .trail
            .iter()
            .filter(|e| e.clock_key == c.key)
            .filter_map(|e| match e.kind.as_str() {
                "clock_started" => Some(ClockEvent::Started { at: e.at }),
                "clock_paused" => Some(ClockEvent::Paused {
                    at: e.at,
                    reason: e.note.clone(),
                    by: e.actor_id,
                }),
                "clock_resumed" => Some(ClockEvent::Resumed { at: e.at }),
                "clock_stopped" => Some(ClockEvent::Stopped { at: e.at }),
                _ => None,
            })
            .collect();
        let log = ClockLog::from_events(c.key.clone(), &evs).unwrap();
        let open = d.case.status == servicehall_domain::cases::CaseStatus::Open;
        let inst = if open {
            warning_instants(c.amount, &log, &d.policy, &*wc)
        } else {
            vec![]
        };
        let at = |l| inst.iter().find(|x| x.0 == l).map(|x| x.1);
        let recorded: Vec<_> = d
            .warnings
            .iter()
            .filter(|w| w.clock_key == c.key)
            .map(|w| w.level)
            .collect();
        let row = stored.iter().find(|r| r.clock_key == c.key).unwrap();
        assert_eq!(row.state, c.state.as_str(), "{}", c.key);
        assert_eq!(row.warn_owner_at, at(WarningLevel::Owner), "{}", c.key);
        assert_eq!(
            row.warn_manager_at,
            at(WarningLevel::HallManager),
            "{}",
            c.key
        );
        assert_eq!(
            row.warn_breach_at,
            at(WarningLevel::Supervisor),
            "{}",
            c.key
        );
        assert_eq!(
            row.next_warn_at,
            next_warning_at(&inst, &recorded),
            "{}",
            c.key
        );
    }
}

async fn the_warning_index_is_derived_from_the_log(s: SqlStore) {
    let f = fixture(&s).await;
    let by = f.clerks[0].id;
    let a = s.open_case(&complaint(&f), T0).await.unwrap().case.id;
    check_index(&s, a, T0).await;
    // contact clock: 24 h → owner at 12 h, manager at 19.2 h, breach just after 24 h.
    let row = s.clock_warn_index(a).await.unwrap();
    let contact = row
        .iter()
        .find(|r| r.clock_key == "contact.contact")
        .unwrap();
    assert_eq!(contact.warn_owner_at, Some(T0 + 12 * HOUR));
    assert_eq!(contact.next_warn_at, Some(T0 + 12 * HOUR));
    s.pause_clock(a, "contact.contact", "客户预约", by, T0 + HOUR)
        .await
        .unwrap();
    check_index(&s, a, T0 + HOUR).await;
    s.resume_clock(a, "contact.contact", by, T0 + 3 * HOUR)
        .await
        .unwrap();
    check_index(&s, a, T0 + 3 * HOUR).await;
    let row = s.clock_warn_index(a).await.unwrap();
    let contact = row
        .iter()
        .find(|r| r.clock_key == "contact.contact")
        .unwrap();
    // two paused hours push every instant by two hours
    assert_eq!(contact.warn_owner_at, Some(T0 + 14 * HOUR));
    // An application with a later step: its clock indexes only once the step starts.
    let mut app = complaint(&f);
    app.kind = CaseKind::Application;
    app.business_type_id = Some(f.bt[1].id);
    let b = s.open_case(&app, T0).await.unwrap().case.id;
    check_index(&s, b, T0).await;
    s.complete_step(b, "scheme_reply", by, "", T0 + 2 * HOUR)
        .await
        .unwrap();
    check_index(&s, b, T0 + 2 * HOUR).await;
    // The scan records what is due, moves next_warn_at on, and leaves the rest alone.
    let w = s
        .scan_warnings(Some(f.hall.id), T0 + 15 * HOUR)
        .await
        .unwrap();
    assert_eq!(levels(&w), [(a, WarningLevel::Owner)]);
    check_index(&s, a, T0 + 15 * HOUR).await;
    check_index(&s, b, T0 + 15 * HOUR).await;
    let row = s.clock_warn_index(a).await.unwrap();
    let contact = row
        .iter()
        .find(|r| r.clock_key == "contact.contact")
        .unwrap();
    assert_eq!(contact.next_warn_at, contact.warn_manager_at);
    // Closing clears the index: a closed case never warns.
    s.complete_step(a, "contact", by, "", T0 + 16 * HOUR)
        .await
        .unwrap();
    check_index(&s, a, T0 + 16 * HOUR).await;
    let row = s.clock_warn_index(a).await.unwrap();
    assert!(
        row.iter()
            .find(|r| r.clock_key == "contact.contact")
            .unwrap()
            .next_warn_at
            .is_none()
    );
}

async fn the_scan_indexes_clocks_written_before_the_index(s: SqlStore) {
    let f = fixture(&s).await;
    let a = s.open_case(&complaint(&f), T0).await.unwrap().case.id;
    // As a database migrated from before the index holds them.
    sqlx::query("UPDATE case_clocks SET warn_owner_at = NULL, warn_manager_at = NULL, warn_breach_at = NULL, next_warn_at = NULL, warn_indexed = 0")
        .execute(s.pool())
        .await
        .unwrap();
    let w = s.scan_warnings(None, T0 + 13 * HOUR).await.unwrap();
    assert_eq!(levels(&w), [(a, WarningLevel::Owner)]);
    check_index(&s, a, T0 + 13 * HOUR).await;
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM case_clocks WHERE warn_indexed = 0")
        .fetch_one(s.pool())
        .await
        .unwrap();
    assert_eq!(left, 0);
}

async fn case_changes_are_published_on_the_hall_feed(s: SqlStore) {
    let f = fixture(&s).await;
    let mut rx = s.subscribe();
    let by = f.clerks[0].id;
    let a = s.open_case(&complaint(&f), T0).await.unwrap().case.id;
    s.pause_clock(a, "contact.contact", "客户预约", by, T0 + HOUR)
        .await
        .unwrap();
    s.resume_clock(a, "contact.contact", by, T0 + 2 * HOUR)
        .await
        .unwrap();
    s.complete_step(a, "contact", by, "", T0 + 3 * HOUR)
        .await
        .unwrap();
    s.request_handover(a, by, f.clerks[1].id, "需要营销专业处理", T0 + 4 * HOUR)
        .await
        .unwrap();
    s.scan_warnings(None, T0 + 6 * 24 * HOUR).await.unwrap();
    let mut changes = Vec::new();
    // PostgreSQL hands events out through its listener (LISTEN/NOTIFY), a moment later.
    let quiet = std::time::Duration::from_millis(500);
    while let Ok(Ok(e)) = tokio::time::timeout(quiet, rx.recv()).await {
        if e.kind == CASE_EVENT {
            assert_eq!(e.hall_id, f.hall.id);
            assert_eq!(e.payload["case_id"], a);
            // ids and the number only: no customer data on the feed
            let text = e.payload.to_string();
            assert!(
                !text.contains("李四") && !text.contains("1391234"),
                "{text}"
            );
            changes.push(e.payload["change"].as_str().unwrap().to_string());
        }
    }
    assert_eq!(
        changes[..5],
        [
            "opened",
            "clock_paused",
            "clock_resumed",
            "step_completed",
            "handover_requested"
        ]
    );
    assert!(changes[5..].iter().all(|c| c == "warning") && changes.len() > 5);
    // And stored, so a screen that reconnects catches up.
    let stored = s.events_since(f.hall.id, 0, 1000).await.unwrap();
    assert_eq!(
        stored.iter().filter(|e| e.kind == CASE_EVENT).count(),
        changes.len()
    );
}
