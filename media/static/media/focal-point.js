// Photo admin: click the picture to set the focal point fields (0 to 1).
// On a new photo (the story form's "+" pop-up too) the picture is the file
// just chosen, read in the browser (a data: address, which the policy's
// img-src allows), so the focal point is set before the first save.
// The marker is placed from here (no style="" in the page, for the CSP).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const picker = document.querySelector(".focal-point");
  if (!picker) {
    return;
  }
  const image = picker.querySelector("img");
  const marker = picker.querySelector(".focal-point__marker");
  const hint = picker.querySelector(".focal-point__hint");
  const across = document.getElementById("id_focal_x");
  const down = document.getElementById("id_focal_y");
  const place = (x, y) => {
    marker.style.left = `${Number(x) * 100}%`;
    marker.style.top = `${Number(y) * 100}%`;
    marker.hidden = image.hidden;
  };
  place(marker.dataset.focalX, marker.dataset.focalY);

  if (picker.classList.contains("focal-point--pending")) {
    const file = document.getElementById("id_image");
    const altText = document.getElementById("id_alt_text");
    const describe = () => {
      image.alt = altText && altText.value.trim()
        ? altText.value.trim()
        : "The chosen picture";
    };
    if (file) {
      file.addEventListener("change", () => {
        const chosen = file.files && file.files[0];
        if (!chosen || !chosen.type.startsWith("image/")) {
          image.hidden = true;
          image.removeAttribute("src");
          marker.hidden = true;
          hint.textContent = "Choose the picture file above, then click its subject here.";
          return;
        }
        const reader = new FileReader();
        reader.addEventListener("load", () => {
          image.src = reader.result;
          describe();
          image.hidden = false;
          hint.textContent = "Click the subject of the picture: crops keep it in view.";
          place(across ? across.value : 0.5, down ? down.value : 0.5);
        });
        reader.readAsDataURL(chosen);
      });
    }
    if (altText) {
      altText.addEventListener("input", describe);
    }
  }

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
