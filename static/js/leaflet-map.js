/* Builds every public map from its container's data attributes (written by {% map_attributes %}
   from LEAFLET_CONFIG), so no page carries an inline script or a CSP nonce and a page with a map
   is cached like any other. A page's script asks for its map with
   window.directoryMap(id, function (map, container) {…}), and this file loads Leaflet (and
   Leaflet.markercluster where markers are grouped) itself, once the map comes into view. The map
   is then built one step per task: a phone's main thread is never held long enough to delay a tap
   (Lighthouse's "total blocking time"). Load it, deferred, before the page's map script. */
(function () {
  "use strict";

  // Runs each function in a task of its own, in order.
  function inTurn(steps) {
    var next = 0;
    (function run() {
      steps[next++]();
      if (next < steps.length) setTimeout(run, 0);
    })();
  }

  function build(container, callback) {
    var data = container.dataset;
    var minZoom = Number(data.minZoom);
    var maxZoom = Number(data.maxZoom);
    var map;
    inTurn([
      function () {
        // Hashed static names hide Leaflet's image folder from its own guess.
        L.Icon.Default.imagePath = data.imagePath;
        map = L.map(container, {
          center: JSON.parse(data.center),
          zoom: Number(data.zoom),
          minZoom: minZoom,
          maxZoom: maxZoom,
          maxBounds: [[-90, -180], [90, 180]],
          zoomControl: false,
        });
      },
      function () {
        // Leaflet's own zoom buttons are labelled in English; ours follow the page's language.
        L.control.zoom({ zoomInTitle: data.zoomIn, zoomOutTitle: data.zoomOut }).addTo(map);
        L.control.scale({ imperial: false }).addTo(map);
        map.attributionControl.setPrefix(data.attributionPrefix);
      },
      function () {
        L.tileLayer(data.tilesUrl, { attribution: data.tilesAttribution, minZoom: minZoom, maxZoom: maxZoom }).addTo(map);
      },
      function () {
        callback(map, container);
      },
    ]);
  }

  // Leaflet and its plugins, from the container's data-scripts, run in order once all arrived.
  function loadScripts(container, then) {
    var urls = container.dataset.scripts.split(" ");
    var pending = urls.length;
    urls.forEach(function (url) {
      var script = document.createElement("script");
      script.src = url;
      script.async = false;
      script.onload = function () {
        if (--pending === 0) then();
      };
      script.onerror = function () {
        container.setAttribute("data-loaded", "error");
      };
      document.head.appendChild(script);
    });
  }

  window.directoryMap = function (id, callback) {
    var container = document.getElementById(id);
    if (!container) return;
    var start = function () {
      loadScripts(container, function () {
        build(container, callback);
      });
    };
    if (!("IntersectionObserver" in window)) {
      start();
      return;
    }
    // Leaflet is fetched, run and the map built only once a fifth of the map is on screen: on a
    // phone, a map below the filters or at the bottom edge costs nothing until the visitor
    // scrolls to it. The observer's first answer comes after the page's first paint.
    var observer = new IntersectionObserver(
      function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) {
          observer.disconnect();
          start();
        }
      },
      { threshold: 0.2 }
    );
    observer.observe(container);
  };
  window.directoryMap.inTurn = inTurn;
})();
