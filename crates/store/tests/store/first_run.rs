//! Setting up a database from nothing: the first administrator, and migrations started by
//! several nodes at once on an empty PostgreSQL database.

use servicehall_domain::Role;
use servicehall_store::testing::TestStore;
use servicehall_store::*;

fn admin(username: &str) -> StaffInput {
    StaffInput {
        hall_id: None,
        username: username.into(),
        name: "首位管理员".into(),
        badge_no: "ADMIN".into(),
        role: Role::Admin,
        photo: String::new(),
        active: true,
    }
}

/// Eight set-ups at once create one administrator; the others are refused as conflicts.
pub async fn the_first_administrator_is_created_once(store: SqlStore) {
    assert!(!store.has_admin().await.unwrap());
    let mut tasks = Vec::new();
    for i in 0..8 {
        let s = store.clone();
        tasks.push(tokio::spawn(async move {
            s.create_first_admin(&admin(&format!("root{i}")), "hash")
                .await
        }));
    }
    let mut made = Vec::new();
    for t in tasks {
        match t.await.unwrap() {
            Ok(staff) => made.push(staff),
            Err(StoreError::Conflict(m)) => assert!(m.contains("已有系统管理员"), "{m}"),
            Err(e) => panic!("unexpected error: {e}"),
        }
    }
    assert_eq!(made.len(), 1, "exactly one administrator");
    assert_eq!(made[0].role, Role::Admin);
    assert_eq!(made[0].hall_id, None);
    assert!(store.has_admin().await.unwrap());
    let admins: Vec<_> = store
        .staff_list(None)
        .await
        .unwrap()
        .into_iter()
        .filter(|s| s.role == Role::Admin)
        .collect();
    assert_eq!(admins.len(), 1);
    // Only an administrator outside any hall is a first administrator.
    let mut clerk = admin("clerk");
    clerk.role = Role::Clerk;
    assert!(matches!(
        store.create_first_admin(&clerk, "hash").await,
        Err(StoreError::Invalid(_))
    ));
}

on_both!(the_first_administrator_is_created_once);

/// Four nodes migrating one empty PostgreSQL database at once all succeed; the schema is
/// built once. (Before the advisory lock came first, `CREATE TABLE IF NOT EXISTS` raced.)
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn nodes_started_together_on_an_empty_postgres_database_all_migrate() {
    for round in 0..3 {
        let Some(db) = TestStore::postgres_empty("mig", "concurrent migrations").await else {
            return;
        };
        let url = db.url();
        let mut nodes = Vec::new();
        for _ in 0..4 {
            nodes.push(SqlStore::connect(&url).await.expect("connect"));
        }
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(nodes.len()));
        let tasks: Vec<_> = nodes
            .into_iter()
            .map(|node| {
                let barrier = barrier.clone();
                tokio::spawn(async move {
                    barrier.wait().await;
                    let applied = node.migrate().await;
                    node.pool().close().await;
                    applied
                })
            })
            .collect();
        let mut applied = Vec::new();
        for t in tasks {
            let a = t
                .await
                .unwrap()
                .unwrap_or_else(|e| panic!("round {round}: a node failed to migrate: {e}"));
            applied.push(a.len());
        }
        applied.sort();
        let all = applied[3];
        assert!(all >= 17, "one node applied every migration: {applied:?}");
        assert_eq!(&applied[..3], &[0, 0, 0], "the others found them applied");
        assert!(db.migrate().await.unwrap().is_empty());
    }
}
