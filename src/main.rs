//! The shop build (`index.html`): every customer page.
fn main() {
    smart1_app::start(smart1_app::App);
}
