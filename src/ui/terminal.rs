//! The terminal panel: the core's shell and kubectl, with a prompt, history
//! (↑/↓), Ctrl-C to end a watch and Ctrl-L to clear. The editor's text is
//! available to commands as `manifest.yaml`.

use leptos::prelude::*;

use super::engine::Engine;
use crate::core::terminal::complete::complete;
use crate::core::terminal::Stream;

/// Lines kept in the scrollback; older ones are dropped.
const SCROLLBACK: usize = 1000;

/// One line of the scrollback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermLine {
    pub text: String,
    pub class: &'static str,
}

/// Appends text as lines of one style, keeping the scrollback bounded.
pub fn push_lines(lines: &mut Vec<TermLine>, text: &str, class: &'static str) {
    for line in text.strip_suffix('\n').unwrap_or(text).split('\n') {
        lines.push(TermLine { text: line.to_string(), class });
    }
    if lines.len() > SCROLLBACK {
        let excess = lines.len() - SCROLLBACK;
        lines.drain(..excess);
    }
}

/// The terminal tab. The editor's text is offered to commands as `manifest.yaml`.
#[component]
pub fn TerminalPanel() -> impl IntoView {
    let engine = expect_context::<Engine>();
    let input = engine.terminal_input;
    let history = RwSignal::new(Vec::<String>::new());
    let cursor = RwSignal::new(None::<usize>);
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let scroll_ref = NodeRef::<leptos::html::Div>::new();

    let submit = move || {
        let line = input.get_untracked();
        input.set(String::new());
        cursor.set(None);
        if !line.trim().is_empty() {
            history.update(|h| h.push(line.clone()));
        }
        engine.run_command(&line);
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let key = ev.key();
        match key.as_str() {
            "Enter" => {
                ev.prevent_default();
                submit();
            }
            "ArrowUp" | "ArrowDown" => {
                ev.prevent_default();
                let entries = history.get_untracked();
                if entries.is_empty() {
                    return;
                }
                let next = match (key.as_str(), cursor.get_untracked()) {
                    ("ArrowUp", None) => Some(entries.len() - 1),
                    ("ArrowUp", Some(i)) => Some(i.saturating_sub(1)),
                    ("ArrowDown", Some(i)) if i + 1 < entries.len() => Some(i + 1),
                    _ => None,
                };
                cursor.set(next);
                input.set(next.map(|i| entries[i].clone()).unwrap_or_default());
            }
            "Tab" => {
                ev.prevent_default();
                let line = input.get_untracked();
                let completion = engine.session.with_untracked(|s| complete(&s.cluster, &line));
                match completion.candidates.len() {
                    0 => {}
                    1 => input.set(format!("{}{} ", &line[..completion.start], completion.candidates[0])),
                    _ => {
                        let prefix = completion.common_prefix();
                        if prefix.len() > line.len() - completion.start {
                            input.set(format!("{}{prefix}", &line[..completion.start]));
                        } else {
                            // Like bash's second Tab: show what could follow.
                            let prompt = engine.prompt.get_untracked();
                            engine.scrollback.update(|lines| {
                                push_lines(lines, &format!("{prompt}{line}"), "cmd");
                                push_lines(lines, &completion.candidates.join("  "), "out");
                            });
                        }
                    }
                }
            }
            "c" if ev.ctrl_key() => {
                ev.prevent_default();
                engine.interrupt(&input.get_untracked());
                input.set(String::new());
            }
            "l" if ev.ctrl_key() => {
                ev.prevent_default();
                engine.scrollback.set(Vec::new());
            }
            _ => {}
        }
    };
    // Keep the newest output in view.
    Effect::new(move || {
        engine.scrollback.track();
        if let Some(div) = scroll_ref.get() {
            div.set_scroll_top(div.scroll_height());
        }
    });

    view! {
        <div class="terminal" data-testid="terminal" node_ref=scroll_ref
            on:click=move |_| { if let Some(el) = input_ref.get() { let _ = el.focus(); } }>
            // A plain list rather than a keyed <For>: lines never move, and this is
            // several KiB of wasm smaller.
            {move || engine.scrollback.with(|lines| {
                lines.iter().map(|line| view! { <div class=line.class>{line.text.clone()}</div> }).collect_view()
            })}
            <label class="prompt-line">
                <span class="prompt" data-testid="prompt">{move || engine.prompt.get()}</span>
                <input
                    class="command"
                    data-testid="terminal-input"
                    aria-label="Terminal command"
                    spellcheck="false"
                    autocomplete="off"
                    autocapitalize="off"
                    node_ref=input_ref
                    prop:value=move || input.get()
                    on:input:target=move |ev| input.set(ev.target().value())
                    on:keydown=on_keydown
                />
            </label>
        </div>
    }
}

/// Converts what a command printed into scrollback lines.
pub fn output_lines(lines: &mut Vec<TermLine>, chunks: &[(Stream, String)]) {
    for (stream, text) in chunks {
        push_lines(lines, text, if *stream == Stream::Err { "err" } else { "out" });
    }
}
