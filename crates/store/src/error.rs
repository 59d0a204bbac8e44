use servicehall_domain::{MoneyError, RatingError, TransitionError};

/// What can go wrong in storage, sorted by what the caller should tell the user.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The named thing does not exist (→ 404).
    #[error("{0}")]
    NotFound(String),
    /// The request clashes with the current state (→ 409).
    #[error("{0}")]
    Conflict(String),
    /// The request itself is wrong (→ 422).
    #[error("{0}")]
    Invalid(String),
    /// The request reaches beyond what the caller may touch, e.g. an import naming halls
    /// outside the importer's region (→ 403).
    #[error("{0}")]
    Forbidden(String),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    /// Storage could not take the write (disk full, read-only file, writer gone): not the
    /// request's fault and not a clash, so → 503. The text is for people; the cause is
    /// logged where it happened.
    #[error("{0}")]
    Unavailable(String),
}

/// What a person sees when a write could not be stored.
pub const WRITE_FAILED: &str = "数据未能保存：数据库暂时无法写入（如磁盘已满），请稍后再试或联系管理员 · nothing was saved: the database cannot be written right now (e.g. the disk is full); try again shortly or tell the administrator";

/// What a person sees when the database cannot be reached (PostgreSQL down or away).
pub const DB_UNREACHABLE: &str = "数据库暂时无法连接，请稍候再试，恢复后系统自动继续 · the database cannot be reached right now; try again in a moment, service resumes by itself";

impl From<TransitionError> for StoreError {
    fn from(e: TransitionError) -> Self {
        Self::Conflict(e.to_string())
    }
}

impl From<MoneyError> for StoreError {
    fn from(e: MoneyError) -> Self {
        Self::Invalid(e.to_string())
    }
}

impl From<RatingError> for StoreError {
    fn from(e: RatingError) -> Self {
        Self::Invalid(e.to_string())
    }
}

impl StoreError {
    pub fn not_found(what: &str, key: impl std::fmt::Display) -> Self {
        Self::NotFound(format!("未找到 · no {what} {key}"))
    }

    /// The database could not be reached at all (no connection within the pool's time, or
    /// the connection broke), as opposed to refusing a statement.
    pub fn is_unreachable(&self) -> bool {
        matches!(
            self,
            Self::Db(sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_))
        )
    }

    /// Maps a unique-constraint violation to a conflict with `msg`; other errors pass.
    pub fn unique_as(e: sqlx::Error, msg: impl Into<String>) -> Self {
        match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => Self::Conflict(msg.into()),
            _ => Self::Db(e),
        }
    }
}
