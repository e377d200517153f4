//! The Leptos UI: a thin layer that renders what the core computes.
//! Data model first (what the page keeps), then the top-level component;
//! each panel lives in its own module with its pure helpers beside it.

mod cluster_view;
mod crash;
mod dock;
mod dom;
mod editor;
mod engine;
#[cfg(feature = "helm")]
mod files;
mod lessons;
mod share;
mod state;
mod storage;

use leptos::prelude::*;

use crate::session::samples::DEFAULT_MANIFEST;
use crate::session::Session;
use cluster_view::ClusterView;
use dock::Dock;
use dom::{el, Node};
use editor::ManifestEditor;
use engine::Engine;

/// localStorage key of the editor text, so a reload never loses work.
const MANIFEST_KEY: &str = "sts-playground.manifest";
/// localStorage key of the chosen colour theme ("light" or "dark").
const THEME_KEY: &str = "sts-playground.theme";

/// Mounts the app on `<body>`.
pub fn mount() {
    crash::install_panic_hook();
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    let manifest = RwSignal::new(storage::load(MANIFEST_KEY).unwrap_or_else(|| DEFAULT_MANIFEST.to_string()));
    Effect::new(move || storage::save(MANIFEST_KEY, &manifest.get()));
    let engine = Engine::new(manifest, Session::new(engine::SEED));
    provide_context(engine);
    // Each group of state is its own context too, for components that need only it.
    provide_context(engine.sim);
    provide_context(engine.editor);
    provide_context(engine.terminal);
    provide_context(engine.page);
    // A share link wins over the session saved by the last visit.
    let fragment = crate::session::Fragment::parse(&storage::location_hash());
    let saved_lesson = Engine::saved_lesson();
    let last_crash = crash::take_last_crash();
    match fragment.session.as_deref().map(Session::from_share_code) {
        Some(Ok(shared)) => engine.load(shared, true),
        Some(Err(message)) => engine
            .page
            .notice
            .set(Some(format!("This link could not be opened: {message}. Showing a fresh cluster instead."))),
        None if last_crash.is_some() => engine.page.notice.set(Some(
            "The last visit stopped on an internal error, so this cluster starts afresh from your manifest \
             (the session is not replayed)."
                .to_string(),
        )),
        None => {
            if let Some(saved) = Engine::restore_saved() {
                engine.load(saved, false);
            }
        }
    }
    // A session that ran helm replays only where the terminal has Helm: that page
    // opens the same address (a share link or a lesson in it included).
    // Nothing else is set up then: a lesson opened here could start the session
    // afresh (and save that) before the page goes.
    let leaving = !crate::session::HELM && engine.sim.session.with_untracked(Session::runs_helm);
    if leaving {
        engine.open_helm_page();
    } else if crate::session::HELM {
        engine.run_pending_line();
    }
    // The link has been opened: from now on a reload brings back this tab's
    // own work (autosaved), not the moment the link was made.
    if fragment.session.is_some() && !leaving {
        storage::replace_hash(&fragment.lesson.as_ref().map(|id| format!("lesson={id}")).unwrap_or_default());
    }
    if let Some(id) = fragment.lesson.filter(|_| !leaving) {
        let start = match saved_lesson {
            _ if fragment.session.is_some() => state::LessonStart::Shared,
            // A reload of the lesson the learner had open: carry on where they were.
            Some((saved_id, progress)) if saved_id == id => state::LessonStart::Resume(progress),
            _ => state::LessonStart::Fresh,
        };
        engine.fetch_lesson(id, start);
    }
    // A share link pasted into this tab's address bar changes only the
    // fragment: load it as a fresh page would (the session is saved).
    let _ = window_event_listener(leptos::ev::hashchange, |_| {
        let fragment = crate::session::Fragment::parse(&storage::location_hash());
        if fragment.session.is_some() || fragment.lesson.is_some() {
            storage::reload();
        }
    });
    // Save the clock's moment too when the page goes away (reload, tab closed).
    let _ = window_event_listener(leptos::ev::pagehide, move |_| engine.save());

    view! {
        <div class="app" data-testid="app" class:presenting=move || engine.page.presenting.get()>
            <Header />
            <main class="workspace" class:with-lesson=move || engine.page.lesson.with(Option::is_some)>
                <lessons::LessonPanel />
                <section class="pane editor-pane" aria-label="Manifest editor">
                    {editor_pane(manifest)}
                </section>
                <section class="pane cluster-pane" aria-label="Cluster view" data-testid="cluster-view">
                    <ClusterView />
                </section>
                <Dock />
            </main>
        </div>
    }
}

/// The editor pane: the manifest editor.
#[cfg(not(feature = "helm"))]
fn editor_pane(manifest: RwSignal<String>) -> impl IntoView {
    view! { <ManifestEditor text=manifest /> }
}

/// The editor pane on helm.html: the learner's files (a chart) above the manifest
/// editor, which a chosen file replaces.
#[cfg(feature = "helm")]
fn editor_pane(manifest: RwSignal<String>) -> impl IntoView {
    let open = expect_context::<Engine>().editor.open_file;
    view! {
        <files::FileTree />
        <div class="manifest-view" class:closed=move || open.with(Option::is_some)>
            <ManifestEditor text=manifest />
        </div>
        <files::FileEditor />
    }
}

/// The top bar: product name, lessons, share/export, presentation mode and
/// the theme switch (drawn by `ui::dom`).
#[component]
fn Header() -> impl IntoView {
    let engine = expect_context::<Engine>();
    // The learner's choice, else the system's.
    let dark = RwSignal::new(storage::load(THEME_KEY).map_or_else(storage::prefers_dark, |theme| theme == "dark"));
    Effect::new(move || {
        let theme = if dark.get() { "dark" } else { "light" };
        storage::set_root_theme(theme);
        storage::save(THEME_KEY, theme);
    });
    let link = RwSignal::new(None::<String>);
    let draw = move || {
        let is_dark = dark.get();
        let toggle = |act: &'static str, on: bool, text: &'static str| {
            el("button").class("ghost").testid(act).act(act, "").attr("aria-pressed", on.to_string()).text(text)
        };
        let bar = el("header")
            .class("topbar")
            .child(
                el("h1")
                    .class("brand")
                    .child(el("span").class("logo").attr("aria-hidden", "true"))
                    .text("StatefulSet Playground"),
            )
            .child(el("span").class("tagline").text("a simulated Kubernetes v1.32 cluster in your browser"))
            .child(lessons::lesson_picker())
            .nodes(share::share_nodes(link.get()))
            .child(
                toggle("present-toggle", engine.page.presenting.get(), "Present")
                    .attr("title", "Large type and high contrast for a projector"),
            )
            // One name; aria-pressed says whether it is on.
            .child(toggle("theme-toggle", is_dark, "Dark theme"));
        vec![Node::Element(bar)]
    };
    let perform = move |act: dom::Act| match (act.event.as_str(), act.act.as_str()) {
        ("change", "lesson-open") => lessons::open_from_picker(engine, &act),
        ("click", "present-toggle") => engine.page.presenting.update(|p| *p = !*p),
        ("click", "theme-toggle") => dark.update(|d| *d = !*d),
        ("click", other) => {
            share::perform_share(engine, link, other);
        }
        _ => {}
    };
    dom::region("region", Box::new(draw), std::rc::Rc::new(perform))
}
