//! A rule set compiled once into a multi-valued decision diagram (MDD), which then answers the
//! configurator's questions exactly without search (Hadzic et al., "Fast backtrack-free product
//! configuration using a precompiled solution space representation", 2004; Amilhastre, Fargier
//! and Marquis, 2002).
//!
//! The diagram decides the variables one level each, in an order chosen to keep it narrow. A
//! path from the root to the one terminal is a valid complete assignment, and every valid
//! assignment is a path. Only edges on such paths are kept, so there are no dead ends: the
//! possible values after a partial choice are the values on the edges of paths that agree with
//! the choice (two passes over the edges), and counting is one pass.
//!
//! Compiling goes top-down, level by level. A node's state is, for each constraint whose scope
//! is partly decided, how far its tuples still match (a state of the table's minimal automaton,
//! or whether a clause holds yet); equal states are one node. Then, bottom-up, nodes without a way to the
//! terminal go and nodes with the same edges merge (a unique table), which leaves the reduced
//! diagram. A diagram beyond [`MAX_NODES`] or [`MAX_BYTES`] stops the compile with an error: the
//! caller falls back to the search engine ([`crate::Engine`]).

use crate::engine::{Change, Conflict, Constraint, Literal, Model, Val, ValueSet, VarId};
use num_bigint::BigUint;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

/// The most nodes a compile may make before it gives up.
pub const MAX_NODES: usize = 8_000_000;

/// The most memory a compile may hold (the edges made so far and two levels of node states)
/// before it gives up.
pub const MAX_BYTES: usize = 1 << 30;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MddError {
    #[error("the diagram grew beyond {limit} nodes or {} MB at level {level} of {levels}: use the search engine", MAX_BYTES >> 20)]
    TooLarge {
        limit: usize,
        level: usize,
        levels: usize,
    },
    #[error("the compiled form cannot be read: {0}")]
    Unreadable(String),
    #[error("the compiled form was made for another model")]
    OtherModel,
}

/// One decision: the value and the node of the next level it leads to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
struct Edge {
    value: Val,
    child: u32,
}

/// The reduced diagram.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mdd {
    /// Level `i` decides variable `order[i]`.
    order: Vec<VarId>,
    /// The domain size of each variable (by id): a compiled form loads only for its model.
    sizes: Vec<u32>,
    /// Level `i`'s node `k` has the edges `edges[i][first[i][k]..first[i][k + 1]]`; children
    /// are nodes of level `i + 1`. The last level holds only the terminal. An unsatisfiable
    /// model has no nodes at all.
    first: Vec<Vec<u32>>,
    edges: Vec<Vec<Edge>>,
}

/// Sizes of a diagram, for reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stats {
    pub nodes: usize,
    pub edges: usize,
    /// The most nodes on one level.
    pub width: usize,
}

impl Mdd {
    /// Compiles `model` (see the module's notes).
    pub fn compile(model: &Model) -> Result<Mdd, MddError> {
        Self::compile_with_limit(model, MAX_NODES)
    }

    pub fn compile_with_limit(model: &Model, max_nodes: usize) -> Result<Mdd, MddError> {
        let order = variable_order(model);
        let compiler = Compiler::new(model, &order);
        let (first, edges) = if compiler.unsatisfiable {
            (vec![vec![0]; order.len()], vec![Vec::new(); order.len()])
        } else {
            compiler.top_down(max_nodes)?
        };
        let (first, edges) = reduce(first, edges);
        Ok(Mdd {
            sizes: model.vars().iter().map(|v| v.size as u32).collect(),
            order,
            first,
            edges,
        })
    }

    pub fn stats(&self) -> Stats {
        Stats {
            nodes: self.first.iter().map(|f| f.len() - 1).sum::<usize>()
                + usize::from(!self.is_empty()),
            edges: self.edges.iter().map(Vec::len).sum(),
            width: self.first.iter().map(|f| f.len() - 1).max().unwrap_or(0),
        }
    }

    /// Whether no assignment is valid.
    fn is_empty(&self) -> bool {
        self.first.first().is_none_or(|f| f.len() < 2)
    }

    fn nodes(&self, level: usize) -> usize {
        match self.first.get(level) {
            Some(f) => f.len() - 1,
            None => usize::from(!self.is_empty()), // the terminal
        }
    }

    fn out(&self, level: usize, node: usize) -> &[Edge] {
        let f = &self.first[level];
        &self.edges[level][f[node] as usize..f[node + 1] as usize]
    }

    /// Whether the selection lets level `level` take `value`.
    fn allowed(&self, selection: &[Option<Val>], level: usize, value: Val) -> bool {
        selection
            .get(self.order[level])
            .copied()
            .flatten()
            .is_none_or(|s| s == value)
    }

    /// For each node, whether a path agreeing with the selection leads from it to the terminal.
    fn alive(&self, selection: &[Option<Val>]) -> Vec<Vec<bool>> {
        let levels = self.order.len();
        let mut alive: Vec<Vec<bool>> = (0..=levels).map(|l| vec![false; self.nodes(l)]).collect();
        if self.is_empty() {
            return alive;
        }
        alive[levels][0] = true;
        for level in (0..levels).rev() {
            let (upper, lower) = alive.split_at_mut(level + 1);
            for (node, a) in upper[level].iter_mut().enumerate() {
                *a = self
                    .out(level, node)
                    .iter()
                    .any(|e| lower[0][e.child as usize] && self.allowed(selection, level, e.value));
            }
        }
        alive
    }

    /// The exact number of valid complete assignments that extend the selection.
    pub fn count(&self, selection: &[Option<Val>]) -> BigUint {
        let levels = self.order.len();
        if self.is_empty() {
            return BigUint::ZERO;
        }
        let mut below: Vec<BigUint> = vec![BigUint::from(1u32)];
        for level in (0..levels).rev() {
            below = (0..self.nodes(level))
                .map(|node| {
                    let mut sum = BigUint::ZERO;
                    for e in self.out(level, node) {
                        if self.allowed(selection, level, e.value) {
                            sum += &below[e.child as usize];
                        }
                    }
                    sum
                })
                .collect();
        }
        below.swap_remove(0)
    }

    /// For every variable, the values that extend the selection to a valid complete assignment;
    /// `Err` when the selection itself has none.
    pub fn possible_values(&self, selection: &[Option<Val>]) -> Result<Vec<ValueSet>, Conflict> {
        let alive = self.alive(selection);
        if !alive[0].first().copied().unwrap_or(false) {
            return Err(Conflict(usize::MAX));
        }
        let mut possible: Vec<ValueSet> = vec![ValueSet::new(); self.sizes.len()];
        // Forward: the nodes a path agreeing with the selection reaches from the root, and on
        // the way, the values of the edges that lead on to the terminal.
        let mut reached = vec![true];
        for (level, alive_below) in alive.iter().enumerate().skip(1) {
            let var = self.order[level - 1];
            let mut next = vec![false; alive_below.len()];
            for (node, _) in reached.iter().enumerate().filter(|(_, r)| **r) {
                for e in self.out(level - 1, node) {
                    if alive_below[e.child as usize] && self.allowed(selection, level - 1, e.value)
                    {
                        next[e.child as usize] = true;
                        possible[var].insert(e.value);
                    }
                }
            }
            reached = next;
        }
        Ok(possible)
    }

    /// The first valid completion of the selection in the variables' index order and each one's
    /// preference order: the same answer as [`crate::Engine::complete`].
    pub fn complete(&self, model: &Model, selection: &[Option<Val>]) -> Option<Vec<Val>> {
        let mut selection = selection.to_vec();
        for var in 0..selection.len() {
            if selection[var].is_some() {
                continue;
            }
            let possible = self.possible_values(&selection).ok()?;
            let v = model.vars()[var]
                .preference
                .iter()
                .copied()
                .find(|&v| possible[var].contains(v))?;
            selection[var] = Some(v);
        }
        self.possible_values(&selection).ok()?;
        selection.into_iter().collect()
    }

    /// The fewest selections to give up (never `var` itself) so that `var = val` becomes
    /// possible: a shortest path where an edge that departs from a selected value costs one.
    /// `None` when no change of selections helps.
    pub fn smallest_change(
        &self,
        selection: &[Option<Val>],
        var: VarId,
        val: Val,
    ) -> Option<Change> {
        let levels = self.order.len();
        if self.is_empty() {
            return None;
        }
        let soft = |level: usize| selection.get(self.order[level]).copied().flatten();
        let usable = |level: usize, e: &Edge| self.order[level] != var || e.value == val;
        let cost = |level: usize, e: &Edge| {
            usize::from(self.order[level] != var && soft(level).is_some_and(|s| s != e.value))
        };
        // Bottom-up: the fewest departures from each node to the terminal.
        let mut best: Vec<Vec<usize>> = vec![vec![0]];
        for level in (0..levels).rev() {
            let below = best.last().expect("a level below");
            let here = (0..self.nodes(level))
                .map(|node| {
                    self.out(level, node)
                        .iter()
                        .filter(|e| usable(level, e))
                        .map(|e| cost(level, e).saturating_add(below[e.child as usize]))
                        .min()
                        .unwrap_or(usize::MAX)
                })
                .collect();
            best.push(here);
        }
        best.reverse();
        if best[0][0] == usize::MAX {
            return None;
        }
        // Down again along cheapest edges, the selected value first among equals.
        let mut solution: Vec<Val> = vec![0; self.sizes.len()];
        let mut node = 0usize;
        for level in 0..levels {
            let edge = self
                .out(level, node)
                .iter()
                .filter(|e| usable(level, e))
                .filter(|e| {
                    cost(level, e).saturating_add(best[level + 1][e.child as usize])
                        == best[level][node]
                })
                .min_by_key(|e| Some(e.value) != soft(level))
                .expect("a cheapest edge");
            solution[self.order[level]] = edge.value;
            node = edge.child as usize;
        }
        let released = (0..self.sizes.len())
            .filter(|&i| i != var && matches!(selection.get(i), Some(Some(v)) if solution[i] != *v))
            .collect();
        Some(Change { released, solution })
    }

    /// The compiled form as bytes (postcard), to load instead of compiling.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = FORMAT.to_vec();
        bytes.extend(postcard::to_allocvec(self).expect("a diagram serialises"));
        bytes
    }

    /// Loads a compiled form made by [`Mdd::to_bytes`] for this model.
    pub fn from_bytes(model: &Model, bytes: &[u8]) -> Result<Mdd, MddError> {
        let body = bytes.strip_prefix(FORMAT).ok_or_else(|| {
            MddError::Unreadable("not a compiled rule set of this version".into())
        })?;
        let mdd: Mdd =
            postcard::from_bytes(body).map_err(|e| MddError::Unreadable(e.to_string()))?;
        let sizes: Vec<u32> = model.vars().iter().map(|v| v.size as u32).collect();
        if mdd.sizes != sizes {
            return Err(MddError::OtherModel);
        }
        mdd.check()?;
        Ok(mdd)
    }

    /// A loaded form must be well made, whatever the file held: every index in range.
    fn check(&self) -> Result<(), MddError> {
        let bad = |why: &str| Err(MddError::Unreadable(why.into()));
        let levels = self.order.len();
        let mut seen = vec![false; self.sizes.len()];
        if levels != self.sizes.len() || self.first.len() != levels || self.edges.len() != levels {
            return bad("levels");
        }
        for &v in &self.order {
            if v >= seen.len() || std::mem::replace(&mut seen[v], true) {
                return bad("order");
            }
        }
        for level in 0..levels {
            let (first, edges) = (&self.first[level], &self.edges[level]);
            if first.first() != Some(&0)
                || first.last().map(|&l| l as usize) != Some(edges.len())
                || first.windows(2).any(|w| w[0] > w[1])
            {
                return bad("edges");
            }
            let below = self.nodes(level + 1) as u32;
            let size = self.sizes[self.order[level]];
            if edges.iter().any(|e| e.child >= below || e.value >= size) {
                return bad("edge target");
            }
        }
        Ok(())
    }
}

/// The compiled form's first bytes: its kind and version.
const FORMAT: &[u8] = b"smart1-mdd-v1\n";

/// An order of the variables that keeps the diagram narrow: greedily the variable that closes
/// the most constraints (decides the last undecided variable of their scope), then the one that
/// touches the most constraints already under way, then the lowest index. Constraints close
/// soon after they open, so few are under way at any level (a node's state is theirs).
fn variable_order(model: &Model) -> Vec<VarId> {
    let n = model.vars().len();
    let mut of_var: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut scope_len = Vec::new();
    for (c, constraint) in model.constraints().iter().enumerate() {
        let mut scope = constraint.scope();
        scope.sort_unstable();
        scope.dedup();
        for &v in &scope {
            of_var[v].push(c);
        }
        scope_len.push(scope.len());
    }
    let mut left = scope_len.clone(); // undecided variables of each constraint
    let mut placed = vec![false; n];
    let mut order = Vec::with_capacity(n);
    while order.len() < n {
        let score = |v: VarId| {
            let closes = of_var[v].iter().filter(|&&c| left[c] == 1).count();
            let under_way = of_var[v]
                .iter()
                .filter(|&&c| left[c] < scope_len[c])
                .count();
            (closes, under_way, std::cmp::Reverse(v))
        };
        let next = (0..n)
            .filter(|&v| !placed[v])
            .max_by_key(|&v| score(v))
            .expect("an undecided variable");
        placed[next] = true;
        for &c in &of_var[next] {
            left[c] -= 1;
        }
        order.push(next);
    }
    order
}

/// A table's tuples as a minimal automaton over its variables in diagram order: a state stands
/// for the tuple endings still allowed by the values decided so far. Prefixes allowing the same
/// endings share a state (the trie's equal subtrees are merged), so the diagram's nodes, whose
/// states are made of these, merge as early as possible.
struct Trie {
    /// For each state, (value, state one variable further), by value. State 0 is the start.
    out: Vec<Vec<(Val, u32)>>,
}

impl Trie {
    /// `columns`: for each variable of the table in diagram order, its position in the tuples
    /// (a variable named twice in the scope: the tuples must agree on both positions).
    fn new(tuples: &[Vec<Val>], columns: &[Vec<usize>]) -> Trie {
        // The trie: children of each node, by value.
        let mut children: Vec<Vec<(Val, u32)>> = vec![Vec::new()];
        let mut index: HashMap<(u32, Val), u32> = HashMap::default();
        for t in tuples {
            if columns
                .iter()
                .any(|cols| cols.iter().any(|&c| t[c] != t[cols[0]]))
            {
                continue;
            }
            let mut node = 0u32;
            for cols in columns {
                let value = t[cols[0]];
                node = *index.entry((node, value)).or_insert_with(|| {
                    children.push(Vec::new());
                    let child = children.len() as u32 - 1;
                    children[node as usize].push((value, child));
                    child
                });
            }
        }
        drop(index);
        // Merge equal subtrees, deepest first (a child is made after its parent, so a reverse
        // walk meets children first). The start keeps id 0.
        let mut merged: Vec<u32> = vec![0; children.len()];
        let mut unique: HashMap<Vec<(Val, u32)>, u32> = HashMap::default();
        // State 1: every leaf (all of the tuple matched).
        let mut out: Vec<Vec<(Val, u32)>> = vec![Vec::new(), Vec::new()];
        unique.insert(Vec::new(), 1);
        let sorted_children = |node: usize, merged: &[u32]| {
            let mut kids: Vec<(Val, u32)> = children[node]
                .iter()
                .map(|&(v, c)| (v, merged[c as usize]))
                .collect();
            kids.sort_unstable();
            kids
        };
        for node in (1..children.len()).rev() {
            let kids = sorted_children(node, &merged);
            merged[node] = *unique.entry(kids.clone()).or_insert_with(|| {
                out.push(kids);
                out.len() as u32 - 1
            });
        }
        out[0] = sorted_children(0, &merged);
        Trie { out }
    }

    /// The state after `value` from `state`, if a tuple allows it.
    fn next(&self, state: u32, value: Val) -> Option<u32> {
        let out = &self.out[state as usize];
        out.binary_search_by_key(&value, |&(v, _)| v)
            .ok()
            .map(|i| out[i].1)
    }
}

/// What a constraint checks as the diagram decides its variables.
enum Check {
    Table(Trie),
    /// A clause's state is 1 once one of its literals holds.
    Clause(Vec<Literal>),
}

/// How level `i` moves a constraint with the level's variable in its scope on: where its state
/// is read from and written to.
struct Step {
    constraint: usize,
    /// Index in the state of the level above; `None`: it starts here.
    from: Option<usize>,
    /// Index in the state of the level below; `None`: it ends here.
    to: Option<usize>,
}

/// What level `i` does with the states: the constraints it moves on, and the ones it carries
/// unchanged (from, to).
struct LevelPlan {
    steps: Vec<Step>,
    carry: Vec<(usize, usize)>,
    /// The length of a state one level down.
    width: usize,
}

struct Compiler<'m> {
    /// A constraint without variables that never holds (an empty clause or table).
    unsatisfiable: bool,
    checks: Vec<Check>,
    order: &'m [VarId],
    sizes: Vec<usize>,
    plans: Vec<LevelPlan>,
}

/// A level's nodes before reduction: first edge of each node, and the edges.
type Levels = (Vec<Vec<u32>>, Vec<Vec<Edge>>);

impl<'m> Compiler<'m> {
    fn new(model: &Model, order: &'m [VarId]) -> Self {
        let n = order.len();
        let mut level_of = vec![0; n];
        for (l, &v) in order.iter().enumerate() {
            level_of[v] = l;
        }
        let mut span = Vec::new(); // (first level, last level) of each constraint
        let mut unsatisfiable = false;
        let checks = model
            .constraints()
            .iter()
            .map(|c| {
                let mut levels: Vec<usize> = c.scope().iter().map(|&v| level_of[v]).collect();
                levels.sort_unstable();
                levels.dedup();
                match (levels.first(), levels.last()) {
                    (Some(&a), Some(&b)) => span.push(Some((a, b))),
                    _ => {
                        // No variables: it holds or not, whatever is chosen.
                        unsatisfiable |= match c {
                            Constraint::Table { tuples, .. } => tuples.is_empty(),
                            Constraint::Clause(_) => true,
                        };
                        span.push(None);
                    }
                }
                match c {
                    Constraint::Table { scope, tuples } => {
                        let columns: Vec<Vec<usize>> = levels
                            .iter()
                            .map(|&l| (0..scope.len()).filter(|&i| scope[i] == order[l]).collect())
                            .collect();
                        Check::Table(Trie::new(tuples, &columns))
                    }
                    Constraint::Clause(lits) => Check::Clause(lits.clone()),
                }
            })
            .collect();
        // For each level, the constraints open below it (some variables decided, some not), in
        // a fixed order: the layout of the level's node states.
        let mut open: Vec<Vec<usize>> = vec![Vec::new(); n + 1];
        for (c, &(a, b)) in span
            .iter()
            .enumerate()
            .filter_map(|(c, s)| s.as_ref().map(|s| (c, s)))
        {
            for o in &mut open[a + 1..=b] {
                o.push(c);
            }
        }
        let mut touching: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (c, con) in model.constraints().iter().enumerate() {
            let mut scope = con.scope();
            scope.sort_unstable();
            scope.dedup();
            for v in scope {
                touching[level_of[v]].push(c);
            }
        }
        let plans = (0..n)
            .map(|l| {
                let index = |list: &[usize], c: usize| list.iter().position(|&x| x == c);
                let steps = touching[l]
                    .iter()
                    .map(|&c| Step {
                        constraint: c,
                        from: index(&open[l], c),
                        to: index(&open[l + 1], c),
                    })
                    .collect();
                let carry = open[l]
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| !touching[l].contains(c))
                    .map(|(from, &c)| (from, index(&open[l + 1], c).expect("still open")))
                    .collect();
                LevelPlan {
                    steps,
                    carry,
                    width: open[l + 1].len(),
                }
            })
            .collect();
        Compiler {
            unsatisfiable,
            checks,
            order,
            sizes: model.vars().iter().map(|v| v.size).collect(),
            plans,
        }
    }

    /// Moves the constraints of the level's variable on from `state` when it takes `value`,
    /// into `out` (whose carried part is already there); `false`: a constraint is broken.
    fn next(&self, level: usize, state: &[u32], value: Val, out: &mut [u32]) -> bool {
        for step in &self.plans[level].steps {
            let mut s = step.from.map_or(0, |i| state[i]);
            match &self.checks[step.constraint] {
                Check::Table(trie) => match trie.next(s, value) {
                    Some(n) => s = n,
                    None => return false,
                },
                Check::Clause(lits) => {
                    let var = self.order[level];
                    if lits
                        .iter()
                        .any(|l| l.var == var && l.values.contains(value))
                    {
                        s = 1;
                    }
                    if step.to.is_none() && s == 0 {
                        return false;
                    }
                }
            }
            if let Some(i) = step.to {
                out[i] = s;
            }
        }
        true
    }

    /// The values worth trying at `level` from `state`, ascending: those a table of the level's
    /// variable still allows (the table allowing fewest), else all of them. A domain of
    /// thousands of values then costs only what the tables allow.
    fn candidates(&self, level: usize, state: &[u32], values: &mut Vec<Val>) {
        let tightest = self.plans[level]
            .steps
            .iter()
            .filter_map(|step| match &self.checks[step.constraint] {
                Check::Table(trie) => Some(&trie.out[step.from.map_or(0, |i| state[i]) as usize]),
                Check::Clause(_) => None,
            })
            .min_by_key(|out| out.len());
        values.clear();
        match tightest {
            Some(out) => values.extend(out.iter().map(|&(v, _)| v)),
            None => values.extend((0..self.sizes[self.order[level]]).map(|v| v as Val)),
        }
    }

    /// Builds every level from the root down, one node per distinct state.
    fn top_down(&self, max_nodes: usize) -> Result<Levels, MddError> {
        let levels = self.order.len();
        let mut states = States::new(0);
        states.find_or_add(&[], 0);
        let mut total = 1;
        let mut edge_bytes = 0;
        let (mut firsts, mut all_edges) = (Vec::with_capacity(levels), Vec::with_capacity(levels));
        for level in 0..levels {
            let plan = &self.plans[level];
            let mut below = States::new(plan.width);
            let mut first = Vec::with_capacity(states.len() + 1);
            let mut edges = Vec::new();
            let mut out = vec![0u32; plan.width];
            let mut values = Vec::new();
            for node in 0..states.len() {
                let state = states.get(node);
                first.push(edges.len() as u32);
                for &(from, to) in &plan.carry {
                    out[to] = state[from];
                }
                // The state's hash without the constraints this level moves on.
                let carried = plan
                    .steps
                    .iter()
                    .filter_map(|s| s.from.map(|i| mix(s.constraint, state[i])))
                    .fold(states.hash(node), u64::wrapping_sub);
                self.candidates(level, state, &mut values);
                for &value in &values {
                    if !self.next(level, state, value, &mut out) {
                        continue;
                    }
                    let hash = plan
                        .steps
                        .iter()
                        .filter_map(|s| s.to.map(|i| mix(s.constraint, out[i])))
                        .fold(carried, u64::wrapping_add);
                    let child = below.find_or_add(&out, hash);
                    edges.push(Edge { value, child });
                }
                let held = edge_bytes
                    + edges.len() * std::mem::size_of::<Edge>()
                    + states.bytes()
                    + below.bytes();
                if total + below.len() > max_nodes || held > MAX_BYTES {
                    return Err(MddError::TooLarge {
                        limit: max_nodes,
                        level,
                        levels,
                    });
                }
            }
            first.push(edges.len() as u32);
            total += below.len();
            edge_bytes += edges.len() * std::mem::size_of::<Edge>() + first.len() * 4;
            firsts.push(first);
            all_edges.push(edges);
            states = below;
        }
        Ok((firsts, all_edges))
    }
}

/// One level's distinct node states, side by side in one array. Found by a hash that is a sum
/// over the constraints under way of a hash of (constraint, its state), so a child's hash is its
/// parent's with only the constraints of the level's variable changed: the many a level carries
/// unchanged are not hashed again.
struct States {
    width: usize,
    all: Vec<u32>,
    hashes: Vec<u64>,
    /// Hash -> the first state with it; `same_hash` chains the others.
    by_hash: HashMap<u64, u32>,
    same_hash: Vec<u32>,
}

impl States {
    fn new(width: usize) -> States {
        States {
            width,
            all: Vec::new(),
            hashes: Vec::new(),
            by_hash: HashMap::default(),
            same_hash: Vec::new(),
        }
    }

    fn len(&self) -> usize {
        self.same_hash.len()
    }

    fn get(&self, id: usize) -> &[u32] {
        &self.all[id * self.width..(id + 1) * self.width]
    }

    fn hash(&self, id: usize) -> u64 {
        self.hashes[id]
    }

    /// About what the states take in memory (their words, hashes, chains and index).
    fn bytes(&self) -> usize {
        self.all.len() * 4 + self.len() * (8 + 4 + 24)
    }

    /// The id of `state` (whose hash is `hash`), added if new.
    fn find_or_add(&mut self, state: &[u32], hash: u64) -> u32 {
        let new = self.len() as u32;
        let mut at = *self.by_hash.entry(hash).or_insert(new);
        while at != new {
            if self.get(at as usize) == state {
                return at;
            }
            match self.same_hash[at as usize] {
                NONE => {
                    self.same_hash[at as usize] = new;
                    break;
                }
                next => at = next,
            }
        }
        self.all.extend_from_slice(state);
        self.hashes.push(hash);
        self.same_hash.push(NONE);
        new
    }
}

const NONE: u32 = u32::MAX;

/// One constraint's share of a state's hash.
fn mix(constraint: usize, state: u32) -> u64 {
    let x = ((constraint as u64) << 32 | state as u64) ^ 0x9E37_79B9_7F4A_7C15;
    let x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    let x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Bottom-up: drops nodes without a way to the terminal and merges nodes with the same edges.
fn reduce(mut firsts: Vec<Vec<u32>>, mut edges: Vec<Vec<Edge>>) -> Levels {
    let levels = firsts.len();
    // New id of each node of the level below (None: dead). The terminal is alive if reached.
    let reached = edges.last().is_some_and(|e| !e.is_empty()) || levels == 0;
    let mut renumber: Vec<Option<u32>> = vec![reached.then_some(0)];
    for level in (0..levels).rev() {
        let (first, old) = (&firsts[level], &edges[level]);
        let mut unique: HashMap<&[Edge], u32> = HashMap::default();
        let mut kept: Vec<Edge> = Vec::with_capacity(old.len());
        let mut new_first = vec![0u32];
        let mut ids = Vec::with_capacity(first.len() - 1);
        let mut scratch: Vec<Edge> = Vec::new();
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for node in 0..first.len() - 1 {
            scratch.clear();
            scratch.extend(
                old[first[node] as usize..first[node + 1] as usize]
                    .iter()
                    .filter_map(|e| {
                        renumber[e.child as usize].map(|child| Edge {
                            value: e.value,
                            child,
                        })
                    }),
            );
            if scratch.is_empty() {
                ids.push(None);
                continue;
            }
            let start = kept.len();
            kept.extend_from_slice(&scratch);
            spans.push((start, kept.len()));
            ids.push(Some(spans.len() - 1));
        }
        // Merge equal edge lists (now that the children are final).
        let mut final_ids: Vec<Option<u32>> = Vec::with_capacity(ids.len());
        let mut merged: Vec<Edge> = Vec::with_capacity(kept.len());
        let mut span_id: Vec<u32> = Vec::with_capacity(spans.len());
        for &(a, b) in &spans {
            let next = unique.len() as u32;
            let id = *unique.entry(&kept[a..b]).or_insert(next);
            if id == next {
                merged.extend_from_slice(&kept[a..b]);
                new_first.push(merged.len() as u32);
            }
            span_id.push(id);
        }
        for id in ids {
            final_ids.push(id.map(|s| span_id[s]));
        }
        firsts[level] = new_first;
        edges[level] = merged;
        renumber = final_ids;
    }
    if renumber.first().copied().flatten().is_none() {
        // Nothing valid: no nodes at all.
        for (f, e) in firsts.iter_mut().zip(&mut edges) {
            *f = vec![0];
            e.clear();
        }
    }
    (firsts, edges)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::tests::{small, var};
    use crate::engine::Engine;

    #[test]
    fn answers_as_the_search_engine() {
        let m = small();
        let mdd = Mdd::compile(&m).unwrap();
        let e = Engine::new(&m);
        for sel in [
            vec![None, None, None],
            vec![Some(2), None, None],
            vec![None, None, Some(1)],
            vec![Some(2), Some(0), None],
        ] {
            assert_eq!(mdd.count(&sel), e.count(&sel), "{sel:?}");
            assert_eq!(
                mdd.possible_values(&sel).ok(),
                e.possible_values(&sel).ok(),
                "{sel:?}"
            );
            assert_eq!(mdd.complete(&m, &sel), e.complete(&sel), "{sel:?}");
        }
        let change = mdd.smallest_change(&[Some(2), None, None], 2, 1).unwrap();
        assert_eq!(change.released, vec![0]);
        assert!(e.check(&change.solution).is_ok());
    }

    #[test]
    fn an_unsatisfiable_model_compiles_to_nothing() {
        let m = Model::new(
            vec![var("x", 2)],
            vec![Constraint::Table {
                scope: vec![0],
                tuples: vec![],
            }],
        )
        .unwrap();
        let mdd = Mdd::compile(&m).unwrap();
        assert_eq!(mdd.count(&[None]), BigUint::ZERO);
        assert!(mdd.possible_values(&[None]).is_err());
        assert_eq!(mdd.complete(&m, &[None]), None);
    }

    #[test]
    fn the_compiled_form_loads_only_for_its_model() {
        let m = small();
        let mdd = Mdd::compile(&m).unwrap();
        let bytes = mdd.to_bytes();
        assert_eq!(Mdd::from_bytes(&m, &bytes).unwrap(), mdd);
        let other = Model::new(vec![var("x", 3)], vec![]).unwrap();
        assert_eq!(Mdd::from_bytes(&other, &bytes), Err(MddError::OtherModel));
        assert!(matches!(
            Mdd::from_bytes(&m, &bytes[..bytes.len() - 3]),
            Err(MddError::Unreadable(_))
        ));
        assert!(matches!(
            Mdd::from_bytes(&m, b"garbage"),
            Err(MddError::Unreadable(_))
        ));
    }

    #[test]
    fn a_diagram_over_its_limit_stops_with_an_error() {
        let m = Model::new((0..12).map(|i| var(&format!("v{i}"), 4)).collect(), vec![]).unwrap();
        // Without constraints every level has one node: fine.
        assert!(Mdd::compile_with_limit(&m, 20).is_ok());
        let m = small();
        assert!(matches!(
            Mdd::compile_with_limit(&m, 1),
            Err(MddError::TooLarge { .. })
        ));
    }
}
