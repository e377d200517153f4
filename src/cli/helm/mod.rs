//! `helm`, the chart tool of the lab's Task 2: its template engine ([`template`]).

pub mod template;
