// Complaints portal: list only the chosen district's stations; find the nearest station by location.
document.addEventListener("DOMContentLoaded", () => {
  const district = document.getElementById("id_district");
  const station = document.getElementById("id_station");
  if (!district || !station) return;
  // Options are removed and re-added rather than hidden: phone pickers (iOS, some Android) show hidden options.
  const all = Array.from(station.querySelectorAll("option[data-district]"));
  const filter = () => {
    const chosen = district.value;
    const keep = station.value;
    all.forEach((opt) => opt.remove());
    all.filter((opt) => !chosen || opt.dataset.district === chosen).forEach((opt) => station.appendChild(opt));
    station.value = all.some((opt) => opt.value === keep && opt.parentNode === station) ? keep : "";
  };
  district.addEventListener("change", filter);
  window.addEventListener("pageshow", filter);  // a form restored by the back button keeps its district
  filter();
  const button = document.getElementById("use-location");
  const status = document.getElementById("location-status");
  if (!button || !navigator.geolocation) return;
  button.classList.remove("d-none");
  button.addEventListener("click", () => {
    status.classList.remove("d-none");
    status.textContent = button.dataset.wait || "…";
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        document.getElementById("id_latitude").value = pos.coords.latitude.toFixed(6);
        document.getElementById("id_longitude").value = pos.coords.longitude.toFixed(6);
        station.value = "";
        status.textContent = button.dataset.found || "✓";
      },
      () => { status.textContent = button.dataset.failed || "✗"; },
      { timeout: 10000 }
    );
  });
});
