//! The manifest editor: the YAML text is the source of truth of the playground.

use leptos::prelude::*;

use super::engine::{ApplyOutcome, Engine};
use crate::core::edit::newline_indent;
use crate::core::manifest::{parse_manifest, Document};

/// Inserts text at the caret as typing would (the browser's insertText
/// command), so undo and redo keep working; false if the browser refused.
fn insert_text(text: &str) -> bool {
    use wasm_bindgen::JsCast;
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        .and_then(|d| d.exec_command_with_show_ui_and_value("insertText", false, text).ok())
        .unwrap_or(false)
}

/// A one-line summary of what the text holds, or where it is broken.
fn diagnose(text: &str) -> Result<String, String> {
    let documents = parse_manifest(text).map_err(|e| e.to_string())?;
    if documents.is_empty() {
        return Ok("no objects yet".into());
    }
    let names: Vec<String> = documents.iter().map(describe).collect();
    let noun = if documents.len() == 1 { "object" } else { "objects" };
    Ok(format!("{} {noun}: {}", documents.len(), names.join(", ")))
}

fn describe(document: &Document) -> String {
    format!("{}/{}", document.kind().unwrap_or("?"), document.name().unwrap_or("?"))
}

/// Number of lines the gutter shows: a trailing newline opens an empty last line.
fn line_count(text: &str) -> usize {
    text.split('\n').count().max(1)
}

/// The editor pane: line numbers, a textarea that grows with its text (the pane
/// scrolls both together, so they never drift), and the parse result below.
#[component]
pub fn ManifestEditor(
    /// The manifest text, shared with the rest of the page.
    text: RwSignal<String>,
) -> impl IntoView {
    let engine = expect_context::<Engine>();
    let lines = Memo::new(move |_| text.with(|t| line_count(t)));
    let diagnosis = Memo::new(move |_| text.with(|t| diagnose(t)));
    let gutter = move || (1..=lines.get()).map(|n| n.to_string()).collect::<Vec<_>>().join("\n");
    let apply = move || engine.apply();
    let after_escape = std::cell::Cell::new(false);

    view! {
        <header class="pane-title">
            <h2>"Manifest"</h2>
            <span class="hint">"YAML · kubectl apply -f"</span>
            <button class="primary" data-testid="apply" title="kubectl apply (Ctrl+Enter)" on:click=move |_| apply()>"Apply"</button>
        </header>
        <div class="editor-scroll">
            <pre class="gutter" aria-hidden="true">{gutter}</pre>
            <textarea
                class="editor"
                data-testid="manifest-editor"
                aria-label="StatefulSet manifest (YAML)"
                aria-description="Tab indents by two spaces; press Escape, then Tab, to leave the editor"
                spellcheck="false"
                autocapitalize="off"
                autocomplete="off"
                wrap="off"
                rows=move || lines.get() + 1
                prop:value=move || text.get()
                on:input:target=move |ev| text.set(ev.target().value())
                on:keydown:target=move |ev| {
                    let key = ev.key();
                    let plain = !(ev.ctrl_key() || ev.meta_key() || ev.alt_key() || ev.shift_key());
                    let escaped = after_escape.replace(key == "Escape");
                    if key == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
                        ev.prevent_default();
                        apply();
                    } else if key == "Enter" && plain {
                        let area = ev.target();
                        let before: String = area.value().chars().take(area.selection_start().ok().flatten().unwrap_or(0) as usize).collect();
                        if insert_text(&newline_indent(&before)) {
                            ev.prevent_default();
                        }
                    } else if key == "Tab" && plain && !escaped && insert_text("  ") {
                        // Esc then Tab leaves the editor, so the keyboard is never trapped.
                        ev.prevent_default();
                    }
                }
            ></textarea>
        </div>
        <p class="diagnostics" data-testid="diagnostics"
            class:error=move || diagnosis.with(|d| d.is_err())>
            {move || match diagnosis.get() { Ok(summary) => summary, Err(error) => error }}
        </p>
        <ApplyResult />
        // Page-level messages (a broken share link, an unknown lesson) live here,
        // beside kubectl's own answers.
        {move || engine.notice.get().map(|text| view! { <p class="apply-result error" role="status" data-testid="notice">{text}</p> })}
    }
}

/// What the last Apply answered: kubectl's lines, or its error and where it points.
#[component]
fn ApplyResult() -> impl IntoView {
    let engine = expect_context::<Engine>();
    move || {
        engine.last_apply.get().map(|outcome| match outcome {
            ApplyOutcome::Applied(lines) => view! { <pre class="apply-result ok" data-testid="apply-result">{lines}</pre> }.into_any(),
            ApplyOutcome::Refused { message, at } => {
                let place = at.map(|(line, column)| format!("line {line} column {column}: ")).unwrap_or_default();
                view! { <pre class="apply-result error" data-testid="apply-result">{place}{message}</pre> }.into_any()
            }
        })
    }
}
