fn main() {
    // wasm-bindgen calls `main` in the task that instantiates the module; starting the app one
    // task later splits that long task in two (Lighthouse's total blocking time counts each
    // task's time beyond 50 ms, so two halves block less than the whole).
    leptos::prelude::set_timeout(seller_support::start, std::time::Duration::ZERO);
}
