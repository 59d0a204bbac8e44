//! The HTTP/1 server: axum's router on hyper's connection builder, with what `axum::serve`
//! does not expose: a time limit for reading a request's header (which also closes
//! keep-alive connections left idle between requests) and an idle timeout that closes a
//! connection on which nothing was read or written for a while (a stalled body). Each
//! request carries the TCP peer as `ConnectInfo<SocketAddr>`.

use crate::drain::Drain;
use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;
use tower_service::Service;

/// Serves `app` on `listener` until `drain` starts; then stops accepting, asks every
/// connection to close after its response in flight, and returns when they have, or after
/// `grace`, whichever comes first.
pub async fn run(
    listener: TcpListener,
    app: Router,
    header_read_timeout: Option<Duration>,
    idle_timeout: Option<Duration>,
    drain: Drain,
    grace: Duration,
) -> std::io::Result<()> {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout)
        .keep_alive(true);
    // Each connection task holds a clone; `recv` returns `None` once all are gone.
    let (open_tx, mut open_rx) = tokio::sync::mpsc::channel::<()>(1);
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            () = drain.started() => break,
        };
        let (stream, peer) = match accepted {
            Ok(x) => x,
            Err(e) => {
                if !matches!(
                    e.kind(),
                    std::io::ErrorKind::ConnectionRefused
                        | std::io::ErrorKind::ConnectionAborted
                        | std::io::ErrorKind::ConnectionReset
                ) {
                    // E.g. out of file descriptors: wait for some to be freed.
                    tracing::error!("accept error: {e}");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let clock = Arc::new(Activity::new());
        let io = TokioIo::new(Watched {
            inner: stream,
            clock: clock.clone(),
        });
        let svc = hyper_util::service::TowerToHyperService::new(WithPeer {
            app: app.clone(),
            peer,
        });
        let conn = http.serve_connection(io, svc);
        let (drain, open) = (drain.clone(), open_tx.clone());
        tokio::spawn(async move {
            let _open = open;
            tokio::pin!(conn);
            let idle = idle(clock, idle_timeout);
            tokio::pin!(idle);
            let mut asked = false;
            loop {
                tokio::select! {
                    r = conn.as_mut() => {
                        if let Err(e) = r {
                            tracing::debug!(%peer, "connection ended: {e}");
                        }
                        break;
                    }
                    () = &mut idle => {
                        tracing::debug!(%peer, "connection closed: idle");
                        break;
                    }
                    // An idle keep-alive connection closes now; a busy one after its response.
                    () = drain.started(), if !asked => {
                        asked = true;
                        conn.as_mut().graceful_shutdown();
                    }
                }
            }
        });
    }
    drop(listener);
    drop(open_tx);
    let waited = Instant::now();
    match tokio::time::timeout(grace, open_rx.recv()).await {
        Ok(_) => tracing::info!(
            ms = waited.elapsed().as_millis() as u64,
            "drained: every connection finished"
        ),
        Err(_) => tracing::warn!(
            secs = grace.as_secs(),
            "drain bound reached: closing the connections still open"
        ),
    }
    Ok(())
}

/// Resolves when nothing has moved on the connection for `limit` (never without a limit).
async fn idle(clock: Arc<Activity>, limit: Option<Duration>) {
    let Some(limit) = limit else {
        return std::future::pending().await;
    };
    loop {
        let last = clock.last();
        let deadline = last + limit;
        if Instant::now() >= deadline {
            return;
        }
        tokio::time::sleep_until(deadline).await;
    }
}

/// The instant of a connection's last read or write, as milliseconds since it opened.
struct Activity {
    start: Instant,
    ms: AtomicU64,
}

impl Activity {
    fn new() -> Self {
        Self {
            start: Instant::now(),
            ms: AtomicU64::new(0),
        }
    }
    fn touch(&self) {
        let ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.ms.store(ms, Ordering::Relaxed);
    }
    fn last(&self) -> Instant {
        self.start + Duration::from_millis(self.ms.load(Ordering::Relaxed))
    }
}

/// A TCP stream that notes when bytes move.
struct Watched {
    inner: TcpStream,
    clock: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(r, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.clock.touch();
        }
        r
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.clock.touch();
        }
        r
    }
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.clock.touch();
        }
        r
    }
    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The router, with the connection's peer added to every request.
#[derive(Clone)]
struct WithPeer {
    app: Router,
    peer: SocketAddr,
}

impl Service<hyper::Request<Incoming>> for WithPeer {
    type Response = axum::response::Response;
    type Error = std::convert::Infallible;
    type Future = <Router as Service<axum::extract::Request>>::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Service::<axum::extract::Request>::poll_ready(&mut self.app, cx)
    }

    fn call(&mut self, req: hyper::Request<Incoming>) -> Self::Future {
        let mut req = req.map(axum::body::Body::new);
        req.extensions_mut().insert(ConnectInfo(self.peer));
        self.app.call(req)
    }
}
