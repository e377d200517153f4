//! Fuzzing manifest parsing and validation with proptest: any text gives either
//! applied objects or an error message, never a panic, and a refused text
//! leaves the running cluster untouched (issue: limits and bad input).

use proptest::prelude::*;
use sts_playground::session::samples::DEFAULT_MANIFEST;

mod common;
#[allow(unused_imports)]
use common::Edited;

/// The default manifest with a few random edits: lines dropped, duplicated,
/// re-indented, numbers pushed to their limits, or a character replaced.
fn mutated_manifest() -> impl Strategy<Value = String> {
    let lines: Vec<String> = DEFAULT_MANIFEST.lines().map(String::from).collect();
    let count = lines.len();
    prop::collection::vec((0..count, 0u8..6, any::<char>()), 1..6).prop_map(move |edits| {
        let mut lines = lines.clone();
        for (index, kind, ch) in edits {
            let index = index % lines.len().max(1);
            match kind {
                0 => {
                    lines.remove(index);
                }
                1 => lines.insert(index, lines[index].clone()),
                2 => lines[index] = format!(" {}", lines[index]),
                3 => lines[index] = lines[index].trim_start().to_string(),
                4 => {
                    // Numbers at the edges of every integer type.
                    let extreme =
                        ["9223372036854775807", "-9223372036854775808", "4294967296", "-1", "0"][ch as usize % 5];
                    let line = &lines[index];
                    if let Some(start) = line.find(|c: char| c.is_ascii_digit()) {
                        let end = line[start..].find(|c: char| !c.is_ascii_digit()).map_or(line.len(), |e| start + e);
                        lines[index] = format!("{}{extreme}{}", &line[..start], &line[end..]);
                    }
                }
                _ => {
                    let mut chars: Vec<char> = lines[index].chars().collect();
                    if !chars.is_empty() {
                        let at = chars.len() / 2;
                        chars[at] = ch;
                    }
                    lines[index] = chars.into_iter().collect();
                }
            }
            if lines.is_empty() {
                lines.push(String::new());
            }
        }
        lines.join("\n")
    })
}

fn yamlish() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("apiVersion: apps/v1\n".to_string()),
            Just("kind: StatefulSet\n".to_string()),
            Just("metadata:\n  name: web\n".to_string()),
            Just("spec:\n".to_string()),
            Just("  replicas: ".to_string()),
            Just("---\n".to_string()),
            Just("&a [*a, *a]\n".to_string()),
            Just("{[".to_string()),
            "[ -~]{0,20}\n",
            any::<String>(),
        ],
        0..20,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn any_text_is_applied_or_refused_with_a_message(text in prop_oneof![mutated_manifest(), yamlish(), any::<String>()]) {
        let mut cluster = sts_playground::cli::new_cluster(1);
        cluster.apply_text(DEFAULT_MANIFEST).unwrap();
        cluster.advance(20_000);
        let before = cluster.store().clone();
        match cluster.apply_text(&text) {
            Ok(lines) => prop_assert!(!lines.is_empty()),
            Err(error) => {
                prop_assert!(!error.message.trim().is_empty());
                prop_assert_eq!(cluster.store(), &before, "a refused apply changes nothing");
            }
        }
        cluster.advance(60_000);
    }
}

#[test]
fn alias_bombs_and_deep_nesting_are_refused() {
    let mut cluster = sts_playground::cli::new_cluster(1);
    let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
    assert!(cluster.apply_text(bomb).is_err());
    let deep = format!("a: {}{}", "[".repeat(5000), "]".repeat(5000));
    assert!(cluster.apply_text(&deep).is_err());
}

#[test]
fn integers_out_of_range_are_refused() {
    let mut cluster = sts_playground::cli::new_cluster(1);
    let error =
        cluster.apply_text(&DEFAULT_MANIFEST.edited("replicas: 3", "replicas: 99999999999999999999")).unwrap_err();
    assert!(error.message.contains("spec.replicas"), "{}", error.message);
    let error = cluster.apply_text(&DEFAULT_MANIFEST.edited("replicas: 3", "replicas: 5000")).unwrap_err();
    assert!(error.message.contains("at most 1000 replicas"), "{}", error.message);
}

#[test]
fn extreme_numbers_in_probes_grace_periods_and_ordinals_do_not_break_the_clock() {
    let mut cluster = sts_playground::cli::new_cluster(1);
    let manifest = DEFAULT_MANIFEST
        .edited("replicas: 3", "replicas: 3000000000")
        .edited("  serviceName: visits\n", "  serviceName: visits\n  minReadySeconds: 9223372036854775807\n");
    let error = cluster.apply_text(&manifest).unwrap_err();
    assert!(
        error.message.ends_with(
            "json: cannot unmarshal number 3000000000 into Go struct field StatefulSetSpec.spec.replicas of type int32"
        ),
        "{}",
        error.message
    );

    let manifest = DEFAULT_MANIFEST.edited(
        "          env:\n",
        "          readinessProbe:\n            periodSeconds: 9223372036854775807\n            initialDelaySeconds: 9223372036854775807\n            httpGet:\n              port: 8080\n          env:\n",
    ).edited("    spec:\n      containers:", "    spec:\n      terminationGracePeriodSeconds: 9223372036854775807\n      containers:");
    cluster.apply_text(&manifest).unwrap();
    cluster.advance(60_000);
    cluster.delete_pod("web-0", None);
    cluster.advance(60_000);
    assert_eq!(cluster.store().pods.len(), 1, "web-0 never becomes ready and keeps terminating");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// A share link's fragment is whatever someone pasted: any text is a session
    /// or a message, never a panic (issue: UI, state).
    #[test]
    fn any_share_fragment_is_a_session_or_a_message(code in prop_oneof![
        any::<String>(),
        "[A-Za-z0-9+$-]{0,200}",
        (0u64..50, "[MARCQD]", any::<String>()).prop_map(|(at, code, payload)| {
            let text = format!("sts-playground 2\nseed 3\nnow 60000\n{at} {code} {payload}\n");
            lz_str::compress_to_encoded_uri_component(text.as_str())
        }),
    ]) {
        let _ = sts_playground::session::Session::from_share_code(&code);
    }
}
