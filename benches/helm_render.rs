//! Benchmark (issue 16): `helm template` of the starter chart (`helm create`'s
//! ten files) as the editor would run it on each keystroke, each time with one
//! template changed. Prints wall-clock figures per render; the bar is one frame
//! (16 ms) in the page, whose wasm is some 2-3 times slower than this native run.
//!
//! Run: `cargo bench --bench helm_render`.

use std::time::Instant;

use sts_playground::cli::Terminal;

fn main() {
    let mut cluster = sts_playground::cli::new_cluster(1);
    let mut terminal = Terminal::new();
    terminal.run(&mut cluster, "helm create web");
    let files = terminal.host_file_names().len();
    let template = terminal.host_file("web/templates/deployment.yaml").expect("the starter's Deployment");
    let renders = 300;
    let mut times = Vec::with_capacity(renders);
    let mut bytes = 0;
    for keystroke in 0..renders {
        // A keystroke in a template: the chart renders again from its files.
        let typed = format!("{template}# {keystroke}\n");
        terminal.put_host_file("web/templates/deployment.yaml", typed);
        let started = Instant::now();
        let output = terminal.run(&mut cluster, "helm template web ./web");
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        bytes = output.stdout().len();
    }
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    println!(
        "helm template of a {files}-file chart ({bytes} bytes rendered), {renders} renders: p50 {:.3} ms, p95 {:.3} ms, max {:.3} ms",
        at(0.5),
        at(0.95),
        at(1.0)
    );
}
