//! The terminal: a small shell with kubectl, used by the browser terminal and by
//! the `sts-replay` command alike.

pub mod render;
pub mod shell;
pub mod table;
