//! Operations: `backup`, `restore`, scheduled backups, and the data directory's lock.

pub mod backup;
pub mod lock;
pub mod restore;
pub mod schedule;
pub mod snapshot;
