//! Navigation is leptos_router's (the `<Router>` and `<FlatRoutes>` of each build in `lib.rs`);
//! this is the thin adapter for the one thing it does not know: the app ships as several builds
//! (`domain::pages::Bundle`), and a page of another build is an ordinary page load. Links,
//! `navigate` and the route table's fallback ask the build first; pages use the router's names.

use domain::pages::Bundle;
use leptos::prelude::*;
pub use leptos_router::hooks::{use_params_map, use_query_map};
pub use leptos_router::params::ParamsMap;

/// The build this document runs.
#[derive(Clone, Copy)]
struct ThisBuild(Bundle);

fn this_build() -> Bundle {
    use_context::<ThisBuild>()
        .map(|b| b.0)
        .unwrap_or(Bundle::Shop)
}

fn location() -> web_sys::Location {
    web_sys::window().expect("a browser window").location()
}

/// Marks the document as build `this`. Inside the `<Router>`: whenever the URL becomes one this
/// build does not serve (the browser's back button, a plain link the router caught, a query
/// such as the summary step), the page is loaded from the server, which sends its build.
pub fn provide_nav(this: Bundle) {
    provide_context(ThisBuild(this));
}

/// Loads the page from the server when the router's URL is not this build's. Not offline: the
/// service worker would answer with the page it has, again and again.
pub fn follow_bundle_boundary() {
    let this = this_build();
    let at = leptos_router::hooks::use_location();
    Effect::new(move |_| {
        let (path, query) = (at.pathname.get(), at.search.get());
        if !this.serves(&path, &query) && crate::offline::is_online() {
            let _ = location().reload();
        }
    });
}

/// `/configure?c=X#top` as (`/configure`, `c=X`).
fn split_url(url: &str) -> (&str, &str) {
    let url = url.split('#').next().unwrap_or(url);
    url.split_once('?').unwrap_or((url, ""))
}

#[derive(Clone, Copy, Debug)]
pub struct NavigateOptions {
    /// Replace the current history entry instead of adding one.
    pub replace: bool,
    /// Scroll to the top (a new page or step).
    pub scroll: bool,
}

impl Default for NavigateOptions {
    fn default() -> Self {
        NavigateOptions {
            replace: false,
            scroll: true,
        }
    }
}

/// leptos_router's `navigate(url, options)`; a URL of another build loads that page.
pub fn use_navigate() -> impl Fn(&str, NavigateOptions) + Clone + 'static {
    let this = this_build();
    let navigate = leptos_router::hooks::use_navigate();
    move |url: &str, options: NavigateOptions| {
        let (path, query) = split_url(url);
        if this.serves(path, query) {
            navigate(
                url,
                leptos_router::NavigateOptions {
                    replace: options.replace,
                    scroll: options.scroll,
                    ..Default::default()
                },
            );
        } else if options.replace {
            let _ = location().replace(url);
        } else {
            let _ = location().assign(url);
        }
    }
}

/// The current path (`/store/hamburg-02`); changes with every navigation.
pub fn use_path() -> Signal<String> {
    leptos_router::hooks::use_location().pathname.into()
}

/// The route table's fallback: "not found" for a path of this build, else (the page is being
/// loaded from the server) a line saying so.
pub fn fallback(not_found: fn() -> AnyView) -> AnyView {
    let (path, query) = (
        location().pathname().unwrap_or_default(),
        location().search().unwrap_or_default(),
    );
    if this_build().serves(&path, &query) {
        not_found()
    } else {
        view! { <p class="page" role="status">{crate::i18n::tx("page.loading")}</p> }.into_any()
    }
}

/// A link: leptos_router's `<A>` within this build (`aria-current="page"` on the page's own
/// link), a plain link the router leaves alone (`rel="external"`) to another build's page.
#[component]
pub fn A(#[prop(into)] href: String, children: Children) -> impl IntoView {
    let (path, query) = split_url(&href);
    if this_build().serves(path, query) {
        view! { <leptos_router::components::A href=href exact=true>{children()}</leptos_router::components::A> }
            .into_any()
    } else {
        view! { <a href=href rel="external">{children()}</a> }.into_any()
    }
}
