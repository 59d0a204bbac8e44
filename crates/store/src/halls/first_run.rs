//! The first administrator of an empty database (`servicehall init`, a first-run page).

use crate::Result;
use crate::sql::SqlStore;
use crate::{HallStore, StoreError};
use crate::{Staff, StaffInput};
use async_trait::async_trait;
use servicehall_domain::Role;

/// Setting up a database from nothing.
#[async_trait]
pub trait FirstRunStore: Send + Sync + 'static {
    /// Whether any administrator exists, active or not.
    async fn has_admin(&self) -> Result<bool>;
    /// Creates the first administrator, or refuses with `Conflict` when one exists. The
    /// check and the insert are one transaction, so two runs at once create one.
    async fn create_first_admin(&self, input: &StaffInput, password_hash: &str) -> Result<Staff>;
}

/// The advisory-lock key that serialises first-run set-up on PostgreSQL (hall locks use
/// hall ids, which are positive). On SQLite `BEGIN IMMEDIATE` serialises it already.
const FIRST_RUN_LOCK: i64 = -0x5348_0001;

/// What `init` and the first-run page say when an administrator exists already.
pub const ADMIN_EXISTS: &str = "已有系统管理员，初始化已拒绝；请用已有管理员账号登录 /admin 添加人员 · \
an administrator exists already, so set-up was refused; sign in as that administrator and add people in /admin";

#[async_trait]
impl FirstRunStore for SqlStore {
    async fn has_admin(&self) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM staff WHERE role = $1")
            .bind(Role::Admin.as_str())
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    async fn create_first_admin(&self, s: &StaffInput, password_hash: &str) -> Result<Staff> {
        if s.role != Role::Admin || s.hall_id.is_some() {
            return Err(StoreError::Invalid(
                "首位管理员须为不属于营业厅的系统管理员 · the first account must be an administrator outside any hall".into(),
            ));
        }
        servicehall_domain::halls::check_staff(&s.username, &s.name, &s.badge_no, s.role, false)
            .map_err(|e| StoreError::Invalid(e.0))?;
        let mut w = self.begin().await?;
        if w.postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(FIRST_RUN_LOCK)
                .execute(&mut *w.tx)
                .await?;
        }
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM staff WHERE role = $1")
            .bind(Role::Admin.as_str())
            .fetch_one(&mut *w.tx)
            .await?;
        if n > 0 {
            return Err(StoreError::Conflict(ADMIN_EXISTS.into()));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO staff (hall_id, username, name, badge_no, role, password_hash, photo, active)
             VALUES (NULL, $1, $2, $3, $4, $5, '', 1) RETURNING id",
        )
        .bind(s.username.trim())
        .bind(s.name.trim())
        .bind(s.badge_no.trim())
        .bind(Role::Admin.as_str())
        .bind(password_hash)
        .fetch_one(&mut *w.tx)
        .await
        .map_err(|e| {
            StoreError::unique_as(
                e,
                format!("用户名 {} 已被使用 · username {} is taken", s.username, s.username),
            )
        })?;
        self.commit(w).await?;
        self.staff(id).await
    }
}
