//! Global configuration (`aeroscrap.toml`) and source-config loading/validation.
