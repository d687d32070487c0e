// `sqlx::migrate!` reads the migrations at compile time: a new or changed migration must rebuild
// the server (sqlx's documented build script).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
