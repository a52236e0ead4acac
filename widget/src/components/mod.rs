//! The widget's components, one per file.

mod actions;
mod benefits;
mod criterion;
mod disclosure;
mod field;
mod finances;
mod form;
mod header;
mod ladder;
mod next;
mod program;
mod ratios;
mod region;
mod results;
mod statusbar;

pub use actions::Actions;
pub use form::Form;
pub use header::Header;
pub use next::NextQuestions;
pub use region::RegionPicker;
pub use results::Results;
pub use statusbar::StatusBar;

use std::ops::Deref;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{
    DocumentFragment, Element, HtmlElement, ScrollIntoViewOptions, ScrollLogicalPosition,
};

/// A memoised value handed down to components: equal when it is the same computation, so that
/// props compare in O(1) and types without `PartialEq` (engine descriptions) can be passed.
pub struct Shared<T>(pub Rc<T>);

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Rc::clone(&self.0))
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// The element id of the input typed into for `key` (unique within one shadow root).
pub fn input_id(key: &str) -> String {
    let mut id = String::from("hq-in-");
    id.extend(
        key.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }),
    );
    id
}

/// The element id of the error message of `key`.
pub fn error_id(key: &str) -> String {
    format!("{}-error", input_id(key))
}

/// Moves focus to the input for `key`, looked up in the shadow root that holds `origin`.
pub fn focus_input(origin: &Element, key: &str) {
    focus_element(origin, &input_id(key));
}

/// Scrolls to and focuses the element `id` of the shadow root that holds `origin`.
pub fn focus_element(origin: &Element, id: &str) {
    let Ok(root) = origin.get_root_node().dyn_into::<DocumentFragment>() else {
        return;
    };
    let Some(input) = root
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
    else {
        return;
    };
    let options = ScrollIntoViewOptions::new();
    options.set_block(ScrollLogicalPosition::Center);
    input.scroll_into_view_with_scroll_into_view_options(&options);
    // Focus can only fail on a detached element; nothing to do then.
    let _ = input.focus();
}
