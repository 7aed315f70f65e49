//! Graceful shutdown on SIGINT (Ctrl-C) and SIGTERM (`systemctl stop`, timer timeout).
//!
//! The first signal only *asks* to stop: fetchers stop starting new pages, the writer flushes
//! its pending batch, the run is marked `interrupted`, and the process exits 130 (`scrape`) or
//! 0 (`daemon` on SIGTERM). A second SIGINT means the operator really wants out: the process
//! exits 130 at once.
//!
//! [`Shutdown`] is a cheap clonable handle over a `tokio::sync::watch` channel, so async code
//! can `select!` on [`Shutdown::requested`] and sync code (the store writer) can poll
//! [`Shutdown::is_requested`].

use tokio::sync::watch;

use crate::error::Exit;

/// What asked the process to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// SIGINT / Ctrl-C.
    Interrupt,
    /// SIGTERM.
    Terminate,
    /// Asked for by code (tests, the daemon's own end).
    Requested,
}

impl StopReason {
    /// The name used in logs and in the crawl log.
    pub fn as_str(self) -> &'static str {
        match self {
            StopReason::Interrupt => "SIGINT",
            StopReason::Terminate => "SIGTERM",
            StopReason::Requested => "stop requested",
        }
    }
}

/// Receiving side: "has anyone asked us to stop?".
#[derive(Debug, Clone)]
pub struct Shutdown {
    rx: watch::Receiver<Option<StopReason>>,
}

/// Sending side: asks every [`Shutdown`] clone to stop.
#[derive(Debug, Clone)]
pub struct ShutdownTrigger {
    tx: watch::Sender<Option<StopReason>>,
}

impl ShutdownTrigger {
    /// Asks to stop (the first reason wins).
    pub fn trigger(&self, reason: StopReason) {
        self.tx.send_if_modified(|current| {
            if current.is_none() {
                *current = Some(reason);
                true
            } else {
                false
            }
        });
    }
}

/// What a crawl does when asked to stop (the warning at the first signal).
pub const CRAWL_STOPPING: &str = "stopping: no new pages, flushing what was fetched";

impl Shutdown {
    /// A handle not wired to any signal, and its trigger (tests, embedding).
    pub fn manual() -> (ShutdownTrigger, Shutdown) {
        let (tx, rx) = watch::channel(None);
        (ShutdownTrigger { tx }, Shutdown { rx })
    }

    /// A handle that is never triggered.
    pub fn never() -> Shutdown {
        let (trigger, shutdown) = Shutdown::manual();
        // Keep the sender alive forever so `requested()` pends instead of returning.
        std::mem::forget(trigger);
        shutdown
    }

    /// Installs SIGINT and SIGTERM handlers (must run inside a tokio runtime). The first
    /// signal triggers the returned handle; a second SIGINT exits 130 immediately. The warning
    /// logged at the first signal speaks of a crawl ([`CRAWL_STOPPING`]).
    pub fn install() -> std::io::Result<Shutdown> {
        Shutdown::install_saying(CRAWL_STOPPING)
    }

    /// [`Shutdown::install`], logging `stopping` (what the command does now) at the first
    /// signal.
    pub fn install_saying(stopping: &'static str) -> std::io::Result<Shutdown> {
        let (trigger, shutdown) = Shutdown::manual();
        #[cfg(unix)]
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::spawn(async move {
            let mut interrupts = 0u32;
            loop {
                #[cfg(unix)]
                let reason = tokio::select! {
                    r = tokio::signal::ctrl_c() => { if r.is_err() { return; } StopReason::Interrupt }
                    _ = term.recv() => StopReason::Terminate,
                };
                #[cfg(not(unix))]
                let reason = match tokio::signal::ctrl_c().await {
                    Ok(()) => StopReason::Interrupt,
                    Err(_) => return,
                };
                if reason == StopReason::Interrupt {
                    interrupts += 1;
                    if interrupts >= 2 {
                        eprintln!("second interrupt: aborting now");
                        #[cfg(feature = "browser")]
                        crate::sources::browser::kill_all();
                        std::process::exit(i32::from(Exit::Interrupted.code()));
                    }
                }
                tracing::warn!(
                    signal = reason.as_str(),
                    "{stopping} (Ctrl-C again to abort)"
                );
                trigger.trigger(reason);
            }
        });
        Ok(shutdown)
    }

    /// Whether a stop has been asked for.
    pub fn is_requested(&self) -> bool {
        self.rx.borrow().is_some()
    }

    /// Why a stop was asked for, if it was.
    pub fn reason(&self) -> Option<StopReason> {
        *self.rx.borrow()
    }

    /// Completes when a stop is asked for (at once if it already was).
    pub async fn requested(&self) -> StopReason {
        let mut rx = self.rx.clone();
        // Copy the value out at once: the borrow guard must not live across an await.
        let reason = rx.wait_for(Option::is_some).await.map(|r| *r);
        match reason {
            Ok(reason) => reason.unwrap_or(StopReason::Requested),
            // Every trigger is gone: nobody can ask any more, so never complete.
            Err(_) => std::future::pending().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn first_reason_wins_and_every_clone_sees_it() {
        let (trigger, shutdown) = Shutdown::manual();
        let clone = shutdown.clone();
        assert!(!clone.is_requested());
        trigger.trigger(StopReason::Terminate);
        trigger.trigger(StopReason::Interrupt);
        assert_eq!(clone.requested().await, StopReason::Terminate);
        assert_eq!(shutdown.reason(), Some(StopReason::Terminate));
    }

    #[tokio::test]
    async fn never_does_not_complete() {
        let never = Shutdown::never();
        let r = tokio::time::timeout(std::time::Duration::from_millis(20), never.requested()).await;
        assert!(r.is_err());
        assert!(!never.is_requested());
    }
}
