//! The template engine against what Go's text/template and Helm print, case by
//! case: each row is a template, the values it sees, and Helm's output or error.

use super::*;
use crate::core::api::yaml;

/// The data a chart's template sees: `.Values` from `values`, a release `web`
/// in `default`, the chart `mychart` 0.1.0.
fn data(values: &str) -> Value {
    let values = if values.trim().is_empty() { "{}" } else { values };
    let text = format!(
        "Values: {}\nRelease: {{Name: web, Namespace: default, Revision: 1, IsInstall: true, IsUpgrade: false, Service: Helm}}\nChart: {{Name: mychart, Version: 0.1.0, AppVersion: 1.16.0}}\nCapabilities: {{KubeVersion: {{Version: v1.32.0, GitVersion: v1.32.0, Major: \"1\", Minor: \"32\"}}}}\nTemplate: {{Name: mychart/templates/t.yaml, BasePath: mychart/templates}}\n",
        flow(values)
    );
    yaml::from_str(&text).expect("test data parses")
}

/// A YAML document as one flow value, so it fits after `Values: `.
fn flow(values: &str) -> String {
    let value = yaml::from_str(values).expect("values parse");
    crate::cli::render::to_json_compact(&value)
}

fn render(template: &str, values: &str) -> String {
    Templates::render_text("mychart/templates/t.yaml", template, &data(values)).unwrap_or_else(|e| format!("ERROR {e}"))
}

/// `(template, values, Helm's output)`: the output of a render, or `ERROR ` and Go's message.
fn check(cases: &[(&str, &str, &str)]) {
    let mut failures = Vec::new();
    for (template, values, expected) in cases {
        let got = render(template, values);
        if got != *expected {
            failures.push(format!("{template:?}\n   got: {got:?}\n  want: {expected:?}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn text_actions_and_trimming() {
    check(&[
        ("plain text", "", "plain text"),
        ("{{ .Values.name }}", "name: web", "web"),
        ("a {{- \" b \" -}} c", "", "a b c"),
        ("a  \n {{- .Values.x }}", "x: 1", "a1"),
        ("{{ .Values.x -}} \n  b", "x: 1", "1b"),
        ("{{/* a comment */}}x", "", "x"),
        ("a {{- /* trimmed */ -}} b", "", "ab"),
        ("{{ .Values.missing }}", "", "<no value>"),
        ("{{ 42 }} {{ -7 }} {{ 0x1F }} {{ 1.5 }}", "", "42 -7 31 1.5"),
        ("{{ true }} {{ false }}", "", "true false"),
        ("{{ `raw \\n` }}", "", "raw \\n"),
        ("{{ \"esc\\tape\" }}", "", "esc\tape"),
        ("{{ 'a' }}", "", "97"),
        ("{{ .Values.list }}", "list: [a, b]", "[a b]"),
        ("{{ .Values.map }}", "map: {b: 2, a: 1}", "map[a:1 b:2]"),
        ("{{ .Release.Name }}-{{ .Chart.Name }}", "", "web-mychart"),
        ("{{ .Capabilities.KubeVersion.Version }}", "", "v1.32.0"),
        ("{{ .Template.Name }}", "", "mychart/templates/t.yaml"),
        ("{{\n  .Values.x\n}}", "x: nl", "nl"),
        ("{{ . | len }}", "", "5"),
    ]);
}

#[test]
fn conditionals_scoping_and_loops() {
    check(&[
        ("{{ if .Values.on }}yes{{ end }}", "on: true", "yes"),
        ("{{ if .Values.on }}yes{{ else }}no{{ end }}", "on: false", "no"),
        ("{{ if .Values.a }}a{{ else if .Values.b }}b{{ else }}c{{ end }}", "b: 1", "b"),
        ("{{ if .Values.a }}a{{ else if .Values.b }}b{{ else }}c{{ end }}", "", "c"),
        ("{{ if 0 }}t{{ else }}f{{ end }}", "", "f"),
        ("{{ if \"\" }}t{{ else }}f{{ end }}", "", "f"),
        ("{{ if .Values.l }}t{{ else }}f{{ end }}", "l: []", "f"),
        ("{{ if .Values.m }}t{{ else }}f{{ end }}", "m: {}", "f"),
        (
            "{{ with .Values.image }}{{ .repository }}:{{ .tag }}{{ end }}",
            "image: {repository: nginx, tag: \"1.27\"}",
            "nginx:1.27",
        ),
        ("{{ with .Values.none }}x{{ else }}empty{{ end }}", "", "empty"),
        ("{{ with .Values.a }}a{{ else with .Values.b }}{{ . }}{{ end }}", "b: bee", "bee"),
        ("{{ range .Values.l }}[{{ . }}]{{ end }}", "l: [1, 2, 3]", "[1][2][3]"),
        ("{{ range $i, $v := .Values.l }}{{ $i }}={{ $v }} {{ end }}", "l: [a, b]", "0=a 1=b "),
        (
            "{{ range $k, $v := .Values.m }}{{ $k }}={{ $v }};{{ end }}",
            "m: {zeta: 1, alpha: 2, mid: 3}",
            "alpha=2;mid=3;zeta=1;",
        ),
        ("{{ range .Values.l }}x{{ else }}none{{ end }}", "l: []", "none"),
        ("{{ range .Values.missing }}x{{ else }}none{{ end }}", "", "none"),
        ("{{ range .Values.l }}x{{ else }}none{{ end }}", "l: [1]", "x"),
        ("{{ range 3 }}{{ . }}{{ end }}", "", "012"),
        ("{{ range .Values.l }}{{ if eq . 2 }}{{ break }}{{ end }}{{ . }}{{ end }}", "l: [1, 2, 3]", "1"),
        ("{{ range .Values.l }}{{ if eq . 2 }}{{ continue }}{{ end }}{{ . }}{{ end }}", "l: [1, 2, 3]", "13"),
        (
            "{{ range .Values.hosts }}{{ $.Release.Name }}.{{ .host }} {{ end }}",
            "hosts: [{host: a}, {host: b}]",
            "web.a web.b ",
        ),
        ("{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ end }}{{ $x }}", "", "1"),
        ("{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}", "", "2"),
        ("{{ $name := .Values.n }}{{ $name }}", "n: web", "web"),
        ("{{- $full := printf \"%s-%s\" .Release.Name .Chart.Name }}{{ $full }}", "", "web-mychart"),
        (
            "{{ range $h := .Values.hosts }}{{ range .paths }}{{ $h.host }}{{ .path }} {{ end }}{{ end }}",
            "hosts: [{host: h, paths: [{path: /a}, {path: /b}]}]",
            "h/a h/b ",
        ),
    ]);
}

#[test]
fn define_template_block_include_and_tpl() {
    check(&[
        ("{{ define \"x\" }}X{{ . }}{{ end }}{{ template \"x\" 1 }}", "", "X1"),
        ("{{ define \"x\" }}[{{ . }}]{{ end }}{{ template \"x\" }}", "", "[<no value>]"),
        ("{{ block \"b\" .Values.v }}({{ . }}){{ end }}", "v: 9", "(9)"),
        ("{{ define \"n\" }}{{ .Chart.Name }}{{ end }}{{ include \"n\" . | upper }}", "", "MYCHART"),
        ("{{ define \"l\" }}a: 1\nb: 2{{ end }}x:\n{{- include \"l\" . | nindent 2 }}", "", "x:\n  a: 1\n  b: 2"),
        ("{{ tpl .Values.t . }}", "t: \"{{ .Release.Name }}-x\"", "web-x"),
        ("{{ tpl \"{{ .a }}\" .Values }}", "a: inner", "inner"),
        ("{{ define \"d\" }}{{ $ }}{{ end }}{{ include \"d\" \"root\" }}", "", "root"),
    ]);
}

#[test]
fn string_functions() {
    check(&[
        ("{{ quote .Values.s }}", "s: a\"b", "\"a\\\"b\""),
        ("{{ .Values.n | quote }}", "n: 5", "\"5\""),
        ("{{ quote .Values.missing }}", "", ""),
        ("{{ squote \"x\" }}", "", "'x'"),
        ("{{ \"  x  \" | trim }}", "", "x"),
        ("{{ trunc 3 \"abcdef\" }}", "", "abc"),
        ("{{ trunc -2 \"abcdef\" }}", "", "ef"),
        ("{{ trunc 63 \"short\" }}", "", "short"),
        ("{{ \"web-\" | trimSuffix \"-\" }}", "", "web"),
        ("{{ trimPrefix \"v\" \"v1.2\" }}", "", "1.2"),
        ("{{ replace \"+\" \"_\" \"0.1.0+build\" }}", "", "0.1.0_build"),
        ("{{ upper \"ab\" }} {{ lower \"AB\" }} {{ title \"hello world\" }}", "", "AB ab Hello World"),
        ("{{ contains \"Node\" \"NodePort\" }} {{ hasPrefix \"No\" \"NodePort\" }} {{ hasSuffix \"t\" \"NodePort\" }}", "", "true true true"),
        ("{{ indent 4 \"a\\nb\" }}", "", "    a\n    b"),
        ("{{ nindent 2 \"a\" }}", "", "\n  a"),
        ("{{ printf \"%s:%d %v %q %t %%\" \"a\" 3 .Values.l \"q\" true }}", "l: [1]", "a:3 [1] \"q\" true %"),
        ("{{ printf \"%05d|%-4s|%4s\" 42 \"ab\" \"cd\" }}", "", "00042|ab  |  cd"),
        ("{{ printf \"%d\" \"x\" }}", "", "%!d(string=x)"),
        ("{{ printf \"%s %s\" \"a\" }}", "", "a %!s(MISSING)"),
        ("{{ printf \"%s\" \"a\" \"b\" }}", "", "a%!(EXTRA string=b)"),
        ("{{ print \"a\" 1 2 \"b\" }}", "", "a1 2b"),
        ("{{ \"a\" | b64enc }} {{ \"YQ==\" | b64dec }}", "", "YQ== a"),
        ("{{ sha256sum \"hello\" }}", "", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"),
        ("{{ toString 5 }}{{ toString true }}", "", "5true"),
        ("{{ repeat 3 \"ab\" }}", "", "ababab"),
        ("{{ substr 1 3 \"hello\" }}", "", "el"),
        ("{{ join \",\" .Values.l }}", "l: [a, b, 3]", "a,b,3"),
        ("{{ splitList \",\" \"a,b\" | len }}", "", "2"),
        ("{{ nospace \"a b c\" }}", "", "abc"),
    ]);
}

#[test]
fn defaults_logic_and_comparisons() {
    check(&[
        ("{{ .Values.tag | default .Chart.AppVersion }}", "", "1.16.0"),
        ("{{ .Values.tag | default .Chart.AppVersion }}", "tag: \"2.0\"", "2.0"),
        ("{{ default \"x\" \"\" }} {{ default \"x\" 0 }} {{ default \"x\" false }}", "", "x x x"),
        ("{{ empty .Values.l }} {{ empty .Values.s }}", "l: []\ns: a", "true false"),
        ("{{ coalesce .Values.a .Values.b \"c\" }}", "b: bee", "bee"),
        ("{{ ternary \"yes\" \"no\" true }}", "", "yes"),
        ("{{ eq .Values.t \"NodePort\" }} {{ ne 1 2 }}", "t: NodePort", "true true"),
        ("{{ eq 1 2 3 1 }}", "", "true"),
        ("{{ lt 1 2 }} {{ le 2 2 }} {{ gt \"b\" \"a\" }} {{ ge 1 2 }}", "", "true true true false"),
        ("{{ and 1 \"\" }}|{{ and 1 2 }}|{{ or 0 \"x\" }}|{{ or 0 \"\" }}", "", "|2|x|"),
        ("{{ and .Values.a .Values.a.b }}", "", "<no value>"),
        ("{{ if and .Values.ingress.enabled (not .Values.x) }}on{{ end }}", "ingress: {enabled: true}", "on"),
        ("{{ not 0 }} {{ not \"a\" }}", "", "true false"),
        ("{{ if (eq .Values.replicas 3) }}three{{ end }}", "replicas: 3", "three"),
        ("{{ kindIs \"map\" .Values.m }} {{ kindIs \"string\" .Values.s }}", "m: {}\ns: x", "true true"),
    ]);
}

#[test]
fn numbers_lists_and_dicts() {
    check(&[
        ("{{ add 1 2 3 }} {{ sub 5 2 }} {{ mul 2 3 }} {{ div 7 2 }} {{ mod 7 2 }}", "", "6 3 6 3 1"),
        ("{{ add1 .Values.r }}", "r: 2", "3"),
        ("{{ \"12\" | int }} {{ int64 3 }}", "", "12 3"),
        ("{{ max 1 5 3 }} {{ min 4 2 }}", "", "5 2"),
        ("{{ len .Values.l }} {{ len \"abc\" }} {{ len .Values.m }}", "l: [1, 2]\nm: {a: 1}", "2 3 1"),
        ("{{ list 1 \"a\" }}", "", "[1 a]"),
        ("{{ first .Values.l }} {{ last .Values.l }}", "l: [a, b, c]", "a c"),
        ("{{ append .Values.l \"d\" }}", "l: [a]", "[a d]"),
        ("{{ has 2 .Values.l }}", "l: [1, 2]", "true"),
        ("{{ uniq .Values.l }} {{ compact .Values.c }}", "l: [a, a, b]\nc: [a, \"\", b]", "[a b] [a b]"),
        ("{{ until 3 }}", "", "[0 1 2]"),
        ("{{ sortAlpha .Values.l }}", "l: [c, a, b]", "[a b c]"),
        ("{{ index .Values.l 1 }} {{ index .Values.m \"k\" }}", "l: [x, y]\nm: {k: v}", "y v"),
        ("{{ $d := dict \"a\" 1 \"b\" 2 }}{{ $d.b }} {{ get $d \"a\" }} {{ hasKey $d \"c\" }}", "", "2 1 false"),
        ("{{ $d := dict \"a\" 1 }}{{ $d = set $d \"c\" 3 }}{{ keys $d }}", "", "[a c]"),
        ("{{ $d := dict \"a\" 1 \"b\" 2 }}{{ unset $d \"a\" | keys }}", "", "[b]"),
        (
            "{{ merge .Values.a .Values.b | toJson }}",
            "a: {x: 1, n: {p: 1}}\nb: {x: 2, y: 3, n: {q: 2}}",
            "{\"n\":{\"p\":1,\"q\":2},\"x\":1,\"y\":3}",
        ),
        ("{{ mergeOverwrite .Values.a .Values.b | toJson }}", "a: {x: 1}\nb: {x: 2}", "{\"x\":2}"),
        ("{{ keys .Values.a .Values.b }}", "a: {z: 1}\nb: {a: 1, z: 2}", "[a z]"),
        ("{{ values .Values.m }}", "m: {b: 2, a: 1}", "[1 2]"),
        ("{{ lookup \"v1\" \"Secret\" \"default\" \"x\" }}", "", "map[]"),
    ]);
}

#[test]
fn yaml_and_json() {
    check(&[
        ("{{ toYaml .Values.r }}", "r: {limits: {cpu: 100m}, requests: {memory: 128Mi}}", "limits:\n  cpu: 100m\nrequests:\n  memory: 128Mi"),
        ("resources:\n  {{- toYaml .Values.r | nindent 2 }}", "r: {b: 1, a: [x, y]}", "resources:\n  a:\n  - x\n  - \"y\"\n  b: 1"),
        ("{{ toYaml .Values.missing }}", "", "null"),
        ("{{ toYaml .Values.l }}", "l: []", "[]"),
        ("{{ toJson .Values.m }}", "m: {b: [1, \"<x>\"], a: true}", "{\"a\":true,\"b\":[1,\"\\u003cx\\u003e\"]}"),
        ("{{ (fromYaml \"a: 1\").a }}", "", "1"),
        ("{{ (fromYaml \"- a\").Error }}", "", "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}"),
        ("{{ .Values.s | toYaml }}", "s: \"yes\"", "\"yes\""),
    ]);
}

/// Each expected message is what Go 1.19's text/template printed for the same
/// template (with Helm's `missingkey=zero` and stand-ins for Sprig's functions).
#[test]
fn errors_read_as_go_and_helm_print_them() {
    let at = |place: &str, context: &str, message: &str| {
        format!("ERROR template: mychart/templates/t.yaml:{place}: executing \"mychart/templates/t.yaml\" at <{context}>: {message}")
    };
    let parse = |line: usize, message: &str| format!("ERROR template: mychart/templates/t.yaml:{line}: {message}");
    let cases: Vec<(&str, &str, String)> = vec![
        ("a\n{{ .Values.foo.bar }}", "", at("2:10", ".Values.foo.bar", "nil pointer evaluating interface {}.bar")),
        ("{{ .Values.a.b.c }}", "a: {b: null}", at("1:10", ".Values.a.b.c", "nil pointer evaluating interface {}.c")),
        ("{{ .Values.s.x }}", "s: str", at("1:10", ".Values.s.x", "can't evaluate field x in type interface {}")),
        ("{{ .Values.l.x }}", "l: [1]", at("1:10", ".Values.l.x", "can't evaluate field x in type interface {}")),
        ("{{ $x := 1 }}{{ $x.foo }}", "", at("1:18", "$x.foo", "can't evaluate field foo in type int")),
        ("x\n\n{{ nope 1 }}", "", parse(3, "function \"nope\" not defined")),
        ("{{ if }}x{{ end }}", "", parse(1, "missing value for if")),
        ("{{ if true }}x", "", parse(1, "unexpected EOF")),
        ("{{ end }}", "", parse(1, "unexpected {{end}}")),
        ("{{ else }}", "", parse(1, "unexpected {{else}}")),
        ("{{ if true }}{{ else }}{{ else }}{{ end }}", "", parse(1, "expected end; found {{else}}")),
        ("{{ .Values.x ) }}", "", parse(1, "unexpected \")\" in command")),
        ("{{ ( .Values.a }}", "", parse(1, "unclosed left paren")),
        ("{{ \"unterminated }}", "", parse(1, "unterminated quoted string")),
        ("line\n{{ .Values.x", "", parse(2, "unclosed action")),
        ("{{/* unclosed", "", parse(1, "unclosed comment")),
        ("{{ define \"a\" }}", "", parse(1, "unexpected EOF")),
        ("{{ template x }}", "", parse(1, "unexpected \"x\" in template clause")),
        ("{{ $x := }}", "", parse(1, "missing value for command")),
        ("{{ range $i, $v, $w := .Values.l }}{{ end }}", "", parse(1, "too many declarations in range")),
        ("{{ 1 | 2 }}", "", parse(1, "non executable command in pipeline stage 2")),
        ("{{ $undefined }}", "", parse(1, "undefined variable \"$undefined\"")),
        ("{{ if true }}{{ $x := 1 }}{{ end }}{{ $x }}", "", parse(1, "undefined variable \"$x\"")),
        ("{{ $y = 1 }}", "", parse(1, "undefined variable \"$y\"")),
        ("{{ nil }}", "", at("1:3", "nil", "nil is not a command")),
        ("{{ \"a\" \"b\" }}", "", at("1:3", "\"a\"", "can't give argument to non-function \"a\"")),
        ("{{ .Values.x 1 }}", "x: 1", at("1:10", ".Values.x", "x is not a method but has arguments")),
        ("{{ required \"image.tag is required\" .Values.image.tag }}", "image: {}", at("1:3", "required \"image.tag is required\" .Values.image.tag", "error calling required: image.tag is required")),
        ("{{ fail \"stop\" }}", "", at("1:3", "fail \"stop\"", "error calling fail: stop")),
        ("{{ include \"missing\" . }}", "", at("1:3", "include \"missing\" .", "error calling include: template: no template \"missing\" associated with template \"gotpl\"")),
        ("{{ template \"missing\" . }}", "", at("1:12", "{{template \"missing\" .}}", "template \"missing\" not defined")),
        ("{{ indent \"x\" \"y\" }}", "", at("1:10", "\"x\"", "expected integer; found \"x\"")),
        ("{{ .Values.missing | indent 2 }}", "", at("1:28", "2", "invalid value; expected string")),
        ("{{ quote }}{{ trunc 1 }}", "", at("1:14", "trunc", "wrong number of args for trunc: want 2 got 1")),
        ("{{ range .Values.s }}{{ end }}", "s: text", at("1:16", ".Values.s", "range can't iterate over text")),
        ("{{ lt 1 \"a\" }}", "", at("1:3", "lt 1 \"a\"", "error calling lt: incompatible types for comparison")),
        ("{{ eq .Values.l 1 }}", "l: [1]", at("1:3", "eq .Values.l 1", "error calling eq: non-comparable type")),
        ("{{ eq 1.0 1 }}", "", at("1:3", "eq 1.0 1", "error calling eq: incompatible types for comparison")),
        ("{{ len 3 }}", "", at("1:3", "len 3", "error calling len: len of type int")),
        ("{{ index .Values.l 5 }}", "l: [1]", at("1:3", "index .Values.l 5", "error calling index: index out of range: 5")),
        ("{{ div 1 0 }}", "", at("1:3", "div 1 0", "error calling div: runtime error: integer divide by zero")),
        ("{{ define \"h\" }}{{ .x.y }}{{ end }}{{ include \"h\" .Values }}", "", at("1:38", "include \"h\" .Values", "error calling include: template: mychart/templates/t.yaml:1:21: executing \"h\" at <.x.y>: nil pointer evaluating interface {}.y")),
    ];
    let borrowed: Vec<(&str, &str, &str)> = cases.iter().map(|(t, v, e)| (*t, *v, e.as_str())).collect();
    check(&borrowed);
}

/// More of Go's own outputs for the same templates.
#[test]
fn output_matches_go_for_its_corner_cases() {
    check(&[
        ("{{ and .Values.a .Values.a.b }}", "", "<no value>"),
        ("{{ eq .Values.missing \"x\" }}", "", "false"),
        ("{{ printf \"%s\" 5 }}|{{ printf \"%v\" .Values.m }}", "m: {b: 1, a: 2}", "%!s(int=5)|map[a:2 b:1]"),
        ("{{ with $x := .Values.a }}{{ $x }}{{ end }}", "a: 5", "5"),
        ("{{ } }}", "", "ERROR template: mychart/templates/t.yaml:1: unexpected \"}\" in command"),
        ("{{ @ }}", "", "ERROR template: mychart/templates/t.yaml:1: unexpected \"@\" in command"),
        ("{{ .a @ }}", "", "ERROR template: mychart/templates/t.yaml:1: unexpected \"@\" in operand"),
        ("{{ é }}", "", "ERROR template: mychart/templates/t.yaml:1: function \"é\" not defined"),
        ("a\n{{- /* c */ -}}\nb", "", "ab"),
        ("{{ \"\\é\" }}", "", "ERROR template: mychart/templates/t.yaml:1: invalid syntax"),
        (
            "kind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }\n",
            "",
            "ERROR template: mychart/templates/t.yaml:3: unexpected \"}\" in operand",
        ),
        ("{{ if .Values.x }}\n", "", "ERROR template: mychart/templates/t.yaml:2: unexpected EOF"),
        ("{{ define \"x\" }}[{{ . }}]{{ end }}{{ template \"x\" }}", "", "[<no value>]"),
    ]);
}

/// Numbers read from values files are float64 in Helm (they pass through JSON):
/// printed as Go prints floats, refused where Go wants an int, and unequal to an int.
#[test]
fn values_numbers_are_float64_as_in_helm() {
    let float = |text: &str| crate::core::api::yaml::Value::Number(crate::core::api::yaml::Number::Float(text.into()));
    let mut data = data("");
    if let Value::Mapping(root) = &mut data {
        let mut values = yaml::Mapping::new();
        for (key, text) in [("replicas", "1"), ("big", "1000000"), ("ratio", "0.00001"), ("port", "8080")] {
            values.insert(Value::from(key), float(text));
        }
        root.insert(Value::from("Values"), Value::Mapping(values));
    }
    let render = |template: &str| {
        Templates::render_text("mychart/templates/t.yaml", template, &data).unwrap_or_else(|e| format!("ERROR {e}"))
    };
    assert_eq!(
        render("{{ .Values.replicas }} {{ .Values.big }} {{ .Values.ratio }} {{ .Values.port }}"),
        "1 1e+06 1e-05 8080"
    );
    assert_eq!(render("{{ toYaml .Values.big }}"), "1000000");
    assert_eq!(render("{{ add .Values.replicas 1 }} {{ int .Values.port }}"), "2 8080");
    assert!(render("{{ eq .Values.replicas 1 }}").ends_with("error calling eq: incompatible types for comparison"));
    assert!(render("{{ until .Values.replicas }}").ends_with("wrong type for value; expected int; got float64"));
    assert_eq!(render("{{ printf \"%d\" .Values.port }}"), "%!d(float64=8080)");
}

#[test]
fn go_prints_floats_shortest_with_an_exponent_from_a_million() {
    // Printed by Go 1.19's fmt.Printf("%v") for the same float64 values.
    for (text, go) in [
        ("1", "1"),
        ("1.5", "1.5"),
        ("100000", "100000"),
        ("1000000", "1e+06"),
        ("1234567", "1.234567e+06"),
        ("123456789", "1.23456789e+08"),
        ("0.0001", "0.0001"),
        ("0.00001", "1e-05"),
        ("1e21", "1e+21"),
        ("0.5", "0.5"),
        ("3.0", "3"),
        ("-2.5", "-2.5"),
        ("1e-7", "1e-07"),
        ("80", "80"),
    ] {
        assert_eq!(exec::go_float(text), go, "{text}");
    }
}

/// A template that calls itself forever stops with an error, not a frozen page or
/// a blown stack; so does a loop that runs too long.
#[test]
fn endless_templates_stop_with_a_clear_error() {
    let recursive = render("{{ define \"a\" }}{{ include \"a\" . }}{{ end }}{{ include \"a\" . }}", "");
    assert!(
        recursive.contains("rendering template has a nested reference name: a: unable to execute template"),
        "{recursive}"
    );
    let looping = render("{{ range until 100000 }}{{ range until 100000 }}x{{ end }}{{ end }}", "");
    assert!(looping.starts_with("ERROR template: rendering stopped after"), "{looping:.200}");
    let self_template = render("{{ define \"t\" }}{{ template \"t\" . }}{{ end }}{{ template \"t\" . }}", "");
    assert!(self_template.contains("unable to execute template"), "{self_template}");
    let tpl_loop = render("{{ tpl .Values.t . }}", "t: \"{{ tpl .Values.t . }}\"");
    assert!(tpl_loop.contains("unable to execute template"), "{tpl_loop}");
    let parens = render(&format!("{{{{ {}1{} }}}}", "(".repeat(500), ")".repeat(500)), "");
    assert_eq!(parens, "ERROR template: mychart/templates/t.yaml:1: template is nested too deeply");
    let ifs = render(&format!("{}x{}", "{{ if true }}".repeat(300), "{{ end }}".repeat(300)), "");
    assert_eq!(ifs, "ERROR template: mychart/templates/t.yaml:1: template is nested too deeply");
    // A chart's usual depth (a helper that includes helpers) is far from the limits.
    let nested = render(
        "{{ define \"a\" }}{{ include \"b\" . }}{{ end }}{{ define \"b\" }}{{ include \"c\" . }}{{ end }}{{ define \"c\" }}{{ include \"d\" . }}{{ end }}{{ define \"d\" }}deep{{ end }}{{ include \"a\" . }}",
        "",
    );
    assert_eq!(nested, "deep");
}
