/* Progressive enhancement of the documents checklist (documents/_checklist.html).
 *
 * Without this script every form posts and the page comes back with a message. With it, the
 * forms marked data-xhr are sent in the background with a progress bar, and while an item's
 * files are being checked the page asks the server how many checks of the group have finished
 * (a cache read, no database: documents.views.checks) every quarter of a second for the first
 * minute, then less and less often (up to every 5 s), for at most 10 minutes. Only when that
 * number moves past the one an item was drawn at is the item itself fetched again; each item
 * answer brings its new HTML, rendered and translated by the server. So the verdict shows
 * within about 0.3 s of the check ending, and a page left open costs little.
 */
(function () {
  "use strict";

  var FAST_MS = 250;
  var FAST_FOR_MS = 60000;
  var SLOWEST_MS = 5000;
  var GIVE_UP_MS = 600000;

  function announce(root, text) {
    var live = root.querySelector("[data-live]");
    if (live && text) {
      live.textContent = "";
      window.setTimeout(function () { live.textContent = text; }, 50);
    }
  }

  function showError(item, text) {
    var box = item.querySelector("[data-error]");
    if (box) {
      box.textContent = text;
      box.hidden = !text;
    }
  }

  function render(root, item, payload, keepFocus) {
    if (!payload.html) {
      // The item is no longer asked for and its last file is gone: it leaves the list.
      announce(root, payload.announcement);
      item.remove();
      return;
    }
    item.innerHTML = payload.html;
    if (typeof payload.checks === "number") {
      item.setAttribute("data-checks", String(payload.checks));
    }
    if (payload.checking) {
      item.setAttribute("data-checking", "");
      wait(root);
    } else {
      item.removeAttribute("data-checking");
    }
    if (payload.error) {
      showError(item, payload.error);
    }
    announce(root, payload.error || payload.announcement);
    if (keepFocus) {
      var heading = item.querySelector("h3");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus();
      }
    }
  }

  function refresh(root, item) {
    if (item.getAttribute("data-fetching") === "1") {
      return;
    }
    item.setAttribute("data-fetching", "1");
    var xhr = new XMLHttpRequest();
    xhr.open("GET", item.getAttribute("data-item-url"));
    xhr.setRequestHeader("Accept", "application/json");
    xhr.onload = function () {
      item.removeAttribute("data-fetching");
      if (xhr.status === 200) {
        render(root, item, JSON.parse(xhr.responseText), false);
      }
    };
    xhr.onerror = function () { item.removeAttribute("data-fetching"); };
    xhr.send();
  }

  // One waiter per checklist, whatever the number of items being checked.
  function wait(root) {
    var state = root.documentsWaiter;
    if (!state) {
      state = root.documentsWaiter = { timer: null, delay: FAST_MS, since: 0 };
    }
    state.since = Date.now();  // activity: back to the fast pace
    state.delay = FAST_MS;
    if (state.timer === null) {
      state.timer = window.setTimeout(function () { tick(root, state); }, FAST_MS);
    }
  }

  function tick(root, state) {
    state.timer = null;
    var waiting = root.querySelectorAll(".doc-item[data-checking]");
    var elapsed = Date.now() - state.since;
    if (!waiting.length || elapsed > GIVE_UP_MS) {
      return;
    }
    function next(minimum) {
      state.delay = elapsed < FAST_FOR_MS ? FAST_MS : Math.min(state.delay * 1.5, SLOWEST_MS);
      state.delay = Math.max(state.delay, minimum || 0);
      state.timer = window.setTimeout(function () { tick(root, state); }, state.delay);
    }
    var xhr = new XMLHttpRequest();
    xhr.open("GET", root.getAttribute("data-checks-url"));
    xhr.setRequestHeader("Accept", "application/json");
    xhr.onload = function () {
      var checks = null;
      if (xhr.status === 200) {
        try {
          checks = JSON.parse(xhr.responseText).checks;
        } catch (error) {
          checks = null;
        }
      }
      waiting.forEach(function (item) {
        // An item drawn before the latest finished check, or no count to go by: fetch it.
        if (checks === null || item.getAttribute("data-checks") !== String(checks)) {
          refresh(root, item);
        }
      });
      next(checks === null ? SLOWEST_MS / 2 : 0);  // no count to go by: do not hammer
    };
    xhr.onerror = function () { next(SLOWEST_MS / 2); };
    xhr.send();
  }

  function send(root, form) {
    var item = form.closest(".doc-item");
    var progress = form.querySelector("progress");
    var buttons = form.querySelectorAll("button");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    if (progress) {
      progress.value = 0;
      progress.hidden = false;
      xhr.upload.onprogress = function (event) {
        if (event.lengthComputable) {
          progress.value = Math.round((event.loaded / event.total) * 100);
        }
      };
    }
    buttons.forEach(function (button) { button.disabled = true; });
    function failed() {
      buttons.forEach(function (button) { button.disabled = false; });
      if (progress) {
        progress.hidden = true;
      }
      showError(item, root.getAttribute("data-failed-text"));
      announce(root, root.getAttribute("data-failed-text"));
    }
    xhr.onload = function () {
      var payload = null;
      try {
        payload = JSON.parse(xhr.responseText);
      } catch (error) {
        payload = null;
      }
      if (!payload || typeof payload.html !== "string") {
        failed();
        return;
      }
      render(root, item, payload, true);
    };
    xhr.onerror = failed;
    xhr.send(new FormData(form));
  }

  function start(root) {
    root.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.matches("form[data-xhr]") || !window.FormData) {
        return;
      }
      event.preventDefault();
      send(root, form);
    });
    if (root.querySelector(".doc-item[data-checking]")) {
      wait(root);
    }
  }

  document.querySelectorAll("[data-documents]").forEach(start);
})();
