//! A loader for XCSP 2.1 instances with table constraints (`<relation semantics="supports">`),
//! such as real OEM rule sets (../shared/benchmarks/renault). Values become domain indices;
//! an optional variable's joker `-1` is an ordinary value. The result is an engine [`Model`]:
//! the same engine the smart #1 catalog compiles to.

use crate::engine::{Constraint, Model, Val, VarId, Variable};
use std::collections::HashMap;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("XCSP {entry}: {reason}")]
pub struct XcspError {
    pub entry: String,
    pub reason: String,
}

fn err(entry: impl Into<String>, reason: impl Into<String>) -> XcspError {
    XcspError {
        entry: entry.into(),
        reason: reason.into(),
    }
}

/// A loaded instance: the model plus the names and values behind its indices.
#[derive(Debug)]
pub struct Instance {
    pub model: Model,
    pub var_names: Vec<String>,
    /// For each variable, the value of each index.
    pub values: Vec<Vec<i64>>,
}

impl Instance {
    pub fn var(&self, name: &str) -> Option<VarId> {
        self.var_names.iter().position(|n| n == name)
    }

    pub fn index_of(&self, var: VarId, value: i64) -> Option<Val> {
        self.values[var]
            .iter()
            .position(|&v| v == value)
            .map(|i| i as Val)
    }
}

/// One element: its name, attributes and the text up to the next tag.
struct Tag<'a> {
    name: &'a str,
    attrs: Vec<(&'a str, &'a str)>,
    text: &'a str,
}

impl<'a> Tag<'a> {
    fn attr(&self, key: &str) -> Result<&'a str, XcspError> {
        self.attrs
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| *v)
            .ok_or_else(|| err(self.name, format!("missing attribute {key}")))
    }
}

/// The opening tags of a document in order (closing tags, comments and declarations skipped).
fn tags(text: &str) -> impl Iterator<Item = Tag<'_>> {
    let mut rest = text;
    std::iter::from_fn(move || loop {
        let start = rest.find('<')?;
        let end = start + rest[start..].find('>')?;
        let inner = rest[start + 1..end].trim_end_matches('/').trim();
        let after = &rest[end + 1..];
        let text_end = after.find('<').unwrap_or(after.len());
        let body = &after[..text_end];
        rest = after;
        if inner.starts_with('/') || inner.starts_with('?') || inner.starts_with('!') {
            continue;
        }
        let (name, mut attr_text) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        let mut attrs = Vec::new();
        while let Some(eq) = attr_text.find('=') {
            let key = attr_text[..eq].trim();
            let value_start = attr_text[eq + 1..].find('"').map(|q| eq + 1 + q + 1);
            let Some(vs) = value_start else { break };
            let Some(len) = attr_text[vs..].find('"') else {
                break;
            };
            attrs.push((key, &attr_text[vs..vs + len]));
            attr_text = &attr_text[vs + len + 1..];
        }
        return Some(Tag {
            name,
            attrs,
            text: body,
        });
    })
}

fn numbers(text: &str, entry: &str) -> Result<Vec<i64>, XcspError> {
    let mut out = Vec::new();
    for token in text.split_whitespace() {
        match token.split_once("..") {
            Some((a, b)) => {
                let (a, b): (i64, i64) = (
                    a.parse()
                        .map_err(|_| err(entry, format!("bad range {token}")))?,
                    b.parse()
                        .map_err(|_| err(entry, format!("bad range {token}")))?,
                );
                out.extend(a..=b);
            }
            None => out.push(
                token
                    .parse()
                    .map_err(|_| err(entry, format!("bad value {token}")))?,
            ),
        }
    }
    Ok(out)
}

/// The tuples a `<relation semantics="supports">` allows, each of its arity.
fn supports(tag: &Tag<'_>) -> Result<Vec<Vec<i64>>, XcspError> {
    let name = tag.attr("name")?;
    if tag.attr("semantics")? != "supports" {
        return Err(err(name, "only semantics=\"supports\" is supported"));
    }
    let arity: usize = tag
        .attr("arity")?
        .parse()
        .map_err(|_| err(name, "bad arity"))?;
    let mut tuples = Vec::new();
    for part in tag.text.split('|').filter(|p| !p.trim().is_empty()) {
        let t = numbers(part, name)?;
        if t.len() != arity {
            return Err(err(
                name,
                format!("a tuple of {} values for arity {arity}", t.len()),
            ));
        }
        tuples.push(t);
    }
    Ok(tuples)
}

pub fn parse(text: &str) -> Result<Instance, XcspError> {
    let mut domains: HashMap<&str, Vec<i64>> = HashMap::new();
    let mut var_names = Vec::new();
    let mut values = Vec::new();
    let mut var_index: HashMap<&str, VarId> = HashMap::new();
    let mut relations: HashMap<&str, Vec<Vec<i64>>> = HashMap::new();
    let mut constraints = Vec::new();
    for tag in tags(text) {
        match tag.name {
            "domain" => {
                let name = tag.attr("name")?;
                let vals = numbers(tag.text, name)?;
                if vals.is_empty() {
                    return Err(err(name, "an empty domain"));
                }
                domains.insert(name, vals);
            }
            "variable" => {
                let name = tag.attr("name")?;
                let domain = tag.attr("domain")?;
                let vals = domains
                    .get(domain)
                    .ok_or_else(|| err(name, format!("unknown domain {domain}")))?;
                var_index.insert(name, var_names.len());
                var_names.push(name.to_string());
                values.push(vals.clone());
            }
            "relation" => {
                relations.insert(tag.attr("name")?, supports(&tag)?);
            }
            "constraint" => {
                let name = tag.attr("name")?;
                let reference = tag.attr("reference")?;
                let relation = relations
                    .get(reference)
                    .ok_or_else(|| err(name, format!("unknown relation {reference}")))?;
                let scope = tag
                    .attr("scope")?
                    .split_whitespace()
                    .map(|v| {
                        var_index
                            .get(v)
                            .copied()
                            .ok_or_else(|| err(name, format!("unknown variable {v}")))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                // Tuples naming a value outside a domain can never hold: dropped.
                let tuples = relation
                    .iter()
                    .filter_map(|t| {
                        scope
                            .iter()
                            .zip(t)
                            .map(|(&var, &value)| {
                                values[var]
                                    .iter()
                                    .position(|&x| x == value)
                                    .map(|i| i as Val)
                            })
                            .collect::<Option<Vec<_>>>()
                    })
                    .collect();
                constraints.push(Constraint::Table { scope, tuples });
            }
            _ => {}
        }
    }
    let vars = var_names
        .iter()
        .zip(&values)
        .map(|(n, v)| Variable {
            name: n.clone(),
            size: v.len(),
            preference: vec![],
        })
        .collect();
    let model = Model::new(vars, constraints).map_err(|e| err("model", e.to_string()))?;
    Ok(Instance {
        model,
        var_names,
        values,
    })
}

/// Sold cars: a header naming variables, then one car a line (values in header order).
pub struct Sales {
    pub vars: Vec<VarId>,
    pub cars: Vec<Vec<Val>>,
}

pub fn parse_sales(instance: &Instance, text: &str) -> Result<Sales, XcspError> {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header = lines.next().ok_or_else(|| err("sales", "empty file"))?;
    let vars = header
        .split_whitespace()
        .map(|n| {
            instance
                .var(n)
                .ok_or_else(|| err("sales header", format!("unknown variable {n}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut cars = Vec::new();
    for (i, line) in lines.enumerate() {
        let entry = format!("sales line {}", i + 2);
        let vals = numbers(line, &entry)?;
        if vals.len() != vars.len() {
            return Err(err(
                entry,
                format!("{} values for {} variables", vals.len(), vars.len()),
            ));
        }
        let car = vars
            .iter()
            .zip(&vals)
            .map(|(&var, &value)| {
                instance.index_of(var, value).ok_or_else(|| {
                    err(
                        &entry,
                        format!(
                            "value {value} not in the domain of {}",
                            instance.var_names[var]
                        ),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        cars.push(car);
    }
    Ok(Sales { vars, cars })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Engine, ValueSet};

    const TINY: &str = r#"<instance>
      <domains nbDomains="2"><domain name="D0" nbValues="3">0..2</domain><domain name="D1" nbValues="2" optional="-1">-1 0</domain></domains>
      <variables><variable name="a" domain="D0"/><variable name="b" domain="D1"/></variables>
      <relations><relation name="R" arity="2" nbTuples="3" semantics="supports"> 0 -1 | 1 0 | 2 0 | 7 0</relation></relations>
      <constraints><constraint name="c" arity="2" reference="R" scope="a b"/></constraints>
    </instance>"#;

    #[test]
    fn a_small_instance_loads_with_jokers_and_ranges() {
        let inst = parse(TINY).unwrap();
        assert_eq!(inst.var_names, vec!["a", "b"]);
        assert_eq!(inst.values[1], vec![-1, 0]);
        let e = Engine::new(&inst.model);
        assert_eq!(e.count(&[None, None]), 3u32.into());
        let b_is_joker = inst.index_of(1, -1).unwrap();
        assert_eq!(
            e.possible_values(&[None, Some(b_is_joker)]).unwrap()[0],
            ValueSet::single(0)
        );
    }

    #[test]
    fn a_domain_of_1000_values_loads() {
        // Once refused past 64 values ("Dv0: 324 values (1 to 64 supported)").
        let wide = TINY
            .replace(">0..2<", ">0..999<")
            .replace(" 0 -1 | 1 0 | 2 0 | 7 0", " 0 -1 | 1 0 | 999 0 | 1000 0");
        let inst = parse(&wide).unwrap();
        assert_eq!(inst.model.vars()[0].size, 1000);
        let e = Engine::new(&inst.model);
        assert_eq!(e.count(&[None, None]), 3u32.into());
        let b_is_0 = inst.index_of(1, 0).unwrap();
        let possible = e.possible_values(&[None, Some(b_is_0)]).unwrap();
        assert_eq!(possible[0], [1, 999].into_iter().collect());
    }

    #[test]
    fn errors_name_the_entry() {
        let broken = TINY.replace("reference=\"R\"", "reference=\"Q\"");
        assert_eq!(parse(&broken).unwrap_err().entry, "c");
        let broken = TINY.replace("1 0 |", "1 |");
        assert!(parse(&broken).unwrap_err().reason.contains("arity"));
        let empty = TINY.replace(">0..2<", "><");
        assert_eq!(parse(&empty).unwrap_err().entry, "D0");
    }
}
