//! Styles: one constructed stylesheet shared by every instance, plus a small per-instance sheet of
//! theme colours, both adopted by the instance's shadow root. Constructed sheets need neither
//! `<style>` elements nor `style` attributes, so a strict CSP without `'unsafe-inline'` holds.

use wasm_bindgen::prelude::*;
use web_sys::{CssStyleSheet, Element, HtmlElement, ShadowRootInit, ShadowRootMode};

use crate::options::Theme;

const CSS: &str = include_str!("style.css");

thread_local! {
    static BASE: Result<CssStyleSheet, JsValue> = CssStyleSheet::new().and_then(|sheet| {
        sheet.replace_sync(CSS)?;
        Ok(sheet)
    });
}

/// Readies `host`'s shadow root (created open if missing, emptied otherwise) with the styles and
/// returns the element to render into and the theme sheet.
pub fn prepare(host: &HtmlElement, theme: &Theme) -> Result<(Element, CssStyleSheet), JsValue> {
    let shadow = match host.shadow_root() {
        Some(shadow) => shadow,
        None => host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?,
    };
    let base = BASE.with(|base| base.clone())?;
    let theme_sheet = CssStyleSheet::new()?;
    set_theme(&theme_sheet, theme)?;
    shadow.set_adopted_style_sheets(&js_sys::Array::of2(&base, &theme_sheet));
    shadow.set_inner_html("");
    let container = host
        .owner_document()
        .ok_or_else(|| JsValue::from_str("huiqi-check: host element has no document"))?
        .create_element("div")?;
    container.set_class_name("hq-host");
    shadow.append_child(&container)?;
    Ok((container, theme_sheet))
}

/// Writes the theme colours into the instance's theme sheet.
pub fn set_theme(sheet: &CssStyleSheet, theme: &Theme) -> Result<(), JsValue> {
    let css = theme
        .to_css()
        .map_err(|e| JsValue::from(JsError::new(&format!("huiqi-check options: {e}"))))?;
    sheet.replace_sync(&css)
}
