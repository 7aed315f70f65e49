//! Headless-browser sources (`kind = "browser"`): real Chromium driven by chromiumoxide.
