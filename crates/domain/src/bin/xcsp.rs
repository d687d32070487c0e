//! Command-line tool for XCSP 2.1 rule sets on the configurator's engine.
//!
//!   xcsp count [FILE]                  exact number of valid complete configurations
//!   xcsp replay [FILE SALES] [--cars N] replays sold cars choice by choice; time per choice
//!
//! Without files it uses ../shared/benchmarks/renault (or RENAULT_DIR).

use domain::engine::Engine;
use domain::{testdata, xcsp};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cars_limit = args
        .iter()
        .position(|a| a == "--cars")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok());
    let files: Vec<&String> = args
        .iter()
        .skip(1)
        .filter(|a| !a.starts_with("--") && a.parse::<usize>().is_err())
        .collect();
    let read = |i: usize, default: &str| match files.get(i) {
        Some(path) => {
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
        }
        None => testdata::read(default),
    };
    let started = Instant::now();
    let instance =
        xcsp::parse(&read(0, "medium_domainsorted.xml")).unwrap_or_else(|e| panic!("{e}"));
    let loaded = started.elapsed();
    let engine = Engine::new(&instance.model);
    let n = instance.model.vars().len();
    match args.first().map(String::as_str) {
        Some("count") => {
            let t = Instant::now();
            let count = engine.count(&vec![None; n]);
            println!(
                "variables: {n}, constraints: {}, loaded in {:.1} ms",
                instance.model.constraints().len(),
                loaded.as_secs_f64() * 1e3
            );
            println!("valid configurations: {count}");
            println!("counting time: {:.3} s", t.elapsed().as_secs_f64());
        }
        Some("replay") => {
            let sales = xcsp::parse_sales(&instance, &read(1, "config_medium_filtered.txt"))
                .unwrap_or_else(|e| panic!("{e}"));
            let cars = cars_limit.unwrap_or(sales.cars.len()).min(sales.cars.len());
            let mut times = Vec::with_capacity(cars * sales.vars.len());
            let mut inconsistent = 0;
            for car in &sales.cars[..cars] {
                let mut selection = vec![None; n];
                for (&var, &val) in sales.vars.iter().zip(car) {
                    selection[var] = Some(val);
                    let t = Instant::now();
                    let possible = engine.possible_values(&selection);
                    times.push(t.elapsed().as_secs_f64() * 1e3);
                    if possible.is_err() {
                        inconsistent += 1;
                        break;
                    }
                }
            }
            times.sort_by(|a, b| a.total_cmp(b));
            let pct = |p: f64| {
                times[((p / 100.0 * times.len() as f64).ceil() as usize).clamp(1, times.len()) - 1]
            };
            println!(
                "cars replayed: {cars}, choices: {}, inconsistent cars: {inconsistent}",
                times.len()
            );
            println!(
                "possible values after a choice: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
                pct(50.0),
                pct(99.0),
                times.last().copied().unwrap_or(0.0)
            );
        }
        _ => {
            eprintln!("usage: xcsp count [FILE] | xcsp replay [FILE SALES] [--cars N]");
            std::process::exit(2);
        }
    }
}
