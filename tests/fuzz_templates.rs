//! Issue 16: no template text panics the renderer, and none runs forever. Random
//! sequences of template pieces (actions, keywords, functions, quotes, trim
//! markers, unbalanced braces) and random bytes parse and render to a result or
//! a message.

use proptest::prelude::*;
use sts_playground::cli::helm::template::Templates;
use sts_playground::core::api::yaml;

fn piece() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "{{",
        "}}",
        "{{-",
        "-}}",
        " ",
        "\n",
        ".",
        ".Values",
        ".Values.a",
        ".b",
        "$",
        "$x",
        ":=",
        "=",
        "|",
        "(",
        ")",
        ",",
        "\"s\"",
        "`r`",
        "'c'",
        "1",
        "-2",
        "0x1F",
        "1.5",
        "true",
        "nil",
        "if",
        "else",
        "end",
        "range",
        "with",
        "define",
        "template",
        "block",
        "break",
        "continue",
        "\"t\"",
        "include",
        "tpl",
        "toYaml",
        "indent",
        "nindent",
        "default",
        "quote",
        "printf",
        "\"%s %d\"",
        "eq",
        "and",
        "or",
        "not",
        "len",
        "index",
        "dict",
        "list",
        "until",
        "required",
        "fail",
        "trunc",
        "repeat",
        "merge",
        "fromYaml",
        "/*",
        "*/",
        "é",
        "→",
        "\\",
        "\"",
        "text ",
        "{{ end }}",
        "{{ include \"t\" . }}",
        "{{ define \"t\" }}",
        "{{ template \"t\" . }}",
        "{{ tpl .Values.s . }}",
    ]);
    pieces.prop_map(str::to_string)
}

fn render(text: &str) -> Result<String, String> {
    let data = yaml::from_str("Values: {a: {b: [1, 2]}, s: \"{{ tpl .Values.s . }}\"}\nRelease: {Name: web}").unwrap();
    Templates::render_text("chart/templates/t.yaml", text, &data).map_err(|e| e.to_string())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn any_sequence_of_template_pieces_renders_or_explains(pieces in prop::collection::vec(piece(), 0..40)) {
        let text = pieces.concat();
        if let Err(message) = render(&text) {
            prop_assert!(message.starts_with("template: "), "{message}");
        }
    }

    #[test]
    fn any_text_renders_or_explains(text in "\\PC{0,200}") {
        let _ = render(&text);
    }
}
