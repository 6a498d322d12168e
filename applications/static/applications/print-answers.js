/* The "Print your answers" button of the check-your-answers page: shown only where this script
   runs (it prints through the browser), hidden otherwise. What the printout leaves out is
   applications/check-print.css. */
(function () {
  "use strict";

  var holder = document.querySelector("[data-print-answers]");
  var button = holder && holder.querySelector("[data-print-answers-button]");
  if (!button || typeof window.print !== "function") {
    return;
  }
  button.addEventListener("click", function () {
    window.print();
  });
  holder.hidden = false;
})();
