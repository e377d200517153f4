//! The cluster view: the StatefulSet with its spec controls, a card per pod
//! with its claim, the Services with their ready endpoints, the DNS names, and
//! the clock with its time scrubber. Drawn only from the engine snapshot.
//!
//! The body is built as plain data and patched into the page by `ui::dom`
//! (see there why); its buttons and selects carry `data-act`/`data-arg` and
//! one listener per event kind sends the action to the engine.

use leptos::prelude::*;

mod cards;
mod controls;
mod flight;

use cards::*;
use controls::*;
use flight::*;

use crate::ui::dom::{self, el, Node};
use crate::ui::engine::Engine;

/// A pod card's terminal actions: label and the command (`{}` is the pod).
const POD_COMMANDS: [(&str, &str); 3] =
    [("Describe", "kubectl describe pod {}"), ("Logs", "kubectl logs {}"), ("Shell", "kubectl exec -it {} -- sh")];

/// Speeds offered by the clock control: virtual milliseconds per wall second.
const SPEEDS: [(u64, &str); 6] =
    [(250, "0.25×"), (1000, "1×"), (2000, "2×"), (5000, "5×"), (10_000, "10×"), (20_000, "20×")];

#[component]
pub fn ClusterView() -> impl IntoView {
    let engine = expect_context::<Engine>();
    let draw = move || {
        let mut tree = vec![Node::Element(engine.sim.snapshot.with(|view| clock(engine, view)))];
        let selected = engine.page.selected.get();
        let traffic = engine.sim.session.with(|s| s.traffic.as_ref().map(|t| (t.target.clone(), t.per_second)));
        let chosen = engine.page.request_target.get();
        tree.push(Node::Element(el("div").class("cluster-body").nodes(engine.sim.snapshot.with(|view| {
            // The layers the Services' wires and the request dots are drawn in
            // (`draw_wires`, `fly_requests`).
            let mut body = vec![
                Node::Element(el("div").class("wires").attr("aria-hidden", "true").attr("data-own", "")),
                Node::Element(el("div").class("flights").attr("aria-hidden", "true").attr("data-own", "")),
            ];
            body.extend(body_of(view, selected.as_deref()));
            if !view.sets.is_empty() {
                // The traffic controls and lane go under the set's controls.
                let at = (2 + view.sets.len() * 2).min(body.len());
                body.insert(at, Node::Element(traffic_panel(view, chosen.as_deref(), traffic.as_ref())));
            }
            body
        }))));
        tree
    };
    let flown = std::cell::RefCell::new(Vec::new());
    let wired = std::rc::Rc::new(std::cell::RefCell::new(Wired::default()));
    let then = move |root: &web_sys::Element| {
        fly_requests(engine, root, &mut flown.borrow_mut());
        draw_wires(engine, root, wired.clone());
    };
    dom::region_then(
        "region",
        Box::new(draw),
        Box::new(then),
        std::rc::Rc::new(move |act: dom::Act| perform(engine, act)),
    )
}
