//! The model card (`README.md`): YAML front matter and Markdown sections.

use crate::record::{Co2, EvalResult, ModelCard};
use serde_json::Value;

/// Reads a model card's text. Problems (unclosed or malformed front matter) are pushed as
/// `rel: reason`; the prose is still split into sections.
pub(crate) fn parse_card(text: &str, rel: &str, problems: &mut Vec<String>) -> ModelCard {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (yaml, body) = split_front_matter(text, rel, problems);
    let mut card = ModelCard::default();
    if let Some(yaml) = yaml {
        match serde_yaml_ng::from_str::<serde_yaml_ng::Value>(yaml) {
            Ok(v) => {
                let json = yaml_to_json(v);
                match &json {
                    Value::Object(_) => fill_from_front_matter(&mut card, &json),
                    Value::Null => {}
                    other => problems.push(format!("{rel}: front matter is a YAML {}, not a mapping", json_kind(other))),
                }
                if !json.is_null() {
                    card.front_matter = Some(json);
                }
            }
            Err(e) => problems.push(format!("{rel}: front matter is not valid YAML: {e}")),
        }
    }
    card.sections = sections(body);
    card
}

/// Splits `---\n<yaml>\n---\n<body>`. A card without front matter is all body.
fn split_front_matter<'a>(text: &'a str, rel: &str, problems: &mut Vec<String>) -> (Option<&'a str>, &'a str) {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != "---" {
        return (None, text);
    }
    let mut pos = first_end;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        let line = text[pos..end].trim_end();
        if line == "---" || line == "..." {
            return (Some(&text[first_end..pos]), &text[end..]);
        }
        pos = end;
    }
    problems.push(format!("{rel}: front matter opened with `---` is never closed; read as prose"));
    (None, text)
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "sequence",
        Value::Object(_) => "mapping",
    }
}

/// YAML allows keys JSON does not (numbers, sequences) and tags; keys become their text, tags
/// are dropped, non-finite floats become null.
fn yaml_to_json(v: serde_yaml_ng::Value) -> Value {
    use serde_yaml_ng::Value as Y;
    match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_u64() {
                Value::from(i)
            } else if let Some(i) = n.as_i64() {
                Value::from(i)
            } else {
                n.as_f64().and_then(serde_json::Number::from_f64).map_or(Value::Null, Value::Number)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(seq) => Value::Array(seq.into_iter().map(yaml_to_json).collect()),
        Y::Mapping(m) => {
            let mut out = serde_json::Map::new();
            for (k, v) in m {
                let key = match yaml_to_json(k) {
                    Value::String(s) => s,
                    Value::Null => "null".to_string(),
                    other => other.to_string(),
                };
                out.insert(key, yaml_to_json(v));
            }
            Value::Object(out)
        }
        Y::Tagged(t) => yaml_to_json(t.value),
    }
}

/// A scalar as text (`license: 2.0` is written unquoted sometimes).
pub(crate) fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A field written either as one value or as a list of values.
pub(crate) fn one_or_many(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(items)) => items.iter().filter_map(scalar).collect(),
        Some(v) => scalar(v).into_iter().collect(),
        None => vec![],
    }
}

fn text_at(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(scalar)
}

fn fill_from_front_matter(card: &mut ModelCard, fm: &Value) {
    card.license = text_at(fm, "license");
    card.license_name = text_at(fm, "license_name");
    card.license_link = text_at(fm, "license_link");
    card.base_models = one_or_many(fm.get("base_model"));
    card.base_model_relation = text_at(fm, "base_model_relation");
    card.datasets = one_or_many(fm.get("datasets"));
    card.languages = one_or_many(fm.get("language"));
    card.pipeline_tag = text_at(fm, "pipeline_tag");
    card.library_name = text_at(fm, "library_name");
    card.tags = one_or_many(fm.get("tags"));
    card.eval_results = eval_results(fm.get("model-index"));
    card.co2 = fm.get("co2_eq_emissions").and_then(co2);
}

/// One [`EvalResult`] per metric; a result without metrics still names its task and dataset.
fn eval_results(index: Option<&Value>) -> Vec<EvalResult> {
    let mut out = vec![];
    let Some(Value::Array(models)) = index else { return out };
    for model in models {
        let model_name = text_at(model, "name");
        let Some(Value::Array(results)) = model.get("results") else { continue };
        for r in results {
            let task = r.get("task").unwrap_or(&Value::Null);
            let dataset = r.get("dataset").unwrap_or(&Value::Null);
            let base = EvalResult {
                model_name: model_name.clone(),
                task_type: text_at(task, "type"),
                task_name: text_at(task, "name"),
                dataset_type: text_at(dataset, "type"),
                dataset_name: text_at(dataset, "name"),
                dataset_split: text_at(dataset, "split"),
                ..EvalResult::default()
            };
            match r.get("metrics") {
                Some(Value::Array(metrics)) if !metrics.is_empty() => {
                    for m in metrics {
                        out.push(EvalResult {
                            metric_type: text_at(m, "type"),
                            metric_name: text_at(m, "name"),
                            value: match m.get("value") {
                                None | Some(Value::Null) => String::new(),
                                Some(Value::String(s)) => s.clone(),
                                Some(v) => v.to_string(),
                            },
                            ..base.clone()
                        });
                    }
                }
                _ => out.push(base),
            }
        }
    }
    out
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn co2(v: &Value) -> Option<Co2> {
    match v {
        Value::Object(_) => Some(Co2 {
            emissions_grams: v.get("emissions").and_then(number),
            source: text_at(v, "source"),
            training_type: text_at(v, "training_type"),
            geographical_location: text_at(v, "geographical_location"),
            hardware_used: text_at(v, "hardware_used"),
        }),
        other => number(other).map(|g| Co2 { emissions_grams: Some(g), ..Co2::default() }),
    }
}

/// ATX headings (`# ...` to `###### ...`) outside fenced code blocks start sections.
fn sections(body: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![];
    let mut heading = String::new();
    let mut text = String::new();
    let mut fence: Option<(char, usize)> = None;
    for line in body.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if indent < 4 {
            if let Some(f) = fence_marker(trimmed) {
                match fence {
                    None => fence = Some(f),
                    Some((c, n)) if f.0 == c && f.1 >= n && trimmed.trim_start_matches(c).trim().is_empty() => fence = None,
                    Some(_) => {}
                }
            } else if fence.is_none() {
                if let Some(h) = atx_heading(trimmed) {
                    push_section(&mut out, std::mem::take(&mut heading), &text);
                    text.clear();
                    heading = h;
                    continue;
                }
            }
        }
        text.push_str(line);
        text.push('\n');
    }
    push_section(&mut out, heading, &text);
    out
}

fn push_section(out: &mut Vec<(String, String)>, heading: String, text: &str) {
    let text = text.trim();
    if heading.is_empty() && text.is_empty() {
        return;
    }
    out.push((heading, text.to_string()));
}

fn fence_marker(line: &str) -> Option<(char, usize)> {
    let c = line.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = line.chars().take_while(|x| *x == c).count();
    (n >= 3).then_some((c, n))
}

fn atx_heading(line: &str) -> Option<String> {
    let level = line.chars().take_while(|c| *c == '#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &line[level..];
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    let rest = rest.trim();
    // A closing sequence of `#` is not part of the heading.
    let stripped = rest.trim_end_matches('#');
    let rest = if stripped.is_empty() || stripped.ends_with([' ', '\t']) { stripped.trim_end() } else { rest };
    Some(rest.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_inside_code_fences_are_prose() {
        let s = sections("intro\n# A\none\n```\n# not a heading\n```\n## B ##\ntwo\n#hashtag\n");
        assert_eq!(
            s,
            vec![
                ("".to_string(), "intro".to_string()),
                ("A".to_string(), "one\n```\n# not a heading\n```".to_string()),
                ("B".to_string(), "two\n#hashtag".to_string()),
            ]
        );
    }

    #[test]
    fn yaml_keys_and_tags_become_json() {
        let v: serde_yaml_ng::Value = serde_yaml_ng::from_str("1: !tag x\ntrue: [1, 2.5, .nan]\n").unwrap();
        assert_eq!(yaml_to_json(v), serde_json::json!({"1": "x", "true": [1, 2.5, null]}));
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut yaml = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            yaml.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        let mut p = vec![];
        let card = parse_card(&format!("---\n{yaml}---\n"), "README.md", &mut p);
        assert!(card.front_matter.is_none());
        assert!(p[0].starts_with("README.md: front matter is not valid YAML"), "{p:?}");
    }

    #[test]
    fn unclosed_front_matter_is_a_problem() {
        let mut p = vec![];
        let card = parse_card("---\nlicense: mit\n# Title\n", "README.md", &mut p);
        assert_eq!(card.license, None);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].starts_with("README.md: front matter"), "{p:?}");
    }
}
