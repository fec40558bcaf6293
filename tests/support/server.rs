//! A real HTTP/1.1 server on 127.0.0.1 for the integration tests.
//!
//! Small on purpose: one request per connection (`Connection: close`), `GET` and
//! `POST` with a `Content-Length` body (at most 64 KiB), no chunked encoding. What it offers is what the tests need to stage a
//! web site that changes between runs of `scrapefeed`:
//!
//! - routes from a path to a [`Reply`] that a test can replace at any time, or to a
//!   sequence of replies answered in turn (a 500, then the page);
//! - faults: a reply that never comes, a body that drips, a connection closed without
//!   an answer, raw bytes with any headers (a gzip bomb, invalid UTF-8), redirects;
//! - per route: status, headers, body, a delay before answering, a slow trickle of the
//!   body, and automatic `ETag` / `If-None-Match` → `304` handling;
//! - a log of every request (method, path, headers, body, arrival time), so a route
//!   can stand in for a WebSub hub that records what it is told.
//!
//! It runs on its own tokio runtime in the background, so tests stay plain `#[test]`
//! functions that run the binary synchronously. Dropping the server stops it.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::runtime::Runtime;

/// What a route answers.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Wait this long after reading the request before answering.
    pub delay: Duration,
    /// Send the body `chunk` bytes at a time with `pause` between chunks.
    pub trickle: Option<(usize, Duration)>,
    /// Send an ETag (a digest of the body) and answer a matching If-None-Match with 304.
    pub etag: bool,
    /// Close the connection after reading the request, without answering.
    pub hang_up: bool,
}

impl Reply {
    /// A 200 HTML page.
    pub fn html(body: impl Into<String>) -> Reply {
        Reply {
            status: 200,
            headers: vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
            body: body.into().into_bytes(),
            delay: Duration::ZERO,
            trickle: None,
            etag: false,
            hang_up: false,
        }
    }

    /// A 200 answer of raw bytes with this Content-Type (and no other header).
    pub fn bytes(content_type: &str, body: Vec<u8>) -> Reply {
        Reply {
            headers: vec![("Content-Type".into(), content_type.into())],
            body,
            ..Reply::html("")
        }
    }

    /// A redirect to `location`.
    pub fn redirect(status: u16, location: &str) -> Reply {
        Reply {
            status,
            ..Reply::html("").header("Location", location)
        }
    }

    /// A connection closed as soon as the request has arrived.
    pub fn hang_up() -> Reply {
        Reply {
            hang_up: true,
            ..Reply::html("")
        }
    }

    /// An error page with this status.
    pub fn error(status: u16) -> Reply {
        Reply {
            status,
            ..Reply::html(format!(
                "<html><body><h1>{status} {}</h1></body></html>",
                reason(status)
            ))
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn delay(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }

    pub fn trickle(mut self, chunk: usize, pause: Duration) -> Reply {
        self.trickle = Some((chunk.max(1), pause));
        self
    }

    pub fn with_etag(mut self) -> Reply {
        self.etag = true;
        self
    }

    /// The strong validator of the current body.
    pub fn etag_value(&self) -> String {
        let digest = scrapefeed::digest::Digest::new().bytes(&self.body).hex();
        format!("\"{digest}\"")
    }
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// The request target, query included.
    pub path: String,
    pub headers: Vec<(String, String)>,
    /// The request body (for a POST), as sent.
    pub body: Vec<u8>,
    pub at: Instant,
}

impl Request {
    /// A header's value; names compare case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body's `application/x-www-form-urlencoded` pairs, decoded.
    pub fn form(&self) -> Vec<(String, String)> {
        url::form_urlencoded::parse(&self.body)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }
}

#[derive(Default)]
struct Shared {
    /// Each route's replies: the first answers and is used up, unless it is the last.
    routes: Mutex<HashMap<String, VecDeque<Reply>>>,
    log: Mutex<Vec<Request>>,
}

/// The server; stops when dropped.
pub struct TestServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    runtime: Option<Runtime>,
}

impl TestServer {
    /// Starts a server on 127.0.0.1 with a free port and no routes (everything is 404).
    pub fn start() -> TestServer {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("test-http")
            .enable_all()
            .build()
            .expect("test server runtime");
        let listener = runtime
            .block_on(TcpListener::bind("127.0.0.1:0"))
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let shared = Arc::new(Shared::default());
        let accepting = shared.clone();
        runtime.spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, accepting.clone()));
            }
        });
        TestServer {
            addr,
            shared,
            runtime: Some(runtime),
        }
    }

    /// The absolute URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Sets (or replaces) what `path` answers from now on.
    pub fn set(&self, path: &str, reply: Reply) {
        self.set_sequence(path, vec![reply]);
    }

    /// `path` answers with each reply in turn, then with the last one for good.
    pub fn set_sequence(&self, path: &str, replies: Vec<Reply>) {
        assert!(!replies.is_empty(), "a route needs a reply");
        self.shared
            .routes
            .lock()
            .unwrap()
            .insert(path.to_owned(), replies.into());
    }

    /// The server's port, for URLs under another host name (`settings.resolve`).
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Every page request so far, in arrival order (robots.txt requests, which
    /// scrapefeed makes before a site's first page, are left out: see
    /// [`TestServer::all_requests`]).
    pub fn requests(&self) -> Vec<Request> {
        self.all_requests()
            .into_iter()
            .filter(|r| r.path != "/robots.txt")
            .collect()
    }

    /// Every request so far, robots.txt included.
    pub fn all_requests(&self) -> Vec<Request> {
        self.shared.log.lock().unwrap().clone()
    }

    /// The requests for `path` so far.
    pub fn requests_to(&self, path: &str) -> Vec<Request> {
        self.all_requests()
            .into_iter()
            .filter(|r| r.path == path)
            .collect()
    }

    /// Waits until `count` requests for `path` have arrived; false if `limit` passes first.
    pub fn wait_for_requests(&self, path: &str, count: usize, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if self.requests_to(path).len() >= count {
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Serves one connection: read the request head, log it, answer, close.
async fn serve(stream: TcpStream, shared: Arc<Shared>) -> std::io::Result<()> {
    let mut stream = BufReader::new(stream);
    let mut line = String::new();
    stream.read_line(&mut line).await?;
    let mut parts = line.split_whitespace();
    let (Some(method), Some(path)) = (parts.next(), parts.next()) else {
        return Ok(());
    };
    let (method, path) = (method.to_owned(), path.to_owned());
    let mut headers = Vec::new();
    loop {
        line.clear();
        if stream.read_line(&mut line).await? == 0
            || line.trim_end().is_empty()
            || headers.len() > 100
        {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    let length = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0)
        .min(64 << 10);
    let mut body = vec![0; length];
    stream.read_exact(&mut body).await?;
    let request = Request {
        method,
        path,
        headers,
        body,
        at: Instant::now(),
    };
    let reply = {
        let mut routes = shared.routes.lock().unwrap();
        match routes.get_mut(&request.path) {
            Some(replies) if replies.len() > 1 => replies.pop_front().expect("a reply"),
            Some(replies) => replies[0].clone(),
            None => Reply::error(404),
        }
    };
    shared.log.lock().unwrap().push(request.clone());
    if reply.hang_up {
        return Ok(());
    }

    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut status = reply.status;
    let mut body: &[u8] = &reply.body;
    let mut head = String::new();
    if reply.etag && status == 200 {
        let etag = reply.etag_value();
        let matches = request.header("If-None-Match").is_some_and(|sent| {
            sent.split(',')
                .any(|tag| tag.trim() == etag || tag.trim() == "*")
        });
        if matches {
            status = 304;
            body = &[];
        }
        head.push_str(&format!("ETag: {etag}\r\n"));
    }
    let mut response = format!("HTTP/1.1 {status} {}\r\n{head}", reason(status));
    for (name, value) in &reply.headers {
        response.push_str(&format!("{name}: {value}\r\n"));
    }
    response.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));

    let stream = stream.get_mut();
    stream.write_all(response.as_bytes()).await?;
    match reply.trickle {
        None => stream.write_all(body).await?,
        Some((chunk, pause)) => {
            for piece in body.chunks(chunk) {
                stream.write_all(piece).await?;
                stream.flush().await?;
                tokio::time::sleep(pause).await;
            }
        }
    }
    stream.flush().await?;
    stream.shutdown().await
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
