//! The counter's own rules: 唱收唱付 (reading amounts back to the customer) in whole fen.

pub mod read_back;
