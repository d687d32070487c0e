//! The staff desk build (`agent.html`).
fn main() {
    smart1_app::start(smart1_app::AgentApp);
}
