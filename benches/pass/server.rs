//! The loopback server: minimal HTTP/1.1 on 127.0.0.1 serving the workload (a pool of
//! generated pages repeated to any number of feeds, and the corpus pages; with ETags and
//! 304s on demand), on its own thread with its own single-threaded runtime, so that
//! its CPU time can be read separately and taken out of the pass's figure.

use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use crate::measure::clock_seconds;

pub struct Site {
    /// The generated pages being served (replaced between workloads).
    pub pages: RwLock<Vec<Arc<[u8]>>>,
    pub corpus: Vec<Arc<[u8]>>,
    /// Send an ETag and answer If-None-Match with 304.
    pub validators: AtomicBool,
    /// Requests answered so far.
    pub requests: AtomicU64,
}

impl Site {
    /// `/news/section-NNNNN/` (generated page NNNNN, of a pool that repeats) or
    /// `/corpus/J/I/` (corpus page J, for feed I).
    fn route(&self, path: &str) -> Option<(Arc<[u8]>, &'static str, String)> {
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        match parts.as_slice() {
            ["news", page] => {
                let i: usize = page.strip_prefix("section-")?.parse().ok()?;
                let pages = self.pages.read().expect("pages");
                let j = i % pages.len().max(1);
                Some((
                    pages.get(j)?.clone(),
                    "text/html; charset=utf-8",
                    format!("\"s{j}\""),
                ))
            }
            ["corpus", j, _] => {
                let j: usize = j.parse().ok()?;
                Some((
                    self.corpus.get(j)?.clone(),
                    "text/html",
                    format!("\"c{j}\""),
                ))
            }
            _ => None,
        }
    }
}

pub struct Server {
    pub addr: SocketAddr,
    thread: std::thread::JoinHandle<()>,
}

impl Server {
    pub fn start(site: Arc<Site>) -> Server {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        listener.set_nonblocking(true).expect("non-blocking");
        let addr = listener.local_addr().expect("local address");
        let thread = std::thread::Builder::new()
            .name("bench-server".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("server runtime");
                runtime.block_on(async move {
                    let listener =
                        tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                    loop {
                        let Ok((stream, _)) = listener.accept().await else {
                            continue;
                        };
                        let site = site.clone();
                        tokio::spawn(async move {
                            let _ = serve_connection(stream, &site).await;
                        });
                    }
                });
            })
            .expect("server thread");
        Server { addr, thread }
    }

    /// CPU seconds the server thread has used so far.
    pub fn cpu(&self) -> f64 {
        use std::os::unix::thread::JoinHandleExt;
        let mut clock: libc::clockid_t = 0;
        // SAFETY: the thread runs for the life of the process, so its handle is valid.
        let rc = unsafe { libc::pthread_getcpuclockid(self.thread.as_pthread_t(), &mut clock) };
        assert_eq!(rc, 0, "pthread_getcpuclockid");
        clock_seconds(clock)
    }
}

async fn serve_connection(stream: TcpStream, site: &Site) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let (reader, mut writer) = stream.into_split();
    let mut reader = BufReader::new(reader);
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let mut request = line.split_whitespace();
        let method = request.next().unwrap_or_default().to_owned();
        let path = request.next().unwrap_or_default().to_owned();
        let (mut close, mut if_none_match) = (false, None);
        loop {
            line.clear();
            if reader.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                let value = value.trim();
                if name.eq_ignore_ascii_case("connection") && value.eq_ignore_ascii_case("close") {
                    close = true;
                } else if name.eq_ignore_ascii_case("if-none-match") {
                    if_none_match = Some(value.to_owned());
                }
            }
        }
        site.requests.fetch_add(1, Ordering::Relaxed);
        let validators = site.validators.load(Ordering::SeqCst);
        let head_only = method == "HEAD";
        match site.route(&path) {
            Some((_, _, etag)) if validators && if_none_match.as_deref() == Some(&etag) => {
                let head = format!("HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\n\r\n");
                writer.write_all(head.as_bytes()).await?;
            }
            Some((body, content_type, etag)) => {
                let etag = if validators {
                    format!("ETag: {etag}\r\n")
                } else {
                    String::new()
                };
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n{etag}\r\n",
                    body.len()
                );
                writer.write_all(head.as_bytes()).await?;
                if !head_only {
                    writer.write_all(&body).await?;
                }
            }
            None => {
                let body = "not found\n";
                let head = format!(
                    "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                );
                writer.write_all(head.as_bytes()).await?;
            }
        }
        writer.flush().await?;
        if close {
            return Ok(());
        }
    }
}
