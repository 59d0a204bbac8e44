//! `servicehall backup` and `restore` (issue 13): a copy taken under load holds every
//! ticket acknowledged before it started and passes its checks; restore refuses while a
//! server holds the data directory, refuses a bad file, and keeps the replaced database;
//! scheduled backups keep the newest N; PostgreSQL is pointed to pg_dump.

use crate::load::{self, Load, UNLIMITED};
use crate::server::Server;
use crate::storage::hall_with_token;
use crate::{Db, TempDir, run};
use std::time::Duration;

/// The number after `label` on a line of `out`.
fn count(out: &str, label: &str) -> i64 {
    let line = out
        .lines()
        .find(|l| l.contains(label))
        .unwrap_or_else(|| panic!("no {label} in {out}"));
    line.rsplit(' ').next().unwrap().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_load_holds_every_ticket_acknowledged_before_it() {
    let db = Db::sqlite("backup_load");
    let token = hall_with_token(&db).await;
    let dir = TempDir::new("backup_load_out");
    let config = load::config_file(&dir, UNLIMITED);
    let server = Server::start_with(&db.url(), &["--config", &config]);
    let load = Load::start(&server, &token, 64);
    load.until(300).await;
    let before = load.acked_now();
    let to = dir.0.join("copy.db").display().to_string();
    let url = db.url();
    let out =
        tokio::task::spawn_blocking(move || run(&["backup", "--database", &url, "--to", &to], ""))
            .await
            .unwrap();
    let during = load.acked_now().len();
    let acked = load.stop().await;
    assert_eq!(out.code, 0, "{}\n{}", out.stderr, out.stdout);
    assert!(out.stdout.contains("integrity_check: ok"), "{}", out.stdout);
    assert!(
        out.stdout.contains("备份完成 · backup done"),
        "{}",
        out.stdout
    );
    let copy = dir.0.join("copy.db");
    let in_copy = load::tickets_in(&format!("sqlite:{}", copy.display())).await;
    assert_eq!(count(&out.stdout, "号票 · tickets:"), in_copy.len() as i64);
    for id in before.keys() {
        assert!(
            in_copy.contains_key(id),
            "ticket {id}, acknowledged before the backup, is not in it"
        );
    }
    assert!(
        during > before.len(),
        "issuing went on during the backup ({} → {during})",
        before.len()
    );
    assert!(acked.len() >= during);
    assert!(!dir.0.join("copy.db.partial").exists());
    eprintln!(
        "backup under 64 clients: {} acknowledged before, {} in the copy, {during} by its end",
        before.len(),
        in_copy.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restore_refuses_while_served_then_swaps_and_keeps_the_old_database() {
    let db = Db::sqlite("restore");
    let token = hall_with_token(&db).await;
    let dir = TempDir::new("restore_out");
    let data = match &db {
        Db::Sqlite(d) => d.arg(),
        Db::Postgres(_) => unreachable!(),
    };
    let copy = dir.0.join("hall.db").display().to_string();
    let mut server = Server::start(&db.url());
    let load = Load::start(&server, &token, 4);
    load.until(20).await;
    let acked = load.stop().await;
    let b = run(&["backup", "--data-dir", &data, "--to", &copy], "");
    assert_eq!(b.code, 0, "{}", b.stderr);
    let again = run(&["backup", "--data-dir", &data, "--to", &copy], "");
    assert_eq!(again.code, 2, "an existing file is not overwritten");
    assert!(again.stderr.contains("不会覆盖"), "{}", again.stderr);

    // More tickets after the backup: the restore takes them back out.
    let load = Load::start(&server, &token, 2);
    load.until(acked.len() + 5).await;
    let later = load.stop().await;

    let refused = run(&["restore", &copy, "--data-dir", &data], "");
    assert_eq!(refused.code, 3, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("请先停止服务"),
        "{}",
        refused.stderr
    );
    let second = std::process::Command::new(env!("CARGO_BIN_EXE_servicehall"))
        .args(["serve", "--data-dir", &data, "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(
        second.status.code(),
        Some(3),
        "a second server on the same file"
    );

    server.terminate();
    assert_eq!(server.wait(Duration::from_secs(25)), Some(0));

    // A file that is not a database is refused and changes nothing.
    let stored = load::tickets_in(&db.url()).await.len();
    assert_eq!(stored, acked.len() + later.len());
    let junk = dir.0.join("junk.db");
    std::fs::write(&junk, "not a database at all, just text".repeat(200)).unwrap();
    let bad = run(
        &["restore", &junk.display().to_string(), "--data-dir", &data],
        "",
    );
    assert_eq!(bad.code, 4, "{}", bad.stderr);
    assert!(bad.stderr.contains("未通过检查"), "{}", bad.stderr);
    assert_eq!(load::tickets_in(&db.url()).await.len(), stored);

    let ok = run(&["restore", &copy, "--data-dir", &data], "");
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert!(ok.stdout.contains("已恢复 · restored"), "{}", ok.stdout);
    let kept: Vec<String> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("servicehall.db.before-restore-") && !n.ends_with("-wal"))
        .collect();
    assert_eq!(kept.len(), 1, "the replaced database is kept: {kept:?}");
    let restored = load::tickets_in(&db.url()).await;
    assert_eq!(
        restored.keys().collect::<Vec<_>>(),
        acked.keys().collect::<Vec<_>>()
    );
    let old = load::tickets_in(&format!("sqlite:{data}/{}", kept[0])).await;
    assert_eq!(
        old.len(),
        stored,
        "the old database keeps the later tickets"
    );
    // The restored hall serves again.
    let server = Server::start(&db.url());
    let load = Load::start(&server, &token, 2);
    load.until(3).await;
    load.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scheduled_backups_keep_the_newest_copies() {
    let db = Db::sqlite("scheduled");
    let token = hall_with_token(&db).await;
    let dir = TempDir::new("scheduled_out");
    let backups = dir.0.join("backups");
    // Every 0.0004 h = 1.44 s, two kept.
    let text = format!(
        "{UNLIMITED}[backup]\ndir = \"{}\"\nevery_hours = 0.0004\nkeep = 2\n",
        backups.display()
    );
    let config = load::config_file(&dir, &text);
    let server = Server::start_with(&db.url(), &["--config", &config]);
    let load = Load::start(&server, &token, 2);
    let until = std::time::Instant::now() + Duration::from_secs(60);
    let mut logged = 0;
    while logged < 4 {
        assert!(
            std::time::Instant::now() < until,
            "four scheduled backups in a minute"
        );
        if let Ok(line) = server.log.recv_timeout(Duration::from_secs(5))
            && line.contains("scheduled backup done")
        {
            logged += 1;
        }
    }
    load.stop().await;
    let mut copies: Vec<String> = std::fs::read_dir(&backups)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".db"))
        .collect();
    copies.sort();
    assert_eq!(copies.len(), 2, "{copies:?}");
    let newest = backups.join(&copies[1]).display().to_string();
    let check = run(&["restore", &newest, "--data-dir", &dir.arg()], "");
    assert_eq!(check.code, 0, "a scheduled copy restores: {}", check.stderr);
    assert!(check.stdout.contains("integrity_check: ok"));
}

#[tokio::test]
async fn postgres_is_pointed_to_its_own_tools() {
    let out = run(
        &[
            "backup",
            "--database",
            "postgres://hall:s3cret@db/sh",
            "--to",
            "/tmp/x.db",
        ],
        "",
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("pg_dump -Fc"), "{}", out.stderr);
    assert!(!out.stderr.contains("s3cret"), "no password in the advice");
    let out = run(
        &["restore", "/tmp/x.db", "--database", "postgres://h/sh"],
        "",
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("pg_restore"), "{}", out.stderr);
}
