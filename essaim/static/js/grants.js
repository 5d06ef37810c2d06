/*
 * Essaim — grants: live balance of the financing plan (progressive enhancement).
 *
 * On the "plan de financement" step, the form carries data-funding; the project
 * budget and the aid asked for are in [data-budget] and [data-aid]. As amounts
 * are typed, #funding-balance says whether the resources balance the budget.
 * Without this file the same check happens on the server when saving and filing.
 * The live amount of the jobs and investment steps and of the simulator is
 * htmx (hx-get on the inputs): no code here.
 */
(function () {
  "use strict";

  function parse(text) {
    var clean = String(text || "").replace(/[\s\u00a0\u202f€]/g, "").replace(",", ".");
    if (clean === "" || !/^\d+(\.\d{0,2})?$/.test(clean)) {
      return null;
    }
    return Math.round(parseFloat(clean) * 100); /* cents: integers only */
  }

  function euros(cents) {
    var sign = cents < 0 ? "-" : "";
    cents = Math.abs(cents);
    var units = Math.floor(cents / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");
    var rest = (cents % 100).toString().padStart(2, "0");
    return sign + units + "," + rest + "\u00a0€";
  }

  function update(form) {
    var output = document.getElementById("funding-balance");
    var budgetEl = document.querySelector("[data-budget]");
    var aidEl = document.querySelector("[data-aid]");
    if (!output || !budgetEl || !aidEl) {
      return;
    }
    var total = parse(aidEl.getAttribute("data-aid")) || 0;
    var invalid = false;
    form.querySelectorAll("input[name$='-amount']").forEach(function (input) {
      if (input.value.trim() === "") {
        return;
      }
      var cents = parse(input.value);
      if (cents === null) {
        invalid = true;
      } else {
        total += cents;
      }
    });
    var budget = parse(budgetEl.getAttribute("data-budget"));
    if (invalid || budget === null) {
      output.textContent = "Montant illisible\u00a0: utilisez des chiffres, avec deux décimales au plus.";
      return;
    }
    var gap = total - budget;
    output.textContent = gap === 0
      ? "Plan équilibré\u00a0: " + euros(total) + " de ressources pour " + euros(budget) + " de budget."
      : "Plan non équilibré\u00a0: " + euros(total) + " de ressources pour " + euros(budget) +
        " de budget (écart " + euros(gap) + ").";
  }

  document.addEventListener("input", function (evt) {
    var form = evt.target instanceof Element ? evt.target.closest("form[data-funding]") : null;
    if (form) {
      update(form);
    }
  });

  function init() {
    var form = document.querySelector("form[data-funding]");
    if (form) {
      update(form);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
