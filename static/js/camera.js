// Take a photo with the device camera into the form's ordinary #id_photo file input (Hotel Eye check-in,
// Khidmat Markaz counter). Shown only where the browser offers a camera; otherwise the upload stays.
(() => {
  "use strict";

  function setupCamera(form) {
    const input = form.querySelector("#id_photo");
    const start = form.querySelector("#camera-start");
    const box = form.querySelector("#camera");
    const video = form.querySelector("#camera-video");
    const shoot = form.querySelector("#camera-shoot");
    const canvas = form.querySelector("#camera-canvas");
    const error = form.querySelector("#camera-error");
    if (!input || !start) return;
    if (!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia && window.DataTransfer)) return;
    start.classList.remove("d-none");
    let stream = null;
    start.addEventListener("click", async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "user" }, audio: false });
        video.srcObject = stream;
        box.classList.remove("d-none");
        start.classList.add("d-none");
      } catch (e) {
        error.classList.remove("d-none");
      }
    });
    shoot.addEventListener("click", () => {
      canvas.width = video.videoWidth || 640;
      canvas.height = video.videoHeight || 480;
      canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
      canvas.toBlob((blob) => {
        if (!blob) return;
        // Put the picture into the ordinary file input, so the server sees one kind of upload.
        const transfer = new DataTransfer();
        transfer.items.add(new File([blob], "camera.jpg", { type: "image/jpeg" }));
        input.files = transfer.files;
        canvas.classList.remove("d-none");
        box.classList.add("d-none");
        start.classList.remove("d-none");
        if (stream) { stream.getTracks().forEach((t) => t.stop()); stream = null; }
      }, "image/jpeg", 0.9);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form[data-camera]").forEach(setupCamera);
  });
})();
