/*
 * Essaim — the directory map: server-side clusters for the visible area, with the list beside it in sync.
 * Progressive enhancement: without JavaScript (or without Leaflet) the list and its pages are the content.
 *
 * Markup (templates/directory/_map.html):
 *   <div class="map" data-directory-map data-clusters-url="/api/v1/structures/clusters"
 *        data-list-url="/carte/" data-filters="q=…&family=…" data-bbox="minLon,minLat,maxLon,maxLat"
 *        data-tiles-url="" data-tiles-attribution=""></div>
 *   <section id="map-list">…</section>
 *
 * On every move: GET clusters?<filters>&bbox=&zoom= (counts, centres, bounds; single structures as points),
 * then GET <list-url>?<filters>&bbox= with HX-Request to refresh the list, and the URL keeps the bbox.
 * The page never loads every point.
 *
 * The base layer comes from map.js (EssaimMap.base, loaded before this file). The map opens on the URL's bbox,
 * else on the territory's perimeter (data-default-bbox). Clusters are asked for an inner box (INSET px inside
 * the map's edges) and drawn inside it, so no cluster is ever cut by the edge of the map.
 */
(function () {
  "use strict";

  var FRANCE = [[41.3, -5.2], [51.1, 9.6]];
  var OUTLINE = "#1e1e1e";
  var INSET = 30; // px: half the widest cluster (56 px) plus a margin

  function reducedMotion() {
    return Boolean(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  }

  function safeUrl(url) {
    if (typeof url !== "string" || url.charAt(0) !== "/" || url.charAt(1) === "/") {
      return null;
    }
    return url;
  }

  function parseBbox(text) {
    var parts = (text || "").split(",").map(Number);
    if (parts.length !== 4 || parts.some(function (n) { return !isFinite(n); })) {
      return null;
    }
    return [[parts[1], parts[0]], [parts[3], parts[2]]];
  }

  /* The visible box shrunk by INSET pixels on each side: what the clusters and the list cover. */
  function innerBounds(L, map) {
    var size = map.getSize();
    var inset = Math.min(INSET, size.x / 4, size.y / 4);
    var sw = map.containerPointToLatLng([inset, size.y - inset]);
    var ne = map.containerPointToLatLng([size.x - inset, inset]);
    return L.latLngBounds(sw, ne);
  }

  /* A position moved, if need be, inside the inner box (a cluster's centre may lie outside it). */
  function clamp(L, map, lat, lon) {
    var size = map.getSize();
    var inset = Math.min(INSET, size.x / 4, size.y / 4);
    var p = map.latLngToContainerPoint([lat, lon]);
    var x = Math.min(Math.max(p.x, inset), size.x - inset);
    var y = Math.min(Math.max(p.y, inset), size.y - inset);
    return x === p.x && y === p.y ? L.latLng(lat, lon) : map.containerPointToLatLng([x, y]);
  }

  function bboxOf(b) {
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
      .map(function (v) { return v.toFixed(5); })
      .join(",");
  }

  function join(base, filters, extra) {
    var query = [filters, extra].filter(Boolean).join("&");
    return base + (query ? "?" + query : "");
  }

  function clusterIcon(L, count) {
    var size = count < 10 ? 34 : count < 100 ? 40 : count < 1000 ? 48 : 56;
    var span = document.createElement("span");
    span.textContent = count >= 10000 ? Math.round(count / 1000) + " k" : String(count);
    return L.divIcon({ html: span, className: "directory-cluster", iconSize: [size, size] });
  }

  function popup(point) {
    var box = document.createElement("p");
    var href = safeUrl(point.url);
    var node = document.createElement(href ? "a" : "strong");
    if (href) {
      node.href = href;
    }
    node.textContent = point.name || "";
    box.appendChild(node);
    return box;
  }

  function init(el) {
    var L = window.L;
    if (!L || el.hasAttribute("data-map-ready")) {
      return;
    }
    var animate = !reducedMotion();
    var map = L.map(el, {
      minZoom: 2,
      maxZoom: 18,
      zoomSnap: 0.5,             // the territory fills the map more closely than whole levels allow
      scrollWheelZoom: false,
      zoomAnimation: animate,
      fadeAnimation: animate,
      zoomControl: false,
    });
    L.control.zoom({
      zoomInTitle: el.getAttribute("data-zoom-in") || "Zoom in",
      zoomOutTitle: el.getAttribute("data-zoom-out") || "Zoom out",
    }).addTo(map);
    if (window.EssaimMap && window.EssaimMap.base) {
      window.EssaimMap.base(L, map, el);
    }
    var layer = L.layerGroup().addTo(map);
    var filters = el.getAttribute("data-filters") || "";
    var clustersUrl = el.getAttribute("data-clusters-url");
    var listUrl = el.getAttribute("data-list-url");
    var list = document.getElementById("map-list");
    var brand = window.getComputedStyle(el).getPropertyValue("--brand").trim() || "#1f4e79";
    var one = el.getAttribute("data-label-one") || "structure";
    var many = el.getAttribute("data-label-many") || "structures";
    var generation = 0;

    function draw(data, inner) {
      layer.clearLayers();
      (data.clusters || []).forEach(function (c) {
        var marker = L.marker(clamp(L, map, c.lat, c.lon), {
          icon: clusterIcon(L, c.count),
          keyboard: true,
          title: c.count + " " + many,
          alt: c.count + " " + many,
        });
        marker.on("click", function () {
          var bounds = L.latLngBounds([[c.bounds[1], c.bounds[0]], [c.bounds[3], c.bounds[2]]]);
          if (bounds.getNorthEast().equals(bounds.getSouthWest())) {
            map.setView(bounds.getCenter(), Math.min(map.getZoom() + 3, 18));
          } else {
            map.fitBounds(bounds.pad(0.1));
          }
        });
        marker.addTo(layer);
      });
      // A lone structure of a cell that touches the box may lie just outside it: not drawn (nor listed).
      (data.points || []).filter(function (p) { return inner.contains([p.lat, p.lon]); }).forEach(function (p) {
        L.circleMarker([p.lat, p.lon], { radius: 7, color: OUTLINE, weight: 1.5, fillColor: brand, fillOpacity: 0.9 })
          .bindPopup(popup(p))
          .bindTooltip(p.name || one)
          .addTo(layer);
      });
      el.setAttribute("data-count", String(data.total || 0));
    }

    function refresh() {
      var current = ++generation;
      var inner = innerBounds(L, map);
      var bbox = "bbox=" + bboxOf(inner);
      fetch(join(clustersUrl, filters, bbox + "&zoom=" + Math.floor(map.getZoom())), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (data && current === generation) {
            draw(data, inner);
          }
        })
        .catch(function () {});
      if (list && listUrl) {
        fetch(join(listUrl, filters, bbox), { headers: { "HX-Request": "true" } })
          .then(function (r) { return r.ok ? r.text() : null; })
          .then(function (html) {
            if (html !== null && current === generation) {
              list.innerHTML = html;
            }
          })
          .catch(function () {});
      }
      if (window.history && window.history.replaceState && !document.body.classList.contains("directory-embed")) {
        window.history.replaceState(null, "", join(window.location.pathname, filters, bbox));
      }
    }

    var fromUrl = parseBbox(el.getAttribute("data-bbox"));
    var initial = fromUrl || parseBbox(el.getAttribute("data-default-bbox")) || FRANCE;
    // The URL's box is the inner box of the map that wrote it: pad it back by INSET.
    map.fitBounds(initial, { padding: [INSET, INSET], animate: false });
    map.on("moveend", refresh);
    refresh();
    if (!el.hasAttribute("tabindex")) {
      el.setAttribute("tabindex", "0");
    }
    el.setAttribute("role", "region");
    el.setAttribute("data-map-ready", "");
  }

  function start() {
    document.querySelectorAll("[data-directory-map]").forEach(init);
  }

  // A filter removed through htmx replaces the whole form, the link with it: the focus goes to the filters'
  // heading (or to the results' when none is left), never lost on the page's body. The link is gone by the time
  // the swap settles, so it is noted before the request and acted on when the new form is loaded.
  var refocus = false;
  document.addEventListener("htmx:beforeRequest", function (evt) {
    var elt = evt.detail && evt.detail.elt;
    refocus = Boolean(elt && elt.classList && (elt.classList.contains("filter-tag") || elt.classList.contains("active-filters-clear")));
  });
  document.addEventListener("htmx:load", function () {
    if (!refocus) {
      return;
    }
    var heading = document.getElementById("active-filters-title") || document.getElementById("results-title");
    if (heading) {
      refocus = false;
      if (!heading.hasAttribute("tabindex")) {
        heading.setAttribute("tabindex", "-1");
      }
      heading.focus();
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
