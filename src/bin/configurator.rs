//! The configurator build (`configurator.html`): start page and configurator, the first load.
fn main() {
    smart1_app::start(smart1_app::ConfiguratorApp);
}
