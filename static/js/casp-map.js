// Offline maps (Leaflet, vendored): no tiles unless the deployment names an internal tile server.
// A map is a <div data-casp-map="ID"> whose data is the JSON in <script id="ID">:
//   {tile_url, center: [lat, lon], zoom, stations: [{name, lat, lon}], points: [[lat, lon, label]],
//    cells: [{b: [[s, w], [n, e]], cls, title}], boundary: [[lat, lon], ...] | null,
//    picker: {lat: "input id", lon: "input id"} | null}
// Everything drawn comes from the page itself; nothing is fetched from the network.
(function () {
  "use strict";
  const COLOURS = { hot99: "#b2182b", hot95: "#ef8a62", cold95: "#67a9cf", cold99: "#2166ac", none: "#f7f7f7" };

  function draw(el) {
    const source = document.getElementById(el.dataset.caspMap);
    if (!source || typeof L === "undefined") return;
    const data = JSON.parse(source.textContent);
    const anchor = el.dataset.placeAfter && document.getElementById(el.dataset.placeAfter);
    const field = anchor && (anchor.closest(".mb-3") || anchor.parentElement);
    if (field) field.after(el); // beside the inputs it fills in
    const map = L.map(el, { zoomControl: true, attributionControl: !!data.tile_url, preferCanvas: false });
    if (data.tile_url) L.tileLayer(data.tile_url, { maxZoom: 19 }).addTo(map);
    L.control.scale({ imperial: false }).addTo(map);
    const bounds = L.latLngBounds([]);
    if (data.boundary && data.boundary.length) {
      const poly = L.polygon(data.boundary, { color: "#444", weight: 2, fill: false, dashArray: "4 4" }).addTo(map);
      bounds.extend(poly.getBounds());
    }
    (data.cells || []).forEach((c) => {
      const rect = L.rectangle(c.b, {
        color: "#999", weight: 0.5, fillColor: COLOURS[c.cls] || COLOURS.none, fillOpacity: 0.55,
        className: "casp-cell casp-cell-" + c.cls,
      }).addTo(map);
      if (c.title) rect.bindTooltip(c.title);
      bounds.extend(rect.getBounds());
    });
    (data.points || []).forEach((p) => {
      const m = L.circleMarker([p[0], p[1]], { radius: 4, color: "#222", weight: 1, fillColor: "#ffcc00", fillOpacity: 0.9, className: "casp-point" }).addTo(map);
      if (p[2]) m.bindTooltip(p[2]);
      bounds.extend(m.getLatLng());
    });
    (data.stations || []).forEach((s) => {
      const m = L.circleMarker([s.lat, s.lon], { radius: 7, color: "#003f7f", weight: 2, fillColor: "#fff", fillOpacity: 1, className: "casp-station" }).addTo(map);
      m.bindTooltip(s.name);
      bounds.extend(m.getLatLng());
    });
    if (bounds.isValid()) {
      map.fitBounds(bounds.pad(0.05), { maxZoom: 15 });
    } else {
      map.setView(data.center || [30.4, 69.3], data.zoom || 5);
    }
    if (data.picker) picker(map, data.picker);
    el.dataset.ready = "1";
  }

  // The FIR form: a click sets the two inputs; typing in them moves the marker.
  function picker(map, ids) {
    const lat = document.getElementById(ids.lat);
    const lon = document.getElementById(ids.lon);
    if (!lat || !lon) return;
    let marker = null;
    function place(latlng, pan) {
      if (marker) marker.setLatLng(latlng);
      else marker = L.circleMarker(latlng, { radius: 8, color: "#b2182b", weight: 3, fillOpacity: 0.3, className: "casp-picked" }).addTo(map);
      if (pan) map.panTo(latlng);
    }
    function fromInputs() {
      const a = parseFloat(lat.value), b = parseFloat(lon.value);
      if (isFinite(a) && isFinite(b)) place([a, b], true);
    }
    map.on("click", (e) => {
      lat.value = e.latlng.lat.toFixed(6);
      lon.value = e.latlng.lng.toFixed(6);
      place(e.latlng, false);
    });
    lat.addEventListener("change", fromInputs);
    lon.addEventListener("change", fromInputs);
    fromInputs();
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-casp-map]").forEach(draw);
  });
})();
