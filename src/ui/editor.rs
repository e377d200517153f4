//! The manifest editor: the YAML text is the source of truth of the playground.
//!
//! A plain textarea (so typing, selection, undo/redo and paste are the
//! browser's own) with transparent text over a `<pre>` that shows the same
//! text coloured ([`crate::session::highlight`]) and marked where the API server
//! would refuse it. Both sit in one grid cell sized by the `<pre>`, so they
//! never drift; the pane scrolls them together with the line numbers.

use std::cell::RefCell;
use std::time::Duration;

use leptos::prelude::*;

use super::dom::{self, el, Node};
use super::engine::Engine;
use super::state::ApplyOutcome;
use crate::session::edit::newline_indent;
use crate::session::highlight::highlight;
use crate::session::ApiError;
use crate::session::{parse_manifest, Document};

/// Wall milliseconds of quiet typing before the API server's dry run.
const CHECK_DELAY_MS: u64 = 300;

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
fn diagnose(text: &str) -> Result<String, ApiError> {
    let documents = parse_manifest(text).map_err(|e| ApiError { message: e.message, position: e.position })?;
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

/// A marked place in the text: 1-based line and column, and why.
struct Mark<'a> {
    line: usize,
    column: usize,
    why: &'a str,
}

fn marks(errors: &[ApiError]) -> Vec<Mark<'_>> {
    errors.iter().filter_map(|e| e.position.map(|p| Mark { line: p.line, column: p.column, why: &e.message })).collect()
}

/// The coloured copy of the text, one row per line (key: what the row shows).
/// A marked line is underlined from the marked column on; `focus` (a clicked
/// diagnostic or event) is tinted.
fn overlay_rows(text: &str, marks: &[Mark], focus: Option<usize>) -> Vec<(String, Node)> {
    text.split('\n')
        .zip(highlight(text))
        .enumerate()
        .map(|(index, (line, tokens))| {
            let number = index + 1;
            let mark = marks.iter().find(|m| m.line == number);
            // Byte where the underline starts (columns count characters).
            let cut =
                mark.map(|m| line.char_indices().nth(m.column.saturating_sub(1)).map_or(line.len(), |(at, _)| at));
            let mut plain = Vec::new();
            let mut marked = Vec::new();
            let mut at = 0;
            let mut push = |start: usize, end: usize, class: &'static str| {
                for (from, to, into_marked) in
                    [(start, end.min(cut.unwrap_or(end)), false), (start.max(cut.unwrap_or(end)), end, true)]
                {
                    if from < to {
                        let node = if class.is_empty() {
                            Node::Text(line[from..to].into())
                        } else {
                            Node::Element(el("span").class(class).text(&line[from..to]))
                        };
                        if into_marked { &mut marked } else { &mut plain }.push(node);
                    }
                }
            };
            for token in &tokens {
                push(at, token.start, "");
                push(token.start, token.end, token.class);
                at = token.end;
            }
            push(at, line.len(), "");
            if let Some(mark) = mark {
                if marked.is_empty() {
                    marked.push(Node::Text(" ".into()));
                }
                plain.push(Node::Element(el("span").class("bad").attr("title", mark.why).nodes(marked)));
            }
            plain.push(Node::Text("\n".into()));
            let class = if focus == Some(number) { "focus" } else { "" };
            let key = format!("{class} {} {} {line}", cut.map_or(0, |c| c + 1), mark.map_or("", |m| m.why));
            (key, Node::Element(el("span").class(class).nodes(plain)))
        })
        .collect()
}

/// Line numbers, the marked ones flagged (their message as a tooltip).
fn gutter_nodes(lines: usize, marks: &[Mark]) -> Vec<Node> {
    let mut nodes = Vec::new();
    let mut run = String::new();
    for number in 1..=lines {
        match marks.iter().find(|m| m.line == number) {
            Some(mark) => {
                nodes.push(Node::Text(std::mem::take(&mut run)));
                nodes.push(Node::Element(el("span").class("marked").attr("title", mark.why).text(number.to_string())));
                run.push('\n');
            }
            None => run.push_str(&format!("{number}\n")),
        }
    }
    nodes.push(Node::Text(run));
    nodes
}

/// The UTF-16 offset of a 1-based line and column, as the textarea counts.
fn caret_offset(text: &str, line: usize, column: usize) -> u32 {
    let mut offset = 0;
    for (index, content) in text.split('\n').enumerate() {
        if index + 1 == line {
            return offset + content.chars().take(column.saturating_sub(1)).map(char::len_utf16).sum::<usize>() as u32;
        }
        offset += content.encode_utf16().count() as u32 + 1;
    }
    offset
}

/// The editor pane (drawn by `ui::dom`): Apply, line numbers, the coloured
/// text under the textarea, the parse summary, the API server's objections
/// (click to jump), and what the last Apply answered.
#[component]
pub fn ManifestEditor(
    /// The manifest text, shared with the rest of the page.
    text: RwSignal<String>,
) -> impl IntoView {
    let engine = expect_context::<Engine>();
    let diagnosis = Memo::new(move |_| text.with(|t| diagnose(t)));
    // The dry run's answer and the text it was run on (marks of an older text are dropped).
    let checked = RwSignal::new((String::new(), Vec::<ApiError>::new()));
    let pending = std::rc::Rc::new(std::cell::Cell::new(0u32));
    Effect::new(move || {
        let current = text.get();
        engine.editor.last_apply.track();
        if diagnosis.with_untracked(Result::is_err) {
            return;
        }
        // Debounced: the dry run copies the store, too much for every keystroke.
        let ticket = pending.get() + 1;
        pending.set(ticket);
        let pending = pending.clone();
        set_timeout(
            move || {
                if pending.get() == ticket {
                    let errors = engine.sim.session.with_untracked(|s| s.cluster.dry_run(&current));
                    checked.set((current, errors));
                }
            },
            Duration::from_millis(CHECK_DELAY_MS),
        );
    });
    // What is marked: the parse error at once, else the dry run's refusals
    // (a plain closure, not a memo: one memo type less in the wasm).
    let errors = move || match diagnosis.get() {
        Err(error) => vec![error],
        Ok(_) => checked
            .with(|(checked_text, errors)| if text.with(|t| t == checked_text) { errors.clone() } else { Vec::new() }),
    };
    let draw = move || {
        let summary = match diagnosis.get() {
            Ok(summary) => el("p").class("diagnostics").text(summary),
            // A button, so the keyboard reaches the broken line too.
            Err(error) => el("p").class("diagnostics error").child(
                el("button")
                    .class("link jump")
                    .act("jump", jump_arg(&error))
                    .attr("title", "Go to the line")
                    .text(error.to_string()),
            ),
        };
        let listed = {
            let api = diagnosis.with(Result::is_ok);
            errors()
                .iter()
                .filter(|_| api)
                .map(|error| {
                    el("li").child(
                        el("button")
                            .class("diagnostic")
                            .testid("diagnostic")
                            .act("jump", jump_arg(error))
                            .text(error.to_string()),
                    )
                })
                .collect::<Vec<_>>()
        };
        let answer = engine.editor.last_apply.get().map(|outcome| match outcome {
            ApplyOutcome::Applied(lines) => el("pre").class("apply-result ok").testid("apply-result").text(lines),
            ApplyOutcome::Refused(error) => {
                el("pre").class("apply-result error").testid("apply-result").text(error.to_string())
            }
        });
        // Page-level messages (a broken share link, an unknown lesson) live here,
        // beside kubectl's own answers.
        let notice = engine
            .page
            .notice
            .get()
            .map(|notice| el("p").class("apply-result error").attr("role", "status").testid("notice").text(notice));
        [
            el("header")
                .class("pane-title")
                .child(el("h2").text("Manifest"))
                .child(el("span").class("hint").text("YAML · kubectl apply -f"))
                .child(
                    el("button")
                        .class("primary")
                        .testid("apply")
                        .attr("title", "kubectl apply (Ctrl+Enter)")
                        .act("apply", "")
                        .text("Apply"),
                ),
            el("div")
                .class("editor-scroll")
                .child(el("pre").class("gutter").attr("aria-hidden", "true").attr("data-own", ""))
                .child(
                    el("div")
                        .class("editor-stack")
                        .child(el("pre").class("highlight").attr("aria-hidden", "true").attr("data-own", ""))
                        .child(
                            el("textarea")
                                .class("editor")
                                .testid("manifest-editor")
                                .act("edit", "")
                                .attr("aria-label", "StatefulSet manifest (YAML)")
                                .attr(
                                    "aria-description",
                                    "Tab indents by two spaces; press Escape, then Tab, to leave the editor",
                                )
                                .attr("spellcheck", "false")
                                .attr("autocapitalize", "off")
                                .attr("autocomplete", "off")
                                .attr("wrap", "off")
                                .attr("rows", "1")
                                .attr(".value", text.get()),
                        ),
                ),
            summary.testid("diagnostics").attr("role", "status"),
            el("ul")
                .class("diagnostic-list")
                .attr("aria-label", "Problems the API server would report")
                .children(listed),
            dom::splitter("editor-pane", "Editor width: left and right arrows resize"),
        ]
        .into_iter()
        .chain(answer)
        .chain(notice)
        .map(Node::Element)
        .collect()
    };
    let drawn = RefCell::new(Vec::new());
    let jumped = std::rc::Rc::new(std::cell::Cell::new(None::<(usize, usize)>));
    let then = {
        let jumped = jumped.clone();
        move |root: &web_sys::Element| {
            let focus = engine.editor.focus_line.get();
            {
                let errors = errors();
                let marks = marks(&errors);
                text.with(|t| {
                    if let Some(overlay) = dom::find(root, ".highlight") {
                        dom::patch_rows(
                            &overlay,
                            overlay_rows(t, &marks, focus.map(|(line, _)| line)),
                            &mut drawn.borrow_mut(),
                        );
                    }
                    if let Some(gutter) = dom::find(root, ".gutter") {
                        dom::patch(&gutter, &gutter_nodes(t.split('\n').count(), &marks));
                    }
                });
            }
            if focus.is_some() && jumped.replace(focus) != focus {
                if let (Some((line, column)), Some(area), Some(scroller)) =
                    (focus, dom::find(root, "textarea"), dom::find(root, ".editor-scroll"))
                {
                    jump_to(&area, &scroller, text, line, column);
                }
            }
        }
    };
    let after_escape = std::cell::Cell::new(false);
    let perform = move |act: dom::Act| match (act.event.as_str(), act.act.as_str()) {
        ("click", "apply") => engine.apply(),
        ("click", "jump") => {
            let mut numbers = act.arg.split(' ').filter_map(|n| n.parse().ok());
            if let (Some(line), Some(column)) = (numbers.next(), numbers.next()) {
                jumped.set(None);
                engine.editor.focus_line.set(Some((line, column)));
            }
        }
        ("input", "edit") => {
            text.set(act.value);
            engine.editor.focus_line.set(None);
        }
        ("keydown", "edit") => {
            let Some((key, command, modified)) = act.key() else { return };
            let escaped = after_escape.replace(key == "Escape");
            let handled = match key.as_str() {
                "Enter" if command => {
                    engine.apply();
                    true
                }
                "Enter" if !modified => {
                    let before: String = act.value.chars().take(caret(&act.raw) as usize).collect();
                    insert_text(&newline_indent(&before))
                }
                // Esc then Tab leaves the editor, so the keyboard is never trapped.
                "Tab" if !modified && !escaped => insert_text("  "),
                _ => false,
            };
            if handled {
                act.raw.prevent_default();
            }
        }
        _ => {}
    };
    dom::region_then("region", Box::new(draw), Box::new(then), std::rc::Rc::new(perform))
}

/// `data-arg` of a jump to an error's place: `line column`.
fn jump_arg(error: &ApiError) -> String {
    error.position.map(|p| format!("{} {}", p.line, p.column)).unwrap_or_default()
}

/// Where the caret is in the textarea an event came from (UTF-16 units).
fn caret(event: &web_sys::Event) -> u32 {
    use wasm_bindgen::JsCast;
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
        .and_then(|a| a.selection_start().ok().flatten())
        .unwrap_or(0)
}

/// Puts the caret at a line and column and scrolls the pane to show it.
fn jump_to(area: &web_sys::Element, scroller: &web_sys::Element, text: RwSignal<String>, line: usize, column: usize) {
    use wasm_bindgen::JsCast;
    let Some(area) = area.dyn_ref::<web_sys::HtmlTextAreaElement>() else { return };
    let (offset, lines) = text.with_untracked(|t| (caret_offset(t, line, column), t.split('\n').count().max(1)));
    let _ = area.focus();
    let _ = area.set_selection_range(offset, offset);
    let line_height = f64::from(area.scroll_height()) / lines as f64;
    scroller.set_scroll_top((line_height * line as f64) as i32 - scroller.client_height() / 2);
}
