fn main() {
    let text = std::fs::read_to_string(std::env::args().nth(1).unwrap()).unwrap();
    let engine = huiqi_engine::Engine::builtin();
    let opts = huiqi_engine::Options::at("2026-11-22".parse().unwrap());
    match engine.evaluate_json(&text, &opts) {
        Ok(r) => println!("{}", serde_json::to_string_pretty(&r).unwrap()),
        Err(e) => eprintln!("{e}"),
    }
}
