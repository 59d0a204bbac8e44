//! When storage cannot be written: `/readyz` says so (503) while `/healthz` stays 200, and
//! ticket issue answers 503 with a bilingual message — never 409 "retry". SQLite on a
//! really full disk (a small tmpfs, which needs root to mount), PostgreSQL switched to
//! read-only as a standby after fail-over would be.

use crate::server::Server;
use crate::{Db, TempDir, run};
use servicehall_domain::CallingPolicy;
use servicehall_store::{BusinessTypeInput, HallInput, HallStore};
use std::process::Command;

/// A hall with one business type and an integration token (not rate-limited like a kiosk).
pub async fn hall_with_token(db: &Db) -> String {
    let store = db.open().await;
    store.migrate().await.unwrap();
    let hall = store
        .create_hall(&HallInput {
            code: "T-1".into(),
            name: "测试营业厅".into(),
            name_en: "Test hall".into(),
            address: "大连".into(),
            phone: "95598".into(),
            timezone: "Asia/Shanghai".into(),
            opens: "00:00".into(),
            closes: "23:59".into(),
            policy: CallingPolicy::default(),
        })
        .await
        .unwrap();
    store
        .create_business_type(
            hall.id,
            &BusinessTypeInput {
                code: "pay".into(),
                name_zh: "缴费".into(),
                name_en: "Payment".into(),
                prefix: "A".into(),
                target_wait_s: 600,
                target_handling_s: 300,
                is_payment: true,
                sort_order: 0,
                active: true,
            },
        )
        .await
        .unwrap();
    store.pool().close().await;
    let t = run(
        &[
            "token",
            "create",
            "--role",
            "integration",
            "--hall",
            "T-1",
            "--database",
            &db.url(),
        ],
        "",
    );
    assert_eq!(t.code, 0, "{}", t.stderr);
    t.stdout.trim().to_string()
}

async fn issue(client: &reqwest::Client, server: &Server, token: &str) -> (u16, String) {
    let r = client
        .post(server.url("/api/v1/halls/T-1/tickets"))
        .bearer_auth(token)
        .json(&serde_json::json!({"business_type": "pay"}))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn status(client: &reqwest::Client, server: &Server, path: &str) -> u16 {
    client
        .get(server.url(path))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// `/readyz` reuses a probe's answer for a second: polls until it says `want` (5 s at most).
async fn readiness_becomes(client: &reqwest::Client, server: &Server, want: u16) {
    let mut got = 0;
    for _ in 0..25 {
        got = status(client, server, "/readyz").await;
        if got == want {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("/readyz stayed {got}, expected {want}");
}

fn assert_write_failed(body: &str) {
    let zh = body.find("数据未能保存").expect(body);
    let en = body.find("nothing was saved").expect(body);
    assert!(zh < en, "Chinese first: {body}");
}

/// A tmpfs of `size` mounted on a new directory, unmounted when dropped.
struct Tmpfs(TempDir);

impl Tmpfs {
    fn mount(size: &str) -> Option<Self> {
        let dir = TempDir::new("tmpfs");
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir.0)
            .output()
            .is_ok_and(|o| o.status.success());
        ok.then_some(Self(dir))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0.0).status();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_answers_503_and_fails_readiness_on_sqlite() {
    let Some(fs) = Tmpfs::mount("4m") else {
        eprintln!("SKIPPED the full-disk test: mounting a tmpfs needs root");
        return;
    };
    let db = Db::Sqlite(TempDir(fs.0.0.clone()));
    let token = hall_with_token(&db).await;
    let server = Server::start(&db.url());
    let client = reqwest::Client::new();
    assert_eq!(status(&client, &server, "/readyz").await, 200);
    assert_eq!(issue(&client, &server, &token).await.0, 201);

    // Fill the disk to the last byte.
    let filler = fs.0.0.join("filler");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 64 * 1024];
        while f.write_all(&block).is_ok() {}
        while f.write_all(&block[..512]).is_ok() {}
    }
    // SQLite reuses room inside its WAL for a while; issue until a write needs more.
    let mut issued = 0;
    let (code, body) = loop {
        let (code, body) = issue(&client, &server, &token).await;
        if code != 201 {
            break (code, body);
        }
        issued += 1;
        assert!(issued < 20_000, "the full disk never refused a ticket");
    };
    assert_eq!(code, 503, "a full disk is not a conflict: {body}");
    assert_write_failed(&body);
    readiness_becomes(&client, &server, 503).await;
    assert_eq!(status(&client, &server, "/healthz").await, 200);

    // Room again: ready, and tickets are issued.
    std::fs::remove_file(&filler).unwrap();
    readiness_becomes(&client, &server, 200).await;
    assert_eq!(issue(&client, &server, &token).await.0, 201);
    drop(server);
    std::mem::forget(db); // the tmpfs goes with its mount
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_postgres_answers_503_and_fails_readiness() {
    let Some(db) = Db::postgres("ro", "the read-only database test").await else {
        return;
    };
    let token = hall_with_token(&db).await;
    let server = Server::start(&db.url());
    let client = reqwest::Client::new();
    assert_eq!(status(&client, &server, "/readyz").await, 200);
    assert_eq!(issue(&client, &server, &token).await.0, 201);

    let name = db.url().rsplit('/').next().unwrap().to_string();
    let admin =
        servicehall_store::SqlStore::connect(&std::env::var("SERVICEHALL_TEST_PG").unwrap())
            .await
            .unwrap();
    let set = |on: bool| format!("ALTER DATABASE {name} SET default_transaction_read_only = {on}");
    // The server's own sessions only: an autovacuum worker may be in the database too, and
    // it is the superuser's, which this role may not end.
    let kick = format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' \
         AND backend_type = 'client backend' AND usename = current_user AND pid <> pg_backend_pid()"
    );
    for sql in [set(true), kick.clone()] {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(admin.pool())
            .await
            .unwrap();
    }
    // The pool notices its closed connections and opens read-only ones.
    let mut body = String::new();
    let mut code = 0;
    for _ in 0..5 {
        (code, body) = issue(&client, &server, &token).await;
        if code != 500 && code != 201 {
            break;
        }
    }
    assert_eq!(code, 503, "{body}");
    assert_write_failed(&body);
    readiness_becomes(&client, &server, 503).await;
    assert_eq!(status(&client, &server, "/healthz").await, 200);

    for sql in [set(false), kick] {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(admin.pool())
            .await
            .unwrap();
    }
    readiness_becomes(&client, &server, 200).await;
    assert_eq!(issue(&client, &server, &token).await.0, 201);
    admin.pool().close().await;
}
