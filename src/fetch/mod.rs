//! HTTP client: politeness (robots.txt, per-host limits), retries, block detection.
