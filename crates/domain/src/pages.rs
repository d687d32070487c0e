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
    /// The customer's other pages: locations, checkout, account, orders, hand-over, showroom.
    Shop,
    /// The agent's staff desk.
    Agent,
    /// Booking a test drive and managing it through the mailed link: small, as its entry
    /// points (summary, location card, home, showroom) link here from every other build.
    Drive,
}

impl Bundle {
    /// The build that serves `path` (without query). Unknown paths go to the shop, whose
    /// "page not found" answers them.
    pub fn for_path(path: &str) -> Bundle {
        let path = page_path(path);
        match path {
            "/" | "/configure" => Bundle::Configurator,
            "/agent" => Bundle::Agent,
            _ if path.starts_with("/agent/") => Bundle::Agent,
            "/test-drive" | "/test-drive/manage" => Bundle::Drive,
            _ => Bundle::Shop,
        }
    }

    /// The build the server sends for a page request. A showroom screen (`store_screen`, its
    /// cookie) gets the shop build everywhere: it needs store mode's idle guard on every page.
    pub fn for_request(path: &str, query: &str, store_screen: bool) -> Bundle {
        match Bundle::for_path(path) {
            Bundle::Configurator if store_screen || !Bundle::Configurator.serves(path, query) => {
                Bundle::Shop
            }
            b => b,
        }
    }

    /// Whether this build has the page, so the app can go there without loading another build.
    /// The shop build holds every customer page, the configurator too.
    pub fn serves(self, path: &str, query: &str) -> bool {
        match (self, Bundle::for_path(path)) {
            (Bundle::Configurator, Bundle::Configurator) => !needs_shop(query),
            (Bundle::Shop, Bundle::Configurator | Bundle::Shop) => true,
            (Bundle::Agent, Bundle::Agent) | (Bundle::Drive, Bundle::Drive) => true,
            _ => false,
        }
    }

    pub const ALL: [Bundle; 4] = [
        Bundle::Configurator,
        Bundle::Shop,
        Bundle::Agent,
        Bundle::Drive,
    ];

    /// The build's HTML entry in `dist/`.
    pub fn html_file(self) -> &'static str {
        match self {
            Bundle::Configurator => "configurator.html",
            Bundle::Shop => "index.html",
            Bundle::Agent => "agent.html",
            Bundle::Drive => "drive.html",
        }
    }
}

/// `step=summary` (the configurator's last step) or `share=full` (sharing with QR and short
/// code) in a query string: parts of the configurator that only the shop build holds.
fn needs_shop(query: &str) -> bool {
    query
        .trim_start_matches('?')
        .split('&')
        .any(|kv| kv == "step=summary" || kv == SHARE_FULL)
}

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
        assert_eq!(Bundle::for_path("/checkout"), Bundle::Shop);
        assert_eq!(Bundle::for_path("/orders/A-1"), Bundle::Shop);
        // The password reset link's page lives with the account pages.
        assert_eq!(Bundle::for_path("/reset"), Bundle::Shop);
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
}
