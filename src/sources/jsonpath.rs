//! JSON paths (`a.b[0].c`) and JSON values as text, shared by the json engine and presets.

use serde_json::Value;

/// One step of a JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// Object key.
    Key(String),
    /// Array index.
    Index(usize),
}

/// A parsed JSON path (`a.b[0].c`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonPath(pub Vec<Seg>);

impl JsonPath {
    /// Parses a path; "" is the root.
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut segs = Vec::new();
        for part in s.split('.').filter(|p| !p.is_empty()) {
            let (key, mut rest) = match part.find('[') {
                Some(i) => (&part[..i], &part[i..]),
                None => (part, ""),
            };
            if !key.is_empty() {
                segs.push(Seg::Key(key.to_owned()));
            }
            while let Some(stripped) = rest.strip_prefix('[') {
                let end = stripped
                    .find(']')
                    .ok_or_else(|| format!("unclosed '[' in path {s:?}"))?;
                let idx: usize = stripped[..end]
                    .parse()
                    .map_err(|_| format!("bad index {:?} in path {s:?}", &stripped[..end]))?;
                segs.push(Seg::Index(idx));
                rest = &stripped[end + 1..];
            }
            if !rest.is_empty() {
                return Err(format!("unexpected {rest:?} in path {s:?}"));
            }
        }
        Ok(JsonPath(segs))
    }

    /// Every value the path reaches (keys on arrays fan out over the elements).
    pub fn lookup<'v>(&self, v: &'v Value) -> Vec<&'v Value> {
        let mut cur = vec![v];
        for seg in &self.0 {
            let mut next = Vec::new();
            for c in cur {
                match (seg, c) {
                    (Seg::Key(k), Value::Object(o)) => next.extend(o.get(k)),
                    (Seg::Key(k), Value::Array(a)) => {
                        next.extend(a.iter().filter_map(|e| e.as_object()?.get(k)))
                    }
                    (Seg::Index(i), Value::Array(a)) => next.extend(a.get(*i)),
                    _ => {}
                }
            }
            cur = next;
        }
        cur
    }

    /// The first value the path reaches.
    pub fn first<'v>(&self, v: &'v Value) -> Option<&'v Value> {
        self.lookup(v).into_iter().next()
    }
}

/// A JSON scalar (or array of scalars) as text; `None` for null/empty.
pub fn value_text(v: &Value, join: &str) -> Option<String> {
    let s = match v {
        Value::Null => return None,
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Array(a) => a
            .iter()
            .filter_map(|e| value_text(e, join))
            .collect::<Vec<_>>()
            .join(join),
        Value::Object(_) => v.to_string(),
    };
    (!s.is_empty()).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_index_and_fan_out() {
        let v = json!({"items":[{"requisitionList":[{"Id":"1"},{"Id":"2"}]}],
                       "result":[{"loc":{"results":[{"name":"Gurgaon"}]}}]});
        let p = JsonPath::parse("items[0].requisitionList").unwrap();
        assert_eq!(p.first(&v).unwrap().as_array().unwrap().len(), 2);
        let ids = JsonPath::parse("items[0].requisitionList.Id").unwrap();
        assert_eq!(ids.lookup(&v), vec![&json!("1"), &json!("2")]);
        let loc = JsonPath::parse("result[0].loc.results[0].name").unwrap();
        assert_eq!(loc.first(&v), Some(&json!("Gurgaon")));
        assert!(JsonPath::parse("a[x]").is_err());
    }
}
