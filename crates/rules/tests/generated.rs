//! The compiled form on generated rule sets with large domains (`rules::generated`, fixed
//! seeds), checked against independent methods: a join of the tables' tuples where that fits,
//! and the search engine on the large instance.

use num_bigint::BigUint;
use rules::generated::{self, Spec};
use rules::mdd::Mdd;
use rules::xcsp;
use rules::{Constraint, Engine, Model, Val};

fn load(spec: &Spec) -> Model {
    xcsp::parse(&generated::xcsp(spec))
        .expect("a generated instance loads")
        .model
}

/// Every solution, by joining the tables' tuples one table after another (no propagation,
/// nothing shared with the engine or the diagram); variables in no table are left out and
/// counted by their domain sizes.
fn join(model: &Model) -> (Vec<Vec<Option<Val>>>, BigUint) {
    let n = model.vars().len();
    let mut partial: Vec<Vec<Option<Val>>> = vec![vec![None; n]];
    for c in model.constraints() {
        let Constraint::Table { scope, tuples } = c else {
            panic!("generated instances are tables")
        };
        partial = partial
            .iter()
            .flat_map(|p| {
                tuples.iter().filter_map(move |t| {
                    let mut next = p.clone();
                    for (&var, &v) in scope.iter().zip(t) {
                        match next[var] {
                            Some(old) if old != v => return None,
                            _ => next[var] = Some(v),
                        }
                    }
                    Some(next)
                })
            })
            .collect();
        partial.sort_unstable();
        partial.dedup();
    }
    let free: BigUint = partial
        .first()
        .map(|p| {
            p.iter()
                .zip(model.vars())
                .filter(|(v, _)| v.is_none())
                .map(|(_, var)| BigUint::from(var.size))
                .product()
        })
        .unwrap_or(BigUint::from(1u32));
    let count = free * BigUint::from(partial.len());
    (partial, count)
}

fn small(seed: u64) -> Spec {
    Spec {
        seed,
        variables: 6,
        domain: (100, 1000),
        tables: 4,
        arity: (3, 4),
        window: 6,
        planted: 6,
        extra_tuples: 400,
        big_table: 0,
    }
}

#[test]
fn small_generated_instances_count_and_answer_as_the_join_of_their_tables() {
    for seed in 1..=20 {
        let model = load(&small(seed));
        assert!(model.vars().iter().any(|v| v.size > 255), "large domains");
        let mdd = Mdd::compile(&model).expect("compiles");
        let (solutions, count) = join(&model);
        let none = vec![None; model.vars().len()];
        assert_eq!(mdd.count(&none), count, "seed {seed}");
        assert_eq!(Engine::new(&model).count(&none), count, "seed {seed}");
        // After each choice of a planted-like solution, the possible values are exactly the
        // values of the solutions that agree.
        let target = &solutions[seed as usize % solutions.len()];
        let mut selection = none.clone();
        for var in 0..model.vars().len() {
            let Some(v) = target[var] else { continue };
            selection[var] = Some(v);
            let possible = mdd.possible_values(&selection).expect("consistent");
            for (x, var_x) in model.vars().iter().enumerate() {
                let expected: Vec<Val> = if solutions[0][x].is_none() && selection[x].is_none() {
                    (0..var_x.size as Val).collect()
                } else {
                    let mut vals: Vec<Val> = solutions
                        .iter()
                        .filter(|s| {
                            selection
                                .iter()
                                .zip(s.iter())
                                .all(|(sel, v)| sel.is_none() || v.is_none() || sel == v)
                        })
                        .filter_map(|s| s[x].or(selection[x]))
                        .collect();
                    vals.sort_unstable();
                    vals.dedup();
                    vals
                };
                let got: Vec<Val> = possible[x].values().collect();
                assert_eq!(got, expected, "seed {seed}, variable {x}");
            }
        }
    }
}

/// The benchmarks' large instance: 260 variables of up to 1,000 values, 320 tables and one of
/// 100,000 tuples. It compiles, counts as the search engine does, and every random choice among
/// the possible values leaves a consistent selection (no dead end), on both.
#[test]
fn the_large_generated_instance_compiles_and_answers_as_the_search_engine() {
    let model = load(&Spec::large(1));
    assert!(model.vars().len() >= 250 && model.constraints().len() >= 300);
    assert!(model.vars().iter().any(|v| v.size >= 1000));
    let mdd = Mdd::compile(&model).expect("compiles");
    let engine = Engine::new(&model);
    let n = model.vars().len();
    let none = vec![None; n];
    assert_eq!(mdd.count(&none), engine.count(&none));
    let loaded = Mdd::from_bytes(&model, &mdd.to_bytes()).unwrap();
    let mut selection = none;
    let mut state = 7u64;
    for var in (0..n).rev().step_by(3) {
        let possible = loaded.possible_values(&selection).expect("no dead end");
        assert_eq!(
            Some(&possible),
            engine.possible_values(&selection).ok().as_ref()
        );
        let offered: Vec<Val> = possible[var].values().collect();
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        selection[var] = Some(offered[(state >> 33) as usize % offered.len()]);
    }
    assert!(loaded.count(&selection) > BigUint::ZERO);
}
