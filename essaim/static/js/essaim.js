/*
 * Essaim — small progressive enhancements. Load with `defer`.
 * Every page works without this file.
 *
 * (a) <select data-autosubmit> submits its form on change. The form keeps a
 *     visible submit button for no-JS users; mark it [data-js-hide] and it is
 *     hidden (class "js-hidden") once this script runs.
 * (b) data-confirm="Message" on a button/link (or a form) asks
 *     confirm(message) before the action goes ahead.
 * (c) The error summary of a form ([data-error-summary], DSFR/RGAA pattern):
 *     focused when it arrives (the page's autofocus does it without JS; after
 *     an htmx swap this script does), the title prefixed "Erreur : ", and each
 *     link focuses its field (not only scrolls to it).
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

  /* (c) Error summary. */
  const ERROR_PREFIX = "Erreur\u00a0: ";

  function showErrorSummary(root) {
    const scope = root && root.querySelector ? root : document;
    const summary = (scope.matches && scope.matches("[data-error-summary]"))
      ? scope
      : scope.querySelector("[data-error-summary]");
    const anywhere = document.querySelector("[data-error-summary]");
    if (anywhere && document.title.indexOf(ERROR_PREFIX) !== 0) {
      document.title = ERROR_PREFIX + document.title;
    } else if (!anywhere && document.title.indexOf(ERROR_PREFIX) === 0) {
      document.title = document.title.slice(ERROR_PREFIX.length);
    }
    if (summary && document.activeElement !== summary) {
      summary.focus();
    }
  }

  document.addEventListener("click", function (evt) {
    const link = evt.target instanceof Element
      ? evt.target.closest("[data-error-summary] a[href^='#']")
      : null;
    if (!link) {
      return;
    }
    const field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!field) {
      return;
    }
    evt.preventDefault();
    const label = field.id ? document.querySelector("label[for='" + CSS.escape(field.id) + "']") : null;
    (label || field).scrollIntoView({block: "start"});
    field.focus({preventScroll: true});
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      hideFallbacks(document);
      showErrorSummary(document);
    });
  } else {
    hideFallbacks(document);
    showErrorSummary(document);
  }
  document.addEventListener("htmx:afterSwap", function (evt) {
    const target = evt.detail && evt.detail.target;
    hideFallbacks(target && target.isConnected ? target : document);
  });
  document.addEventListener("htmx:afterSettle", function (evt) {
    const target = evt.detail && evt.detail.target;
    showErrorSummary(target && target.isConnected ? target : document);
  });
})();
