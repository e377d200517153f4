//! The terminal panel: the core's shell and kubectl, with a prompt, history
//! (↑/↓), Ctrl-C to end a watch and Ctrl-L to clear. The editor's text is
//! available to commands as `manifest.yaml`. A Leptos component with typed
//! handlers; the scrollback is a keyed `<For>`.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::session::complete;
use crate::session::Millis;
use crate::session::Session;
use crate::ui::engine::Engine;

/// The terminal: the scrollback (a keyed `<For>` of lines, kept in view), the
/// prompt and the command line. A click anywhere in it puts the caret on the
/// command line, unless it ended a selection in the scrollback (that is for copying).
#[component]
pub fn Terminal() -> impl IntoView {
    let engine = expect_context::<Engine>();
    let history = History::new();
    let screen = NodeRef::<leptos::html::Div>::new();
    let field = NodeRef::<leptos::html::Input>::new();
    // While the scrubber shows the past, the terminal shows what it had printed by then.
    let shown_until = Memo::new(move |_| engine.sim.past.with(|p| p.as_ref().map_or(Millis::MAX, Session::now)));
    let lines = move || {
        let until = shown_until.get();
        engine.terminal.scrollback.with(|lines| lines.iter().take_while(|l| l.at <= until).cloned().collect::<Vec<_>>())
    };
    // The newest output stays in view.
    Effect::new(move || {
        engine.terminal.scrollback.track();
        shown_until.track();
        if let Some(screen) = screen.get() {
            screen.set_scroll_top(screen.scroll_height());
        }
    });
    let input = engine.terminal.input;
    view! {
        <div class="terminal" data-testid="terminal" node_ref=screen
            on:click=move |_| {
                if !selection_in_page() {
                    if let Some(field) = field.get() {
                        let _ = field.focus();
                    }
                }
            }>
            <div class="scrollback">
                <For each=lines key=|line| line.id let:line>
                    <div class=line.class>{line.text}</div>
                </For>
            </div>
            <label class="prompt-line">
                <span class="prompt" data-testid="prompt">{move || engine.terminal.prompt.get()}</span>
                <input class="command" data-testid="terminal-input" node_ref=field
                    aria-label="Terminal command" aria-description="Tab completes; on an empty line, Tab moves on"
                    spellcheck="false" autocomplete="off" autocapitalize="off"
                    prop:value=move || input.get()
                    on:input=move |event| input.set(event_target_value(&event))
                    on:keydown=move |event| {
                        let key = event.key();
                        // Ctrl only: Cmd+C and Cmd+L keep the Mac's copy and address bar.
                        let control = event.ctrl_key() && !event.meta_key() && !event.alt_key();
                        let keys = Keys {
                            control,
                            other_modifier: event.shift_key() || event.alt_key() || event.meta_key(),
                            // Looked up only for Ctrl-C, not on every key typed.
                            selecting: control && key == "c" && has_selection(&event),
                        };
                        if keydown(engine, &key, keys, history.entries, history.cursor) {
                            event.prevent_default();
                        }
                    } />
            </label>
        </div>
    }
}

/// The terminal's history and where ↑/↓ are in it.
#[derive(Clone, Copy)]
pub struct History {
    entries: StoredValue<Vec<String>>,
    cursor: StoredValue<Option<usize>>,
}

impl History {
    pub fn new() -> Self {
        History { entries: StoredValue::new(Vec::new()), cursor: StoredValue::new(None) }
    }
}

/// What else a key on the command line came with.
struct Keys {
    /// Ctrl held (and neither Cmd nor Alt).
    control: bool,
    /// Shift, Alt or Cmd held.
    other_modifier: bool,
    /// Text is selected, in the command line or the scrollback: Ctrl-C copies it.
    selecting: bool,
}

/// Whether the page has a text selection (in the scrollback, say).
fn selection_in_page() -> bool {
    web_sys::window().and_then(|w| w.get_selection().ok().flatten()).is_some_and(|s| !s.is_collapsed())
}

/// Whether text is selected in the command line the key came from, or in the page.
fn has_selection(event: &web_sys::KeyboardEvent) -> bool {
    let field = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
    let in_field = field.is_some_and(|f| f.selection_start().ok().flatten() != f.selection_end().ok().flatten());
    in_field || selection_in_page()
}

/// The command line's keys: Enter runs, ↑/↓ walk the history, Tab completes,
/// Ctrl-C interrupts, Ctrl-L clears. True if the key was handled here. Tab on
/// an empty line or with Shift moves the focus on, as anywhere else, so the
/// keyboard is never trapped here; Ctrl-C with text selected copies it.
fn keydown(
    engine: Engine,
    key: &str,
    keys: Keys,
    history: StoredValue<Vec<String>>,
    cursor: StoredValue<Option<usize>>,
) -> bool {
    let input = engine.terminal.input;
    let control = keys.control;
    match key {
        "Enter" => {
            let line = input.get_untracked();
            input.set(String::new());
            cursor.set_value(None);
            if !line.trim().is_empty() {
                history.update_value(|h| h.push(line.clone()));
            }
            engine.run_command(&line);
        }
        "ArrowUp" | "ArrowDown" => {
            let entries = history.get_value();
            if entries.is_empty() {
                return true;
            }
            let next = match (key, cursor.get_value()) {
                ("ArrowUp", None) => Some(entries.len() - 1),
                ("ArrowUp", Some(i)) => Some(i.saturating_sub(1)),
                ("ArrowDown", Some(i)) if i + 1 < entries.len() => Some(i + 1),
                _ => None,
            };
            cursor.set_value(next);
            input.set(next.and_then(|i| entries.get(i).cloned()).unwrap_or_default());
        }
        "Tab" if !keys.other_modifier && !control && !input.with_untracked(|line| line.trim().is_empty()) => {
            let line = input.get_untracked();
            let completion = engine.shown(|s| complete(&s.cluster, &line));
            match completion.candidates.as_slice() {
                [] => {}
                [only] => input.set(format!("{}{only} ", &line[..completion.start])),
                candidates => {
                    let prefix = completion.common_prefix();
                    if prefix.len() > line.len() - completion.start {
                        input.set(format!("{}{prefix}", &line[..completion.start]));
                    } else {
                        // Like bash's second Tab: show what could follow.
                        let prompt = engine.terminal.prompt.get_untracked();
                        engine.print(&format!("{prompt}{line}"), "cmd");
                        engine.print(&candidates.join("  "), "out");
                    }
                }
            }
        }
        "c" if control && !keys.selecting => {
            engine.interrupt(&input.get_untracked());
            input.set(String::new());
        }
        "l" if control => engine.terminal.scrollback.set(Vec::new()),
        _ => return false,
    }
    true
}
