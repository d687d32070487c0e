//! The engine on the Renault "medium" rule set (148 variables): exact counting and the possible
//! values after one choice. Run: `cargo bench -p rules --bench renault` (needs ../shared).

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use rules::{testdata, xcsp, Engine};

fn renault(c: &mut Criterion) {
    let instance = xcsp::parse(&testdata::read("medium_domainsorted.xml")).unwrap();
    let sales =
        xcsp::parse_sales(&instance, &testdata::read("config_medium_filtered.txt")).unwrap();
    let engine = Engine::new(&instance.model);
    let n = instance.model.vars().len();
    let mut group = c.benchmark_group("renault medium");
    group.sample_size(20);
    group.bench_function("count all valid configurations (278,744)", |b| {
        b.iter(|| engine.count(black_box(&vec![None; n])))
    });
    let mut first = vec![None; n];
    first[sales.vars[0]] = Some(sales.cars[0][0]);
    group.bench_function("possible values after the first choice", |b| {
        b.iter(|| engine.possible_values(black_box(&first)).unwrap())
    });
    let mut half = vec![None; n];
    for (&var, &val) in sales
        .vars
        .iter()
        .zip(&sales.cars[0])
        .take(sales.vars.len() / 2)
    {
        half[var] = Some(val);
    }
    group.bench_function("possible values after half the choices", |b| {
        b.iter(|| engine.possible_values(black_box(&half)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, renault);
criterion_main!(benches);
