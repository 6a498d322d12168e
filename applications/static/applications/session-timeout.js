/*
 * Session-timeout warning. Two minutes (data-warning-seconds) before the session ends
 * (data-timeout-seconds after the last request), a modal alert dialog says so, moves focus to
 * "Stay signed in" and counts down. The button (or Escape) posts to the keep-alive address,
 * which extends the session, and the dialog closes, giving focus back. If time runs out, the
 * dialog says the session has ended and links to the resume page. Activity in another tab of
 * the same site is shared through localStorage, so that tab's requests count here too. A script
 * of the page that sends a request of its own (an upload, say) dispatches the event
 * "immapp:session-activity" on document, since every request extends the session.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-session-timeout]");
  if (!root || !window.fetch) {
    return;
  }
  var timeoutMs = parseInt(root.getAttribute("data-timeout-seconds"), 10) * 1000;
  var warningMs = parseInt(root.getAttribute("data-warning-seconds"), 10) * 1000;
  var keepaliveUrl = root.getAttribute("data-keepalive-url");
  if (!(timeoutMs > 0) || !(warningMs >= 0) || !keepaliveUrl) {
    return;
  }
  var STORAGE_KEY = "immapp.session.lastActivity";
  var button = root.querySelector("[data-keepalive]");
  var countdown = root.querySelector("[data-countdown]");
  var warningPanel = root.querySelector("[data-warning-panel]");
  var expiredPanel = root.querySelector("[data-expired-panel]");
  var expiredLink = root.querySelector("[data-expired-link]");
  var errorText = root.querySelector("[data-keepalive-error]");
  var csrf = root.querySelector("[data-csrf]");
  var lastActivity = Date.now();
  var warnTimer = null;
  var tickTimer = null;
  var previousFocus = null;
  var expired = false;

  function share(time) {
    try {
      window.localStorage.setItem(STORAGE_KEY, String(time));
    } catch (error) {
      // Storage may be disabled; this tab still keeps its own time.
    }
  }

  function latestActivity() {
    var latest = lastActivity;
    try {
      var stored = parseInt(window.localStorage.getItem(STORAGE_KEY), 10);
      if (stored > latest && stored <= Date.now()) {
        latest = stored;
      }
    } catch (error) {
      // As above.
    }
    return latest;
  }

  function remainingMs() {
    return latestActivity() + timeoutMs - Date.now();
  }

  function schedule() {
    window.clearTimeout(warnTimer);
    warnTimer = window.setTimeout(check, Math.max(remainingMs() - warningMs, 0));
  }

  function check() {
    if (remainingMs() > warningMs + 1000) {
      schedule(); // another tab kept the session alive meanwhile
      return;
    }
    show();
  }

  function format(seconds) {
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function tick() {
    var remaining = remainingMs();
    if (remaining > warningMs + 1000) {
      hide();
      schedule();
      return;
    }
    if (remaining <= 0) {
      expire();
      return;
    }
    countdown.textContent = format(Math.ceil(remaining / 1000));
  }

  function show() {
    if (root.hidden) {
      previousFocus = document.activeElement;
    }
    expired = false;
    root.hidden = false;
    warningPanel.hidden = false;
    expiredPanel.hidden = true;
    errorText.hidden = true;
    tick();
    window.clearInterval(tickTimer);
    tickTimer = window.setInterval(tick, 1000);
    button.focus();
  }

  function hide() {
    window.clearInterval(tickTimer);
    root.hidden = true;
    if (previousFocus && typeof previousFocus.focus === "function") {
      previousFocus.focus();
    }
  }

  function expire() {
    expired = true;
    window.clearInterval(tickTimer);
    window.clearTimeout(warnTimer);
    root.hidden = false;
    warningPanel.hidden = true;
    expiredPanel.hidden = false;
    expiredLink.focus();
  }

  function stay() {
    if (expired || button.disabled) {
      return;
    }
    button.disabled = true;
    window
      .fetch(keepaliveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf ? csrf.value : "", Accept: "application/json" },
      })
      .then(function (response) {
        if (response.status === 410) {
          expire();
          return;
        }
        if (!response.ok) {
          throw new Error("keep-alive failed");
        }
        lastActivity = Date.now();
        share(lastActivity);
        hide();
        schedule();
      })
      .catch(function () {
        errorText.hidden = false;
      })
      .then(function () {
        button.disabled = false;
        if (!root.hidden && !expired) {
          button.focus();
        }
      });
  }

  function focusables() {
    var panel = expired ? expiredPanel : warningPanel;
    return Array.prototype.filter.call(
      panel.querySelectorAll("a[href], button:not([disabled])"),
      function (element) {
        return !element.hidden;
      }
    );
  }

  root.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !expired) {
      event.preventDefault();
      stay();
      return;
    }
    if (event.key === "Tab") {
      // Keep focus inside the dialog while it is open.
      var items = focusables();
      if (!items.length) {
        event.preventDefault();
        return;
      }
      var first = items[0];
      var last = items[items.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  });
  button.addEventListener("click", stay);
  document.addEventListener("immapp:session-activity", function () {
    if (expired) {
      return;
    }
    lastActivity = Date.now();
    share(lastActivity);
    if (!root.hidden) {
      hide();
    }
    schedule();
  });

  share(lastActivity);
  schedule();
})();
