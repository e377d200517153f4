//! The Leptos UI: a thin layer that renders what the core computes.
//! Data model first (what the page keeps), then the top-level component;
//! each panel lives in its own module with its pure helpers beside it.

mod cluster_view;
mod dock;
mod editor;
mod engine;
mod storage;
mod terminal;

use leptos::prelude::*;

use crate::core::samples::DEFAULT_MANIFEST;
use cluster_view::ClusterView;
use dock::Dock;
use editor::ManifestEditor;
use engine::Engine;

/// localStorage key of the editor text, so a reload never loses work.
const MANIFEST_KEY: &str = "sts-playground.manifest";
/// localStorage key of the chosen colour theme ("light" or "dark").
const THEME_KEY: &str = "sts-playground.theme";

/// Mounts the app on `<body>`.
pub fn mount() {
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    let manifest = RwSignal::new(storage::load(MANIFEST_KEY).unwrap_or_else(|| DEFAULT_MANIFEST.to_string()));
    Effect::new(move || storage::save(MANIFEST_KEY, &manifest.get()));
    provide_context(Engine::new());

    view! {
        <div class="app" data-testid="app">
            <Header />
            <main class="workspace">
                <section class="pane editor-pane" aria-label="Manifest editor">
                    <ManifestEditor text=manifest />
                </section>
                <section class="pane cluster-pane" aria-label="Cluster view" data-testid="cluster-view">
                    <ClusterView />
                </section>
                <Dock manifest=manifest />
            </main>
        </div>
    }
}

/// The top bar: product name and the theme switch.
#[component]
fn Header() -> impl IntoView {
    let dark = RwSignal::new(storage::load(THEME_KEY).as_deref() == Some("dark"));
    Effect::new(move || {
        let theme = if dark.get() { "dark" } else { "light" };
        storage::set_root_theme(theme);
        storage::save(THEME_KEY, theme);
    });
    view! {
        <header class="topbar">
            <h1 class="brand">
                <span class="logo" aria-hidden="true"></span>
                "StatefulSet Playground"
            </h1>
            <span class="tagline">"a simulated Kubernetes v1.32 cluster in your browser"</span>
            <button class="ghost" data-testid="theme-toggle"
                aria-pressed=move || dark.get().to_string()
                on:click=move |_| dark.update(|d| *d = !*d)>
                {move || if dark.get() { "Light theme" } else { "Dark theme" }}
            </button>
        </header>
    }
}
