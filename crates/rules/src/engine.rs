//! A small, general finite-domain constraint engine.
//!
//! Variables have finite domains of any size (value indices `0..size`). Constraints are clauses
//! over domain literals ("at least one of these variables takes one of these values") or tables
//! of allowed tuples. Nothing here knows about cars: the smart #1 catalog (the domain crate's
//! `rules.rs`) and an OEM rule set are both just inputs.
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
//!
//! A search state ([`Domains`]) is one flat vector of bit-set words, each variable owning a fixed
//! run of them, so copying a state at a search node is one memcpy; the smart #1 catalog, whose
//! domains all fit one word, pays nothing for domains of any size. Tables are filtered with
//! compact-table bit sets over their tuples (Demeulenaere et al., CP 2016), the valid tuples
//! recomputed at each propagation rather than maintained along the search: simpler, and fast
//! enough for product rules.

use num_bigint::BigUint;
use std::cell::RefCell;
use std::collections::HashMap;

pub type VarId = usize;
/// A value index inside a variable's domain.
pub type Val = u32;

const WORD: usize = 64;

/// How many 64-bit words hold `n` bits.
fn words_for(n: usize) -> usize {
    n.div_ceil(WORD)
}

/// The positions of the set bits of consecutive words, ascending.
fn ones<I: Iterator<Item = u64>>(words: I) -> Ones<I> {
    Ones {
        words,
        word: 0,
        base: 0usize.wrapping_sub(WORD),
    }
}

/// The iterator of [`ones`]: a plain loop, because value iteration sits on the hot path.
struct Ones<I> {
    words: I,
    /// The bits of the current word not yet returned.
    word: u64,
    /// The value of the current word's bit 0.
    base: usize,
}

impl<I: Iterator<Item = u64>> Iterator for Ones<I> {
    type Item = Val;

    #[inline]
    fn next(&mut self) -> Option<Val> {
        while self.word == 0 {
            self.word = self.words.next()?;
            self.base = self.base.wrapping_add(WORD);
        }
        let bit = self.word.trailing_zeros() as usize;
        self.word &= self.word - 1;
        Some((self.base + bit) as Val)
    }
}

/// The last word of a set of the values `0..size` (`size` > 0).
fn last_word(size: usize) -> u64 {
    u64::MAX >> ((WORD - size % WORD) % WORD)
}

/// Words with the first `size` bits set.
fn full_words(size: usize) -> impl Iterator<Item = u64> {
    let n = words_for(size);
    (0..n).map(move |i| if i + 1 < n { u64::MAX } else { last_word(size) })
}

/// A set of value indices of any width. The first word is inline, so sets of domains up to 64
/// values (all of the smart #1 catalog) never allocate. Trailing zero words are never stored, so
/// equal sets compare and hash equal whatever built them.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct ValueSet {
    low: u64,
    high: Vec<u64>,
}

impl ValueSet {
    pub fn new() -> Self {
        Self::default()
    }

    /// The set holding only `v`.
    pub fn single(v: Val) -> Self {
        let mut set = Self::new();
        set.insert(v);
        set
    }

    /// All values `0..size`.
    pub fn full(size: usize) -> Self {
        Self::from_words(&full_words(size).collect::<Vec<_>>())
    }

    fn from_words(words: &[u64]) -> Self {
        if let [low] = words {
            let low = *low;
            return ValueSet {
                low,
                high: Vec::new(),
            };
        }
        let mut set = ValueSet {
            low: words.first().copied().unwrap_or(0),
            high: words.get(1..).unwrap_or_default().to_vec(),
        };
        set.trim();
        set
    }

    fn trim(&mut self) {
        while self.high.last() == Some(&0) {
            self.high.pop();
        }
    }

    /// Word `i` (values `64 i .. 64 i + 63`).
    fn word(&self, i: usize) -> u64 {
        match i {
            0 => self.low,
            _ => self.high.get(i - 1).copied().unwrap_or(0),
        }
    }

    fn words(&self) -> impl Iterator<Item = u64> + '_ {
        std::iter::once(self.low).chain(self.high.iter().copied())
    }

    pub fn contains(&self, v: Val) -> bool {
        self.word(v as usize / WORD) & (1 << (v as usize % WORD)) != 0
    }

    pub fn insert(&mut self, v: Val) {
        let (i, bit) = (v as usize / WORD, 1u64 << (v as usize % WORD));
        if i == 0 {
            self.low |= bit;
        } else {
            if self.high.len() < i {
                self.high.resize(i, 0);
            }
            self.high[i - 1] |= bit;
        }
    }

    pub fn remove(&mut self, v: Val) {
        let (i, bit) = (v as usize / WORD, 1u64 << (v as usize % WORD));
        match i {
            0 => self.low &= !bit,
            _ if i <= self.high.len() => {
                self.high[i - 1] &= !bit;
                self.trim();
            }
            _ => {}
        }
    }

    /// Adds every value of `other`.
    pub fn union_with(&mut self, other: &ValueSet) {
        self.low |= other.low;
        if self.high.len() < other.high.len() {
            self.high.resize(other.high.len(), 0);
        }
        for (a, b) in self.high.iter_mut().zip(&other.high) {
            *a |= b;
        }
    }

    /// The number of values.
    pub fn len(&self) -> usize {
        self.words().map(|w| w.count_ones() as usize).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.low == 0 && self.high.is_empty()
    }

    /// The largest value, `None` for the empty set.
    pub fn max(&self) -> Option<Val> {
        let (i, &w) = self
            .high
            .iter()
            .enumerate()
            .next_back()
            .map(|(i, w)| (i + 1, w))
            .unwrap_or((0, &self.low));
        (w != 0).then(|| (i * WORD + WORD - 1 - w.leading_zeros() as usize) as Val)
    }

    /// The values, ascending.
    pub fn values(&self) -> impl Iterator<Item = Val> + '_ {
        ones(self.words())
    }
}

impl FromIterator<Val> for ValueSet {
    fn from_iter<I: IntoIterator<Item = Val>>(values: I) -> Self {
        let mut set = ValueSet::new();
        for v in values {
            set.insert(v);
        }
        set
    }
}

impl std::fmt::Debug for ValueSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.values()).finish()
    }
}

/// The domains of all variables in one search state: one flat run of words, variable `x` owning
/// `words[offsets[x]..offsets[x + 1]]` (offsets computed once by the [`Model`]; `None` when every
/// variable has one word, the catalog's case, which then skips the offset lookups). Bits past a
/// variable's size are always clear.
#[derive(Clone, PartialEq, Eq)]
struct Domains<'m> {
    offsets: Option<&'m [usize]>,
    words: Vec<u64>,
}

impl Domains<'_> {
    /// The number of variables.
    fn len(&self) -> usize {
        match self.offsets {
            None => self.words.len(),
            Some(offsets) => offsets.len() - 1,
        }
    }

    #[inline]
    fn span(&self, var: VarId) -> std::ops::Range<usize> {
        match self.offsets {
            None => var..var + 1,
            Some(offsets) => offsets[var]..offsets[var + 1],
        }
    }

    #[inline]
    fn words(&self, var: VarId) -> &[u64] {
        &self.words[self.span(var)]
    }

    #[inline]
    fn words_mut(&mut self, var: VarId) -> &mut [u64] {
        let span = self.span(var);
        &mut self.words[span]
    }

    #[inline]
    fn locate(&self, var: VarId, v: Val) -> Option<(usize, u64)> {
        let span = self.span(var);
        let i = span.start + v as usize / WORD;
        (i < span.end).then_some((i, 1 << (v as usize % WORD)))
    }

    #[inline]
    fn contains(&self, var: VarId, v: Val) -> bool {
        self.locate(var, v)
            .is_some_and(|(i, bit)| self.words[i] & bit != 0)
    }

    #[inline]
    fn insert(&mut self, var: VarId, v: Val) {
        if let Some((i, bit)) = self.locate(var, v) {
            self.words[i] |= bit;
        }
    }

    #[inline]
    fn remove(&mut self, var: VarId, v: Val) {
        if let Some((i, bit)) = self.locate(var, v) {
            self.words[i] &= !bit;
        }
    }

    /// Narrows `var` to `v` alone (`v` below the variable's size).
    #[inline]
    fn set_single(&mut self, var: VarId, v: Val) {
        let found = self.locate(var, v);
        for w in self.words_mut(var) {
            *w = 0;
        }
        if let Some((i, bit)) = found {
            self.words[i] = bit;
        }
    }

    /// The number of values `var` still has.
    #[inline]
    fn count(&self, var: VarId) -> usize {
        match self.words(var) {
            [w] => w.count_ones() as usize,
            words => words.iter().map(|w| w.count_ones() as usize).sum(),
        }
    }

    /// Whether `var` has two values or more (still to be decided).
    #[inline]
    fn is_open(&self, var: VarId) -> bool {
        match self.words(var) {
            [w] => w & w.wrapping_sub(1) != 0,
            _ => self.count(var) > 1,
        }
    }

    /// The values of `var`, ascending.
    fn values(&self, var: VarId) -> impl Iterator<Item = Val> + '_ {
        ones(self.words(var).iter().copied())
    }

    /// The smallest value of `var`.
    #[inline]
    fn first(&self, var: VarId) -> Option<Val> {
        let mut words = self.words(var).iter().enumerate();
        let (k, w) = words.find(|(_, &w)| w != 0)?;
        Some((k * WORD + w.trailing_zeros() as usize) as Val)
    }

    /// The smallest value of `var` that `other` (a state of the same model) lacks.
    #[inline]
    fn first_outside(&self, var: VarId, other: &Domains) -> Option<Val> {
        let pairs = self.words(var).iter().zip(other.words(var));
        ones(pairs.map(|(a, b)| a & !b)).next()
    }

    /// Whether every value of `var` is also in `other` (a state of the same model).
    #[inline]
    fn within(&self, var: VarId, other: &Domains) -> bool {
        let mut pairs = self.words(var).iter().zip(other.words(var));
        pairs.all(|(a, b)| a & !b == 0)
    }

    /// The open variable with the fewest values, and among those the first with a value outside
    /// `covered` (a state of the same model). The hottest loop of the witness search, so the
    /// one-word layout gets a straight pass over the words.
    fn smallest_open(&self, covered: Option<&Domains>) -> Option<VarId> {
        let mut best = None;
        let mut best_key = (usize::MAX, true);
        let mut consider = |x: VarId, key: (usize, bool)| {
            if key < best_key {
                best_key = key;
                best = Some(x);
            }
        };
        if self.offsets.is_none() {
            for (x, &d) in self.words.iter().enumerate() {
                if d & d.wrapping_sub(1) != 0 {
                    let c = covered.map_or(0, |c| c.words[x]);
                    consider(x, (d.count_ones() as usize, d & !c == 0));
                }
            }
        } else {
            for x in (0..self.len()).filter(|&x| self.is_open(x)) {
                consider(
                    x,
                    (self.count(x), covered.is_some_and(|c| self.within(x, c))),
                );
            }
        }
        best
    }

    /// The values of `var` outside `covered`, then those inside, each ascending.
    fn fresh_first<'a>(
        &'a self,
        var: VarId,
        covered: Option<&'a Domains>,
    ) -> impl Iterator<Item = Val> + 'a {
        let covered_words: &[u64] = covered.map_or(&[], |c| c.words(var));
        let pairs = move || {
            let c = covered_words.iter().copied().chain(std::iter::repeat(0));
            self.words(var).iter().copied().zip(c)
        };
        ones(pairs().map(|(d, c)| d & !c)).chain(ones(pairs().map(|(d, c)| d & c)))
    }

    /// Keeps only the values of `var` whose bits are set in `mask` (words in order).
    #[inline]
    fn intersect_words(&mut self, var: VarId, mask: impl Iterator<Item = u64>) {
        for (w, m) in self.words_mut(var).iter_mut().zip(mask) {
            *w &= m;
        }
    }

    /// The values of `var` as a stand-alone set.
    fn value_set(&self, var: VarId) -> ValueSet {
        ValueSet::from_words(self.words(var))
    }

    /// Every variable's values as stand-alone sets.
    fn to_value_sets(&self) -> Vec<ValueSet> {
        match self.offsets {
            None => self
                .words
                .iter()
                .map(|&low| ValueSet::from_words(&[low]))
                .collect(),
            Some(_) => (0..self.len()).map(|var| self.value_set(var)).collect(),
        }
    }

    /// The only value of each variable (the smallest, if some still have several).
    fn assignment(&self) -> Vec<Val> {
        match self.offsets {
            None => self.words.iter().map(|w| w.trailing_zeros() % 64).collect(),
            Some(_) => (0..self.len())
                .map(|var| self.first(var).unwrap_or(0))
                .collect(),
        }
    }

    /// Calls `f` with each variable that has two values or more, and its number of values.
    fn for_each_open(&self, mut f: impl FnMut(VarId, usize)) {
        match self.offsets {
            None => {
                for (x, &w) in self.words.iter().enumerate() {
                    if w & w.wrapping_sub(1) != 0 {
                        f(x, w.count_ones() as usize);
                    }
                }
            }
            Some(_) => {
                for x in (0..self.len()).filter(|&x| self.is_open(x)) {
                    f(x, self.count(x));
                }
            }
        }
    }

    /// The first variable with two values or more.
    fn first_open(&self) -> Option<VarId> {
        match self.offsets {
            None => self.words.iter().position(|&w| w & w.wrapping_sub(1) != 0),
            Some(_) => (0..self.len()).find(|&x| self.is_open(x)),
        }
    }
}

impl std::fmt::Debug for Domains<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.to_value_sets()).finish()
    }
}

/// "Variable `var` takes one of `values`".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Literal {
    pub var: VarId,
    pub values: ValueSet,
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
    #[error("variable {0} has an empty domain or more values than a value index holds")]
    DomainSize(String),
    #[error("constraint {0} names a variable or value that does not exist")]
    BadReference(usize),
}

/// A clause as propagation reads it: each literal's values as words aligned with its variable's
/// words in [`Domains`]. The first word is inline (all a one-word variable needs); the others of
/// all literals are in one vector.
#[derive(Clone, Debug)]
struct ClauseFilter {
    lits: Vec<ClauseLiteral>,
    more_masks: Vec<u64>,
}

#[derive(Clone, Debug)]
struct ClauseLiteral {
    var: VarId,
    /// Where the variable's first word is in [`Domains`] (read directly: the hot path).
    at: usize,
    mask: u64,
    /// The variable's words after the first, and where their masks start in `more_masks`.
    more: usize,
    more_at: usize,
}

/// A table as compact-table filtering reads it: for each scope position and value, the tuples
/// holding that value as a sparse bit set over the tuples (only its nonzero words, with their
/// index), so memory stays proportional to tuples × arity whatever the domain sizes.
#[derive(Clone, Debug)]
struct TableFilter {
    scope: Vec<VarId>,
    sizes: Vec<usize>,
    tuple_count: usize,
    tuple_words: usize,
    /// Where position `p`'s supports start in `starts` (one entry per value, plus one).
    column: Vec<usize>,
    /// Support of value `v` at position `p`: `supports[starts[column[p] + v]..starts[.. + 1]]`.
    starts: Vec<usize>,
    supports: Vec<(u32, u64)>,
}

impl TableFilter {
    fn new(scope: &[VarId], tuples: &[Vec<Val>], vars: &[Variable]) -> Self {
        let sizes: Vec<usize> = scope.iter().map(|&x| vars[x].size).collect();
        let mut column = Vec::with_capacity(scope.len());
        let mut starts = vec![0];
        let mut supports: Vec<(u32, u64)> = Vec::new();
        for (p, &size) in sizes.iter().enumerate() {
            column.push(starts.len() - 1);
            let mut by_value: Vec<Vec<u32>> = vec![Vec::new(); size];
            for (t, tuple) in tuples.iter().enumerate() {
                by_value[tuple[p] as usize].push(t as u32);
            }
            for holders in by_value {
                let value_start = supports.len();
                // Tuple indices ascend, so one word's bits are adjacent.
                for t in holders {
                    let (word, bit) = (t / WORD as u32, 1u64 << (t as usize % WORD));
                    let same_word =
                        supports.len() > value_start && supports[supports.len() - 1].0 == word;
                    if same_word {
                        supports.last_mut().unwrap().1 |= bit;
                    } else {
                        supports.push((word, bit));
                    }
                }
                starts.push(supports.len());
            }
        }
        TableFilter {
            scope: scope.to_vec(),
            sizes,
            tuple_count: tuples.len(),
            tuple_words: words_for(tuples.len()),
            column,
            starts,
            supports,
        }
    }

    fn support(&self, p: usize, v: Val) -> &[(u32, u64)] {
        let at = self.column[p] + v as usize;
        &self.supports[self.starts[at]..self.starts[at + 1]]
    }

    /// Marks in `valid` the tuples whose every value is still in its domain (a scratch buffer
    /// `column` of the same length): per position, the union of the supports of the values left,
    /// or the complement of the union of the values gone, whichever is fewer.
    fn valid_tuples(&self, doms: &Domains, valid: &mut [u64], column: &mut [u64]) {
        for (v, w) in valid.iter_mut().zip(full_words(self.tuple_count)) {
            *v = w;
        }
        for (p, (&var, &size)) in self.scope.iter().zip(&self.sizes).enumerate() {
            let left = doms.count(var);
            if left == size {
                continue;
            }
            if left <= size - left {
                column.fill(0);
                for v in doms.values(var) {
                    for &(i, bits) in self.support(p, v) {
                        column[i as usize] |= bits;
                    }
                }
                for (v, c) in valid.iter_mut().zip(column.iter()) {
                    *v &= c;
                }
            } else {
                let gone = doms.words(var).iter().zip(full_words(size));
                for v in ones(gone.map(|(d, f)| f & !d)) {
                    for &(i, bits) in self.support(p, v) {
                        valid[i as usize] &= !bits;
                    }
                }
            }
        }
    }

    /// Narrows the scope to the values some valid tuple holds; the variables it narrowed are
    /// passed to `changed`. `Err` when no tuple is left.
    #[inline(never)] // its scratch buffers would weigh on every clause propagation
    fn filter(&self, doms: &mut Domains, mut changed: impl FnMut(VarId)) -> Result<(), ()> {
        // Tables of up to 4,096 tuples need no allocation here (a hot path).
        let mut buf = [0u64; 128];
        let mut heap = Vec::new();
        let (valid, column) = if 2 * self.tuple_words <= buf.len() {
            buf[..2 * self.tuple_words].split_at_mut(self.tuple_words)
        } else {
            heap.resize(2 * self.tuple_words, 0);
            heap.split_at_mut(self.tuple_words)
        };
        self.valid_tuples(doms, valid, column);
        if valid.iter().all(|&w| w == 0) {
            return Err(());
        }
        let valid: &[u64] = valid;
        for (p, &var) in self.scope.iter().enumerate() {
            let start = doms.span(var).start;
            let mut narrowed = false;
            for k in 0..doms.words(var).len() {
                let word = doms.words[start + k];
                let mut kept = word;
                for v in ones(std::iter::once(word)) {
                    let v = v + (k * WORD) as Val;
                    let held = self
                        .support(p, v)
                        .iter()
                        .any(|&(i, bits)| valid[i as usize] & bits != 0);
                    if !held {
                        kept &= !(1 << (v as usize % WORD));
                    }
                }
                narrowed |= kept != word;
                doms.words[start + k] = kept;
            }
            if narrowed {
                changed(var);
            }
        }
        Ok(())
    }
}

#[derive(Clone, Debug)]
enum Filter {
    Clause(ClauseFilter),
    Table(TableFilter),
}

/// Variables and constraints, checked and indexed for propagation.
#[derive(Clone, Debug)]
pub struct Model {
    vars: Vec<Variable>,
    constraints: Vec<Constraint>,
    /// For each constraint, its propagation form.
    filters: Vec<Filter>,
    /// For each variable, the constraints whose scope holds it.
    watchers: Vec<Vec<usize>>,
    /// Where each variable's words start in a [`Domains`], plus the total at the end; `None`
    /// when every variable has one word.
    offsets: Option<Vec<usize>>,
}

impl Model {
    pub fn new(vars: Vec<Variable>, constraints: Vec<Constraint>) -> Result<Self, ModelError> {
        let mut vars = vars;
        for var in &mut vars {
            if var.size == 0 || var.size > Val::MAX as usize {
                return Err(ModelError::DomainSize(var.name.clone()));
            }
            // Every value must be tried by a completion: append what the preference leaves out.
            let mut seen = vec![false; var.size];
            var.preference.retain(|&v| {
                let fresh = (v as usize) < var.size && !seen[v as usize];
                if fresh {
                    seen[v as usize] = true;
                }
                fresh
            });
            let left_out = (0..var.size).filter(|&v| !seen[v]);
            var.preference.extend(left_out.map(|v| v as Val));
        }
        let mut offsets = vec![0];
        for var in &vars {
            offsets.push(offsets.last().unwrap() + words_for(var.size));
        }
        let mut constraints = constraints;
        let mut filters = Vec::with_capacity(constraints.len());
        for (id, c) in constraints.iter_mut().enumerate() {
            match c {
                Constraint::Clause(lits) => {
                    // Merge literals on one variable, so propagation sees one literal per variable.
                    let mut merged: Vec<Literal> = Vec::with_capacity(lits.len());
                    for lit in lits.drain(..) {
                        let size = vars.get(lit.var).ok_or(ModelError::BadReference(id))?.size;
                        if lit.values.max().is_some_and(|v| v as usize >= size) {
                            return Err(ModelError::BadReference(id));
                        }
                        match merged.iter_mut().find(|m| m.var == lit.var) {
                            Some(m) => m.values.union_with(&lit.values),
                            None => merged.push(lit),
                        }
                    }
                    let mut filter = ClauseFilter {
                        lits: Vec::with_capacity(merged.len()),
                        more_masks: Vec::new(),
                    };
                    for lit in &merged {
                        let more = words_for(vars[lit.var].size) - 1;
                        filter.lits.push(ClauseLiteral {
                            var: lit.var,
                            at: offsets[lit.var],
                            mask: lit.values.word(0),
                            more,
                            more_at: filter.more_masks.len(),
                        });
                        filter
                            .more_masks
                            .extend((1..=more).map(|i| lit.values.word(i)));
                    }
                    filters.push(Filter::Clause(filter));
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
                    filters.push(Filter::Table(TableFilter::new(scope, tuples, &vars)));
                }
            }
        }
        // Every variable has a word at least: as many words as variables means one each.
        let offsets = (offsets[vars.len()] != vars.len()).then_some(offsets);
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
            filters,
            watchers,
            offsets,
        })
    }

    pub fn vars(&self) -> &[Variable] {
        &self.vars
    }

    pub fn constraints(&self) -> &[Constraint] {
        &self.constraints
    }

    /// A state with no value in any domain.
    fn no_domains(&self) -> Domains<'_> {
        Domains {
            offsets: self.offsets.as_deref(),
            words: vec![0; self.vars.iter().map(|v| words_for(v.size)).sum()],
        }
    }

    /// Every value of every variable.
    fn full_domains(&self) -> Domains<'_> {
        let mut words = Vec::with_capacity(self.vars.len());
        for var in &self.vars {
            words.resize(words.len() + words_for(var.size) - 1, u64::MAX);
            words.push(last_word(var.size));
        }
        Domains {
            offsets: self.offsets.as_deref(),
            words,
        }
    }

    /// The domains a partial selection leaves (unselected variables keep all their values).
    fn domains_of(&self, selection: &[Option<Val>]) -> Domains<'_> {
        let mut doms = self.full_domains();
        for (var, sel) in selection.iter().enumerate() {
            match *sel {
                Some(v) if (v as usize) < self.vars[var].size => doms.set_single(var, v),
                Some(_) => doms.words_mut(var).fill(0), // no such value: nothing fits
                None => {}
            }
        }
        doms
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
    /// The propagation queue, kept between calls: a search propagates at every node, and two
    /// allocations per node were a good part of the time on the catalog.
    queue: RefCell<PropagationQueue>,
}

/// Constraints waiting for propagation; `queued[c]` says whether `c` is in `pending`. Both are
/// empty/all false between propagations.
#[derive(Default)]
struct PropagationQueue {
    pending: Vec<usize>,
    queued: Vec<bool>,
}

impl<'m> Engine<'m> {
    pub fn new(model: &'m Model) -> Self {
        Engine {
            model,
            active: vec![true; model.constraints.len()],
            queue: RefCell::new(PropagationQueue {
                pending: Vec::new(),
                queued: vec![false; model.constraints.len()],
            }),
        }
    }

    /// Narrows `doms` to a fixpoint of all active constraints, starting from `start`.
    fn propagate(&self, doms: &mut Domains, start: &[usize]) -> Result<(), Conflict> {
        let mut scratch = self.queue.borrow_mut();
        let PropagationQueue { pending, queued } = &mut *scratch;
        for &c in start {
            if !queued[c] {
                queued[c] = true;
                pending.push(c);
            }
        }
        let result = self.run_queue(doms, pending, queued);
        for c in pending.drain(..) {
            queued[c] = false; // left over by a conflict
        }
        result
    }

    fn run_queue(
        &self,
        doms: &mut Domains,
        queue: &mut Vec<usize>,
        queued: &mut [bool],
    ) -> Result<(), Conflict> {
        while let Some(c) = queue.pop() {
            queued[c] = false;
            if !self.active[c] {
                continue;
            }
            let mut changed = |var: VarId| {
                for &w in &self.model.watchers[var] {
                    if w != c && !queued[w] {
                        queued[w] = true;
                        queue.push(w);
                    }
                }
            };
            match &self.model.filters[c] {
                Filter::Clause(clause) => {
                    let mut open = None;
                    let mut open_count = 0;
                    for lit in &clause.lits {
                        let d = doms.words[lit.at];
                        let (mut entailed, mut possible) = (d & !lit.mask == 0, d & lit.mask != 0);
                        if lit.more > 0 {
                            let rest = &doms.words[lit.at + 1..][..lit.more];
                            let more = &clause.more_masks[lit.more_at..][..lit.more];
                            for (d, m) in rest.iter().zip(more) {
                                entailed &= d & !m == 0;
                                possible |= d & m != 0;
                            }
                        }
                        if entailed {
                            open_count = usize::MAX; // the clause holds whatever happens
                            break;
                        }
                        if possible {
                            open_count += 1;
                            open = Some(lit);
                        }
                    }
                    match (open_count, open) {
                        (0, _) => return Err(Conflict(c)),
                        (1, Some(lit)) => {
                            let more = &clause.more_masks[lit.more_at..][..lit.more];
                            let mask = std::iter::once(lit.mask).chain(more.iter().copied());
                            doms.intersect_words(lit.var, mask);
                            changed(lit.var);
                        }
                        _ => {}
                    }
                }
                Filter::Table(table) => table.filter(doms, changed).map_err(|()| Conflict(c))?,
            }
        }
        Ok(())
    }

    fn propagate_all(&self, doms: &mut Domains) -> Result<(), Conflict> {
        let all: Vec<usize> = (0..self.model.constraints.len()).rev().collect();
        self.propagate(doms, &all)
    }

    fn propagate_var(&self, doms: &mut Domains, var: VarId) -> Result<(), Conflict> {
        self.propagate(doms, &self.model.watchers[var])
    }

    /// A copy of `doms` with `var` fixed to `v` and propagated; `None` on a conflict.
    fn try_value(&self, doms: &Domains<'m>, var: VarId, v: Val) -> Option<Domains<'m>> {
        let mut next = doms.clone();
        next.set_single(var, v);
        self.propagate_var(&mut next, var).ok().map(|()| next)
    }

    /// Depth-first search from propagated domains, variables in index order and values in
    /// preference order: the first solution is the lexicographically first one (the defaults).
    /// For "is there any solution", [`Engine::witness`] is faster.
    fn first_solution(&self, doms: &Domains<'m>) -> Option<Vec<Val>> {
        let Some(var) = doms.first_open() else {
            return Some(doms.assignment());
        };
        self.model.vars[var]
            .preference
            .iter()
            .filter(|&&v| doms.contains(var, v))
            .find_map(|&v| {
                self.try_value(doms, var, v)
                    .and_then(|next| self.first_solution(&next))
            })
    }

    /// Whether the partial selection extends to a complete valid assignment.
    pub fn is_consistent(&self, selection: &[Option<Val>]) -> bool {
        let mut doms = self.model.domains_of(selection);
        self.propagate_all(&mut doms).is_ok() && self.witness(&doms, None).is_some()
    }

    /// Checks a complete assignment; the error names a violated constraint.
    pub fn check(&self, assignment: &[Val]) -> Result<(), Conflict> {
        if assignment.len() != self.model.vars.len() {
            return Err(Conflict(usize::MAX));
        }
        for (id, c) in self.model.constraints.iter().enumerate() {
            let holds = match c {
                Constraint::Clause(lits) => {
                    lits.iter().any(|l| l.values.contains(assignment[l.var]))
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
    pub fn possible_values(&self, selection: &[Option<Val>]) -> Result<Vec<ValueSet>, Conflict> {
        let mut doms = self.model.domains_of(selection);
        self.propagate_all(&mut doms)?;
        Ok(self.supported(doms)?.to_value_sets())
    }

    /// Narrows propagated domains to exactly the supported values by witness search. Each
    /// search prefers values no solution has shown yet, so one witness covers many values; a
    /// value without a witness is removed and propagated, which prunes the searches after it.
    fn supported(&self, mut doms: Domains<'m>) -> Result<Domains<'m>, Conflict> {
        let mut supported = self.model.no_domains();
        match self.witness(&doms, Some(&supported)) {
            Some(sol) => mark(&mut supported, &sol),
            None => return Err(Conflict(usize::MAX)),
        }
        for var in 0..doms.len() {
            while let Some(v) = doms.first_outside(var, &supported) {
                let found = self
                    .try_value(&doms, var, v)
                    .and_then(|trial| self.witness(&trial, Some(&supported)));
                match found {
                    Some(sol) => mark(&mut supported, &sol),
                    None => {
                        doms.remove(var, v);
                        self.propagate_var(&mut doms, var)?;
                    }
                }
            }
        }
        Ok(supported)
    }

    /// Some solution from propagated domains, smallest domain first, preferring values outside
    /// `covered` (values solutions have already shown).
    fn witness(&self, doms: &Domains<'m>, covered: Option<&Domains>) -> Option<Vec<Val>> {
        let Some(var) = doms.smallest_open(covered) else {
            return Some(doms.assignment());
        };
        doms.fresh_first(var, covered).find_map(|v| {
            self.try_value(doms, var, v)
                .and_then(|next| self.witness(&next, covered))
        })
    }

    /// For each variable, the values it could take if only ITS OWN selection were given up, the
    /// others kept: what a configurator offers as alternatives on an already chosen variable.
    /// Variables without a selection get the plain possible values.
    pub fn alternatives(&self, selection: &[Option<Val>]) -> Result<Vec<ValueSet>, Conflict> {
        let mut result = self.possible_values(selection)?;
        for var in 0..selection.len() {
            if selection[var].is_none() {
                continue;
            }
            let mut relaxed = selection.to_vec();
            relaxed[var] = None;
            let mut doms = self.model.domains_of(&relaxed);
            self.propagate_all(&mut doms)?;
            let untried: Vec<Val> = doms
                .values(var)
                .filter(|&v| !result[var].contains(v))
                .collect();
            for v in untried {
                let extends = self
                    .try_value(&doms, var, v)
                    .is_some_and(|trial| self.witness(&trial, None).is_some());
                if extends {
                    result[var].insert(v);
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
        if val as usize >= self.model.vars[var].size {
            return None;
        }
        let mut doms = self.model.full_domains();
        doms.set_single(var, val);
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
        doms: &Domains<'m>,
        soft: &[Option<Val>],
        best: &mut Option<(usize, Vec<Val>)>,
    ) {
        let cost = soft
            .iter()
            .enumerate()
            .filter(|&(x, s)| matches!(s, Some(v) if !doms.contains(x, *v)))
            .count();
        if matches!(best, Some((b, _)) if cost >= *b) {
            return;
        }
        // Selected variables first, their own value first: good solutions are found early.
        let mut pick = None;
        doms.for_each_open(|x, count| {
            let key = (soft[x].is_none(), count);
            if pick.is_none_or(|(best, _)| key < best) {
                pick = Some((key, x));
            }
        });
        let Some((_, var)) = pick else {
            *best = Some((cost, doms.assignment()));
            return;
        };
        let wanted = soft[var].filter(|&v| doms.contains(var, v));
        let order = wanted.into_iter().chain(
            self.model.vars[var]
                .preference
                .iter()
                .copied()
                .filter(|&v| Some(v) != wanted),
        );
        for v in order {
            if !doms.contains(var, v) {
                continue;
            }
            if let Some(next) = self.try_value(doms, var, v) {
                self.branch_and_bound(&next, soft, best);
                if matches!(best, Some((0, _))) {
                    return;
                }
            }
        }
    }
}

/// Component counts already known, keyed by the component's domains and its fixed boundary
/// (variable index, then its words, for each variable in order).
type CountCache = HashMap<Vec<u64>, BigUint>;

impl<'m> Engine<'m> {
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
    fn count_split(&self, doms: &Domains<'m>, vars: &[VarId], cache: &mut CountCache) -> BigUint {
        let open: Vec<VarId> = vars.iter().copied().filter(|&v| doms.is_open(v)).collect();
        let mut root: HashMap<VarId, VarId> = open.iter().map(|&v| (v, v)).collect();
        fn find(root: &mut HashMap<VarId, VarId>, v: VarId) -> VarId {
            let mut r = v;
            while root[&r] != r {
                r = root[&r];
            }
            root.insert(v, r);
            r
        }
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
                BigUint::from(doms.count(comp[0]))
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

    fn count_component(
        &self,
        doms: &Domains<'m>,
        comp: &[VarId],
        cache: &mut CountCache,
    ) -> BigUint {
        let mut state: Vec<VarId> = comp.to_vec();
        // The fixed variables this component's constraints read are part of its state.
        for &v in comp {
            for &c in &self.model.watchers[v] {
                let scope = self.model.constraints[c].scope();
                state.extend(scope.into_iter().filter(|&x| !doms.is_open(x)));
            }
        }
        state.sort_unstable();
        state.dedup();
        let mut key = Vec::new();
        for &x in &state {
            key.push(x as u64);
            key.extend_from_slice(doms.words(x));
        }
        if let Some(n) = cache.get(&key) {
            return n.clone();
        }
        let branch = comp
            .iter()
            .copied()
            .min_by_key(|&v| doms.count(v))
            .expect("a component has variables");
        let mut total = BigUint::ZERO;
        for v in doms.values(branch) {
            if let Some(next) = self.try_value(doms, branch, v) {
                total += self.count_split(&next, comp, cache);
            }
        }
        cache.insert(key, total.clone());
        total
    }
}

fn mark(supported: &mut Domains, solution: &[Val]) {
    for (var, &v) in solution.iter().enumerate() {
        supported.insert(var, v);
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn var(name: &str, size: usize) -> Variable {
        Variable {
            name: name.into(),
            size,
            preference: vec![],
        }
    }

    fn lit(var: VarId, vals: &[Val]) -> Literal {
        Literal {
            var,
            values: vals.iter().copied().collect(),
        }
    }

    fn one(v: Val) -> ValueSet {
        ValueSet::single(v)
    }

    /// x in {0,1,2}, y in {0,1}, z in {0,1}: x=2 -> y=1 ; y=1 -> z=0 ; table (x,z) forbids (0,1).
    pub(crate) fn small() -> Model {
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
        assert_eq!(doms, vec![one(2), one(1), one(0)]);
        let doms = e.possible_values(&[None, None, Some(1)]).unwrap();
        assert_eq!(
            doms,
            vec![one(1), one(0), one(1)],
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
