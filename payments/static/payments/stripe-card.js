/* Stripe's card form on the attempt's page: the Payment Element in Stripe's own frames, then
   confirmPayment, which sends the browser back to our return address. Card details never
   reach our servers. Without JavaScript the page says so (noscript). */
(function () {
  "use strict";
  var form = document.querySelector("[data-stripe-card]");
  if (!form || typeof window.Stripe !== "function") {
    return;
  }
  var stripe = window.Stripe(form.dataset.publishableKey, { locale: form.dataset.locale });
  var elements = stripe.elements({ clientSecret: form.dataset.clientSecret });
  elements.create("payment").mount("#card-element");
  var errors = document.getElementById("card-errors");
  var button = form.querySelector("button[type=submit]");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    stripe
      .confirmPayment({ elements: elements, confirmParams: { return_url: form.dataset.returnUrl } })
      .then(function (result) {
        if (result.error) {
          errors.textContent = result.error.message;
          errors.focus();
          button.disabled = false;
        }
      });
  });
})();
