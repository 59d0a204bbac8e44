//! 有序接办 · 先接先办: tickets and their states, numbering, the calling policy, the wait
//! estimate, the pad's rating and the day's figures derived from ticket logs.

pub mod accuracy;
pub mod estimate;
pub mod numbering;
pub mod policy;
pub mod rating;
pub mod stats;
pub mod ticket;
