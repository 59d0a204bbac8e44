//! 管理客户满意 · 内查外评 · 关键时刻: satisfaction figures, surveys, observations, the
//! emotion curve. Pure: the store counts, these functions decide what the counts mean.

pub mod curve;
pub mod indices;
pub mod observation;
pub mod period;
pub mod survey;
#[cfg(test)]
mod tests;
pub mod touchpoint;

pub use indices::{
    CsiWeights, Dimension, Figure, Figures, IndexConfig, LevelCounts, RecommendCounts,
};
