/* A region's map: the markers of its clusters, grouped with Leaflet.markercluster. They come
   from the map's GeoJSON (/carte/clusters.geojson?region=…), built by the same FilterSet as the
   list and the big map, so the three never disagree; the page stays light however many clusters
   the region has. */
(function () {
  "use strict";

  window.directoryMap("region-map", function (map, container) {
    window.clusterMarkers(map, container.getAttribute("data-geojson-url"), function (markers, data) {
      if (data.located) {
        map.fitBounds(markers.getBounds(), { maxZoom: 11, padding: [20, 20] });
      }
    });
  });
})();
