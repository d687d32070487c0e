//! The client's address, for the per-address throttles. Without `TRUSTED_PROXIES` it is the
//! peer of the TCP connection and `X-Forwarded-For` is ignored (anyone can write it). With it,
//! a request from a trusted proxy is attributed to the rightmost `X-Forwarded-For` hop that is
//! not itself a trusted proxy: the hops to its left were written by the client and prove nothing.

use super::{ApiError, AppState};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};

/// The client address of a request (see the module).
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .ok_or_else(|| ApiError::Internal("served without the peer address".into()))?;
        Ok(ClientIp(client_ip(
            peer,
            &parts.headers,
            &state.config.trusted_proxies,
        )))
    }
}

/// A hop as proxies write it: an address, perhaps with a port (`1.2.3.4:5678`, `[::1]:80`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .map(|ip| ip.to_canonical())
}

pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let peer = peer.to_canonical();
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        match parse_hop(hop) {
            // Garbage where an address should be: trust nothing further left.
            None => break,
            Some(ip) => {
                client = ip;
                if !is_trusted(&ip) {
                    break;
                }
            }
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    #[test]
    fn forwarded_for_counts_only_behind_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.5".parse().unwrap();
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let h = headers(&["6.6.6.6, 203.0.113.7"]);
        // No trusted proxies: the peer, whatever the header says.
        assert_eq!(client_ip(proxy, &h, &[]), proxy);
        // A peer outside the list: the peer.
        let stranger: IpAddr = "198.51.100.1".parse().unwrap();
        assert_eq!(client_ip(stranger, &h, &trusted), stranger);
        // Behind the proxy: the rightmost untrusted hop, not the client's own claim.
        assert_eq!(
            client_ip(proxy, &h, &trusted),
            "203.0.113.7".parse::<IpAddr>().unwrap()
        );
        // Two proxies of ours, two header lines.
        let h = headers(&["6.6.6.6", "203.0.113.7, 10.1.1.1"]);
        assert_eq!(
            client_ip(proxy, &h, &trusted),
            "203.0.113.7".parse::<IpAddr>().unwrap()
        );
        // Garbage: the last good hop (the proxy) stands.
        let h = headers(&["203.0.113.7, nonsense"]);
        assert_eq!(client_ip(proxy, &h, &trusted), proxy);
        // A port and IPv4-mapped IPv6.
        let h = headers(&["203.0.113.7:4711"]);
        assert_eq!(
            client_ip("::ffff:10.0.0.5".parse().unwrap(), &h, &trusted),
            "203.0.113.7".parse::<IpAddr>().unwrap()
        );
    }
}
