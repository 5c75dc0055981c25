//! The operating system, beside everything: platform differences (a console, the network
//! drive, freeing memory, fault drills), keeping the display awake, the process's own frame and
//! resource figures, and the supervising parent that restarts a player that dies or freezes.
//! Nothing here imports the rest of the crate.

pub mod inhibit;
pub mod platform;
pub mod stats;
pub mod supervise;
