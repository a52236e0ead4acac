//! The saved draft, in localStorage — only when the user asks for it. Storage can be missing or
//! refused (sandboxed frames, blocked cookies): every access then quietly does nothing, since a
//! panic would take the widget down.

use web_sys::Storage;

use crate::draft::Draft;

fn local() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The draft saved under `key`, if there is one.
pub fn load(key: &str) -> Option<Draft> {
    let text = local()?.get_item(key).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

/// Whether a draft is saved under `key`.
pub fn exists(key: &str) -> bool {
    local()
        .and_then(|s| s.get_item(key).ok().flatten())
        .is_some()
}

/// Saves `draft` under `key`; a full or refused storage only loses the draft.
pub fn save(key: &str, draft: &Draft) {
    if let (Some(storage), Ok(text)) = (local(), serde_json::to_string(draft)) {
        let _ = storage.set_item(key, &text);
    }
}

/// Forgets the draft saved under `key`.
pub fn clear(key: &str) {
    if let Some(storage) = local() {
        let _ = storage.remove_item(key);
    }
}
