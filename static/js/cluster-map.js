/* The clusters map: markers from /carte/clusters.geojson (same filters as the page), grouped
   with Leaflet.markercluster. The data is fetched once the map is up, and the markers are
   clustered in chunks (window.clusterMarkers, map-popup.js), so no long task holds the page. */
(function () {
  "use strict";

  function parseBounds(text) {
    var v = text.split(",").map(Number);
    return [[v[0], v[1]], [v[2], v[3]]];
  }

  function showZoneButtons(map, container) {
    var zones = document.getElementById("map-zones");
    if (!zones) return;
    zones.querySelectorAll("[data-zone-bounds]").forEach(function (button) {
      button.addEventListener("click", function () {
        map.fitBounds(parseBounds(button.getAttribute("data-zone-bounds")));
        container.focus();
      });
    });
    zones.hidden = false;
  }

  window.directoryMap("carte", function (map, container) {
    showZoneButtons(map, container);
    window.clusterMarkers(map, container.getAttribute("data-geojson-url"), function (markers, data) {
      // Metropolitan France stays in view unless every marker is overseas.
      var metropole = document.querySelector("[data-zone-bounds]");
      if (data.located && metropole) {
        var inside = L.latLngBounds(parseBounds(metropole.getAttribute("data-zone-bounds")));
        var anyInside = data.features.some(function (feature) {
          var c = feature.geometry.coordinates;
          return inside.contains([c[1], c[0]]);
        });
        if (!anyInside) map.fitBounds(markers.getBounds(), { maxZoom: 10 });
      }
    }, function () {
      document.getElementById("map-status").hidden = false;
    });
  });
})();
