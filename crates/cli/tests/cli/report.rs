//! `servicehall report monthly` on either database: the demo keeps two months of reports,
//! a hall's and a region's month are written as a workbook and an A4 page, and a hall that
//! does not exist is a usage error.

use crate::{Db, on_both, run_on};
use servicehall_store::ReportStore;

const DEMO: &[&str] = &["--no-serve", "--days", "2", "--listen", "127.0.0.1:0"];

pub async fn a_month_is_written_as_a_workbook_and_a_page(db: Db) {
    let demo = run_on(&db, &["demo"], DEMO, "");
    assert_eq!(demo.code, 0, "{}", demo.stderr);
    assert!(demo.stdout.contains("月度报告"), "{}", demo.stdout);
    let store = db.open().await;
    let kept = store.reports(None, 100).await.unwrap();
    let months: std::collections::BTreeSet<&str> = kept.iter().map(|r| r.month.as_str()).collect();
    assert_eq!(months.len(), 2, "the last two months: {months:?}");
    assert!(kept.iter().any(|r| r.scope.kind == "region"), "{kept:?}");
    assert!(kept.iter().all(|r| r.generated_by == "schedule"));
    store.pool().close().await;

    let dir = tempfile_dir();
    let xlsx = dir.join("report.xlsx");
    let out = run_on(
        &db,
        &["report", "monthly"],
        &[
            "--hall",
            "DL-XG",
            "--format",
            "xlsx",
            "--out",
            xlsx.to_str().unwrap(),
            "--keep",
        ],
        "",
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("audit head"), "{}", out.stdout);
    assert!(out.stdout.contains("已存档"), "{}", out.stdout);
    let bytes = std::fs::read(&xlsx).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"), "a zip workbook");
    // --keep keeps the very workbook it wrote, built once.
    let store = db.open().await;
    let by_cli: Vec<_> = store
        .reports(None, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.generated_by == "cli")
        .collect();
    assert_eq!(by_cli.len(), 1, "{by_cli:?}");
    let kept = store.report(by_cli[0].id).await.unwrap().unwrap();
    assert_eq!(kept.xlsx, bytes, "the kept workbook is the one written");
    store.pool().close().await;

    let html = dir.join("report.html");
    let region = run_on(
        &db,
        &["report", "monthly"],
        &[
            "--region",
            "LN",
            "--format",
            "html",
            "--out",
            html.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(region.code, 0, "{}{}", region.stdout, region.stderr);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("月度服务报告") && page.contains("区域 Region"),
        "{page}"
    );

    let bad = run_on(
        &db,
        &["report", "monthly"],
        &["--hall", "NOPE", "--out", xlsx.to_str().unwrap()],
        "",
    );
    assert_eq!(bad.code, 2, "{}{}", bad.stdout, bad.stderr);
    assert!(bad.stderr.contains("NOPE"), "{}", bad.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}

fn tempfile_dir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!(
        "servicehall-report-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

on_both!(a_month_is_written_as_a_workbook_and_a_page);
