//! Draining before a stop (SIGTERM, Ctrl-C): the server stops accepting, lets requests in
//! flight finish within a bound, ends live streams with a reconnect hint, and `/readyz`
//! answers 503 so a load balancer sends no more work here meanwhile.

use std::sync::Arc;
use tokio::sync::watch;

/// A one-way switch shared by the server loop, the live streams and `/readyz`.
#[derive(Clone, Debug)]
pub struct Drain(Arc<watch::Sender<bool>>);

impl Default for Drain {
    fn default() -> Self {
        Self(Arc::new(watch::channel(false).0))
    }
}

impl Drain {
    /// Starts draining (idempotent).
    pub fn start(&self) {
        self.0.send_replace(true);
    }

    pub fn is_draining(&self) -> bool {
        *self.0.borrow()
    }

    /// Resolves once draining has started.
    pub async fn started(&self) {
        let mut rx = self.0.subscribe();
        // The sender lives in `self`, so this only returns once the switch is on.
        let _ = rx.wait_for(|on| *on).await;
    }
}

/// Resolves on SIGTERM or Ctrl-C (SIGINT), naming which.
pub async fn stop_signal() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => tokio::select! {
                _ = term.recv() => "SIGTERM",
                _ = tokio::signal::ctrl_c() => "Ctrl-C",
            },
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                "Ctrl-C"
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    }
}
