//! Queries behind export, `jobs` and `stats`.
