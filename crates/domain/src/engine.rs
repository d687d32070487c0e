//! A small, general finite-domain constraint engine.
//!
//! Variables have small finite domains (value indices `0..size`, at most [`MAX_DOMAIN`]); a domain
//! is a bit set. Constraints are clauses over domain literals ("at least one of these variables
//! takes one of these values") or tables of allowed tuples. Nothing here knows about cars: the
//! smart #1 catalog (see `rules.rs`) and an OEM rule set are both just inputs.
//!
//! What the engine answers, for any partial selection:
//! - [`Engine::possible_values`]: for every variable the values that extend to at least one
//!   complete valid assignment (exact, so a configurator never offers a dead end);
//! - [`Engine::explain`]: a minimal set of constraints that rule a value out;
//! - [`Engine::smallest_change`]: the fewest selected values to give up so a wanted value fits;
//! - [`Engine::complete`]: the first valid completion in the variables' preference order, which is
//!   how catalog defaults fill what the customer has not chosen.
//!
//! Search is depth-first with constraint propagation (generalised arc consistency on each
//! constraint, watched by the variables in its scope) and witness sharing: every solution found
//! marks all of its values as supported, so far fewer searches run than there are values.

use num_bigint::BigUint;
use std::collections::HashMap;

/// Largest domain the bit-set representation holds.
pub const MAX_DOMAIN: usize = 64;

pub type VarId = usize;
/// A value index inside a variable's domain.
pub type Val = u8;
/// A set of value indices.
pub type Dom = u64;

/// The set holding only `v`.
pub fn bit(v: Val) -> Dom {
    1u64 << v
}

/// The values of a set, ascending.
pub fn values(dom: Dom) -> impl Iterator<Item = Val> {
    let mut rest = dom;
    std::iter::from_fn(move || {
        if rest == 0 {
            return None;
        }
        let v = rest.trailing_zeros() as Val;
        rest &= rest - 1;
        Some(v)
    })
}

fn full(size: usize) -> Dom {
    if size == MAX_DOMAIN {
        u64::MAX
    } else {
        (1u64 << size) - 1
    }
}

/// "Variable `var` takes one of `values`".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Literal {
    pub var: VarId,
    pub values: Dom,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Constraint {
    /// At least one literal holds.
    Clause(Vec<Literal>),
    /// The scope takes one of the tuples (values in scope order).
    Table {
        scope: Vec<VarId>,
        tuples: Vec<Vec<Val>>,
    },
}

impl Constraint {
    pub fn scope(&self) -> Vec<VarId> {
        match self {
            Constraint::Clause(lits) => lits.iter().map(|l| l.var).collect(),
            Constraint::Table { scope, .. } => scope.clone(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Variable {
    pub name: String,
    pub size: usize,
    /// Values in the order a completion tries them: the defaults first.
    pub preference: Vec<Val>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ModelError {
    #[error("variable {0} has an empty domain or more than {MAX_DOMAIN} values")]
    DomainSize(String),
    #[error("constraint {0} names a variable or value that does not exist")]
    BadReference(usize),
}

/// Variables and constraints, checked and indexed for propagation.
#[derive(Clone, Debug)]
pub struct Model {
    vars: Vec<Variable>,
    constraints: Vec<Constraint>,
    /// For each variable, the constraints whose scope holds it.
    watchers: Vec<Vec<usize>>,
}

impl Model {
    pub fn new(vars: Vec<Variable>, constraints: Vec<Constraint>) -> Result<Self, ModelError> {
        let mut vars = vars;
        for var in &mut vars {
            if var.size == 0 || var.size > MAX_DOMAIN {
                return Err(ModelError::DomainSize(var.name.clone()));
            }
            // Every value must be tried by a completion: append what the preference leaves out.
            let mut seen = 0u64;
            var.preference.retain(|&v| {
                let fresh = (v as usize) < var.size && seen & bit(v) == 0;
                seen |= if fresh { bit(v) } else { 0 };
                fresh
            });
            for v in values(full(var.size) & !seen) {
                var.preference.push(v);
            }
        }
        let mut constraints = constraints;
        for (id, c) in constraints.iter_mut().enumerate() {
            match c {
                Constraint::Clause(lits) => {
                    // Merge literals on one variable, so propagation sees one literal per variable.
                    let mut merged: Vec<Literal> = Vec::with_capacity(lits.len());
                    for lit in lits.drain(..) {
                        let size = vars.get(lit.var).ok_or(ModelError::BadReference(id))?.size;
                        if lit.values & !full(size) != 0 {
                            return Err(ModelError::BadReference(id));
                        }
                        match merged.iter_mut().find(|m| m.var == lit.var) {
                            Some(m) => m.values |= lit.values,
                            None => merged.push(lit),
                        }
                    }
                    *lits = merged;
                }
                Constraint::Table { scope, tuples } => {
                    for (i, &var) in scope.iter().enumerate() {
                        let size = vars.get(var).ok_or(ModelError::BadReference(id))?.size;
                        if tuples
                            .iter()
                            .any(|t| t.len() != scope.len() || t[i] as usize >= size)
                        {
                            return Err(ModelError::BadReference(id));
                        }
                    }
                }
            }
        }
        let mut watchers = vec![Vec::new(); vars.len()];
        for (id, c) in constraints.iter().enumerate() {
            let mut scope = c.scope();
            scope.sort_unstable();
            scope.dedup();
            for var in scope {
                watchers[var].push(id);
            }
        }
        Ok(Model {
            vars,
            constraints,
            watchers,
        })
    }

    pub fn vars(&self) -> &[Variable] {
        &self.vars
    }

    pub fn constraints(&self) -> &[Constraint] {
        &self.constraints
    }

    /// Every value of every variable.
    pub fn full_domains(&self) -> Vec<Dom> {
        self.vars.iter().map(|v| full(v.size)).collect()
    }

    /// The domains a partial selection leaves (unselected variables keep all their values).
    pub fn domains_of(&self, selection: &[Option<Val>]) -> Vec<Dom> {
        self.vars
            .iter()
            .zip(selection)
            .map(|(var, sel)| match sel {
                Some(v) if (*v as usize) < var.size => bit(*v),
                Some(_) => 0,
                None => full(var.size),
            })
            .collect()
    }
}

/// Why a selection cannot be completed: the first constraint found violated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Conflict(pub usize);

/// The fewest changes to the selected values that make a wanted value possible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Selected variables that must give up their value.
    pub released: Vec<VarId>,
    /// A complete valid assignment that holds the wanted value and keeps every other selection.
    pub solution: Vec<Val>,
}

/// Answers questions about one model; `active` switches constraints off for explanations.
pub struct Engine<'m> {
    model: &'m Model,
    active: Vec<bool>,
}

impl<'m> Engine<'m> {
    pub fn new(model: &'m Model) -> Self {
        Engine {
            model,
            active: vec![true; model.constraints.len()],
        }
    }

    /// Narrows `doms` to a fixpoint of all active constraints.
    fn propagate(&self, doms: &mut [Dom], mut queue: Vec<usize>) -> Result<(), Conflict> {
        let mut queued = vec![false; self.model.constraints.len()];
        for &c in &queue {
            queued[c] = true;
        }
        while let Some(c) = queue.pop() {
            queued[c] = false;
            if !self.active[c] {
                continue;
            }
            let mut changed = |var: VarId, queue: &mut Vec<usize>| {
                for &w in &self.model.watchers[var] {
                    if w != c && !queued[w] {
                        queued[w] = true;
                        queue.push(w);
                    }
                }
            };
            match &self.model.constraints[c] {
                Constraint::Clause(lits) => {
                    let mut open = None;
                    let mut open_count = 0;
                    for lit in lits {
                        let d = doms[lit.var];
                        if d & !lit.values == 0 {
                            open_count = usize::MAX; // entailed: the clause holds whatever happens
                            break;
                        }
                        if d & lit.values != 0 {
                            open_count += 1;
                            open = Some(lit);
                        }
                    }
                    match (open_count, open) {
                        (0, _) => return Err(Conflict(c)),
                        (1, Some(lit)) => {
                            doms[lit.var] &= lit.values;
                            changed(lit.var, &mut queue);
                        }
                        _ => {}
                    }
                }
                Constraint::Table { scope, tuples } => {
                    // Tables of up to 16 columns need no allocation here (a hot path).
                    let mut buf = [0u64; 16];
                    let mut heap = Vec::new();
                    let support: &mut [u64] = if scope.len() <= buf.len() {
                        &mut buf[..scope.len()]
                    } else {
                        heap.resize(scope.len(), 0);
                        &mut heap
                    };
                    for t in tuples {
                        if scope
                            .iter()
                            .zip(t)
                            .all(|(&var, &v)| doms[var] & bit(v) != 0)
                        {
                            for (s, &v) in support.iter_mut().zip(t) {
                                *s |= bit(v);
                            }
                        }
                    }
                    for (&var, &s) in scope.iter().zip(support.iter()) {
                        let narrowed = doms[var] & s;
                        if narrowed == 0 {
                            return Err(Conflict(c));
                        }
                        if narrowed != doms[var] {
                            doms[var] = narrowed;
                            changed(var, &mut queue);
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn propagate_all(&self, doms: &mut [Dom]) -> Result<(), Conflict> {
        self.propagate(doms, (0..self.model.constraints.len()).rev().collect())
    }

    fn propagate_var(&self, doms: &mut [Dom], var: VarId) -> Result<(), Conflict> {
        self.propagate(doms, self.model.watchers[var].clone())
    }

    /// Depth-first search from propagated domains, variables in index order and values in
    /// preference order: the first solution is the lexicographically first one (the defaults).
    /// For "is there any solution", [`Engine::witness`] is faster.
    fn first_solution(&self, doms: &[Dom]) -> Option<Vec<Val>> {
        let Some(var) = doms.iter().position(|d| d.count_ones() > 1) else {
            return Some(doms.iter().map(|d| d.trailing_zeros() as Val).collect());
        };
        for &v in &self.model.vars[var].preference {
            if doms[var] & bit(v) == 0 {
                continue;
            }
            let mut next = doms.to_vec();
            next[var] = bit(v);
            if self.propagate_var(&mut next, var).is_ok() {
                if let Some(sol) = self.first_solution(&next) {
                    return Some(sol);
                }
            }
        }
        None
    }

    /// Whether the partial selection extends to a complete valid assignment.
    pub fn is_consistent(&self, selection: &[Option<Val>]) -> bool {
        let mut doms = self.model.domains_of(selection);
        self.propagate_all(&mut doms).is_ok() && self.witness(&doms, &[]).is_some()
    }

    /// Checks a complete assignment; the error names a violated constraint.
    pub fn check(&self, assignment: &[Val]) -> Result<(), Conflict> {
        if assignment.len() != self.model.vars.len() {
            return Err(Conflict(usize::MAX));
        }
        for (id, c) in self.model.constraints.iter().enumerate() {
            let holds = match c {
                Constraint::Clause(lits) => {
                    lits.iter().any(|l| l.values & bit(assignment[l.var]) != 0)
                }
                Constraint::Table { scope, tuples } => tuples
                    .iter()
                    .any(|t| scope.iter().zip(t).all(|(&var, &v)| assignment[var] == v)),
            };
            if self.active[id] && !holds {
                return Err(Conflict(id));
            }
        }
        Ok(())
    }

    /// For every variable, the values that extend the selection to a complete valid assignment.
    /// `Err` when the selection itself has no completion.
    pub fn possible_values(&self, selection: &[Option<Val>]) -> Result<Vec<Dom>, Conflict> {
        let mut doms = self.model.domains_of(selection);
        self.propagate_all(&mut doms)?;
        self.supported(doms)
    }

    /// Narrows propagated domains to exactly the supported values by witness search. Each
    /// search prefers values no solution has shown yet, so one witness covers many values; a
    /// value without a witness is removed and propagated, which prunes the searches after it.
    fn supported(&self, mut doms: Vec<Dom>) -> Result<Vec<Dom>, Conflict> {
        let mut supported = vec![0u64; doms.len()];
        match self.witness(&doms, &supported) {
            Some(sol) => mark(&mut supported, &sol),
            None => return Err(Conflict(usize::MAX)),
        }
        for var in 0..doms.len() {
            while let Some(v) = values(doms[var] & !supported[var]).next() {
                let mut trial = doms.clone();
                trial[var] = bit(v);
                let found = self
                    .propagate_var(&mut trial, var)
                    .ok()
                    .and_then(|_| self.witness(&trial, &supported));
                match found {
                    Some(sol) => mark(&mut supported, &sol),
                    None => {
                        doms[var] &= !bit(v);
                        self.propagate_var(&mut doms, var)?;
                    }
                }
            }
        }
        Ok(supported)
    }

    /// Some solution from propagated domains, smallest domain first, preferring values outside
    /// `covered` (empty: nothing covered yet).
    fn witness(&self, doms: &[Dom], covered: &[Dom]) -> Option<Vec<Val>> {
        let covered_of = |i: usize| covered.get(i).copied().unwrap_or(0);
        let var = doms
            .iter()
            .enumerate()
            .filter(|(_, d)| d.count_ones() > 1)
            .min_by_key(|(i, d)| (d.count_ones(), (**d & !covered_of(*i)) == 0))
            .map(|(i, _)| i);
        let Some(var) = var else {
            return Some(doms.iter().map(|d| d.trailing_zeros() as Val).collect());
        };
        let fresh = doms[var] & !covered_of(var);
        for v in values(fresh).chain(values(doms[var] & !fresh)) {
            let mut next = doms.to_vec();
            next[var] = bit(v);
            if self.propagate_var(&mut next, var).is_ok() {
                if let Some(sol) = self.witness(&next, covered) {
                    return Some(sol);
                }
            }
        }
        None
    }

    /// For each variable, the values it could take if only ITS OWN selection were given up, the
    /// others kept: what a configurator offers as alternatives on an already chosen variable.
    /// Variables without a selection get the plain possible values.
    pub fn alternatives(&self, selection: &[Option<Val>]) -> Result<Vec<Dom>, Conflict> {
        let mut result = self.possible_values(selection)?;
        for var in 0..selection.len() {
            if selection[var].is_none() {
                continue;
            }
            let mut relaxed = selection.to_vec();
            relaxed[var] = None;
            let mut doms = self.model.domains_of(&relaxed);
            self.propagate_all(&mut doms)?;
            for v in values(doms[var] & !result[var]) {
                let mut trial = doms.clone();
                trial[var] = bit(v);
                if self.propagate_var(&mut trial, var).is_ok()
                    && self.witness(&trial, &[]).is_some()
                {
                    result[var] |= bit(v);
                }
            }
        }
        Ok(result)
    }

    /// The first valid completion of the selection in preference order (catalog defaults).
    pub fn complete(&self, selection: &[Option<Val>]) -> Option<Vec<Val>> {
        let mut doms = self.model.domains_of(selection);
        self.propagate_all(&mut doms).ok()?;
        self.first_solution(&doms)
    }

    /// A minimal set of constraints that together rule out `var = val` under the selection
    /// (deletion filter: drop each constraint that is not needed for the conflict).
    /// Empty when the value is in fact possible.
    pub fn explain(&mut self, selection: &[Option<Val>], var: VarId, val: Val) -> Vec<usize> {
        let mut trial = selection.to_vec();
        trial[var] = Some(val);
        if self.is_consistent(&trial) {
            return Vec::new();
        }
        let saved = std::mem::replace(&mut self.active, vec![true; self.model.constraints.len()]);
        for c in 0..self.active.len() {
            self.active[c] = false;
            if self.is_consistent(&trial) {
                self.active[c] = true; // needed for the conflict
            }
        }
        let culprits = (0..self.active.len()).filter(|&c| self.active[c]).collect();
        self.active = saved;
        culprits
    }

    /// The fewest selections to give up (never `var` itself) so that `var = val` becomes possible,
    /// by branch and bound over complete assignments counting broken selections.
    /// `None` when no selection change helps (the value is impossible in itself).
    pub fn smallest_change(
        &self,
        selection: &[Option<Val>],
        var: VarId,
        val: Val,
    ) -> Option<Change> {
        let mut doms = self.model.full_domains();
        doms[var] &= bit(val);
        self.propagate_all(&mut doms).ok()?;
        let mut soft = selection.to_vec();
        soft[var] = None;
        let mut best: Option<(usize, Vec<Val>)> = None;
        self.branch_and_bound(&doms, &soft, &mut best);
        let (_, solution) = best?;
        let released = (0..soft.len())
            .filter(|&i| matches!(soft[i], Some(v) if solution[i] != v))
            .collect();
        Some(Change { released, solution })
    }

    fn branch_and_bound(
        &self,
        doms: &[Dom],
        soft: &[Option<Val>],
        best: &mut Option<(usize, Vec<Val>)>,
    ) {
        let broken = |doms: &[Dom]| {
            soft.iter()
                .zip(doms)
                .filter(|(s, d)| matches!(s, Some(v) if *d & bit(*v) == 0))
                .count()
        };
        let cost = broken(doms);
        if matches!(best, Some((b, _)) if cost >= *b) {
            return;
        }
        // Selected variables first, their own value first: good solutions are found early.
        let pick = (0..doms.len())
            .filter(|&i| doms[i].count_ones() > 1)
            .min_by_key(|&i| (soft[i].is_none(), doms[i].count_ones()));
        let Some(var) = pick else {
            *best = Some((
                cost,
                doms.iter().map(|d| d.trailing_zeros() as Val).collect(),
            ));
            return;
        };
        let wanted = soft[var].filter(|&v| doms[var] & bit(v) != 0);
        let order = wanted.into_iter().chain(
            self.model.vars[var]
                .preference
                .iter()
                .copied()
                .filter(|&v| Some(v) != wanted),
        );
        for v in order {
            if doms[var] & bit(v) == 0 {
                continue;
            }
            let mut next = doms.to_vec();
            next[var] = bit(v);
            if self.propagate_var(&mut next, var).is_ok() {
                self.branch_and_bound(&next, soft, best);
                if matches!(best, Some((0, _))) {
                    return;
                }
            }
        }
    }
}

/// Component counts already known, keyed by the component's domains and its fixed boundary.
type CountCache = HashMap<Vec<(VarId, Dom)>, BigUint>;

impl Engine<'_> {
    /// The exact number of complete valid assignments that extend the selection.
    ///
    /// After propagation a constraint with one open variable is entailed, so the open variables
    /// fall into independent components (linked by constraints with two or more open variables):
    /// their counts multiply. Each component is counted by branching, and its count is cached by
    /// the domains of its variables and the values of the fixed variables its constraints read.
    /// On product rules, whose options interact locally, this stays far below enumeration.
    pub fn count(&self, selection: &[Option<Val>]) -> BigUint {
        let mut doms = self.model.domains_of(selection);
        if self.propagate_all(&mut doms).is_err() {
            return BigUint::ZERO;
        }
        let vars: Vec<VarId> = (0..doms.len()).collect();
        self.count_split(&doms, &vars, &mut CountCache::new())
    }

    /// Splits the open variables of `vars` into components and multiplies their counts.
    fn count_split(&self, doms: &[Dom], vars: &[VarId], cache: &mut CountCache) -> BigUint {
        let open: Vec<VarId> = vars
            .iter()
            .copied()
            .filter(|&v| doms[v].count_ones() > 1)
            .collect();
        let mut root: HashMap<VarId, VarId> = open.iter().map(|&v| (v, v)).collect();
        fn find(root: &mut HashMap<VarId, VarId>, v: VarId) -> VarId {
            let mut r = v;
            while root[&r] != r {
                r = root[&r];
            }
            root.insert(v, r);
            r
        }
        let mut linking = Vec::new();
        for &v in &open {
            for &c in &self.model.watchers[v] {
                let scope = self.model.constraints[c].scope();
                let open_in: Vec<VarId> = scope
                    .iter()
                    .copied()
                    .filter(|x| root.contains_key(x))
                    .collect();
                if open_in.len() >= 2 && open_in[0] == v {
                    let a = find(&mut root, open_in[0]);
                    for &x in &open_in[1..] {
                        let b = find(&mut root, x);
                        root.insert(b, a);
                    }
                    linking.push(c);
                }
            }
        }
        let mut components: HashMap<VarId, Vec<VarId>> = HashMap::new();
        for &v in &open {
            let r = find(&mut root, v);
            components.entry(r).or_default().push(v);
        }
        let mut product = BigUint::from(1u32);
        for comp in components.values() {
            let n = if comp.len() == 1 {
                BigUint::from(doms[comp[0]].count_ones())
            } else {
                self.count_component(doms, comp, cache)
            };
            if n == BigUint::ZERO {
                return n;
            }
            product *= n;
        }
        product
    }

    fn count_component(&self, doms: &[Dom], comp: &[VarId], cache: &mut CountCache) -> BigUint {
        let mut key: Vec<(VarId, Dom)> = comp.iter().map(|&v| (v, doms[v])).collect();
        // The fixed variables this component's constraints read are part of its state.
        for &v in comp {
            for &c in &self.model.watchers[v] {
                for x in self.model.constraints[c].scope() {
                    if doms[x].count_ones() == 1 {
                        key.push((x, doms[x]));
                    }
                }
            }
        }
        key.sort_unstable();
        key.dedup();
        if let Some(n) = cache.get(&key) {
            return n.clone();
        }
        let branch = comp
            .iter()
            .copied()
            .min_by_key(|&v| doms[v].count_ones())
            .expect("a component has variables");
        let mut total = BigUint::ZERO;
        for v in values(doms[branch]) {
            let mut next = doms.to_vec();
            next[branch] = bit(v);
            if self.propagate_var(&mut next, branch).is_ok() {
                total += self.count_split(&next, comp, cache);
            }
        }
        cache.insert(key, total.clone());
        total
    }
}

fn mark(supported: &mut [Dom], solution: &[Val]) {
    for (s, &v) in supported.iter_mut().zip(solution) {
        *s |= bit(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var(name: &str, size: usize) -> Variable {
        Variable {
            name: name.into(),
            size,
            preference: vec![],
        }
    }

    fn lit(var: VarId, vals: &[Val]) -> Literal {
        Literal {
            var,
            values: vals.iter().fold(0, |d, &v| d | bit(v)),
        }
    }

    /// x in {0,1,2}, y in {0,1}, z in {0,1}: x=2 -> y=1 ; y=1 -> z=0 ; table (x,z) forbids (0,1).
    fn small() -> Model {
        Model::new(
            vec![var("x", 3), var("y", 2), var("z", 2)],
            vec![
                Constraint::Clause(vec![lit(0, &[0, 1]), lit(1, &[1])]),
                Constraint::Clause(vec![lit(1, &[0]), lit(2, &[0])]),
                Constraint::Table {
                    scope: vec![0, 2],
                    tuples: vec![vec![0, 0], vec![1, 0], vec![1, 1], vec![2, 0], vec![2, 1]],
                },
            ],
        )
        .unwrap()
    }

    #[test]
    fn possible_values_are_exact() {
        let m = small();
        let e = Engine::new(&m);
        let doms = e.possible_values(&[Some(2), None, None]).unwrap();
        assert_eq!(doms, vec![bit(2), bit(1), bit(0)]);
        let doms = e.possible_values(&[None, None, Some(1)]).unwrap();
        assert_eq!(
            doms,
            vec![bit(1), bit(0), bit(1)],
            "x=0 and x=2 die with z=1"
        );
    }

    #[test]
    fn an_inconsistent_selection_is_reported() {
        let m = small();
        let e = Engine::new(&m);
        assert!(e.possible_values(&[Some(2), Some(0), None]).is_err());
        assert!(!e.is_consistent(&[Some(0), None, Some(1)]));
    }

    #[test]
    fn explain_names_the_constraints_that_forbid_a_value() {
        let m = small();
        let mut e = Engine::new(&m);
        // z=1 with x=2: x=2 -> y=1 -> z=0: needs both clauses, not the table.
        assert_eq!(e.explain(&[Some(2), None, None], 2, 1), vec![0, 1]);
        assert_eq!(e.explain(&[Some(0), None, None], 2, 1), vec![2]);
        assert!(e.explain(&[None, None, None], 2, 1).is_empty());
    }

    #[test]
    fn smallest_change_releases_fewest_selections() {
        let m = small();
        let e = Engine::new(&m);
        let change = e.smallest_change(&[Some(2), None, None], 2, 1).unwrap();
        assert_eq!(change.released, vec![0]);
        assert_eq!(change.solution[2], 1);
        assert!(e.check(&change.solution).is_ok());
    }

    #[test]
    fn complete_follows_preference() {
        let mut vars = vec![var("x", 3), var("y", 2), var("z", 2)];
        vars[0].preference = vec![2];
        vars[2].preference = vec![1];
        let m = Model::new(vars, small().constraints().to_vec()).unwrap();
        let e = Engine::new(&m);
        // x prefers 2 -> y=1 -> z must be 0 although z prefers 1.
        assert_eq!(e.complete(&[None, None, None]).unwrap(), vec![2, 1, 0]);
        assert_eq!(e.complete(&[None, None, Some(1)]).unwrap(), vec![1, 0, 1]);
    }

    #[test]
    fn count_is_exact() {
        let m = small();
        let e = Engine::new(&m);
        // Brute force over 3 * 2 * 2 assignments.
        let mut n = 0u32;
        for x in 0..3 {
            for y in 0..2 {
                for z in 0..2 {
                    n += e.check(&[x, y, z]).is_ok() as u32;
                }
            }
        }
        assert_eq!(e.count(&[None, None, None]), BigUint::from(n));
        assert_eq!(e.count(&[Some(2), Some(0), None]), BigUint::ZERO);
        // Independent variables multiply: 2^40 does not fit a search by enumeration.
        let free = Model::new((0..40).map(|i| var(&format!("f{i}"), 2)).collect(), vec![]).unwrap();
        assert_eq!(
            Engine::new(&free).count(&[None; 40]),
            BigUint::from(1u64 << 40)
        );
    }

    #[test]
    fn bad_models_are_refused() {
        assert!(Model::new(vec![var("x", 0)], vec![]).is_err());
        assert!(Model::new(
            vec![var("x", 2)],
            vec![Constraint::Clause(vec![lit(3, &[0])])]
        )
        .is_err());
        assert!(Model::new(
            vec![var("x", 2)],
            vec![Constraint::Clause(vec![lit(0, &[5])])]
        )
        .is_err());
    }
}
