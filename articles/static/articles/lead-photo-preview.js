// Story form: the lead photo as it will appear, redrawn as soon as a photo is
// chosen in the lead photo field or added with its "+" pop-up (whose saving
// hands the new photo back to the field), without saving the story. The
// photo's caption, credit and alt text come from the photo admin's preview
// (JSON, staff who may view photos). Built with DOM methods: no innerHTML,
// no inline style (the Content-Security-Policy).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const card = document.querySelector(".lead-photo-card");
  const select = document.getElementById("id_lead_photo");
  if (!card || !select || !card.dataset.previewUrl) {
    return;
  }
  const NONE = "No lead photo. Choose one above, or add one with the + button.";
  let asked = 0;

  const line = (text, { small = false, className = "" } = {}) => {
    const paragraph = document.createElement("p");
    if (className) {
      paragraph.className = className;
    }
    if (small) {
      const words = document.createElement("small");
      words.textContent = text;
      paragraph.append(words);
    } else {
      paragraph.textContent = text;
    }
    return paragraph;
  };

  const draw = (photo) => {
    const parts = [];
    if (photo.image) {
      const image = document.createElement("img");
      image.src = photo.image.url;
      image.alt = photo.alt_text;
      image.className = "lead-photo-preview";
      parts.push(image);
    } else {
      const missing = document.createElement("strong");
      missing.textContent = "The picture file is missing.";
      parts.push(missing);
    }
    parts.push(line(photo.caption || "(no caption)"));
    parts.push(line(`Photo: ${photo.credit || "(no credit)"}`, { small: true }));
    parts.push(line(`Alt text: ${photo.alt_text || "(none)"}`, { small: true }));
    if (photo.missing.length) {
      parts.push(
        line(
          `Before the story goes out, the photo needs ${photo.missing.join(", ")}.`,
          { className: "lead-photo-card__missing" },
        ),
      );
    }
    card.replaceChildren(...parts);
  };

  const show = () => {
    const value = select.value;
    const number = ++asked;
    if (!value) {
      card.replaceChildren(document.createTextNode(NONE));
      return;
    }
    const url = new URL(card.dataset.previewUrl, window.location.href);
    url.searchParams.set("photo", value);
    card.setAttribute("aria-busy", "true");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => {
        if (!response.ok) {
          throw new Error(`preview answered ${response.status}`);
        }
        return response.json();
      })
      .then((photo) => {
        if (number === asked) {
          draw(photo);
        }
      })
      .catch(() => {
        if (number === asked) {
          card.replaceChildren(
            document.createTextNode(
              "The photo's preview could not be loaded; save the story to see it.",
            ),
          );
        }
      })
      .finally(() => {
        if (number === asked) {
          card.removeAttribute("aria-busy");
        }
      });
  };

  // The autocomplete (select2) and the pop-up's return announce the change
  // through jQuery, which a jQuery listener hears (a native one would not).
  if (window.django && window.django.jQuery) {
    window.django.jQuery(select).on("change", show);
  } else {
    select.addEventListener("change", show);
  }
});
