// Complaints portal: show only the chosen district's stations; find the nearest station by location.
document.addEventListener("DOMContentLoaded", () => {
  const district = document.getElementById("id_district");
  const station = document.getElementById("id_station");
  if (!district || !station) return;
  const filter = () => {
    const chosen = district.value;
    station.querySelectorAll("option[data-district]").forEach((opt) => {
      const show = !chosen || opt.dataset.district === chosen;
      opt.hidden = !show;
      opt.disabled = !show;
      if (!show && opt.selected) station.value = "";
    });
  };
  district.addEventListener("change", filter);
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
