/* Builds every public map from its container's data attributes (written by {% map_attributes %}
   from LEAFLET_CONFIG), so no page carries an inline script or a CSP nonce and a page with a map
   is cached like any other. A page's script asks for its map with
   window.directoryMap(id, function (map, container) {…}).

   The map is built once it nears the viewport, after the first paint, one step per task: a phone's
   main thread is never held long enough to delay a tap (Lighthouse's "total blocking time"). Load
   it, deferred, after Leaflet. */
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

  window.directoryMap = function (id, callback) {
    var container = document.getElementById(id);
    if (!container || typeof L === "undefined") return;
    if (!("IntersectionObserver" in window)) {
      build(container, callback);
      return;
    }
    // Built when it comes within half a screen of the viewport, after the page's first paint: on
    // a phone a map below the filters costs nothing until the visitor scrolls towards it.
    var observer = new IntersectionObserver(
      function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) {
          observer.disconnect();
          build(container, callback);
        }
      },
      { rootMargin: "50% 0px" }
    );
    observer.observe(container);
  };
  window.directoryMap.inTurn = inTurn;
})();
