/* The shared urban map: ward boundaries, points from an endpoint or inline, a location picker.
 * Reads its options from <script type="application/json" id="{data-urban-map}">. No tiles unless
 * the server gave a tileUrl (setting MAP_TILE_URL): by default nothing is fetched from outside.
 * Licence: AGPL-3.0-or-later (Công sở số). Leaflet itself: BSD-2-Clause (vendor/leaflet/LICENSE).
 */
(function () {
  "use strict";
  if (window.congsoUrbanMap) { window.congsoUrbanMap.initAll(); return; }

  var COLORS = { report: "#2e7d32", work: "#b35c00", project: "#1f5fa8" };
  var LAYER_LABELS = { report: "Phản ánh", work: "Công trình", project: "Dự án GPMB" };

  function readOptions(el) {
    var node = document.getElementById(el.getAttribute("data-urban-map"));
    if (!node) { return {}; }
    try { return JSON.parse(node.textContent || "{}"); } catch (e) { return {}; }
  }

  function text(tag, value, cls) {
    var node = document.createElement(tag);
    node.textContent = value == null ? "" : String(value);
    if (cls) { node.className = cls; }
    return node;
  }

  function popupFor(props) {
    var box = document.createElement("div");
    box.appendChild(text("div", LAYER_LABELS[props.layer] || props.layer, "small text-body-secondary"));
    box.appendChild(text("strong", props.title));
    var status = text("div", props.status_label || props.status);
    if (props.overdue) { status.appendChild(text("span", " · Quá hạn", "text-danger fw-semibold")); }
    box.appendChild(status);
    if (props.category) { box.appendChild(text("div", props.category, "small")); }
    var url = String(props.url || "");
    if (url.charAt(0) === "/" && url.charAt(1) !== "/") {
      var link = text("a", "Xem chi tiết");
      link.setAttribute("href", url);
      box.appendChild(link);
    }
    return box;
  }

  function styleFor(props) {
    var color = COLORS[props.layer] || "#555";
    return {
      radius: props.overdue ? 8 : 6,
      color: props.overdue ? "#c62828" : "#ffffff",
      weight: props.overdue ? 3 : 1.5,
      fillColor: color,
      fillOpacity: 0.9
    };
  }

  function setStatus(el, message) {
    var node = document.querySelector('[data-urban-map-status="' + el.id + '"]');
    if (node) { node.textContent = message; }
  }

  function init(el) {
    if (el.getAttribute("data-urban-map-ready")) { return; }
    el.setAttribute("data-urban-map-ready", "1");
    var opts = readOptions(el);
    var map = L.map(el, { scrollWheelZoom: !opts.picker });
    el._urbanMap = map;
    if (opts.tileUrl) {
      L.tileLayer(opts.tileUrl, { attribution: opts.tileAttribution || "", maxZoom: 19 }).addTo(map);
    } else {
      map.attributionControl.addAttribution("Không có bản đồ nền (ngoại tuyến)");
    }
    var fitted = false;
    if (opts.boundaries && opts.boundaries.features && opts.boundaries.features.length) {
      var wards = L.geoJSON(opts.boundaries, {
        style: { color: "#5d4037", weight: 2, fillColor: "#fffde7", fillOpacity: 0.55 },
        onEachFeature: function (feature, layer) {
          var name = feature.properties && feature.properties.name;
          if (name) { layer.bindTooltip(name, { sticky: true }); }
        }
      }).addTo(map);
      map.fitBounds(wards.getBounds(), { padding: [10, 10] });
      fitted = true;
    }
    if (!fitted) { map.setView(opts.center || [21.06, 105.82], opts.zoom || 13); }

    var points = L.layerGroup().addTo(map);
    function drawCluster(c, props) {
      // A grid cell with many points (server-side clustering): a numbered disc; a click zooms
      // to the cell, where the server sends the exact points once there are few enough.
      var count = Number(props.count) || 0;
      var label = count.toLocaleString("vi-VN");
      var size = Math.min(56, 24 + 6 * Math.max(0, Math.log10(Math.max(1, count))) * 2);
      var color = COLORS[props.layer] || "#555";
      var icon = L.divIcon({ className: "urban-map-cluster", iconSize: [size, size], html: "" });
      var marker = L.marker([c[1], c[0]], { icon: icon, keyboard: true,
        title: (LAYER_LABELS[props.layer] || props.layer) + ": " + label + " điểm — bấm để phóng to" });
      marker.on("add", function () {
        var node = marker.getElement();
        if (!node) { return; }
        node.style.background = color;
        node.style.color = "#fff";
        node.style.borderRadius = "50%";
        node.style.border = "2px solid #fff";
        node.style.display = "flex";
        node.style.alignItems = "center";
        node.style.justifyContent = "center";
        node.style.fontSize = "12px";
        node.style.fontWeight = "600";
        node.style.boxShadow = "0 0 0 2px " + color;
        node.textContent = label;
      });
      marker.on("click", function () {
        var b = props.bbox;
        if (b && b.length === 4) { map.fitBounds([[b[1], b[0]], [b[3], b[2]]]); }
        else { map.setView([c[1], c[0]], map.getZoom() + 2); }
      });
      marker.addTo(points);
    }
    function draw(collection) {
      points.clearLayers();
      var features = (collection && collection.features) || [];
      var total = 0;
      features.forEach(function (feature) {
        if (!feature.geometry || feature.geometry.type !== "Point") { return; }
        var c = feature.geometry.coordinates;
        var props = feature.properties || {};
        if (props.cluster) { drawCluster(c, props); total += Number(props.count) || 0; return; }
        total += 1;
        L.circleMarker([c[1], c[0]], styleFor(props)).bindPopup(popupFor(props)).addTo(points);
      });
      return total;
    }
    if (opts.features) { draw(opts.features); }

    if (opts.featuresUrl) {
      var form = opts.filterForm ? document.getElementById(opts.filterForm) : null;
      var timer = null;
      var seq = 0;
      var load = function () {
        var params = new URLSearchParams(form ? new FormData(form) : undefined);
        params.set("bbox", map.getBounds().toBBoxString());
        var mine = ++seq;
        setStatus(el, "Đang tải…");
        fetch(opts.featuresUrl + "?" + params.toString(), {
          headers: { Accept: "application/json" }, credentials: "same-origin"
        }).then(function (response) {
          return response.json().then(function (body) { return { ok: response.ok, body: body }; });
        }).then(function (result) {
          if (mine !== seq) { return; }
          if (!result.ok) { setStatus(el, result.body.message || "Không tải được dữ liệu bản đồ."); return; }
          var n = draw(result.body);
          var msg = n.toLocaleString("vi-VN") + " điểm trong khung nhìn";
          if (result.body.clustered && result.body.clustered.length) { msg += " (gộp theo ô lưới; bấm vào một nhóm để phóng to)"; }
          if (result.body.truncated) { msg += " (chỉ hiện " + n.toLocaleString("vi-VN") + " điểm đầu; phóng to để xem thêm)"; }
          setStatus(el, msg + ".");
        }).catch(function () {
          if (mine === seq) { setStatus(el, "Không tải được dữ liệu bản đồ."); }
        });
      };
      var schedule = function () { clearTimeout(timer); timer = setTimeout(load, 200); };
      map.on("moveend", schedule);
      if (form) {
        form.addEventListener("submit", function (event) { event.preventDefault(); load(); });
        form.addEventListener("change", schedule);
      }
      load();
    }

    if (opts.picker) {
      var box = document.getElementById(el.getAttribute("data-picker"));
      var latInput = box && box.querySelector("[data-picker-lat]");
      var lonInput = box && box.querySelector("[data-picker-lon]");
      var marker = null;
      var place = function (lat, lon, pan) {
        if (!isFinite(lat) || !isFinite(lon)) { return; }
        if (marker) { marker.setLatLng([lat, lon]); }
        else { marker = L.circleMarker([lat, lon], { radius: 8, color: "#c62828", weight: 3, fillColor: "#fff", fillOpacity: 1 }).addTo(map); }
        if (pan) { map.panTo([lat, lon]); }
      };
      var fromInputs = function (pan) {
        if (!latInput || !lonInput) { return; }
        place(parseFloat(latInput.value.replace(",", ".")), parseFloat(lonInput.value.replace(",", ".")), pan);
      };
      map.on("click", function (event) {
        if (!latInput || !lonInput) { return; }
        latInput.value = event.latlng.lat.toFixed(6);
        lonInput.value = event.latlng.lng.toFixed(6);
        latInput.dispatchEvent(new Event("change", { bubbles: true }));
        place(event.latlng.lat, event.latlng.lng, false);
      });
      if (latInput) { latInput.addEventListener("change", function () { fromInputs(true); }); }
      if (lonInput) { lonInput.addEventListener("change", function () { fromInputs(true); }); }
      fromInputs(false);
    }
  }

  function initAll() {
    if (typeof L === "undefined") { return; }
    var nodes = document.querySelectorAll("[data-urban-map]");
    for (var i = 0; i < nodes.length; i++) { init(nodes[i]); }
  }

  window.congsoUrbanMap = { initAll: initAll, init: init };
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", initAll); }
  else { initAll(); }
})();
