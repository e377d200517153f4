//! The deterministic simulation core. Nothing here may depend on a web crate
//! (leptos, web-sys, wasm-bindgen, gloo): see `tests/boundary.rs`.

pub mod api;
pub mod apiserver;
pub mod cluster;
pub mod controllers;
pub mod network;
pub mod node;
pub mod random;
pub mod sorted;
pub mod system;
pub mod time;

/// `text` in double quotes with `"`, `\\` and control characters escaped, as
/// Go's `%q` prints a string in the messages we copy (Rust's `{:?}` escapes
/// other characters differently, so text the learner reads never uses it:
/// tests/boundary.rs checks).
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    // By hand rather than `char::escape_debug`, whose Unicode tables cost ~6 KiB
    // of wasm; other characters pass as they are (Debug would also escape
    // unprintable Unicode, which manifests do not carry).
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn quoted_matches_debug_formatting() {
        for text in ["abc", "", "it's", "a \"b\"", "tab\there\nnew", "back\\slash", "é ü 日本", "\u{7}"] {
            assert_eq!(super::quoted(text), format!("{text:?}"));
        }
    }
}
