//! The bottom dock: Terminal, Events and Inspector tabs.

use leptos::prelude::*;

use crate::ui::dom::{self, el, Element, Node};
use crate::ui::engine::Engine;
use crate::ui::state::Tab;
mod terminal;

use crate::session::edit::position_of;
use crate::session::HostOs;
use terminal::{draw_scrollback, perform_terminal, terminal_tree, History};

/// Tabbed panel under the editor and cluster view, drawn by `ui::dom`. The
/// terminal stays drawn while hidden (its scrollback and input survive a tab
/// switch); the events table and the Inspector only while shown.
#[component]
pub fn Dock() -> impl IntoView {
    let engine = expect_context::<Engine>();
    let active = engine.page.tab;
    // A memo: the dock redraws when the laptop changes, not at every tick of the session.
    let host = Memo::new(move |_| engine.sim.session.with(|s| s.terminal.host));
    let draw = move || {
        let current = active.get();
        let buttons = Tab::ALL.into_iter().enumerate().map(|(index, tab)| {
            el("button")
                .attr("role", "tab")
                .class("tab")
                .attr("aria-selected", (tab == current).to_string())
                .act("tab", index.to_string())
                .text(tab.label())
        });
        let page = match current {
            Tab::Terminal => None,
            Tab::Events => Some(engine.sim.snapshot.with(events_table)),
            Tab::Inspector => Some(inspector(engine)),
        };
        let body = el("div")
            .class("tab-body")
            .attr("role", "tabpanel")
            .child(
                el("div")
                    .class(if current == Tab::Terminal { "tab-page" } else { "tab-page hidden" })
                    .child(terminal_tree(engine)),
            )
            .maybe(page);
        vec![Node::Element(
            el("section")
                .class("pane dock")
                .attr("aria-label", "Terminal, events and inspector")
                .testid("dock")
                .child(dom::splitter("dock", "Dock height: up and down arrows resize"))
                .child(el("nav").class("tabs").attr("role", "tablist").children(buttons).child(host_picker(host.get())))
                .child(body),
        )]
    };
    let drawn = std::cell::RefCell::new(Vec::new());
    let then = move |root: &web_sys::Element| draw_scrollback(engine, root, &mut drawn.borrow_mut());
    let history = History::new();
    let perform = move |act: dom::Act| {
        if perform_terminal(engine, history, &act) {
            return;
        }
        match (act.event.as_str(), act.act.as_str()) {
            ("click", "tab") => {
                if let Some(tab) = act.arg.parse::<usize>().ok().and_then(|index| Tab::ALL.get(index)) {
                    active.set(*tab);
                }
            }
            ("change", "inspect") if !act.value.is_empty() => engine.page.selected.set(Some(act.value)),
            ("change", "host") => {
                if let Some(host) = HostOs::parse(&act.value) {
                    engine.set_host(host);
                }
            }
            ("click", "event") => show_source(engine, &act.arg),
            _ => {}
        }
    };
    dom::region_then("region", Box::new(draw), Box::new(then), std::rc::Rc::new(perform))
}

/// The laptop the terminal runs on: on macOS the node is reached only through
/// `minikube service`'s tunnels, on Linux its node ports answer directly.
fn host_picker(host: HostOs) -> Element {
    let options = HostOs::ALL.map(|os| el("option").attr("value", os.goos()).text(os.label()));
    el("label")
        .class("host-picker")
        .attr("title", "How minikube reaches the cluster depends on the laptop's system")
        .text("Laptop ")
        .child(el("select").testid("host-os").act("host", "").children(options).attr(".value", host.goos()))
}

/// Events newest first, in the columns of `kubectl get events`.
fn events_table(view: &crate::session::view::ClusterView) -> Element {
    if view.events.is_empty() {
        return el("p").class("empty-state").text(Tab::Events.empty_text());
    }
    let head = ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"].map(|title| el("th").text(title));
    let rows = view.events.iter().map(|e| {
        let seen = if e.count > 1 { format!("{} (x{})", e.age, e.count) } else { e.age.clone() };
        // The object is a button: it highlights the object and the manifest line behind the event.
        let object = el("button")
            .class("link mono")
            .attr("title", "Show this object, and the manifest line behind the event")
            .act("event", e.id.to_string())
            .text(e.object.clone());
        // Keyed by the event: when a newer event pushes the rows down, a row is drawn
        // anew rather than relabelled under the pointer (a click never lands on another event).
        el("tr")
            .class(if e.kind == "Warning" { "warning" } else { "" })
            .attr("data-key", e.id.to_string())
            .children([seen, e.kind.clone(), e.reason.clone()].map(|cell| el("td").text(cell)))
            .child(el("td").child(object))
            .child(el("td").text(e.message.clone()))
    });
    el("table")
        .class("events")
        .testid("events")
        .child(el("thead").child(el("tr").children(head)))
        .child(el("tbody").children(rows))
}

/// An event's object clicked: the cluster view highlights the object, and
/// the editor shows the line the event comes from (session::view EventView::source).
fn show_source(engine: Engine, id: &str) {
    let Some(event) = id
        .parse::<usize>()
        .ok()
        .and_then(|id| engine.sim.snapshot.with_untracked(|v| v.events.iter().find(|e| e.id == id).cloned()))
    else {
        return;
    };
    engine.page.selected.set(Some(event.object));
    let place = event.source.and_then(|(kind, name, field)| {
        engine.editor.manifest.with_untracked(|text| position_of(text, &kind, &name, &field))
    });
    if let Some(place) = place {
        engine.editor.focus_line.set(Some((place.line, place.column)));
    }
}

/// The chosen object as `kubectl get -o yaml` prints it, live (read-only: the
/// core runs the command on a copy of the cluster).
fn inspector(engine: Engine) -> Element {
    let selected = engine.page.selected.get();
    let objects = engine.sim.snapshot.with(|v| {
        let named =
            |kind: &str, names: Vec<&String>| names.into_iter().map(|n| format!("{kind}/{n}")).collect::<Vec<_>>();
        [
            named("statefulset", v.sets.iter().map(|s| &s.name).collect()),
            named("pod", v.pods.iter().map(|p| &p.name).collect()),
            named("pvc", v.claims.iter().map(|c| &c.name).collect()),
            named("service", v.services.iter().map(|s| &s.name).collect()),
        ]
        .concat()
    });
    let chooser = el("select")
        .attr("aria-label", "Object to inspect")
        .testid("inspect-object")
        .act("inspect", "")
        .child(el("option").attr("value", "").flag("disabled", true).text("Choose an object…"))
        .children(objects.into_iter().map(|object| el("option").attr("value", object.clone()).text(object)))
        .attr(".value", selected.clone().unwrap_or_default());
    let shown = match &selected {
        Some(object) => {
            // The object at the moment on screen (the scrubber may show the past).
            let yaml = engine.shown(|s| s.query(&format!("kubectl get {} -o yaml", object.replace('/', " "))));
            el("pre").class("mono").testid("inspector-yaml").text(yaml)
        }
        None => el("p").class("empty-state").text(Tab::Inspector.empty_text()),
    };
    el("div").class("inspector").testid("inspector").child(chooser).child(shown)
}
