//! A hall's case configuration as an administrator edits it: clock settings (warning shares,
//! pause cap) and the processes of each kind, seeded from the defaults on first use.

use crate::sql::SqlStore;
use crate::{ConfiguredProcess, HallStore, Result, StoreError, StoredCaseSettings};
use async_trait::async_trait;
use servicehall_domain::cases::{CaseKind, CaseSettings, CustomerClass, Process, default_process};
use sqlx::{AnyConnection, Row};

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(format!("{what}: {e}").into()))
}

fn to_u32(what: &str, v: i64) -> Result<u32> {
    u32::try_from(v).map_err(|e| corrupt(what, e))
}

/// The process key: applications per business type and class; other kinds per kind only.
pub(crate) fn process_key(
    kind: CaseKind,
    business_type_id: Option<i64>,
    class: CustomerClass,
) -> (i64, &'static str) {
    if kind == CaseKind::Application {
        (business_type_id.unwrap_or(0), class.as_str())
    } else {
        (0, "any")
    }
}

/// The hall's settings as stored (the defaults when none are).
pub(crate) async fn settings_on(
    conn: &mut AnyConnection,
    hall_id: i64,
) -> Result<StoredCaseSettings> {
    let row = sqlx::query("SELECT owner_permille, manager_permille, pause_cap_hours, updated_at, updated_by FROM case_settings WHERE hall_id = $1")
        .bind(hall_id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(r) = row else {
        return Ok(StoredCaseSettings {
            settings: CaseSettings::default(),
            updated_at: None,
            updated_by: None,
        });
    };
    Ok(StoredCaseSettings {
        settings: CaseSettings {
            owner_permille: to_u32("case_settings.owner_permille", r.try_get("owner_permille")?)?,
            manager_permille: to_u32(
                "case_settings.manager_permille",
                r.try_get("manager_permille")?,
            )?,
            pause_cap_hours: to_u32(
                "case_settings.pause_cap_hours",
                r.try_get("pause_cap_hours")?,
            )?,
        },
        updated_at: Some(r.try_get("updated_at")?),
        updated_by: r.try_get("updated_by")?,
    })
}

#[async_trait]
impl CaseSettingsStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.cases.settings.case_process", fields(hall = hall_id))]
    async fn case_process(
        &self,
        hall_id: i64,
        kind: CaseKind,
        business_type_id: Option<i64>,
        class: CustomerClass,
    ) -> Result<Process> {
        let (bt, cls) = process_key(kind, business_type_id, class);
        let q = || {
            sqlx::query_scalar::<_, String>("SELECT definition FROM case_processes WHERE hall_id = $1 AND kind = $2 AND business_type_id = $3 AND customer_class = $4")
                .bind(hall_id)
                .bind(kind.as_str())
                .bind(bt)
                .bind(cls)
        };
        if let Some(def) = q().fetch_optional(&self.pool).await? {
            return serde_json::from_str(&def).map_err(|e| corrupt("case_processes.definition", e));
        }
        let code = match business_type_id {
            Some(id) => Some(self.business_type(id).await?.code),
            None => None,
        };
        let p = default_process(kind, code.as_deref(), class);
        let mut w = self.begin().await?;
        sqlx::query("INSERT INTO case_processes (hall_id, kind, business_type_id, customer_class, definition, updated_at) VALUES ($1, $2, $3, $4, $5, 0) ON CONFLICT (hall_id, kind, business_type_id, customer_class) DO NOTHING")
            .bind(hall_id)
            .bind(kind.as_str())
            .bind(bt)
            .bind(cls)
            .bind(serde_json::to_string(&p).map_err(|e| corrupt("process", e))?)
            .execute(&mut *w.tx)
            .await?;
        self.commit(w).await?;
        let def = q().fetch_one(&self.pool).await?;
        serde_json::from_str(&def).map_err(|e| corrupt("case_processes.definition", e))
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.cases.settings.set_case_process", fields(hall = hall_id))]
    async fn set_case_process(
        &self,
        hall_id: i64,
        kind: CaseKind,
        business_type_id: Option<i64>,
        class: CustomerClass,
        process: &Process,
        now: i64,
    ) -> Result<()> {
        process.validate().map_err(StoreError::Invalid)?;
        self.hall(hall_id).await?;
        let (bt, cls) = process_key(kind, business_type_id, class);
        let def = serde_json::to_string(process).map_err(|e| corrupt("process", e))?;
        let mut w = self.begin().await?;
        sqlx::query("INSERT INTO case_processes (hall_id, kind, business_type_id, customer_class, definition, updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (hall_id, kind, business_type_id, customer_class) DO UPDATE SET definition = $5, updated_at = $6")
            .bind(hall_id)
            .bind(kind.as_str())
            .bind(bt)
            .bind(cls)
            .bind(def)
            .bind(now)
            .execute(&mut *w.tx)
            .await?;
        self.commit(w).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.cases.settings.case_settings", fields(hall = hall_id))]
    async fn case_settings(&self, hall_id: i64) -> Result<StoredCaseSettings> {
        self.hall(hall_id).await?;
        let mut conn = self.pool.acquire().await?;
        settings_on(&mut conn, hall_id).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.cases.settings.set_case_settings", fields(hall = hall_id))]
    async fn set_case_settings(
        &self,
        hall_id: i64,
        settings: &CaseSettings,
        by: i64,
        now: i64,
    ) -> Result<StoredCaseSettings> {
        settings.validate().map_err(StoreError::Invalid)?;
        self.hall(hall_id).await?;
        let mut w = self.begin().await?;
        sqlx::query("INSERT INTO case_settings (hall_id, owner_permille, manager_permille, pause_cap_hours, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (hall_id) DO UPDATE SET owner_permille = $2, manager_permille = $3, pause_cap_hours = $4, updated_at = $5, updated_by = $6")
            .bind(hall_id)
            .bind(i64::from(settings.owner_permille))
            .bind(i64::from(settings.manager_permille))
            .bind(i64::from(settings.pause_cap_hours))
            .bind(now)
            .bind(by)
            .execute(&mut *w.tx)
            .await?;
        let stored = settings_on(&mut w.tx, hall_id).await?;
        self.commit(w).await?;
        Ok(stored)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.cases.settings.configured_processes", fields(hall = hall_id))]
    async fn configured_processes(&self, hall_id: i64) -> Result<Vec<ConfiguredProcess>> {
        self.hall(hall_id).await?;
        let rows = sqlx::query("SELECT kind, business_type_id, customer_class, definition, updated_at FROM case_processes WHERE hall_id = $1 ORDER BY kind, business_type_id, customer_class")
            .bind(hall_id)
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let kind: String = r.try_get("kind")?;
            let bt: i64 = r.try_get("business_type_id")?;
            let class: String = r.try_get("customer_class")?;
            let def: String = r.try_get("definition")?;
            let process: Process =
                serde_json::from_str(&def).map_err(|e| corrupt("case_processes.definition", e))?;
            out.push(ConfiguredProcess {
                kind: kind
                    .parse::<CaseKind>()
                    .map_err(|e| corrupt("case_processes.kind", e))?,
                business_type_id: (bt != 0).then_some(bt),
                customer_class: class.parse::<CustomerClass>().ok(),
                process,
                updated_at: r.try_get("updated_at")?,
            });
        }
        Ok(out)
    }
}

/// A hall's case configuration (时限配置) as an administrator edits it: clock settings and
/// the processes of each kind.
#[async_trait]
pub trait CaseSettingsStore: Send + Sync + 'static {
    /// The hall's process for a case, seeded from the built-in defaults on first use.
    async fn case_process(
        &self,
        hall_id: i64,
        kind: servicehall_domain::cases::CaseKind,
        business_type_id: Option<i64>,
        class: servicehall_domain::cases::CustomerClass,
    ) -> Result<servicehall_domain::cases::Process>;
    /// Replaces the hall's process (configuration); open cases keep the steps they have.
    async fn set_case_process(
        &self,
        hall_id: i64,
        kind: servicehall_domain::cases::CaseKind,
        business_type_id: Option<i64>,
        class: servicehall_domain::cases::CustomerClass,
        process: &servicehall_domain::cases::Process,
        now: i64,
    ) -> Result<()>;
    /// The hall's clock settings (the defaults until an administrator saves some).
    async fn case_settings(&self, hall_id: i64) -> Result<StoredCaseSettings>;
    /// Saves the hall's clock settings; cases opened afterwards keep them, open ones keep theirs.
    async fn set_case_settings(
        &self,
        hall_id: i64,
        settings: &CaseSettings,
        by: i64,
        now: i64,
    ) -> Result<StoredCaseSettings>;
    /// The processes the hall has stored (edited or seeded), in a stable order.
    async fn configured_processes(&self, hall_id: i64) -> Result<Vec<ConfiguredProcess>>;
}
