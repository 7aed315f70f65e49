//! Global configuration (`aeroscrap.toml`) and source-config loading/validation.
//!
//! `aeroscrap.toml` is optional: a missing file means every default. Source configs are one
//! TOML file per source in the scrapers directory (see [`crate::sources`] for the keys).
//! Loading a source file is two steps, so each kind can deny unknown keys on its own:
//! the common keys ([`CommonConfig::KEYS`]) are split off and read into
//! [`CommonConfig`]; the rest is read into the struct of the file's `kind`. Every error names
//! the file and the key.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::fetch::{Politeness, PolitenessConfig, politeness};
use crate::sources::{CommonConfig, KindConfig, SourceConfig};

/// Product token at the start of our User-Agent.
pub const USER_AGENT_PRODUCT: &str = "aeroscrap";

/// The global configuration file, `aeroscrap.toml`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlobalConfig {
    /// Contact URL or e-mail put in the User-Agent, so site owners can reach the operator.
    pub contact: Option<String>,
    /// Default 5-field cron schedule of `aeroscrap daemon`.
    pub schedule: Option<String>,
    /// Requests in flight over all hosts (default 32).
    pub global_concurrency: Option<usize>,
    /// TCP/TLS connect timeout in milliseconds (default 10000).
    pub connect_timeout_ms: Option<u64>,
    /// Default politeness limits for every source.
    #[serde(default)]
    pub politeness: PolitenessConfig,
}

impl GlobalConfig {
    /// Reads `path`; a missing file gives the defaults.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => {
                return Err(ConfigError::Io {
                    path: path.to_owned(),
                    why: e.to_string(),
                });
            }
        };
        Self::parse(path, &text)
    }

    /// Parses the text of a global config file.
    pub fn parse(path: &Path, text: &str) -> Result<Self, ConfigError> {
        let table: toml::Table = toml::from_str(text).map_err(|e| syntax_error(path, text, &e))?;
        if let Some(toml::Value::Table(p)) = table.get("politeness")
            && let Some(k) = p
                .keys()
                .find(|k| !PolitenessConfig::KEYS.contains(&k.as_str()))
        {
            return Err(ConfigError::Key {
                path: path.to_owned(),
                key: format!("politeness.{k}"),
                why: format!(
                    "unknown key; expected one of {}",
                    PolitenessConfig::KEYS.join(", ")
                ),
            });
        }
        let cfg: GlobalConfig = toml::from_str(text).map_err(|e| key_error(path, text, &e))?;
        if let Some(s) = &cfg.schedule {
            crate::ops::schedule::Schedule::parse(s).map_err(|e| ConfigError::Key {
                path: path.to_owned(),
                key: "schedule".into(),
                why: e.to_string(),
            })?;
        }
        Ok(cfg)
    }

    /// `aeroscrap/<version> (+<contact>)`.
    pub fn user_agent(&self) -> String {
        let contact = self
            .contact
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .unwrap_or("contact not configured");
        format!(
            "{USER_AGENT_PRODUCT}/{} (+{contact})",
            env!("CARGO_PKG_VERSION")
        )
    }

    /// Default politeness limits: the built-in defaults with `[politeness]` applied.
    pub fn politeness_defaults(&self) -> Politeness {
        self.politeness.apply(&Politeness::default())
    }

    /// Requests in flight over all hosts.
    pub fn global_concurrency(&self) -> usize {
        self.global_concurrency
            .unwrap_or(politeness::DEFAULT_GLOBAL_CONCURRENCY)
            .max(1)
    }

    /// TCP/TLS connect timeout.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout_ms
            .map(Duration::from_millis)
            .unwrap_or(politeness::DEFAULT_CONNECT_TIMEOUT)
    }
}

/// A configuration problem, naming the file and (when known) the key.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConfigError {
    /// The file or directory cannot be read.
    #[error("{}: cannot read: {why}", path.display())]
    Io {
        /// File or directory.
        path: PathBuf,
        /// OS error.
        why: String,
    },
    /// The file is not valid TOML.
    #[error("{}: invalid TOML at line {line}: {why}", path.display())]
    Syntax {
        /// File.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// Parser message.
        why: String,
    },
    /// A key is unknown, missing, of the wrong type, or has an invalid value.
    #[error("{}: key `{key}`: {why}", path.display())]
    Key {
        /// File.
        path: PathBuf,
        /// Dotted key path, e.g. `list.fields.title`.
        key: String,
        /// What is wrong.
        why: String,
    },
    /// Two files define the same source name.
    #[error("{}: key `name`: source name {name:?} is already used by {}", second.display(), first.display())]
    DuplicateName {
        /// The name.
        name: String,
        /// File that used it first.
        first: PathBuf,
        /// File that used it again.
        second: PathBuf,
    },
    /// Several problems (one per line).
    #[error("{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))]
    Many(Vec<ConfigError>),
}

/// A problem with one key of a source's engine config, found while compiling it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyError {
    /// Dotted key path.
    pub key: String,
    /// What is wrong.
    pub why: String,
}

impl KeyError {
    /// A key error.
    pub fn new(key: impl Into<String>, why: impl fmt::Display) -> Self {
        KeyError {
            key: key.into(),
            why: why.to_string(),
        }
    }

    /// This error as a [`ConfigError`] of file `path`.
    pub fn in_file(self, path: &Path) -> ConfigError {
        ConfigError::Key {
            path: path.to_owned(),
            key: self.key,
            why: self.why,
        }
    }
}

/// Loads and validates every `*.toml` file in `dir` (sorted by file name). Fails with every
/// problem found ([`ConfigError::Many`] when more than one).
pub fn load_sources(dir: &Path) -> Result<Vec<SourceConfig>, ConfigError> {
    let (ok, mut errors) = load_sources_lenient(dir);
    match errors.len() {
        0 => Ok(ok),
        1 => Err(errors.remove(0)),
        _ => Err(ConfigError::Many(errors)),
    }
}

/// Loads every `*.toml` file in `dir`, returning the good configs and the problems separately
/// (for `sources check` and `sources list`, which report all of them).
pub fn load_sources_lenient(dir: &Path) -> (Vec<SourceConfig>, Vec<ConfigError>) {
    let mut errors = Vec::new();
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect(),
        Err(e) => {
            errors.push(ConfigError::Io {
                path: dir.to_owned(),
                why: e.to_string(),
            });
            return (Vec::new(), errors);
        }
    };
    files.sort();
    let mut ok: Vec<SourceConfig> = Vec::new();
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    for path in files {
        let cfg = std::fs::read_to_string(&path)
            .map_err(|e| ConfigError::Io {
                path: path.clone(),
                why: e.to_string(),
            })
            .and_then(|text| parse_source(&path, &text));
        match cfg {
            Ok(cfg) => {
                if let Some(first) = seen.get(&cfg.common.name) {
                    errors.push(ConfigError::DuplicateName {
                        name: cfg.common.name.clone(),
                        first: first.clone(),
                        second: path.clone(),
                    });
                    continue;
                }
                seen.insert(cfg.common.name.clone(), path.clone());
                ok.push(cfg);
            }
            Err(e) => errors.push(e),
        }
    }
    (ok, errors)
}

/// Parses one source file. The name defaults to the file stem.
pub fn parse_source(path: &Path, text: &str) -> Result<SourceConfig, ConfigError> {
    let table: toml::Table = toml::from_str(text).map_err(|e| syntax_error(path, text, &e))?;
    let (mut common_t, mut rest) = (toml::Table::new(), toml::Table::new());
    for (k, v) in table {
        if CommonConfig::KEYS.contains(&k.as_str()) || PolitenessConfig::KEYS.contains(&k.as_str())
        {
            common_t.insert(k, v);
        } else {
            rest.insert(k, v);
        }
    }
    if !common_t.contains_key("name")
        && let Some(stem) = path.file_stem().and_then(|s| s.to_str())
    {
        common_t.insert("name".into(), toml::Value::String(stem.to_owned()));
    }
    let common: CommonConfig = from_table(path, &common_t)?;
    common.validate().map_err(|e| e.in_file(path))?;
    let kind = KindConfig::parse(&common.kind, rest).map_err(|e| match e {
        KindParseError::Key(k) => k.in_file(path),
        KindParseError::Toml { text, error } => key_error(path, &text, &error),
    })?;
    Ok(SourceConfig {
        path: path.to_owned(),
        common,
        kind,
    })
}

/// Why [`KindConfig::parse`] failed.
#[derive(Debug)]
pub enum KindParseError {
    /// A key-level problem (e.g. unknown kind).
    Key(KeyError),
    /// serde/toml rejected the kind's keys; `text` is the TOML the error's span points into.
    Toml {
        /// The re-serialized engine keys.
        text: String,
        /// The toml error.
        error: toml::de::Error,
    },
}

/// Deserializes `T` from a table so that serde errors name the key: the table is written
/// back as TOML and parsed from that text, whose error span points at the offending key.
pub fn table_into<T: serde::de::DeserializeOwned>(
    table: &toml::Table,
) -> Result<T, KindParseError> {
    let text = toml::to_string(table).map_err(|e| {
        KindParseError::Key(KeyError::new("(file)", format!("cannot re-serialize: {e}")))
    })?;
    toml::from_str(&text).map_err(|error| KindParseError::Toml { text, error })
}

fn from_table<T: serde::de::DeserializeOwned>(
    path: &Path,
    table: &toml::Table,
) -> Result<T, ConfigError> {
    table_into(table).map_err(|e| match e {
        KindParseError::Key(k) => k.in_file(path),
        KindParseError::Toml { text, error } => key_error(path, &text, &error),
    })
}

fn syntax_error(path: &Path, text: &str, e: &toml::de::Error) -> ConfigError {
    let line = e
        .span()
        .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
        .unwrap_or(0);
    ConfigError::Syntax {
        path: path.to_owned(),
        line,
        why: e.message().trim().to_owned(),
    }
}

/// Turns a serde error on `text` into a [`ConfigError::Key`] naming the dotted key its span
/// points at.
fn key_error(path: &Path, text: &str, e: &toml::de::Error) -> ConfigError {
    let key = e
        .span()
        .map(|s| key_at(text, s.start))
        .filter(|k| !k.is_empty())
        .unwrap_or_else(|| "(top level)".into());
    ConfigError::Key {
        path: path.to_owned(),
        key,
        why: e.message().trim().to_owned(),
    }
}

/// The dotted key path of the `key = value` line (or `[table]` header) containing byte `pos`.
fn key_at(text: &str, pos: usize) -> String {
    let pos = pos.min(text.len());
    let line_start = text[..pos].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = text[pos..]
        .find('\n')
        .map(|i| pos + i)
        .unwrap_or(text.len());
    let line = text[line_start..line_end].trim();
    let mut table = String::new();
    for prev in text[..line_start].lines().rev() {
        let p = prev.trim();
        if p.starts_with('[') {
            table = p.trim_matches(|c| c == '[' || c == ']').trim().to_owned();
            break;
        }
    }
    let key = if line.starts_with('[') {
        return line
            .trim_matches(|c| c == '[' || c == ']')
            .trim()
            .to_owned();
    } else if let Some((lhs, _)) = line.split_once('=') {
        lhs.trim().trim_matches('"').to_owned()
    } else {
        String::new()
    };
    match (table.is_empty(), key.is_empty()) {
        (true, _) => key,
        (false, true) => table,
        (false, false) => format!("{table}.{key}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_global_config_gives_defaults() {
        let g = GlobalConfig::load(Path::new("/nonexistent/aeroscrap.toml")).unwrap();
        assert_eq!(g, GlobalConfig::default());
        assert!(g.user_agent().starts_with("aeroscrap/"));
        assert_eq!(g.politeness_defaults(), Politeness::default());
    }

    #[test]
    fn global_config_sets_contact_and_politeness() {
        let g = GlobalConfig::parse(
            Path::new("aeroscrap.toml"),
            "contact = \"ops@example.org\"\nschedule = \"30 5 * * *\"\n[politeness]\ndelay_ms = 2500\n",
        )
        .unwrap();
        assert_eq!(
            g.user_agent(),
            format!("aeroscrap/{} (+ops@example.org)", env!("CARGO_PKG_VERSION"))
        );
        assert_eq!(g.politeness_defaults().delay, Duration::from_millis(2500));
        assert_eq!(g.schedule.as_deref(), Some("30 5 * * *"));
    }

    #[test]
    fn unknown_global_keys_are_named() {
        let err = GlobalConfig::parse(Path::new("aeroscrap.toml"), "[politeness]\ndelay = 5\n")
            .unwrap_err();
        assert!(err.to_string().contains("key `politeness.delay`"), "{err}");
        let err =
            GlobalConfig::parse(Path::new("aeroscrap.toml"), "contakt = \"x\"\n").unwrap_err();
        assert!(err.to_string().contains("contakt"), "{err}");
    }

    #[test]
    fn key_at_finds_table_and_key() {
        let text = "a = 1\n[list]\nitem = 5\n[list.fields]\ntitle = 3\n";
        assert_eq!(key_at(text, text.find("5").unwrap()), "list.item");
        assert_eq!(key_at(text, text.find("3").unwrap()), "list.fields.title");
        assert_eq!(key_at(text, 0), "a");
    }
}
