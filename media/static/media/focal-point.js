// Photo admin: click the preview to set the focal point fields (0 to 1).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const picker = document.querySelector(".focal-point");
  const across = document.getElementById("id_focal_x");
  const down = document.getElementById("id_focal_y");
  if (!picker || !across || !down) {
    return;
  }
  const image = picker.querySelector("img");
  const marker = picker.querySelector(".focal-point__marker");
  const place = () => {
    marker.style.left = `${Number(across.value) * 100}%`;
    marker.style.top = `${Number(down.value) * 100}%`;
  };
  image.addEventListener("click", (event) => {
    const box = image.getBoundingClientRect();
    const fraction = (value) => Math.min(Math.max(value, 0), 1).toFixed(3);
    across.value = fraction((event.clientX - box.left) / box.width);
    down.value = fraction((event.clientY - box.top) / box.height);
    place();
  });
  across.addEventListener("input", place);
  down.addEventListener("input", place);
});
