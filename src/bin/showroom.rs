//! The showroom build (`showroom.html`): see `smart1_app::ShowroomApp`.
fn main() {
    smart1_app::start(smart1_app::ShowroomApp);
}
