//! Stops under load (issue 13), with 32 clients issuing tickets as fast as they can:
//! SIGTERM drains — every 201 is in the database, every ticket in the database got its
//! 201, exit 0; SIGKILL loses no acknowledged ticket, and after a restart no number is
//! given twice.

use crate::load::{self, Load, UNLIMITED};
use crate::server::Server;
use crate::storage::hall_with_token;
use crate::{Db, TempDir, on_both};
use std::time::Duration;

pub async fn sigterm_under_load_answers_every_committed_ticket(db: Db) {
    let token = hall_with_token(&db).await;
    let dir = TempDir::new("term");
    let config = load::config_file(&dir, UNLIMITED);
    let mut server = Server::start_with(&db.url(), &["--config", &config]);
    let load = Load::start(&server, &token, 32);
    load.until(200).await;
    server.terminate();
    let code = server.wait(Duration::from_secs(30));
    let failed = load.failed.load(std::sync::atomic::Ordering::Relaxed);
    let acked = load.stop().await;
    assert_eq!(code, Some(0), "exit 0 after draining");
    let in_db = load::tickets_in(&db.url()).await;
    for id in acked.keys() {
        assert!(
            in_db.contains_key(id),
            "acknowledged ticket {id} is missing"
        );
    }
    let unanswered: Vec<&i64> = in_db.keys().filter(|id| !acked.contains_key(id)).collect();
    assert!(
        unanswered.is_empty(),
        "committed but never acknowledged: {unanswered:?} of {}",
        in_db.len()
    );
    load::assert_numbers_unique(&in_db);
    eprintln!(
        "SIGTERM: {} tickets acknowledged and stored, {} requests unanswered while stopping",
        acked.len(),
        failed
    );
}

pub async fn sigkill_under_load_loses_no_acknowledged_ticket(db: Db) {
    let token = hall_with_token(&db).await;
    let dir = TempDir::new("kill");
    let config = load::config_file(&dir, UNLIMITED);
    let mut server = Server::start_with(&db.url(), &["--config", &config]);
    let load = Load::start(&server, &token, 32);
    load.until(200).await;
    server.kill();
    let acked = load.stop().await;

    // Restarted on the same database (the kernel dropped the dead server's lock), the
    // numbering carries on.
    let server = Server::start_with(&db.url(), &["--config", &config]);
    let after = Load::start(&server, &token, 8);
    after.until(50).await;
    let acked_after = after.stop().await;
    drop(server);

    let in_db = load::tickets_in(&db.url()).await;
    for (id, number) in acked.iter().chain(&acked_after) {
        let stored = in_db
            .get(id)
            .unwrap_or_else(|| panic!("acknowledged ticket {id} is missing"));
        assert_eq!(&stored.1, number);
    }
    load::assert_numbers_unique(&in_db);
    eprintln!(
        "SIGKILL: {} acknowledged before, {} after the restart, {} stored",
        acked.len(),
        acked_after.len(),
        in_db.len()
    );
}

on_both!(
    sigterm_under_load_answers_every_committed_ticket,
    sigkill_under_load_loses_no_acknowledged_ticket
);
