/*
 * The story form's quotes (articles/desk_quotes.py): a compact list whose
 * lines open on demand, each quote's words marked in the body editor, and
 * “Find quotes”, which proposes the quotes the importer's finder reads in the
 * body as typed. An accepted proposal becomes a new row of the inline; the
 * story's save stores it, nothing before.
 *
 * The marks are CSS Custom Highlights: they colour ranges of the editor's
 * text without touching its DOM, so the editor never sees them.
 */
(function () {
  "use strict";

  const ALL = "nr-quote";
  const ACTIVE = "nr-quote-active";
  const canHighlight = typeof CSS !== "undefined" && CSS.highlights && typeof Highlight === "function";

  function ready(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  function field(row, name) {
    return row.querySelector(`[name$="-${name}"]`);
  }

  function isLive(row) {
    return !row.classList.contains("empty-form") && !row.id.endsWith("-empty");
  }

  function firstWords(text, count) {
    const words = (text || "").trim().split(/\s+/).filter(Boolean);
    if (!words.length) return "(no text yet)";
    return words.length <= count ? words.join(" ") : `${words.slice(0, count).join(" ")} …`;
  }

  // The body as the editor shows it now, and its text for matching.

  function bodyRoot() {
    return (
      document.querySelector(".field-body .ProseMirror[contenteditable]") ||
      document.querySelector(".field-body .readonly")
    );
  }

  function bodyHTML() {
    const editor = document.querySelector(".field-body .ProseMirror[contenteditable]");
    if (editor) return editor.innerHTML;
    const area = document.querySelector("textarea[name=body]");
    if (area) return area.value;
    const shown = document.querySelector(".field-body .readonly");
    return shown ? shown.innerHTML : "";
  }

  const BLOCKS = new Set(["P", "H1", "H2", "H3", "H4", "LI", "BLOCKQUOTE", "DIV"]);

  function blockOf(node, root) {
    let el = node.parentNode;
    while (el && el !== root && !BLOCKS.has(el.nodeName)) el = el.parentNode;
    return el;
  }

  /* The body's text with runs of space made one, and for each character the
   * text node and offset it came from (null between blocks). */
  function flatten(root) {
    const chars = [];
    const where = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let block = null;
    let node;
    while ((node = walker.nextNode())) {
      const here = blockOf(node, root);
      if (here !== block && chars.length) {
        chars.push(" ");
        where.push(null);
      }
      block = here;
      const text = node.nodeValue;
      for (let i = 0; i < text.length; i += 1) {
        const c = /\s/.test(text[i]) ? " " : text[i];
        if (c === " " && chars[chars.length - 1] === " ") continue;
        chars.push(c);
        where.push([node, i]);
      }
    }
    return { text: chars.join(""), where };
  }

  function rangeFor(flat, quote) {
    const needle = (quote || "").replace(/\s+/g, " ").trim();
    if (needle.length < 2) return null;
    let at = flat.text.indexOf(needle);
    if (at < 0) at = flat.text.toLowerCase().indexOf(needle.toLowerCase());
    if (at < 0) return null;
    let start = at;
    let end = at + needle.length - 1;
    while (start <= end && !flat.where[start]) start += 1;
    while (end >= start && !flat.where[end]) end -= 1;
    if (start > end) return null;
    const range = document.createRange();
    range.setStart(flat.where[start][0], flat.where[start][1]);
    range.setEnd(flat.where[end][0], flat.where[end][1] + 1);
    return range;
  }

  /* A read-only copy of the body's text beside the list, block by block,
   * built from text only (nothing of the body is parsed as markup). */
  const COPIED = "p, h2, h3, h4, li, blockquote > p";

  function copyBody(panel) {
    const editor = bodyRoot();
    if (!editor || !panel) return;
    const blocks = Array.from(editor.querySelectorAll(COPIED)).filter(
      (el) => !el.querySelector(COPIED)
    );
    panel.replaceChildren(
      ...blocks
        .filter((el) => el.textContent.trim())
        .map((el) => {
          const copy = document.createElement(/^H[234]$/.test(el.nodeName) ? "h4" : "p");
          copy.textContent = el.textContent;
          return copy;
        })
    );
  }

  function QuoteDesk(group) {
    this.group = group;
    this.prefix = group.dataset.prefix;
    this.findUrl = group.dataset.findUrl || "";
    this.story = group.dataset.story || null;
    this.status = group.querySelector(".quote-find-status");
    this.proposalList = group.querySelector(".quote-proposals");
    this.active = null; // the text marked as the one pointed at
    this.flat = null;
    this.panel = group.querySelector(".quote-body-text");
    this.panelFlat = null;
    const view = group.querySelector(".quote-body-view");
    if (view && canHighlight) view.hidden = false;
    this.bind();
    this.rows().forEach((row) => this.describe(row));
    this.watchBody();
  }

  QuoteDesk.prototype.rows = function () {
    return Array.from(this.group.querySelectorAll(".quote-row")).filter(isLive);
  };

  QuoteDesk.prototype.bind = function () {
    const group = this.group;
    group.addEventListener("click", (event) => {
      const toggle = event.target.closest(".quote-toggle");
      if (toggle) {
        this.toggle(toggle.closest(".quote-row"));
      }
    });
    group.addEventListener("input", (event) => this.changed(event));
    group.addEventListener("change", (event) => this.changed(event));
    group.addEventListener("mouseover", (event) => this.point(event));
    group.addEventListener("focusin", (event) => this.point(event));
    group.addEventListener("mouseleave", () => this.mark(null));
    const find = group.querySelector(".quote-find");
    if (find && this.findUrl) {
      find.hidden = false;
      find.addEventListener("click", () => this.find(find));
    }
    document.addEventListener("formset:added", (event) => {
      if (event.detail && event.detail.formsetName === this.prefix) {
        const row = event.target;
        row.classList.remove("quote-open");
        this.open(row, true);
        this.describe(row);
      }
    });
    document.addEventListener("formset:removed", (event) => {
      if (event.detail && event.detail.formsetName === this.prefix) this.highlight();
    });
    // A source picked by hand replaces a proposed new one.
    if (window.django && django.jQuery) {
      django.jQuery(group).on("select2:select select2:clear", "select", (event) => {
        const row = event.target.closest(".quote-row");
        const name = field(row, "new_source_name");
        if (name) name.value = "";
        this.describe(row);
      });
    }
  };

  QuoteDesk.prototype.toggle = function (row) {
    const details = row.querySelector(".quote-details");
    this.open(row, details.hidden);
  };

  QuoteDesk.prototype.open = function (row, open) {
    row.querySelector(".quote-details").hidden = !open;
    row.querySelector(".quote-toggle").setAttribute("aria-expanded", open ? "true" : "false");
    row.classList.toggle("quote-open", open);
  };

  QuoteDesk.prototype.textOf = function (row) {
    const area = field(row, "text");
    if (area) return area.value;
    const shown = row.querySelector(".field-text .readonly");
    return shown ? shown.textContent : "";
  };

  /* The row's line: who (as the picker names them), what kind, first words. */
  QuoteDesk.prototype.describe = function (row) {
    const speaker = row.querySelector(".quote-speaker");
    const select = field(row, "source");
    const newName = field(row, "new_source_name");
    if (select) {
      const chosen = select.selectedOptions[0];
      if (chosen && chosen.value) {
        speaker.textContent = chosen.textContent;
      } else if (newName && newName.value) {
        speaker.textContent = `${newName.value} (new source)`;
      } else {
        speaker.textContent = "Unattributed";
      }
    }
    const kind = field(row, "kind");
    if (kind && kind.selectedOptions[0]) {
      row.querySelector(".quote-kind").textContent = kind.selectedOptions[0].textContent;
    }
    row.querySelector(".quote-words").textContent = firstWords(this.textOf(row), 12);
  };

  QuoteDesk.prototype.changed = function (event) {
    const row = event.target.closest(".quote-row");
    if (!row || !isLive(row)) return;
    this.describe(row);
    if (event.target.name && event.target.name.endsWith("-text")) {
      this.active = this.textOf(row);
      this.highlight();
    }
  };

  QuoteDesk.prototype.point = function (event) {
    const row = event.target.closest(".quote-row, .quote-proposal");
    if (!row) return;
    const text = row.classList.contains("quote-proposal") ? row.dataset.text : this.textOf(row);
    if (text !== this.active) this.mark(text);
  };

  QuoteDesk.prototype.mark = function (text) {
    this.active = text;
    this.highlight(true);
  };

  // Marks in the body

  QuoteDesk.prototype.watchBody = function () {
    let timer = null;
    const again = () => {
      clearTimeout(timer);
      timer = setTimeout(() => this.highlight(), 250);
    };
    const container = document.querySelector(".field-body") || document.body;
    new MutationObserver(again).observe(container, {
      childList: true,
      subtree: true,
      characterData: true,
    });
    again();
  };

  QuoteDesk.prototype.highlight = function (activeOnly) {
    if (!canHighlight) return;
    const root = bodyRoot();
    if (!root) return;
    if (!activeOnly || !this.flat) {
      copyBody(this.panel);
      this.flat = flatten(root);
      this.panelFlat = this.panel ? flatten(this.panel) : null;
    }
    const texts = [this.flat, this.panelFlat].filter(Boolean);
    if (!activeOnly) {
      const all = new Highlight();
      this.rows().forEach((row) => {
        const gone = field(row, "DELETE");
        if (gone && gone.checked) return;
        const text = this.textOf(row);
        const ranges = texts.map((flat) => rangeFor(flat, text)).filter(Boolean);
        row.classList.toggle("quote-unplaced", !ranges.length && Boolean(text.trim()));
        ranges.forEach((range) => all.add(range));
      });
      CSS.highlights.set(ALL, all);
    }
    const active = new Highlight();
    const ranges = this.active
      ? texts.map((flat) => rangeFor(flat, this.active)).filter(Boolean)
      : [];
    ranges.forEach((range) => active.add(range));
    CSS.highlights.set(ACTIVE, active);
    // Bring the marked words into view in the copy beside the list.
    const inPanel = this.panelFlat && this.active ? rangeFor(this.panelFlat, this.active) : null;
    if (inPanel) {
      const box = inPanel.getBoundingClientRect();
      const frame = this.panel.getBoundingClientRect();
      if (box.top < frame.top || box.bottom > frame.bottom) {
        this.panel.scrollTop += box.top - frame.top - frame.height / 3;
      }
    }
  };

  // Find quotes

  QuoteDesk.prototype.existing = function () {
    return this.rows()
      .filter((row) => {
        const gone = field(row, "DELETE");
        return !(gone && gone.checked);
      })
      .map((row) => this.textOf(row))
      .filter((text) => text.trim());
  };

  QuoteDesk.prototype.say = function (text) {
    this.status.textContent = text;
  };

  QuoteDesk.prototype.find = async function (button) {
    const token = document.querySelector("input[name=csrfmiddlewaretoken]");
    button.disabled = true;
    this.say("Looking for quotes in the body…");
    try {
      const response = await fetch(this.findUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          "X-CSRFToken": token ? token.value : "",
        },
        body: JSON.stringify({
          body: bodyHTML(),
          story: this.story ? Number(this.story) : null,
          existing: this.existing(),
        }),
      });
      const answer = await response.json().catch(() => ({}));
      if (!response.ok) {
        this.say(answer.error || `The search failed (${response.status}).`);
        return;
      }
      this.propose(answer);
    } catch (error) {
      this.say("The search could not reach the server. Try again.");
    } finally {
      button.disabled = false;
    }
  };

  QuoteDesk.prototype.propose = function (answer) {
    const list = this.proposalList;
    list.replaceChildren();
    const proposals = answer.proposals || [];
    proposals.forEach((proposal) => list.append(this.proposalItem(proposal)));
    list.hidden = proposals.length === 0;
    const already = answer.already
      ? ` ${answer.already} ${answer.already === 1 ? "is" : "are"} in the list already.`
      : "";
    if (!answer.found) {
      this.say("No quotes found in the body.");
    } else if (!proposals.length) {
      this.say(`No new quotes: the ${answer.found} found are in the list already.`);
    } else {
      const s = proposals.length === 1 ? "" : "s";
      this.say(`${proposals.length} new quote${s} found; add the ones you want.${already}`);
    }
  };

  QuoteDesk.prototype.proposalItem = function (proposal) {
    const item = document.createElement("li");
    item.className = "quote-proposal";
    item.dataset.text = proposal.text;
    const text = document.createElement("p");
    text.className = "quote-proposal-text";
    text.textContent = `“${proposal.text}”`;
    const meta = document.createElement("p");
    meta.className = "quote-proposal-meta";
    let who = "Unattributed";
    if (proposal.source) who = proposal.source.label;
    else if (proposal.new_source) who = proposal.new_source.name;
    meta.textContent = `${proposal.kind_label} · ${who} — ${proposal.note}`;
    const accept = document.createElement("button");
    accept.type = "button";
    accept.className = "button quote-accept";
    accept.textContent = "Add this quote";
    accept.setAttribute("aria-label", `Add this quote: “${firstWords(proposal.text, 8)}”`);
    accept.addEventListener("click", () => this.accept(proposal, item));
    const dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.className = "button quote-dismiss";
    dismiss.textContent = "Dismiss";
    dismiss.setAttribute("aria-label", `Dismiss: “${firstWords(proposal.text, 8)}”`);
    dismiss.addEventListener("click", () => this.drop(item, "Dismissed."));
    const actions = document.createElement("div");
    actions.className = "quote-proposal-actions";
    actions.append(accept, dismiss);
    item.append(text, meta, actions);
    return item;
  };

  QuoteDesk.prototype.drop = function (item, message) {
    const next = item.nextElementSibling || item.previousElementSibling;
    item.remove();
    if (this.active === item.dataset.text) this.mark(null);
    this.proposalList.hidden = !this.proposalList.children.length;
    this.say(message);
    const focus = next && next.querySelector(".quote-accept");
    if (focus) focus.focus();
  };

  QuoteDesk.prototype.accept = function (proposal, item) {
    const add = this.group.querySelector(".add-row a");
    const total = document.getElementById(`id_${this.prefix}-TOTAL_FORMS`);
    if (!add || !total) {
      this.say("No more quotes can be added to this story.");
      return;
    }
    const positions = Array.from(this.group.querySelectorAll('[name$="-position"]'))
      .filter((input) => !input.name.includes("__prefix__"))
      .map((input) => Number(input.value) || 0);
    add.click();
    const row = document.getElementById(`${this.prefix}-${Number(total.value) - 1}`);
    if (!row) return;
    field(row, "text").value = proposal.text;
    field(row, "kind").value = proposal.kind;
    field(row, "position").value = positions.length ? Math.max(...positions) + 1 : 0;
    const select = field(row, "source");
    if (proposal.source && select) {
      select.append(new Option(proposal.source.label, proposal.source.id, true, true));
      if (window.django && django.jQuery) django.jQuery(select).trigger("change");
    } else if (proposal.new_source) {
      field(row, "new_source_name").value = proposal.new_source.name;
      field(row, "new_source_kind").value = proposal.new_source.kind;
      field(row, "new_source_description").value = proposal.new_source.description;
    }
    this.open(row, false);
    row.classList.add("quote-added");
    this.describe(row);
    this.highlight();
    this.drop(item, `Added “${firstWords(proposal.text, 8)}” to the quotes. Save the story to keep it.`);
  };

  ready(() => {
    document.querySelectorAll(".quote-desk").forEach((group) => new QuoteDesk(group));
  });
})();
