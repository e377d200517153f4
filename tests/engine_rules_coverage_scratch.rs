use sts_playground::cli::Terminal;
use sts_playground::session::samples::DEFAULT_MANIFEST;
mod common;

#[test]
fn explore() {
    let mut cluster = common::started(DEFAULT_MANIFEST, 1, 3);
    let mut t = Terminal::new();
    let script = std::fs::read_to_string("/tmp/scratch/script.txt").unwrap();
    for line in script.lines() {
        if let Some(rest) = line.strip_prefix("#apply ") {
            let text = std::fs::read_to_string(rest).unwrap();
            println!("## apply {:?}", cluster.apply_text(&text).map(|l| l.iter().map(|x| x.to_string()).collect::<Vec<_>>()));
            continue;
        }
        if let Some(rest) = line.strip_prefix("#advance ") {
            cluster.advance(rest.parse::<u64>().unwrap() * 1000);
            continue;
        }
        println!("$ {line}");
        print!("{}", t.run(&mut cluster, line).text());
    }
}
