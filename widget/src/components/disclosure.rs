//! A `<details>` whose content is built only once opened: quotes, full criteria lists and expired
//! programs stay out of the DOM until asked for, which keeps the first render fast.

use web_sys::HtmlDetailsElement;
use yew::prelude::*;

/// Props of [`Disclosure`].
#[derive(Properties, PartialEq)]
pub struct DisclosureProps {
    /// Classes of the `<details>`.
    #[prop_or_default]
    pub class: Classes,
    /// Classes of the `<summary>`.
    #[prop_or_default]
    pub summary_class: Classes,
    /// What the summary says.
    pub summary: Html,
    /// The content, rendered while open.
    #[prop_or_default]
    pub children: Html,
}

/// A lazily filled disclosure.
#[function_component(Disclosure)]
pub fn disclosure(props: &DisclosureProps) -> Html {
    let open = use_state_eq(|| false);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            let details: HtmlDetailsElement = e.target_unchecked_into();
            open.set(details.open());
        })
    };
    html! {
        <details class={props.class.clone()} {ontoggle}>
            <summary class={props.summary_class.clone()}>{ props.summary.clone() }</summary>
            if *open { { props.children.clone() } }
        </details>
    }
}
