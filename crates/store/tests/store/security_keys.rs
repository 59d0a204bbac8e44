//! Issue 11 in the store: every case gets a random access code (also cases registered
//! before the code existed, by migration), never serialized with the case; an import limited
//! to some halls refuses a file naming another hall, whole; the import list keeps to the
//! caller's halls.

use crate::fixture::{T0, fixture, hall_input, staff_input};
use servicehall_domain::Role;
use servicehall_domain::cases::access_code;
use servicehall_store::*;
use std::collections::HashSet;

on_both!(
    cases_get_random_access_codes_also_by_migration,
    imports_refuse_rows_outside_the_importers_halls,
    a_hand_over_left_waiting_for_a_supervisor_is_replaced_not_accepted,
);

fn is_code(c: &str) -> bool {
    c.len() == access_code::LEN && c.bytes().all(|b| access_code::ALPHABET.contains(&b))
}

async fn codes(s: &SqlStore) -> Vec<String> {
    sqlx::query_scalar("SELECT access_code FROM cases ORDER BY id")
        .fetch_all(s.pool())
        .await
        .unwrap()
}

async fn cases_get_random_access_codes_also_by_migration(s: SqlStore) {
    let f = fixture(&s).await;
    let mut ids = Vec::new();
    for i in 0..20 {
        ids.push(
            s.open_case(
                &crate::cases::settings_documents_scan::complaint(&f),
                T0 + i,
            )
            .await
            .unwrap()
            .case
            .id,
        );
    }
    let fresh = codes(&s).await;
    assert!(fresh.iter().all(|c| is_code(c)), "{fresh:?}");
    assert_eq!(fresh.iter().collect::<HashSet<_>>().len(), 20, "{fresh:?}");
    // The code is a secret: a serialized case does not carry it.
    let d = s.case(ids[0], T0 + 100).await.unwrap();
    assert_eq!(d.case.access_code, fresh[0]);
    let json = serde_json::to_string(&d.case).unwrap();
    assert!(
        !json.contains(&fresh[0]) && !json.contains("access_code"),
        "{json}"
    );

    // As a database holds cases registered before the code: migration 17 draws theirs.
    sqlx::query("UPDATE cases SET access_code = ''")
        .execute(s.pool())
        .await
        .unwrap();
    sqlx::query("DELETE FROM schema_migrations WHERE version = 17")
        .execute(s.pool())
        .await
        .unwrap();
    assert_eq!(s.migrate().await.unwrap(), [17]);
    let filled = codes(&s).await;
    assert!(filled.iter().all(|c| is_code(c)), "{filled:?}");
    assert_eq!(
        filled.iter().collect::<HashSet<_>>().len(),
        20,
        "{filled:?}"
    );
    assert!(filled.iter().zip(&fresh).all(|(a, b)| a != b), "drawn anew");
    // The back-filled code opens the case; the old one no longer does.
    let number = &d.case.number;
    let found = s
        .case_by_number_and_code(number, &filled[0], T0 + 200)
        .await
        .unwrap();
    assert_eq!(found.case.id, ids[0]);
    assert!(matches!(
        s.case_by_number_and_code(number, &fresh[0], T0 + 200).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(s.migrate().await.unwrap().is_empty());
}

const CSV: &str = "source_row_id,hall_code,date,level,business_type,touchpoint,reasons,comment,customer_phone\n\
H-1,DL-XH,2025-11-20 10:00,5,,,,,\n\
H-2,SY-TX,2025-11-20 11:00,非常不满意,,,等候时间长,,13900002222\n\
H-3,DL-XH,2025-11-21,4,,,,,\n\
H-4,SY-TX,2025-11-21,4,,,,,\n";

async fn imports_refuse_rows_outside_the_importers_halls(s: SqlStore) {
    let f = fixture(&s).await;
    let other = s.create_hall(&hall_input("SY-TX")).await.unwrap();
    // The hall manager who owns 沈阳's recovery cases.
    let mut mgr = staff_input(other.id, "symgr", "SY901");
    mgr.role = Role::HallManager;
    s.create_staff(&mgr, "x").await.unwrap();
    let by = f.clerks[0].id;
    let here = [f.hall.id];
    let e = s
        .import_external(
            ExternalSource::Survey,
            "mixed.csv",
            CSV,
            by,
            Some(&here),
            T0,
        )
        .await
        .unwrap_err();
    match e {
        StoreError::Forbidden(m) => {
            assert!(m.contains("第 3, 5 行") && m.contains("Rows 3, 5"), "{m}");
            assert!(m.contains("SY-TX") && !m.contains("DL-XH"), "{m}");
        }
        other => panic!("expected Forbidden, got {other:?}"),
    }
    // Refused whole: no report, no evaluation, no recovery case.
    assert!(s.import_reports(10, None, 0).await.unwrap().is_empty());
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM external_evaluations")
        .fetch_one(s.pool())
        .await
        .unwrap();
    assert_eq!(n, 0);
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases")
        .fetch_one(s.pool())
        .await
        .unwrap();
    assert_eq!(n, 0);

    // Within reach, or unlimited: imported. The list keeps to the caller's halls.
    let only_here = "source_row_id,hall_code,date,level\nD-1,DL-XH,2025-11-20,5\n";
    let only_there = "source_row_id,hall_code,date,level\nS-1,SY-TX,2025-11-20,5\n";
    s.import_external(
        ExternalSource::Survey,
        "here.csv",
        only_here,
        by,
        Some(&here),
        T0,
    )
    .await
    .unwrap();
    s.import_external(ExternalSource::Survey, "all.csv", CSV, by, None, T0 + 1)
        .await
        .unwrap();
    s.import_external(
        ExternalSource::Survey,
        "there.csv",
        only_there,
        by,
        None,
        T0 + 2,
    )
    .await
    .unwrap();
    // Repeated rows write nothing: such a report is its importer's only.
    let again = s
        .import_external(
            ExternalSource::Survey,
            "again.csv",
            only_here,
            by,
            Some(&here),
            T0 + 3,
        )
        .await
        .unwrap();
    assert_eq!(again.rows_duplicate, 1);
    let names = |r: Vec<ImportReport>| r.into_iter().map(|r| r.file_name).collect::<Vec<_>>();
    assert_eq!(
        names(s.import_reports(10, Some(&here), by).await.unwrap()),
        ["again.csv", "here.csv"]
    );
    assert_eq!(
        names(s.import_reports(10, Some(&here), 0).await.unwrap()),
        ["here.csv"]
    );
    assert_eq!(
        names(s.import_reports(10, Some(&[other.id]), 0).await.unwrap()),
        ["there.csv"]
    );
    assert_eq!(
        names(s.import_reports(10, Some(&[]), 0).await.unwrap()),
        [] as [&str; 0]
    );
    assert_eq!(s.import_reports(10, None, 0).await.unwrap().len(), 4);
}

/// A hand-over to a supervisor asked before such hand-overs were refused: the supervisor
/// cannot accept it (the case would be stranded), and a new request replaces it rather than
/// waiting behind it forever.
async fn a_hand_over_left_waiting_for_a_supervisor_is_replaced_not_accepted(s: SqlStore) {
    let f = fixture(&s).await;
    let id = s
        .open_case(&crate::cases::settings_documents_scan::complaint(&f), T0)
        .await
        .unwrap()
        .case
        .id;
    let mut sup = staff_input(f.hall.id, "sup", "SUP1");
    sup.hall_id = None;
    sup.role = Role::Supervisor;
    let sup = s.create_staff(&sup, "x").await.unwrap();
    // As the database holds it from before.
    sqlx::query("UPDATE cases SET handover_to = $1 WHERE id = $2")
        .bind(sup.id)
        .bind(id)
        .execute(s.pool())
        .await
        .unwrap();
    match s.accept_handover(id, sup.id, T0 + 1).await {
        Err(StoreError::Invalid(m)) => assert!(m.contains("cannot work cases"), "{m}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(
        s.case(id, T0 + 1).await.unwrap().case.owner_id,
        f.clerks[0].id
    );
    let d = s
        .request_handover(id, f.clerks[0].id, f.clerks[1].id, "转专业人员", T0 + 2)
        .await
        .unwrap();
    assert_eq!(d.case.handover_to, Some(f.clerks[1].id));
    let d = s.accept_handover(id, f.clerks[1].id, T0 + 3).await.unwrap();
    assert_eq!(d.case.owner_id, f.clerks[1].id);
}
