//! A throw-away project directory with a feeds.yaml, and the `scrapefeed` binary run
//! against it as a user would: `--config`, working directory, exit status, output.

use std::fmt;
use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use tempfile::TempDir;

/// No single run of the binary in these tests should come near this; it only keeps a
/// broken build from hanging the suite.
const RUN_LIMIT: Duration = Duration::from_secs(120);

/// A temporary directory holding `feeds.yaml`; `output/` and `state/` appear in it
/// when the binary runs (relative paths resolve against it).
pub struct Project {
    dir: TempDir,
}

impl Project {
    pub fn new(config: &str) -> Project {
        let project = Project {
            dir: tempfile::Builder::new()
                .prefix("scrapefeed-test")
                .tempdir()
                .expect("temp dir"),
        };
        project.write_config(config);
        project
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn config_path(&self) -> PathBuf {
        self.root().join("feeds.yaml")
    }

    /// Replaces feeds.yaml.
    pub fn write_config(&self, config: &str) {
        fs::write(self.config_path(), config).expect("write feeds.yaml");
    }

    /// A file in `output/`.
    pub fn output(&self, file: &str) -> PathBuf {
        self.root().join("output").join(file)
    }

    pub fn state_dir(&self) -> PathBuf {
        self.root().join("state")
    }

    /// Names of the files now in `output/` (all of them, hidden ones included).
    pub fn output_files(&self) -> Vec<String> {
        let mut names: Vec<String> = match fs::read_dir(self.root().join("output")) {
            Ok(entries) => entries
                .map(|e| {
                    e.expect("dir entry")
                        .file_name()
                        .to_string_lossy()
                        .into_owned()
                })
                .collect(),
            Err(_) => Vec::new(),
        };
        names.sort();
        names
    }

    /// The binary with `--config feeds.yaml`, run in the project directory, with an
    /// environment that cannot leak the developer's settings into the test.
    pub fn command(&self, args: &[&str]) -> Command {
        let config = self.config_path();
        let mut with_config = vec!["--config", config.to_str().expect("UTF-8 temp path")];
        with_config.extend(args);
        self.bare_command(&with_config)
    }

    /// The binary with exactly `args` (no `--config`), run in the project directory.
    pub fn bare_command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_scrapefeed"));
        command
            .args(args)
            .current_dir(self.root())
            .env_remove("SCRAPEFEED_CONFIG")
            .env_remove("STATE_DIRECTORY")
            .env_remove("RUST_LOG")
            .env_remove("JOURNAL_STREAM")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for proxy in [
            "http_proxy",
            "https_proxy",
            "all_proxy",
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "ALL_PROXY",
        ] {
            command.env_remove(proxy);
        }
        command.env("NO_PROXY", "127.0.0.1,localhost");
        command
    }

    /// Starts the binary without waiting for it.
    pub fn spawn(&self, args: &[&str]) -> Child {
        self.command(args).spawn().expect("start scrapefeed")
    }

    /// Runs the binary to completion.
    pub fn run(&self, args: &[&str]) -> Run {
        finish(self.spawn(args), args)
    }

    /// Runs the binary with exactly `args`, without `--config`.
    pub fn run_bare(&self, args: &[&str]) -> Run {
        finish(
            self.bare_command(args).spawn().expect("start scrapefeed"),
            args,
        )
    }

    /// Parses an output file with feed-rs, failing the test if it does not parse.
    pub fn feed(&self, file: &str) -> feed_rs::model::Feed {
        parse_feed(&self.output(file))
    }
}

/// The result of one run of the binary.
pub struct Run {
    pub args: String,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Fails the test, showing the run, unless it exited with `code`.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(self.code, Some(code), "unexpected exit status\n{self}");
        self
    }

    /// The summary line `run --once` printed for `feed`.
    #[track_caller]
    pub fn summary(&self, feed: &str) -> &str {
        self.stdout
            .lines()
            .find(|line| line.split_whitespace().next() == Some(feed))
            .unwrap_or_else(|| panic!("no summary line for `{feed}`\n{self}"))
    }
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "$ scrapefeed {}  → exit {:?}", self.args, self.code)?;
        writeln!(f, "--- stdout ---\n{}", self.stdout)?;
        write!(f, "--- stderr ---\n{}", self.stderr)
    }
}

/// Waits for a spawned binary and collects its output.
pub fn finish(mut child: Child, args: &[&str]) -> Run {
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let deadline = Instant::now() + RUN_LIMIT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for scrapefeed") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "scrapefeed {} did not finish within {RUN_LIMIT:?}",
                args.join(" ")
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Run {
        args: args.join(" "),
        code: status.code(),
        stdout: out.join().expect("stdout reader"),
        stderr: err.join().expect("stderr reader"),
    }
}

/// Parses a feed file with feed-rs, failing the test (with the file's text) if it does not.
#[track_caller]
pub fn parse_feed(path: &Path) -> feed_rs::model::Feed {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    feed_rs::parser::parse(bytes.as_slice()).unwrap_or_else(|e| {
        panic!(
            "{} does not parse: {e}\n{}",
            path.display(),
            String::from_utf8_lossy(&bytes)
        )
    })
}

pub fn mtime(path: &Path) -> SystemTime {
    fs::metadata(path)
        .and_then(|m| m.modified())
        .unwrap_or_else(|e| panic!("mtime of {}: {e}", path.display()))
}

/// Moves a file's mtime a day into the past, so "not rewritten" cannot be confused with
/// "rewritten within the file system's timestamp resolution". Returns the new mtime.
pub fn age(path: &Path) -> SystemTime {
    let past = SystemTime::now() - Duration::from_secs(86_400);
    File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(past))
        .unwrap_or_else(|e| panic!("set mtime of {}: {e}", path.display()));
    mtime(path)
}

/// A file's bytes and mtime, to compare before and after a run.
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub bytes: Vec<u8>,
    pub modified: SystemTime,
}

/// Ages the file (see [`age`]) and records it.
pub fn aged_snapshot(path: &Path) -> Snapshot {
    let modified = age(path);
    Snapshot {
        bytes: fs::read(path).expect("read output"),
        modified,
    }
}

pub fn snapshot(path: &Path) -> Snapshot {
    Snapshot {
        bytes: fs::read(path).expect("read output"),
        modified: mtime(path),
    }
}

/// Sleeps into the next wall-clock second, so that two runs of the binary get different
/// time stamps (the store keeps whole seconds): without it, "stays the same across
/// runs" could pass only because both runs happened within one second.
pub fn next_second() {
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .expect("clock after 1970");
    let rest = Duration::from_secs(1) - Duration::from_nanos(u64::from(now.subsec_nanos()));
    std::thread::sleep(rest + Duration::from_millis(20));
}
