//! The notifier (通知): one queue (the store's delivery log), pluggable channels, one
//! sender. Messages are queued by what causes them (a booking, the reminders' scan, a
//! booked ticket called) in the same transaction, and sent here with retries
//! (`servicehall_domain::notify::next_try`).
//!
//! Channels: `log` (the default: the message is written to the server's log and the
//! delivery log only — what a hall without a gateway, the demo and the tests use), `sms`
//! (an SMS gateway taking an HTTP POST) and `wechat` (a WeChat template-message relay taking
//! an HTTP POST). E-mail is not built: customers give a phone number, not an address.
//! The channel for customers' messages is chosen at start from `SERVICEHALL_NOTIFY_CHANNEL`
//! and `SERVICEHALL_NOTIFY_URL` (see docs/notify.md).

pub mod scan;

use crate::AppState;
use async_trait::async_trait;
use servicehall_store::{Notification, StoreError};
use std::sync::OnceLock;
use std::time::Duration;

/// How a message leaves the server.
#[async_trait]
pub trait Channel: Send + Sync {
    /// The name queued with each delivery (`log`, `sms`, `wechat`).
    fn name(&self) -> &'static str;
    /// Sends one message; `Err` carries what went wrong, for the log and a retry.
    async fn send(&self, n: &Notification) -> Result<(), String>;
}

/// The default: writes the message to the server's log (the delivery log keeps it too).
pub struct LogOnly;

#[async_trait]
impl Channel for LogOnly {
    fn name(&self) -> &'static str {
        "log"
    }
    async fn send(&self, n: &Notification) -> Result<(), String> {
        tracing::info!(event = n.event.as_str(), to = %n.recipient_masked, reference = %n.reference, "notification (log only)");
        Ok(())
    }
}

/// An SMS gateway: `POST url` with `{"to", "text", "event", "reference"}`; any 2xx is sent.
pub struct SmsGateway {
    pub client: reqwest::Client,
    pub url: String,
}

#[async_trait]
impl Channel for SmsGateway {
    fn name(&self) -> &'static str {
        "sms"
    }
    async fn send(&self, n: &Notification) -> Result<(), String> {
        let body = serde_json::json!({
            "to": n.recipient, "text": n.body, "event": n.event.as_str(), "reference": n.reference,
        });
        post(&self.client, &self.url, &body).await
    }
}

/// A WeChat template-message relay: `POST url` with the template message's shape
/// (`touser`, `template_id` = the event, `data.first.value` = the text).
pub struct WeChatTemplate {
    pub client: reqwest::Client,
    pub url: String,
}

#[async_trait]
impl Channel for WeChatTemplate {
    fn name(&self) -> &'static str {
        "wechat"
    }
    async fn send(&self, n: &Notification) -> Result<(), String> {
        let body = serde_json::json!({
            "touser": n.recipient,
            "template_id": n.event.as_str(),
            "data": {
                "first": {"value": n.body},
                "keyword1": {"value": n.reference},
            },
        });
        post(&self.client, &self.url, &body).await
    }
}

async fn post(client: &reqwest::Client, url: &str, body: &serde_json::Value) -> Result<(), String> {
    match client.post(url).json(body).send().await {
        Ok(r) if r.status().is_success() => Ok(()),
        Ok(r) => Err(format!(
            "网关返回 HTTP {0} · gateway answered HTTP {0}",
            r.status().as_u16()
        )),
        Err(e) => Err(format!("无法连接网关 · gateway unreachable: {e}")),
    }
}

/// Which channel customers' messages go by, and its address.
#[derive(Debug, Clone, Default)]
pub struct NotifyConfig {
    /// `log` (default), `sms` or `wechat`.
    pub channel: String,
    pub url: Option<String>,
}

static CONFIG: OnceLock<NotifyConfig> = OnceLock::new();

/// Reads `SERVICEHALL_NOTIFY_CHANNEL` and `SERVICEHALL_NOTIFY_URL` once; an unknown channel
/// or a gateway without an address falls back to `log`, with a warning.
pub fn configure_from_env() -> &'static NotifyConfig {
    CONFIG.get_or_init(|| {
        let channel = std::env::var("SERVICEHALL_NOTIFY_CHANNEL").unwrap_or_default();
        let url = std::env::var("SERVICEHALL_NOTIFY_URL")
            .ok()
            .filter(|u| !u.is_empty());
        match (channel.as_str(), url) {
            ("sms" | "wechat", Some(url)) => NotifyConfig {
                channel,
                url: Some(url),
            },
            ("" | "log", _) => NotifyConfig {
                channel: "log".into(),
                url: None,
            },
            (other, _) => {
                tracing::warn!(channel = other, "通知渠道未配置完整，改为仅记录 · notify channel incomplete or unknown; using log only");
                NotifyConfig {
                    channel: "log".into(),
                    url: None,
                }
            }
        }
    })
}

/// The channel new customer messages are queued for.
pub fn customer_channel() -> String {
    configure_from_env().channel.clone()
}

/// The channel named `name`, when this node has it configured.
fn channel_named(name: &str, client: &reqwest::Client) -> Option<Box<dyn Channel>> {
    let cfg = configure_from_env();
    match (name, &cfg.url) {
        ("log", _) => Some(Box::new(LogOnly)),
        ("sms", Some(url)) if cfg.channel == "sms" => Some(Box::new(SmsGateway {
            client: client.clone(),
            url: url.clone(),
        })),
        ("wechat", Some(url)) if cfg.channel == "wechat" => Some(Box::new(WeChatTemplate {
            client: client.clone(),
            url: url.clone(),
        })),
        _ => None,
    }
}

/// Deliveries claimed per pass, and how long a claim holds.
const BATCH: i64 = 50;
const LEASE_MS: i64 = 60_000;

/// One pass: sends the deliveries due at `now`; returns (sent, failed).
pub async fn send_once(state: &AppState, now: i64) -> Result<(usize, usize), StoreError> {
    let due = state
        .store
        .claim_notifications(now, BATCH, LEASE_MS)
        .await?;
    if due.is_empty() {
        return Ok((0, 0));
    }
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| StoreError::Invalid(format!("无法建立通知客户端 · notify client: {e}")))?;
    let (mut sent, mut failed) = (0, 0);
    for n in &due {
        let outcome = match channel_named(&n.channel, &client) {
            Some(ch) => ch.send(n).await,
            None => Err(format!(
                "本节点未配置通知渠道 {0} · channel {0} is not configured on this node",
                n.channel
            )),
        };
        if let Err(e) = &outcome {
            tracing::warn!(id = n.id, channel = %n.channel, error = %e, "notification failed; will retry");
            failed += 1;
        } else {
            sent += 1;
        }
        state.store.notification_result(n.id, outcome, now).await?;
    }
    Ok((sent, failed))
}

/// Runs the appointments' scan and [`send_once`] every `every` until the process ends.
pub fn spawn_notifier(state: AppState, every: Duration) -> tokio::task::JoinHandle<()> {
    configure_from_env();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            let now = state.now();
            if let Err(e) = scan::step(&state, now).await {
                tracing::error!(error = %e.detail, "appointments scan failed");
            }
            if let Err(e) = send_once(&state, now).await {
                tracing::error!(error = %e, "notifier pass failed");
            }
        }
    })
}
