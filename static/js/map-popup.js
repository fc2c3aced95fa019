/* The popup of a cluster marker, shared by the big map and the region maps. Built with DOM
   APIs and textContent: no cluster data ever goes through innerHTML. Load it before the map
   script that uses it (both are deferred, so they run in document order). */
(function () {
  "use strict";

  window.clusterPopupContent = function (properties) {
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
  };
})();
