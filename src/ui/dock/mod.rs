//! The bottom dock: Terminal, Events and Inspector tabs, and the laptop the
//! terminal runs on. Leptos components with `view!`: the tabs and the event rows
//! are keyed `<For>` lists; the terminal stays mounted while hidden (its
//! scrollback and input survive a tab switch), the events table and the
//! Inspector only while shown.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::session::edit::position_of;
use crate::session::view::EventView;
use crate::session::HostOs;
use crate::ui::dom::Splitter;
use crate::ui::engine::Engine;
use crate::ui::state::Tab;

mod terminal;

use terminal::Terminal;

#[component]
pub fn Dock() -> impl IntoView {
    let engine = expect_context::<Engine>();
    let active = engine.page.tab;
    view! {
        <section class="pane dock" aria-label="Terminal, events and inspector" data-testid="dock">
            <Splitter pane="dock" label="Dock height: up and down arrows resize" />
            <nav class="tabs" role="tablist">
                // Three fixed tabs: not a list that changes, so no keyed <For>.
                {Tab::ALL.map(|tab| view! {
                    <button role="tab" class="tab" aria-selected=move || (active.get() == tab).to_string()
                        on:click=move |_| active.set(tab)>
                        {tab.label()}
                    </button>
                })}
                <HostPicker />
            </nav>
            <div class="tab-body" role="tabpanel">
                <div class="tab-page" class:hidden=move || active.get() != Tab::Terminal>
                    <Terminal />
                </div>
                {move || match active.get() {
                    Tab::Terminal => None,
                    Tab::Events => Some(view! { <EventsTable /> }.into_any()),
                    Tab::Inspector => Some(view! { <Inspector /> }.into_any()),
                }}
            </div>
        </section>
    }
}

/// The laptop the terminal runs on: on macOS the node is reached only through
/// `minikube service`'s tunnels, on Linux its node ports answer directly.
#[component]
fn HostPicker() -> impl IntoView {
    let engine = expect_context::<Engine>();
    // A memo: this redraws when the laptop changes, not at every tick of the session.
    let host = Memo::new(move |_| engine.sim.session.with(|s| s.terminal.host));
    view! {
        <label class="host-picker" title="How minikube reaches the cluster depends on the laptop's system">
            "Laptop "
            <select data-testid="host-os" prop:value=move || host.get().goos()
                on:change=move |event| {
                    if let Some(chosen) = HostOs::parse(&event_target_value(&event)) {
                        engine.set_host(chosen);
                    }
                }>
                {HostOs::ALL.map(|os| view! { <option value=os.goos()>{os.label()}</option> })}
            </select>
        </label>
    }
}

/// Events newest first, in the columns of `kubectl get events`. Rows are keyed by
/// event: when a newer event pushes them down, a row moves rather than being
/// relabelled under the pointer (a click never lands on another event).
#[component]
fn EventsTable() -> impl IntoView {
    let engine = expect_context::<Engine>();
    let events = Memo::new(move |_| engine.sim.snapshot.with(|v| v.events.clone()));
    // The table is made once events exist; then only its rows change.
    let empty = Memo::new(move |_| events.with(Vec::is_empty));
    let body = NodeRef::<leptos::html::Tbody>::new();
    // Several events arriving at once make tachys' keyed diff move every older row
    // (adjacent moves are grouped under the first one's "move in the DOM"), and a
    // moved element loses the keyboard focus: the row that had it gets it back.
    let event_ids = move || {
        if let Some(key) = body.get_untracked().and_then(|body| focused_row(&body)) {
            queue_microtask(move || refocus(body, &key));
        }
        events.with(|all| all.iter().map(|e| e.id).collect::<Vec<_>>())
    };
    move || {
        if empty.get() {
            return view! { <p class="empty-state">{Tab::Events.empty_text()}</p> }.into_any();
        }
        view! {
            <table class="events" data-testid="events">
                <thead>
                    <tr>
                        <th>"LAST SEEN"</th><th>"TYPE"</th><th>"REASON"</th><th>"OBJECT"</th><th>"MESSAGE"</th>
                    </tr>
                </thead>
                <tbody node_ref=body>
                    // Keyed by u64 as the terminal's lines are: both lists share one keyed diff.
                    <For each=event_ids key=|id| *id as u64 let:id>
                        <EventRow event=Memo::new(move |_| events.with(|all| all.iter().find(|e| e.id == id).cloned())) />
                    </For>
                </tbody>
            </table>
        }
        .into_any()
    }
}

/// The `data-key` of the row in `body` that has the keyboard focus.
fn focused_row(body: &web_sys::HtmlElement) -> Option<String> {
    let active = body.owner_document()?.active_element()?;
    if !body.contains(Some(&active)) {
        return None;
    }
    active.closest("tr").ok().flatten()?.get_attribute("data-key")
}

/// Puts the focus back on the button of the row keyed `key`, if it lost it.
fn refocus(body: NodeRef<leptos::html::Tbody>, key: &str) {
    let Some(body) = body.get_untracked() else { return };
    if focused_row(&body).is_some() {
        return;
    }
    let button = body.query_selector(&format!("tr[data-key='{key}'] button")).ok().flatten();
    if let Some(button) = button.and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = button.focus();
    }
}

/// One event, kept up to date in place (its age and count change); its object is a
/// button that highlights the object, and the manifest line behind the event.
#[component]
fn EventRow(event: Memo<Option<EventView>>) -> impl IntoView {
    let engine = expect_context::<Engine>();
    let field = move |read: fn(&EventView) -> String| move || event.with(|e| e.as_ref().map(read).unwrap_or_default());
    let seen = field(|e| if e.count > 1 { format!("{} (x{})", e.age, e.count) } else { e.age.clone() });
    view! {
        <tr class:warning=move || event.with(|e| e.as_ref().is_some_and(|e| e.kind == "Warning"))
            data-key=field(|e| e.id.to_string())>
            <td>{seen}</td>
            <td>{field(|e| e.kind.clone())}</td>
            <td>{field(|e| e.reason.clone())}</td>
            <td>
                <button class="link mono" title="Show this object, and the manifest line behind the event"
                    on:click=move |_| {
                        if let Some(shown) = event.get_untracked() {
                            show_source(engine, &shown);
                        }
                    }>
                    {field(|e| e.object.clone())}
                </button>
            </td>
            <td>{field(|e| e.message.clone())}</td>
        </tr>
    }
}

/// An event's object clicked: the cluster view highlights the object, and the
/// editor shows the line the event comes from (session::view EventView::source).
fn show_source(engine: Engine, event: &EventView) {
    engine.page.selected.set(Some(event.object.clone()));
    let place = event.source.as_ref().and_then(|(kind, name, field)| {
        engine.editor.manifest.with_untracked(|text| position_of(text, kind, name, field))
    });
    if let Some(place) = place {
        engine.editor.focus_line.set(Some((place.line, place.column)));
    }
}

/// The chosen object as `kubectl get -o yaml` prints it, live (read-only: the core
/// runs the command on a copy of the cluster).
#[component]
fn Inspector() -> impl IntoView {
    let engine = expect_context::<Engine>();
    let selected = engine.page.selected;
    let objects = Memo::new(move |_| {
        engine.sim.snapshot.with(|v| {
            let named =
                |kind: &str, names: Vec<&String>| names.into_iter().map(|n| format!("{kind}/{n}")).collect::<Vec<_>>();
            [
                named("statefulset", v.sets.iter().map(|s| &s.name).collect()),
                named("pod", v.pods.iter().map(|p| &p.name).collect()),
                named("pvc", v.claims.iter().map(|c| &c.name).collect()),
                named("service", v.services.iter().map(|s| &s.name).collect()),
            ]
            .concat()
        })
    });
    let yaml = move || {
        let object = selected.get()?;
        // Tracks the snapshot, so the YAML follows the cluster (and the scrubber).
        engine.sim.snapshot.track();
        Some(engine.shown(|s| s.query(&format!("kubectl get {} -o yaml", object.replace('/', " ")))))
    };
    view! {
        <div class="inspector" data-testid="inspector">
            <select aria-label="Object to inspect" data-testid="inspect-object"
                prop:value=move || selected.get().unwrap_or_default()
                on:change=move |event| {
                    let value = event_target_value(&event);
                    if !value.is_empty() {
                        selected.set(Some(value));
                    }
                }>
                <option value="" disabled>"Choose an object…"</option>
                <For each=move || objects.get() key=|object| object.clone() let:object>
                    <option value=object.clone()>{object.clone()}</option>
                </For>
            </select>
            {move || match yaml() {
                Some(text) => view! { <pre class="mono" data-testid="inspector-yaml">{text}</pre> }.into_any(),
                None => view! { <p class="empty-state">{Tab::Inspector.empty_text()}</p> }.into_any(),
            }}
        </div>
    }
}
