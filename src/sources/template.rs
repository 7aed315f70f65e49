//! `{placeholder}` templates for URLs, request bodies and JSON field values.
//!
//! A placeholder is `{` + a name (letters, digits, `_`, `.`, `[`, `]`, `-`) + `}`; any other
//! brace is literal, so JSON bodies like `{"start": {offset}}` need no escaping.

/// One piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Lit(String),
    Var(String),
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']' | '-' | '@' | '$' | '|')
}

impl Template {
    /// Parses `s`. Never fails: text that is not a placeholder stays literal.
    pub fn parse(s: &str) -> Self {
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut rest = s;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let close = after.find('}');
            let name = close.map(|c| &after[..c]);
            match name {
                Some(n)
                    if !n.is_empty()
                        && n.chars().all(is_name_char)
                        && n.chars()
                            .next()
                            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '@') =>
                {
                    lit.push_str(&rest[..open]);
                    if !lit.is_empty() {
                        parts.push(Part::Lit(std::mem::take(&mut lit)));
                    }
                    parts.push(Part::Var(n.to_owned()));
                    rest = &after[n.len() + 1..];
                }
                _ => {
                    lit.push_str(&rest[..open + 1]);
                    rest = after;
                }
            }
        }
        lit.push_str(rest);
        if !lit.is_empty() {
            parts.push(Part::Lit(lit));
        }
        Template { parts }
    }

    /// Placeholder names in order of appearance.
    pub fn vars(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Var(v) => Some(v.as_str()),
            Part::Lit(_) => None,
        })
    }

    /// True when the template has at least one placeholder.
    pub fn has_vars(&self) -> bool {
        self.vars().next().is_some()
    }

    /// Checks that every placeholder is one of `allowed`.
    pub fn check_vars(&self, allowed: &[&str]) -> Result<(), String> {
        for v in self.vars() {
            if !allowed.contains(&v) {
                return Err(format!(
                    "unknown placeholder {{{v}}}; allowed: {}",
                    allowed
                        .iter()
                        .map(|a| format!("{{{a}}}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        Ok(())
    }

    /// Renders with `lookup`; a placeholder it has no value for is an error naming it.
    /// With `encode`, values are percent-encoded for a URL query.
    pub fn render(
        &self,
        lookup: impl Fn(&str) -> Option<String>,
        encode: bool,
    ) -> Result<String, String> {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Lit(s) => out.push_str(s),
                Part::Var(v) => {
                    let val = lookup(v).ok_or_else(|| format!("no value for {{{v}}}"))?;
                    if encode {
                        out.extend(url::form_urlencoded::byte_serialize(val.as_bytes()));
                    } else {
                        out.push_str(&val);
                    }
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_literal_braces() {
        let t = Template::parse(r#"{"start": {offset}, "limit": {limit}, "q": {}}"#);
        assert_eq!(t.vars().collect::<Vec<_>>(), ["offset", "limit"]);
        let out = t
            .render(
                |v| Some(if v == "offset" { "40" } else { "20" }.into()),
                false,
            )
            .unwrap();
        assert_eq!(out, r#"{"start": 40, "limit": 20, "q": {}}"#);
    }

    #[test]
    fn json_paths_as_placeholders_and_encoding() {
        let t = Template::parse("https://x.test/job/{items[0].Id}?c={cursor}");
        assert_eq!(t.vars().collect::<Vec<_>>(), ["items[0].Id", "cursor"]);
        assert!(
            t.check_vars(&["cursor"])
                .unwrap_err()
                .contains("{items[0].Id}")
        );
        let out = t.render(|_| Some("a b&c".into()), true).unwrap();
        assert_eq!(out, "https://x.test/job/a+b%26c?c=a+b%26c");
        assert!(t.render(|_| None, false).unwrap_err().contains("no value"));
    }
}
