/* The story form's fields, sized for their content (articles/widgets.py):
 *
 * - the length hints under the headline, standfirst and SEO fields count as
 *   the editor types; one-line texts (the headline) take no line break;
 * - the tags line becomes chips: Enter or a comma adds one, the × button or
 *   Backspace in the empty box removes one; the chips are written back into
 *   the line, which is what the form sends (and what works without script);
 * - a word count and reading time under the body editor;
 * - the search and share-card preview asks the server for the cards again
 *   as the headline, standfirst, address, section, photo and SEO fields change.
 *
 * A static file: the Content-Security-Policy allows no inline script, and no
 * style attribute is written (classes only).
 */
(function () {
  "use strict";

  var WORDS_PER_MINUTE = 230;

  // Length hints ------------------------------------------------------------

  function setUpLengthHint(box) {
    var hint = document.getElementById(box.id + "_length");
    if (!hint) return;
    var count = hint.querySelector(".length-hint__count");
    var over = hint.querySelector(".length-hint__over");
    var recommended = parseInt(box.dataset.recommended, 10);
    function update() {
      var length = box.value.length;
      count.textContent = String(length);
      over.textContent = length > recommended ? " — " + (length - recommended) + " over" : "";
      hint.classList.toggle("length-hint--over", length > recommended);
    }
    box.addEventListener("input", update);
    update();
  }

  function setUpOneLine(box) {
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
    box.addEventListener("input", function () {
      if (/[\r\n]/.test(box.value)) {
        var at = box.selectionStart;
        box.value = box.value.replace(/\s*[\r\n]+\s*/g, " ");
        box.setSelectionRange(at, at);
      }
    });
  }

  // Tags: the line's format is parse_tag_list's (articles/widgets.py) --------

  function parseTagList(text) {
    var names = [];
    var name = "";
    var quoted = false;
    for (var i = 0; i < text.length; i++) {
      var char = text[i];
      if (quoted) {
        if (char === '"') {
          if (text[i + 1] === '"') {
            name += '"';
            i++;
            continue;
          }
          quoted = false;
          continue;
        }
        name += char;
        continue;
      }
      if (char === ",") {
        names.push(name);
        name = "";
      } else if (char === '"' && name.trim() === "") {
        name = "";
        quoted = true;
      } else {
        name += char;
      }
    }
    names.push(name);
    var unique = [];
    names.forEach(function (item) {
      item = item.split(/\s+/).filter(Boolean).join(" ");
      if (item && unique.indexOf(item) === -1) unique.push(item);
    });
    return unique;
  }

  function formatTagList(names) {
    return names
      .map(function (name) {
        return name.indexOf(",") !== -1 || name.charAt(0) === '"'
          ? '"' + name.replace(/"/g, '""') + '"'
          : name;
      })
      .join(", ");
  }

  function inOpenQuote(text) {
    var trimmed = text.replace(/^\s+/, "");
    if (trimmed.charAt(0) !== '"') return false;
    return (trimmed.match(/"/g) || []).length % 2 === 1;
  }

  function setUpTagChips(line) {
    var tags = parseTagList(line.value);
    var wrapper = document.createElement("div");
    wrapper.className = "tag-chips";
    var list = document.createElement("ul");
    list.className = "tag-chips__list";
    list.setAttribute("aria-label", "Tags of this story");
    var entry = document.createElement("input");
    entry.type = "text";
    entry.className = "tag-chips__entry";
    entry.autocomplete = "off";
    entry.placeholder = "Add a tag";
    var status = document.createElement("p");
    status.className = "tag-chips__status";
    status.setAttribute("role", "status");

    // The field's label and help text now belong to the box one types in.
    var id = line.id;
    line.id = id + "_line";
    entry.id = id;
    if (line.getAttribute("aria-describedby")) {
      entry.setAttribute("aria-describedby", line.getAttribute("aria-describedby"));
    }
    line.type = "hidden";
    line.parentNode.insertBefore(wrapper, line);
    wrapper.appendChild(list);
    wrapper.appendChild(entry);
    wrapper.appendChild(line);
    wrapper.appendChild(status);

    function say(text) {
      status.textContent = text;
    }

    function render() {
      list.replaceChildren();
      tags.forEach(function (name, index) {
        var chip = document.createElement("li");
        chip.className = "tag-chips__chip";
        var label = document.createElement("span");
        label.className = "tag-chips__name";
        label.textContent = name;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "tag-chips__remove";
        remove.setAttribute("aria-label", "Remove tag “" + name + "”");
        remove.textContent = "×";
        remove.addEventListener("click", function () {
          removeAt(index);
          entry.focus();
        });
        chip.appendChild(label);
        chip.appendChild(remove);
        list.appendChild(chip);
      });
      list.hidden = tags.length === 0;
      line.value = formatTagList(tags);
    }

    function removeAt(index) {
      var name = tags[index];
      tags.splice(index, 1);
      render();
      say("Removed tag “" + name + "”.");
    }

    function commit() {
      var names = parseTagList(entry.value);
      entry.value = "";
      var added = [];
      var repeated = [];
      names.forEach(function (name) {
        if (tags.indexOf(name) === -1) {
          tags.push(name);
          added.push(name);
        } else {
          repeated.push(name);
        }
      });
      if (!names.length) return;
      render();
      var words = [];
      if (added.length) words.push("Added tag " + added.map(quoteName).join(", ") + ".");
      if (repeated.length) words.push(repeated.map(quoteName).join(", ") + " is already a tag.");
      say(words.join(" "));
    }

    function quoteName(name) {
      return "“" + name + "”";
    }

    entry.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        commit();
      } else if (event.key === "," && !inOpenQuote(entry.value)) {
        event.preventDefault();
        commit();
      } else if (
        event.key === "Backspace" &&
        entry.value === "" &&
        tags.length
      ) {
        event.preventDefault();
        removeAt(tags.length - 1);
      }
    });
    entry.addEventListener("input", function () {
      // A pasted list: every complete tag becomes a chip.
      if (entry.value.indexOf(",") !== -1 && !inOpenQuote(entry.value)) commit();
    });
    // Typed text left in the box is a tag too; after any click on a chip's
    // button has been handled (committing re-draws the chips).
    entry.addEventListener("blur", function () {
      window.setTimeout(commit, 0);
    });
    if (line.form) line.form.addEventListener("submit", commit);
    render();
  }

  // The body: spelling, word count and reading time --------------------------

  function countWords(text) {
    var words = text.match(/[\p{L}\p{N}][\p{L}\p{N}\p{M}'’\-]*/gu);
    return words ? words.length : 0;
  }

  function setUpBodyCount(textarea) {
    var count = document.createElement("p");
    count.className = "body-count";
    count.id = textarea.id + "_count";
    var done = false;

    function attach(editor) {
      done = true;
      editor.setAttribute("spellcheck", "true");
      // The editable text is named by the field's label, described by its
      // help text and the count.
      var label = document.querySelector("label[for=" + textarea.id + "]");
      if (label) {
        label.id = label.id || textarea.id + "_label";
        editor.setAttribute("aria-labelledby", label.id);
      }
      var help = document.getElementById(textarea.id + "_helptext");
      editor.setAttribute(
        "aria-describedby",
        (help ? help.id + " " : "") + count.id
      );
      (editor.closest(".prose-editor") || editor.parentNode).appendChild(count);
      function update() {
        var words = countWords(editor.innerText || "");
        var minutes = Math.max(1, Math.ceil(words / WORDS_PER_MINUTE));
        count.textContent =
          words.toLocaleString() +
          (words === 1 ? " word" : " words") +
          " · " +
          (words ? "about " + minutes + " min read" : "no reading time yet");
      }
      editor.addEventListener("input", update);
      editor.addEventListener("keyup", update);
      // The editor also changes the text through its menu (lists, quotes).
      new MutationObserver(update).observe(editor, {
        childList: true,
        subtree: true,
        characterData: true,
      });
      update();
    }

    var row = textarea.closest(".form-row") || textarea.parentNode;
    // The editable text, not the menu's heading picker (also a .ProseMirror).
    var EDITABLE = ".ProseMirror[contenteditable]";
    var found = row.querySelector(EDITABLE);
    if (found) return attach(found);
    var watch = new MutationObserver(function () {
      var editor = row.querySelector(EDITABLE);
      if (editor && !done) {
        watch.disconnect();
        attach(editor);
      }
    });
    watch.observe(row, { childList: true, subtree: true });
  }

  // The search and share-card preview ---------------------------------------

  var PREVIEW_FIELDS = [
    "headline",
    "standfirst",
    "seo_title",
    "seo_description",
    "slug",
    "section",
    "lead_photo",
  ];

  function setUpCardPreview(section, form) {
    var body = section.querySelector("[data-card-preview-body]");
    var status = section.querySelector("[data-card-preview-status]");
    var timer = null;
    var running = null;

    function refresh() {
      var data = new FormData();
      var token = form.querySelector("[name=csrfmiddlewaretoken]");
      if (token) data.append("csrfmiddlewaretoken", token.value);
      data.append("story", section.dataset.story || "");
      PREVIEW_FIELDS.forEach(function (name) {
        var field = form.elements.namedItem(name);
        if (field && "value" in field) data.append(name, field.value);
      });
      if (running) running.abort();
      running = new AbortController();
      fetch(section.dataset.cardPreviewUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-Requested-With": "XMLHttpRequest" },
        signal: running.signal,
      })
        .then(function (response) {
          if (!response.ok) throw new Error("the server answered " + response.status);
          return response.text();
        })
        .then(function (html) {
          body.innerHTML = html;
          section.dataset.updated = String(Date.now());
          status.textContent = "";
        })
        .catch(function (error) {
          if (error.name === "AbortError") return;
          status.textContent = "The preview could not be updated (" + error.message + ").";
        });
    }

    function soon() {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 350);
    }

    PREVIEW_FIELDS.forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (!field || !field.addEventListener) return;
      field.addEventListener("input", soon);
      field.addEventListener("change", soon);
    });
    // The section and photo pickers (select2) announce through jQuery.
    if (window.django && window.django.jQuery) {
      window.django.jQuery(form).on("change", "#id_section, #id_lead_photo", soon);
    }
    // After a refused save the form holds values the stored story lacks.
    if (document.querySelector(".errornote")) refresh();
  }

  // Date and time boxes: Django's split date-time field labels neither box
  // (its label points at no input), so each is named after its field.
  function nameDateTimeBoxes(form) {
    form.querySelectorAll("p.datetime").forEach(function (pair) {
      var row = pair.closest(".form-row, .fieldBox, div");
      var label = row && row.querySelector("label");
      var name = label ? label.textContent.replace(/[:\s]+$/, "") : "";
      if (!name) return;
      pair.querySelectorAll("input.vDateField").forEach(function (box) {
        if (!box.labels.length) box.setAttribute("aria-label", name + ", date");
      });
      pair.querySelectorAll("input.vTimeField").forEach(function (box) {
        if (!box.labels.length) box.setAttribute("aria-label", name + ", time");
      });
    });
  }

  function setUp() {
    var form = document.getElementById("article_form");
    if (!form) return;
    form.querySelectorAll("[data-recommended]").forEach(setUpLengthHint);
    form.querySelectorAll(".story-text--line").forEach(setUpOneLine);
    form.querySelectorAll("input[data-tag-chips]").forEach(setUpTagChips);
    var body = form.querySelector("textarea[name=body]");
    if (body) setUpBodyCount(body);
    nameDateTimeBoxes(form);
    var preview = form.querySelector("[data-card-preview-url]");
    if (preview) setUpCardPreview(preview, form);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
