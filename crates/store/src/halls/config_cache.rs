//! A short-lived in-process copy of each hall's configuration — the hall and its business
//! types — which every ticket, slip and screen reads several times, and of the devices
//! (kiosks, displays, pads) whose token comes with every request they make. Writes through
//! this store clear it at once; another node sees an administrator's change — a revoked
//! device token included — within [`TTL`]. Unknown tokens are never cached, so guessing
//! cannot fill it.

use crate::{BusinessType, Device, Hall};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub(crate) const TTL: Duration = Duration::from_secs(5);

#[derive(Default)]
pub(crate) struct ConfigCache {
    halls: Mutex<HashMap<i64, (Instant, Hall)>>,
    types: Mutex<HashMap<i64, (Instant, Vec<BusinessType>)>>,
    /// By token hash; active devices only.
    devices: Mutex<HashMap<String, (Instant, Device)>>,
}

fn fresh(at: &Instant) -> bool {
    at.elapsed() < TTL
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

    /// Forgets everything: called by every write to halls or business types.
    pub(crate) fn clear(&self) {
        if let Ok(mut m) = self.halls.lock() {
            m.clear();
        }
        if let Ok(mut m) = self.types.lock() {
            m.clear();
        }
    }
}
