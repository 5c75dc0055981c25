//! What operators run beside the player: `signage status` over many walls (`walls`) and the
//! service that starts the player with the PC (`service`).

pub mod service;
pub mod walls;
