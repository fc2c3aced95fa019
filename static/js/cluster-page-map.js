/* The small map of a cluster's page: one marker, no popup. */
(function () {
  "use strict";

  window.directoryMap("cluster-map", function (map, container) {
    var data = container.dataset;
    var position = [parseFloat(data.latitude), parseFloat(data.longitude)];
    // A commune centre is only approximate: do not zoom in as if it were the address.
    map.setView(position, data.precision === "commune" ? 11 : 14);
    L.marker(position, { title: data.label, alt: data.label, interactive: false, keyboard: false }).addTo(map);
  });
})();
