//! The locations build (`locations.html`): see `smart1_app::LocationsApp`.
fn main() {
    smart1_app::start(smart1_app::LocationsApp);
}
