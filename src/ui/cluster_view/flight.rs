//! Requests in flight: a dot per request from the traffic controls through its
//! Service to the pod that answered, placed from measured points; and the wires
//! from each Service to its ready endpoints' cards.

use super::*;
use crate::ui::dom::{self};
use crate::ui::engine::Engine;

/// Sends a dot for each request not flown yet (`flown`: their ids) from the
/// traffic controls through its Service's row to the visit count of the pod that
/// answered (a refused request stops short, in red). The three points are
/// measured on the page as it is drawn now and handed to the CSS animation.
pub(super) fn fly_requests(engine: Engine, root: &web_sys::Element, flown: &mut Vec<u64>) {
    use wasm_bindgen::JsCast;
    let Some(layer) = dom::find(root, ".flights") else { return };
    let Some(body) = layer.parent_element() else { return };
    let requests = engine.sim.snapshot.with(|view| view.requests.clone());
    // Dots of requests no longer listed (older ones, or the scrubber went back) go.
    let children = layer.children();
    for index in (0..children.length()).rev() {
        if let Some(dot) = children.item(index) {
            if !requests.iter().any(|r| dot.get_attribute("data-id") == Some(r.id.to_string())) {
                dot.remove();
            }
        }
    }
    let fresh: Vec<_> = requests.iter().rev().filter(|r| !flown.contains(&r.id)).collect();
    *flown = requests.iter().map(|r| r.id).collect();
    // Nothing new to fly: no measuring (it would force a layout on every tick).
    if fresh.is_empty() {
        return;
    }
    let origin = body.get_bounding_client_rect();
    let center = |rect: web_sys::DomRect| point_in(&body, &origin, &rect, 0.5, 0.5);
    let rect = |selector: &str| dom::find(root, selector).map(|element| element.get_bounding_client_rect());
    let view_height =
        web_sys::window().and_then(|w| w.inner_height().ok()).and_then(|h| h.as_f64()).unwrap_or(f64::MAX);
    // Each place is measured once per draw (a burst of ten goes to few places).
    let mut measured: Vec<(String, Option<(f64, f64)>)> = Vec::new();
    let mut point = |selector: String| {
        if let Some((_, at)) = measured.iter().find(|(known, _)| *known == selector) {
            return *at;
        }
        let at = rect(&selector).map(|card| {
            // A pod card out of view has its contents skipped (content-visibility):
            // its own box will do, measuring inside would lay the card out.
            let inside = (selector.starts_with("[data-pod") && card.bottom() > 0.0 && card.top() < view_height)
                .then(|| rect(&format!("{selector} .visits")))
                .flatten();
            center(inside.unwrap_or(card))
        });
        measured.push((selector, at));
        at
    };
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    // Every dot leaves from the traffic controls.
    let from = point(".traffic select".into());
    for (batch, request) in fresh.into_iter().enumerate() {
        let Some(from) = from else { break };
        let via = request.service.as_ref().and_then(|s| point(format!("[data-service=\"{s}\"]")));
        let to = request.pod.as_ref().and_then(|p| point(format!("[data-pod=\"{p}\"]")));
        let refused = request.status.is_none() || to.is_none();
        let via = via.or(to).unwrap_or(from);
        let to = if refused { via } else { to.unwrap_or(via) };
        let Some(dot) = document.create_element("div").ok().and_then(|d| d.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            return;
        };
        dot.set_class_name(if refused { "flying-dot refused" } else { "flying-dot" });
        let _ = dot.set_attribute("data-id", &request.id.to_string());
        let _ = dot.set_attribute("data-to", request.pod.as_deref().unwrap_or_default());
        // Custom properties through the style object (the CSP forbids style attributes).
        for (name, value) in
            [("--x0", from.0), ("--y0", from.1), ("--x1", via.0), ("--y1", via.1), ("--x2", to.0), ("--y2", to.1)]
        {
            let _ = dot.style().set_property(name, &format!("{}px", value as i64));
        }
        // Requests sent together leave one after another rather than as one dot.
        let _ = dot.style().set_property("animation-delay", &format!("{}ms", batch * 120));
        let _ = layer.append_child(&dot);
    }
}

/// A point of `rect` (`x`, `y`: fractions of its width and height) in the
/// coordinates of the cluster body's own layers (`origin`: the body's rect).
pub(super) fn point_in(
    body: &web_sys::Element,
    origin: &web_sys::DomRect,
    rect: &web_sys::DomRect,
    x: f64,
    y: f64,
) -> (f64, f64) {
    (
        rect.x() + rect.width() * x - origin.x() + f64::from(body.scroll_left()),
        rect.y() + rect.height() * y - origin.y() + f64::from(body.scroll_top()),
    )
}

/// What the wires were last drawn for, and each wire's place (whole pixels,
/// tenths of a degree), so a redraw touches only the wires that moved.
#[derive(Default)]
pub(super) struct Wired {
    /// A hash of the endpoints and the body's size; 0 before the first drawing.
    drawn_for: u64,
    places: Vec<(String, [i64; 4])>,
    /// A measuring is already asked for the next frame.
    pending: bool,
}

/// A wire from each Service's row to the card of every ready endpoint (§6.2;
/// a pod that is not ready gets none: it is outside the endpoint set). Measured
/// in the next frame, when the page is laid out anyway, and only when the
/// endpoints or the body's size changed; only the wires that moved are touched.
pub(super) fn draw_wires(engine: Engine, root: &web_sys::Element, wired: std::rc::Rc<std::cell::RefCell<Wired>>) {
    let Some(layer) = dom::find(root, ".wires") else { return };
    if std::mem::replace(&mut wired.borrow_mut().pending, true) {
        return;
    }
    request_animation_frame(move || {
        wired.borrow_mut().pending = false;
        let Some(body) = layer.parent_element() else { return };
        let origin = body.get_bounding_client_rect();
        // FNV-1a over the endpoints and the size: no allocation on a tick that changed nothing.
        let mut hash: u64 =
            0xcbf2_9ce4_8422_2325 ^ (origin.width() as u64) << 20 ^ u64::from(body.scroll_height().unsigned_abs());
        engine.sim.snapshot.with_untracked(|view| {
            for service in &view.services {
                for text in std::iter::once(&service.name).chain(&service.ready) {
                    for byte in text.bytes().chain([0]) {
                        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
                    }
                }
            }
        });
        if wired.borrow().drawn_for == hash {
            return;
        }
        let rect = |selector: String| {
            body.query_selector(&selector).ok().flatten().map(|element| element.get_bounding_client_rect())
        };
        // From the Service's row (its left end) to the bottom of the pod's card,
        // in whole pixels and tenths of a degree (integer formatting only: float
        // formatting would add ~5 KiB of wasm).
        let places: Vec<(String, [i64; 4])> = engine.sim.snapshot.with_untracked(|view| {
            view.services
                .iter()
                .flat_map(|service| service.ready.iter().map(move |pod| (service, pod)))
                .filter_map(|(service, pod)| {
                    let from =
                        point_in(&body, &origin, &rect(format!("[data-service=\"{}\"]", service.name))?, 0.0, 0.5);
                    let to = point_in(&body, &origin, &rect(format!("[data-pod=\"{pod}\"]"))?, 0.5, 1.0);
                    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
                    let place = [
                        from.0 as i64,
                        from.1 as i64,
                        dx.hypot(dy) as i64,
                        (dy.atan2(dx).to_degrees() * 10.0).round() as i64,
                    ];
                    Some((format!("{} {pod}", service.name), place))
                })
                .collect()
        });
        let mut wired = wired.borrow_mut();
        if !set_wires(&layer, &places, &wired.places) {
            return;
        }
        wired.places = places;
        wired.drawn_for = hash;
    });
}

/// Brings the wires layer in line with `places`, touching only the wires whose
/// place differs from `before`; false if an element could not be made.
pub(super) fn set_wires(
    layer: &web_sys::Element,
    places: &[(String, [i64; 4])],
    before: &[(String, [i64; 4])],
) -> bool {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return false };
    let children = layer.children();
    while children.length() > places.len() as u32 {
        if let Some(last) = layer.last_element_child() {
            last.remove();
        }
    }
    for (index, (ends, place)) in places.iter().enumerate() {
        let wire = match children.item(index as u32) {
            Some(_) if before.get(index).is_some_and(|(drawn, at)| drawn == ends && at == place) => continue,
            Some(wire) => wire,
            None => match document.create_element("div") {
                Ok(wire) => {
                    wire.set_class_name("wire");
                    let _ = layer.append_child(&wire);
                    wire
                }
                Err(_) => return false,
            },
        };
        let _ = wire.set_attribute("data-ends", ends);
        if let Some(style) = wire.dyn_ref::<web_sys::HtmlElement>().map(web_sys::HtmlElement::style) {
            // Through the style object: the page's CSP forbids style attributes.
            let [x, y, length, tenths] = *place;
            for (name, value) in [
                ("--x", format!("{x}px")),
                ("--y", format!("{y}px")),
                ("--length", format!("{length}px")),
                ("--angle", format!("calc({tenths}deg / 10)")),
            ] {
                let _ = style.set_property(name, &value);
            }
        }
    }
    true
}
