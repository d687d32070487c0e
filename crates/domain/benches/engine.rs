//! Time to answer "what is still possible" after one choice on the smart #1 catalog
//! (budget: under 50 microseconds natively). Run: `cargo bench -p domain --bench engine`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use domain::Catalog;
use rules::Engine;

fn after_one_choice(c: &mut Criterion) {
    let catalog = Catalog::current();
    let premium = catalog
        .select(&catalog.empty_selection(), "PREMIUM")
        .unwrap();
    let chosen = catalog.select(&premium, "PAINT_LASER_RED").unwrap();
    c.bench_function("possible values after one choice (engine)", |b| {
        b.iter(|| {
            Engine::new(catalog.model())
                .possible_values(black_box(&chosen.0))
                .unwrap()
        })
    });
    c.bench_function(
        "choice statuses incl. alternatives and completion (what the UI shows)",
        |b| b.iter(|| catalog.statuses(black_box(&chosen)).unwrap()),
    );
    c.bench_function("select + price + code (one click)", |b| {
        b.iter(|| {
            let sel = catalog
                .select(black_box(&premium), "PAINT_LASER_RED")
                .unwrap();
            let car = catalog.complete(&sel).unwrap();
            (catalog.price(&car), catalog.encode(&sel))
        })
    });
    c.bench_function("smallest change: BRABUS paint on a Premium", |b| {
        b.iter(|| {
            catalog
                .resolve(black_box(&premium), "PAINT_MATTE_GREY")
                .unwrap()
        })
    });
}

criterion_group!(benches, after_one_choice);
criterion_main!(benches);
