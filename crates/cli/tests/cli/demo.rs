//! `servicehall demo` on either database, keeping the devices people made.

use crate::{Db, on_both, run_on};
use servicehall_store::SetupStore;

const DEMO: &[&str] = &["--no-serve", "--days", "1", "--listen", "127.0.0.1:0"];

pub async fn demo_seeds_either_database_and_keeps_tokens_made_with_token_create(db: Db) {
    let first = run_on(&db, &["demo"], DEMO, "");
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(
        first.stdout.contains("/device/pair?token="),
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
    use servicehall_store::AuthStore;
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
    store.pool().close().await;
}

on_both!(demo_seeds_either_database_and_keeps_tokens_made_with_token_create);
