//! huiqi-widget: the 惠企自测 self-check as an embeddable yew app. It runs the engine in the
//! browser: the enterprise types its figures and sees, per program of its region, whether it
//! qualifies, why, what is missing, and the awards and tax savings to expect. Nothing it types
//! leaves the page.
//!
//! Portals embed it with `<huiqi-check region="620102" lang="zh-CN">` (the custom element in
//! `widget/js/huiqi-check.js`) or call `mount(element, options)`. Each instance renders into its
//! own open shadow root with an adopted stylesheet, so host CSS cannot reach in and its CSS cannot
//! leak out, and no inline script or style is needed under a strict CSP.

mod app;
mod components;
mod draft;
mod format;
mod i18n;
mod options;
mod plan;
mod storage;
mod style;

use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;
use yew::AppHandle;

use crate::app::{App, AppProps};
use crate::options::{RawOptions, Settings};

/// A mounted widget: change its options or take it down.
#[wasm_bindgen]
pub struct Widget {
    handle: Option<AppHandle<App>>,
    theme: web_sys::CssStyleSheet,
    revision: u32,
}

#[wasm_bindgen]
impl Widget {
    /// Applies new options (e.g. the `lang` attribute changed).
    pub fn update(&mut self, options: JsValue) -> Result<(), JsValue> {
        let settings = settings(options)?;
        style::set_theme(&self.theme, &settings.theme)?;
        self.revision = self.revision.wrapping_add(1);
        if let Some(handle) = &mut self.handle {
            handle.update(AppProps {
                settings,
                revision: self.revision,
            });
        }
        Ok(())
    }

    /// Unmounts the app; the shadow root is left empty.
    pub fn destroy(&mut self) {
        if let Some(handle) = self.handle.take() {
            handle.destroy();
        }
    }
}

/// Mounts the widget in `host`'s shadow root (created open if it has none) with `options`:
/// `{ region, lang, asOf, programs, theme: { accent, ink, surface, background }, draftKey }`.
#[wasm_bindgen]
pub fn mount(host: HtmlElement, options: JsValue) -> Result<Widget, JsValue> {
    let settings = settings(options)?;
    let (container, theme) = style::prepare(&host, &settings.theme)?;
    let props = AppProps {
        settings,
        revision: 0,
    };
    let handle = yew::Renderer::<App>::with_root_and_props(container, props).render();
    Ok(Widget {
        handle: Some(handle),
        theme,
        revision: 0,
    })
}

fn settings(options: JsValue) -> Result<Settings, JsValue> {
    let raw: RawOptions = if options.is_undefined() || options.is_null() {
        RawOptions::default()
    } else {
        serde_wasm_bindgen::from_value(options).map_err(|e| option_error(&e.to_string()))?
    };
    Settings::from_raw(raw, today()).map_err(|e| option_error(&e))
}

fn option_error(message: &str) -> JsValue {
    JsError::new(&format!("huiqi-check options: {message}")).into()
}

/// Today in the browser's time zone.
fn today() -> huiqi_engine::Date {
    let now = js_sys::Date::new_0();
    // The browser's calendar fields are always in range; fall back to the epoch date otherwise.
    huiqi_engine::Date::new(
        i16::try_from(now.get_full_year()).unwrap_or(2026),
        i8::try_from(now.get_month() + 1).unwrap_or(1),
        i8::try_from(now.get_date()).unwrap_or(1),
    )
    .unwrap_or_default()
}
