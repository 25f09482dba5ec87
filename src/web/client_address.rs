//! The client's address: the peer's, or behind a trusted reverse proxy the one it forwarded.
//!
//! Used by everything that keys on "who is this": the sign-in throttle and lockout, the survey
//! submission limit, session records and audit entries.

use crate::config::Settings;
use actix_web::HttpRequest;
use ipnet::IpNet;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// The client address of a request.
///
/// When the peer is one of `trusted_proxies`, this is the rightmost address in
/// `X-Forwarded-For` that is not itself a trusted proxy (each proxy appends the address it
/// saw, so everything left of that is whatever the client chose to send). Otherwise the header
/// is ignored and the peer is the client.
pub fn client_address(req: &HttpRequest, settings: &Settings) -> IpAddr {
    let peer = req
        .peer_addr()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |a| a.ip().to_canonical());
    if settings.trusted_proxies.is_empty() {
        return peer;
    }
    let forwarded = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|value| value.to_str().ok());
    from_forwarded(peer, forwarded, &settings.trusted_proxies)
}

/// [`client_address`] from the peer address and the `X-Forwarded-For` header lines, in order.
pub fn from_forwarded<'a>(
    peer: IpAddr,
    forwarded: impl Iterator<Item = &'a str>,
    trusted: &[IpNet],
) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<&str> = forwarded.flat_map(|line| line.split(',')).collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        // An entry that is no address was not written by a proxy we trust: stop at the last
        // address we can vouch for.
        let Some(ip) = parse_hop(hop.trim()) else {
            break;
        };
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    client
}

/// One `X-Forwarded-For` entry: `203.0.113.7`, `2001:db8::1`, `203.0.113.7:4711` or `[2001:db8::1]:4711`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .or_else(|_| hop.parse::<SocketAddr>().map(|a| a.ip()))
        .ok()
        .map(|ip| ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| n.parse().unwrap()).collect()
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let trusted = nets(&["10.0.0.0/8"]);
        let got = from_forwarded(ip("198.51.100.9"), ["1.2.3.4"].into_iter(), &trusted);
        assert_eq!(got, ip("198.51.100.9"));
        assert_eq!(
            from_forwarded(ip("10.0.0.1"), ["1.2.3.4"].into_iter(), &[]),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn behind_trusted_proxies_the_rightmost_untrusted_hop_is_the_client() {
        let trusted = nets(&["10.0.0.0/8", "192.168.1.1/32"]);
        // The client forged the first entry; the proxies appended the rest.
        let got = from_forwarded(
            ip("10.0.0.2"),
            ["6.6.6.6, 203.0.113.7", "192.168.1.1 , 10.0.0.9"].into_iter(),
            &trusted,
        );
        assert_eq!(got, ip("203.0.113.7"));
        // No header: the proxy itself (a health check, say).
        assert_eq!(
            from_forwarded(ip("10.0.0.2"), std::iter::empty(), &trusted),
            ip("10.0.0.2")
        );
        // Only proxies: the leftmost of them.
        assert_eq!(
            from_forwarded(ip("10.0.0.2"), ["10.0.0.5, 10.0.0.6"].into_iter(), &trusted),
            ip("10.0.0.5")
        );
    }

    #[test]
    fn ports_brackets_and_mapped_addresses_are_understood_and_garbage_stops_the_walk() {
        let trusted = nets(&["127.0.0.1/32"]);
        assert_eq!(
            from_forwarded(ip("127.0.0.1"), ["203.0.113.7:4711"].into_iter(), &trusted),
            ip("203.0.113.7")
        );
        assert_eq!(
            from_forwarded(ip("127.0.0.1"), ["[2001:db8::1]:80"].into_iter(), &trusted),
            ip("2001:db8::1")
        );
        assert_eq!(
            from_forwarded(
                ip("::ffff:127.0.0.1"),
                ["::ffff:203.0.113.7"].into_iter(),
                &[]
            ),
            ip("::ffff:127.0.0.1"),
            "nothing trusted, nothing believed"
        );
        assert_eq!(
            from_forwarded(
                ip("127.0.0.1"),
                ["::ffff:203.0.113.7"].into_iter(),
                &trusted
            ),
            ip("203.0.113.7")
        );
        assert_eq!(
            from_forwarded(
                ip("127.0.0.1"),
                ["203.0.113.7, unknown"].into_iter(),
                &trusted
            ),
            ip("127.0.0.1")
        );
    }
}
