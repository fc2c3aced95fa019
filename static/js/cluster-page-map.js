/* The small map of a cluster's page: one marker, no popup.
   django-leaflet builds the map and fires "map:init"; the position comes from data attributes
   so no inline script is needed (strict CSP). */
(function () {
  "use strict";

  window.addEventListener("map:init", function (event) {
    var holder = document.querySelector("[data-cluster-map]");
    if (!holder || event.detail.id !== "cluster-map") {
      return;
    }
    var map = event.detail.map;
    var position = [parseFloat(holder.dataset.latitude), parseFloat(holder.dataset.longitude)];
    // A commune centre is only approximate: do not zoom in as if it were the address.
    var zoom = holder.dataset.precision === "commune" ? 11 : 14;
    map.setView(position, zoom);

    // Leaflet's own zoom buttons are labelled in English; ours follow the page's language.
    if (map.zoomControl) {
      map.zoomControl.remove();
    }
    L.control.zoom({ zoomInTitle: holder.dataset.zoomIn, zoomOutTitle: holder.dataset.zoomOut }).addTo(map);

    L.marker(position, {
      title: holder.dataset.label,
      alt: holder.dataset.label,
      interactive: false,
      keyboard: false,
    }).addTo(map);
  });
})();
