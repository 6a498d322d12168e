/*
 * The error summary at the top of a page with errors ([data-error-summary]).
 *
 * On load the summary takes the focus, so a screen reader reads it first and a keyboard user
 * starts from it. Following one of its links (click, or Enter on the focused link) focuses the
 * field and scrolls its question into view: the label, or the legend of the field's fieldset
 * (radios, a date's boxes), so the user sees what is asked and not a bare input pressed to the
 * top of the window. Without JavaScript the links stay plain anchors to the inputs.
 */
(function () {
  "use strict";

  var FIELDS = "input:not([type=hidden]), select, textarea";

  function isField(element) {
    return element.matches(FIELDS);
  }

  // The field a link points at: the element itself, or for a group of choices (the Pay
  // page's fieldset of methods) its checked choice, else its first field.
  function fieldFor(target) {
    if (isField(target)) {
      return target;
    }
    return target.querySelector("input:checked") || target.querySelector(FIELDS);
  }

  function labelFor(field) {
    if (field.id) {
      var labels = document.querySelectorAll("label[for]");
      for (var i = 0; i < labels.length; i += 1) {
        if (labels[i].htmlFor === field.id) {
          return labels[i];
        }
      }
    }
    return field.closest("label");
  }

  // The question to show: the fieldset's legend for a choice (the label names only that
  // choice) or for a box whose legend still fits on the screen with it; else the label.
  function questionFor(field) {
    var fieldset = field.closest("fieldset");
    var legend = fieldset && fieldset.querySelector("legend");
    if (legend) {
      if (field.type === "radio" || field.type === "checkbox") {
        return legend;
      }
      var legendTop = legend.getBoundingClientRect().top;
      var fieldBottom = field.getBoundingClientRect().bottom;
      if (fieldBottom - legendTop < window.innerHeight / 2) {
        return legend;
      }
    }
    return labelFor(field) || field;
  }

  function follow(event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) {
      return;
    }
    var id = decodeURIComponent(link.getAttribute("href").slice(1));
    var target = id && document.getElementById(id);
    var field = target && fieldFor(target);
    if (!field) {
      return; // not a field (a group's message above its fields): an ordinary anchor
    }
    event.preventDefault();
    questionFor(field).scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  }

  function start() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) {
      return;
    }
    summary.addEventListener("click", follow);
    summary.focus();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
