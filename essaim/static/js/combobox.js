/*
 * Essaim — accessible combobox (WAI-ARIA 1.2 combobox pattern, "list autocomplete" with a listbox popup).
 * No dependency, no inline script (CSP), load with `defer`. Every field it enhances works without it.
 *
 * MARKUP (rendered by essaim.www.widgets.ComboboxSelectMultiple / ComboboxSelect, or written by hand)
 *
 *   <div class="combobox" data-combobox
 *        data-combobox-source="/api/v1/structures/suggest?territory=200072460"
 *        data-combobox-multiple>                          (or data-combobox-max="1", or neither: see MODES)
 *     <ul class="combobox-chips" data-combobox-chips aria-label="Organisateurs choisis">
 *       <li><input type="checkbox" name="organisers" value="12" checked id="id_organisers_0">
 *           <label for="id_organisers_0">APIC (Bruay-la-Buissière)</label></li>
 *     </ul>
 *     <input type="text" id="id_organisers" name="organisers-recherche" data-combobox-input
 *            aria-describedby="id_organisers_helptext">
 *   </div>
 *
 * The script adds the listbox (<ul role="listbox">), a polite live region, role="combobox",
 * aria-autocomplete="list", aria-expanded, aria-controls and aria-activedescendant on the input, and turns
 * every checked checkbox of [data-combobox-chips] into a chip: a hidden input carrying the value and a button
 * "Retirer <label>". Unchecked checkboxes (candidates the server listed without JavaScript) are left as they are.
 *
 * SOURCES
 *   data-combobox-source="URL"   fetched with the typed text as `q` (data-combobox-param to rename it);
 *                                the answer is JSON: {"results": [...]} or a list. Each item's value, label and
 *                                detail are read from the keys data-combobox-value-key (default "value", or "id"),
 *                                data-combobox-label-key ("label", or "name") and data-combobox-detail-key ("detail").
 *   a <select data-combobox-select> inside the wrapper (small lists): its options are filtered locally, accents and
 *                                case ignored; the select is hidden and kept in step (it is what the form submits).
 *
 * MODES
 *   data-combobox-multiple       any number of chips (hidden inputs named data-combobox-name, or the checkboxes'
 *                                name); chosen items are left out of the suggestions.
 *   data-combobox-max="1"        one chip at most: choosing another replaces it.
 *   neither                      "fill": choosing writes the label (data-combobox-fill="value": the value) into the
 *                                text input, and the value into an optional <input type="hidden"
 *                                data-combobox-value> (emptied as soon as the text is changed by hand).
 *   data-combobox-submit         submits the form (requestSubmit: htmx forms too) once an item is chosen.
 *
 * OPTIONS: data-combobox-min-chars ("2"), data-combobox-delay (debounce, "250" ms), and the French messages
 *   data-combobox-count-none / -count-one / -count-many ("{n}" replaced), -added / -removed ("{label}" replaced).
 *
 * KEYBOARD (focus stays in the text input): Down / Up open the list and move through the options (wrapping);
 *   Alt+Down opens it; Home / End go to the first / last option while one is active; Enter chooses the active
 *   option (with the list open and none active: the only option, or the first becomes active) and never submits
 *   the form while the list is open; Escape closes the list, or empties the text when it is closed; Tab closes it.
 *   The mouse chooses by clicking an option. A chip's button removes it; focus then goes to the next chip, the
 *   previous one, or the text input.
 *
 * EVENTS: "combobox:select" and "combobox:remove" (bubbling CustomEvent, detail {value, label, detail}) on the
 *   wrapper; "change" on the text input (fill mode) or on the hidden select.
 *
 * JS API: window.EssaimCombobox.init(root) enhances every [data-combobox] under root (done on DOMContentLoaded
 *   and on htmx:load, so content swapped in by htmx is covered); each wrapper is enhanced once.
 */
(function () {
  "use strict";

  var DEFAULTS = {
    countNone: "Aucune suggestion",
    countOne: "{n} suggestion\u00a0; flèches haut et bas pour la parcourir",
    countMany: "{n} suggestions\u00a0; flèches haut et bas pour les parcourir",
    added: "Ajout de «\u00a0{label}\u00a0».",
    removed: "Retrait de «\u00a0{label}\u00a0».",
    failed: "Les suggestions n'ont pas pu être chargées\u00a0; réessayez.",
    remove: "Retirer {label}",
  };
  var counter = 0;

  function fold(text) {
    return String(text || "")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/œ/g, "oe")
      .replace(/æ/g, "ae")
      .toLowerCase();
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) {
      return values[key] !== undefined ? String(values[key]) : "";
    });
  }

  function Combobox(root) {
    this.root = root;
    this.input = root.querySelector("[data-combobox-input]") || root.querySelector("input[type=text], input[type=search]");
    if (!this.input) {
      return;
    }
    var data = root.dataset;
    this.source = data.comboboxSource || "";
    this.param = data.comboboxParam || "q";
    this.select = root.querySelector("select[data-combobox-select]");
    this.multiple = data.comboboxMultiple !== undefined || (this.select && this.select.multiple);
    this.max = this.multiple ? 0 : parseInt(data.comboboxMax || "0", 10);
    this.chipMode = this.multiple || this.max > 0;
    this.minChars = parseInt(data.comboboxMinChars || (this.select ? "1" : "2"), 10);
    this.delay = parseInt(data.comboboxDelay || "250", 10);
    this.valueKey = data.comboboxValueKey || "";
    this.labelKey = data.comboboxLabelKey || "";
    this.detailKey = data.comboboxDetailKey || "detail";
    this.fillWith = data.comboboxFill || "label";
    this.submitOnSelect = data.comboboxSubmit !== undefined;
    this.messages = {};
    for (var key in DEFAULTS) {
      var attr = "combobox" + key.charAt(0).toUpperCase() + key.slice(1);
      this.messages[key] = data[attr] || DEFAULTS[key];
    }
    this.hidden = root.querySelector("input[type=hidden][data-combobox-value]");
    this.chips = root.querySelector("[data-combobox-chips]");
    this.items = [];
    this.active = -1;
    this.cache = new Map();
    this.timer = null;
    this.controller = null;
    this.sequence = 0;
    this.build();
  }

  Combobox.prototype.build = function () {
    var input = this.input;
    counter += 1;
    if (!input.id) {
      input.id = "combobox-" + counter;
    }
    this.listbox = document.createElement("ul");
    this.listbox.id = input.id + "-listbox";
    this.listbox.className = "combobox-listbox";
    this.listbox.setAttribute("role", "listbox");
    var label = document.querySelector('label[for="' + input.id + '"]');
    if (label) {
      if (!label.id) {
        label.id = input.id + "-label";
      }
      this.listbox.setAttribute("aria-labelledby", label.id);
    }
    this.listbox.hidden = true;
    this.status = document.createElement("div");
    this.status.className = "visually-hidden";
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");
    this.empty = document.createElement("p");
    this.empty.className = "combobox-empty";
    this.empty.hidden = true;
    input.insertAdjacentElement("afterend", this.listbox);
    this.listbox.insertAdjacentElement("afterend", this.empty);
    this.root.appendChild(this.status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.listbox.id);
    input.setAttribute("autocomplete", "off");
    input.setAttribute("spellcheck", "false");
    this.root.classList.add("combobox-ready");

    if (this.select) {
      this.select.hidden = true;
      this.select.tabIndex = -1;
      this.select.setAttribute("aria-hidden", "true");
      this.localItems = Array.prototype.filter
        .call(this.select.options, function (o) { return o.value !== ""; })
        .map(function (o) { return { value: o.value, label: o.textContent.trim(), detail: "", folded: fold(o.textContent) }; });
    }
    if (this.chipMode) {
      this.initChips();
    }

    var self = this;
    input.addEventListener("input", function () { self.onInput(); });
    input.addEventListener("keydown", function (evt) { self.onKeydown(evt); });
    input.addEventListener("blur", function () {
      // A click on an option is handled on mousedown (which keeps the focus here): a blur closes the list.
      window.setTimeout(function () { self.close(); }, 0);
    });
    this.listbox.addEventListener("mousedown", function (evt) { evt.preventDefault(); });
    this.listbox.addEventListener("click", function (evt) {
      var option = evt.target instanceof Element ? evt.target.closest("[role=option]") : null;
      if (option) {
        self.choose(parseInt(option.dataset.index, 10));
      }
    });
  };

  /* Chips ------------------------------------------------------------------------------------------------ */

  Combobox.prototype.fieldName = function () {
    if (this.root.dataset.comboboxName) {
      return this.root.dataset.comboboxName;
    }
    var box = this.chips && this.chips.querySelector("input[name]");
    return box ? box.name : this.input.name.replace(/-recherche$/, "");
  };

  Combobox.prototype.initChips = function () {
    if (!this.chips) {
      this.chips = document.createElement("ul");
      this.chips.className = "combobox-chips";
      this.chips.setAttribute("data-combobox-chips", "");
      this.input.insertAdjacentElement("beforebegin", this.chips);
    }
    this.name = this.fieldName();
    var self = this;
    Array.prototype.forEach.call(this.chips.querySelectorAll("li"), function (li) {
      var box = li.querySelector("input[type=checkbox]");
      if (!box) {
        return;
      }
      if (!box.checked) {
        li.remove();
        return;
      }
      var text = li.querySelector("label");
      li.replaceWith(self.chip(box.value, text ? text.textContent.trim() : box.value));
    });
    if (this.select) {
      Array.prototype.forEach.call(this.select.selectedOptions, function (o) {
        if (o.value !== "") {
          self.chips.appendChild(self.chip(o.value, o.textContent.trim()));
        }
      });
    }
    this.chips.addEventListener("click", function (evt) {
      var button = evt.target instanceof Element ? evt.target.closest("[data-combobox-remove]") : null;
      if (button) {
        self.remove(button.closest("li"));
      }
    });
    this.syncChips();
  };

  Combobox.prototype.chip = function (value, label) {
    var li = document.createElement("li");
    li.className = "combobox-chip";
    li.dataset.value = value;
    li.dataset.label = label;
    var text = document.createElement("span");
    text.className = "combobox-chip-label";
    text.textContent = label;
    li.appendChild(text);
    if (!this.select) {
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = this.name;
      hidden.value = value;
      li.appendChild(hidden);
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "combobox-chip-remove";
    button.setAttribute("data-combobox-remove", "");
    button.setAttribute("aria-label", fill(this.messages.remove, { label: label }));
    var cross = document.createElement("span");
    cross.setAttribute("aria-hidden", "true");
    cross.textContent = "×";
    button.appendChild(cross);
    li.appendChild(button);
    return li;
  };

  Combobox.prototype.chosenValues = function () {
    if (!this.chipMode) {
      return [];
    }
    return Array.prototype.map.call(this.chips.querySelectorAll("li.combobox-chip"), function (li) {
      return li.dataset.value;
    });
  };

  Combobox.prototype.syncChips = function () {
    var values = this.chosenValues();
    this.chips.hidden = values.length === 0;
    if (this.select) {
      Array.prototype.forEach.call(this.select.options, function (o) {
        o.selected = values.indexOf(o.value) !== -1;
      });
      this.select.dispatchEvent(new Event("change", { bubbles: true }));
    }
  };

  Combobox.prototype.remove = function (li) {
    var chips = Array.prototype.slice.call(this.chips.querySelectorAll("li.combobox-chip"));
    var position = chips.indexOf(li);
    var item = { value: li.dataset.value, label: li.dataset.label, detail: "" };
    li.remove();
    this.syncChips();
    var rest = this.chips.querySelectorAll("li.combobox-chip [data-combobox-remove]");
    var next = rest[Math.min(position, rest.length - 1)];
    (next || this.input).focus();
    this.announce(fill(this.messages.removed, item));
    this.root.dispatchEvent(new CustomEvent("combobox:remove", { bubbles: true, detail: item }));
  };

  /* Suggestions ------------------------------------------------------------------------------------------ */

  Combobox.prototype.onInput = function () {
    var self = this;
    if (this.hidden && this.hidden.value) {
      this.hidden.value = "";
    }
    window.clearTimeout(this.timer);
    var text = this.input.value.trim();
    if (text.length < this.minChars) {
      this.abort();
      this.close();
      this.empty.hidden = true;
      return;
    }
    this.timer = window.setTimeout(function () { self.suggest(text); }, this.select ? 0 : this.delay);
  };

  Combobox.prototype.abort = function () {
    this.sequence += 1;
    if (this.controller) {
      this.controller.abort();
      this.controller = null;
    }
    this.root.classList.remove("combobox-loading");
  };

  Combobox.prototype.suggest = function (text) {
    var self = this;
    if (this.select) {
      var words = fold(text).split(/\s+/).filter(Boolean);
      this.show(this.localItems.filter(function (item) {
        return words.every(function (w) { return item.folded.indexOf(w) !== -1; });
      }));
      return;
    }
    if (this.cache.has(text)) {
      this.show(this.cache.get(text));
      return;
    }
    this.abort();
    var sequence = this.sequence;
    this.controller = typeof AbortController === "function" ? new AbortController() : null;
    var url = new URL(this.source, window.location.href);
    url.searchParams.set(this.param, text);
    this.root.classList.add("combobox-loading");
    fetch(url.toString(), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: this.controller ? this.controller.signal : undefined,
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (body) {
        if (sequence !== self.sequence) {
          return;
        }
        self.root.classList.remove("combobox-loading");
        var items = self.normalise(Array.isArray(body) ? body : body.results || []);
        self.cache.set(text, items);
        if (self.input.value.trim() === text && document.activeElement === self.input) {
          self.show(items);
        }
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") {
          return;
        }
        if (sequence === self.sequence) {
          self.root.classList.remove("combobox-loading");
          self.close();
          self.announce(self.messages.failed);
        }
      });
  };

  Combobox.prototype.normalise = function (rows) {
    var self = this;
    return rows.map(function (row) {
      var value = self.valueKey ? row[self.valueKey] : (row.value !== undefined ? row.value : row.id);
      var label = self.labelKey ? row[self.labelKey] : (row.label !== undefined ? row.label : row.name);
      return { value: String(value), label: String(label), detail: row[self.detailKey] ? String(row[self.detailKey]) : "" };
    });
  };

  Combobox.prototype.show = function (items) {
    var chosen = this.chosenValues();
    this.items = items.filter(function (item) { return chosen.indexOf(item.value) === -1; });
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.listbox.textContent = "";
    var self = this;
    this.items.forEach(function (item, index) {
      var li = document.createElement("li");
      li.id = self.listbox.id + "-" + index;
      li.className = "combobox-option";
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.dataset.index = String(index);
      var label = document.createElement("span");
      label.className = "combobox-option-label";
      label.textContent = item.label;
      li.appendChild(label);
      if (item.detail) {
        var detail = document.createElement("span");
        detail.className = "combobox-option-detail";
        detail.textContent = item.detail;
        li.appendChild(document.createTextNode(" "));
        li.appendChild(detail);
      }
      self.listbox.appendChild(li);
    });
    var n = this.items.length;
    if (n === 0) {
      this.close();
      this.empty.textContent = this.messages.countNone;
      this.empty.hidden = false;
    } else {
      this.empty.hidden = true;
      this.open();
    }
    this.announce(fill(n === 0 ? this.messages.countNone : n === 1 ? this.messages.countOne : this.messages.countMany, { n: n }));
  };

  Combobox.prototype.open = function () {
    if (this.items.length) {
      this.listbox.hidden = false;
      this.input.setAttribute("aria-expanded", "true");
    }
  };

  Combobox.prototype.close = function () {
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.setActive(-1);
  };

  Combobox.prototype.isOpen = function () {
    return !this.listbox.hidden;
  };

  Combobox.prototype.setActive = function (index) {
    var options = this.listbox.querySelectorAll("[role=option]");
    if (this.active >= 0 && options[this.active]) {
      options[this.active].setAttribute("aria-selected", "false");
      options[this.active].classList.remove("combobox-option-active");
    }
    this.active = index;
    if (index < 0 || !options[index]) {
      this.active = -1;
      this.input.removeAttribute("aria-activedescendant");
      return;
    }
    var option = options[index];
    option.setAttribute("aria-selected", "true");
    option.classList.add("combobox-option-active");
    this.input.setAttribute("aria-activedescendant", option.id);
    if (typeof option.scrollIntoView === "function") {
      option.scrollIntoView({ block: "nearest" });
    }
  };

  Combobox.prototype.move = function (step) {
    var n = this.items.length;
    if (!n) {
      return;
    }
    if (!this.isOpen()) {
      this.open();
    }
    var next = this.active < 0 ? (step > 0 ? 0 : n - 1) : (this.active + step + n) % n;
    this.setActive(next);
  };

  Combobox.prototype.onKeydown = function (evt) {
    var open = this.isOpen();
    switch (evt.key) {
      case "ArrowDown":
        evt.preventDefault();
        if (!open && !this.items.length && this.input.value.trim().length >= this.minChars) {
          this.suggest(this.input.value.trim());
          return;
        }
        if (evt.altKey) {
          this.open();
          return;
        }
        this.move(1);
        break;
      case "ArrowUp":
        evt.preventDefault();
        if (evt.altKey) {
          this.close();
          return;
        }
        this.move(-1);
        break;
      case "Home":
      case "End":
        if (open && this.active >= 0) {
          evt.preventDefault();
          this.setActive(evt.key === "Home" ? 0 : this.items.length - 1);
        }
        break;
      case "Enter":
        if (!open) {
          return;
        }
        evt.preventDefault();
        if (this.active >= 0) {
          this.choose(this.active);
        } else if (this.items.length === 1) {
          this.choose(0);
        } else {
          this.setActive(0);
        }
        break;
      case "Escape":
        if (open) {
          evt.preventDefault();
          this.close();
        } else if (this.input.value) {
          evt.preventDefault();
          this.input.value = "";
          this.onInput();
        }
        break;
      case "Tab":
        this.close();
        break;
      default:
    }
  };

  Combobox.prototype.choose = function (index) {
    var item = this.items[index];
    if (!item) {
      return;
    }
    this.close();
    this.empty.hidden = true;
    if (this.chipMode) {
      if (this.max > 0) {
        var current = this.chips.querySelectorAll("li.combobox-chip");
        for (var k = 0; k <= current.length - this.max; k += 1) {
          current[k].remove();
        }
      }
      this.chips.appendChild(this.chip(item.value, item.detail ? item.label + " (" + item.detail + ")" : item.label));
      this.syncChips();
      this.input.value = "";
      this.announce(fill(this.messages.added, item));
    } else {
      this.input.value = this.fillWith === "value" ? item.value : item.label;
      if (this.hidden) {
        this.hidden.value = item.value;
        this.hidden.dispatchEvent(new Event("change", { bubbles: true }));
      }
      if (this.select) {
        this.select.value = item.value;
        this.select.dispatchEvent(new Event("change", { bubbles: true }));
      }
      this.input.dispatchEvent(new Event("change", { bubbles: true }));
    }
    this.items = [];
    this.root.dispatchEvent(new CustomEvent("combobox:select", { bubbles: true, detail: item }));
    if (this.submitOnSelect && this.input.form) {
      if (typeof this.input.form.requestSubmit === "function") {
        this.input.form.requestSubmit();
      } else {
        this.input.form.submit();
      }
    }
  };

  Combobox.prototype.announce = function (text) {
    // Emptied first, so that the same message twice in a row is read twice.
    var status = this.status;
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  };

  function init(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var found = Array.prototype.slice.call(scope.querySelectorAll("[data-combobox]"));
    if (scope.matches && scope.matches("[data-combobox]")) {
      found.unshift(scope);
    }
    found.forEach(function (el) {
      if (el.dataset.comboboxReady) {
        return;
      }
      el.dataset.comboboxReady = "true";
      el.essaimCombobox = new Combobox(el);
    });
  }

  window.EssaimCombobox = { init: init };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
  document.addEventListener("htmx:load", function (evt) { init(evt.detail && evt.detail.elt); });
})();
