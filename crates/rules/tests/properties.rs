//! Invariants of the engine and its compiled form, checked on random models against brute force.

use proptest::prelude::*;
use rules::mdd::Mdd;
use rules::{Constraint, Engine, Literal, Model, Val, ValueSet, Variable};

/// A random small model, and the brute-force answer for "which values are possible".
fn small_model() -> impl Strategy<Value = Model> {
    let sizes = prop::collection::vec(2usize..5, 3..7);
    sizes
        .prop_flat_map(|sizes| {
            let n = sizes.len();
            let sizes2 = sizes.clone();
            let lit = (0..n).prop_flat_map(move |var| {
                let size = sizes2[var];
                (Just(var), 1u64..(1 << size) - 1).prop_map(|(var, bits)| Literal {
                    var,
                    values: (0..64).filter(|v| bits & (1 << v) != 0).collect(),
                })
            });
            let clauses = prop::collection::vec(
                prop::collection::vec(lit, 1..4).prop_map(Constraint::Clause),
                0..6,
            );
            let tables = binary_tables(sizes.clone(), 8);
            (Just(sizes), clauses, tables)
        })
        .prop_map(|(sizes, clauses, tables)| model_of("v", &sizes, clauses, tables))
}

/// Up to two tables over two distinct variables, each of 1 to `max_tuples - 1` tuples.
fn binary_tables(sizes: Vec<usize>, max_tuples: usize) -> impl Strategy<Value = Vec<Constraint>> {
    let n = sizes.len();
    let table = (0..n, 0..n)
        .prop_filter("two variables", |(a, b)| a != b)
        .prop_flat_map(move |(a, b)| {
            let (sa, sb) = (sizes[a] as Val, sizes[b] as Val);
            prop::collection::vec((0..sa, 0..sb), 1..max_tuples).prop_map(move |t| {
                Constraint::Table {
                    scope: vec![a, b],
                    tuples: t.into_iter().map(|(x, y)| vec![x, y]).collect(),
                }
            })
        });
    prop::collection::vec(table, 0..3)
}

/// The model of variables `{prefix}0, {prefix}1, ...` of `sizes` under the clauses and tables.
fn model_of(
    prefix: &str,
    sizes: &[usize],
    clauses: Vec<Constraint>,
    tables: Vec<Constraint>,
) -> Model {
    let vars = sizes
        .iter()
        .enumerate()
        .map(|(i, &size)| Variable {
            name: format!("{prefix}{i}"),
            size,
            preference: vec![],
        })
        .collect();
    Model::new(vars, clauses.into_iter().chain(tables).collect()).unwrap()
}

/// Whether a complete assignment meets every constraint, read straight from the model's
/// clauses and tables: an oracle independent of the engine (which it checks).
fn satisfies(model: &Model, a: &[Val]) -> bool {
    model.constraints().iter().all(|c| match c {
        Constraint::Clause(literals) => literals.iter().any(|l| l.values.contains(a[l.var])),
        Constraint::Table { scope, tuples } => tuples
            .iter()
            .any(|t| scope.iter().zip(t).all(|(&var, &v)| a[var] == v)),
    })
}

/// Every value that some complete assignment meeting `selection` and every constraint holds,
/// by enumerating all assignments.
fn brute_force(model: &Model, selection: &[Option<Val>]) -> Vec<ValueSet> {
    let sizes: Vec<usize> = model.vars().iter().map(|v| v.size).collect();
    let mut out = vec![ValueSet::new(); sizes.len()];
    let mut a = vec![0; sizes.len()];
    loop {
        let fits = selection
            .iter()
            .zip(&a)
            .all(|(s, v)| s.is_none_or(|s| s == *v));
        if fits && satisfies(model, &a) {
            for (o, &v) in out.iter_mut().zip(&a) {
                o.insert(v);
            }
        }
        let mut i = 0;
        loop {
            if i == a.len() {
                return out;
            }
            a[i] += 1;
            if (a[i] as usize) < sizes[i] {
                break;
            }
            a[i] = 0;
            i += 1;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn possible_values_equal_brute_force(model in small_model(), raw in prop::collection::vec(any::<(bool, u32)>(), 8)) {
        let selection: Vec<Option<Val>> = model.vars().iter().zip(&raw).map(|(v, &(set, x))| (set && x % 3 == 0).then_some(x % v.size as Val)).collect();
        let expected = brute_force(&model, &selection);
        let engine = Engine::new(&model);
        match engine.possible_values(&selection) {
            Ok(doms) => prop_assert_eq!(doms, expected),
            Err(_) => prop_assert!(expected.iter().all(ValueSet::is_empty)),
        }
    }

    #[test]
    fn explanations_are_minimal_and_changes_smallest(model in small_model(), raw in prop::collection::vec(any::<(bool, u32)>(), 8), var in 0usize..3, val in 0 as Val..2) {
        let selection: Vec<Option<Val>> = model.vars().iter().zip(&raw).map(|(v, &(set, x))| set.then_some(x % v.size as Val)).collect();
        let mut engine = Engine::new(&model);
        let mut relaxed = selection.clone();
        relaxed[var] = None;
        if engine.is_consistent(&relaxed) {
            let mut wanted = relaxed.clone();
            wanted[var] = Some(val);
            let culprits = engine.explain(&relaxed, var, val);
            prop_assert_eq!(culprits.is_empty(), engine.is_consistent(&wanted));
            if let Some(change) = engine.smallest_change(&selection, var, val) {
                prop_assert!(satisfies(&model, &change.solution));
                prop_assert_eq!(change.solution[var], val);
                // No smaller set of released selections works: try every smaller subset.
                let chosen: Vec<usize> = (0..selection.len()).filter(|&i| i != var && selection[i].is_some()).collect();
                for mask in 0u32..(1 << chosen.len()) {
                    if (mask.count_ones() as usize) < change.released.len() {
                        let mut trial = wanted.clone();
                        for (k, &i) in chosen.iter().enumerate() {
                            trial[i] = if mask & (1 << k) != 0 { None } else { selection[i] };
                        }
                        prop_assert!(!engine.is_consistent(&trial));
                    }
                }
            } else {
                let mut alone = vec![None; selection.len()];
                alone[var] = Some(val);
                prop_assert!(!engine.is_consistent(&alone));
            }
        }
    }
}

#[test]
fn a_value_set_iterates_its_values_across_words() {
    let set: ValueSet = [3, 0, 64, 1, 1000].into_iter().collect();
    assert_eq!(set.values().collect::<Vec<_>>(), vec![0, 1, 3, 64, 1000]);
    assert_eq!(set.len(), 5);
    assert_eq!(set.max(), Some(1000));
    assert!(set.contains(64) && !set.contains(65) && !set.contains(100_000));
    let mut fewer = set.clone();
    fewer.remove(1000);
    assert_eq!(
        fewer,
        [0, 1, 3, 64].into_iter().collect(),
        "no trailing words count"
    );
    assert_eq!(ValueSet::full(130).len(), 130);
}

/// A random model whose domains need several words (65 to 140 values): two wide variables and
/// one or two small ones, clauses over value sets on either side of word boundaries ("one of
/// these values" and "anything but these values"), and tables with tuples anywhere in the range.
fn wide_model() -> impl Strategy<Value = Model> {
    let sizes = (
        prop::collection::vec(65usize..140, 2),
        prop::collection::vec(2usize..5, 1..3),
    )
        .prop_map(|(wide, small)| wide.into_iter().chain(small).collect::<Vec<_>>());
    sizes
        .prop_flat_map(|sizes| {
            let n = sizes.len();
            let sizes2 = sizes.clone();
            let lit = (0..n).prop_flat_map(move |var| {
                let size = sizes2[var] as Val;
                let picked = prop::collection::vec(0..size, 1..6);
                (Just(var), picked, any::<bool>()).prop_map(move |(var, picked, negated)| {
                    let values = (0..size)
                        .filter(|v| picked.contains(v) != negated)
                        .collect();
                    Literal { var, values }
                })
            });
            let clauses = prop::collection::vec(
                prop::collection::vec(lit, 1..4).prop_map(Constraint::Clause),
                0..5,
            );
            let tables = binary_tables(sizes.clone(), 12);
            (Just(sizes), clauses, tables)
        })
        .prop_map(|(sizes, clauses, tables)| model_of("w", &sizes, clauses, tables))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn possible_values_equal_brute_force_on_domains_wider_than_a_word(model in wide_model(), raw in prop::collection::vec(any::<(bool, u32)>(), 4)) {
        let selection: Vec<Option<Val>> = model.vars().iter().zip(&raw).map(|(v, &(set, x))| (set && x % 3 == 0).then_some(x % v.size as Val)).collect();
        let expected = brute_force(&model, &selection);
        let engine = Engine::new(&model);
        match engine.possible_values(&selection) {
            Ok(doms) => prop_assert_eq!(doms, expected),
            Err(_) => prop_assert!(expected.iter().all(ValueSet::is_empty)),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The compiled form answers as the search engine on random models and partial choices:
    /// count, possible values, completion and the size of the smallest change; written and
    /// loaded again, the same. Small domains, and domains wider than a word.
    #[test]
    fn the_compiled_form_answers_as_the_search_engine(model in small_model(), raw in prop::collection::vec(any::<(bool, u32)>(), 8), var in 0usize..3, val in 0u32..2) {
        compiled_equals_search(&model, &raw, var, val)?;
    }

    #[test]
    fn the_compiled_form_answers_as_the_search_engine_on_wide_domains(model in wide_model(), raw in prop::collection::vec(any::<(bool, u32)>(), 4), var in 0usize..2, val in 0u32..140) {
        compiled_equals_search(&model, &raw, var, val % model.vars()[var].size as Val)?;
    }
}

fn compiled_equals_search(
    model: &Model,
    raw: &[(bool, u32)],
    var: usize,
    val: Val,
) -> Result<(), TestCaseError> {
    let selection: Vec<Option<Val>> = model
        .vars()
        .iter()
        .zip(raw)
        .map(|(v, &(set, x))| set.then_some(x % v.size as Val))
        .collect();
    let engine = Engine::new(model);
    let compiled = Mdd::compile(model).unwrap();
    let loaded = Mdd::from_bytes(model, &compiled.to_bytes()).unwrap();
    for mdd in [&compiled, &loaded] {
        prop_assert_eq!(mdd.count(&selection), engine.count(&selection));
        prop_assert_eq!(
            mdd.possible_values(&selection).ok(),
            engine.possible_values(&selection).ok()
        );
        prop_assert_eq!(mdd.complete(model, &selection), engine.complete(&selection));
        let (ours, theirs) = (
            mdd.smallest_change(&selection, var, val),
            engine.smallest_change(&selection, var, val),
        );
        prop_assert_eq!(
            ours.as_ref().map(|c| c.released.len()),
            theirs.map(|c| c.released.len())
        );
        if let Some(change) = ours {
            prop_assert!(satisfies(model, &change.solution));
            prop_assert_eq!(change.solution[var], val);
        }
    }
    Ok(())
}
