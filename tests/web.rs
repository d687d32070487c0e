//! Browser tests of the app's components, in headless Chromium:
//! `wasm-pack test --headless --chrome --mode no-install`.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use smart1_app::App;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div.unchecked_into()
}

use wasm_bindgen::JsCast;

#[wasm_bindgen_test]
async fn the_app_mounts_with_header_footer_and_a_start_page() {
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), App);
    leptos::task::tick().await;
    let header = root
        .query_selector("[data-testid=site-header]")
        .unwrap()
        .expect("a header");
    assert!(header.text_content().unwrap().contains("smart #1"));
    let footer = root
        .query_selector("[data-testid=site-footer]")
        .unwrap()
        .expect("a footer");
    assert!(footer
        .query_selector("a[href='/imprint']")
        .unwrap()
        .is_some());
    assert!(
        root.query_selector("main h1").unwrap().is_some(),
        "the start page renders"
    );
}
