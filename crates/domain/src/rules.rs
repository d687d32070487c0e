//! Turns the catalog's declarative rules (available_on, requires, excludes, includes, defaults)
//! into engine variables and clauses, each clause remembering the rule it came from and a reason
//! a customer can read in German and English.

use crate::catalog_file::CatalogFile;
use crate::i18n::Text;
use rules::{Constraint, Literal, Model, Val, ValueSet, VarId, Variable};
use serde::Serialize;
use std::collections::HashMap;

/// Where a choice sits in the engine: single groups are one variable (value = choice index),
/// each choice of a multi group is an on/off variable (value 1 = on).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChoiceRef {
    pub group: usize,
    pub index: usize,
    pub var: VarId,
    pub val: Val,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    AvailableOn,
    Requires,
    Excludes,
    Includes,
}

/// One declarative rule of the catalog, as the engine's constraint of the same index.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// "<choice code>.<kind>[<n>]", stable for a price list.
    pub id: String,
    pub kind: RuleKind,
    /// The choice that carries the rule.
    pub source: String,
    /// The codes it names.
    pub targets: Vec<String>,
    pub reason: Text,
}

/// "A", "A oder B", "A, B oder C".
fn either(names: &[&Text]) -> Text {
    let join = |lang: fn(&Text) -> &str, or: &str| match names {
        [] => String::new(),
        [one] => lang(one).to_string(),
        [init @ .., last] => {
            format!(
                "{} {or} {}",
                init.iter().map(|t| lang(t)).collect::<Vec<_>>().join(", "),
                lang(last)
            )
        }
    };
    Text::new(join(|t| &t.de, "oder"), join(|t| &t.en, "or"))
}

type CompileError = (String, String);

pub(crate) fn compile(
    data: &CatalogFile,
    refs: &HashMap<String, ChoiceRef>,
    var_groups: &[(usize, Option<usize>)],
    line_group: usize,
) -> Result<(Model, Vec<Rule>), CompileError> {
    let name_of = |code: &str| {
        let r = refs[code];
        &data.groups[r.group].choices[r.index].name
    };
    let vars = var_groups
        .iter()
        .map(|&(g, choice)| {
            let group = &data.groups[g];
            match choice {
                None => Variable {
                    name: group.code.clone(),
                    size: group.choices.len(),
                    preference: group.defaults.iter().map(|c| refs[c].val).collect(),
                },
                // Options are off unless chosen (or included).
                Some(i) => Variable {
                    name: group.choices[i].code.clone(),
                    size: 2,
                    preference: vec![0, 1],
                },
            }
        })
        .collect::<Vec<_>>();
    let is = |r: ChoiceRef| Literal {
        var: r.var,
        values: ValueSet::single(r.val),
    };
    let is_not = |r: ChoiceRef| {
        let mut values = ValueSet::full(vars[r.var].size);
        values.remove(r.val);
        Literal { var: r.var, values }
    };
    let lookup = |owner: &str, code: &str| {
        refs.get(code)
            .copied()
            .ok_or_else(|| (owner.to_string(), format!("rule names unknown code {code}")))
    };

    let mut constraints = Vec::new();
    let mut rules = Vec::new();
    for group in &data.groups {
        for choice in &group.choices {
            let me = refs[&choice.code];
            let mut add = |kind: RuleKind,
                           n: usize,
                           targets: &[String],
                           clause: Vec<Literal>,
                           reason: Text| {
                let suffix = if n > 0 {
                    format!("[{n}]")
                } else {
                    String::new()
                };
                let kind_name = serde_json::to_value(kind)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default();
                rules.push(Rule {
                    id: format!("{}.{kind_name}{suffix}", choice.code),
                    kind,
                    source: choice.code.clone(),
                    targets: targets.to_vec(),
                    reason,
                });
                constraints.push(Constraint::Clause(clause));
            };
            if !choice.available_on.is_empty() {
                let mut clause = vec![is_not(me)];
                for code in &choice.available_on {
                    let r = lookup(&choice.code, code)?;
                    if r.group != line_group {
                        return Err((
                            choice.code.clone(),
                            format!("available_on names {code}, which is not a line"),
                        ));
                    }
                    clause.push(is(r));
                }
                let lines: Vec<&Text> = choice.available_on.iter().map(|c| name_of(c)).collect();
                let lines = either(&lines);
                let reason = Text::new(
                    format!("{} gibt es nur für die Linie {}.", choice.name.de, lines.de),
                    format!(
                        "{} is only available for the {} line.",
                        choice.name.en, lines.en
                    ),
                );
                add(
                    RuleKind::AvailableOn,
                    0,
                    &choice.available_on,
                    clause,
                    reason,
                );
            }
            for (n, any) in choice.requires.iter().enumerate() {
                if any.is_empty() {
                    return Err((choice.code.clone(), "requires holds an empty list".into()));
                }
                let mut clause = vec![is_not(me)];
                for code in any {
                    clause.push(is(lookup(&choice.code, code)?));
                }
                let names: Vec<&Text> = any.iter().map(|c| name_of(c)).collect();
                let needed = either(&names);
                let reason = Text::new(
                    format!("{} erfordert {}.", choice.name.de, needed.de),
                    format!("{} requires {}.", choice.name.en, needed.en),
                );
                add(RuleKind::Requires, n, any, clause, reason);
            }
            for (n, code) in choice.excludes.iter().enumerate() {
                let other = lookup(&choice.code, code)?;
                if other == me {
                    return Err((choice.code.clone(), "a choice cannot exclude itself".into()));
                }
                let reason = Text::new(
                    format!(
                        "{} ist nicht mit {} kombinierbar.",
                        choice.name.de,
                        name_of(code).de
                    ),
                    format!(
                        "{} cannot be combined with {}.",
                        choice.name.en,
                        name_of(code).en
                    ),
                );
                add(
                    RuleKind::Excludes,
                    n,
                    std::slice::from_ref(code),
                    vec![is_not(me), is_not(other)],
                    reason,
                );
            }
            for (n, code) in choice.includes.iter().enumerate() {
                let other = lookup(&choice.code, code)?;
                let reason = Text::new(
                    format!("{} enthält {}.", choice.name.de, name_of(code).de),
                    format!("{} includes {}.", choice.name.en, name_of(code).en),
                );
                add(
                    RuleKind::Includes,
                    n,
                    std::slice::from_ref(code),
                    vec![is_not(me), is(other)],
                    reason,
                );
            }
        }
    }
    // Single groups need no extra constraint: one variable holds exactly one value.
    let model = Model::new(vars, constraints).map_err(|e| ("rules".to_string(), e.to_string()))?;
    Ok((model, rules))
}
