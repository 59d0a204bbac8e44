//! A short-lived in-process copy of each hall's configuration — the hall and its business
//! types — which every ticket, slip and screen reads several times, and of the devices
//! (kiosks, displays, pads) whose token comes with every request they make. Writes through
//! this store clear it at once; another node sees an administrator's change — a revoked
//! device token included — within [`TTL`]. Unknown tokens are never cached, so guessing
//! cannot fill it.
//!
//! Three facts every ticket issue checks are kept for [`FLAG_TTL`] only: whether the hall
//! is run by its edge, its active incidents (a reduced kiosk), and whether any on-time
//! booking waits for a business type today. Another node's change to them takes effect
//! within a second; the edge hand-over waits that second out before it reads the open
//! tickets (edge/handover.rs).

use crate::{BusinessType, Device, Hall, Incident};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub(crate) const TTL: Duration = Duration::from_secs(5);
pub(crate) const FLAG_TTL: Duration = Duration::from_secs(1);

/// One hall's per-issue facts, each with the moment it was read.
#[derive(Default)]
struct Flags {
    /// The name of the edge that runs the hall, if one does.
    edge: Option<(Instant, Option<String>)>,
    incidents: Option<(Instant, Vec<Incident>)>,
    /// Per business type: the service day on which no on-time booking was waiting.
    no_bookings: HashMap<i64, (String, Instant)>,
}

#[derive(Default)]
pub(crate) struct ConfigCache {
    halls: Mutex<HashMap<i64, (Instant, Hall)>>,
    types: Mutex<HashMap<i64, (Instant, Vec<BusinessType>)>>,
    /// By token hash; active devices only.
    devices: Mutex<HashMap<String, (Instant, Device)>>,
    flags: Mutex<HashMap<i64, Flags>>,
}

fn fresh(at: &Instant) -> bool {
    at.elapsed() < TTL
}

fn fresh_flag(at: &Instant) -> bool {
    at.elapsed() < FLAG_TTL
}

impl ConfigCache {
    pub(crate) fn hall(&self, id: i64) -> Option<Hall> {
        let m = self.halls.lock().ok()?;
        m.get(&id)
            .filter(|(at, _)| fresh(at))
            .map(|(_, h)| h.clone())
    }

    pub(crate) fn hall_by_code(&self, code: &str) -> Option<Hall> {
        let m = self.halls.lock().ok()?;
        m.values()
            .find(|(at, h)| fresh(at) && h.code == code)
            .map(|(_, h)| h.clone())
    }

    pub(crate) fn put_hall(&self, h: &Hall) {
        if let Ok(mut m) = self.halls.lock() {
            m.insert(h.id, (Instant::now(), h.clone()));
        }
    }

    pub(crate) fn types(&self, hall_id: i64) -> Option<Vec<BusinessType>> {
        let m = self.types.lock().ok()?;
        m.get(&hall_id)
            .filter(|(at, _)| fresh(at))
            .map(|(_, t)| t.clone())
    }

    pub(crate) fn business_type(&self, id: i64) -> Option<BusinessType> {
        let m = self.types.lock().ok()?;
        m.values()
            .filter(|(at, _)| fresh(at))
            .find_map(|(_, ts)| ts.iter().find(|b| b.id == id).cloned())
    }

    pub(crate) fn put_types(&self, hall_id: i64, types: &[BusinessType]) {
        if let Ok(mut m) = self.types.lock() {
            m.insert(hall_id, (Instant::now(), types.to_vec()));
        }
    }

    pub(crate) fn device(&self, token_hash: &str) -> Option<Device> {
        let m = self.devices.lock().ok()?;
        m.get(token_hash)
            .filter(|(at, _)| fresh(at))
            .map(|(_, d)| d.clone())
    }

    pub(crate) fn put_device(&self, token_hash: &str, d: &Device) {
        if let Ok(mut m) = self.devices.lock() {
            m.insert(token_hash.to_string(), (Instant::now(), d.clone()));
        }
    }

    /// Forgets the devices: called by every write to devices.
    pub(crate) fn clear_devices(&self) {
        if let Ok(mut m) = self.devices.lock() {
            m.clear();
        }
    }

    /// The edge running the hall (`Some(None)`: none does), if read within [`FLAG_TTL`].
    pub(crate) fn edge(&self, hall_id: i64) -> Option<Option<String>> {
        let m = self.flags.lock().ok()?;
        let (at, edge) = m.get(&hall_id)?.edge.as_ref()?;
        fresh_flag(at).then(|| edge.clone())
    }

    pub(crate) fn put_edge(&self, hall_id: i64, edge: Option<String>) {
        if let Ok(mut m) = self.flags.lock() {
            m.entry(hall_id).or_default().edge = Some((Instant::now(), edge));
        }
    }

    pub(crate) fn incidents(&self, hall_id: i64) -> Option<Vec<Incident>> {
        let m = self.flags.lock().ok()?;
        let (at, list) = m.get(&hall_id)?.incidents.as_ref()?;
        fresh_flag(at).then(|| list.clone())
    }

    pub(crate) fn put_incidents(&self, hall_id: i64, list: &[Incident]) {
        if let Ok(mut m) = self.flags.lock() {
            m.entry(hall_id).or_default().incidents = Some((Instant::now(), list.to_vec()));
        }
    }

    /// True when, within [`FLAG_TTL`], no on-time booking was waiting for the type that day.
    pub(crate) fn no_bookings(&self, hall_id: i64, business_type_id: i64, day: &str) -> bool {
        let Ok(m) = self.flags.lock() else {
            return false;
        };
        m.get(&hall_id)
            .and_then(|f| f.no_bookings.get(&business_type_id))
            .is_some_and(|(d, at)| d == day && fresh_flag(at))
    }

    pub(crate) fn put_no_bookings(&self, hall_id: i64, business_type_id: i64, day: &str) {
        if let Ok(mut m) = self.flags.lock() {
            m.entry(hall_id)
                .or_default()
                .no_bookings
                .insert(business_type_id, (day.to_string(), Instant::now()));
        }
    }

    /// Forgets a hall's per-issue facts: called by every write to its incidents, its
    /// bookings' tickets and its edge.
    pub(crate) fn forget_flags(&self, hall_id: i64) {
        if let Ok(mut m) = self.flags.lock() {
            m.remove(&hall_id);
        }
    }

    /// Forgets everything: called by every write to halls or business types.
    pub(crate) fn clear(&self) {
        if let Ok(mut m) = self.flags.lock() {
            m.clear();
        }
        if let Ok(mut m) = self.halls.lock() {
            m.clear();
        }
        if let Ok(mut m) = self.types.lock() {
            m.clear();
        }
    }
}
