//! TEMPORARY: compares core::yaml with yaml_serde on a corpus (removed with the dependency).
use std::hash::{Hash, Hasher};
use sts_playground::core::yaml;

struct Rec(Vec<u8>);
impl Hasher for Rec {
    fn write(&mut self, b: &[u8]) { self.0.extend_from_slice(b) }
    fn write_usize(&mut self, v: usize) { self.write(&(v as u64).to_le_bytes()) }
    fn finish(&self) -> u64 { 0 }
}

fn conv(v: &serde_yaml::Value) -> yaml::Value {
    use serde_yaml::Value as S;
    match v {
        S::Null => yaml::Value::Null,
        S::Bool(b) => yaml::Value::Bool(*b),
        S::Number(n) => yaml::Value::Number(if let Some(u) = n.as_u64() { yaml::Number::PosInt(u) } else if let Some(i) = n.as_i64() { yaml::Number::NegInt(i) } else { yaml::Number::Float(n.to_string()) }),
        S::String(s) => yaml::Value::String(s.clone()),
        S::Sequence(s) => yaml::Value::Sequence(s.iter().map(conv).collect()),
        S::Mapping(m) => { let mut o = yaml::Mapping::new(); for (k, v) in m { o.insert(conv(k), conv(v)); } yaml::Value::Mapping(o) }
        S::Tagged(t) => conv(&t.value),
    }
}

fn has_tagged(v: &serde_yaml::Value) -> bool {
    use serde_yaml::Value as S;
    match v { S::Tagged(_) => true, S::Sequence(s) => s.iter().any(has_tagged), S::Mapping(m) => m.iter().any(|(k, v)| has_tagged(k) || has_tagged(v)), _ => false }
}

fn corpus() -> Vec<String> {
    let mut out = Vec::new();
    for dir in ["/tmp/corpus"] {
        for e in std::fs::read_dir(dir).unwrap() {
            let t = std::fs::read_to_string(e.unwrap().path()).unwrap();
            out.extend(t.split("\n=====\n").map(String::from));
        }
    }
    let mut files = vec![];
    for dir in ["tests/golden", "lessons"] {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "yaml" || x == "txt") { files.push(std::fs::read_to_string(p).unwrap()); }
        }
    }
    files.push(sts_playground::core::samples::DEFAULT_MANIFEST.to_string());
    for f in files {
        out.push(f.clone());
        out.extend(f.split("\n---\n").map(String::from));
    }
    out
}

fn compare(text: &str, report: &mut Vec<String>, strict: bool) {
    let theirs = serde_yaml::from_str::<serde_yaml::Value>(text);
    let ours = yaml::from_str(text);
    match (&theirs, &ours) {
        (Ok(t), Ok(o)) => {
            let c = conv(t);
            if &c != o { report.push(format!("VALUE DIFF {text:?}\n  serde {c:?}\n  ours  {o:?}")); return; }
            if !has_tagged(t) {
                let (mut a, mut b) = (Rec(vec![]), Rec(vec![]));
                t.hash(&mut a); o.hash(&mut b);
                if a.0 != b.0 { report.push(format!("HASH DIFF {text:?}")); }
            }
        }
        (Err(t), Err(o)) => {
            let tl = t.location().map(|l| (l.line(), l.column()));
            let tm = t.to_string(); let tm = tm.split(" at line ").next().unwrap().to_string();
            if (strict && (tl != Some((o.line(), o.column())) || tm != o.message())) || (!strict && tl.is_some_and(|l| l.0 != o.line()) && !tm.contains("duplicate")) {
                report.push(format!("ERR DIFF {text:?}\n  serde {tl:?} {tm}\n  ours  {:?} {}", (o.line(), o.column()), o.message()));
            }
        }
        _ => report.push(format!("OK/ERR DIFF {text:?}\n  serde {:?}\n  ours  {:?}", theirs.map(|v| conv(&v)).map_err(|e| e.to_string()), ours.map_err(|e| e.to_string()))),
    }
}

#[test]
fn same_as_serde_yaml_on_the_corpus() {
    let mut report = vec![];
    for text in corpus() { compare(&text, &mut report, true); }
    for r in &report { println!("{r}\n"); }
    println!("{} differences", report.len());
}

#[test]
fn same_as_serde_yaml_on_mutations() {
    let base = corpus();
    let mut rng = oorandom::Rand64::new(7);
    let mut report = vec![]; let mut done = std::collections::HashSet::new();
    let pieces = [" ", "\n", ":", "- ", "  ", "#", "'", "\"", "[", "]", "{", "}", ",", "&a ", "*a", "|", ">", "\t", "?", "!!str ", "\n  ", "0x1", "-", "...", "---"];
    for _ in 0..200_000 {
        let src = loop { let s = &base[rng.rand_range(0..base.len() as u64) as usize]; if s.len() > 40 || rng.rand_range(0..10) == 0 { break s } };
        let mut chars: Vec<char> = src.chars().collect();
        for _ in 0..1 + rng.rand_range(0..3) {
            let at = rng.rand_range(0..chars.len() as u64 + 1) as usize;
            match rng.rand_range(0..3) {
                0 if at < chars.len() => { chars.remove(at); }
                1 => { let p = pieces[rng.rand_range(0..pieces.len() as u64) as usize]; for (k, c) in p.chars().enumerate() { chars.insert(at + k, c); } }
                _ if at < chars.len() => { let p = pieces[rng.rand_range(0..pieces.len() as u64) as usize]; chars[at] = p.chars().next().unwrap(); }
                _ => {}
            }
        }
        let text: String = chars.into_iter().collect();
        if !done.insert(text.clone()) { continue } compare(&text, &mut report, false);
    }
    report.sort(); report.dedup(); let n = report.len();
    report.sort_by_key(|r| r.len()); let skip = std::env::var("SKIP").unwrap_or_default(); report.retain(|r| { let head = r.lines().next().unwrap(); !skip.split(',').any(|c| !c.is_empty() && head.contains(c)) && (std::env::var("ERRS").is_ok() == r.starts_with("ERR")) });
    for r in report.iter().filter(|r| !r.contains("\"...\"")).take(std::env::var("TAKE").ok().and_then(|t| t.parse().ok()).unwrap_or(80)) { println!("{r}\n"); }
    println!("{n} differences");
}
