//! Halls and their set-up (administrator): business types, counters, staff, devices. The
//! trait, its rows (model.rs), its SQL (sql.rs, counter_rows.rs) and the configuration cache
//! every request reads (config_cache.rs).

pub(crate) mod config_cache;
mod counter_rows;
mod file;
mod first_run;
mod model;
mod notice;
mod photos;
mod sql;

pub use file::{HallFileStore, HallImport, catalogue_file_name};
pub use first_run::{ADMIN_EXISTS, FirstRunStore};
pub use model::*;
pub use photos::{StaffPhotoFile, StaffPhotoInput, StaffPhotoStore, staff_photo_url};

use crate::Result;
use crate::{Counter, CounterInput};
use async_trait::async_trait;

/// Halls and their set-up: business types, counters, staff, devices (administrator).
#[async_trait]
pub trait HallStore: Send + Sync + 'static {
    async fn create_hall(&self, input: &HallInput) -> Result<Hall>;
    async fn update_hall(&self, id: i64, input: &HallInput) -> Result<Hall>;
    async fn halls(&self) -> Result<Vec<Hall>>;
    async fn hall(&self, id: i64) -> Result<Hall>;
    async fn hall_by_code(&self, code: &str) -> Result<Hall>;
    /// Sets how many tickets ahead the phone page starts warning its customer (0 to
    /// [`MAX_NOTIFY_AHEAD`]), with an audit row; `None` when the value did not change.
    async fn change_notify_ahead(
        &self,
        hall_id: i64,
        notify_ahead: u32,
        by: Option<i64>,
        now: i64,
    ) -> Result<Option<crate::SettingChange>>;

    async fn create_business_type(
        &self,
        hall_id: i64,
        input: &BusinessTypeInput,
    ) -> Result<BusinessType>;
    async fn update_business_type(
        &self,
        id: i64,
        input: &BusinessTypeInput,
    ) -> Result<BusinessType>;
    async fn business_types(&self, hall_id: i64) -> Result<Vec<BusinessType>>;
    async fn business_type(&self, id: i64) -> Result<BusinessType>;

    async fn create_counter(&self, hall_id: i64, input: &CounterInput) -> Result<Counter>;
    async fn update_counter(&self, id: i64, input: &CounterInput) -> Result<Counter>;
    async fn counters(&self, hall_id: i64) -> Result<Vec<Counter>>;
    async fn counter(&self, id: i64) -> Result<Counter>;

    async fn create_staff(&self, input: &StaffInput, password_hash: &str) -> Result<Staff>;
    async fn update_staff(&self, id: i64, input: &StaffInput) -> Result<Staff>;
    async fn set_password(&self, id: i64, password_hash: &str) -> Result<()>;
    async fn staff_list(&self, hall_id: Option<i64>) -> Result<Vec<Staff>>;
    async fn staff(&self, id: i64) -> Result<Staff>;
    /// The staff member and their password hash, for sign-in.
    async fn staff_login(&self, username: &str) -> Result<Option<(Staff, String)>>;

    async fn create_device(
        &self,
        hall_id: i64,
        counter_id: Option<i64>,
        kind: servicehall_domain::DeviceKind,
        name: &str,
        token_hash: &str,
        now: i64,
    ) -> Result<Device>;
    async fn devices(&self, hall_id: i64) -> Result<Vec<Device>>;
    async fn revoke_device(&self, id: i64) -> Result<()>;
}
