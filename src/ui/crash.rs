//! What happens when the app panics. A panic in wasm ends the program (the
//! release build aborts), so the page cannot carry on; what it can do is say so
//! plainly, keep the learner's work, and come back clean after a reload:
//!
//! * the message and its source location go to the console (through
//!   `console_error_panic_hook`, with the JavaScript stack);
//! * a banner drawn with plain DOM calls (the Leptos runtime may be mid-update
//!   and is not touched again) says what happened, that the manifest is kept
//!   (it is saved on every edit), and offers Reload;
//! * a mark in localStorage makes the next load start a fresh cluster instead
//!   of replaying the saved session, which might panic again at the same
//!   moment (the engine is deterministic).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::storage;

/// localStorage key of the message of a panic the last visit stopped on.
pub const CRASHED_KEY: &str = "sts-playground.crashed";

/// Installs the hook; call before anything else runs.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let message = info.to_string();
        storage::save(CRASHED_KEY, &message);
        show_banner(&message);
    }));
}

/// The message of a panic the last visit stopped on, cleared once read.
pub fn take_last_crash() -> Option<String> {
    let message = storage::load(CRASHED_KEY)?;
    storage::remove(CRASHED_KEY);
    Some(message)
}

/// Draws the banner once (a second panic while drawing adds nothing).
fn show_banner(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(body) = document.body() else { return };
    if document.get_element_by_id("crash-banner").is_some() {
        return;
    }
    let element = |tag: &str, text: &str| {
        let node = document.create_element(tag).ok()?;
        node.set_text_content(Some(text));
        Some(node)
    };
    let Some(banner) = element("div", "") else { return };
    banner.set_id("crash-banner");
    let _ = banner.set_attribute("class", "crash-banner");
    let _ = banner.set_attribute("role", "alert");
    let _ = banner.set_attribute("data-testid", "crash-banner");
    let parts = [
        element("strong", "The playground stopped on an internal error."),
        element("p", "Your manifest is saved in this browser. Reload to carry on: the cluster starts afresh from it."),
        element("pre", message),
        element("button", "Reload"),
    ];
    for part in parts.into_iter().flatten() {
        let _ = banner.append_child(&part);
    }
    if let Some(button) = banner.last_element_child() {
        let _ = button.set_attribute("data-testid", "crash-reload");
        let reload = Closure::once_into_js(|| {
            if let Some(window) = web_sys::window() {
                let _ = window.location().reload();
            }
        });
        let _ = button.add_event_listener_with_callback("click", reload.unchecked_ref());
    }
    let _ = body.prepend_with_node_1(&banner);
}

/// Lets the browser tests prove the hook works: they call this export (Trunk
/// publishes the exports as `window.wasmBindings`). Nothing in the page calls it.
#[wasm_bindgen]
pub fn playground_self_test_panic() {
    panic!("self-test panic requested by the page's test harness");
}
