//! Where the shared benchmark data lives, for the tests, benchmarks and the command-line tool.
//! It stays outside the repository (../shared); `RENAULT_DIR` points elsewhere.

use std::path::PathBuf;

/// The Renault benchmark folder; panics with a loud message when it is missing, because the
/// tests that need it must run, not skip.
pub fn renault_dir() -> PathBuf {
    let dir = std::env::var_os("RENAULT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/benchmarks/renault")
        });
    assert!(
        dir.join("medium_domainsorted.xml").is_file(),
        "\n\n*** The Renault benchmark data is missing: no medium_domainsorted.xml in {}.\n*** It lives in ../shared/benchmarks/renault beside the repository; set RENAULT_DIR to another copy.\n",
        dir.display()
    );
    dir
}

pub fn read(name: &str) -> String {
    let path = renault_dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}
