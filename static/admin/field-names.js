/*
 * Names for the desk's autocomplete pickers (Django's select2). select2 puts a
 * combobox in place of the <select> and names it by the text of the current
 * choice, so an empty picker has no name for a screen reader (axe:
 * aria-input-field-name). Each combobox is named by the <select>'s <label> (or,
 * in a row of a tabular inline, the <select>'s aria-label from
 * newsroom/admin_a11y.py) followed by the current choice. Pickers added later (a new inline row) are
 * named as they appear. Loaded on every desk page (templates/admin/base_site.html).
 */
(function () {
  "use strict";

  function labelOf(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (label) {
      if (!label.id) label.id = select.id + "-label";
      return label.id;
    }
    // A row of a tabular inline: the <select> carries its own aria-label.
    return select.id && select.getAttribute("aria-label") ? select.id : "";
  }

  function nameCombobox(box) {
    if (box.dataset.named) return;
    var container = box.closest(".select2-container");
    var select = container && container.previousElementSibling;
    if (!select || select.tagName !== "SELECT") return;
    var label = labelOf(select);
    if (!label) return;
    // Named by the field's label, then the current choice ("Section Politics").
    var rendered = box.querySelector(".select2-selection__rendered");
    var ids = [label];
    if (rendered && rendered.id) {
      ids.push(rendered.id);
      // The choice's text is part of the combobox's name, not a box of its own.
      rendered.removeAttribute("role");
      rendered.removeAttribute("aria-readonly");
    }
    box.setAttribute("aria-labelledby", ids.join(" "));
    box.dataset.named = "yes";
  }

  function nameAll(root) {
    root.querySelectorAll(".select2-selection[role=combobox]").forEach(nameCombobox);
  }

  function setUp() {
    nameAll(document);
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        change.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) nameAll(node.parentNode || node);
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
