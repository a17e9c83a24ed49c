/*
 * The story form's desk (templates/desk/story_form_desk.html):
 *
 * - autosave: while the form has unsaved changes, a copy of its fields goes
 *   to the server every few seconds (desk.StoryAutosave: the user's own, never
 *   a revision, never the story itself); on return it is offered back
 *   ("Unsaved changes from 10:42 — Restore / Discard") and restored here,
 *   the body editor included;
 * - a "leave page" warning while the form has unsaved changes (not when it
 *   is being saved);
 * - who else has the story open (a heartbeat; the server forgets a form
 *   that stops beating).
 */
(function () {
  "use strict";

  const root = document.getElementById("desk-story");
  const form = document.getElementById("article_form");
  if (!root || !form) {
    return;
  }
  const csrfInput = form.querySelector("input[name=csrfmiddlewaretoken]");
  const csrfToken = csrfInput ? csrfInput.value : "";
  const editable = root.dataset.editable === "1";
  const statusLine = root.querySelector("[data-desk-status]");

  // The story's own fields: not inline rows ("bylines-0-journalist"), not
  // the form's machinery.
  const SKIPPED = new Set(["csrfmiddlewaretoken", "loaded_version"]);
  const SKIPPED_TYPES = new Set(["submit", "button", "reset", "file", "image"]);

  function storyFields() {
    return Array.from(form.elements).filter(
      (el) =>
        el.name &&
        !el.name.includes("-") &&
        !el.name.startsWith("_") &&
        !SKIPPED.has(el.name) &&
        !SKIPPED_TYPES.has(el.type) &&
        !el.disabled
    );
  }

  function collect() {
    const fields = {};
    const labels = {};
    for (const el of storyFields()) {
      if (el.type === "checkbox") {
        fields[el.name] = el.checked ? el.value || "on" : "";
      } else if (el.type === "radio") {
        if (el.checked) {
          fields[el.name] = el.value;
        }
      } else if (el.tagName === "SELECT" && el.multiple) {
        const chosen = Array.from(el.selectedOptions);
        fields[el.name] = chosen.map((option) => option.value);
        labels[el.name] = chosen.map((option) => option.text).join("\n");
      } else if (el.tagName === "SELECT") {
        fields[el.name] = el.value;
        const option = el.selectedOptions[0];
        labels[el.name] = option ? option.text : "";
      } else {
        fields[el.name] = el.value;
      }
    }
    return { fields, labels };
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  let loaded = collect().fields;
  let submitting = false;

  function hasUnsavedChanges() {
    return editable && !same(collect().fields, loaded);
  }

  function request(url, method, body) {
    const options = {
      method,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken, Accept: "application/json" },
    };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then((response) =>
      response
        .json()
        .catch(() => ({
          error:
            response.status === 403
              ? "Your session or the form's security token has expired: reload the page."
              : "The desk did not answer as expected.",
        }))
        .then((data) => ({ ok: response.ok, status: response.status, data }))
    );
  }

  function say(text) {
    if (statusLine) {
      statusLine.textContent = text;
    }
  }

  // The leave-page warning.

  form.addEventListener("submit", () => {
    submitting = true;
  });
  window.addEventListener("beforeunload", (event) => {
    if (submitting || !hasUnsavedChanges()) {
      return;
    }
    event.preventDefault();
    event.returnValue = "";
  });

  // Autosave.

  const autosaveUrl = root.dataset.autosaveUrl;
  const every = Number(root.dataset.autosaveEvery) || 5000;
  const offer = root.querySelector("[data-desk-restore]");
  let lastSent = null;
  let paused = false; // while a copy is offered back, it is not overwritten
  let stopped = false;
  let changed = false;

  function baseVersion() {
    const field = form.querySelector("input[name=loaded_version]");
    return field ? field.value : "";
  }

  function autosave() {
    // Once the form is being saved, the save is what counts.
    if (!editable || paused || stopped || submitting || !changed) {
      return;
    }
    changed = false;
    const copy = collect();
    if (same(copy.fields, lastSent)) {
      return;
    }
    if (same(copy.fields, loaded)) {
      // Back to the story as it was opened: nothing to keep.
      lastSent = copy.fields;
      request(autosaveUrl, "DELETE").then(() => say(""));
      return;
    }
    lastSent = copy.fields;
    request(autosaveUrl, "POST", {
      fields: copy.fields,
      labels: copy.labels,
      base_version: baseVersion(),
    }).then(
      (answer) => {
        if (answer.ok) {
          say(
            `Draft copy kept at ${answer.data.saved_at_text} (only you see it). ` +
              "Save the story to keep your changes."
          );
          return;
        }
        lastSent = null;
        if (answer.status === 403 || answer.status === 409) {
          stopped = true;
        }
        say(`Autosave failed: ${answer.data.error}`);
      },
      () => {
        lastSent = null;
        changed = true;
        say("Autosave could not reach the desk; it will try again.");
      }
    );
  }

  function setBody(textarea, html) {
    // The editor (TipTap) keeps itself on its editable element.
    const wrap = textarea.closest(".prose-editor");
    const views = wrap ? Array.from(wrap.querySelectorAll(".ProseMirror")) : [];
    const view = views.find((element) => element.editor);
    if (view) {
      // Its update writes the document into the textarea (and says so).
      view.editor.commands.setContent(html || "", { emitUpdate: true });
    }
    textarea.value = html;
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function setSelect(select, value, label) {
    const values = Array.isArray(value) ? value : [value];
    const labels = (label || "").split("\n");
    values.forEach((each, index) => {
      if (each === "") {
        return;
      }
      const known = Array.from(select.options).some((o) => o.value === each);
      if (!known) {
        // An autocomplete (select2) holds only the option chosen when the
        // form was loaded: add the copy's, with the name it showed.
        select.add(new Option(labels[index] || each, each, false, false));
      }
    });
    for (const option of select.options) {
      option.selected = values.includes(option.value);
    }
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function restore(copy) {
    const fields = storyFields();
    for (const [name, value] of Object.entries(copy.fields)) {
      const matching = fields.filter((el) => el.name === name);
      for (const el of matching) {
        if (el.type === "checkbox") {
          el.checked = value !== "";
          el.dispatchEvent(new Event("change", { bubbles: true }));
        } else if (el.type === "radio") {
          el.checked = el.value === value;
        } else if (el.tagName === "SELECT") {
          setSelect(el, value, copy.labels[name]);
        } else if (el.tagName === "TEXTAREA" && el.closest(".prose-editor")) {
          setBody(el, value);
        } else {
          el.value = value;
          el.dispatchEvent(new Event("input", { bubbles: true }));
          el.dispatchEvent(new Event("change", { bubbles: true }));
        }
      }
    }
  }

  function closeOffer(text) {
    offer.hidden = true;
    paused = false;
    say(text);
  }

  function offerBack(copy) {
    const line = offer.querySelector("[data-desk-restore-text]");
    let text = `Unsaved changes from ${copy.saved_at_text}: restore them, or discard them.`;
    if (copy.story_changed_since) {
      const since = copy.story_changed_since;
      text +=
        ` The story was saved since, by ${since.by} at ${since.at_text}: ` +
        "restoring puts your copy over those changes.";
    }
    line.textContent = text;
    paused = true;
    offer.hidden = false;
    offer.querySelector("[data-desk-restore-button]").addEventListener(
      "click",
      () => {
        restore(copy);
        lastSent = collect().fields;
        closeOffer(
          `Restored your unsaved changes from ${copy.saved_at_text}. ` +
            "Save the story to keep them."
        );
      },
      { once: true }
    );
    offer.querySelector("[data-desk-discard-button]").addEventListener(
      "click",
      () => {
        request(autosaveUrl, "DELETE").then((answer) => {
          closeOffer(answer.ok ? "Discarded the unsaved changes." : answer.data.error);
        });
      },
      { once: true }
    );
  }

  if (editable && autosaveUrl) {
    form.addEventListener("input", () => {
      changed = true;
      if (paused) {
        say("Autosave waits until you restore or discard the unsaved changes above.");
      }
    });
    form.addEventListener("change", () => {
      changed = true;
    });
    request(autosaveUrl, "GET").then((answer) => {
      const copy = answer.ok && answer.data.autosave;
      if (!copy) {
        return;
      }
      if (same(copy.fields, collect().fields)) {
        request(autosaveUrl, "DELETE"); // the same as the form: nothing to offer
        return;
      }
      offerBack(copy);
    });
    window.setInterval(autosave, every);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") {
        autosave();
      }
    });
  }

  // Who else has the story open.

  const presenceUrl = root.dataset.presenceUrl;
  const leaveUrl = root.dataset.leaveUrl;
  const presenceBox = root.querySelector("[data-desk-presence]");

  function showOthers(others) {
    presenceBox.replaceChildren();
    for (const other of others) {
      const line = document.createElement("p");
      line.textContent = other.text;
      presenceBox.append(line);
    }
    if (others.some((other) => other.editing) && editable) {
      const hint = document.createElement("p");
      hint.className = "desk-presence-hint";
      hint.textContent =
        "Agree who changes what: if you both save, the second save is refused.";
      presenceBox.append(hint);
    }
    presenceBox.hidden = others.length === 0;
  }

  function heartbeat() {
    request(presenceUrl, "POST", {}).then(
      (answer) => {
        if (answer.ok) {
          showOthers(answer.data.others);
        }
      },
      () => {}
    );
  }

  if (presenceUrl) {
    heartbeat();
    window.setInterval(heartbeat, Number(root.dataset.heartbeatEvery) || 20000);
    window.addEventListener("pagehide", () => {
      const data = new FormData();
      data.append("csrfmiddlewaretoken", csrfToken);
      navigator.sendBeacon(leaveUrl, data);
    });
  }
})();
