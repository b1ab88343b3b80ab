/* Fills the complaint form's hidden latitude and longitude from the browser, only when
   the resident asks. The form works without this file (the position is optional). */
(function () {
  "use strict";
  var button = document.getElementById("ambil-lokasi");
  var lat = document.getElementById("lat");
  var lon = document.getElementById("lon");
  var status = document.getElementById("status-lokasi");
  if (!button || !lat || !lon || !status || !("geolocation" in navigator)) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = "Mencari lokasi Anda\u2026";
    navigator.geolocation.getCurrentPosition(
      function (position) {
        lat.value = position.coords.latitude.toFixed(6);
        lon.value = position.coords.longitude.toFixed(6);
        status.textContent = "Lokasi dari peramban tersimpan: " + lat.value + ", " + lon.value + ".";
      },
      function () {
        status.textContent =
          "Lokasi tidak dapat diambil. Pengaduan tetap dapat dikirim tanpa lokasi.";
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });
})();
