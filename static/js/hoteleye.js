// Hotel Eye: guest-type fields of the check-in form (the camera is static/js/camera.js); live alert inbox.
(() => {
  "use strict";

  // --- Check-in form: show the identity fields of the chosen guest type.
  function setupCheckinForm(form) {
    const type = form.querySelector("#id_guest_type");
    const toggle = () => {
      form.querySelectorAll("[data-guest]").forEach((el) => {
        el.classList.toggle("d-none", !!type.value && el.dataset.guest !== type.value);
      });
    };
    if (type) { type.addEventListener("change", toggle); toggle(); }
  }

  // --- Alert inbox: poll only while the tab is visible; announce new alerts.
  function beep() {
    try {
      const ctx = new (window.AudioContext || window.webkitAudioContext)();
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = "square";
      osc.frequency.value = 880;
      gain.gain.value = 0.1;
      osc.connect(gain).connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + 0.4);
    } catch (e) { /* no audio: the badge and the row colour still show it */ }
  }

  function setupInbox(poller) {
    const button = document.getElementById("alert-enable-notify");
    if (button) {
      button.addEventListener("click", () => {
        beep();
        if (window.Notification && Notification.permission === "default") Notification.requestPermission();
        button.classList.add("d-none");
      });
    }
    poller.addEventListener("htmx:configRequest", (evt) => {
      evt.detail.parameters.after = poller.dataset.latest;
    });
    poller.addEventListener("htmx:beforeRequest", (evt) => {
      if (document.visibilityState !== "visible") evt.preventDefault();
    });
    poller.addEventListener("htmx:afterRequest", (evt) => {
      const xhr = evt.detail.xhr;
      if (!xhr || xhr.status !== 200) return;
      const latest = parseInt(xhr.getResponseHeader("X-Alerts-Latest") || "0", 10);
      const previous = parseInt(poller.dataset.latest || "0", 10);
      const badge = document.getElementById("alert-new-count");
      if (badge) badge.textContent = xhr.getResponseHeader("X-Alerts-New") || badge.textContent;
      poller.dataset.latest = String(latest);
      if (latest > previous) {
        beep();
        if (window.Notification && Notification.permission === "granted") {
          new Notification(poller.dataset.notifyTitle || "CASP", { tag: "casp-alert-" + latest });
        }
      }
    });
    // Check at once when the officer comes back to the tab.
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible" && window.htmx) window.htmx.trigger(poller, "casp:poll");
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("checkin-form");
    if (form) setupCheckinForm(form);
    const poller = document.getElementById("alert-poller");
    if (poller) setupInbox(poller);
  });
})();
