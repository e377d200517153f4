//! The cluster view: the StatefulSet, a card per pod with its claim, the
//! Services with their ready endpoints. Drawn only from the engine snapshot.

use leptos::prelude::*;

use super::engine::Engine;
use crate::core::view::{ClaimView, PodView};

/// Speeds offered by the clock control: virtual milliseconds per wall second.
const SPEEDS: [(u64, &str); 6] = [(250, "0.25×"), (1000, "1×"), (2000, "2×"), (5000, "5×"), (10_000, "10×"), (20_000, "20×")];

#[component]
pub fn ClusterView() -> impl IntoView {
    let engine = expect_context::<Engine>();
    let snapshot = engine.snapshot;
    // A memo, so the view below is rebuilt only when emptiness changes, not every tick.
    let empty = Memo::new(move |_| snapshot.with(|v| v.sets.is_empty() && v.pods.is_empty()));
    view! {
        <header class="pane-title">
            <h2>"Cluster"</h2>
            <Clock />
            <span class="node-chip">"node: minikube"</span>
        </header>
        <div class="cluster-body">
            // Plain closures instead of <Show>: the same behaviour, less wasm.
            {move || if empty.get() {
                view! {
                    <div class="empty-state">
                        <p>"Pods, PersistentVolumeClaims, Services and DNS names of the simulated cluster are drawn here."</p>
                        <p class="hint">"Press Apply (Ctrl+Enter) to run the manifest on the left: a headless Service and a 3-replica StatefulSet with one claim per pod."</p>
                    </div>
                }.into_any()
            } else {
                view! { <Workloads /> }.into_any()
            }}
        </div>
    }
}

/// Play/pause, speed and the virtual clock.
#[component]
fn Clock() -> impl IntoView {
    let engine = expect_context::<Engine>();
    view! {
        <div class="clock" data-testid="clock">
            <button class="ghost" data-testid="play-pause" on:click=move |_| engine.playing.update(|p| *p = !*p)>
                {move || if engine.playing.get() { "Pause" } else { "Play" }}
            </button>
            <select data-testid="speed" aria-label="Simulation speed"
                on:change:target=move |ev| {
                    if let Ok(speed) = ev.target().value().parse::<u64>() { engine.speed.set(speed) }
                }>
                {SPEEDS.iter().map(|(speed, label)| view! {
                    <option value=speed.to_string() selected=*speed == 1000>{*label}</option>
                }).collect_view()}
            </select>
            <time class="clock-time" data-testid="clock-time">{move || engine.snapshot.with(|v| v.clock.clone())}</time>
            <button class="ghost small" data-testid="reset" title="Start over with an empty cluster" on:click=move |_| engine.reset()>"Reset"</button>
        </div>
    }
}

#[component]
fn Workloads() -> impl IntoView {
    let engine = expect_context::<Engine>();
    let snapshot = engine.snapshot;
    view! {
        {move || snapshot.with(|v| v.sets.iter().map(|set| view! {
            <div class="set-summary" data-testid="statefulset">
                <strong>{format!("statefulset/{}", set.name)}</strong>
                <span class="badge">{format!("READY {}", set.ready)}</span>
                <span class="muted">{set.policy.clone()}</span>
                <span class="muted">{set.strategy.clone()}</span>
                <span class="muted mono" title="update revision">{set.update_revision.clone()}</span>
            </div>
        }).collect_view())}
        <div class="pods" data-testid="pods">
            {move || snapshot.with(|v| v.pods.iter().map(|pod| {
                let claims: Vec<ClaimView> = v.claims.iter().filter(|c| pod.claims.contains(&c.name)).cloned().collect();
                view! { <PodCard pod=pod.clone() claims=claims /> }
            }).collect_view())}
        </div>
        <DetachedClaims />
        <Services />
    }
}

/// One pod: its name, STATUS, READY, RESTARTS, IP, revision, and its claims as disks.
#[component]
fn PodCard(
    /// The pod's row from the snapshot.
    pod: PodView,
    /// The claims it mounts.
    claims: Vec<ClaimView>,
) -> impl IntoView {
    let engine = expect_context::<Engine>();
    let name = pod.name.clone();
    let label = format!("Pod {}, {}, READY {}, revision {}", pod.name, pod.status, pod.ready, pod.revision);
    view! {
        <article class=format!("pod {}", pod.phase_class) aria-label=label data-testid="pod" data-pod=pod.name.clone()>
            <header>
                <strong class="mono">{pod.name.clone()}</strong>
                <span class="status" data-testid="pod-status">{pod.status.clone()}</span>
            </header>
            <dl>
                <dt>"READY"</dt><dd>{pod.ready.clone()}</dd>
                <dt>"RESTARTS"</dt><dd>{pod.restarts.clone()}</dd>
                <dt>"IP"</dt><dd class="mono" data-testid="pod-ip">{pod.ip.clone()}</dd>
                <dt>"REVISION"</dt><dd class=if pod.updated { "mono rev-new" } else { "mono rev-old" }>{pod.revision.clone()}</dd>
            </dl>
            {claims.into_iter().map(|claim| view! { <Disk claim=claim /> }).collect_view()}
            <button class="ghost small" on:click=move |_| engine.delete_pod(&name)>"Delete pod"</button>
        </article>
    }
}

/// A claim drawn as a disk, with the visit count stored on its volume.
#[component]
fn Disk(
    /// The claim's row from the snapshot.
    claim: ClaimView,
) -> impl IntoView {
    view! {
        <div class="disk" data-testid="claim" data-claim=claim.name.clone()>
            <span class="mono">{claim.name.clone()}</span>
            <span class="muted">{format!("{} {}", claim.status, claim.capacity)}</span>
            <span class="visits" data-testid="visits">{claim.visits.map_or("no visits yet".to_string(), |n| format!("visits: {n}"))}</span>
        </div>
    }
}

/// Claims whose pod is gone (scale-down): kept, and re-attached on scale-up (§4.9).
#[component]
fn DetachedClaims() -> impl IntoView {
    let engine = expect_context::<Engine>();
    let detached = move || engine.snapshot.with(|v| v.claims.iter().filter(|c| c.pod.is_none()).cloned().collect::<Vec<_>>());
    view! {
        {move || {
            let claims = detached();
            (!claims.is_empty()).then(|| view! {
                <h3 class="section">"Claims without a pod"</h3>
                <div class="detached">{claims.into_iter().map(|claim| view! { <Disk claim=claim /> }).collect_view()}</div>
            })
        }}
    }
}

/// Services, their ready endpoints, and buttons to send requests through them.
#[component]
fn Services() -> impl IntoView {
    let engine = expect_context::<Engine>();
    view! {
        <h3 class="section">"Services"</h3>
        <ul class="services">
            {move || engine.snapshot.with(|v| v.services.iter().map(|service| {
                let name = service.name.clone();
                let can_send = !service.ports.is_empty() && name != "kubernetes";
                view! {
                    <li data-testid="service">
                        <span class="mono">{format!("service/{}", service.name)}</span>
                        <span class="muted mono">{service.cluster_ip.clone()}</span>
                        <span class="muted">{format!("ready: {}", if service.ready.is_empty() { "none".to_string() } else { service.ready.join(", ") })}</span>
                        {can_send.then(|| view! {
                            <button class="small" data-testid="send-requests"
                                on:click=move |_| engine.send_requests(&name, 10)>"Send 10 requests"</button>
                        })}
                    </li>
                }
            }).collect_view())}
        </ul>
    }
}
