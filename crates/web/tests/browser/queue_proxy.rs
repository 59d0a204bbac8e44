//! A TCP link between a browser and the server that a test can cut and restore, to see how
//! the screens behave when the hall's network drops.

use std::sync::Arc;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Mutex, watch};
use tokio::task::JoinHandle;

pub struct Link {
    /// `http://127.0.0.1:PORT` of the link's end the browser uses.
    pub base: String,
    port: u16,
    target: String,
    accept: Mutex<Option<JoinHandle<()>>>,
    alive: watch::Sender<bool>,
}

impl Link {
    /// A link to `target_base` (`http://127.0.0.1:PORT`) on a free local port.
    pub async fn open(target_base: &str) -> Arc<Link> {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind link");
        let port = listener.local_addr().unwrap().port();
        let target = target_base.trim_start_matches("http://").to_string();
        let (alive, _) = watch::channel(true);
        let link = Arc::new(Link {
            base: format!("http://127.0.0.1:{port}"),
            port,
            target,
            accept: Mutex::new(None),
            alive,
        });
        link.start(listener).await;
        link
    }

    async fn start(&self, listener: TcpListener) {
        let target = self.target.clone();
        let alive = self.alive.subscribe();
        let task = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let target = target.clone();
                let mut alive = alive.clone();
                tokio::spawn(async move {
                    let Ok(mut outbound) = TcpStream::connect(&target).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                        _ = alive.wait_for(|up| !*up) => {} // cut: drop both ends
                    }
                });
            }
        });
        *self.accept.lock().await = Some(task);
    }

    /// Drops every connection and refuses new ones.
    pub async fn cut(&self) {
        self.alive.send_replace(false);
        if let Some(task) = self.accept.lock().await.take() {
            task.abort();
            let _ = task.await;
        }
    }

    /// Accepts connections again on the same port.
    pub async fn restore(&self) {
        self.alive.send_replace(true);
        let listener = TcpListener::bind(("127.0.0.1", self.port))
            .await
            .expect("rebind link");
        self.start(listener).await;
    }
}
