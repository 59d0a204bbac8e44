//! `servicehall audit verify` over what the chain pins beyond the queue: an imported rating
//! (外评), a case document's log entry and an appeal's evidence file, each edited in the
//! database directly, make verify exit 3 naming the row; put back, it passes again.

use crate::halls::HALL;
use crate::{Db, TempDir, on_both, run_on};
use servicehall_domain::cases::{CaseKind, CustomerClass};
use servicehall_store::*;

on_both!(verify_names_an_edited_import_document_or_evidence_file);

const T: i64 = 1_764_295_200_000;
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01";

async fn exec(s: &SqlStore, sql: String) {
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(s.pool())
        .await
        .unwrap();
}

/// Verify fails naming `table #id`, and passes once `undo` has put the row back.
async fn caught(db: &Db, s: &SqlStore, edit: String, undo: String, named: String) {
    exec(s, edit).await;
    let bad = run_on(db, &["audit", "verify"], &[], "");
    assert_eq!(bad.code, 3, "{}\n{}", bad.stdout, bad.stderr);
    assert!(
        bad.stderr
            .contains(&format!("源数据被改动 · source row edited: {named}")),
        "{}",
        bad.stderr
    );
    exec(s, undo).await;
    let ok = run_on(db, &["audit", "verify"], &[], "");
    assert_eq!(ok.code, 0, "{}", ok.stderr);
}

pub async fn verify_names_an_edited_import_document_or_evidence_file(db: Db) {
    let dir = TempDir::new("audit-chained");
    let path = dir.0.join("hall.yaml");
    std::fs::write(&path, HALL).unwrap();
    let import = run_on(&db, &["hall", "import"], &[&path.display().to_string()], "");
    assert_eq!(import.code, 0, "{}", import.stderr);
    let s = db.open().await;
    let hall = s.hall_by_code("DL-XH").await.unwrap();
    let by = s
        .staff_list(Some(hall.id))
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.username == "xh_manager")
        .unwrap()
        .id;

    let csv = "source_row_id,hall_code,date,level,business_type,touchpoint,reasons,comment,customer_phone\n\
               95598-0001,DL-XH,2025-11-20 10:00,5,,counter,,服务很好,\n";
    let r = s
        .import_external(
            ExternalSource::Callback95598,
            "95598-11月.csv",
            csv,
            by,
            None,
            T,
        )
        .await
        .unwrap();
    assert_eq!(r.rows_imported, 1, "{:?}", r.errors);
    let rating: i64 = sqlx::query_scalar("SELECT id FROM external_evaluations")
        .fetch_one(s.pool())
        .await
        .unwrap();

    let case = s
        .open_case(
            &OpenCase {
                hall_id: hall.id,
                kind: CaseKind::Complaint,
                business_type_id: None,
                customer_class: CustomerClass::Resident,
                customer_name: "李四".into(),
                customer_phone: "13912345678".into(),
                account_no: "0109876543".into(),
                summary: "投诉 等候时间长".into(),
                ticket_id: None,
                by,
            },
            T,
        )
        .await
        .unwrap()
        .case
        .id;
    s.upload_document(
        case,
        &DocumentUpload {
            name: "身份证.png".into(),
            bytes: PNG.to_vec(),
            note: String::new(),
        },
        by,
        T + 60_000,
    )
    .await
    .unwrap();
    let event: i64 = sqlx::query_scalar(
        "SELECT id FROM case_events WHERE case_id = $1 AND kind = 'document_added'",
    )
    .bind(case)
    .fetch_one(s.pool())
    .await
    .unwrap();

    let region = s
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
        .unwrap()
        .id;
    s.set_hall_region(hall.id, Some(region)).await.unwrap();
    s.freeze_scorecards(
        NewFreeze {
            region_id: region,
            month: 202510,
            frozen_by: None,
            scores: vec![FrozenInput {
                hall_id: hall.id,
                total_tenths: Some(900),
                detail: "{\"lines\":[]}".into(),
            }],
        },
        T,
    )
    .await
    .unwrap();
    let appeal = s
        .file_appeal(
            NewAppeal {
                hall_id: hall.id,
                month: 202510,
                reason: "违规系顾客插队所致".into(),
                evidence: String::new(),
                filed_by: Some(by),
            },
            T + 120_000,
        )
        .await
        .unwrap();
    let file = s
        .add_appeal_file(
            NewAppealFile {
                appeal_id: appeal.id,
                name: "监控截图.png".into(),
                bytes: PNG.to_vec(),
                added_by: Some(by),
            },
            T + 180_000,
        )
        .await
        .unwrap();

    let ok = run_on(&db, &["audit", "verify"], &[], "");
    assert_eq!(ok.code, 0, "{}\n{}", ok.stdout, ok.stderr);

    caught(
        &db,
        &s,
        format!("UPDATE external_evaluations SET level = 1 WHERE id = {rating}"),
        format!("UPDATE external_evaluations SET level = 5 WHERE id = {rating}"),
        format!("external_evaluations #{rating}"),
    )
    .await;
    caught(
        &db,
        &s,
        format!("UPDATE case_events SET note = '身份证(新).png' WHERE id = {event}"),
        format!("UPDATE case_events SET note = '身份证.png' WHERE id = {event}"),
        format!("case_events #{event}"),
    )
    .await;
    caught(
        &db,
        &s,
        format!(
            "UPDATE scorecard_appeal_files SET sha256 = '{}' WHERE id = {}",
            "0".repeat(64),
            file.id
        ),
        format!(
            "UPDATE scorecard_appeal_files SET sha256 = '{}' WHERE id = {}",
            file.sha256, file.id
        ),
        format!("scorecard_appeal_files #{}", file.id),
    )
    .await;
}
