//! A running `scrapefeed run` (or `serve`) for the tests: started in a project, its
//! log (stderr) collected as it is written, signalled like systemd would, and killed
//! if a test leaves it behind.

use std::io::{BufRead, BufReader};
use std::process::Child;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::project::Project;

/// Generous limits: they only stop a broken build from hanging the suite.
pub const LIMIT: Duration = Duration::from_secs(30);

/// A running daemon whose log (stderr) is collected as it is written.
pub struct Daemon {
    child: Child,
    log: Arc<Mutex<String>>,
}

impl Daemon {
    pub fn start(project: &Project) -> Daemon {
        Daemon::start_with(project, &[])
    }

    pub fn start_with(project: &Project, env: &[(&str, &str)]) -> Daemon {
        Daemon::spawn(project, &["run"], env)
    }

    /// Starts the binary with `args` (`["serve"]`, `["run", "--serve", …]`) and `env`.
    pub fn spawn(project: &Project, args: &[&str], env: &[(&str, &str)]) -> Daemon {
        let mut command = project.command(args);
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("start the daemon");
        let stderr = child.stderr.take().expect("piped stderr");
        let log = Arc::new(Mutex::new(String::new()));
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        Daemon { child, log }
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Waits until the log holds `text`.
    pub fn wait_log(&self, text: &str) {
        wait_until(
            &format!("the log to say {text:?}"),
            || self.log().contains(text),
            || self.log(),
        );
    }

    /// Waits for the server's announcement and returns the first address it serves on.
    pub fn served_at(&self) -> std::net::SocketAddr {
        self.wait_log("serving ");
        let log = self.log();
        let line = log
            .lines()
            .find(|l| l.contains("serving "))
            .expect("the announcement");
        let rest = &line[line.find("http://").expect("a URL") + "http://".len()..];
        let addr = &rest[..rest.find('/').expect("a path")];
        addr.parse()
            .unwrap_or_else(|e| panic!("`{addr}` in {line:?}: {e}"))
    }

    pub fn signal(&self, name: &str) {
        let status = std::process::Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.child.id().to_string())
            .status()
            .expect("kill");
        assert!(status.success());
    }

    pub fn assert_running(&mut self) {
        assert!(
            self.child.try_wait().unwrap().is_none(),
            "the daemon is still running\n{}",
            self.log()
        );
    }

    /// Waits for the process to exit and returns its exit code.
    pub fn wait_exit(mut self) -> (i32, String) {
        let deadline = Instant::now() + LIMIT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                std::thread::sleep(Duration::from_millis(50)); // let the log reader drain
                return (status.code().unwrap_or(-1), self.log());
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the daemon did not exit\n{}", self.log());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn wait_until(what: &str, mut done: impl FnMut() -> bool, context: impl Fn() -> String) {
    let deadline = Instant::now() + LIMIT;
    while !done() {
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}\n{}",
            context()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
