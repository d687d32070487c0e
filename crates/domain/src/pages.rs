//! Which build of the web app serves which page. The app ships per audience: a customer's first
//! load (`/`, `/configure` up to the summary step) is the small configurator build; every other
//! customer page, the summary step (financing, leasing, the price table) and showroom screens are
//! the shop build; the staff desk is its own build. The server sends each request its build's
//! HTML ([`Bundle::for_request`]); the app navigates without a page load only to what its build
//! [`Bundle::serves`], and loads anything else from the server. One table for both.

/// A separately built part of the app (one Trunk build, one wasm file).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bundle {
    /// Start page and configurator: what every customer loads first.
    Configurator,
    /// Every customer page together: what showroom screens run (store mode's idle guard on
    /// every page, no second download between pages), the configurator's summary step, the
    /// legal pages and "page not found".
    Shop,
    /// Finding a location: `/locations`.
    Locations,
    /// Ordering: `/checkout` and an order's page.
    Checkout,
    /// The customer's account: `/account` and the password reset link's page.
    Account,
    /// A showroom's welcome page before store mode and the hand-over code pages (`/h`).
    Showroom,
    /// The agent's staff desk.
    Agent,
    /// Booking a test drive and managing it through the mailed link: small, as its entry
    /// points (summary, location card, home, showroom) link here from every other build.
    Drive,
}

impl Bundle {
    /// The build that serves `path` (without query): its entry in [`ROUTES`]. Unknown paths go
    /// to the shop, whose "page not found" answers them.
    pub fn for_path(path: &str) -> Bundle {
        let path = page_path(path);
        ROUTES
            .iter()
            .find(|(route, _)| match route.strip_suffix('/') {
                Some(prefix) if !prefix.is_empty() => path
                    .strip_prefix(prefix)
                    .is_some_and(|r| r.starts_with('/')),
                _ => path == *route,
            })
            .map_or(Bundle::Shop, |(_, bundle)| *bundle)
    }

    /// The build the server sends for a page request. A showroom screen (`store_screen`, its
    /// cookie) gets the shop build for every customer page: store mode's idle guard on every
    /// page, and no download between them while a customer waits.
    pub fn for_request(path: &str, query: &str, store_screen: bool) -> Bundle {
        match Bundle::for_path(path) {
            b if b.is_customer_area() && store_screen => Bundle::Shop,
            Bundle::Configurator if !Bundle::Configurator.serves(path, query) => Bundle::Shop,
            b => b,
        }
    }

    /// The customer pages the shop build holds besides its own.
    fn is_customer_area(self) -> bool {
        use Bundle::*;
        matches!(
            self,
            Configurator | Locations | Checkout | Account | Showroom
        )
    }

    /// Whether this build has the page, so the app can go there without loading another build.
    /// The shop build holds every customer page (not the test drives').
    pub fn serves(self, path: &str, query: &str) -> bool {
        match (self, Bundle::for_path(path)) {
            (Bundle::Configurator, Bundle::Configurator) => !needs_shop(query),
            (Bundle::Shop, area) => area == Bundle::Shop || area.is_customer_area(),
            (this, area) => this == area,
        }
    }

    pub const ALL: [Bundle; 8] = [
        Bundle::Configurator,
        Bundle::Shop,
        Bundle::Locations,
        Bundle::Checkout,
        Bundle::Account,
        Bundle::Showroom,
        Bundle::Agent,
        Bundle::Drive,
    ];

    /// The build's HTML entry in `dist/`.
    pub fn html_file(self) -> &'static str {
        match self {
            Bundle::Configurator => "configurator.html",
            Bundle::Shop => "index.html",
            Bundle::Locations => "locations.html",
            Bundle::Checkout => "checkout.html",
            Bundle::Account => "account.html",
            Bundle::Showroom => "showroom.html",
            Bundle::Agent => "agent.html",
            Bundle::Drive => "drive.html",
        }
    }
}

/// Which build serves which page: a route ending in `/` is a prefix (`/orders/` is every
/// order's page), any other is the exact path. One table for the server, the app and the
/// service worker's offline answers (`server::http::offline`); any other path is the shop's.
pub const ROUTES: [(&str, Bundle); 14] = [
    ("/", Bundle::Configurator),
    ("/configure", Bundle::Configurator),
    ("/agent", Bundle::Agent),
    ("/agent/", Bundle::Agent),
    ("/test-drive", Bundle::Drive),
    ("/test-drive/manage", Bundle::Drive),
    ("/locations", Bundle::Locations),
    ("/checkout", Bundle::Checkout),
    ("/orders/", Bundle::Checkout),
    ("/account", Bundle::Account),
    ("/reset", Bundle::Account),
    ("/h", Bundle::Showroom),
    ("/h/", Bundle::Showroom),
    ("/store/", Bundle::Showroom),
];

/// `step=summary` (the configurator's last step) or `share=full` (sharing with QR and short
/// code) in a query string: parts of the configurator that only the shop build holds.
fn needs_shop(query: &str) -> bool {
    query
        .trim_start_matches('?')
        .split('&')
        .any(|kv| SHOP_QUERIES.contains(&kv))
}

/// The query pairs of [`needs_shop`] (the service worker reads them too).
pub const SHOP_QUERIES: [&str; 2] = ["step=summary", SHARE_FULL];

/// The query pair that opens the configurator with its full share dialog (shop build).
pub const SHARE_FULL: &str = "share=full";

/// A page's path without a trailing slash (`/configure/` is `/configure`; `/` stays `/`).
pub fn page_path(path: &str) -> &str {
    match path.trim_end_matches('/') {
        "" => "/",
        p => p,
    }
}

/// The cookie a showroom screen carries while in store mode (see [`Bundle::for_request`]).
pub const STORE_COOKIE: &str = "smart1_store";

/// The cookie with the language the customer picked in the app: the server paints first
/// screens in it.
pub const LANG_COOKIE: &str = "smart1_lang";

/// Pages whose first screen is painted by the server (a snapshot of the app's own first render,
/// see `public/shells/`), by path and the snapshot's file stem.
pub const PAINTED_PAGES: [(&str, &str); 5] = [
    ("/", "home"),
    ("/configure", "configure"),
    ("/locations", "locations"),
    ("/checkout", "checkout"),
    ("/test-drive", "test-drive"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_path_has_its_build() {
        assert_eq!(Bundle::for_path("/"), Bundle::Configurator);
        assert_eq!(Bundle::for_path("/configure"), Bundle::Configurator);
        assert_eq!(Bundle::for_path("/configure/"), Bundle::Configurator);
        assert_eq!(Bundle::for_path("/agent"), Bundle::Agent);
        assert_eq!(Bundle::for_path("/agent/orders"), Bundle::Agent);
        assert_eq!(Bundle::for_path("/test-drive"), Bundle::Drive);
        assert_eq!(Bundle::for_path("/test-drive/manage"), Bundle::Drive);
        assert_eq!(Bundle::for_path("/test-drives"), Bundle::Shop);
        assert_eq!(Bundle::for_path("/agents"), Bundle::Shop);
        assert_eq!(Bundle::for_path("/locations"), Bundle::Locations);
        assert_eq!(Bundle::for_path("/checkout"), Bundle::Checkout);
        assert_eq!(Bundle::for_path("/orders/A-1"), Bundle::Checkout);
        assert_eq!(Bundle::for_path("/account"), Bundle::Account);
        // The password reset link's page lives with the account pages.
        assert_eq!(Bundle::for_path("/reset"), Bundle::Account);
        assert_eq!(Bundle::for_path("/store/hamburg-02"), Bundle::Showroom);
        assert_eq!(Bundle::for_path("/h"), Bundle::Showroom);
        assert_eq!(Bundle::for_path("/h/ABC123"), Bundle::Showroom);
        assert_eq!(Bundle::for_path("/hx"), Bundle::Shop);
        assert_eq!(Bundle::for_path("/terms"), Bundle::Shop);
        assert_eq!(Bundle::for_path("/no-such-page"), Bundle::Shop);
        assert_eq!(Bundle::for_path("/configurex"), Bundle::Shop);
    }

    #[test]
    fn the_summary_step_and_showroom_screens_get_the_shop_build() {
        use Bundle::*;
        assert_eq!(
            Bundle::for_request("/configure", "c=X&step=wheels", false),
            Configurator
        );
        assert_eq!(
            Bundle::for_request("/configure", "c=X&step=summary", false),
            Shop
        );
        assert_eq!(
            Bundle::for_request("/configure", "step=summaryx", false),
            Configurator
        );
        assert_eq!(Bundle::for_request("/", "", true), Shop);
        assert_eq!(Bundle::for_request("/configure", "", true), Shop);
        assert_eq!(Bundle::for_request("/agent", "", true), Agent);
        // A showroom screen books a drive in the drive build (it has the idle guard too).
        assert_eq!(
            Bundle::for_request("/test-drive", "location=x", true),
            Drive
        );
        assert!(!Shop.serves("/test-drive", "") && !Drive.serves("/configure", ""));
        assert!(!Configurator.serves("/configure", "?c=X&step=summary"));
        assert!(Configurator.serves("/configure", "c=X&step=extras"));
        assert!(!Configurator.serves("/locations", ""));
        assert!(Shop.serves("/configure", "step=summary"));
        // Sharing by QR code and short code is in the shop build too.
        assert!(!Configurator.serves("/configure", "c=X&step=line&share=full"));
        assert_eq!(
            Bundle::for_request("/configure", "c=X&share=full", false),
            Bundle::Shop
        );
        assert!(Shop.serves("/orders/1", ""));
        assert!(!Shop.serves("/agent", ""));
        assert!(!Agent.serves("/", ""));
    }

    /// The app loads a page from the server when its build does not serve the URL; the build
    /// the server sends for a URL must serve it, or the page would reload forever.
    #[test]
    fn the_build_sent_for_a_url_serves_it() {
        let paths = [
            "/",
            "/configure",
            "/configure/",
            "/locations",
            "/checkout",
            "/orders/A-1",
            "/account",
            "/reset",
            "/store/hamburg-02",
            "/store/",
            "/h",
            "/h/ABC",
            "/terms",
            "/agent",
            "/agent/orders",
            "/test-drive",
            "/test-drive/manage",
            "/no-such-page",
            "/hx",
            "",
        ];
        let queries = [
            "",
            "c=X",
            "c=X&step=summary",
            "step=summary",
            "share=full",
            "?a=b",
        ];
        for path in paths {
            for query in queries {
                for store_screen in [false, true] {
                    let sent = Bundle::for_request(path, query, store_screen);
                    assert!(
                        sent.serves(path, query),
                        "{path}?{query} {store_screen}: {sent:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn each_customer_area_is_a_build_and_showroom_screens_keep_the_shop_build() {
        use Bundle::*;
        for (path, area) in [
            ("/locations", Locations),
            ("/checkout", Checkout),
            ("/orders/A-1", Checkout),
            ("/account", Account),
            ("/reset", Account),
            ("/store/hamburg-02", Showroom),
            ("/h/ABC", Showroom),
        ] {
            assert_eq!(Bundle::for_request(path, "", false), area, "{path}");
            assert!(area.serves(path, ""), "{path}");
            assert!(Shop.serves(path, ""), "{path}");
            // A showroom screen stays in the shop build from page to page.
            assert_eq!(Bundle::for_request(path, "", true), Shop, "{path}");
        }
        // An area build holds only its own pages: the others are a page load away.
        assert!(!Locations.serves("/checkout", "") && !Locations.serves("/configure", ""));
        assert!(Checkout.serves("/orders/A-1", "") && !Checkout.serves("/account", ""));
        assert!(!Account.serves("/orders/A-1", "") && !Showroom.serves("/terms", ""));
        assert!(!Configurator.serves("/locations", ""));
        // The legal pages and "not found" are the shop build's, also for a showroom screen.
        assert_eq!(Bundle::for_request("/terms", "", false), Shop);
        assert_eq!(Bundle::for_request("/terms", "", true), Shop);
        let files: std::collections::HashSet<_> =
            Bundle::ALL.iter().map(|b| b.html_file()).collect();
        assert_eq!(files.len(), Bundle::ALL.len(), "one HTML per build");
    }
}
