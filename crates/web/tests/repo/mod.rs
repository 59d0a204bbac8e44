//! Checks of the repository itself (its map of the code stays true).

mod architecture;
