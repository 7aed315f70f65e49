//! `aeroscrap demo`: synthetic fixture sites served from inside the binary on 127.0.0.1.
