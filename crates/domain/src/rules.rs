//! Turns the catalog's declarative rules (available_on, requires, excludes, includes, defaults)
//! into engine variables and clauses, each clause remembering the rule it came from and a reason
//! a customer can read in German and English.

use crate::catalog_file::{CatalogFile, Choice};
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
    let mut compiler = Compiler {
        data,
        refs,
        sizes: vars.iter().map(|v| v.size).collect(),
        line_group,
        constraints: Vec::new(),
        rules: Vec::new(),
    };
    for group in &data.groups {
        for choice in &group.choices {
            compiler.choice(choice)?;
        }
    }
    // Single groups need no extra constraint: one variable holds exactly one value.
    let model =
        Model::new(vars, compiler.constraints).map_err(|e| ("rules".to_string(), e.to_string()))?;
    Ok((model, compiler.rules))
}

/// The rules compiled so far: each rule beside the clause of the same index.
struct Compiler<'a> {
    data: &'a CatalogFile,
    refs: &'a HashMap<String, ChoiceRef>,
    /// Each variable's domain size.
    sizes: Vec<usize>,
    line_group: usize,
    constraints: Vec<Constraint>,
    rules: Vec<Rule>,
}

impl Compiler<'_> {
    fn name_of(&self, code: &str) -> &Text {
        let r = self.refs[code];
        &self.data.groups[r.group].choices[r.index].name
    }

    fn is(r: ChoiceRef) -> Literal {
        Literal {
            var: r.var,
            values: ValueSet::single(r.val),
        }
    }

    fn is_not(&self, r: ChoiceRef) -> Literal {
        let mut values = ValueSet::full(self.sizes[r.var]);
        values.remove(r.val);
        Literal { var: r.var, values }
    }

    fn lookup(&self, owner: &str, code: &str) -> Result<ChoiceRef, CompileError> {
        self.refs
            .get(code)
            .copied()
            .ok_or_else(|| (owner.to_string(), format!("rule names unknown code {code}")))
    }

    /// One rule of `choice`: the `n`-th of its kind, naming `targets`.
    fn add(
        &mut self,
        choice: &Choice,
        (kind, n): (RuleKind, usize),
        targets: &[String],
        clause: Vec<Literal>,
        reason: Text,
    ) {
        let suffix = if n > 0 {
            format!("[{n}]")
        } else {
            String::new()
        };
        let kind_name = serde_json::to_value(kind)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default();
        self.rules.push(Rule {
            id: format!("{}.{kind_name}{suffix}", choice.code),
            kind,
            source: choice.code.clone(),
            targets: targets.to_vec(),
            reason,
        });
        self.constraints.push(Constraint::Clause(clause));
    }

    fn choice(&mut self, choice: &Choice) -> Result<(), CompileError> {
        if !choice.available_on.is_empty() {
            self.available_on(choice)?;
        }
        for (n, any) in choice.requires.iter().enumerate() {
            self.requires(choice, n, any)?;
        }
        for (n, code) in choice.excludes.iter().enumerate() {
            self.excludes(choice, n, code)?;
        }
        for (n, code) in choice.includes.iter().enumerate() {
            let (me, other) = (self.refs[&choice.code], self.lookup(&choice.code, code)?);
            let reason = Text::new(
                format!("{} enthält {}.", choice.name.de, self.name_of(code).de),
                format!("{} includes {}.", choice.name.en, self.name_of(code).en),
            );
            let clause = vec![self.is_not(me), Self::is(other)];
            self.add(
                choice,
                (RuleKind::Includes, n),
                std::slice::from_ref(code),
                clause,
                reason,
            );
        }
        Ok(())
    }

    /// Only on these lines: not this choice, or one of the lines.
    fn available_on(&mut self, choice: &Choice) -> Result<(), CompileError> {
        let mut clause = vec![self.is_not(self.refs[&choice.code])];
        for code in &choice.available_on {
            let r = self.lookup(&choice.code, code)?;
            if r.group != self.line_group {
                return Err((
                    choice.code.clone(),
                    format!("available_on names {code}, which is not a line"),
                ));
            }
            clause.push(Self::is(r));
        }
        let lines: Vec<&Text> = choice
            .available_on
            .iter()
            .map(|c| self.name_of(c))
            .collect();
        let lines = either(&lines);
        let reason = Text::new(
            format!("{} gibt es nur für die Linie {}.", choice.name.de, lines.de),
            format!(
                "{} is only available for the {} line.",
                choice.name.en, lines.en
            ),
        );
        self.add(
            choice,
            (RuleKind::AvailableOn, 0),
            &choice.available_on,
            clause,
            reason,
        );
        Ok(())
    }

    /// Needs one of `any`: not this choice, or one of them.
    fn requires(&mut self, choice: &Choice, n: usize, any: &[String]) -> Result<(), CompileError> {
        if any.is_empty() {
            return Err((choice.code.clone(), "requires holds an empty list".into()));
        }
        let mut clause = vec![self.is_not(self.refs[&choice.code])];
        for code in any {
            clause.push(Self::is(self.lookup(&choice.code, code)?));
        }
        let names: Vec<&Text> = any.iter().map(|c| self.name_of(c)).collect();
        let needed = either(&names);
        let reason = Text::new(
            format!("{} erfordert {}.", choice.name.de, needed.de),
            format!("{} requires {}.", choice.name.en, needed.en),
        );
        self.add(choice, (RuleKind::Requires, n), any, clause, reason);
        Ok(())
    }

    /// Never together: not this choice, or not the other.
    fn excludes(&mut self, choice: &Choice, n: usize, code: &String) -> Result<(), CompileError> {
        let (me, other) = (self.refs[&choice.code], self.lookup(&choice.code, code)?);
        if other == me {
            return Err((choice.code.clone(), "a choice cannot exclude itself".into()));
        }
        let reason = Text::new(
            format!(
                "{} ist nicht mit {} kombinierbar.",
                choice.name.de,
                self.name_of(code).de
            ),
            format!(
                "{} cannot be combined with {}.",
                choice.name.en,
                self.name_of(code).en
            ),
        );
        let clause = vec![self.is_not(me), self.is_not(other)];
        self.add(
            choice,
            (RuleKind::Excludes, n),
            std::slice::from_ref(code),
            clause,
            reason,
        );
        Ok(())
    }
}
