/* A region's map: the markers of its clusters, grouped with Leaflet.markercluster.
   They come from the map's GeoJSON (/carte/clusters.geojson?region=…), built by the same
   FilterSet as the list and the big map, so the three never disagree; the page stays light
   however many clusters the region has. No inline script (strict CSP); popups are built
   with DOM APIs and textContent only. */
(function () {
  "use strict";

  window.addEventListener("map:init", function (event) {
    var holder = document.querySelector("[data-region-map]");
    if (!holder || event.detail.id !== "region-map") {
      return;
    }
    var map = event.detail.map;
    var container = document.getElementById("region-map");

    // Leaflet's own zoom buttons are labelled in English; ours follow the page's language.
    if (map.zoomControl) {
      map.zoomControl.remove();
    }
    L.control.zoom({ zoomInTitle: holder.dataset.zoomIn, zoomOutTitle: holder.dataset.zoomOut }).addTo(map);

    var markers = L.markerClusterGroup({ showCoverageOnHover: false });
    map.addLayer(markers);

    fetch(holder.dataset.geojsonUrl, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        markers.addLayer(
          L.geoJSON(data, {
            pointToLayer: function (feature, latlng) {
              var name = feature.properties.name;
              return L.marker(latlng, { title: name, alt: name });
            },
            onEachFeature: function (feature, marker) {
              marker.bindPopup(function () {
                return window.clusterPopupContent(feature.properties);
              });
            },
          })
        );
        if (data.located) {
          map.fitBounds(markers.getBounds(), { maxZoom: 11, padding: [20, 20] });
        }
        container.setAttribute("data-loaded", String(data.located));
      })
      .catch(function () {
        container.setAttribute("data-loaded", "error");
      });
  });
})();
