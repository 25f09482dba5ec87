//! Where a webhook may point: public addresses only, unless the setting `webhook_private_targets` allows the server's own network.

use crate::domain::network::is_public;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, SocketAddr};

/// Why a webhook target is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetRefusal {
    /// The URL cannot be read or has no host.
    BadUrl,
    /// The host name does not resolve.
    Unresolvable,
    /// The host is (or resolves to) a loopback, private or link-local address.
    Private(IpAddr),
}

impl std::fmt::Display for TargetRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TargetRefusal::BadUrl => f.write_str("the URL has no host"),
            TargetRefusal::Unresolvable => f.write_str("the host name does not resolve"),
            TargetRefusal::Private(ip) => write!(
                f,
                "the target {ip} is in a private network (setting webhook_private_targets)"
            ),
        }
    }
}

/// Checks a target URL: its host, or every address its name resolves to, must be public.
pub async fn check(url: &str, allow_private: bool) -> Result<(), TargetRefusal> {
    if allow_private {
        return reqwest::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(|_| ()))
            .ok_or(TargetRefusal::BadUrl);
    }
    let url = reqwest::Url::parse(url).map_err(|_| TargetRefusal::BadUrl)?;
    let port = url.port_or_known_default().unwrap_or(443);
    let addresses: Vec<IpAddr> = match url.host().ok_or(TargetRefusal::BadUrl)? {
        url::Host::Ipv4(ip) => vec![ip.into()],
        url::Host::Ipv6(ip) => vec![ip.into()],
        url::Host::Domain(name) => tokio::net::lookup_host((name, port))
            .await
            .map_err(|_| TargetRefusal::Unresolvable)?
            .map(|a| a.ip())
            .collect(),
    };
    if addresses.is_empty() {
        return Err(TargetRefusal::Unresolvable);
    }
    refuse_private(addresses)
}

/// Checks a target URL whose host is an address (names are left to [`PublicOnly`]).
pub fn check_literal(url: &str) -> Result<(), TargetRefusal> {
    let url = reqwest::Url::parse(url).map_err(|_| TargetRefusal::BadUrl)?;
    match url.host().ok_or(TargetRefusal::BadUrl)? {
        url::Host::Ipv4(ip) => refuse_private([ip.into()]),
        url::Host::Ipv6(ip) => refuse_private([ip.into()]),
        url::Host::Domain(_) => Ok(()),
    }
}

fn refuse_private(addresses: impl IntoIterator<Item = IpAddr>) -> Result<(), TargetRefusal> {
    match addresses.into_iter().find(|ip| !is_public(*ip)) {
        Some(private) => Err(TargetRefusal::Private(private)),
        None => Ok(()),
    }
}

/// A DNS resolver for deliveries that drops private addresses, so a name that resolved to a
/// public address when the webhook was saved cannot later lead the server into its own network.
pub struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let public: Vec<SocketAddr> = tokio::net::lookup_host((name.as_str(), 0))
                .await?
                .filter(|a| is_public(a.ip()))
                .collect();
            if public.is_empty() {
                return Err(format!(
                    "{} resolves only to private addresses (setting webhook_private_targets)",
                    name.as_str()
                )
                .into());
            }
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{TargetRefusal, check};

    #[tokio::test]
    async fn private_targets_are_refused_unless_allowed() {
        for url in [
            "http://127.0.0.1:9/hook",
            "http://[::1]/hook",
            "http://169.254.169.254/latest/meta-data",
            "http://10.0.0.5/x",
            "http://localhost:8080/x",
        ] {
            assert!(
                matches!(check(url, false).await, Err(TargetRefusal::Private(_))),
                "{url}"
            );
            assert_eq!(check(url, true).await, Ok(()), "{url}");
        }
        assert_eq!(
            check("http://203.0.113.0.invalid/x", false).await,
            Err(TargetRefusal::Unresolvable)
        );
        assert_eq!(check("https://8.8.8.8/hook", false).await, Ok(()));
    }
}
