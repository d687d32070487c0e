//! Navigation inside one build of the app: the URL as signals, links, `navigate`, and the route
//! table. A path of another build (`domain::pages::Bundle`) is an ordinary page load.
//!
//! Why not leptos_router: it cost the configurator 36 KB of its 267 KB of wasm (brotli), more
//! than the whole car domain, for what is here a handful of flat paths and a query string (see
//! the README, "A customer's first visit"). The names follow leptos_router's, so pages read alike.

use domain::pages::Bundle;
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

/// The current URL of this document, kept in step with pushState and the back button.
#[derive(Clone, Copy)]
pub struct Nav {
    path: RwSignal<String>,
    /// The query string without its `?`.
    query: RwSignal<String>,
    /// The named segments of the route the page matched.
    params: RwSignal<ParamsMap>,
    this: Bundle,
}

fn window() -> web_sys::Window {
    web_sys::window().expect("a browser window")
}

fn current() -> (String, String) {
    let l = window().location();
    let query = l.search().unwrap_or_default();
    (
        l.pathname().unwrap_or_else(|_| "/".into()),
        query.trim_start_matches('?').to_string(),
    )
}

/// Starts following the URL for the build `this`.
pub fn provide_nav(this: Bundle) -> Nav {
    let (path, query) = current();
    let nav = Nav {
        path: RwSignal::new(path),
        query: RwSignal::new(query),
        params: RwSignal::new(ParamsMap::default()),
        this,
    };
    // Back and forward within this document.
    let listener = window_event_listener(ev::popstate, move |_| nav.sync());
    on_cleanup(move || listener.remove());
    provide_context(nav);
    nav
}

fn use_nav() -> Nav {
    use_context::<Nav>().expect("provide_nav was called by the app")
}

impl Nav {
    fn sync(self) {
        let (path, query) = current();
        if self.path.get_untracked() != path {
            self.path.set(path);
        }
        if self.query.get_untracked() != query {
            self.query.set(query);
        }
    }

    /// Goes to `url` (a path with an optional query): within this build by pushState, else by
    /// loading the page.
    pub fn go(self, url: &str, options: NavigateOptions) {
        let (path, query) = split_url(url);
        if !self.this.serves(path, query) {
            let l = window().location();
            let _ = if options.replace {
                l.replace(url)
            } else {
                l.assign(url)
            };
            return;
        }
        let Ok(history) = window().history() else {
            return;
        };
        let _ = if options.replace {
            history.replace_state_with_url(&JsValue::NULL, "", Some(url))
        } else {
            history.push_state_with_url(&JsValue::NULL, "", Some(url))
        };
        self.sync();
        // A new page or step starts at its top (a choice on the same step keeps the place).
        if options.scroll {
            window().scroll_to_with_x_and_y(0.0, 0.0);
        }
    }
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

/// `navigate(url, options)`, as leptos_router's hook.
pub fn use_navigate() -> impl Fn(&str, NavigateOptions) + Clone + 'static {
    let nav = use_nav();
    move |url, options| nav.go(url, options)
}

/// The current path (`/store/hamburg-02`); changes with every navigation.
pub fn use_path() -> Signal<String> {
    let nav = use_nav();
    nav.path.into()
}

/// Query or path parameters by name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParamsMap(Vec<(String, String)>);

impl ParamsMap {
    pub fn get(&self, key: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }

    fn parse_query(query: &str) -> ParamsMap {
        let decode = |s: &str| {
            let s = s.replace('+', " ");
            js_sys::decode_uri_component(&s)
                .ok()
                .and_then(|d| d.as_string())
                .unwrap_or(s)
        };
        ParamsMap(
            query
                .split('&')
                .filter(|kv| !kv.is_empty())
                .map(|kv| {
                    let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                    (decode(k), decode(v))
                })
                .collect(),
        )
    }
}

/// The query string as parameters; changes with every navigation that changes it.
pub fn use_query_map() -> Memo<ParamsMap> {
    let nav = use_nav();
    Memo::new(move |_| nav.query.with(|q| ParamsMap::parse_query(q)))
}

/// The parameters of the route pattern the current page matched (`/orders/:id`).
pub fn use_params_map() -> Memo<ParamsMap> {
    let nav = use_nav();
    Memo::new(move |_| nav.params.get())
}

/// `pattern` like `/orders/:id` against `path`: the named segments, or None.
fn match_route(pattern: &str, path: &str) -> Option<ParamsMap> {
    let path = domain::pages::page_path(path);
    let (mut pat, mut got) = (pattern.split('/'), path.split('/'));
    let mut params = Vec::new();
    loop {
        match (pat.next(), got.next()) {
            (None, None) => return Some(ParamsMap(params)),
            (Some(p), Some(g)) if p.starts_with(':') && !g.is_empty() => {
                params.push((p[1..].to_string(), g.to_string()))
            }
            (Some(p), Some(g)) if p == g => {}
            _ => return None,
        }
    }
}

/// One page of a build: its path pattern and how to make it.
pub type Route = (&'static str, fn() -> AnyView);

/// The page for the current path. A path of another build loads that page from the server; a
/// path of this build that no route matches is "not found".
#[component]
pub fn Routes(routes: &'static [&'static [Route]], not_found: fn() -> AnyView) -> impl IntoView {
    let nav = use_nav();
    let path = Memo::new(move |_| nav.path.get());
    move || {
        let path = path.get();
        let served = nav.this.serves(&path, &nav.query.get_untracked());
        if let Some((params, make)) = routes
            .iter()
            .copied()
            .flatten()
            .filter(|_| served)
            .find_map(|(pattern, make)| Some((match_route(pattern, &path)?, make)))
        {
            // Set before the page is made, which reads it; not a change to react to.
            nav.params.update_untracked(|p| *p = params);
            return make();
        }
        if !served {
            let _ = window().location().reload();
            return view! { <p class="page" role="status">{crate::i18n::tx("loc.loading")}</p> }
                .into_any();
        }
        not_found()
    }
}

/// A link. Within this build it navigates without a page load (plain clicks only: a click with
/// a modifier or another button keeps the browser's behaviour); `aria-current="page"` marks the
/// link to the page on screen.
#[component]
pub fn A(#[prop(into)] href: String, children: Children) -> impl IntoView {
    let nav = use_nav();
    let (target_path, target_query) = split_url(&href);
    let same_build = nav.this.serves(target_path, target_query);
    let target_path = target_path.to_string();
    let is_current = {
        let target_path = target_path.clone();
        move || nav.path.with(|p| *p == target_path).then_some("page")
    };
    let go_to = href.clone();
    let on_click = move |ev: web_sys::MouseEvent| {
        let plain =
            ev.button() == 0 && !(ev.meta_key() || ev.ctrl_key() || ev.shift_key() || ev.alt_key());
        if same_build && plain && !ev.default_prevented() {
            ev.prevent_default();
            nav.go(&go_to, NavigateOptions::default());
        }
    };
    view! { <a href=href aria-current=is_current on:click=on_click>{children()}</a> }
}
