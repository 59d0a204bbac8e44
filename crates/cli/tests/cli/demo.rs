//! `servicehall demo` on either database, keeping the devices people made.

use crate::{Db, on_both, run_on};
use servicehall_store::HallStore;

const DEMO: &[&str] = &["--no-serve", "--days", "1", "--listen", "127.0.0.1:0"];

pub async fn demo_seeds_either_database_and_keeps_tokens_made_with_token_create(db: Db) {
    let first = run_on(&db, &["demo"], DEMO, "");
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(
        first.stdout.contains("/device/pair?token="),
        "{}",
        first.stdout
    );
    assert!(
        first
            .stdout
            .contains("客户与分群 · customers: 12 customers"),
        "{}",
        first.stdout
    );

    let made = run_on(
        &db,
        &["token", "create"],
        &["--role", "kiosk", "--hall", "DL-XG", "--name", "东门取号机"],
        "",
    );
    assert_eq!(made.code, 0, "{}", made.stderr);
    let token = made.stdout.trim().to_string();

    let again = run_on(&db, &["demo"], DEMO, "");
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stdout.contains("复用已有演示营业厅"),
        "{}",
        again.stdout
    );

    let store = db.open().await;
    let hall = store.hall_by_code("DL-XG").await.unwrap();
    let devices = store.devices(hall.id).await.unwrap();
    let mine = devices
        .iter()
        .find(|d| d.name == "东门取号机")
        .expect("the kiosk made with token create");
    assert!(
        !mine.revoked,
        "demo must not revoke a token it did not make"
    );
    use servicehall_store::SessionStore;
    let found = store
        .device_by_token(&servicehall_web::auth::hash_token(&token))
        .await
        .unwrap()
        .expect("the token still signs in");
    assert_eq!(found.id, mine.id);
    // The demo's own devices were replaced: nine live, nine revoked.
    let demo_live = devices
        .iter()
        .filter(|d| !d.revoked && d.id != mine.id)
        .count();
    let revoked = devices.iter().filter(|d| d.revoked).count();
    assert_eq!((demo_live, revoked), (9, 9), "{devices:?}");
    // The province's own risk matrix is set (高 from 8), Dalian's is the default.
    use servicehall_store::{RegionStore, RiskStore};
    let tree = store.region_tree().await.unwrap();
    let code = |c: &str| {
        tree.in_order()
            .into_iter()
            .find(|(_, r)| r.code == c)
            .map(|(_, r)| r.id)
            .unwrap()
    };
    let ln = store.region_risk_matrix(code("LN")).await.unwrap();
    assert_eq!(ln.bands[2].min_score, 8);
    let dl = store.region_risk_matrix(code("LN-DL")).await.unwrap();
    assert_eq!(dl.bands[2].min_score, 10);
    store.pool().close().await;
}

on_both!(demo_seeds_either_database_and_keeps_tokens_made_with_token_create);

/// `token list` shows a hall's devices; `token revoke` ends one, and its token with it.
pub async fn token_list_and_revoke(db: Db) {
    let dir = crate::TempDir::new("tokens");
    let path = dir.0.join("hall.yaml");
    std::fs::write(&path, crate::halls::HALL).unwrap();
    let import = run_on(&db, &["hall", "import"], &[&path.display().to_string()], "");
    assert_eq!(import.code, 0, "{}", import.stderr);
    let kiosk = run_on(
        &db,
        &["token", "create"],
        &["--role", "kiosk", "--hall", "DL-XH"],
        "",
    );
    let pad = run_on(
        &db,
        &["token", "create"],
        &["--role", "evaluator", "--hall", "DL-XH", "--counter", "2"],
        "",
    );
    assert_eq!(
        (kiosk.code, pad.code),
        (0, 0),
        "{}{}",
        kiosk.stderr,
        pad.stderr
    );
    let list = run_on(&db, &["token", "list"], &["--hall", "DL-XH"], "");
    assert_eq!(list.code, 0, "{}", list.stderr);
    let rows: Vec<Vec<&str>> = list
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect();
    assert_eq!(rows.len(), 2, "{}", list.stdout);
    let pad_row = rows.iter().find(|r| r[1] == "evaluator").unwrap();
    assert_eq!((pad_row[2], pad_row[3]), ("2", "live"));
    assert!(
        !list.stdout.contains(kiosk.stdout.trim()),
        "tokens are never listed"
    );

    let revoked = run_on(
        &db,
        &["token", "revoke"],
        &["--hall", "DL-XH", pad_row[0]],
        "",
    );
    assert_eq!(revoked.code, 0, "{}", revoked.stderr);
    let store = db.open().await;
    use servicehall_store::SessionStore;
    let hash = servicehall_web::auth::hash_token(pad.stdout.trim());
    let gone = store.device_by_token(&hash).await.unwrap();
    assert!(gone.as_ref().is_none_or(|d| d.revoked), "{gone:?}");
    let list = run_on(&db, &["token", "list"], &["--hall", "DL-XH"], "");
    assert!(list.stdout.contains("\trevoked\t"), "{}", list.stdout);
    let unknown = run_on(&db, &["token", "revoke"], &["--hall", "DL-XH", "999"], "");
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    assert!(
        unknown.stderr.contains("没有设备 999"),
        "{}",
        unknown.stderr
    );
    store.pool().close().await;
}

on_both!(token_list_and_revoke);
