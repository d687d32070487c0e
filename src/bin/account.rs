//! The account build (`account.html`): see `smart1_app::AccountApp`.
fn main() {
    smart1_app::start(smart1_app::AccountApp);
}
