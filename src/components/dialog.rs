//! A modal dialog on the native `<dialog>` element: focus is trapped and Escape closes it.

use leptos::html;
use leptos::prelude::*;

#[component]
pub fn Modal(
    /// Whether the dialog is shown.
    #[prop(into)]
    open: Signal<bool>,
    /// Escape or a close button.
    on_close: Callback<()>,
    /// The id of the element that labels it (its heading).
    labelled_by: &'static str,
    #[prop(optional)] testid: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    Effect::new(move |_| {
        if let Some(d) = dialog.get() {
            if open.get() {
                if !d.open() {
                    let _ = d.show_modal();
                }
            } else if d.open() {
                d.close();
            }
        }
    });
    view! {
        <dialog
            node_ref=dialog
            aria-labelledby=labelled_by
            data-testid=testid
            on:cancel=move |ev: web_sys::Event| {
                ev.prevent_default();
                on_close.run(());
            }
        >
            {move || open.get().then(|| children())}
        </dialog>
    }
}
