//! Concurrent ticket-issuing clients against a `serve` child, remembering every ticket the
//! server acknowledged (201), to compare with the database afterwards.

use crate::server::Server;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A config file that switches the integration token's issue rate off, so the clients are
/// limited by the server's throughput alone.
pub const UNLIMITED: &str = "[limits]\nintegration_issue_per_minute = 0\n";

pub struct Load {
    /// Ticket id → number, for every 201 received.
    pub acked: Arc<Mutex<BTreeMap<i64, String>>>,
    /// Requests that got no answer or another status (sent while the server stopped).
    pub failed: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Load {
    /// `clients` loops issuing tickets of `pay` in hall T-1 as fast as answers come.
    pub fn start(server: &Server, token: &str, clients: usize) -> Self {
        let acked = Arc::new(Mutex::new(BTreeMap::new()));
        let failed = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let url = server.url("/api/v1/halls/T-1/tickets");
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        let tasks = (0..clients)
            .map(|_| {
                let (acked, failed, stop) = (acked.clone(), failed.clone(), stop.clone());
                let (client, url, token) = (client.clone(), url.clone(), token.to_string());
                tokio::spawn(async move {
                    while !stop.load(Ordering::Relaxed) {
                        let sent = client
                            .post(&url)
                            .bearer_auth(&token)
                            .json(&serde_json::json!({"business_type": "pay"}))
                            .send()
                            .await;
                        let body = match sent {
                            Ok(r) if r.status() == 201 => r.json::<serde_json::Value>().await.ok(),
                            _ => None,
                        };
                        match body {
                            Some(b) => {
                                let t = &b;
                                let id = t["id"].as_i64().expect("ticket id");
                                let number = t["number"].as_str().unwrap().to_string();
                                acked.lock().unwrap().insert(id, number);
                            }
                            None => {
                                failed.fetch_add(1, Ordering::Relaxed);
                                tokio::time::sleep(Duration::from_millis(20)).await;
                            }
                        }
                    }
                })
            })
            .collect();
        Self {
            acked,
            failed,
            stop,
            tasks,
        }
    }

    pub fn acked_now(&self) -> BTreeMap<i64, String> {
        self.acked.lock().unwrap().clone()
    }

    /// Waits until at least `n` tickets are acknowledged (or panics after a minute).
    pub async fn until(&self, n: usize) {
        let until = std::time::Instant::now() + Duration::from_secs(60);
        while self.acked.lock().unwrap().len() < n {
            assert!(std::time::Instant::now() < until, "load too slow");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Stops the clients (each finishes or fails its request in flight) and returns the
    /// acknowledged tickets.
    pub async fn stop(self) -> BTreeMap<i64, String> {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.tasks {
            t.await.unwrap();
        }
        self.acked.lock().unwrap().clone()
    }
}

/// Every ticket in the database: id → (service day, number).
pub async fn tickets_in(url: &str) -> BTreeMap<i64, (String, String)> {
    let store = servicehall_store::SqlStore::connect(url).await.unwrap();
    let rows: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, service_day, number FROM tickets")
            .fetch_all(store.pool())
            .await
            .unwrap();
    store.pool().close().await;
    rows.into_iter().map(|(id, d, n)| (id, (d, n))).collect()
}

/// No number given twice in a day.
pub fn assert_numbers_unique(db: &BTreeMap<i64, (String, String)>) {
    let mut seen = std::collections::HashSet::new();
    for (id, key) in db {
        assert!(
            seen.insert(key.clone()),
            "ticket {id}: number {key:?} given twice"
        );
    }
}

/// A config file in `dir` with `text`; returns its path.
pub fn config_file(dir: &crate::TempDir, text: &str) -> String {
    let path = dir.0.join("servicehall.toml");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}
