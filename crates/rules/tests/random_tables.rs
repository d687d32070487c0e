//! The engine on random instances with wide domains (100 to 1,500 values) and table constraints
//! of arity 3 to 6, checked against an independent brute force: a plain backtracking join of the
//! tables that tests each table once its scope is complete (no propagation, no bit sets) and the
//! clauses on complete assignments. Seeds are fixed, so a failure replays.

use rules::{Constraint, Engine, Literal, Model, Val, ValueSet, VarId, Variable};
use std::collections::{HashMap, HashSet};
use std::time::Instant;

/// splitmix64: a tiny, good-enough generator, so the tests need no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `lo..hi`.
    fn below(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

struct Shape {
    vars: usize,
    sizes: (usize, usize),
    tables: usize,
    arity: (usize, usize),
    /// Hidden solutions the tables are projections of.
    planted: usize,
    /// Random tuples added to each table.
    noise: (usize, usize),
    clauses: usize,
}

/// Variables with `sizes` values and tables over them that join to something: each variable
/// has a few "live" values spread over its whole range (past the first word, up to its last
/// value); the tables are the projections of planted assignments over live values plus noise
/// tuples anywhere in the domains. Every variable is in some table. Clauses are "one of these
/// values" or "anything but these values".
fn random_model(rng: &mut Rng, shape: &Shape) -> Model {
    let sizes: Vec<usize> = (0..shape.vars)
        .map(|_| rng.below(shape.sizes.0, shape.sizes.1 + 1))
        .collect();
    let live: Vec<Vec<Val>> = sizes
        .iter()
        .map(|&size| {
            let mut vals: Vec<Val> = (0..rng.below(2, 6))
                .map(|_| rng.below(0, size) as Val)
                .collect();
            vals.push(size as Val - 1);
            vals
        })
        .collect();
    let planted: Vec<Vec<Val>> = (0..shape.planted)
        .map(|_| live.iter().map(|l| l[rng.below(0, l.len())]).collect())
        .collect();
    let mut constraints = Vec::new();
    let mut covered = vec![false; shape.vars];
    for t in 0..shape.tables {
        let arity = rng.below(shape.arity.0, shape.arity.1 + 1).min(shape.vars);
        // The last table takes the variables no table holds yet.
        let mut scope: Vec<VarId> = Vec::new();
        if t + 1 == shape.tables {
            scope.extend((0..shape.vars).filter(|&v| !covered[v]).take(arity));
        }
        while scope.len() < arity {
            let v = rng.below(0, shape.vars);
            if !scope.contains(&v) {
                scope.push(v);
            }
        }
        for &v in &scope {
            covered[v] = true;
        }
        let mut tuples: Vec<Vec<Val>> = planted
            .iter()
            .map(|p| scope.iter().map(|&v| p[v]).collect())
            .collect();
        for _ in 0..rng.below(shape.noise.0, shape.noise.1 + 1) {
            tuples.push(
                scope
                    .iter()
                    .map(|&v| rng.below(0, sizes[v]) as Val)
                    .collect(),
            );
        }
        constraints.push(Constraint::Table { scope, tuples });
    }
    for v in (0..shape.vars).filter(|&v| !covered[v]) {
        // A variable still left out gets a table of its own over its live values.
        let tuples = live[v].iter().map(|&x| vec![x]).collect();
        constraints.push(Constraint::Table {
            scope: vec![v],
            tuples,
        });
    }
    for _ in 0..shape.clauses {
        let lits = (0..rng.below(1, 3))
            .map(|_| {
                let var = rng.below(0, shape.vars);
                let picked: Vec<Val> = (0..rng.below(1, 4))
                    .map(|_| live[var][rng.below(0, live[var].len())])
                    .collect();
                let values: ValueSet = if rng.chance(50) {
                    picked.into_iter().collect()
                } else {
                    (0..sizes[var] as Val)
                        .filter(|v| !picked.contains(v))
                        .collect()
                };
                Literal { var, values }
            })
            .collect();
        constraints.push(Constraint::Clause(lits));
    }
    let vars = sizes
        .iter()
        .enumerate()
        .map(|(i, &size)| Variable {
            name: format!("x{i}"),
            size,
            preference: vec![],
        })
        .collect();
    Model::new(vars, constraints).expect("a valid model")
}

/// One table in the join: its scope, the positions whose variables earlier tables set, and
/// its distinct tuples indexed by their values at those positions.
struct JoinStep {
    scope: Vec<VarId>,
    bound: Vec<usize>,
    index: HashMap<Vec<Val>, Vec<Vec<Val>>>,
}

/// Every solution, by a hash join of the tables in order (each assignment of the tables'
/// variables built once from one tuple per table) and the clauses checked on each.
fn all_solutions(model: &Model) -> Vec<Vec<Val>> {
    let n = model.vars().len();
    let mut steps = Vec::new();
    let mut clauses: Vec<&[Literal]> = Vec::new();
    let mut set = vec![false; n];
    for c in model.constraints() {
        match c {
            Constraint::Table { scope, tuples } => {
                let bound: Vec<usize> = (0..scope.len()).filter(|&p| set[scope[p]]).collect();
                let distinct: HashSet<&Vec<Val>> = tuples.iter().collect();
                let mut index: HashMap<Vec<Val>, Vec<Vec<Val>>> = HashMap::new();
                for t in distinct {
                    let key = bound.iter().map(|&p| t[p]).collect();
                    index.entry(key).or_default().push(t.clone());
                }
                for &v in scope {
                    set[v] = true;
                }
                steps.push(JoinStep {
                    scope: scope.clone(),
                    bound,
                    index,
                });
            }
            Constraint::Clause(lits) => clauses.push(lits),
        }
    }
    assert!(set.iter().all(|&s| s), "every variable is in a table");
    fn go(
        k: usize,
        a: &mut Vec<Val>,
        steps: &[JoinStep],
        clauses: &[&[Literal]],
        out: &mut Vec<Vec<Val>>,
    ) {
        let Some(step) = steps.get(k) else {
            let holds = |lits: &&[Literal]| lits.iter().any(|l| l.values.contains(a[l.var]));
            if clauses.iter().all(holds) {
                out.push(a.clone());
            }
            return;
        };
        let key: Vec<Val> = step.bound.iter().map(|&p| a[step.scope[p]]).collect();
        for t in step.index.get(&key).into_iter().flatten() {
            for (&var, &v) in step.scope.iter().zip(t) {
                a[var] = v;
            }
            go(k + 1, a, steps, clauses, out);
        }
    }
    let mut out = Vec::new();
    go(0, &mut vec![0; n], &steps, &clauses, &mut out);
    out
}

/// For each variable, the values of the solutions that agree with the selection.
fn projection(model: &Model, solutions: &[Vec<Val>], selection: &[Option<Val>]) -> Vec<ValueSet> {
    let mut out = vec![ValueSet::new(); model.vars().len()];
    let agrees = |s: &&Vec<Val>| {
        selection
            .iter()
            .zip(*s)
            .all(|(x, v)| x.is_none_or(|x| x == *v))
    };
    for s in solutions.iter().filter(agrees) {
        for (o, &v) in out.iter_mut().zip(s) {
            o.insert(v);
        }
    }
    out
}

/// Count and possible values, with no selection and after random partial selections (half of
/// them taken from a solution, so they are consistent, the rest anywhere), equal brute force.
fn check_against_brute_force(rng: &mut Rng, model: &Model, selections: usize) -> usize {
    let solutions = all_solutions(model);
    let engine = Engine::new(model);
    let n = model.vars().len();
    assert_eq!(
        engine.count(&vec![None; n]),
        solutions.len().into(),
        "count"
    );
    for round in 0..selections {
        let mut selection = vec![None; n];
        let source = solutions.get(rng.below(0, solutions.len().max(1)));
        for _ in 0..rng.below(1, 3) {
            let var = rng.below(0, n);
            selection[var] = Some(match source {
                Some(s) if round % 2 == 0 => s[var],
                _ => rng.below(0, model.vars()[var].size) as Val,
            });
        }
        let expected = projection(model, &solutions, &selection);
        match engine.possible_values(&selection) {
            Ok(possible) => assert_eq!(possible, expected, "after {selection:?}"),
            Err(_) => assert!(
                expected.iter().all(ValueSet::is_empty),
                "{selection:?} has solutions but was refused"
            ),
        }
        let matching = solutions
            .iter()
            .filter(|s| {
                selection
                    .iter()
                    .zip(*s)
                    .all(|(x, v)| x.is_none_or(|x| x == *v))
            })
            .count();
        assert_eq!(
            engine.count(&selection),
            matching.into(),
            "count after {selection:?}"
        );
    }
    solutions.len()
}

#[test]
fn small_random_instances_with_wide_domains_equal_brute_force() {
    let mut rng = Rng(0x5eed_0001);
    let mut total = 0;
    for _ in 0..12 {
        let shape = Shape {
            vars: rng.below(4, 7),
            sizes: (100, 1_000),
            tables: rng.below(2, 4),
            arity: (3, 6),
            planted: rng.below(5, 60),
            noise: (0, 200),
            clauses: rng.below(0, 4),
        };
        let model = random_model(&mut rng, &shape);
        let solutions = check_against_brute_force(&mut rng, &model, 8);
        total += solutions;
    }
    assert!(total > 0, "the generator makes instances with solutions");
}

#[test]
fn larger_random_instances_equal_brute_force() {
    let mut rng = Rng(0x5eed_0002);
    let mut total = 0;
    for _ in 0..3 {
        let shape = Shape {
            vars: 12,
            sizes: (100, 1_000),
            tables: 7,
            arity: (3, 6),
            planted: 1_000,
            noise: (500, 2_000),
            clauses: 4,
        };
        let model = random_model(&mut rng, &shape);
        let solutions = check_against_brute_force(&mut rng, &model, 6);
        total += solutions;
    }
    assert!(total > 0, "the generator makes instances with solutions");
}

/// A table of 100,000+ tuples over a variable of 1,500 values loads quickly and answers exactly
/// (expected values straight from the tuples).
#[test]
fn a_table_of_100000_tuples_over_1500_values_loads_and_answers() {
    let mut rng = Rng(0x5eed_0003);
    let sizes = [1_500usize, 300, 200];
    let mut tuples: Vec<Vec<Val>> = Vec::new();
    let mut seen = HashSet::new();
    while tuples.len() < 100_000 {
        let t: Vec<Val> = sizes.iter().map(|&s| rng.below(0, s) as Val).collect();
        if seen.insert(t.clone()) {
            tuples.push(t);
        }
    }
    // z = 0 needs x below 700: a clause across the word boundaries of x.
    let clause = Constraint::Clause(vec![
        Literal {
            var: 2,
            values: (1..200).collect(),
        },
        Literal {
            var: 0,
            values: (0..700).collect(),
        },
    ]);
    let vars = sizes
        .iter()
        .enumerate()
        .map(|(i, &size)| Variable {
            name: format!("v{i}"),
            size,
            preference: vec![],
        })
        .collect();
    let started = Instant::now();
    let model = Model::new(
        vars,
        vec![
            Constraint::Table {
                scope: vec![0, 1, 2],
                tuples: tuples.clone(),
            },
            clause,
        ],
    )
    .unwrap();
    let loaded = started.elapsed();
    assert!(loaded.as_secs() < 10, "loading took {loaded:?}");
    let engine = Engine::new(&model);
    let valid: Vec<&Vec<Val>> = tuples.iter().filter(|t| t[2] != 0 || t[0] < 700).collect();
    for &(var, value) in &[(0, 1_499), (0, 64), (0, 900), (1, 299), (2, 0)] {
        let mut selection = vec![None; 3];
        selection[var] = Some(value as Val);
        let mut expected = vec![ValueSet::new(); 3];
        let mut count = 0u32;
        for t in valid.iter().filter(|t| t[var] == value as Val) {
            count += 1;
            for (e, &v) in expected.iter_mut().zip(t.iter()) {
                e.insert(v);
            }
        }
        let possible = engine.possible_values(&selection).unwrap();
        assert_eq!(possible, expected, "after v{var} = {value}");
        if var == 0 {
            assert_eq!(engine.count(&selection), count.into());
        }
    }
    // Two choices leave the tuples with both values, whichever pair of variables.
    let (x, y) = (valid[0][0], valid[0][1]);
    let both: HashMap<Val, ()> = valid
        .iter()
        .filter(|t| t[0] == x && t[1] == y)
        .map(|t| (t[2], ()))
        .collect();
    let possible = engine.possible_values(&[Some(x), Some(y), None]).unwrap();
    assert_eq!(possible[2], both.keys().copied().collect());
}
