/* Drawn signatures: a canvas per [data-signature-pad], drawn with pointer events (mouse, pen,
   touch) and exported as a PNG data URL into the block's hidden field. A page shown again after
   an error carries the drawing in that field (applications.wizard.declarations.DrawnField):
   it is drawn back on the canvas, so what is shown is what will be signed. Without this script
   the pads stay hidden and the typed-name signature is used. */
(function () {
  "use strict";

  function setUp(pad) {
    var canvas = pad.querySelector("[data-signature-canvas]");
    var field = pad.querySelector("[data-signature-data]");
    var clear = pad.querySelector("[data-signature-clear]");
    if (!canvas || !field || !canvas.getContext) {
      return;
    }
    var context = canvas.getContext("2d");
    var drawing = false;
    var drawn = false;
    var last = null;

    context.lineWidth = 3;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = "#0b0c0c";

    function point(event) {
      var box = canvas.getBoundingClientRect();
      return {
        x: (event.clientX - box.left) * (canvas.width / box.width),
        y: (event.clientY - box.top) * (canvas.height / box.height)
      };
    }

    function save() {
      field.value = drawn ? canvas.toDataURL("image/png") : "";
    }

    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      drawing = true;
      last = point(event);
      if (canvas.setPointerCapture) {
        canvas.setPointerCapture(event.pointerId);
      }
      context.beginPath();
      context.arc(last.x, last.y, context.lineWidth / 2, 0, Math.PI * 2);
      context.fillStyle = context.strokeStyle;
      context.fill();
      drawn = true;
    });

    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) {
        return;
      }
      event.preventDefault();
      var next = point(event);
      context.beginPath();
      context.moveTo(last.x, last.y);
      context.lineTo(next.x, next.y);
      context.stroke();
      last = next;
    });

    function stop() {
      if (drawing) {
        drawing = false;
        save();
      }
    }

    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    canvas.addEventListener("pointerleave", stop);

    // The drawing posted before, shown again after an error elsewhere on the page.
    if (field.value.indexOf("data:image/png;base64,") === 0) {
      var before = new Image();
      before.addEventListener("load", function () {
        if (!drawn) {
          context.drawImage(before, 0, 0, canvas.width, canvas.height);
          drawn = true;
          canvas.setAttribute("data-signature-restored", "");
        }
      });
      before.addEventListener("error", function () {
        field.value = ""; // unreadable: the person draws again
      });
      before.src = field.value;
    }

    if (clear) {
      clear.addEventListener("click", function () {
        context.clearRect(0, 0, canvas.width, canvas.height);
        drawn = false;
        save();
      });
    }
    pad.hidden = false;
  }

  var pads = document.querySelectorAll("[data-signature-pad]");
  for (var i = 0; i < pads.length; i += 1) {
    setUp(pads[i]);
  }
})();
