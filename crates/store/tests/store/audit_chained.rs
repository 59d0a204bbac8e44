//! What the audit chain pins beyond queue, cases and observations: imported ratings (外评)
//! and their import, the case documents added and superseded, and the evidence files of a
//! scorecard appeal with their SHA-256 — each record names who, when and from where, and
//! verify names an edit of any of them made behind the application's back.

use crate::cases::settings_documents_scan::complaint;
use crate::fixture::*;
use servicehall_domain::audit::sha256_hex;
use servicehall_domain::scorecards::evidence::{MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES};
use servicehall_store::*;

on_both!(
    imports_documents_and_appeal_evidence_are_chained_and_verified,
    appeal_evidence_is_checked_kept_and_read_back,
);

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01";
const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n";

const CSV: &str = "source_row_id,hall_code,date,level,business_type,touchpoint,reasons,comment,customer_phone\n\
S-1,DL-XH,2025-11-20 10:00,5,payment,counter,,服务很好,\n\
S-2,DL-XH,2025-11-21,4,咨询,farewell,,,\n";

async fn exec(s: &SqlStore, sql: String) {
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(s.pool())
        .await
        .unwrap();
}

/// The first break verify finds: its table (or record kind) and what it says.
async fn broken(s: &SqlStore) -> String {
    let r = s.verify_audit("test", T0 + 600 * MIN).await.unwrap();
    let b = r
        .first_break()
        .cloned()
        .unwrap_or_else(|| panic!("verify should fail: {r:?}"));
    format!("{b:?}")
}

async fn verified(s: &SqlStore) {
    let r = s.verify_audit("test", T0 + 600 * MIN).await.unwrap();
    assert!(r.first_break().is_none(), "{r:?}");
}

/// A frozen March for the fixture's hall and a pending appeal of it.
async fn pending_appeal(s: &SqlStore, f: &Fixture) -> AppealRow {
    let r = s
        .save_region(
            None,
            &RegionInput {
                code: "LN-DL".into(),
                name_zh: "大连".into(),
                name_en: "Dalian".into(),
                parent_id: None,
            },
        )
        .await
        .unwrap();
    s.set_hall_region(f.hall.id, Some(r.id)).await.unwrap();
    s.freeze_scorecards(
        NewFreeze {
            region_id: r.id,
            month: 202603,
            frozen_by: None,
            scores: vec![FrozenInput {
                hall_id: f.hall.id,
                total_tenths: Some(862),
                detail: "{\"lines\":[]}".into(),
            }],
        },
        T0,
    )
    .await
    .unwrap();
    s.file_appeal(
        NewAppeal {
            hall_id: f.hall.id,
            month: 202603,
            reason: "3月5日的违规系顾客插队所致".into(),
            evidence: "监控截图".into(),
            filed_by: Some(f.clerks[0].id),
        },
        T0 + MIN,
    )
    .await
    .unwrap()
}

fn file(appeal: i64, name: &str, bytes: &[u8]) -> NewAppealFile {
    NewAppealFile {
        appeal_id: appeal,
        name: name.into(),
        bytes: bytes.to_vec(),
        added_by: None,
    }
}

pub async fn imports_documents_and_appeal_evidence_are_chained_and_verified(s: SqlStore) {
    let f = fixture(&s).await;
    let h = f.hall.id;
    let by = f.clerks[0].id;
    let rep = s
        .import_external(ExternalSource::Survey, "survey-nov.csv", CSV, by, None, T0)
        .await
        .unwrap();
    assert_eq!(rep.rows_imported, 2, "{:?}", rep.errors);
    // Re-importing adds no record: nothing new came in.
    s.import_external(ExternalSource::Survey, "again.csv", CSV, by, None, T0 + MIN)
        .await
        .unwrap();
    let case = s.open_case(&complaint(&f), T0).await.unwrap().case.id;
    let d = s
        .upload_document(
            case,
            &DocumentUpload {
                name: "身份证.png".into(),
                bytes: PNG.to_vec(),
                note: String::new(),
            },
            by,
            T0 + 2 * MIN,
        )
        .await
        .unwrap();
    let doc = d.documents[0].id;
    s.supersede_document(case, doc, "客户提供了新版", by, T0 + 3 * MIN)
        .await
        .unwrap();
    let appeal = pending_appeal(&s, &f).await;
    let ev = s
        .add_appeal_file(file(appeal.id, "监控截图.pdf", PDF), T0 + 4 * MIN)
        .await
        .unwrap();

    let hall = s.audit_records(Some(h), 200).await.unwrap();
    let imported: Vec<_> = hall
        .iter()
        .filter(|r| r.kind == "rating.imported")
        .collect();
    assert_eq!(imported.len(), 2, "one record per imported row");
    assert!(
        imported
            .iter()
            .all(|r| r.source_table == "external_evaluations")
    );
    let deployment = s.audit_records(None, 50).await.unwrap();
    let imports: Vec<_> = deployment
        .iter()
        .filter(|r| r.kind == "feedback.import")
        .collect();
    assert_eq!(imports.len(), 2, "each import, even one adding nothing");
    assert!(imports.iter().any(|r| r.subject.contains("survey-nov.csv")));
    let doc_events: Vec<_> = hall
        .iter()
        .filter(|r| r.kind == "case.event" && r.subject.contains("document_"))
        .collect();
    assert_eq!(doc_events.len(), 2, "added and superseded");
    let evidence = hall
        .iter()
        .find(|r| r.kind == "scorecard.appeal_evidence")
        .expect("the evidence file is chained");
    assert!(
        evidence.subject.contains(&sha256_hex(PDF)),
        "{}",
        evidence.subject
    );
    assert_eq!(evidence.source_id, Some(ev.id));
    verified(&s).await;

    // An imported rating raised behind the application's back is named.
    let rid = imported[0].source_id.unwrap();
    exec(
        &s,
        format!("UPDATE external_evaluations SET level = 5 - level + 1 WHERE id = {rid}"),
    )
    .await;
    let b = broken(&s).await;
    assert!(b.contains("external_evaluations"), "{b}");
    exec(
        &s,
        format!("UPDATE external_evaluations SET level = 5 - level + 1 WHERE id = {rid}"),
    )
    .await;
    verified(&s).await;

    // The import's file name changed afterwards.
    let iid = imports[0].source_id.unwrap();
    let orig: String = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT file_name FROM external_imports WHERE id = {iid}"
    )))
    .fetch_one(s.pool())
    .await
    .unwrap();
    exec(
        &s,
        format!("UPDATE external_imports SET file_name = 'other.csv' WHERE id = {iid}"),
    )
    .await;
    assert!(broken(&s).await.contains("external_imports"));
    exec(
        &s,
        format!("UPDATE external_imports SET file_name = '{orig}' WHERE id = {iid}"),
    )
    .await;
    verified(&s).await;

    // A document's log entry edited (the file's hash in it swapped).
    let eid = doc_events
        .iter()
        .find(|r| r.subject.contains("document_added"))
        .unwrap()
        .source_id
        .unwrap();
    exec(
        &s,
        format!(
            "UPDATE case_events SET data = REPLACE(data, '{}', 'x') WHERE id = {eid}",
            sha256_hex(PNG)
        ),
    )
    .await;
    assert!(broken(&s).await.contains("case_events"));
    exec(&s, format!("UPDATE case_events SET data = REPLACE(data, '\"sha256\":\"x\"', '\"sha256\":\"{}\"') WHERE id = {eid}", sha256_hex(PNG))).await;
    verified(&s).await;

    // The evidence file's recorded hash swapped for another file's.
    exec(
        &s,
        format!(
            "UPDATE scorecard_appeal_files SET sha256 = '{}' WHERE id = {}",
            sha256_hex(PNG),
            ev.id
        ),
    )
    .await;
    assert!(broken(&s).await.contains("scorecard_appeal_files"));
}

pub async fn appeal_evidence_is_checked_kept_and_read_back(s: SqlStore) {
    let f = fixture(&s).await;
    let appeal = pending_appeal(&s, &f).await;
    let a = appeal.id;
    // Judged by content, not by name.
    let e = s
        .add_appeal_file(file(a, "截图.png", b"<html>not an image"), T0)
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Invalid(ref m) if m.contains("PDF、JPEG 或 PNG")),
        "{e}"
    );
    let mut big = PDF.to_vec();
    big.resize(MAX_EVIDENCE_BYTES + 1, b' ');
    let e = s
        .add_appeal_file(file(a, "scan.pdf", &big), T0)
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Invalid(ref m) if m.contains("5 MiB")),
        "{e}"
    );
    let e = s
        .add_appeal_file(file(a + 99, "a.png", PNG), T0)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::NotFound(_)), "{e}");

    let kept = s
        .add_appeal_file(file(a, "C:\\截图\\监控 3月5日", PNG), T0 + MIN)
        .await
        .unwrap();
    assert_eq!(
        (
            kept.name.as_str(),
            kept.content_type.as_str(),
            kept.size_bytes
        ),
        ("监控 3月5日.png", "image/png", PNG.len() as i64)
    );
    assert_eq!(kept.sha256, sha256_hex(PNG));
    let back = s.appeal_file(a, kept.id).await.unwrap();
    assert_eq!((back.bytes.as_slice(), back.hall_id), (PNG, f.hall.id));
    assert!(matches!(
        s.appeal_file(a + 1, kept.id).await,
        Err(StoreError::NotFound(_))
    ));
    for i in 1..MAX_EVIDENCE_FILES {
        s.add_appeal_file(file(a, &format!("p{i}.pdf"), PDF), T0 + MIN + i)
            .await
            .unwrap();
    }
    let e = s
        .add_appeal_file(file(a, "more.pdf", PDF), T0 + 9 * MIN)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "{e}");
    let listed = s.appeal_files(&[a, a + 5]).await.unwrap();
    assert_eq!(listed.len() as i64, MAX_EVIDENCE_FILES);
    assert_eq!(listed[0].id, kept.id, "oldest first");
    assert!(s.appeal_files(&[]).await.unwrap().is_empty());

    // Decided: no more evidence.
    s.decide_appeal(
        AppealDecision {
            id: a,
            accept: false,
            points_tenths: 0,
            reason: "证据不足".into(),
            decided_by: None,
        },
        T0 + 10 * MIN,
    )
    .await
    .unwrap();
    let e = s
        .add_appeal_file(file(a, "late.png", PNG), T0 + 11 * MIN)
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Conflict(ref m) if m.contains("已经裁定")),
        "{e}"
    );
}
