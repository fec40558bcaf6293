//! The SSRF guard: URLs that pages or servers hand us may not steer scrapefeed at the
//! machine's own network.
//!
//! A redirect target (and, later, an article link or a next page) comes from someone
//! else. Followed blindly, `Location: http://169.254.169.254/latest/meta-data/` would
//! publish the cloud instance's credentials in a feed, and `http://127.0.0.1:8080/admin`
//! the admin page of a service next door. So every address scrapefeed connects to is
//! checked *after* resolution, at connect time, by the client's resolver
//! ([`GuardedResolver`]): a name that resolves to a loopback, private, link-local,
//! unique-local or metadata address is refused, and a name that answers differently
//! the second time (DNS rebinding) is checked again, because each connection resolves.
//! IP-literal URLs never reach a resolver, so [`Guard::check_url`] looks at them before
//! a request is sent and the redirect policy before a redirect is followed.
//!
//! The user's own choice is trusted: the host of the feed's configured URL may be on
//! any address (an intranet page, a test server on 127.0.0.1), and `allow_private:
//! true` switches the guard off for a feed. Through a proxy the proxy resolves names,
//! not us: then only IP literals and `localhost` can be checked here.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

/// Names pinned to addresses (`settings.resolve`), like curl's `--resolve`.
pub type Pins = Arc<HashMap<String, Vec<IpAddr>>>;

/// What a feed's requests may reach.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Guard {
    /// Anything (`allow_private: true`).
    Off,
    /// Public addresses, and anything the trusted hosts resolve to (the feed's own
    /// host, the proxy's).
    On { trusted: Vec<String> },
}

/// A connection the guard refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error(
        "{host} is {ip}, a {kind} address: refused (a page or server may not send scrapefeed into the local network; set `allow_private: true` on the feed if this is intended)"
    )]
    Address {
        host: String,
        ip: IpAddr,
        kind: &'static str,
    },
    #[error("redirect to {url} refused: only http and https pages can be fetched")]
    Scheme { url: String },
}

impl Guard {
    /// The guard for a feed whose configured URL is `own` (plus any proxy hosts).
    pub fn for_feed(own: &Url, allow_private: bool, proxies: &[&Url]) -> Guard {
        if allow_private {
            return Guard::Off;
        }
        let mut trusted: Vec<String> = std::iter::once(own)
            .chain(proxies.iter().copied())
            .filter_map(host_key)
            .collect();
        trusted.sort();
        trusted.dedup();
        Guard::On { trusted }
    }

    fn trusts(&self, host: &str) -> bool {
        match self {
            Guard::Off => true,
            Guard::On { trusted } => trusted.iter().any(|t| t.eq_ignore_ascii_case(host)),
        }
    }

    /// Checks a URL before a request: its scheme, and its host when the host is an
    /// address (a name is checked when it resolves) or `localhost`.
    pub fn check_url(&self, url: &Url) -> Result<(), Refusal> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Refusal::Scheme {
                url: url.to_string(),
            });
        }
        let Some(host) = host_key(url) else {
            return Ok(());
        };
        if self.trusts(&host) {
            return Ok(());
        }
        let ip = match url.host() {
            Some(Host::Ipv4(ip)) => IpAddr::V4(ip),
            Some(Host::Ipv6(ip)) => IpAddr::V6(ip),
            Some(Host::Domain(name)) if is_localhost(name) => IpAddr::V4(Ipv4Addr::LOCALHOST),
            _ => return Ok(()),
        };
        self.check_ip(&host, ip)
    }

    /// Checks one resolved address of `host`.
    pub fn check_ip(&self, host: &str, ip: IpAddr) -> Result<(), Refusal> {
        if self.trusts(host) {
            return Ok(());
        }
        match non_public(ip) {
            Some(kind) => Err(Refusal::Address {
                host: host.to_owned(),
                ip,
                kind,
            }),
            None => Ok(()),
        }
    }

    /// The redirect policy: at most 10 hops, no loops, only http(s), and every target
    /// checked like a request.
    pub fn redirect_policy(&self) -> reqwest::redirect::Policy {
        let guard = self.clone();
        reqwest::redirect::Policy::custom(move |attempt| {
            let (next, previous) = (attempt.url(), attempt.previous());
            let refused: Option<Box<dyn std::error::Error + Send + Sync>> =
                if let Err(refusal) = guard.check_url(next) {
                    Some(Box::new(refusal))
                } else if previous.contains(next) {
                    let chain = redirect_chain(previous, next);
                    Some(Box::new(RedirectError(format!("redirect loop: {chain}"))))
                } else if previous.len() > MAX_REDIRECTS {
                    Some(Box::new(RedirectError(format!(
                        "more than {MAX_REDIRECTS} redirects (the last to {next})"
                    ))))
                } else {
                    None
                };
            match refused {
                Some(error) => attempt.error(error),
                None => attempt.follow(),
            }
        })
    }
}

/// Redirects followed before giving up.
pub const MAX_REDIRECTS: usize = 10;

/// A redirect chain that cannot be followed (a loop, too many hops).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct RedirectError(pub String);

fn redirect_chain(previous: &[Url], next: &Url) -> String {
    let start = previous.iter().position(|u| u == next).unwrap_or(0);
    previous[start..]
        .iter()
        .chain(std::iter::once(next))
        .map(Url::as_str)
        .collect::<Vec<_>>()
        .join(" → ")
}

/// The host of a URL as the resolver sees it: lower case, IPv6 without brackets.
fn host_key(url: &Url) -> Option<String> {
    match url.host()? {
        Host::Domain(name) => Some(name.trim_end_matches('.').to_ascii_lowercase()),
        Host::Ipv4(ip) => Some(ip.to_string()),
        Host::Ipv6(ip) => Some(ip.to_string()),
    }
}

fn is_localhost(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost")
}

/// Why an address is not on the public internet, or `None` when it is.
pub fn non_public(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(ip) => non_public_v4(ip),
        IpAddr::V6(ip) => non_public_v6(ip),
    }
}

fn non_public_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    Some(match (a, b, c) {
        _ if ip == Ipv4Addr::new(169, 254, 169, 254) || ip == Ipv4Addr::new(169, 254, 170, 2) => {
            "cloud metadata"
        }
        (127, ..) => "loopback",
        (10, ..) | (192, 168, _) => "private",
        (172, 16..=31, _) => "private",
        (169, 254, _) => "link-local",
        (100, 64..=127, _) => "shared (carrier-grade NAT)",
        (0, ..) => "\"this network\"",
        (192, 0, 0) => "IETF protocol",
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => "documentation",
        (198, 18..=19, _) => "benchmarking",
        (224..=239, ..) => "multicast",
        (240..=255, ..) => "reserved",
        _ => return None,
    })
}

fn non_public_v6(ip: Ipv6Addr) -> Option<&'static str> {
    // Addresses that carry an IPv4 address are judged by it.
    if let Some(v4) = ip.to_ipv4_mapped() {
        return non_public_v4(v4);
    }
    let segments = ip.segments();
    if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        let [.., hi, lo] = segments;
        return non_public_v4(Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo)));
    }
    Some(match segments[0] {
        _ if ip.is_loopback() => "loopback",
        _ if ip.is_unspecified() => "unspecified",
        _ if segments[..6] == [0; 6] => "IPv4-compatible",
        0xfd00 if segments[1..] == [0xec2, 0, 0, 0, 0, 0, 0x254] => "cloud metadata",
        s if s & 0xfe00 == 0xfc00 => "unique-local",
        s if s & 0xffc0 == 0xfe80 => "link-local",
        s if s & 0xffc0 == 0xfec0 => "site-local",
        s if s & 0xff00 == 0xff00 => "multicast",
        0x2001 if segments[1] == 0xdb8 => "documentation",
        0x0100 if segments[1..4] == [0, 0, 0] => "discard-only",
        _ => return None,
    })
}

/// The client's resolver: pinned names first (`settings.resolve`), then the system's,
/// and every address checked by the guard. Addresses the guard refuses are dropped;
/// when none is left the connection fails with the refusal.
#[derive(Debug, Clone)]
pub struct GuardedResolver {
    pub guard: Guard,
    pub pins: Pins,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().trim_end_matches('.').to_ascii_lowercase();
        let (guard, pins) = (self.guard.clone(), self.pins.clone());
        Box::pin(async move {
            let found: Vec<IpAddr> = match pins.get(&host) {
                Some(addrs) => addrs.clone(),
                None => tokio::net::lookup_host((host.as_str(), 0))
                    .await?
                    .map(|a| a.ip())
                    .collect(),
            };
            let mut refused = None;
            let allowed: Vec<SocketAddr> = found
                .into_iter()
                .filter(|&ip| match guard.check_ip(&host, ip) {
                    Ok(()) => true,
                    Err(refusal) => {
                        refused.get_or_insert(refusal);
                        false
                    }
                })
                .map(|ip| SocketAddr::new(ip, 0))
                .collect();
            match (allowed.is_empty(), refused) {
                (true, Some(refusal)) => Err(Box::new(refusal) as _),
                _ => Ok(Box::new(allowed.into_iter()) as Addrs),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn addresses_off_the_public_internet_are_named() {
        for (addr, kind) in [
            ("127.0.0.1", "loopback"),
            ("127.8.9.10", "loopback"),
            ("10.1.2.3", "private"),
            ("172.20.0.1", "private"),
            ("192.168.1.1", "private"),
            ("169.254.169.254", "cloud metadata"),
            ("169.254.1.1", "link-local"),
            ("100.100.100.200", "shared (carrier-grade NAT)"),
            ("0.0.0.0", "\"this network\""),
            ("::1", "loopback"),
            ("::", "unspecified"),
            ("::ffff:127.0.0.1", "loopback"),
            ("::ffff:10.0.0.1", "private"),
            ("64:ff9b::a9fe:a9fe", "cloud metadata"),
            ("fd00:ec2::254", "cloud metadata"),
            ("fd12:3456::1", "unique-local"),
            ("fe80::1", "link-local"),
            ("ff02::1", "multicast"),
        ] {
            assert_eq!(non_public(ip(addr)), Some(kind), "{addr}");
        }
        for public in [
            "93.184.216.34",
            "172.32.0.1",
            "100.128.0.1",
            "8.8.8.8",
            "2606:4700::1111",
            "::ffff:93.184.216.34",
        ] {
            assert_eq!(non_public(ip(public)), None, "{public}");
        }
    }

    #[test]
    fn the_feeds_own_host_is_trusted_and_others_are_checked() {
        let own = Url::parse("http://127.0.0.1:8080/news/").unwrap();
        let guard = Guard::for_feed(&own, false, &[]);
        assert!(
            guard
                .check_url(&Url::parse("http://127.0.0.1:9999/other").unwrap())
                .is_ok()
        );
        let refused = guard
            .check_url(&Url::parse("http://[::1]/").unwrap())
            .unwrap_err();
        assert!(refused.to_string().contains("loopback"), "{refused}");
        assert!(
            guard
                .check_url(&Url::parse("http://localhost/").unwrap())
                .is_err()
        );
        assert!(guard.check_ip("news.example", ip("10.0.0.1")).is_err());
        assert!(guard.check_ip("news.example", ip("93.184.216.34")).is_ok());
        // A decimal IPv4 host is an address too (the URL parser normalises it).
        assert!(
            guard
                .check_url(&Url::parse("http://2852039166/latest/").unwrap())
                .is_err()
        );
    }

    #[test]
    fn allow_private_switches_the_guard_off_but_not_the_scheme_check() {
        let own = Url::parse("https://news.example/").unwrap();
        let guard = Guard::for_feed(&own, true, &[]);
        assert!(guard.check_ip("intranet", ip("10.0.0.1")).is_ok());
        let refused = guard
            .check_url(&Url::parse("file:///etc/passwd").unwrap())
            .unwrap_err();
        assert!(refused.to_string().contains("only http and https"));
    }

    #[tokio::test]
    async fn the_resolver_refuses_a_pinned_name_on_loopback() {
        let own = Url::parse("https://news.example/").unwrap();
        let pins: Pins = Arc::new(HashMap::from([
            ("evil.example".to_owned(), vec![ip("127.0.0.1")]),
            ("news.example".to_owned(), vec![ip("127.0.0.1")]),
            (
                "mixed.example".to_owned(),
                vec![ip("10.0.0.1"), ip("93.184.216.34")],
            ),
        ]));
        let resolver = GuardedResolver {
            guard: Guard::for_feed(&own, false, &[]),
            pins,
        };
        let error = match resolver.resolve("evil.example".parse().unwrap()).await {
            Err(error) => error,
            Ok(_) => panic!("a loopback answer must be refused"),
        };
        assert!(error.downcast_ref::<Refusal>().is_some(), "{error}");
        let own: Vec<_> = resolver
            .resolve("news.example".parse().unwrap())
            .await
            .unwrap()
            .collect();
        assert_eq!(own.len(), 1, "the feed's own host may be anywhere");
        let mixed: Vec<_> = resolver
            .resolve("mixed.example".parse().unwrap())
            .await
            .unwrap()
            .map(|a| a.ip())
            .collect();
        assert_eq!(
            mixed,
            [ip("93.184.216.34")],
            "only the public address is kept"
        );
    }
}
