//! Operations: run lock, scheduler (daemon), guarded expiry, shutdown signals.
