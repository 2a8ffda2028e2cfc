/* Map page: the layer check boxes fill the hidden "layers" field the map sends with bbox. */
(function () {
  "use strict";
  var form = document.getElementById("map-filters");
  var field = document.getElementById("layers-field");
  if (!form || !field) { return; }
  function sync() {
    var boxes = form.querySelectorAll(".layer-box");
    var on = [];
    for (var i = 0; i < boxes.length; i++) { if (boxes[i].checked) { on.push(boxes[i].value); } }
    field.value = on.length ? on.join(",") : "none";
  }
  form.addEventListener("change", sync, true);
  sync();
})();
