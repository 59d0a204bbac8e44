//! A small reader of Server-Sent Events for the web tests: a hall's event stream read
//! event by event, optionally resumed after a `Last-Event-ID`.

use super::*;

/// One Server-Sent Event.
#[derive(Debug, Clone, Default)]
pub struct SseEvent {
    pub id: Option<String>,
    pub event: String,
    pub data: String,
}

impl SseEvent {
    pub fn id_num(&self) -> i64 {
        self.id
            .as_deref()
            .and_then(|i| i.parse().ok())
            .expect("event with a numeric id")
    }
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.data).expect("event data is JSON")
    }
}

type ByteStream =
    std::pin::Pin<Box<dyn futures_util::Stream<Item = reqwest::Result<axum::body::Bytes>> + Send>>;

/// Reads an event stream from a response body, event by event.
pub struct SseReader {
    stream: ByteStream,
    buf: Vec<u8>,
}

impl SseReader {
    pub fn new(res: reqwest::Response) -> Self {
        Self {
            stream: Box::pin(res.bytes_stream()),
            buf: Vec::new(),
        }
    }

    /// The next event (pings included), or `None` when `within` passes or the stream ends.
    pub async fn next(&mut self, within: Duration) -> Option<SseEvent> {
        use futures_util::StreamExt;
        let deadline = tokio::time::Instant::now() + within;
        loop {
            if let Some(ev) = self.take_event() {
                return Some(ev);
            }
            let chunk = tokio::time::timeout_at(deadline, self.stream.next()).await;
            match chunk {
                Ok(Some(Ok(bytes))) => self.buf.extend_from_slice(&bytes),
                _ => return None,
            }
        }
    }

    /// The next event that is not a ping, within `within`.
    pub async fn next_real(&mut self, within: Duration) -> Option<SseEvent> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let ev = self.next(left).await?;
            if ev.event != "ping" {
                return Some(ev);
            }
        }
    }

    /// Waits up to `within` for an event matching `pred`, skipping others.
    pub async fn wait_for(
        &mut self,
        within: Duration,
        pred: impl Fn(&SseEvent) -> bool,
    ) -> Option<SseEvent> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let ev = self.next(left).await?;
            if pred(&ev) {
                return Some(ev);
            }
        }
    }

    fn take_event(&mut self) -> Option<SseEvent> {
        loop {
            let end = self.buf.windows(2).position(|w| w == b"\n\n")?;
            let block = String::from_utf8_lossy(&self.buf[..end]).replace('\r', "");
            self.buf.drain(..end + 2);
            let mut ev = SseEvent::default();
            let mut data = Vec::new();
            for line in block.lines() {
                if line.starts_with(':') {
                    continue; // comment (keep-alive)
                }
                let (field, value) = line.split_once(':').unwrap_or((line, ""));
                let value = value.strip_prefix(' ').unwrap_or(value);
                match field {
                    "id" => ev.id = Some(value.to_string()),
                    "event" => ev.event = value.to_string(),
                    "data" => data.push(value.to_string()),
                    _ => {}
                }
            }
            ev.data = data.join("\n");
            if ev.event.is_empty() && ev.data.is_empty() && ev.id.is_none() {
                continue; // only comments
            }
            if ev.event.is_empty() {
                ev.event = "message".into();
            }
            return Some(ev);
        }
    }
}

/// Opens the hall's event stream with `token`, optionally resuming after `last_event_id`.
pub async fn open_events(app: &App, token: &str, last_event_id: Option<i64>) -> SseReader {
    let hall = &app.fx.hall.code;
    // The stream never ends: a client without an overall timeout.
    let mut rb = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/halls/{hall}/events")))
        .bearer_auth(token)
        .header("accept", "text/event-stream");
    if let Some(id) = last_event_id {
        rb = rb.header("last-event-id", id.to_string());
    }
    let res = rb.send().await.expect("connect to the event stream");
    assert_eq!(res.status(), 200);
    let ct = res
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(ct.starts_with("text/event-stream"), "content-type {ct}");
    SseReader::new(res)
}
