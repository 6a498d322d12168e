/* Progressive enhancement of the documents checklist (documents/_checklist.html).
 *
 * Without this script every form posts and the page comes back with a message. With it, the
 * forms marked data-xhr are sent in the background with a progress bar, and an item whose
 * files are being checked asks the server for its status until the check is done; each answer
 * brings the item's new HTML, rendered and translated by the server.
 */
(function () {
  "use strict";

  var POLL_MS = 1500;
  var MAX_POLLS = 200;

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
    if (payload.checking) {
      item.setAttribute("data-checking", "");
      poll(root, item, 0);
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

  function poll(root, item, count) {
    if (count >= MAX_POLLS || item.getAttribute("data-polling") === "1") {
      return;
    }
    item.setAttribute("data-polling", "1");
    window.setTimeout(function () {
      var xhr = new XMLHttpRequest();
      xhr.open("GET", item.getAttribute("data-item-url"));
      xhr.setRequestHeader("Accept", "application/json");
      xhr.onload = function () {
        item.removeAttribute("data-polling");
        if (xhr.status !== 200) {
          return;
        }
        var payload = JSON.parse(xhr.responseText);
        if (payload.checking) {
          poll(root, item, count + 1);
        } else {
          render(root, item, payload, false);
        }
      };
      xhr.onerror = function () {
        item.removeAttribute("data-polling");
        poll(root, item, count + 1);
      };
      xhr.send();
    }, POLL_MS);
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
    root.querySelectorAll(".doc-item[data-checking]").forEach(function (item) {
      poll(root, item, 0);
    });
  }

  document.querySelectorAll("[data-documents]").forEach(start);
})();
