//! Signals, handled in one place and turned into the daemon's `Control`.
//!
//! SIGTERM and SIGINT ask for a graceful shutdown, a second one for an immediate one;
//! SIGHUP asks for a reload.

use tokio::signal::unix::{SignalKind, signal};

use super::Control;

/// Starts listening; the returned `Control` is what `daemon::run` takes.
pub fn install() -> std::io::Result<Control> {
    let control = Control::default();
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    let mut hup = signal(SignalKind::hangup())?;
    let stop = control.clone();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = term.recv() => {}
                _ = int.recv() => {}
                _ = hup.recv() => {
                    stop.reload.notify_one();
                    continue;
                }
            }
            if stop.shutdown.is_cancelled() {
                tracing::warn!("second stop signal: exiting now");
                stop.force.cancel();
                return;
            }
            tracing::info!(
                "stop signal: finishing refreshes in flight (a second signal exits at once)"
            );
            stop.shutdown.cancel();
        }
    });
    Ok(control)
}
