//! A job's `env_vars` (a JSON object) read with bounds: a job the worker cannot safely run ends
//! with an error that says why, instead of wedging the worker.

use serde_json::Value;

pub const MAX_ENTRIES: usize = 1000;
pub const MAX_BYTES: usize = 256 * 1024;

pub fn parse(text: &str) -> Result<Vec<(String, String)>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Vec::new());
    }
    if text.len() > MAX_BYTES {
        return Err(format!("job env is {} bytes; a worker takes at most {MAX_BYTES}: pass large data in the script or a file", text.len()));
    }
    let value: Value = serde_json::from_str(text).map_err(|e| format!("job env_vars is not a JSON object: {e}"))?;
    let Value::Object(map) = value else {
        return Err("job env_vars must be a JSON object of names to values".to_string());
    };
    if map.len() > MAX_ENTRIES {
        return Err(format!("job env has {} entries; a worker takes at most {MAX_ENTRIES}", map.len()));
    }
    let mut env = Vec::with_capacity(map.len());
    for (name, value) in map {
        if name.is_empty() || name.contains('=') || name.contains('\0') {
            return Err(format!("job env name {name:?} cannot be used (empty, or holds '=' or NUL)"));
        }
        if name.starts_with("HERD_") {
            return Err(format!("job env name {name} is reserved: names starting with HERD_ are Herd's and the pool's"));
        }
        let text = match value {
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            other => return Err(format!("job env {name} must be a string, number or boolean, not {other}")),
        };
        if text.contains('\0') {
            return Err(format!("job env {name} holds a NUL character"));
        }
        env.push((name, text));
    }
    Ok(env)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_names_and_values() {
        assert_eq!(parse("{\"A\":\"x\",\"N\":5}").unwrap(), vec![("A".into(), "x".into()), ("N".into(), "5".into())]);
        assert!(parse("").unwrap().is_empty());
    }

    #[test]
    fn refuses_what_it_cannot_run_safely() {
        let many = format!("{{{}}}", (0..1001).map(|i| format!("\"K{i}\":\"v\"")).collect::<Vec<_>>().join(","));
        assert!(parse(&many).unwrap_err().contains("1001 entries"));
        assert!(parse("[1]").unwrap_err().contains("JSON object"));
        assert!(parse("{\"A=B\":\"x\"}").unwrap_err().contains("cannot be used"));
        assert!(parse("{\"A\":{}}").unwrap_err().contains("must be a string"));
        assert!(parse("{\"HERD_RHAI_MAX_OPERATIONS\":\"9\"}").unwrap_err().contains("reserved"));
        assert!(parse(&"x".repeat(MAX_BYTES + 1)).unwrap_err().contains("at most"));
    }
}
