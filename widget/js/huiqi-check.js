// <huiqi-check>: the 惠企自测 self-check as a custom element, and mount(element, options) for
// portals that prefer a call. wasm-bindgen cannot subclass HTMLElement, so this small class does
// it and hands each element to the Rust `mount`, which renders into the element's shadow root.
//
//   <script type="module" src="/widget/huiqi-check.js"></script>
//   <huiqi-check region="620102" lang="zh-CN"></huiqi-check>
//
// Attributes: region, lang, as-of, programs (ids, comma-separated), draft-key, theme-accent,
// theme-ink, theme-surface, theme-background. The element fires `huiqi-ready` once interactive.

import init, { mount as mountWasm } from './huiqi_widget.js';

// The wasm file sits next to this module; it is fetched once per page, whatever the instances.
let loading = null;
function ready() {
  loading ??= init({ module_or_path: new URL('huiqi_widget_bg.wasm', import.meta.url) });
  return loading;
}

const THEME = ['accent', 'ink', 'surface', 'background'];
const ATTRIBUTES = ['region', 'lang', 'as-of', 'programs', 'draft-key', ...THEME.map((k) => `theme-${k}`)];

function optionsFrom(element) {
  const options = {};
  const text = (name) => element.getAttribute(name)?.trim() || undefined;
  if (text('region')) options.region = text('region');
  if (text('lang')) options.lang = text('lang');
  if (text('as-of')) options.asOf = text('as-of');
  if (text('draft-key')) options.draftKey = text('draft-key');
  if (text('programs')) options.programs = text('programs').split(/[\s,]+/).filter(Boolean);
  const theme = {};
  for (const key of THEME) {
    if (text(`theme-${key}`)) theme[key] = text(`theme-${key}`);
  }
  if (Object.keys(theme).length > 0) options.theme = theme;
  return options;
}

/**
 * Mounts the self-check in `element` (an open shadow root is created if it has none).
 * @param {HTMLElement} element
 * @param {{region?: string, lang?: string, asOf?: string, programs?: string[],
 *          theme?: {accent?: string, ink?: string, surface?: string, background?: string},
 *          draftKey?: string}} [options]
 * @returns {Promise<{update(options: object): void, destroy(): void}>}
 */
export async function mount(element, options = {}) {
  await ready();
  const widget = mountWasm(element, options);
  // yew renders in a microtask: once a task has passed, the form is in place and answers input.
  await new Promise((resolve) => setTimeout(resolve, 0));
  element.toggleAttribute('data-huiqi-ready', true);
  element.dispatchEvent(new CustomEvent('huiqi-ready', { bubbles: true, composed: true }));
  return widget;
}

class HuiqiCheck extends HTMLElement {
  static observedAttributes = ATTRIBUTES;
  #widget = null;
  #mounting = null;

  connectedCallback() {
    if (this.#widget || this.#mounting) return;
    this.#mounting = mount(this, optionsFrom(this))
      .then((widget) => {
        this.#widget = widget;
        // An attribute may have changed while the module loaded.
        widget.update(optionsFrom(this));
      })
      .catch((error) => console.error('huiqi-check:', error))
      .finally(() => {
        this.#mounting = null;
      });
  }

  attributeChangedCallback() {
    if (!this.#widget) return;
    try {
      this.#widget.update(optionsFrom(this));
    } catch (error) {
      console.error('huiqi-check:', error);
    }
  }

  disconnectedCallback() {
    // Moving the element fires disconnect then connect: only tear down if it stays out.
    queueMicrotask(() => {
      if (!this.isConnected && this.#widget) {
        this.#widget.destroy();
        this.#widget.free();
        this.#widget = null;
      }
    });
  }
}

if (!customElements.get('huiqi-check')) {
  customElements.define('huiqi-check', HuiqiCheck);
}
