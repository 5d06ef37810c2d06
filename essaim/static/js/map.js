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
 * Base layer (EssaimMap.base, also used by directory.js): without
 * data-tiles-url, a light vector map drawn from Essaim's own geo API —
 * France's land, départements and régions (data-base-url), the communes of
 * the page's territory with its perimeter highlighted and their names at
 * close zoom (data-territory-url), in panes below the markers, never
 * interactive. With data-tiles-url, the tiles replace the vector layer and
 * only the territory's perimeter is drawn over them. Markers are circle
 * markers (SVG), so no image is requested.
 *
 * data-fit: "auto" (default: one point is zoomed on, several are fitted
 * with the territory's perimeter), "points", "territory" or "both".
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

  /* ---- The light vector base layer (shared with directory.js) ---- */

  const LABEL_MIN_ZOOM = 11;        // commune names from this zoom on
  const BASE_STYLE = {
    land: { stroke: true, color: "#a8a293", weight: 1, fill: true, fillColor: "#f7f5ef", fillOpacity: 1 },
    "departement-borders": { color: "#b9b3a4", weight: 0.8, dashArray: "3 3", fill: false },
    "region-borders": { color: "#8f897a", weight: 1.6, fill: false },
  };

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/geo+json, application/json" }, credentials: "same-origin" })
      .then(function (r) {
        return r.ok ? r.json() : null;
      })
      .catch(function () {
        return null;
      });
  }

  function pane(map, name, zIndex) {
    const existing = map.getPane(name);
    if (existing) {
      return name;
    }
    const node = map.createPane(name);
    node.style.zIndex = String(zIndex);
    node.style.pointerEvents = "none";
    node.setAttribute("aria-hidden", "true");   // decoration: the list beside the map carries the content
    return name;
  }

  /* Commune names at close zoom, placed greedily from the most populated so that none overlaps another. */
  function labelLayer(L, map, features) {
    const layer = L.layerGroup();
    const labelPane = pane(map, "essaim-labels", 390);
    const items = features
      .map(function (f) {
        const p = f.properties || {};
        let centre = Array.isArray(p.centre) ? L.latLng(p.centre[1], p.centre[0]) : null;
        if (!centre) {
          centre = L.geoJSON(f).getBounds().getCenter();
        }
        return { name: p.nom || "", population: p.population || 0, centre: centre };
      })
      .filter(function (item) {
        return item.name;
      })
      .sort(function (a, b) {
        return b.population - a.population;
      });

    function place() {
      layer.clearLayers();
      if (map.getZoom() < LABEL_MIN_ZOOM) {
        return;
      }
      const view = map.getBounds().pad(0.1);
      const boxes = [];
      items.forEach(function (item) {
        if (!view.contains(item.centre)) {
          return;
        }
        const width = Math.ceil(item.name.length * 6.6) + 10;
        const height = 18;
        const at = map.latLngToContainerPoint(item.centre);
        const box = [at.x - width / 2 - 2, at.y + 2, at.x + width / 2 + 2, at.y + height + 6];  // below the centre
        const clash = boxes.some(function (b) {
          return box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3];
        });
        if (clash) {
          return;
        }
        boxes.push(box);
        const span = document.createElement("span");
        span.textContent = item.name;
        L.marker(item.centre, {
          pane: labelPane,
          interactive: false,
          keyboard: false,
          icon: L.divIcon({ className: "map-commune-label", html: span, iconSize: [width, height], iconAnchor: [width / 2, -4] }),
        }).addTo(layer);
      });
    }

    map.on("zoomend moveend", place);
    layer.on("add", place);
    return layer;
  }

  /* Draws the base layer under a map. Returns a promise of the territory's bounds (or null). */
  function base(L, map, el) {
    const tilesUrl = (el.getAttribute("data-tiles-url") || "").trim();
    const baseUrl = (el.getAttribute("data-base-url") || "").trim();
    const territoryUrl = (el.getAttribute("data-territory-url") || "").trim();
    const brand = window.getComputedStyle(el).getPropertyValue("--brand").trim() || DEFAULT_BRAND;
    if (tilesUrl) {
      L.tileLayer(tilesUrl, { attribution: escapeText(el.getAttribute("data-tiles-attribution") || ""), maxZoom: MAX_ZOOM }).addTo(map);
    } else if (baseUrl) {
      el.classList.add("map-has-base");
      getJSON(baseUrl).then(function (geo) {
        if (!geo) {
          return;
        }
        L.geoJSON(geo, {
          pane: pane(map, "essaim-base", 210),
          interactive: false,
          style: function (f) {
            return BASE_STYLE[(f.properties || {}).kind] || BASE_STYLE.land;
          },
        }).addTo(map);
      });
      if (el.getAttribute("data-attribution")) {
        map.attributionControl.addAttribution(escapeText(el.getAttribute("data-attribution")));
      }
    }
    if (!territoryUrl) {
      return Promise.resolve(null);
    }
    return getJSON(territoryUrl).then(function (geo) {
      if (!geo || !Array.isArray(geo.features)) {
        return null;
      }
      if (!tilesUrl) {
        L.geoJSON(geo, {
          pane: pane(map, "essaim-communes", 220),
          interactive: false,
          style: { color: "#8c8676", weight: 0.7, fillColor: brand, fillOpacity: 0.07 },
        }).addTo(map);
        labelLayer(L, map, geo.features).addTo(map);
      }
      if (geo.perimeter) {
        L.geoJSON(geo.perimeter, {
          pane: pane(map, "essaim-perimeter", 230),
          interactive: false,
          style: { color: brand, weight: 3, opacity: 0.9, fill: false },
        }).addTo(map);
      }
      const box = geo.bbox;
      return Array.isArray(box) && box.length === 4 ? L.latLngBounds([box[1], box[0]], [box[3], box[2]]) : null;
    });
  }

  /* Bounds from "west,south,east,north", or null. */
  function parseBbox(L, text) {
    const parts = (text || "").split(",").map(Number);
    if (parts.length !== 4 || parts.some(function (n) { return !Number.isFinite(n); })) {
      return null;
    }
    return L.latLngBounds([parts[1], parts[0]], [parts[3], parts[2]]);
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

    const territoryLoaded = base(L, map, el);
    // "auto": one point is zoomed on; several are shown with the territory around them.
    let fit = el.getAttribute("data-fit") || "auto";
    const territoryBox = parseBbox(L, el.getAttribute("data-territory-bbox"));

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

    if (fit === "auto") {
      fit = points.length > 1 ? "both" : "points";
    }
    const pointBounds = points.length
      ? L.latLngBounds(
          points.map(function (p) {
            return [p.lat, p.lon];
          })
        )
      : null;
    // Padding keeps markers and clusters (up to 40 px wide) whole inside the map.
    function fitTo(territory) {
      let bounds = fit === "points" ? pointBounds : territory;
      if (fit === "both" && pointBounds) {
        bounds = territory ? L.latLngBounds(territory.getSouthWest(), territory.getNorthEast()).extend(pointBounds) : pointBounds;
      }
      bounds = bounds || pointBounds || territory;
      if (bounds) {
        map.fitBounds(bounds, { padding: [28, 28], maxZoom: fit === "points" ? FIT_MAX_ZOOM : MAX_ZOOM, animate: false });
        return true;
      }
      return false;
    }
    if (!fitTo(territoryBox)) {
      map.setView(FRANCE_CENTER, FRANCE_ZOOM);
    }
    if (fit !== "points" && !territoryBox) {
      territoryLoaded.then(function (bounds) {
        if (bounds) {
          fitTo(bounds);
        }
      });
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

  window.EssaimMap = { init: init, base: base, parseBbox: parseBbox };

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
