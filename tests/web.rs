//! Browser tests of the app's components, in headless Chromium:
//! `wasm-pack test --headless --chrome --mode no-install`.
#![cfg(target_arch = "wasm32")]

use domain::Catalog;
use smart1_app::App;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn window() -> web_sys::Window {
    web_sys::window().unwrap()
}

/// Mounts the whole app at `url` (German), in a fresh container.
fn mount_at(
    url: &str,
) -> (
    web_sys::HtmlElement,
    leptos::mount::UnmountHandle<impl leptos::tachys::view::Mountable>,
) {
    window()
        .local_storage()
        .unwrap()
        .unwrap()
        .set_item("smart1.lang", "de")
        .unwrap();
    window()
        .local_storage()
        .unwrap()
        .unwrap()
        .remove_item("smart1.draft")
        .unwrap();
    window()
        .history()
        .unwrap()
        .replace_state_with_url(&JsValue::NULL, "", Some(url))
        .unwrap();
    let document = window().document().unwrap();
    let div: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&div).unwrap();
    let handle = leptos::mount::mount_to(div.clone(), App);
    (div, handle)
}

fn find(root: &web_sys::HtmlElement, selector: &str) -> Option<web_sys::HtmlElement> {
    root.query_selector(selector)
        .unwrap()
        .map(|e| e.unchecked_into())
}

/// Lets the reactive system and the router settle until `done` holds (or gives up).
async fn until(mut done: impl FnMut() -> bool) -> bool {
    for _ in 0..100 {
        if done() {
            return true;
        }
        leptos::task::tick().await;
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            window()
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 5)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    }
    done()
}

fn text(root: &web_sys::HtmlElement, selector: &str) -> String {
    find(root, selector)
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn the_app_mounts_with_header_footer_and_a_start_page() {
    let (root, _handle) = mount_at("/");
    assert!(
        until(|| find(&root, "main h1").is_some()).await,
        "the start page renders"
    );
    let header = find(&root, "[data-testid=site-header]").expect("a header");
    assert!(header.text_content().unwrap().contains("smart #1"));
    let footer = find(&root, "[data-testid=site-footer]").expect("a footer");
    assert!(footer
        .query_selector("a[href='/imprint']")
        .unwrap()
        .is_some());
    root.remove();
}

#[wasm_bindgen_test]
async fn a_disabled_card_shows_its_reason() {
    let c = Catalog::current();
    let sel = c.select(&c.empty_selection(), "PREMIUM").unwrap();
    let (root, _handle) = mount_at(&format!("/configure?c={}&step=exterior", c.encode(&sel)));
    let card = "[data-testid=choice-PAINT_MATTE_GREY]";
    assert!(
        until(|| find(&root, card).is_some()).await,
        "the exterior step shows the paints"
    );
    let card = find(&root, card).unwrap();
    assert_eq!(
        card.get_attribute("data-status").as_deref(),
        Some("unavailable")
    );
    let reason = card
        .query_selector(".reason")
        .unwrap()
        .expect("a reason")
        .text_content()
        .unwrap();
    assert!(reason.contains("nur für die Linie BRABUS"), "{reason}");
    // An available card has no reason.
    let red = find(&root, "[data-testid=choice-PAINT_LASER_RED]").unwrap();
    assert!(red.query_selector(".reason").unwrap().is_none());
    root.remove();
}

#[wasm_bindgen_test]
async fn the_price_bar_follows_a_choice() {
    let c = Catalog::current();
    let (root, _handle) = mount_at(&format!(
        "/configure?c={}&step=line",
        c.encode(&c.empty_selection())
    ));
    assert!(until(|| text(&root, "[data-testid=price-total]").contains("37.490,00")).await);
    find(&root, "[data-testid=choice-PROPLUS]").unwrap().click();
    assert!(
        until(|| text(&root, "[data-testid=price-total]").contains("41.490,00")).await,
        "price after choosing Pro+: {}",
        text(&root, "[data-testid=price-total]")
    );
    assert!(text(&root, "[data-testid=price-monthly]").contains("/Monat"));
    assert!(window().location().search().unwrap().contains("step=line"));
    root.remove();
}

#[wasm_bindgen_test]
async fn a_code_in_the_url_restores_the_car() {
    let c = Catalog::current();
    let mut sel = c.empty_selection();
    for code in ["BRABUS", "PAINT_MATTE_GREY", "OPT_PRIVACY_GLASS"] {
        sel = c.select(&sel, code).unwrap();
    }
    let car = c.complete(&sel).unwrap();
    let expected = c.price(&car).gross.format(domain::Lang::De);
    let (root, _handle) = mount_at(&format!("/configure?c={}&step=options", c.encode(&sel)));
    assert!(
        until(|| text(&root, "[data-testid=price-total]") == expected).await,
        "{expected}"
    );
    let glass = find(&root, "[data-testid=choice-OPT_PRIVACY_GLASS]").unwrap();
    assert_eq!(glass.get_attribute("aria-pressed").as_deref(), Some("true"));
    let current = find(&root, "[aria-current=step]").unwrap();
    assert_eq!(
        current.get_attribute("data-testid").as_deref(),
        Some("step-options")
    );
    // A broken code still opens a car, with a message instead of a blank page.
    root.remove();
    let (root, _handle) = mount_at("/configure?c=1broken&step=line");
    assert!(until(|| find(&root, "[data-testid=code-problem]").is_some()).await);
    assert!(text(&root, "[data-testid=price-total]").contains("37.490,00"));
    root.remove();
}

/// Types into an input the way a person does: sets the value and fires `input`.
fn type_into(input: &web_sys::HtmlElement, value: &str) {
    let input: web_sys::HtmlInputElement = input.clone().unchecked_into();
    input.set_value(value);
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

#[wasm_bindgen_test]
async fn the_code_field_refuses_a_short_code_and_opens_a_good_one() {
    let (root, _handle) = mount_at("/");
    assert!(until(|| find(&root, "[data-testid=code-input]").is_some()).await);
    let input = find(&root, "[data-testid=code-input]").unwrap();
    let open = find(&root, "[data-testid=code-open]").unwrap();
    type_into(&input, "7KQ9-M3X");
    open.click();
    assert!(
        until(|| text(&root, "#handover-input-error").contains("8 Zeichen")).await,
        "a short code is explained"
    );
    assert_eq!(window().location().pathname().unwrap(), "/");
    // Lower case with a dash and spaces is what people type: it opens the code's page.
    type_into(&input, " 7kq9-m3xf ");
    open.click();
    assert!(
        until(|| window().location().pathname().unwrap() == "/h/7KQ9M3XF").await,
        "{}",
        window().location().pathname().unwrap()
    );
    root.remove();
}
