// The hotspot map on the hotspot list: one marker per hotspot of the table that has coordinates, coloured
// and signed by status, with a popup linking to the hotspot's file. Leaflet comes from the XStatic-Leaflet
// package; the data come from the page's json_script blocks, so the page needs no inline script. Tiles are
// drawn only when the deployment names a tile server (PORTAL_MAP_TILES_URL, e.g. an intranet mirror);
// otherwise the markers sit on a plain background and no request leaves the portal. The table stays the
// primary content: without JavaScript, or if Leaflet fails to load, the map simply stays hidden.
(function () {
  "use strict";

  var container = document.getElementById("hotspot-map");
  var dataNode = document.getElementById("hotspot-map-data");
  var configNode = document.getElementById("hotspot-map-config");
  if (!container || !dataNode || !configNode || typeof window.L === "undefined") {
    return;
  }
  var L = window.L;
  var points = JSON.parse(dataNode.textContent);
  var config = JSON.parse(configNode.textContent);
  if (!points.length) {
    return;
  }

  container.hidden = false;
  document.querySelectorAll("[data-map-only]").forEach(function (element) {
    element.hidden = false;
  });
  var map = L.map(container, {
    minZoom: 3,
    maxZoom: 18,
    attributionControl: Boolean(config.tiles),
    zoomSnap: 0.5,
  });
  if (config.tiles) {
    L.tileLayer(config.tiles, { attribution: config.attribution || "", maxZoom: 19 }).addTo(map);
  } else {
    container.classList.add("hotspot-map--plain");
  }

  // Built with textContent, never innerHTML: names are typed by users.
  function popup(point) {
    var box = document.createElement("div");
    box.className = "hotspot-popup";
    var link = document.createElement("a");
    link.href = point.url;
    link.className = "fw-semibold";
    link.textContent = point.name;
    link.title = config.open || "";
    link.setAttribute("data-testid", "popup-link");
    box.appendChild(link);
    var kind = document.createElement("div");
    kind.className = "small";
    kind.textContent = point.kind_label + " · " + point.unit;
    box.appendChild(kind);
    var status = document.createElement("div");
    status.className = "small hotspot-popup__status hotspot-popup__status--" + point.status;
    status.textContent = point.sign + " " + point.status_label;
    box.appendChild(status);
    return box;
  }

  function icon(point) {
    var sign = document.createElement("span");
    sign.className = "hotspot-marker__sign";
    sign.setAttribute("aria-hidden", "true");
    sign.textContent = point.sign;
    return L.divIcon({
      className: "hotspot-marker hotspot-marker--" + point.status,
      html: sign,
      iconSize: [26, 26],
      iconAnchor: [13, 13],
      popupAnchor: [0, -14],
    });
  }

  // The view first: Leaflet adds markers to the page only once the map has one.
  var bounds = L.latLngBounds(
    points.map(function (point) {
      return [point.lat, point.lng];
    })
  );
  map.fitBounds(bounds, { padding: [32, 32], maxZoom: 15 });

  points.forEach(function (point) {
    var marker = L.marker([point.lat, point.lng], {
      icon: icon(point),
      title: point.name + " — " + point.status_label,
      riseOnHover: true,
    });
    marker.bindPopup(popup(point));
    marker.addTo(map);
    var element = marker.getElement();
    if (element) {
      element.setAttribute("data-hotspot-id", String(point.id));
      element.setAttribute("data-status", point.status);
      element.setAttribute("aria-label", point.name + " — " + point.status_label);
    }
  });
})();
