//! Queue screens (有序接办): the kiosk and guide desk, the lobby display, the evaluator pad,
//! the slip and the customer's follow page.

mod display;
mod evaluator;
mod kiosk;
pub(crate) mod slip;

use crate::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(kiosk::routes())
        .merge(display::routes())
        .merge(evaluator::routes())
        .merge(slip::routes())
}
