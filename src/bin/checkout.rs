//! The checkout build (`checkout.html`): see `smart1_app::CheckoutApp`.
fn main() {
    smart1_app::start(smart1_app::CheckoutApp);
}
