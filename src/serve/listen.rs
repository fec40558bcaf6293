//! Where the built-in server listens: the address a user writes, the default that
//! matches `base_url`, and the sockets systemd hands over (socket activation).
//!
//! `localhost` is both `127.0.0.1` and `::1`: a reader on the same machine may try
//! either (browsers try `::1` first), so both are bound, and a machine without IPv6
//! just gets the IPv4 one. The default needs no flag: a `base_url` on this machine
//! (`http://localhost:8080/`, the default feeds.yaml's) is served where it points, so
//! the feeds' self links reach the server; any other `base_url` is a public name in
//! front of a proxy, which reaches the server on `localhost:8080`.

use std::fmt;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, ToSocketAddrs};
use std::str::FromStr;

use url::{Host, Url};

/// The port used when neither `--listen`, `settings.listen` nor `base_url` names one.
pub const DEFAULT_PORT: u16 = 8080;

/// An address to listen on, as written: `localhost:8080`, `127.0.0.1:8080`,
/// `[::1]:8080`, `:8080` (every interface), `8080` (localhost), or `name:port`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listen {
    host: ListenHost,
    port: u16,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum ListenHost {
    /// `127.0.0.1` and `::1`.
    Localhost,
    /// Every interface: `[::]` (which takes IPv4 too on Linux), or `0.0.0.0`.
    Any,
    Ip(IpAddr),
    /// A name resolved when binding.
    Name(String),
}

impl FromStr for Listen {
    type Err = String;

    fn from_str(text: &str) -> Result<Listen, String> {
        let text = text.trim();
        let hint = "write it as HOST:PORT, e.g. localhost:8080, 127.0.0.1:8080, [::1]:8080, or :8080 for every interface";
        if let Ok(port) = text.parse::<u16>() {
            return Ok(Listen::localhost(port));
        }
        let (host, port) = text.rsplit_once(':').ok_or_else(|| {
            if is_host_name(text) && !text.starts_with(|c: char| c.is_ascii_digit()) {
                format!("`{text}` has no port; {hint}")
            } else {
                format!("`{text}` is neither a port number nor HOST:PORT; {hint}")
            }
        })?;
        let port = port
            .parse::<u16>()
            .map_err(|_| format!("`{port}` in `{text}` is not a port number (0–65535); {hint}"))?;
        let host = match host {
            "" | "*" => ListenHost::Any,
            "localhost" => ListenHost::Localhost,
            bracketed if bracketed.starts_with('[') => {
                let inner = bracketed
                    .strip_prefix('[')
                    .and_then(|h| h.strip_suffix(']'))
                    .ok_or_else(|| format!("`{text}`: unbalanced brackets; {hint}"))?;
                let ip = inner
                    .parse::<Ipv6Addr>()
                    .map_err(|_| format!("`{inner}` in `{text}` is not an IPv6 address"))?;
                ListenHost::Ip(IpAddr::V6(ip))
            }
            plain if plain.contains(':') => {
                return Err(format!(
                    "`{text}`: an IPv6 address needs brackets, e.g. [::1]:8080"
                ));
            }
            plain => match plain.parse::<Ipv4Addr>() {
                Ok(ip) => ListenHost::Ip(IpAddr::V4(ip)),
                Err(_) if is_host_name(plain) => ListenHost::Name(plain.to_ascii_lowercase()),
                Err(_) => return Err(format!("`{plain}` in `{text}` is not a host; {hint}")),
            },
        };
        let host = match host {
            ListenHost::Ip(ip) if ip.is_unspecified() => ListenHost::Any,
            other => other,
        };
        Ok(Listen { host, port })
    }
}

fn is_host_name(text: &str) -> bool {
    !text.is_empty()
        && text.split('.').all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

impl fmt::Display for Listen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.host {
            ListenHost::Localhost => write!(f, "localhost:{}", self.port),
            ListenHost::Any => write!(f, ":{}", self.port),
            ListenHost::Ip(ip) => write!(f, "{}", SocketAddr::new(*ip, self.port)),
            ListenHost::Name(name) => write!(f, "{name}:{}", self.port),
        }
    }
}

impl Listen {
    pub fn localhost(port: u16) -> Listen {
        Listen {
            host: ListenHost::Localhost,
            port,
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The address that serves `base_url` when it names this machine over plain HTTP
    /// (`http://localhost:8080/`, `http://127.0.0.1:9000/feeds/`); otherwise
    /// `localhost:8080`, for a proxy in front.
    pub fn for_base_url(base_url: Option<&Url>) -> Listen {
        base_url
            .and_then(Listen::serving)
            .unwrap_or_else(|| Listen::localhost(DEFAULT_PORT))
    }

    /// The address a request for `url` would reach, if `url` names this machine.
    fn serving(url: &Url) -> Option<Listen> {
        if url.scheme() != "http" {
            return None;
        }
        let host = match url.host()? {
            Host::Domain(name) if name.eq_ignore_ascii_case("localhost") => ListenHost::Localhost,
            Host::Ipv4(ip) if ip.is_loopback() => ListenHost::Ip(IpAddr::V4(ip)),
            Host::Ipv6(ip) if ip.is_loopback() => ListenHost::Ip(IpAddr::V6(ip)),
            _ => return None,
        };
        Some(Listen {
            host,
            port: url.port_or_known_default()?,
        })
    }

    /// Whether a reader following `base_url` reaches this address; `None` when
    /// `base_url` does not name this machine (it is then a proxy's business).
    pub fn reaches(&self, base_url: &Url) -> Option<bool> {
        let wanted = Listen::serving(base_url)?;
        if wanted.port != self.port {
            return Some(false);
        }
        Some(match (&self.host, &wanted.host) {
            (ListenHost::Any, _) => true,
            // A reader resolving `localhost` tries each of its addresses, so one
            // loopback address is enough, whichever family.
            (ListenHost::Ip(ip), ListenHost::Localhost)
            | (ListenHost::Localhost, ListenHost::Ip(ip)) => ip.is_loopback(),
            (mine, theirs) => mine == theirs,
        })
    }

    /// Binds every address this names. For `localhost` and `:PORT`, an address family
    /// the machine lacks is skipped (with a warning) as long as one of them binds.
    pub fn bind(&self) -> Result<Vec<TcpListener>, ListenError> {
        let error = |source: io::Error, addr: SocketAddr| ListenError::Bind {
            listen: self.to_string(),
            addr,
            source,
        };
        match &self.host {
            ListenHost::Localhost => self.bind_either(
                &[
                    SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), self.port),
                    SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), self.port),
                ],
                true,
            ),
            ListenHost::Any => {
                // `[::]` takes IPv4 connections too (unless the system says otherwise);
                // without IPv6, `0.0.0.0`.
                let v6 = SocketAddr::new(IpAddr::V6(Ipv6Addr::UNSPECIFIED), self.port);
                match TcpListener::bind(v6) {
                    Ok(listener) => Ok(vec![listener]),
                    Err(e) if family_missing(&e) => {
                        let v4 = SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), self.port);
                        TcpListener::bind(v4)
                            .map(|l| vec![l])
                            .map_err(|e| error(e, v4))
                    }
                    Err(e) => Err(error(e, v6)),
                }
            }
            ListenHost::Ip(ip) => {
                let addr = SocketAddr::new(*ip, self.port);
                TcpListener::bind(addr)
                    .map(|l| vec![l])
                    .map_err(|e| error(e, addr))
            }
            ListenHost::Name(name) => {
                let addrs: Vec<SocketAddr> = (name.as_str(), self.port)
                    .to_socket_addrs()
                    .map_err(|source| ListenError::Resolve {
                        listen: self.to_string(),
                        source,
                    })?
                    .collect();
                self.bind_either(&addrs, false)
            }
        }
    }

    /// Binds each of `addrs`; with `lenient`, an address family the machine lacks
    /// is skipped as long as one address binds.
    fn bind_either(
        &self,
        addrs: &[SocketAddr],
        lenient: bool,
    ) -> Result<Vec<TcpListener>, ListenError> {
        let mut bound = Vec::new();
        let mut skipped = None;
        for &addr in addrs {
            match TcpListener::bind(addr) {
                Ok(listener) => bound.push(listener),
                Err(e) if lenient && family_missing(&e) => skipped = Some((addr, e)),
                Err(source) => {
                    return Err(ListenError::Bind {
                        listen: self.to_string(),
                        addr,
                        source,
                    });
                }
            }
        }
        match skipped {
            Some((addr, source)) if bound.is_empty() => Err(ListenError::Bind {
                listen: self.to_string(),
                addr,
                source,
            }),
            Some((addr, e)) => {
                tracing::warn!("not listening on {addr}: {e} (this machine has no such address)");
                Ok(bound)
            }
            None if bound.is_empty() => Err(ListenError::Resolve {
                listen: self.to_string(),
                source: io::Error::new(io::ErrorKind::NotFound, "no address"),
            }),
            None => Ok(bound),
        }
    }
}

/// The error for an address family the machine does not have (IPv6 disabled).
fn family_missing(error: &io::Error) -> bool {
    matches!(
        error.raw_os_error(),
        Some(libc::EADDRNOTAVAIL | libc::EAFNOSUPPORT | libc::EPROTONOSUPPORT)
    )
}

/// Why the server could not listen.
#[derive(Debug, thiserror::Error)]
pub enum ListenError {
    #[error(
        "cannot listen on {addr} (from `{listen}`): {source}{}",
        bind_hint(source)
    )]
    Bind {
        listen: String,
        addr: SocketAddr,
        source: io::Error,
    },
    #[error("cannot listen on `{listen}`: {source}")]
    Resolve { listen: String, source: io::Error },
    #[error("socket activation: {0}")]
    Activation(String),
}

fn bind_hint(error: &io::Error) -> &'static str {
    match error.kind() {
        io::ErrorKind::AddrInUse => {
            " — another program (or another scrapefeed) is serving there; stop it or choose another address with --listen or settings.listen"
        }
        io::ErrorKind::PermissionDenied => {
            " — ports below 1024 need privileges; use a higher port, or systemd socket activation (see systemd/README.md)"
        }
        io::ErrorKind::AddrNotAvailable => " — this machine has no such address",
        _ => "",
    }
}

/// The listening sockets systemd passed (`LISTEN_FDS`, socket activation), if any.
pub fn activated() -> Result<Vec<TcpListener>, ListenError> {
    use std::os::fd::FromRawFd;
    // `true`: the variables are removed, so nothing started from here inherits them.
    let fds = sd_notify::listen_fds().map_err(|e| ListenError::Activation(e.to_string()))?;
    let mut listeners = Vec::new();
    for fd in fds {
        // SAFETY: systemd passes these descriptors to this process (LISTEN_PID is
        // checked by `listen_fds`), open and owned by nobody else in it.
        let listener = unsafe { TcpListener::from_raw_fd(fd) };
        if let Err(e) = listener.local_addr() {
            return Err(ListenError::Activation(format!(
                "descriptor {fd} is not a TCP socket ({e}); use ListenStream=PORT or ADDRESS:PORT in the socket unit"
            )));
        }
        listeners.push(listener);
    }
    Ok(listeners)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Listen {
        text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn reads_the_usual_forms() {
        assert_eq!(parse("localhost:8080"), Listen::localhost(8080));
        assert_eq!(parse("8080"), Listen::localhost(8080));
        assert_eq!(parse(":9000").to_string(), ":9000");
        assert_eq!(parse("0.0.0.0:9000").to_string(), ":9000");
        assert_eq!(parse("[::]:9000").to_string(), ":9000");
        assert_eq!(parse("127.0.0.1:80").to_string(), "127.0.0.1:80");
        assert_eq!(parse("[::1]:8080").to_string(), "[::1]:8080");
        assert_eq!(parse("Feeds.Local:8080").to_string(), "feeds.local:8080");
    }

    #[test]
    fn explains_what_is_wrong() {
        for (text, says) in [
            ("localhost", "has no port"),
            ("8080x", "neither a port number nor HOST:PORT"),
            ("70000", "neither a port number nor HOST:PORT"),
            ("localhost:http", "is not a port number"),
            ("localhost:70000", "is not a port number"),
            ("::1:8080", "needs brackets"),
            ("[::1:8080", "unbalanced brackets"),
            ("[nope]:8080", "not an IPv6 address"),
            ("a b:8080", "is not a host"),
        ] {
            let error = text.parse::<Listen>().unwrap_err();
            assert!(error.contains(says), "{text}: {error}");
        }
    }

    #[test]
    fn the_default_serves_a_local_base_url_where_it_points() {
        let url = |u: &str| Url::parse(u).unwrap();
        let default = |u: &str| Listen::for_base_url(Some(&url(u))).to_string();
        assert_eq!(default("http://localhost:8080/"), "localhost:8080");
        assert_eq!(default("http://localhost/feeds/"), "localhost:80");
        assert_eq!(default("http://127.0.0.1:9000/feeds/"), "127.0.0.1:9000");
        assert_eq!(default("http://[::1]:9000/"), "[::1]:9000");
        // A public name (a proxy in front) or TLS: the server stays on localhost:8080.
        assert_eq!(default("https://feeds.example.org/"), "localhost:8080");
        assert_eq!(default("https://localhost:8443/"), "localhost:8080");
        assert_eq!(Listen::for_base_url(None), Listen::localhost(DEFAULT_PORT));
    }

    #[test]
    fn knows_whether_a_reader_following_base_url_gets_here() {
        let base = Url::parse("http://localhost:8080/").unwrap();
        assert_eq!(parse("localhost:8080").reaches(&base), Some(true));
        assert_eq!(parse(":8080").reaches(&base), Some(true));
        assert_eq!(parse("localhost:9000").reaches(&base), Some(false));
        assert_eq!(parse("127.0.0.1:8080").reaches(&base), Some(true));
        assert_eq!(parse("[::1]:8080").reaches(&base), Some(true));
        assert_eq!(parse("192.0.2.7:8080").reaches(&base), Some(false));
        let loopback = Url::parse("http://127.0.0.1:8080/").unwrap();
        assert_eq!(parse("localhost:8080").reaches(&loopback), Some(true));
        assert_eq!(parse("127.0.0.2:8080").reaches(&loopback), Some(false));
        let public = Url::parse("https://feeds.example.org/").unwrap();
        assert_eq!(parse("localhost:8080").reaches(&public), None);
    }

    #[test]
    fn localhost_binds_both_loopback_families_it_has() {
        let listeners = parse("localhost:0").bind().expect("bind localhost");
        assert!(!listeners.is_empty());
        let addrs: Vec<SocketAddr> = listeners.iter().map(|l| l.local_addr().unwrap()).collect();
        assert!(addrs.iter().all(|a| a.ip().is_loopback()), "{addrs:?}");
        assert!(addrs.iter().any(|a| a.is_ipv4()), "{addrs:?}");
    }

    #[test]
    fn a_busy_port_says_what_to_do() {
        let taken = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        let error = parse(&format!("127.0.0.1:{port}"))
            .bind()
            .unwrap_err()
            .to_string();
        assert!(error.contains("another program"), "{error}");
        assert!(error.contains("--listen"), "{error}");
    }
}
