//! Share links and export: the URL fragment carries the session (compressed by
//! the core) and optionally a lesson; Export offers the session as a shell
//! script for a real cluster. Drawn by `ui::dom` in the header's region.

use leptos::prelude::*;

use super::dom::{el, Node};
use super::engine::Engine;
use super::storage;
use crate::session::{percent_encode, Session};

/// Export's file name.
const SCRIPT_NAME: &str = "statefulset-session.sh";

/// Share (a link that reproduces this exact state) and Export (a shell
/// script), with the link once made. Drawn in the header's region.
pub fn share_nodes(link: Option<String>) -> Vec<Node> {
    let mut tree = vec![
        Node::Element(
            el("button")
                .class("ghost")
                .testid("share")
                .attr("title", "A link that reproduces this exact cluster, with no server")
                .act("share", "")
                .text("Share"),
        ),
        Node::Element(
            el("a")
                .class("button ghost")
                .testid("export")
                .attr("download", SCRIPT_NAME)
                .attr("href", "#")
                .attr("title", "The session as kubectl commands to replay on a real cluster")
                .act("export", "")
                .text("Export"),
        ),
    ];
    if let Some(url) = link {
        tree.push(Node::Element(
            el("div")
                .class("share-link")
                .attr("role", "dialog")
                .attr("aria-label", "Share link")
                .child(
                    el("label")
                        .text("Copy this link: ")
                        .child(el("input").attr("readonly", "").testid("share-link").attr(".value", url)),
                )
                .child(el("button").class("ghost small").act("close-link", "").text("Close")),
        ));
    }
    tree
}

/// The share controls' actions; false if `act` is not one of them.
pub fn perform_share(engine: Engine, link: RwSignal<Option<String>>, act: &str) -> bool {
    match act {
        "share" => {
            // The moment on screen: a past the scrubber shows is what gets shared.
            let code = engine.shown(Session::to_share_code);
            let lesson = engine
                .page
                .lesson
                .with_untracked(|o| o.as_ref().map(|o| format!("lesson={}&", o.lesson.id)))
                .unwrap_or_default();
            let fragment = format!("{lesson}s={code}");
            // Shown to copy, not put in the address bar: a reload of this tab
            // would otherwise go back to this moment and drop later work.
            link.set(Some(format!("{}#{fragment}", storage::location_without_hash())));
            // Focused and selected once drawn, ready for Ctrl+C.
            super::dom::focus_when_drawn("[data-testid=share-link]", true);
        }
        // The script is made when clicked (a data: URL, nothing leaves the
        // page); the link's own navigation then downloads it.
        "export" => {
            let script = engine.sim.session.with_untracked(|s| s.to_shell_script());
            let export = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.query_selector("[data-testid=export]").ok().flatten());
            if let Some(export) = export {
                let _ =
                    export.set_attribute("href", &format!("data:text/plain;charset=utf-8,{}", percent_encode(&script)));
            }
        }
        "close-link" => link.set(None),
        _ => return false,
    }
    true
}
