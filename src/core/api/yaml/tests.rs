//! The parser's tests: manifests, scalars, flow and block styles, anchors, limits, errors.
use super::*;

const STATEFULSET: &str = r#"apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
  labels: {app: visits}
spec:
  serviceName: visits
  replicas: 3
  selector:
    matchLabels:
      app: visits
  template:
    metadata:
      labels:
        app: visits
    spec:
      containers:
      - name: visits
        image: ghcr.io/example/visits:1.0
        args: ["--port", "8080"]
        ports:
        - {name: http, containerPort: 8080}
        resources:
          requests: {cpu: 0.5, memory: 64Mi}
        env:
        - name: GREETING
          value: 'hello, "world"'
        - name: SCRIPT
          value: |
            echo one
            echo two
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
"#;

fn parse(text: &str) -> Value {
    from_str(text).unwrap_or_else(|e| panic!("{text:?}: {e}"))
}

fn at<'v>(value: &'v Value, path: &[&str]) -> &'v Value {
    path.iter().fold(value, |v, step| match step.parse::<usize>() {
        Ok(index) => v.get(index).unwrap(),
        Err(_) => v.get(*step).unwrap(),
    })
}

fn error(text: &str) -> (usize, usize, String) {
    let e = from_str(text).unwrap_err();
    (e.line(), e.column(), e.message())
}

/// FNV-32 as the StatefulSet controller hashes templates.
struct Fnv32(u32);
impl Hasher for Fnv32 {
    fn write(&mut self, bytes: &[u8]) {
        bytes.iter().for_each(|b| self.0 = self.0.wrapping_mul(0x0100_0193) ^ u32::from(*b));
    }
    fn write_usize(&mut self, n: usize) {
        self.write(&(n as u64).to_le_bytes())
    }
    fn finish(&self) -> u64 {
        u64::from(self.0)
    }
}

#[test]
fn a_statefulset_manifest_reads_into_nested_values() {
    let v = parse(STATEFULSET);
    assert_eq!(at(&v, &["spec", "replicas"]).as_i64(), Some(3));
    let container = at(&v, &["spec", "template", "spec", "containers", "0"]);
    assert_eq!(container.get("image").and_then(Value::as_str), Some("ghcr.io/example/visits:1.0"));
    assert_eq!(at(container, &["args", "1"]).as_str(), Some("8080"), "quoted digits stay a string");
    assert_eq!(at(container, &["ports", "0", "containerPort"]).as_u64(), Some(8080));
    assert_eq!(at(container, &["resources", "requests", "cpu"]).to_string_lossy(), "0.5");
    assert_eq!(at(container, &["env", "0", "value"]).as_str(), Some("hello, \"world\""));
    assert_eq!(at(container, &["env", "1", "value"]).as_str(), Some("echo one\necho two\n"));
    assert_eq!(
        at(&v, &["spec", "volumeClaimTemplates", "0", "spec", "accessModes", "0"]).as_str(),
        Some("ReadWriteOnce")
    );
    let keys: Vec<_> = v.as_mapping().unwrap().keys().filter_map(Value::as_str).collect();
    assert_eq!(keys, ["apiVersion", "kind", "metadata", "spec"], "insertion order");
}

impl Value {
    fn to_string_lossy(&self) -> String {
        match self {
            Value::Number(n) => n.to_string(),
            other => format!("{other:?}"),
        }
    }
}

#[test]
fn hashes_are_the_bytes_yaml_serde_hashed() {
    // Recorded with yaml_serde 0.10.7 before it was removed: revision names depend on them.
    for (text, expected) in [
        ("a: 1", 0x9118_7cbe),
        ("name: web\nlabels: {app: visits, tier: db}\nports: [80, -1, 1.5, true, null, \"x\"]", 0xab47_7ebe),
        ("- {b: 2, a: 1}\n- [x, [y]]\n- ~\n- -9223372036854775808\n- 18446744073709551615", 0x8eef_5b35),
        (STATEFULSET, 0x2a99_9957),
    ] {
        let mut hasher = Fnv32(0x811c_9dc5);
        parse(text).hash(&mut hasher);
        assert_eq!(hasher.0, expected, "{text}");
    }
    assert_eq!(parse("{a: 1, b: 2}"), parse("{b: 2, a: 1}"), "mappings compare regardless of order");
}

#[test]
fn block_scalars_keep_or_fold_lines_and_chomp_as_told() {
    let v = parse("lit: |\n  a\n    b\n\n  c\nfold: >\n  one\n  two\n\n  three\n    indented\nstrip: |-\n  x\n\nkeep: |+\n  x\n\nind: |2\n   lead\n  x\nend: 1\n");
    assert_eq!(v.get("lit").and_then(Value::as_str), Some("a\n  b\n\nc\n"));
    assert_eq!(v.get("fold").and_then(Value::as_str), Some("one two\nthree\n  indented\n"));
    assert_eq!(v.get("strip").and_then(Value::as_str), Some("x"));
    assert_eq!(v.get("keep").and_then(Value::as_str), Some("x\n\n"));
    assert_eq!(v.get("ind").and_then(Value::as_str), Some(" lead\nx\n"));
    assert_eq!(parse("- |\n  in a list\n- >-\n  folded\n  line").get(1).and_then(Value::as_str), Some("folded line"));
}

#[test]
fn flow_collections_and_json_read_like_block_ones() {
    assert_eq!(parse("{a: 1, b: [x, y]}"), parse("a: 1\nb:\n- x\n- y"));
    assert_eq!(parse("{\"spec\":{\"replicas\":2,\"x\":[]}}"), parse("spec:\n  replicas: 2\n  x: []"));
    assert_eq!(parse("[a, {b: c}, [d], ]"), parse("- a\n- b: c\n- [d]"));
    assert_eq!(parse("a: [b,\n  c]  # comment\n"), parse("a: [b, c]"));
    assert_eq!(parse("{a, b: }"), parse("{a: null, b: ~}"));
    assert_eq!(parse("[a: 1]"), parse("- {a: 1}"));
    assert_eq!(parse("key: http://host:8080/x, y"), parse("key: 'http://host:8080/x, y'"));
}

#[test]
fn quoted_and_multi_line_scalars() {
    assert_eq!(
        parse(r#"a: "tab\tnl\nq\"bs\\u\u00e9x\x41e\U0001F600""#).get("a").and_then(Value::as_str),
        Some("tab\tnl\nq\"bs\\uéxAe😀")
    );
    assert_eq!(parse("a: 'it''s'").get("a").and_then(Value::as_str), Some("it's"));
    assert_eq!(parse("a: \"one\n  two\n\n  three\"").get("a").and_then(Value::as_str), Some("one two\nthree"));
    assert_eq!(parse("a: \"join\\\n  ed\"").get("a").and_then(Value::as_str), Some("joined"));
    assert_eq!(parse("a: plain\n  over\n  lines\nb: 1").get("a").and_then(Value::as_str), Some("plain over lines"));
    assert_eq!(parse("a: x#y # comment").get("a").and_then(Value::as_str), Some("x#y"));
}

#[test]
fn scalars_resolve_as_serde_yaml_did() {
    let v = parse("[~, null, '', true, False, yes, on, 12, -3, +4, 0x1F, 0o17, 0b11, 012, 1_000, 1.5, 1e3, .5, -.inf, .nan, 2e400, !!str 5, !!int '7', !foo bar]");
    let shown: Vec<String> = v.as_sequence().unwrap().iter().map(Value::to_string_lossy).collect();
    assert_eq!(
        shown,
        [
            "Null",
            "Null",
            "String(\"\")",
            "Bool(true)",
            "Bool(false)",
            "String(\"yes\")",
            "String(\"on\")",
            "12",
            "-3",
            "4",
            "31",
            "15",
            "3",
            "String(\"012\")",
            "String(\"1_000\")",
            "1.5",
            "1000.0",
            "0.5",
            "-.inf",
            ".nan",
            "String(\"2e400\")",
            "String(\"5\")",
            "7",
            "String(\"bar\")",
        ]
    );
    assert!(parse("1.0").as_i64().is_none() && matches!(parse("1.0"), Value::Number(ref n) if n.is_f64()));
    assert_eq!(parse("18446744073709551615").as_u64(), Some(u64::MAX));
    assert_eq!(parse("-9223372036854775808").as_i64(), Some(i64::MIN));
    assert_eq!(
        error("spec:\n  replicas: 99999999999999999999"),
        (2, 13, "spec.replicas: invalid type: integer `99999999999999999999` as u128, expected any YAML value".into())
    );
    assert_eq!(error("a:\n- !!bool yes").2, "a[0]: invalid value: string \"yes\", expected a boolean");
}

#[test]
fn anchors_aliases_and_their_limits() {
    let v = parse("base: &b {image: x, ports: [80]}\nweb: *b\nlist: [&n 1, *n]\n");
    assert_eq!(v.get("web"), v.get("base"));
    assert_eq!(v.get("list"), Some(&parse("[1, 1]")));
    assert_eq!(error("a: *nope"), (1, 4, "unknown anchor".into()));
    let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n";
    assert_eq!(error(bomb).2, "repetition limit exceeded");
    let deep = format!("a: {}{}", "[".repeat(200), "]".repeat(200));
    assert_eq!(error(&deep).2, "recursion limit exceeded");
    let nested = format!("a: &a {}{}\nb: {}*a{}", "[".repeat(100), "]".repeat(100), "[".repeat(100), "]".repeat(100));
    assert_eq!(error(&nested).2, "recursion limit exceeded", "an alias's depth counts where it is used");
}

#[test]
fn documents_markers_directives_and_comments() {
    assert_eq!(parse("%YAML 1.2\n---\n# c\na: 1 # c\n...\n"), parse("a: 1"));
    assert_eq!(parse("--- |\n  text\n").as_str(), Some("text\n"));
    assert_eq!(parse("# only a comment\n"), Value::Null);
    assert_eq!(parse("a:\r\n  - b\r\n"), parse("a: [b]"));
    assert_eq!(
        error("a: 1\n---\nb: 2").2,
        "deserializing from YAML containing more than one document is not supported"
    );
}

#[test]
fn errors_say_what_and_where() {
    for (text, expected) in [
        ("kind: Service\nspec:\n  replicas: 3\n bad: indent\n", (4, 2, "did not find expected key")),
        ("a: b: c", (1, 5, "mapping values are not allowed in this context")),
        ("a: b\n  c: d", (2, 4, "mapping values are not allowed in this context")),
        ("a: 1\nfoo\nb: 2", (2, 1, "could not find expected ':'")),
        ("- 'a'\n  - b", (2, 3, "did not find expected '-' indicator")),
        ("a: - b", (1, 4, "block sequence entries are not allowed in this context")),
        ("a: \"open", (1, 9, "found unexpected end of stream")),
        ("a: [1, 2\nb: 3", (2, 2, "did not find expected ',' or ']'")),
        ("a: {b: \"1\" c}", (1, 12, "did not find expected ',' or '}'")),
        ("a: @x", (1, 4, "found character that cannot start any token")),
        ("\tkey: v", (1, 1, "found character that cannot start any token")),
        ("a: \"\\q\"", (1, 5, "found unknown escape character")),
        ("a: 1\nb: 2\na: 3", (3, 1, "duplicate entry with key \"a\"")),
        ("m:\n  {x: 1, x: 2}", (2, 10, "m: duplicate entry with key \"x\"")),
        ("a: |\n  x\n\ty", (3, 1, "found a tab character where an indentation space is expected")),
        ("a: \u{1}", (1, 4, "control characters are not allowed")),
    ] {
        let (line, column, message) = error(text);
        assert_eq!((line, column, message.as_str()), expected, "{text:?}");
    }
    let e = from_str("a:\n  b: [x,\n").unwrap_err();
    assert_eq!(e.to_string(), format!("did not find expected ',' or ']' at line {} column {}", e.line(), e.column()));
}

#[test]
fn never_panics_on_junk() {
    let alphabet: Vec<char> = " \n\t-:?,[]{}#&*!|>'\"%@`\\abc019.~\u{e9}".chars().collect();
    let mut rng = oorandom::Rand64::new(42);
    for _ in 0..20_000 {
        let len = rng.rand_range(0..40) as usize;
        let text: String = (0..len).map(|_| alphabet[rng.rand_range(0..alphabet.len() as u64) as usize]).collect();
        if let Err(e) = from_str(&text) {
            assert!(e.line() >= 1 && e.column() >= 1 && !e.message().is_empty(), "{text:?}");
        }
    }
}

#[test]
fn a_large_document_parses() {
    let text: String =
        (0..20_000).map(|i| format!("key{i}:\n  - {{name: n{i}, value: \"v\"}}\n  - |\n    text\n")).collect();
    let v = parse(&text);
    assert_eq!(v.as_mapping().map(Mapping::len), Some(20_000));
}

#[test]
fn deep_nesting_stays_within_a_small_stack() {
    // The browser's wasm stack is 1 MiB; leave room for the callers. Optimised
    // code (the wasm build, `cargo test --release`) must fit in 256 KiB; unoptimised
    // frames are several times larger, so a debug run gets 2 MiB.
    let stack = if cfg!(debug_assertions) { 2048 } else { 256 } * 1024;
    let deep_block: String = (0..120).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
    let deep_flow = format!("{}{}", "[".repeat(120), "]".repeat(120));
    let deep_seq = format!("{}x", "- ".repeat(120));
    let run = std::thread::Builder::new()
        .stack_size(stack)
        .spawn(move || [deep_block, deep_flow, deep_seq].iter().all(|t| from_str(t).is_ok()));
    assert!(run.unwrap().join().unwrap());
}
