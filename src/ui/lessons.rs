//! The lesson picker and panel: goal, steps that turn green as the core's
//! checks hold, hints on demand, prefill buttons, the "why" of each finished
//! step and the closing question. All checking is the core's (core::lessons).

use leptos::prelude::*;

use super::engine::Engine;
use crate::core::lessons::{self, Do, Step};

/// Splits lesson text into prose, `inline code` and ```code blocks```, so no
/// lesson text ever reaches innerHTML.
fn rich_text(text: &str) -> impl IntoView {
    let text = text.replace("**", "");
    let mut parts = Vec::new();
    for (block_index, block) in text.split("```").enumerate() {
        if block_index % 2 == 1 {
            parts.push(view! { <pre class="lesson-code">{block.trim_matches('\n').to_string()}</pre> }.into_any());
            continue;
        }
        for (index, piece) in block.split('`').enumerate() {
            if index % 2 == 1 {
                parts.push(view! { <code>{piece.to_string()}</code> }.into_any());
            } else if !piece.is_empty() {
                parts.push(piece.to_string().into_any());
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
        _ => None,
    })
}

/// The header's lesson menu (the index only: a lesson's text is fetched when opened).
#[component]
pub fn LessonPicker() -> impl IntoView {
    let engine = expect_context::<Engine>();
    view! {
        <select class="lesson-picker" data-testid="lesson-picker" aria-label="Open a lesson"
            on:change:target=move |ev| {
                let id = ev.target().value();
                if !id.is_empty() {
                    super::storage::replace_hash(&format!("lesson={id}"));
                    engine.fetch_lesson(id, super::engine::LessonStart::Fresh);
                }
                ev.target().set_value("");
            }>
            <option value="" selected=true>"Lessons…"</option>
            {lessons::LESSON_INDEX.iter().enumerate().map(|(n, (_, id, title))| view! {
                <option value=*id>{format!("{}. {title}", n + 1)}</option>
            }).collect_view()}
        </select>
    }
}

/// The open lesson beside the playground.
#[component]
pub fn LessonPanel() -> impl IntoView {
    let engine = expect_context::<Engine>();
    // Rebuilt only when the lesson or its progress changes, not every tick.
    let state = Memo::new(move |_| engine.lesson.with(|o| o.as_ref().map(|o| (o.lesson.id.clone(), o.progress.current()))));
    move || {
        state.get()?;
        let open = engine.lesson.get_untracked()?;
        let lesson = open.lesson;
        let current = open.progress.current();
        let complete = current >= lesson.steps.len();
        Some(view! {
            <aside class="pane lesson-pane" aria-label="Lesson" data-testid="lesson">
                <header class="pane-title">
                    <h2>{lesson.title.clone()}</h2>
                    <button class="ghost small" data-testid="lesson-restart" title="A fresh cluster and the lesson's first manifest"
                        on:click={
                            let lesson = lesson.clone();
                            move |_| engine.open_lesson(lesson.clone())
                        }>"Restart"</button>
                    <button class="ghost small" aria-label="Close the lesson" on:click=move |_| {
                        engine.close_lesson();
                        super::storage::replace_hash("");
                    }>"Close"</button>
                </header>
                <div class="lesson-body">
                    <p class="goal">{rich_text(&lesson.goal)}</p>
                    <p class="muted" data-testid="lesson-progress">{format!("{} of {} steps done", current.min(lesson.steps.len()), lesson.steps.len())}</p>
                    <ol class="steps">
                        {lesson.steps.iter().enumerate().map(|(index, step)| {
                            let state = if index < current { "done" } else if index == current { "current" } else { "todo" };
                            view! {
                                <li class=format!("step {state}") data-testid="lesson-step" data-state=state
                                    aria-current=(index == current).then_some("step")>
                                    <strong>{if index < current { "✓ " } else { "" }}{step.title.clone()}</strong>
                                    {(index == current).then(|| view! { <CurrentStep step=step.clone() /> }.into_any())}
                                    {(index < current).then(|| view! { <p class="why" data-testid="lesson-why">{rich_text(&step.why)}</p> }.into_any())}
                                </li>
                            }.into_any()
                        }).collect_view()}
                    </ol>
                    {complete.then(|| view! {
                        <section class="question" data-testid="lesson-question">
                            <p><strong>"Question: "</strong>{rich_text(&lesson.question)}</p>
                            <details><summary>"What the simulation showed"</summary><p>{rich_text(&lesson.answer)}</p></details>
                        </section>
                    }.into_any())}
                </div>
            </aside>
        }.into_any())
    }
}

/// The step being worked on: its text, the hint on demand and a prefill button.
#[component]
fn CurrentStep(
    /// The step from the lesson file.
    step: Step,
) -> impl IntoView {
    let engine = expect_context::<Engine>();
    let prefill = prefill_label(&step);
    view! {
        <div class="step-text">{rich_text(&step.text)}</div>
        {step.hint.as_ref().map(|hint| view! { <details class="hint"><summary>"Hint"</summary><p>{rich_text(hint)}</p></details> })}
        {prefill.map(|(label, item)| view! {
            <button class="small" data-testid="lesson-prefill" on:click=move |_| engine.prefill(&item)>{label}</button>
        })}
    }
}
