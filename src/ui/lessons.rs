//! The lesson picker and panel: goal, steps that turn green as the core's
//! checks hold, hints on demand, prefill buttons, the "why" of each finished
//! step and the closing question. All checking is the core's (session::lessons).
//! The panel is built as data and patched in by `ui::dom` (its buttons carry
//! `data-act`), like the cluster view.

use leptos::prelude::*;

use super::dom::{self, el, Element, Node};
use super::engine::Engine;
use super::state::OpenLesson;
use crate::session::lessons::{self, Do, Step};

/// Splits lesson text into prose, `inline code` and ```code blocks```, so no
/// lesson text ever reaches innerHTML.
fn rich_text(text: &str) -> Vec<Node> {
    let text = text.replace("**", "");
    let mut parts = Vec::new();
    for (block_index, block) in text.split("```").enumerate() {
        if block_index % 2 == 1 {
            parts.push(Node::Element(el("pre").class("lesson-code").text(block.trim_matches('\n'))));
            continue;
        }
        for (index, piece) in block.split('`').enumerate() {
            if index % 2 == 1 {
                parts.push(Node::Element(el("code").text(piece)));
            } else if !piece.is_empty() {
                parts.push(Node::Text(piece.to_string()));
            }
        }
    }
    parts
}

/// What a step's prefill button puts where, or None when it has nothing to offer.
fn prefill_label(step: &Step) -> Option<(&'static str, Do)> {
    step.solution.iter().find_map(|item| match item {
        Do::Run(_) => Some(("Put the command in the terminal", item.clone())),
        Do::Apply(_) | Do::Edit(_) => Some(("Put the change in the editor", item.clone())),
        Do::File { text: Some(_), .. } if crate::session::HELM => Some(("Put the file in the editor", item.clone())),
        _ => None,
    })
}

/// The header's lesson menu (the index only: a lesson's text is fetched when opened).
pub fn lesson_picker() -> Element {
    el("select")
        .class("lesson-picker")
        .testid("lesson-picker")
        .attr("aria-label", "Open a lesson")
        .act("lesson-open", "")
        .child(el("option").attr("value", "").text("Lessons…"))
        .children(
            lessons::LESSON_INDEX
                .iter()
                .enumerate()
                .map(|(n, (_, id, title))| el("option").attr("value", *id).text(format!("{}. {title}", n + 1))),
        )
        .attr(".value", "")
}

/// A lesson chosen in the picker: it opens from its start (and the URL says so).
pub fn open_from_picker(engine: Engine, act: &dom::Act) {
    if !act.value.is_empty() {
        super::storage::replace_hash(&format!("lesson={}", act.value));
        engine.fetch_lesson(act.value.clone(), super::state::LessonStart::Fresh);
    }
    // Back to "Lessons…", so the same lesson can be chosen again.
    if let Some(select) =
        act.raw.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlSelectElement>(t).ok())
    {
        select.set_value("");
    }
}

/// The open lesson beside the playground (nothing while none is open).
#[component]
pub fn LessonPanel() -> impl IntoView {
    let engine = expect_context::<Engine>();
    // Redrawn only when the lesson or its progress changes, not every tick.
    let state = Memo::new(move |_| {
        engine.page.lesson.with(|o| o.as_ref().map(|o| (o.lesson.id.clone(), o.progress.current())))
    });
    let draw = move || {
        // Read, not just tracked: a memo nobody reads is never recomputed.
        if state.with(Option::is_none) {
            return Vec::new();
        }
        engine
            .page
            .lesson
            .with_untracked(|open| open.as_ref().map(|open| vec![Node::Element(panel_of(open))]))
            .unwrap_or_default()
    };
    let perform = move |act: dom::Act| match act.act.as_str() {
        "lesson-restart" => {
            if let Some(open) = engine.page.lesson.get_untracked() {
                engine.open_lesson(open.lesson);
            }
        }
        "lesson-close" => {
            engine.close_lesson();
            super::storage::replace_hash("");
        }
        "lesson-prefill" => {
            let item = engine.page.lesson.with_untracked(|o| {
                let step = o.as_ref()?.lesson.steps.get(act.arg.parse::<usize>().ok()?)?;
                prefill_label(step).map(|(_, item)| item)
            });
            if let Some(item) = item {
                engine.prefill(&item);
            }
        }
        _ => {}
    };
    dom::region("region", Box::new(draw), std::rc::Rc::new(perform))
}

/// The panel for the lesson and the learner's progress.
fn panel_of(open: &OpenLesson) -> Element {
    let lesson = &open.lesson;
    let current = open.progress.current();
    let total = lesson.steps.len();
    let steps = lesson.steps.iter().enumerate().map(|(index, step)| {
        let state = if index < current {
            "done"
        } else if index == current {
            "current"
        } else {
            "todo"
        };
        let item = el("li").class(format!("step {state}")).testid("lesson-step").attr("data-state", state);
        let item = if index == current { item.attr("aria-current", "step") } else { item };
        let item = item.child(el("strong").text(format!("{}{}", if index < current { "✓ " } else { "" }, step.title)));
        if index == current {
            current_step(item, index, step)
        } else if index < current {
            item.child(el("p").class("why").testid("lesson-why").nodes(rich_text(&step.why)))
        } else {
            item
        }
    });
    let header = el("header")
        .class("pane-title")
        .child(el("h2").text(lesson.title.clone()))
        .child(
            el("button")
                .class("ghost small")
                .testid("lesson-restart")
                .attr("title", "A fresh cluster and the lesson's first manifest")
                .act("lesson-restart", "")
                .text("Restart"),
        )
        .child(
            el("button")
                .class("ghost small")
                .attr("aria-label", "Close the lesson")
                .act("lesson-close", "")
                .text("Close"),
        );
    let body = el("div")
        .class("lesson-body")
        .child(el("p").class("goal").nodes(rich_text(&lesson.goal)))
        .child(
            el("p")
                .class("muted")
                .testid("lesson-progress")
                .text(format!("{} of {total} steps done", current.min(total))),
        )
        .child(el("ol").class("steps").children(steps))
        .maybe((current >= total).then(|| {
            el("section")
                .class("question")
                .testid("lesson-question")
                .child(el("p").child(el("strong").text("Question: ")).nodes(rich_text(&lesson.question)))
                .child(
                    el("details")
                        .child(el("summary").text("What the simulation showed"))
                        .child(el("p").nodes(rich_text(&lesson.answer))),
                )
        }));
    el("aside").class("pane lesson-pane").attr("aria-label", "Lesson").testid("lesson").child(header).child(body)
}

/// The step being worked on: its text, the hint on demand and a prefill button.
fn current_step(item: Element, index: usize, step: &Step) -> Element {
    item.child(el("div").class("step-text").nodes(rich_text(&step.text)))
        .maybe(step.hint.as_ref().map(|hint| {
            el("details").class("hint").child(el("summary").text("Hint")).child(el("p").nodes(rich_text(hint)))
        }))
        .maybe(prefill_label(step).map(|(label, _)| {
            el("button").class("small").testid("lesson-prefill").act("lesson-prefill", index.to_string()).text(label)
        }))
}
