//! Random rule sets shaped like real product ranges, as XCSP 2.1 text, for the tests, the
//! benchmarks and `xcsp generate`: a fixed seed gives the same instance everywhere.
//!
//! Like OEM rules, each table ties a few neighbouring variables (engine, trim, market... are
//! declared near each other), domains run to hundreds of values, and the range is not empty:
//! a number of complete assignments are planted first, and every table allows their
//! projections besides random tuples of its own.

/// The shape of a generated instance.
#[derive(Clone, Debug)]
pub struct Spec {
    pub seed: u64,
    pub variables: usize,
    /// Domain sizes are drawn from this range (inclusive).
    pub domain: (usize, usize),
    pub tables: usize,
    /// Table arities are drawn from this range (inclusive).
    pub arity: (usize, usize),
    /// A table's variables lie within this many consecutive variables.
    pub window: usize,
    /// Complete assignments every table allows.
    pub planted: usize,
    /// Random tuples each table allows besides the planted ones.
    pub extra_tuples: usize,
    /// One more table over three variables of the largest domains with this many tuples
    /// (0: none).
    pub big_table: usize,
}

impl Spec {
    /// The large instance of the benchmarks: 260 variables of 2 to 1,000 values, 320 tables over
    /// 3 to 6 variables, and one table of 100,000 tuples.
    pub fn large(seed: u64) -> Spec {
        Spec {
            seed,
            variables: 260,
            domain: (2, 1000),
            tables: 320,
            arity: (3, 6),
            window: 8,
            planted: 40,
            extra_tuples: 200,
            big_table: 100_000,
        }
    }
}

/// splitmix64: small, fast and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let z = (self.0 ^ (self.0 >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        let z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }
}

/// One table's variables: its arity's worth of distinct variables within one window.
fn scope(spec: &Spec, rng: &mut Rng) -> Vec<usize> {
    let n = spec.variables;
    let arity = rng.range(spec.arity.0, spec.arity.1).min(n);
    let window = spec.window.max(arity).min(n);
    let start = rng.range(0, n - window);
    let mut scope: Vec<usize> = Vec::with_capacity(arity);
    while scope.len() < arity {
        let v = start + rng.range(0, window - 1);
        if !scope.contains(&v) {
            scope.push(v);
        }
    }
    scope
}

/// The instance of `spec` as XCSP 2.1 text (values are `0..size`).
pub fn xcsp(spec: &Spec) -> String {
    use std::fmt::Write;
    let mut rng = Rng(spec.seed);
    let n = spec.variables;
    let mut sizes: Vec<usize> = (0..n)
        .map(|_| rng.range(spec.domain.0, spec.domain.1))
        .collect();
    // The largest size occurs at least once.
    sizes[n / 2] = spec.domain.1;
    let planted: Vec<Vec<usize>> = (0..spec.planted)
        .map(|_| sizes.iter().map(|&s| rng.range(0, s - 1)).collect())
        .collect();
    let mut scopes: Vec<Vec<usize>> = (0..spec.tables).map(|_| scope(spec, &mut rng)).collect();
    let mut extra = vec![spec.extra_tuples; scopes.len()];
    if spec.big_table > 0 && n >= 3 {
        let mut by_size: Vec<usize> = (0..n).collect();
        by_size.sort_by_key(|&v| std::cmp::Reverse(sizes[v]));
        scopes.push(by_size[..3].to_vec());
        extra.push(spec.big_table);
    }
    let mut out = String::new();
    let _ = write!(
        out,
        "<instance><presentation name=\"generated-{}\" format=\"XCSP 2.1\"/>\n<domains nbDomains=\"{n}\">",
        spec.seed
    );
    for (i, s) in sizes.iter().enumerate() {
        let _ = write!(
            out,
            "<domain name=\"D{i}\" nbValues=\"{s}\">0..{}</domain>",
            s - 1
        );
    }
    let _ = write!(out, "</domains>\n<variables nbVariables=\"{n}\">");
    for i in 0..n {
        let _ = write!(out, "<variable name=\"V{i}\" domain=\"D{i}\"/>");
    }
    let _ = write!(
        out,
        "</variables>\n<relations nbRelations=\"{}\">",
        scopes.len()
    );
    for (r, (scope, &extra)) in scopes.iter().zip(&extra).enumerate() {
        let mut tuples: Vec<Vec<usize>> = planted
            .iter()
            .map(|p| scope.iter().map(|&v| p[v]).collect())
            .collect();
        tuples.extend(
            (0..extra).map(|_| scope.iter().map(|&v| rng.range(0, sizes[v] - 1)).collect()),
        );
        tuples.sort_unstable();
        tuples.dedup();
        let _ = write!(
            out,
            "<relation name=\"R{r}\" arity=\"{}\" nbTuples=\"{}\" semantics=\"supports\">",
            scope.len(),
            tuples.len()
        );
        for (i, t) in tuples.iter().enumerate() {
            if i > 0 {
                out.push('|');
            }
            for (j, v) in t.iter().enumerate() {
                if j > 0 {
                    out.push(' ');
                }
                let _ = write!(out, "{v}");
            }
        }
        out.push_str("</relation>");
    }
    let _ = write!(
        out,
        "</relations>\n<constraints nbConstraints=\"{}\">",
        scopes.len()
    );
    for (r, scope) in scopes.iter().enumerate() {
        let names: Vec<String> = scope.iter().map(|v| format!("V{v}")).collect();
        let _ = write!(
            out,
            "<constraint name=\"C{r}\" arity=\"{}\" scope=\"{}\" reference=\"R{r}\"/>",
            scope.len(),
            names.join(" ")
        );
    }
    out.push_str("</constraints></instance>\n");
    out
}
