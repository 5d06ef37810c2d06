/*
 * Essaim — Leaflet maps (progressive enhancement).
 *
 * Load with `defer`, after leaflet.js and (optionally)
 * leaflet.markercluster.js. Does nothing if Leaflet is missing: the list
 * rendered next to each map by the template stays the accessible
 * alternative.
 *
 * Markup:
 *   <div class="map" data-map data-points="points-id" aria-label="…"
 *        data-cluster="true"
 *        data-tiles-url="" data-tiles-attribution=""></div>
 *   <script type="application/json" id="points-id">
 *     [{"lat": 48.85, "lon": 2.35, "label": "…", "url": "/…", "detail": "…"}]
 *   </script>
 *
 * Without data-tiles-url no tile layer is added: the markers are drawn on
 * the plain background, so maps work offline. Markers are circle markers
 * (SVG), so no image is requested.
 *
 * Public API: window.EssaimMap.init(root) — initialises every [data-map]
 * inside root (or root itself). Called on DOMContentLoaded for document and
 * on htmx:afterSwap for the swapped target. Initialised elements carry
 * data-map-ready and are skipped.
 */
(function () {
  "use strict";

  const FRANCE_CENTER = [46.6, 2.4];
  const FRANCE_ZOOM = 5;
  const FIT_MAX_ZOOM = 13;          // do not zoom too close on one point
  const MAX_ZOOM = 18;              // required by markercluster without tiles
  const DEFAULT_BRAND = "#1f4e79";
  const OUTLINE = "#1e1e1e";        // marker outline, visible on any brand colour

  // Maps created by this script, so stale copies (e.g. restored from the
  // htmx history cache with data-map-ready but no live map) can be rebuilt.
  const live = new WeakMap();

  function reducedMotion() {
    return Boolean(
      window.matchMedia &&
        window.matchMedia("(prefers-reduced-motion: reduce)").matches
    );
  }

  /* Read and validate the JSON array of points referenced by data-points. */
  function readPoints(el) {
    const id = el.getAttribute("data-points");
    if (!id) {
      return [];
    }
    const script = document.getElementById(id);
    if (!script) {
      return [];
    }
    let data;
    try {
      data = JSON.parse(script.textContent || "[]");
    } catch (err) {
      if (window.console) {
        console.warn("EssaimMap: invalid JSON in #" + id, err);
      }
      return [];
    }
    if (!Array.isArray(data)) {
      return [];
    }
    return data.filter(function (p) {
      return (
        p !== null &&
        typeof p === "object" &&
        Number.isFinite(p.lat) &&
        Number.isFinite(p.lon) &&
        Math.abs(p.lat) <= 90 &&
        Math.abs(p.lon) <= 180
      );
    });
  }

  /* Only http(s) and same-site relative URLs become links. */
  function safeUrl(url) {
    if (typeof url !== "string" || url.trim() === "") {
      return null;
    }
    try {
      const parsed = new URL(url, document.baseURI);
      if (parsed.protocol === "http:" || parsed.protocol === "https:") {
        return url.trim();
      }
    } catch (err) {
      // fall through
    }
    return null;
  }

  /* Popup content built with DOM nodes and textContent only. */
  function popupContent(point) {
    const box = document.createElement("div");
    box.className = "map-popup";
    const title = document.createElement("p");
    title.className = "map-popup-title";
    const label = typeof point.label === "string" ? point.label : "";
    const href = safeUrl(point.url);
    if (href) {
      const link = document.createElement("a");
      link.href = href;
      link.textContent = label;
      title.appendChild(link);
    } else {
      const strong = document.createElement("strong");
      strong.textContent = label;
      title.appendChild(strong);
    }
    box.appendChild(title);
    if (typeof point.detail === "string" && point.detail !== "") {
      const detail = document.createElement("p");
      detail.className = "map-popup-detail";
      detail.textContent = point.detail;
      box.appendChild(detail);
    }
    return box;
  }

  /* Attribution is treated as plain text (Leaflet inserts it as HTML). */
  function escapeText(text) {
    const span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  /* Remove Leaflet markup left in a node that has no live map. */
  function resetStale(el) {
    el.querySelectorAll(".leaflet-pane, .leaflet-control-container").forEach(
      function (node) {
        node.remove();
      }
    );
    Array.from(el.classList).forEach(function (cls) {
      if (cls.indexOf("leaflet-") === 0) {
        el.classList.remove(cls);
      }
    });
    el.removeAttribute("data-map-ready");
  }

  function createMap(el) {
    const L = window.L;
    const animate = !reducedMotion();

    const map = L.map(el, {
      minZoom: 2,
      maxZoom: MAX_ZOOM,
      scrollWheelZoom: false,        // do not trap page scrolling
      zoomAnimation: animate,
      fadeAnimation: animate,
      markerZoomAnimation: animate,
      zoomControl: false,            // re-added below with the page's language
    });
    // Zoom buttons named in the page's language (data-zoom-in / data-zoom-out, translated by the template).
    L.control.zoom({
      zoomInTitle: el.getAttribute("data-zoom-in") || "Zoom in",
      zoomOutTitle: el.getAttribute("data-zoom-out") || "Zoom out",
    }).addTo(map);
    try {
      populate(L, el, map, animate);
    } catch (err) {
      map.remove();                  // leave the element reusable
      throw err;
    }

    // Leaflet gives the container tabindex="0"; keep it, add a landmark
    // role and keep the aria-label provided by the template.
    if (!el.hasAttribute("tabindex")) {
      el.setAttribute("tabindex", "0");
    }
    el.setAttribute("role", "region");
    return map;
  }

  /* Tiles (optional), markers, and initial view. */
  function populate(L, el, map, animate) {
    const brand =
      window.getComputedStyle(el).getPropertyValue("--brand").trim() ||
      DEFAULT_BRAND;

    const tilesUrl = (el.getAttribute("data-tiles-url") || "").trim();
    if (tilesUrl) {
      L.tileLayer(tilesUrl, {
        attribution: escapeText(el.getAttribute("data-tiles-attribution") || ""),
        maxZoom: MAX_ZOOM,
      }).addTo(map);
    }

    const useCluster =
      el.getAttribute("data-cluster") === "true" &&
      typeof L.markerClusterGroup === "function";
    const layer = useCluster
      ? L.markerClusterGroup({
          showCoverageOnHover: false,
          animate: animate,
          animateAddingMarkers: false,
        })
      : L.featureGroup();

    const points = readPoints(el);
    points.forEach(function (point) {
      L.circleMarker([point.lat, point.lon], {
        radius: 6,
        color: OUTLINE,
        weight: 1.5,
        fillColor: brand,
        fillOpacity: 0.9,
      })
        .bindPopup(popupContent(point))
        .addTo(layer);
    });
    layer.addTo(map);

    if (points.length) {
      const bounds = L.latLngBounds(
        points.map(function (p) {
          return [p.lat, p.lon];
        })
      );
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: FIT_MAX_ZOOM });
    } else {
      map.setView(FRANCE_CENTER, FRANCE_ZOOM);
    }
  }

  function init(root) {
    if (!window.L || typeof window.L.map !== "function") {
      return; // Leaflet not loaded: keep the static alternative
    }
    const scope = root && root.querySelectorAll ? root : document;
    const elements = Array.from(scope.querySelectorAll("[data-map]"));
    if (scope.matches && scope.matches("[data-map]")) {
      elements.unshift(scope);
    }
    elements.forEach(function (el) {
      if (el.hasAttribute("data-map-ready")) {
        if (live.has(el)) {
          return; // already initialised
        }
        resetStale(el);
      }
      try {
        live.set(el, createMap(el));
        el.setAttribute("data-map-ready", "");
      } catch (err) {
        if (window.console) {
          console.warn("EssaimMap: could not initialise map", err);
        }
      }
    });
  }

  window.EssaimMap = { init: init };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      init(document);
    });
  } else {
    init(document);
  }

  // htmx partial updates: initialise maps in the swapped target. With an
  // outerHTML swap the old target is detached, so scan the whole document
  // (maps already initialised are skipped).
  document.addEventListener("htmx:afterSwap", function (evt) {
    const target = evt.detail && evt.detail.target;
    init(target && target.isConnected ? target : document);
  });
  // Back/forward through the htmx history cache restores plain HTML.
  document.addEventListener("htmx:historyRestore", function () {
    init(document);
  });
})();
