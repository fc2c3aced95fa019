/* A region's map: its clusters' markers, read from the page's JSON data island
   (#region-map-points, written by json_script), grouped with Leaflet.markercluster.
   No inline script (strict CSP); popups are built with DOM APIs and textContent only. */
(function () {
  "use strict";

  function popupContent(point) {
    var box = document.createElement("div");
    box.className = "map-popup";
    var title = document.createElement("p");
    title.className = "map-popup__name";
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.name;
    title.appendChild(link);
    box.appendChild(title);
    var meta = document.createElement("p");
    meta.className = "map-popup__meta";
    meta.textContent = point.city ? point.kind + " · " + point.city : point.kind;
    box.appendChild(meta);
    return box;
  }

  window.addEventListener("map:init", function (event) {
    var holder = document.querySelector("[data-region-map]");
    var island = document.getElementById("region-map-points");
    if (!holder || !island || event.detail.id !== "region-map") {
      return;
    }
    var map = event.detail.map;
    var points = JSON.parse(island.textContent);

    // Leaflet's own zoom buttons are labelled in English; ours follow the page's language.
    if (map.zoomControl) {
      map.zoomControl.remove();
    }
    L.control.zoom({ zoomInTitle: holder.dataset.zoomIn, zoomOutTitle: holder.dataset.zoomOut }).addTo(map);

    var markers = L.markerClusterGroup({ showCoverageOnHover: false });
    points.forEach(function (point) {
      var marker = L.marker([point.lat, point.lng], { title: point.name, alt: point.name });
      marker.bindPopup(function () {
        return popupContent(point);
      });
      markers.addLayer(marker);
    });
    map.addLayer(markers);
    if (points.length) {
      map.fitBounds(markers.getBounds(), { maxZoom: 11, padding: [20, 20] });
    }
    document.getElementById("region-map").setAttribute("data-loaded", String(points.length));
  });
})();
