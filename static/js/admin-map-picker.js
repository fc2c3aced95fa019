/*
 * Map picker of the cluster form in the admin.
 *
 * Click on the map or drag the marker: the latitude and longitude fields follow (5 decimals,
 * the precision the model stores) and the position precision becomes « exact ». Type in the
 * fields: the marker follows. Settings come from data attributes on the container, since the
 * Content-Security-Policy forbids inline scripts. Works with no tile reachable: the marker
 * and the fields never depend on tiles.
 */
(function () {
  "use strict";

  var DECIMALS = 5;
  var PLACED_ZOOM = 12;

  function parseCoordinate(value) {
    if (typeof value !== "string") {
      return null;
    }
    // Staff may type a French decimal comma.
    var text = value.trim().replace(",", ".");
    if (text === "") {
      return null;
    }
    var number = Number(text);
    return Number.isFinite(number) ? number : null;
  }

  function fire(input, type) {
    input.dispatchEvent(new Event(type, { bubbles: true }));
  }

  function initPicker(container) {
    if (container.dataset.mapPickerReady === "true" || typeof L === "undefined") {
      return;
    }
    var latitudeInput = document.getElementById(container.dataset.latitudeInput);
    var longitudeInput = document.getElementById(container.dataset.longitudeInput);
    if (!latitudeInput || !longitudeInput) {
      return;
    }
    var precisionInput = document.getElementById(container.dataset.precisionInput);
    container.dataset.mapPickerReady = "true";

    if (container.dataset.imagePath) {
      L.Icon.Default.imagePath = container.dataset.imagePath;
    }
    var center = JSON.parse(container.dataset.center || "[46.6, 2.4]");
    var maxZoom = Number(container.dataset.maxZoom) || 18;
    var map = L.map(container, {
      center: center,
      zoom: Number(container.dataset.zoom) || 5,
      maxZoom: maxZoom,
      scrollWheelZoom: false,
    });
    map.attributionControl.setPrefix("Leaflet");
    if (container.dataset.tilesUrl) {
      L.tileLayer(container.dataset.tilesUrl, {
        attribution: container.dataset.tilesAttribution || "",
        maxZoom: maxZoom,
      }).addTo(map);
    }

    var marker = null;

    function writeFields(latlng) {
      latitudeInput.value = latlng.lat.toFixed(DECIMALS);
      longitudeInput.value = latlng.lng.toFixed(DECIMALS);
      if (precisionInput && container.dataset.precisionExact) {
        precisionInput.value = container.dataset.precisionExact;
        fire(precisionInput, "change");
      }
      fire(latitudeInput, "change");
      fire(longitudeInput, "change");
    }

    function placeMarker(latlng) {
      if (marker) {
        marker.setLatLng(latlng);
        return;
      }
      marker = L.marker(latlng, { draggable: true, keyboard: true, title: container.getAttribute("aria-label") || "" });
      marker.on("dragend", function () {
        writeFields(marker.getLatLng());
      });
      marker.addTo(map);
    }

    function readFields() {
      var lat = parseCoordinate(latitudeInput.value);
      var lng = parseCoordinate(longitudeInput.value);
      if (lat === null || lng === null || Math.abs(lat) > 90 || Math.abs(lng) > 180) {
        return null;
      }
      return L.latLng(lat, lng);
    }

    function followFields() {
      var latlng = readFields();
      if (!latlng) {
        return;
      }
      placeMarker(latlng);
      if (!map.getBounds().contains(latlng)) {
        map.panTo(latlng);
      }
    }

    map.on("click", function (event) {
      placeMarker(event.latlng);
      writeFields(event.latlng);
    });
    ["input", "change"].forEach(function (type) {
      latitudeInput.addEventListener(type, followFields);
      longitudeInput.addEventListener(type, followFields);
    });

    var initial = readFields();
    if (initial) {
      placeMarker(initial);
      map.setView(initial, PLACED_ZOOM);
    }

    var wrapper = container.closest(".map-picker") || container.parentNode;
    wrapper.querySelectorAll("[data-bounds]").forEach(function (button) {
      var bounds = JSON.parse(button.dataset.bounds);
      button.addEventListener("click", function () {
        map.fitBounds(bounds);
      });
      // Where a cluster may be placed, drawn as vectors: staff still see France when no tile loads.
      L.rectangle(bounds, { interactive: false, fill: false, weight: 1, dashArray: "4 4", color: "#417690" }).addTo(map);
    });

    // Tests and curious staff can reach the map and its marker from the console.
    container.mapPicker = {
      map: map,
      getMarkerLatLng: function () {
        return marker ? marker.getLatLng() : null;
      },
    };
  }

  function initAll() {
    document.querySelectorAll("[data-map-picker]").forEach(initPicker);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
