/* The clusters map: markers from /carte/clusters.geojson (same filters as the page),
   grouped with Leaflet.markercluster. Popups are built with DOM APIs and textContent:
   no cluster data ever goes through innerHTML. */
(function () {
  "use strict";

  function parseBounds(text) {
    var v = text.split(",").map(Number);
    return [[v[0], v[1]], [v[2], v[3]]];
  }

  function showZoneButtons(map) {
    var zones = document.getElementById("map-zones");
    if (!zones) return;
    zones.querySelectorAll("[data-zone-bounds]").forEach(function (button) {
      button.addEventListener("click", function () {
        map.fitBounds(parseBounds(button.getAttribute("data-zone-bounds")));
        document.getElementById("carte").focus();
      });
    });
    zones.hidden = false;
  }

  window.addEventListener("map:init", function (event) {
    var map = event.detail.map;
    var container = document.getElementById("carte");
    var markers = L.markerClusterGroup({ showCoverageOnHover: false });
    map.addLayer(markers);
    showZoneButtons(map);

    fetch(container.getAttribute("data-geojson-url"), {
      headers: { Accept: "application/geo+json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          pointToLayer: function (feature, latlng) {
            var name = feature.properties.name;
            return L.marker(latlng, { title: name, alt: name });
          },
          onEachFeature: function (feature, marker) {
            marker.bindPopup(function () {
              return window.clusterPopupContent(feature.properties);
            });
          },
        });
        markers.addLayer(layer);
        container.setAttribute("data-loaded", String(data.located));
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
      })
      .catch(function () {
        container.setAttribute("data-loaded", "error");
        document.getElementById("map-status").hidden = false;
      });
  });
})();
