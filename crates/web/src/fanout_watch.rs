//! The credentials of this node's live streams, watched together. Each open event stream
//! registers the session or device token it came with (counted per credential, let go when
//! the stream drops); one task per node checks every registered credential once a heartbeat
//! in batched queries (`sessions_still_valid` / `devices_still_valid`), and a revoked one
//! ends exactly the streams that hold it. A stream itself never queries the database, so
//! ten thousand idle screens cost two queries a heartbeat instead of ten thousand.
//!
//! A revocation made on this node (sign-out, a device revoked, a person deactivated or
//! their password reset) ends its streams at once through [`CredentialWatch::end`],
//! [`CredentialWatch::end_device`] and [`CredentialWatch::end_staff`]; another node's
//! revocation is caught by the next sweep. A database error skips a sweep and ends nothing.

use crate::auth::Credential;
use crate::clock::Clock;
use servicehall_store::{STILL_VALID_CHUNK, Store};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;
use tokio::sync::watch;

/// Whose credential it is, so a revocation by person or by device finds its streams.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Owner {
    pub staff_id: Option<i64>,
    pub device_id: Option<i64>,
}

struct Entry {
    streams: usize,
    owner: Owner,
    /// Set to `true` once when the credential is found revoked; every stream holding it
    /// waits on a receiver.
    ended: Arc<watch::Sender<bool>>,
}

/// What the watcher has done since the node started (for tests and `/metrics`-style
/// reading): sweeps that had credentials to check, and the queries they ran.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WatchStats {
    pub sweeps: u64,
    pub queries: u64,
    /// Credentials registered now, and the streams holding them.
    pub credentials: usize,
    pub streams: usize,
    /// Credentials ended (by a sweep or by a revocation on this node).
    pub ended: u64,
}

impl WatchStats {
    /// The watch's lines of `/metrics` (Prometheus text format).
    pub fn metrics_text(&self) -> String {
        let lines = [
            (
                "servicehall_stream_credentials",
                "gauge",
                "Credentials of live streams watched by this node's sweep now.",
                self.credentials as u64,
            ),
            (
                "servicehall_stream_credential_sweeps_total",
                "counter",
                "Sweeps that checked the live streams' credentials.",
                self.sweeps,
            ),
            (
                "servicehall_stream_credential_queries_total",
                "counter",
                "Batched queries the sweeps ran.",
                self.queries,
            ),
            (
                "servicehall_stream_credentials_ended_total",
                "counter",
                "Credentials found revoked or ended; their streams were closed.",
                self.ended,
            ),
        ];
        let mut out = String::new();
        for (name, kind, help, v) in lines {
            out.push_str(&format!(
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {v}\n"
            ));
        }
        out
    }
}

/// The node's registry of live streams' credentials (one in [`crate::AppState`]).
#[derive(Default)]
pub struct CredentialWatch {
    entries: Mutex<HashMap<Credential, Entry>>,
    sweeper: Mutex<Option<tokio::task::JoinHandle<()>>>,
    sweeps: AtomicU64,
    queries: AtomicU64,
    ended: AtomicU64,
}

/// Where the sweep reads: the node's store and clock, every `beat`.
pub struct SweepWith {
    pub store: Arc<dyn Store>,
    pub clock: Clock,
    pub beat: Duration,
}

/// One stream's hold on its credential; dropping it lets the credential go.
pub struct Watched {
    watch: Arc<CredentialWatch>,
    credential: Credential,
    ended_tx: Arc<watch::Sender<bool>>,
    ended_rx: watch::Receiver<bool>,
}

impl Watched {
    /// Resolves when the credential is revoked or ended; pending while it holds.
    pub async fn ended(&mut self) {
        // The sender lives in `self` too, so this cannot fail while we wait.
        let _ = self.ended_rx.wait_for(|ended| *ended).await;
    }
}

impl Drop for Watched {
    fn drop(&mut self) {
        let mut entries = self.watch.entries();
        // Only the entry this stream joined: an ended credential's entry is already gone,
        // and a new stream may have registered the same credential afresh since.
        if let Some(e) = entries.get_mut(&self.credential)
            && Arc::ptr_eq(&e.ended, &self.ended_tx)
        {
            e.streams -= 1;
            if e.streams == 0 {
                entries.remove(&self.credential);
            }
        }
    }
}

impl CredentialWatch {
    fn entries(&self) -> MutexGuard<'_, HashMap<Credential, Entry>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers a stream holding `credential`, and starts the node's sweep if it is not
    /// running (the first stream of the process, or of a test's runtime).
    pub fn register(
        self: &Arc<Self>,
        credential: Credential,
        owner: Owner,
        with: SweepWith,
    ) -> Watched {
        let (ended_tx, ended_rx) = {
            let mut entries = self.entries();
            let e = entries.entry(credential.clone()).or_insert_with(|| Entry {
                streams: 0,
                owner,
                ended: Arc::new(watch::channel(false).0),
            });
            e.streams += 1;
            (e.ended.clone(), e.ended.subscribe())
        };
        self.ensure_sweeper(with);
        Watched {
            watch: self.clone(),
            credential,
            ended_tx,
            ended_rx,
        }
    }

    fn ensure_sweeper(self: &Arc<Self>, with: SweepWith) {
        let mut sweeper = self.sweeper.lock().unwrap_or_else(|p| p.into_inner());
        if sweeper.as_ref().is_some_and(|h| !h.is_finished()) {
            return;
        }
        let watch = Arc::downgrade(self);
        *sweeper = Some(tokio::spawn(sweep_loop(watch, with)));
    }

    /// Ends the streams holding `credential` now; how many there were.
    pub fn end(&self, credential: &Credential) -> usize {
        let removed = self.entries().remove(credential);
        match removed {
            Some(e) => {
                self.ended.fetch_add(1, Ordering::Relaxed);
                e.ended.send_replace(true);
                e.streams
            }
            None => 0,
        }
    }

    /// Ends every stream of the device `id` (revoked on this node); how many there were.
    pub fn end_device(&self, id: i64) -> usize {
        self.end_where(|o| o.device_id == Some(id))
    }

    /// Ends every stream signed in as the person `id` (deactivated, or their password
    /// reset, which ends their sessions); how many there were.
    pub fn end_staff(&self, id: i64) -> usize {
        self.end_where(|o| o.staff_id == Some(id))
    }

    fn end_where(&self, owned: impl Fn(&Owner) -> bool) -> usize {
        let hit: Vec<Credential> = self
            .entries()
            .iter()
            .filter(|(_, e)| owned(&e.owner))
            .map(|(c, _)| c.clone())
            .collect();
        hit.iter().map(|c| self.end(c)).sum()
    }

    pub fn stats(&self) -> WatchStats {
        let entries = self.entries();
        WatchStats {
            sweeps: self.sweeps.load(Ordering::Relaxed),
            queries: self.queries.load(Ordering::Relaxed),
            credentials: entries.len(),
            streams: entries.values().map(|e| e.streams).sum(),
            ended: self.ended.load(Ordering::Relaxed),
        }
    }

    /// Checks every registered credential at `now` in batched queries and ends the revoked
    /// ones. A failed query ends nothing: the next sweep asks again.
    pub async fn sweep(&self, store: &dyn Store, now: i64) {
        let (mut sessions, mut devices) = (Vec::new(), Vec::new());
        for c in self.entries().keys() {
            match c {
                Credential::Session(h) => sessions.push(h.clone()),
                Credential::Device(h) => devices.push(h.clone()),
            }
        }
        if sessions.is_empty() && devices.is_empty() {
            return;
        }
        self.sweeps.fetch_add(1, Ordering::Relaxed);
        if !sessions.is_empty() {
            self.count_queries(sessions.len());
            match store.sessions_still_valid(&sessions, now).await {
                Ok(valid) => self.end_missing(sessions, valid, Credential::Session),
                Err(e) => {
                    tracing::warn!(error = %e, "live streams' session check failed; none ended")
                }
            }
        }
        if !devices.is_empty() {
            self.count_queries(devices.len());
            match store.devices_still_valid(&devices).await {
                Ok(valid) => self.end_missing(devices, valid, Credential::Device),
                Err(e) => {
                    tracing::warn!(error = %e, "live streams' device check failed; none ended")
                }
            }
        }
    }

    fn count_queries(&self, hashes: usize) {
        let n = hashes.div_ceil(STILL_VALID_CHUNK) as u64;
        self.queries.fetch_add(n, Ordering::Relaxed);
    }

    fn end_missing(
        &self,
        checked: Vec<String>,
        valid: Vec<String>,
        as_credential: fn(String) -> Credential,
    ) {
        let valid: HashSet<String> = valid.into_iter().collect();
        for h in checked.into_iter().filter(|h| !valid.contains(h)) {
            self.end(&as_credential(h));
        }
    }
}

/// The node's sweep: every `beat` while the registry lives.
async fn sweep_loop(watch: Weak<CredentialWatch>, with: SweepWith) {
    let mut tick = tokio::time::interval(with.beat);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tick.tick().await; // the first tick is immediate; streams were just checked on opening
    loop {
        tick.tick().await;
        let Some(watch) = watch.upgrade() else {
            return;
        };
        watch.sweep(with.store.as_ref(), with.clock.now_ms()).await;
    }
}
