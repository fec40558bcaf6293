//! The `scrapefeed` binary: parse arguments, set up logging, call the library, and map
//! the outcome to an exit status (see `scrapefeed::commands`).

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use scrapefeed::cli::{Cli, Command, LogLevel};
use scrapefeed::commands;

/// How long the process waits, at exit, for blocking threads to finish.
const BLOCKING_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_level);
    // Blocking work (parsing, SQLite, file writes) gets one thread per core: more would
    // only queue for the same cores, and each extra thread keeps its own malloc arena
    // (measured: 60 MiB peak with tokio's default of 512 threads, 36 MiB with 2).
    let cores = std::thread::available_parallelism()
        .map_or(2, usize::from)
        .max(2);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .max_blocking_threads(cores)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(commands::EXIT_FAILED);
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Check => Ok(commands::check(&cli.config)),
            Command::Run {
                once: true, feeds, ..
            } => match commands::load(&cli.config) {
                Ok(config) => commands::run_once(config, &feeds).await,
                Err(code) => Ok(code),
            },
            Command::Run {
                once: false, feeds, ..
            } if !feeds.is_empty() => Ok(commands::daemon_takes_no_names(&feeds)),
            Command::Run {
                once: false, serve, ..
            } => match commands::load(&cli.config) {
                Ok(config) => commands::run_daemon(&cli.config, config, serve).await,
                Err(code) => Ok(code),
            },
            Command::Serve { listen } => match commands::load(&cli.config) {
                Ok(config) => commands::serve(&cli.config, config, listen).await,
                Err(code) => Ok(code),
            },
            Command::Preview {
                target,
                limit,
                long,
                json,
                url,
            } => {
                let args = commands::PreviewArgs {
                    target,
                    limit,
                    long,
                    json,
                    saved_from: url,
                };
                commands::preview(&cli.config, &args).await
            }
            Command::Suggest { target, url } => {
                commands::suggest(&cli.config, &target, url.as_deref()).await
            }
            Command::Status { json } => commands::status(&cli.config, json),
        }
    });
    // Blocking threads still busy once the command is done (a parse abandoned at
    // shutdown notices within milliseconds; a write to a hung disk may never return)
    // are not waited for long: a thread must not hold the process past its grace period.
    runtime.shutdown_timeout(BLOCKING_WAIT);
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(commands::EXIT_FAILED)
        }
    }
}

/// Logs go to stderr; under systemd (JOURNAL_STREAM set) without our own timestamps,
/// since journald adds its own. A non-empty RUST_LOG replaces `--log-level`'s filter;
/// one that does not parse is reported and `--log-level` is used.
fn init_logging(level: LogLevel) {
    use tracing_subscriber::EnvFilter;
    let filter = match std::env::var("RUST_LOG") {
        Ok(directives) if !directives.trim().is_empty() => EnvFilter::try_new(&directives)
            .unwrap_or_else(|e| {
                eprintln!("warning: RUST_LOG={directives:?} is not a valid filter ({e}); using --log-level");
                EnvFilter::new(level.filter())
            }),
        _ => EnvFilter::new(level.filter()),
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none());
    if std::env::var_os("JOURNAL_STREAM").is_some() {
        builder.without_time().with_ansi(false).init();
    } else {
        builder.init();
    }
}
