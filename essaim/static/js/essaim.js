/*
 * Essaim — small progressive enhancements. Load with `defer`.
 * Every page works without this file.
 *
 * (a) <select data-autosubmit> submits its form on change. The form keeps a
 *     visible submit button for no-JS users; mark it [data-js-hide] and it is
 *     hidden (class "js-hidden") once this script runs.
 * (b) data-confirm="Message" on a button/link (or a form) asks
 *     confirm(message) before the action goes ahead.
 *
 * Event delegation on document, so content swapped in by htmx is covered.
 */
(function () {
  "use strict";

  /* Hide no-JS fallbacks (e.g. the filter form's submit button). */
  function hideFallbacks(root) {
    const scope = root && root.querySelectorAll ? root : document;
    scope.querySelectorAll("[data-js-hide]").forEach(function (el) {
      el.classList.add("js-hidden");
    });
    if (scope.matches && scope.matches("[data-js-hide]")) {
      scope.classList.add("js-hidden");
    }
  }

  /* (a) Auto-submit selects. requestSubmit() fires the submit event, so
     htmx-enhanced forms (hx-get/hx-post) handle it like a click. */
  document.addEventListener("change", function (evt) {
    const select = evt.target;
    if (!(select instanceof HTMLSelectElement)) {
      return;
    }
    if (!select.hasAttribute("data-autosubmit") || !select.form) {
      return;
    }
    const form = select.form;
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit();
    } else {
      form.submit();
    }
  });

  /* (b) Confirmation before submitting / following. Capture phase, so it
     runs before htmx's own handlers. */
  document.addEventListener(
    "click",
    function (evt) {
      const el = evt.target instanceof Element
        ? evt.target.closest("[data-confirm]")
        : null;
      if (!el || el.tagName === "FORM") {
        return;
      }
      const message = el.getAttribute("data-confirm");
      if (message && !window.confirm(message)) {
        evt.preventDefault();
        evt.stopImmediatePropagation();
      }
    },
    true
  );
  document.addEventListener(
    "submit",
    function (evt) {
      const form = evt.target;
      if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-confirm")) {
        return;
      }
      const message = form.getAttribute("data-confirm");
      if (message && !window.confirm(message)) {
        evt.preventDefault();
        evt.stopImmediatePropagation();
      }
    },
    true
  );

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      hideFallbacks(document);
    });
  } else {
    hideFallbacks(document);
  }
  document.addEventListener("htmx:afterSwap", function (evt) {
    const target = evt.detail && evt.detail.target;
    hideFallbacks(target && target.isConnected ? target : document);
  });
})();
