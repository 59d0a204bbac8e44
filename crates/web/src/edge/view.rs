//! An edge-run hall as central screens and the API show it: online or offline (no word from
//! its edge for a minute), when it last shipped, how much it has shipped.

use serde::Serialize;
use servicehall_domain::edge::is_offline;
use servicehall_domain::time::{local, parse_tz};
use servicehall_store::EdgeHall;
use utoipa::ToSchema;

/// A hall run by its edge (现场节点).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EdgeHallView {
    pub hall: String,
    pub hall_name: String,
    /// The edge's name (`serve --edge --name`).
    pub edge: String,
    /// No heartbeat or shipment for over a minute: the WAN (or the edge) is down; the hall
    /// may still be serving customers on its own.
    pub offline: bool,
    /// `在线 · Online` or `离线 · Offline`.
    pub status: String,
    /// Last heartbeat or shipment (ms).
    pub last_seen_at: i64,
    /// Last shipment that carried rows (ms; 0 when none yet).
    pub last_shipped_at: i64,
    /// The last sequence number applied centrally.
    pub last_seq: i64,
    /// Rows applied centrally since the edge first reported.
    pub rows_applied: i64,
    /// What a person reads, e.g. `最后发送 12-08 09:41:05 · last shipment`.
    pub note: String,
}

impl EdgeHallView {
    pub fn new(e: &EdgeHall, now: i64) -> Self {
        let offline = is_offline(e.last_seen_at, now);
        let tz = parse_tz(&e.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
        let at = |ms: i64| local(ms, tz).format("%m-%d %H:%M:%S").to_string();
        let note = match (offline, e.last_shipped_at) {
            (true, 0) => format!("最后联系 {} · last heard from", at(e.last_seen_at)),
            (true, shipped) => format!("最后发送 {} · last shipment", at(shipped)),
            (false, 0) => "现场节点运行中，尚无数据 · run by its edge, nothing shipped yet".into(),
            (false, shipped) => format!(
                "现场节点运行 · run by its edge · 最后发送 {} · last shipment",
                at(shipped)
            ),
        };
        Self {
            hall: e.hall_code.clone(),
            hall_name: e.hall_name.clone(),
            edge: e.edge_name.clone(),
            offline,
            status: if offline {
                "离线 · Offline"
            } else {
                "在线 · Online"
            }
            .into(),
            last_seen_at: e.last_seen_at,
            last_shipped_at: e.last_shipped_at,
            last_seq: e.last_seq,
            rows_applied: e.rows_applied,
            note,
        }
    }
}
