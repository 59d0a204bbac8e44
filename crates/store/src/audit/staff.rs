//! Staff and role changes on the chain: who was given which role in which hall, and who
//! was switched off. The record is its own source (a staff row changes legitimately later,
//! so its digest covers the change as written, not the row).
//!
//! `create_staff` and `update_staff` carry no time in their signatures (shared with every
//! caller), so these records take the wall clock; every other audited write takes the
//! application's clock.

use super::append::{Append, append};
use crate::sql::WriteTx;
use crate::{Result, StaffInput};

/// The fields a change is described by, as they were before it.
pub(crate) struct Before {
    username: String,
    hall: Option<i64>,
    role: String,
    active: bool,
    name: String,
    badge: String,
}

fn now() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn hall_name(h: Option<i64>) -> String {
    h.map_or_else(|| "无 none".to_string(), |h| format!("#{h}"))
}

pub(crate) async fn before(w: &mut WriteTx, id: i64) -> Result<Option<Before>> {
    let r: Option<(String, Option<i64>, String, i64, String, String)> = sqlx::query_as(
        "SELECT username, hall_id, role, active, name, badge_no FROM staff WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *w.tx)
    .await?;
    Ok(r.map(|(username, hall, role, active, name, badge)| Before {
        username,
        hall,
        role,
        active: active != 0,
        name,
        badge,
    }))
}

pub(crate) async fn created(w: &mut WriteTx, id: i64, s: &StaffInput) -> Result<()> {
    let subject = format!(
        "新增人员 · staff added: {} ({} #{id}) 角色 role {}, 营业厅 hall {}, 工号 badge {}{}",
        s.username,
        s.name,
        s.role.as_str(),
        hall_name(s.hall_id),
        s.badge_no,
        if s.active { "" } else { ", 停用 inactive" }
    );
    let a = Append {
        hall: s.hall_id,
        kind: "staff.added",
        subject,
        source: None,
    };
    append(w, a, now()).await.map(|_| ())
}

/// Records what changed; a save that changed nothing is not recorded.
pub(crate) async fn changed(
    w: &mut WriteTx,
    id: i64,
    b: Option<Before>,
    s: &StaffInput,
) -> Result<()> {
    let Some(b) = b else { return Ok(()) };
    let mut parts = Vec::new();
    if b.role != s.role.as_str() {
        parts.push(format!("角色 role {}→{}", b.role, s.role.as_str()));
    }
    if b.hall != s.hall_id {
        parts.push(format!(
            "营业厅 hall {}→{}",
            hall_name(b.hall),
            hall_name(s.hall_id)
        ));
    }
    if b.active != s.active {
        parts.push(if s.active {
            "启用 activated".into()
        } else {
            "停用 deactivated".to_string()
        });
    }
    if b.username != s.username {
        parts.push(format!("用户名 username {}→{}", b.username, s.username));
    }
    if b.name != s.name {
        parts.push(format!("姓名 name {}→{}", b.name, s.name));
    }
    if b.badge != s.badge_no {
        parts.push(format!("工号 badge {}→{}", b.badge, s.badge_no));
    }
    if parts.is_empty() {
        return Ok(());
    }
    let subject = format!(
        "人员变更 · staff changed: {} #{id}: {}",
        s.username,
        parts.join("; ")
    );
    // A move between halls is written on the chain of the hall they join (or the
    // deployment chain when they leave every hall).
    let a = Append {
        hall: s.hall_id.or(b.hall),
        kind: "staff.changed",
        subject,
        source: None,
    };
    append(w, a, now()).await.map(|_| ())
}
