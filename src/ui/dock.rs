//! The bottom dock: Terminal, Events and Inspector tabs.

use leptos::prelude::*;

use super::engine::Engine;
use super::terminal::TerminalPanel;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Tab {
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
            Tab::Inspector => "Choose an object above (or press Inspect on a pod card) to see it as kubectl get -o yaml prints it, live.",
        }
    }
}

/// Tabbed panel under the editor and cluster view.
#[component]
pub fn Dock() -> impl IntoView {
    let engine = expect_context::<Engine>();
    let active = engine.tab;
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
                {move || (active.get() == Tab::Inspector).then(|| view! { <Inspector /> })}
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

/// The chosen object as `kubectl get -o yaml` prints it, live (read-only:
/// the core runs the command on a copy of the cluster).
#[component]
fn Inspector() -> impl IntoView {
    let engine = expect_context::<Engine>();
    let objects = Memo::new(move |_| engine.snapshot.with(|v| {
        let named = |kind: &str, names: Vec<&String>| names.into_iter().map(|n| format!("{kind}/{n}")).collect::<Vec<_>>();
        [
            named("statefulset", v.sets.iter().map(|s| &s.name).collect()),
            named("pod", v.pods.iter().map(|p| &p.name).collect()),
            named("pvc", v.claims.iter().map(|c| &c.name).collect()),
            named("service", v.services.iter().map(|s| &s.name).collect()),
        ]
        .concat()
    }));
    let yaml = Memo::new(move |_| {
        engine.snapshot.track();
        let selected = engine.selected.get()?;
        let command = format!("kubectl get {} -o yaml", selected.replace('/', " "));
        Some(engine.session.with_untracked(|s| s.query(&command)))
    });
    view! {
        <div class="inspector" data-testid="inspector">
            <select aria-label="Object to inspect" data-testid="inspect-object"
                on:change:target=move |ev| engine.selected.set(Some(ev.target().value()))>
                <option value="" disabled=true selected=move || engine.selected.with(Option::is_none)>"Choose an object…"</option>
                {move || objects.get().into_iter().map(|object| view! {
                    <option selected=engine.selected.with_untracked(|s| s.as_deref() == Some(object.as_str())) value=object.clone()>{object.clone()}</option>
                }).collect_view()}
            </select>
            {move || match yaml.get() {
                Some(text) => view! { <pre class="mono" data-testid="inspector-yaml">{text}</pre> }.into_any(),
                None => view! { <p class="empty-state">{Tab::Inspector.empty_text()}</p> }.into_any(),
            }}
        </div>
    }
}
