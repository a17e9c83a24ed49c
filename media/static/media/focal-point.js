// Photo admin: click the preview to set the focal point fields (0 to 1).
// The marker is placed from here (no style="" in the page, for the CSP).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const picker = document.querySelector(".focal-point");
  if (!picker) {
    return;
  }
  const image = picker.querySelector("img");
  const marker = picker.querySelector(".focal-point__marker");
  const place = (x, y) => {
    marker.style.left = `${Number(x) * 100}%`;
    marker.style.top = `${Number(y) * 100}%`;
    marker.hidden = false;
  };
  place(marker.dataset.focalX, marker.dataset.focalY);
  const across = document.getElementById("id_focal_x");
  const down = document.getElementById("id_focal_y");
  if (!across || !down) {
    return;
  }
  const follow = () => place(across.value, down.value);
  image.addEventListener("click", (event) => {
    const box = image.getBoundingClientRect();
    const fraction = (value) => Math.min(Math.max(value, 0), 1).toFixed(3);
    across.value = fraction((event.clientX - box.left) / box.width);
    down.value = fraction((event.clientY - box.top) / box.height);
    follow();
  });
  across.addEventListener("input", follow);
  down.addEventListener("input", follow);
});
