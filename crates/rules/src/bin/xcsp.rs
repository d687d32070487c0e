//! Command-line tool for XCSP 2.1 rule sets on the configurator's engine.
//!
//!   xcsp compile [FILE] OUT                writes the compiled form (a decision diagram)
//!   xcsp count [FILE] [--compiled F]       exact number of valid complete configurations
//!   xcsp replay [FILE SALES] [--cars N] [--compiled F]
//!                                          replays sold cars choice by choice; time per choice
//!   xcsp walk [FILE] [--walks N] [--compiled F]
//!                                          random buyers: each picks a random possible value of
//!                                          every variable in a random order; time per choice
//!   xcsp generate [--seed S] OUT           writes the large generated instance (260 variables of
//!                                          up to 1,000 values, 320 tables, one of 100,000 tuples)
//!
//! `count` and `replay` compile the rule set first (or load `--compiled F`); with `--search`,
//! or when the diagram would be too large, they answer by search instead and say so.
//! Without files it uses ../shared/benchmarks/renault (or RENAULT_DIR).

use num_bigint::BigUint;
use rules::mdd::Mdd;
use rules::{generated, testdata, xcsp};
use rules::{Engine, Model, Val, ValueSet};
use std::time::{Duration, Instant};

/// What answers: the compiled diagram, or the search engine.
enum Answerer<'m> {
    Compiled(Mdd),
    Search(Engine<'m>),
}

impl Answerer<'_> {
    fn count(&self, selection: &[Option<Val>]) -> BigUint {
        match self {
            Answerer::Compiled(mdd) => mdd.count(selection),
            Answerer::Search(engine) => engine.count(selection),
        }
    }

    fn possible_values(&self, selection: &[Option<Val>]) -> Option<Vec<ValueSet>> {
        match self {
            Answerer::Compiled(mdd) => mdd.possible_values(selection).ok(),
            Answerer::Search(engine) => engine.possible_values(selection).ok(),
        }
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn fail(message: impl std::fmt::Display) -> ! {
    eprintln!("xcsp: {message}");
    std::process::exit(1)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let option = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
    };
    let cars_limit = option("--cars").and_then(|n| n.parse().ok());
    let walks: usize = option("--walks")
        .and_then(|n| n.parse().ok())
        .unwrap_or(100);
    let seed: u64 = option("--seed").and_then(|n| n.parse().ok()).unwrap_or(1);
    let compiled = option("--compiled");
    let search = args.iter().any(|a| a == "--search");
    let files: Vec<&String> = args
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(i, a)| {
            !a.starts_with("--")
                && !matches!(
                    args.get(i - 1).map(String::as_str),
                    Some("--cars" | "--compiled" | "--walks" | "--seed")
                )
        })
        .map(|(_, a)| a)
        .collect();
    let read = |path: Option<&&String>, default: &str| match path {
        Some(path) => std::fs::read_to_string(path)
            .unwrap_or_else(|e| fail(format!("cannot read {path}: {e}"))),
        None => testdata::read(default),
    };
    let command = args.first().map(String::as_str);
    if command == Some("generate") {
        return generate(&files, seed);
    }
    // `compile OUT` alone compiles the default rule set.
    let (rules_file, out) = match (command, files.len()) {
        (Some("compile"), 1) => (None, Some(files[0])),
        (Some("compile"), _) => (files.first(), files.get(1).copied()),
        _ => (files.first(), None),
    };
    let started = Instant::now();
    let instance =
        xcsp::parse(&read(rules_file, "medium_domainsorted.xml")).unwrap_or_else(|e| fail(e));
    let loaded = started.elapsed();
    let model = &instance.model;
    let n = model.vars().len();
    println!(
        "variables: {n}, values: {}, constraints: {}, loaded in {}",
        model.vars().iter().map(|v| v.size).sum::<usize>(),
        model.constraints().len(),
        ms(loaded)
    );
    match command {
        Some("compile") => {
            let out = out.unwrap_or_else(|| fail("usage: xcsp compile [FILE] OUT"));
            let t = Instant::now();
            let mdd = Mdd::compile(model).unwrap_or_else(|e| fail(e));
            let took = t.elapsed();
            let bytes = mdd.to_bytes();
            std::fs::write(out, &bytes)
                .unwrap_or_else(|e| fail(format!("cannot write {out}: {e}")));
            report(&mdd, took, "compiled");
            println!("written: {out}, {} bytes", bytes.len());
        }
        Some("count") => {
            let answerer = answerer(model, compiled, search);
            let t = Instant::now();
            let count = answerer.count(&vec![None; n]);
            println!("valid configurations: {count}");
            println!("counting time: {}", ms(t.elapsed()));
            println!("load, compile and count: {}", ms(started.elapsed()));
        }
        Some("replay") => {
            let answerer = answerer(model, compiled, search);
            let sales =
                xcsp::parse_sales(&instance, &read(files.get(1), "config_medium_filtered.txt"))
                    .unwrap_or_else(|e| fail(e));
            replay(&answerer, &sales, n, cars_limit);
        }
        Some("walk") => walk(&answerer(model, compiled, search), n, walks, seed),
        _ => {
            eprintln!(
                "usage: xcsp compile [FILE] OUT | xcsp count [FILE] [--compiled F] [--search] | \
                 xcsp replay [FILE SALES] [--cars N] [--compiled F] [--search] | \
                 xcsp walk [FILE] [--walks N] [--seed S] [--compiled F] [--search] | \
                 xcsp generate [--seed S] OUT"
            );
            std::process::exit(2);
        }
    }
}

/// `xcsp generate [--seed S] OUT`: writes the large generated instance.
fn generate(files: &[&String], seed: u64) {
    let out = files
        .first()
        .unwrap_or_else(|| fail("usage: xcsp generate [--seed S] OUT"));
    let t = Instant::now();
    let text = generated::xcsp(&generated::Spec::large(seed));
    std::fs::write(out, &text).unwrap_or_else(|e| fail(format!("cannot write {out}: {e}")));
    println!(
        "generated {out} (seed {seed}): {} bytes in {}",
        text.len(),
        ms(t.elapsed())
    );
}

/// Replays sold cars choice by choice and times each answer.
fn replay(answerer: &Answerer<'_>, sales: &xcsp::Sales, n: usize, cars_limit: Option<usize>) {
    let cars = cars_limit.unwrap_or(sales.cars.len()).min(sales.cars.len());
    let mut times = Vec::with_capacity(cars * sales.vars.len());
    let mut inconsistent = 0;
    for car in &sales.cars[..cars] {
        let mut selection = vec![None; n];
        for (&var, &val) in sales.vars.iter().zip(car) {
            selection[var] = Some(val);
            let t = Instant::now();
            let possible = answerer.possible_values(&selection);
            times.push(t.elapsed().as_secs_f64() * 1e3);
            if possible.is_none() {
                inconsistent += 1;
                break;
            }
        }
    }
    println!(
        "cars replayed: {cars}, choices: {}, inconsistent cars: {inconsistent}",
        times.len()
    );
    percentiles(times);
}

/// Random buyers: each picks the variables in a random order, each time an offered value.
fn walk(answerer: &Answerer<'_>, n: usize, walks: usize, seed: u64) {
    let mut rng = seed.max(1);
    // xorshift64: a fixed sequence of buyers for a given seed.
    let mut random = move |below: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % below as u64) as usize
    };
    let mut times = Vec::with_capacity(walks * n);
    for _ in 0..walks {
        let mut selection: Vec<Option<Val>> = vec![None; n];
        let mut order: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            order.swap(i, random(i + 1));
        }
        let mut possible = answerer
            .possible_values(&selection)
            .unwrap_or_else(|| fail("the rule set has no valid configuration"));
        for &var in &order {
            let offered: Vec<Val> = possible[var].values().collect();
            selection[var] = Some(offered[random(offered.len())]);
            let t = Instant::now();
            possible = answerer
                .possible_values(&selection)
                .unwrap_or_else(|| fail("an offered value led to a dead end"));
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
    }
    println!("walks: {walks}, choices: {}, dead ends: 0", times.len());
    percentiles(times);
}

/// The compiled form from `compiled`, else compiled now, else (too large, or `--search`) the
/// search engine; says which.
fn answerer<'m>(model: &'m Model, compiled: Option<&String>, search: bool) -> Answerer<'m> {
    if search {
        println!("answering by search (--search)");
        return Answerer::Search(Engine::new(model));
    }
    let t = Instant::now();
    let mdd = match compiled {
        Some(path) => {
            let bytes =
                std::fs::read(path).unwrap_or_else(|e| fail(format!("cannot read {path}: {e}")));
            let mdd = Mdd::from_bytes(model, &bytes).unwrap_or_else(|e| fail(e));
            report(&mdd, t.elapsed(), "loaded the compiled form");
            return Answerer::Compiled(mdd);
        }
        None => Mdd::compile(model),
    };
    match mdd {
        Ok(mdd) => {
            report(&mdd, t.elapsed(), "compiled");
            Answerer::Compiled(mdd)
        }
        Err(e) => {
            println!("not compiled ({e}): answering by search");
            Answerer::Search(Engine::new(model))
        }
    }
}

fn percentiles(mut times: Vec<f64>) {
    times.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| {
        times[((p / 100.0 * times.len() as f64).ceil() as usize).clamp(1, times.len()) - 1]
    };
    println!(
        "possible values after a choice: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        pct(50.0),
        pct(99.0),
        times.last().copied().unwrap_or(0.0)
    );
}

fn report(mdd: &Mdd, took: Duration, what: &str) {
    let s = mdd.stats();
    println!(
        "{what} in {}: {} nodes, {} edges, widest level {} nodes",
        ms(took),
        s.nodes,
        s.edges,
        s.width
    );
}
