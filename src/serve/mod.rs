//! The built-in HTTP server: `scrapefeed serve`, and `scrapefeed run --serve`.
//!
//! Readers need URLs. Without this, a user must set up a web server before the first
//! subscription, and the default `base_url` points at nothing. The server publishes
//! `output_dir` ([`files`]) and two endpoints for monitoring, `/healthz` and
//! `/metrics`, which read the store ([`snapshot`]), so a separate `serve` process
//! reports what the daemon did.
//!
//! hyper runs each connection (HTTP/1.1, keep-alive; a connection that sends no
//! complete request head within [`HEADER_TIMEOUT`] is closed, idle ones included), at
//! most [`MAX_CONNECTIONS`] at once, further ones wait in the listen queue. axum
//! routes requests. Shutdown is the daemon's: on the first signal the server stops
//! accepting and lets requests in flight finish within `grace_period`; a second signal
//! ends them. The configuration is followed as the daemon follows it (polled, and on
//! SIGHUP for `serve`); `output_dir`, `base_url` and the listen address are read once,
//! at start.

pub mod cache;
mod confine;
mod etag;
mod files;
mod health;
pub mod listen;
mod metrics;
mod snapshot;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::response::Response;
use axum::routing::get;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::sync::{Notify, Semaphore, watch};
use tokio_util::sync::CancellationToken;

use crate::config::{self, Config};
use crate::daemon::Control;
use crate::daemon::reload::ConfigWatch;

pub use files::media_type;
pub use listen::{Listen, ListenError};

/// A connection must send a complete request head within this time (idle keep-alive
/// connections are closed after it too).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections served at once; more wait in the kernel's listen queue.
pub const MAX_CONNECTIONS: usize = 512;
/// How often feeds.yaml is checked for changes.
const WATCH_EVERY: Duration = Duration::from_secs(1);

/// The listening sockets, bound before anything else starts so that a busy port is
/// an error at once.
pub struct Server {
    listeners: Vec<tokio::net::TcpListener>,
    /// Whether systemd passed the sockets (socket activation).
    pub activated: bool,
}

impl Server {
    /// Takes the sockets systemd passed, if any; otherwise binds `listen`.
    pub fn bind(listen: &Listen) -> Result<Server, ListenError> {
        let activated = listen::activated()?;
        let (listeners, activated) = if activated.is_empty() {
            (listen.bind()?, false)
        } else {
            (activated, true)
        };
        let listeners = listeners
            .into_iter()
            .map(|listener| {
                listener.set_nonblocking(true)?;
                tokio::net::TcpListener::from_std(listener)
            })
            .collect::<std::io::Result<_>>()
            .map_err(|e| ListenError::Activation(e.to_string()))?;
        Ok(Server {
            listeners,
            activated,
        })
    }

    /// The addresses being listened on.
    pub fn addrs(&self) -> Vec<SocketAddr> {
        self.listeners
            .iter()
            .filter_map(|l| l.local_addr().ok())
            .collect()
    }

    /// Logs where readers find the files, and warns when `base_url` (the feeds' self
    /// links) leads somewhere else.
    pub fn announce(&self, config: &Config, listen: &Listen) {
        let path = config.settings.base_url.as_ref().map_or("/", |u| u.path());
        let urls: Vec<String> = self
            .addrs()
            .iter()
            .map(|addr| format!("http://{addr}{path}"))
            .collect();
        let how = if self.activated {
            "sockets from systemd".to_owned()
        } else {
            listen.to_string()
        };
        tracing::info!(
            "serving {} on {} ({how}); health at /healthz, metrics at /metrics",
            config.settings.output_dir.display(),
            urls.join(" and ")
        );
        match &config.settings.base_url {
            None => tracing::warn!(
                "settings.base_url is not set: the feeds have no self link; set it to the URL readers use, e.g. http://localhost:{}/",
                listen.port()
            ),
            Some(base) if !self.activated && listen.reaches(base) == Some(false) => {
                tracing::warn!(
                    "base_url {base} names this machine, but the server listens on {listen}: the feeds' self links lead elsewhere; change base_url or --listen"
                );
            }
            Some(_) => {}
        }
    }

    /// Serves until `control.shutdown`, then lets requests in flight finish within
    /// `grace_period` (or until `control.force`).
    pub async fn run(self, configs: watch::Receiver<Arc<Config>>, control: Control) {
        let first = configs.borrow().clone();
        let grace = first.settings.grace_period;
        let app = App {
            files: files::Files::new(&first),
            configs,
        };
        let router = Router::new()
            .route("/healthz", get(health::healthz))
            .route("/metrics", get(metrics::metrics))
            .fallback(serve_file)
            .with_state(app);
        let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
        let graceful = Arc::new(GracefulShutdown::new());
        let mut accepting = tokio::task::JoinSet::new();
        for listener in self.listeners {
            let (router, slots, graceful) = (router.clone(), slots.clone(), graceful.clone());
            let shutdown = control.shutdown.clone();
            accepting.spawn(accept(listener, router, slots, graceful, shutdown));
        }
        while accepting.join_next().await.is_some() {}
        let Ok(graceful) = Arc::try_unwrap(graceful) else {
            return;
        };
        tokio::select! {
            () = graceful.shutdown() => {}
            () = tokio::time::sleep(grace) => {
                tracing::warn!("grace period over: closing the server's connections");
            }
            () = control.force.cancelled() => {}
        }
    }
}

/// Accepts connections on one socket until `shutdown`.
async fn accept(
    listener: tokio::net::TcpListener,
    router: Router,
    slots: Arc<Semaphore>,
    graceful: Arc<GracefulShutdown>,
    shutdown: CancellationToken,
) {
    loop {
        let slot = tokio::select! {
            () = shutdown.cancelled() => return,
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => return,
            },
        };
        let stream = tokio::select! {
            () = shutdown.cancelled() => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: wait instead of spinning.
                    tracing::warn!("accepting a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let service = TowerToHyperService::new(router.clone());
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(HEADER_TIMEOUT)
            .keep_alive(true);
        let connection = http.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that goes away mid-request is its own business.
            let _ = connection.await;
            drop(slot);
        });
    }
}

/// What every request handler shares.
#[derive(Clone)]
struct App {
    files: files::Files,
    /// The configuration in force (feeds, schedules, `stale_after`).
    configs: watch::Receiver<Arc<Config>>,
}

impl App {
    fn config(&self) -> Arc<Config> {
        self.configs.borrow().clone()
    }
}

async fn serve_file(State(app): State<App>, request: Request) -> Response {
    let config = app.config();
    let (method, path) = (request.method().clone(), request.uri().path().to_owned());
    let response = app.files.respond(&config, request).await;
    tracing::debug!("{method} {path} {}", response.status().as_u16());
    response
}

/// Follows feeds.yaml: each valid new version is sent to the server; one with errors
/// is logged and the previous one stays (as in the daemon). `reload` (SIGHUP) loads it
/// at once.
pub async fn follow_config(
    path: PathBuf,
    configs: watch::Sender<Arc<Config>>,
    reload: Option<Arc<Notify>>,
    shutdown: CancellationToken,
) {
    let mut watch = ConfigWatch::new(&path);
    let mut tick = tokio::time::interval(WATCH_EVERY);
    loop {
        let reloading = async {
            match &reload {
                Some(reload) => reload.notified().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            () = shutdown.cancelled() => return,
            () = reloading => watch.settle(),
            _ = tick.tick() => {
                if !watch.poll() {
                    continue;
                }
            }
        }
        load_into(&path, &configs);
    }
}

fn load_into(path: &Path, configs: &watch::Sender<Arc<Config>>) {
    match config::load(path) {
        Ok(config) => {
            configs.send_replace(Arc::new(config));
        }
        Err(errors) => {
            for error in &errors.0 {
                tracing::error!("{error}");
            }
            tracing::error!(
                "{} has {} error(s); the server keeps the previous configuration",
                path.display(),
                errors.0.len()
            );
        }
    }
}
