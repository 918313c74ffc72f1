// The stepper's script: it only shows what Python wrote into the JSON blob.
// `root` is this stepper's own element; nothing is global, nothing is fetched.
var data = JSON.parse(root.querySelector("script.mgs-data").textContent);
var steps = data.steps;
var slider = root.querySelector(".mgs-slider");
var detail = root.querySelector(".mgs-detail");
var elements = {};
root.querySelectorAll(".mgs-svg g.node, .mgs-svg g.edge").forEach(function (g) {
  var title = g.querySelector("title");
  if (!title) { return; }
  var key = title.textContent;
  (elements[key] = elements[key] || []).push(g);
  if (g.classList.contains("node") && data.details[key]) {
    g.classList.add("mgs-clickable");
    g.addEventListener("click", function (event) {
      event.stopPropagation();
      var d = data.details[key];
      detail.textContent = d.title + "\n" + d.lines.join("\n");
      detail.classList.add("mgs-open");
    });
  }
});
var current = 0;
function show(k) {
  current = Math.max(0, Math.min(steps.length - 1, k));
  var step = steps[current];
  var on = {};
  step.nodes.concat(step.edges).forEach(function (t) { on[t] = true; });
  Object.keys(elements).forEach(function (t) {
    var at = data.show[t];
    var future = at !== undefined && at > current;
    elements[t].forEach(function (g) {
      g.classList.toggle("mgs-future", future);
      g.classList.toggle("mgs-on", on[t] === true);
    });
  });
  root.querySelector(".mgs-title").textContent = step.title;
  root.querySelector(".mgs-lines").textContent = step.lines.join("\n");
  root.querySelector(".mgs-count").textContent = "step " + current + " of " + (steps.length - 1);
  root.setAttribute("data-step", String(current));
  root.setAttribute("data-phase", step.phase);
  slider.value = String(current);
  if (data.frames) { showFrame(step); }
}
function showFrame(step) {
  var frame = data.frames[step.frame];
  root.querySelector(".mgs-svg").innerHTML = frame.svg;
  var marker = root.querySelector(".mgs-now");
  if (marker) { marker.setAttribute("cx", frame.x); marker.setAttribute("cy", frame.y); }
  var upto = root.querySelector(".mgs-sofar");
  if (upto) { upto.setAttribute("points", frame.sofar); }
}
slider.max = String(steps.length - 1);
slider.addEventListener("input", function () { show(Number(slider.value)); });
root.querySelectorAll("button[data-go]").forEach(function (button) {
  button.addEventListener("click", function () {
    var go = button.getAttribute("data-go");
    if (go === "reset") { detail.textContent = ""; detail.classList.remove("mgs-open"); show(0); }
    else if (go === "prev") { show(current - 1); }
    else if (go === "next") { show(current + 1); }
    else if (go === "end") { show(steps.length - 1); }
    root.focus();
  });
});
root.addEventListener("keydown", function (event) {
  var keys = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: steps.length - 1 };
  if (event.target === slider || !(event.key in keys)) { return; }
  event.preventDefault();
  show(keys[event.key]);
});
show(0);
