//! Which build of the web app serves which page. The app ships per audience: a customer's first
//! load (`/`, `/configure`) is the small configurator build, every other customer page is the
//! shop build, and the staff desk is its own build. The server sends each path its build's HTML;
//! the app loads a page of another build by a full navigation. One table for both, so they agree.

/// A separately built part of the app (one Trunk build, one wasm file).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bundle {
    /// Start page and configurator: what every customer loads first.
    Configurator,
    /// The customer's other pages: locations, checkout, account, orders, hand-over, showroom.
    Shop,
    /// The agent's staff desk.
    Agent,
}

impl Bundle {
    /// The build that serves `path` (without query). Unknown paths go to the shop, whose
    /// "page not found" answers them.
    pub fn for_path(path: &str) -> Bundle {
        let path = path.trim_end_matches('/');
        match path {
            "" | "/configure" => Bundle::Configurator,
            "/agent" => Bundle::Agent,
            _ if path.starts_with("/agent/") => Bundle::Agent,
            _ => Bundle::Shop,
        }
    }

    /// The build's HTML entry in `dist/`.
    pub fn html_file(self) -> &'static str {
        match self {
            Bundle::Configurator => "configurator.html",
            Bundle::Shop => "index.html",
            Bundle::Agent => "agent.html",
        }
    }
}

/// Pages whose first screen is painted by the server (a snapshot of the app's own first render,
/// see `public/shells/`), by path and the snapshot's file stem.
pub const PAINTED_PAGES: [(&str, &str); 4] = [
    ("/", "home"),
    ("/configure", "configure"),
    ("/locations", "locations"),
    ("/checkout", "checkout"),
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
        assert_eq!(Bundle::for_path("/agents"), Bundle::Shop);
        assert_eq!(Bundle::for_path("/checkout"), Bundle::Shop);
        assert_eq!(Bundle::for_path("/orders/A-1"), Bundle::Shop);
        assert_eq!(Bundle::for_path("/no-such-page"), Bundle::Shop);
        assert_eq!(Bundle::for_path("/configurex"), Bundle::Shop);
    }
}
