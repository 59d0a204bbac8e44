//! Checks of the repository itself: its map of the code stays true, and every error
//! message the web crate writes is bilingual.

mod architecture;
mod bilingual_errors;
