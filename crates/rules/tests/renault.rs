//! The engine on a real OEM rule set: ../shared/benchmarks/renault (or RENAULT_DIR).
//! These tests fail loudly when the data is missing: CI has it, so they must run.

use rules::mdd::Mdd;
use rules::{testdata, xcsp};
use rules::{Constraint, Engine, Model, Val, ValueSet};
use std::collections::HashSet;
use std::sync::OnceLock;

fn instance() -> &'static xcsp::Instance {
    static I: OnceLock<xcsp::Instance> = OnceLock::new();
    I.get_or_init(|| {
        xcsp::parse(&testdata::read("medium_domainsorted.xml")).expect("the instance loads")
    })
}

/// The instance compiled into a decision diagram, once for all tests.
fn compiled() -> &'static Mdd {
    static M: OnceLock<Mdd> = OnceLock::new();
    M.get_or_init(|| Mdd::compile(&instance().model).expect("the medium instance compiles"))
}

/// A sold car as a selection of its variables (the others open).
fn selection_of(car: &[Val]) -> Vec<Option<Val>> {
    let mut selection = vec![None; 148];
    for (&var, &val) in sales().vars.iter().zip(car) {
        selection[var] = Some(val);
    }
    selection
}

fn sales() -> &'static xcsp::Sales {
    static S: OnceLock<xcsp::Sales> = OnceLock::new();
    S.get_or_init(|| {
        xcsp::parse_sales(instance(), &testdata::read("config_medium_filtered.txt"))
            .expect("the sales load")
    })
}

/// Every solution, by plain chronological backtracking that checks a table only once its whole
/// scope is assigned: no propagation, nothing shared with the engine's search. Variables go in
/// an order that completes constraints early (greedy: the one closing the most tables next).
fn all_solutions(model: &Model) -> Vec<Vec<Val>> {
    let n = model.vars().len();
    let tables: Vec<(Vec<usize>, HashSet<Vec<Val>>)> = model
        .constraints()
        .iter()
        .map(|c| match c {
            Constraint::Table { scope, tuples } => {
                (scope.clone(), tuples.iter().cloned().collect())
            }
            Constraint::Clause(_) => panic!("XCSP gives tables"),
        })
        .collect();
    let mut order = Vec::with_capacity(n);
    let mut placed = vec![false; n];
    while order.len() < n {
        let score = |v: usize, placed: &[bool]| {
            let closes = tables
                .iter()
                .filter(|(s, _)| s.contains(&v) && s.iter().all(|&x| x == v || placed[x]))
                .count();
            let touches = tables
                .iter()
                .filter(|(s, _)| s.contains(&v) && s.iter().any(|&x| placed[x]))
                .count();
            (closes, touches)
        };
        let next = (0..n)
            .filter(|&v| !placed[v])
            .max_by_key(|&v| score(v, &placed))
            .unwrap();
        placed[next] = true;
        order.push(next);
    }
    let position: Vec<usize> = {
        let mut p = vec![0; n];
        for (i, &v) in order.iter().enumerate() {
            p[v] = i;
        }
        p
    };
    let mut closing: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (t, (scope, _)) in tables.iter().enumerate() {
        closing[scope.iter().map(|&x| position[x]).max().unwrap()].push(t);
    }
    let sizes: Vec<usize> = model.vars().iter().map(|v| v.size).collect();
    let mut out = Vec::new();
    let mut a = vec![0 as Val; n];
    #[allow(clippy::too_many_arguments)]
    fn go(
        depth: usize,
        a: &mut Vec<Val>,
        order: &[usize],
        sizes: &[usize],
        closing: &[Vec<usize>],
        tables: &[(Vec<usize>, HashSet<Vec<Val>>)],
        out: &mut Vec<Vec<Val>>,
    ) {
        if depth == order.len() {
            out.push(a.clone());
            return;
        }
        let var = order[depth];
        for v in 0..sizes[var] as Val {
            a[var] = v;
            let ok = closing[depth].iter().all(|&t| {
                let (scope, allowed) = &tables[t];
                allowed.contains(&scope.iter().map(|&x| a[x]).collect::<Vec<_>>())
            });
            if ok {
                go(depth + 1, a, order, sizes, closing, tables, out);
            }
        }
    }
    go(0, &mut a, &order, &sizes, &closing, &tables, &mut out);
    out
}

#[test]
fn the_medium_instance_has_exactly_278744_valid_configurations() {
    let inst = instance();
    assert_eq!(inst.model.vars().len(), 148);
    let count = Engine::new(&inst.model).count(&vec![None; 148]);
    assert_eq!(count.to_string(), "278744");
}

#[test]
fn every_sold_car_is_consistent() {
    let (inst, sales) = (instance(), sales());
    assert_eq!(sales.cars.len(), 8252);
    let engine = Engine::new(&inst.model);
    for (i, car) in sales.cars.iter().enumerate() {
        let selection = selection_of(car);
        assert!(
            engine.is_consistent(&selection),
            "sold car {} cannot be completed",
            i + 1
        );
        assert!(
            compiled().possible_values(&selection).is_ok(),
            "sold car {} is consistent",
            i + 1
        );
    }
}

#[test]
fn replayed_choice_by_choice_the_possible_values_equal_brute_force() {
    let (inst, sales) = (instance(), sales());
    let solutions = all_solutions(&inst.model);
    assert_eq!(
        solutions.len(),
        278_744,
        "the brute force agrees with the count"
    );
    let engine = Engine::new(&inst.model);
    let compiled = compiled();
    // A sample spread over the year's sales.
    for car in sales.cars.iter().step_by(sales.cars.len() / 40) {
        let mut selection = vec![None; 148];
        let mut matching: Vec<&Vec<Val>> = solutions.iter().collect();
        for (&var, &val) in sales.vars.iter().zip(car) {
            selection[var] = Some(val);
            matching.retain(|s| s[var] == val);
            let mut expected = vec![ValueSet::new(); 148];
            for s in &matching {
                for (e, &v) in expected.iter_mut().zip(s.iter()) {
                    e.insert(v);
                }
            }
            let possible = engine
                .possible_values(&selection)
                .expect("a sold car stays consistent");
            assert_eq!(
                possible, expected,
                "after choosing {} = {val}",
                inst.var_names[var]
            );
            assert_eq!(
                compiled.possible_values(&selection),
                Ok(expected),
                "compiled, after choosing {} = {val}",
                inst.var_names[var]
            );
        }
    }
}

/// The compiled form (a decision diagram) answers as the search engine on the real range: the
/// count, and choice by choice over 200 sold cars spread over the year the possible values (the
/// search engine's are checked against brute force above); once written and loaded again, the
/// same. Every sold car is consistent in it too (`every_sold_car_is_consistent`).
#[test]
fn the_compiled_form_counts_and_replays_as_the_search_engine() {
    let (inst, sales) = (instance(), sales());
    let compiled = compiled();
    let loaded = Mdd::from_bytes(&inst.model, &compiled.to_bytes()).expect("it loads back");
    assert_eq!(&loaded, compiled);
    assert_eq!(compiled.count(&vec![None; 148]).to_string(), "278744");
    let engine = Engine::new(&inst.model);
    for car in sales.cars.iter().step_by(sales.cars.len() / 200) {
        let mut selection = vec![None; 148];
        for (&var, &val) in sales.vars.iter().zip(car) {
            selection[var] = Some(val);
            assert_eq!(
                loaded.possible_values(&selection).ok(),
                engine.possible_values(&selection).ok()
            );
        }
        assert_eq!(loaded.count(&selection), engine.count(&selection));
        assert_eq!(
            loaded.complete(&inst.model, &selection),
            engine.complete(&selection)
        );
    }
}

#[test]
fn explanations_and_smallest_changes_work_at_this_scale() {
    let (inst, sales) = (instance(), sales());
    let mut engine = Engine::new(&inst.model);
    let selection = selection_of(&sales.cars[0]);
    // Some variable has a value that this car rules out: explain it and find the smallest change.
    let possible = engine.possible_values(&selection).unwrap();
    let (var, val) = (0..148)
        .find_map(|v| {
            let size = inst.model.vars()[v].size as Val;
            let dead = (0..size).find(|&x| !possible[v].contains(x));
            dead.filter(|_| selection[v].is_none()).map(|x| (v, x))
        })
        .expect("a car rules something out");
    let why = engine.explain(&selection, var, val);
    assert!(!why.is_empty());
    let change = engine
        .smallest_change(&selection, var, val)
        .expect("some change makes it possible");
    assert_eq!(change.solution[var], val);
    assert!(engine.check(&change.solution).is_ok());
    assert!(!change.released.is_empty());
}
