//! Browser storage and document helpers. Failures (private mode, quota) are
//! ignored on purpose: the page keeps working, it just forgets on reload.

/// Reads a value saved by [`save`], if the browser allows and has one.
pub fn load(key: &str) -> Option<String> {
    web_sys::window()?.local_storage().ok()??.get_item(key).ok()?
}

/// Saves a value for the next visit.
pub fn save(key: &str, value: &str) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(key, value);
    }
}

/// Sets `data-theme` on `<html>`, which style/main.css keys its colours on.
pub fn set_root_theme(theme: &str) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-theme", theme);
    }
}
