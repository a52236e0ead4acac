//! The footer: print, download the result as JSON, keep a draft on this device (and clear it),
//! start over; with the evaluation date, the rules version and the caveat.

use gloo::timers::callback::Timeout;
use gloo::utils::{document, window};
use huiqi_engine::{Date, Lang};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    Blob, BlobPropertyBag, DocumentFragment, Element, HtmlAnchorElement, HtmlInputElement, Url,
};
use yew::prelude::*;

use crate::components::Shared;
use crate::draft::Outcome;
use crate::i18n::strings;

/// Props of [`Actions`].
#[derive(Properties, PartialEq)]
pub struct ActionsProps {
    pub lang: Lang,
    pub outcome: Shared<Outcome>,
    pub as_of: Date,
    /// Whether the draft is kept in localStorage.
    pub saving: bool,
    pub on_saving: Callback<bool>,
    pub on_reset: Callback<()>,
}

/// Offers the profile and its result as a JSON file, built in the page (no request).
fn download(outcome: &Outcome, as_of: Date) -> Result<(), JsValue> {
    let document_json = serde_json::json!({
        "as_of": as_of.to_string(),
        "profile": outcome.profile,
        "result": outcome.evaluation,
    });
    let text = serde_json::to_string_pretty(&document_json)
        .map_err(|e| JsValue::from_str(&e.to_string()))?;
    let options = BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = Blob::new_with_str_sequence_and_options(
        &js_sys::Array::of1(&JsValue::from_str(&text)),
        &options,
    )?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let link: HtmlAnchorElement = document().create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(&format!("huiqi-result-{as_of}.json"));
    link.click();
    // Revoking at once can cancel the download in some browsers.
    Timeout::new(60_000, move || {
        let _ = Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

/// Opens every program's criteria list in the shadow root holding `origin`, for print.
fn open_criteria(origin: &Element) {
    let Ok(root) = origin.get_root_node().dyn_into::<DocumentFragment>() else {
        return;
    };
    let Ok(lists) = root.query_selector_all(".hq-all-criteria") else {
        return;
    };
    for i in 0..lists.length() {
        if let Some(details) = lists.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
            // Setting a boolean attribute on a live element cannot fail.
            let _ = details.set_attribute("open", "");
        }
    }
}

/// The actions bar.
#[function_component(Actions)]
pub fn actions(props: &ActionsProps) -> Html {
    let lang = props.lang;
    let t = strings(lang);
    let on_print = Callback::from(|e: MouseEvent| {
        let origin: Element = e.target_unchecked_into();
        open_criteria(&origin);
        // Printing waits for the opened lists to render; a refusal (sandboxed frame) does nothing.
        Timeout::new(100, || {
            let _ = window().print();
        })
        .forget();
    });
    let on_download = {
        let (outcome, as_of) = (props.outcome.clone(), props.as_of);
        Callback::from(move |_: MouseEvent| {
            if let Err(e) = download(&outcome, as_of) {
                web_sys::console::error_1(&e);
            }
        })
    };
    let on_toggle = props.on_saving.reform(|e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        input.checked()
    });
    let on_clear = props.on_saving.reform(|_: MouseEvent| false);
    let on_reset = props.on_reset.reform(|_: MouseEvent| ());
    let version = props
        .outcome
        .evaluation
        .as_ref()
        .map(|e| e.rules_version.to_string())
        .unwrap_or_default();
    html! {
        <footer class="hq-foot">
            <div class="hq-actions">
                <button type="button" class="hq-btn hq-btn-primary" onclick={on_download}
                    disabled={props.outcome.evaluation.is_none()}>{ t.download }</button>
                <button type="button" class="hq-btn" onclick={on_print}>{ t.print }</button>
                <button type="button" class="hq-btn" onclick={on_reset}>{ t.reset }</button>
                <label class="hq-check">
                    <input type="checkbox" checked={props.saving} onchange={on_toggle} />
                    <span>{ t.save_draft }</span>
                </label>
                if props.saving {
                    <span class="hq-saved" role="status">{ t.draft_saved }</span>
                    <button type="button" class="hq-btn hq-btn-danger" onclick={on_clear}>{ t.clear_draft }</button>
                }
            </div>
            <p class="hq-meta">
                { t.pair(t.as_of, props.as_of) }
                if !version.is_empty() {
                    <span class="hq-version">{ format!(" · {}", t.pair(t.rules_version, version)) }</span>
                }
            </p>
            <p class="hq-meta">{ t.disclaimer }</p>
        </footer>
    }
}
