//! The bottom dock: Terminal, Events and Inspector tabs.

use leptos::prelude::*;

use super::engine::Engine;
use super::terminal::TerminalPanel;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Terminal,
    Events,
    Inspector,
}

impl Tab {
    const ALL: [Tab; 3] = [Tab::Terminal, Tab::Events, Tab::Inspector];

    fn label(self) -> &'static str {
        match self {
            Tab::Terminal => "Terminal",
            Tab::Events => "Events",
            Tab::Inspector => "Inspector",
        }
    }

    /// What the tab shows before the cluster has anything to say.
    fn empty_text(self) -> &'static str {
        match self {
            Tab::Terminal => "kubectl and a small shell run here: kubectl get po,sts,svc,pvc, kubectl exec web-0 -- cat /data/visits, nslookup web-0.visits …",
            Tab::Events => "Controller and kubelet events (SuccessfulCreate, Pulled, Started …) appear here as the cluster runs.",
            Tab::Inspector => "Select a pod, claim or Service to inspect it (kubectl get pod NAME -o yaml works in the terminal meanwhile).",
        }
    }
}

/// Tabbed panel under the editor and cluster view.
#[component]
pub fn Dock() -> impl IntoView {
    let active = RwSignal::new(Tab::Terminal);
    view! {
        <section class="pane dock" aria-label="Terminal, events and inspector" data-testid="dock">
            <nav class="tabs" role="tablist">
                {Tab::ALL.into_iter().map(|tab| view! {
                    <button role="tab" class="tab"
                        aria-selected=move || (active.get() == tab).to_string()
                        on:click=move |_| active.set(tab)>
                        {tab.label()}
                    </button>
                }).collect_view()}
            </nav>
            <div class="tab-body" role="tabpanel">
                <div class="tab-page" class:hidden=move || active.get() != Tab::Terminal>
                    <TerminalPanel />
                </div>
                {move || (active.get() == Tab::Events).then(|| view! { <EventList /> })}
                {move || (active.get() == Tab::Inspector).then(|| view! { <p class="empty-state">{Tab::Inspector.empty_text()}</p> })}
            </div>
        </section>
    }
}

/// Events newest first, in the columns of `kubectl get events`.
#[component]
fn EventList() -> impl IntoView {
    let engine = expect_context::<Engine>();
    // A memo, so the table is rebuilt only when it appears or goes, not every tick.
    let empty = Memo::new(move |_| engine.snapshot.with(|v| v.events.is_empty()));
    view! {
        {move || if empty.get() {
            view! { <p class="empty-state">{Tab::Events.empty_text()}</p> }.into_any()
        } else {
            view! {
            <table class="events" data-testid="events">
                <thead><tr><th>"LAST SEEN"</th><th>"TYPE"</th><th>"REASON"</th><th>"OBJECT"</th><th>"MESSAGE"</th></tr></thead>
                <tbody>
                    {move || engine.snapshot.with(|v| v.events.iter().map(|e| view! {
                        <tr class=if e.kind == "Warning" { "warning" } else { "" }>
                            <td>{if e.count > 1 { format!("{} (x{})", e.age, e.count) } else { e.age.clone() }}</td>
                            <td>{e.kind.clone()}</td>
                            <td>{e.reason.clone()}</td>
                            <td>{e.object.clone()}</td>
                            <td>{e.message.clone()}</td>
                        </tr>
                    }).collect_view())}
                </tbody>
            </table>
            }.into_any()
        }}
    }
}
