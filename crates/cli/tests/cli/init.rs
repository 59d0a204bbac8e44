//! `servicehall init`: schema and first administrator, once.

use crate::{Db, on_both, run_on};
use servicehall_domain::Role;
use servicehall_store::{FirstRunStore, HallStore};

const ADMIN: &[&str] = &["--admin", "zhangmin", "--name", "张敏", "--password-stdin"];

pub async fn init_creates_the_first_administrator_once(db: Db) {
    // A short password is refused before anything is written.
    let short = run_on(&db, &["init"], ADMIN, "short\n");
    assert_eq!(short.code, 2, "{}", short.stderr);
    assert!(short.stderr.contains("密码至少 12 位"), "{}", short.stderr);
    if let Db::Sqlite(dir) = &db {
        assert!(!dir.0.join("servicehall.db").exists(), "no database made");
    }

    let ok = run_on(&db, &["init"], ADMIN, "correct horse battery\n");
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert!(ok.stdout.contains("zhangmin"), "{}", ok.stdout);
    let store = db.open().await;
    assert!(store.has_admin().await.unwrap());
    let (staff, hash) = store.staff_login("zhangmin").await.unwrap().unwrap();
    assert_eq!(staff.role, Role::Admin);
    assert_eq!(staff.name, "张敏");
    assert!(servicehall_web::auth::verify_password(
        "correct horse battery",
        &hash
    ));

    // A second run, even for another username, changes nothing and says why, Chinese first.
    let again = run_on(
        &db,
        &["init"],
        &["--admin", "other", "--name", "李", "--password-stdin"],
        "another long password\n",
    );
    assert_eq!(again.code, 1, "{}", again.stderr);
    let zh = again.stderr.find("已有系统管理员").expect(&again.stderr);
    let en = again
        .stderr
        .find("an administrator exists")
        .expect(&again.stderr);
    assert!(zh < en, "Chinese first: {}", again.stderr);
    assert!(store.staff_login("other").await.unwrap().is_none());
    assert_eq!(store.staff_list(None).await.unwrap().len(), 1);
}

on_both!(init_creates_the_first_administrator_once);
