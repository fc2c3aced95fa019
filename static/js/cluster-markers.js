/* The cluster markers of the big map and the region maps, with their popup. Load it, deferred,
   after Leaflet.markercluster and before the map script that uses it. */
(function () {
  "use strict";

  // Built with DOM APIs and textContent: no cluster data ever goes through innerHTML.
  function popupContent(properties) {
    var box = document.createElement("div");
    box.className = "map-popup";
    var title = document.createElement("p");
    title.className = "map-popup__name";
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = properties.name;
    title.appendChild(link);
    box.appendChild(title);
    var meta = document.createElement("p");
    meta.className = "map-popup__meta";
    meta.textContent = properties.city ? properties.kind + " · " + properties.city : properties.kind;
    box.appendChild(meta);
    return box;
  }

  function marker(feature) {
    var c = feature.geometry.coordinates;
    var name = feature.properties.name;
    return L.marker([c[1], c[0]], { title: name, alt: name }).bindPopup(function () {
      return popupContent(feature.properties);
    });
  }

  // Work on the main thread in slices of about this many milliseconds, so a tap is never kept waiting.
  var SLICE_MS = 8;

  /* Fetches the GeoJSON at `url` and adds its markers to `map`, grouped with Leaflet.markercluster,
     a few at a time, each batch in a task of its own and sized to take about SLICE_MS
     (markercluster's own chunkedLoading only looks at the clock every 200 markers). Then sets
     the container's data-loaded to the number of located clusters and calls done(markers, data);
     on failure, sets it to "error" and calls failed(). */
  window.clusterMarkers = function (map, url, done, failed) {
    var container = map.getContainer();
    var markers = L.markerClusterGroup({ showCoverageOnHover: false });
    map.addLayer(markers);

    function show(data) {
      var features = data.features;
      var next = 0;
      var size = 10;
      (function batch() {
        var started = performance.now();
        markers.addLayers(features.slice(next, next + size).map(marker));
        next += size;
        if (next < features.length) {
          var spent = Math.max(performance.now() - started, 1);
          size = Math.max(5, Math.min(2 * size, Math.round((size * SLICE_MS) / spent)));
          setTimeout(batch, 0);
          return;
        }
        container.setAttribute("data-loaded", String(data.located));
        done(markers, data);
      })();
    }

    fetch(url, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(show, function () {
        container.setAttribute("data-loaded", "error");
        if (failed) failed();
      });
  };
})();
