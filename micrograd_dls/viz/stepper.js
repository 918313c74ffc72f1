// The stepper's script: it only shows what Python wrote into the JSON blob.
// `root` is this stepper's own element; nothing is global, nothing is fetched.
var data = JSON.parse(root.querySelector("script.mgs-data").textContent);
var steps = data.steps;
var slider = root.querySelector(".mgs-slider");
var detail = root.querySelector(".mgs-detail");
var text = root.querySelector(".mgs-text");
var stage = root.querySelector(".mgs-svg");
var elements = {};
root.querySelector(".mgs-static").remove();
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
detail.addEventListener("click", function () {
  detail.textContent = "";
  detail.classList.remove("mgs-open");
});
var current = 0;
function write(step) {
  root.querySelector(".mgs-title").textContent = step.title;
  root.querySelector(".mgs-lines").textContent = step.lines.join("\n");
}
// The text above the picture keeps the height of the longest step, so that stepping
// never moves the picture; measured again when the width (and so the wrapping) changes.
function keepHeight() {
  var width = text.clientWidth;
  if (!width || width === keepHeight.width) { return; }
  keepHeight.width = width;
  text.style.minHeight = "";
  var tallest = 0;
  steps.forEach(function (step) {
    write(step);
    tallest = Math.max(tallest, text.offsetHeight);
  });
  text.style.minHeight = tallest + "px";
  write(steps[current]);
}
// Scroll the picture, and only the picture, so that the step's nodes are in view: all
// of them when they fit, else the top left of what they cover. The first step (the
// inputs, all over the picture) shows the picture from its top, legend and all.
function reveal(step) {
  if (current === 0) { stage.scrollTop = 0; stage.scrollLeft = 0; return; }
  var boxes = [];
  step.nodes.forEach(function (t) {
    (elements[t] || []).forEach(function (g) { boxes.push(g.getBoundingClientRect()); });
  });
  if (!boxes.length || !stage.clientWidth) { return; }
  var c = stage.getBoundingClientRect(), margin = 16;
  var left = Math.min.apply(null, boxes.map(function (r) { return r.left; }));
  var top = Math.min.apply(null, boxes.map(function (r) { return r.top; }));
  var right = Math.max.apply(null, boxes.map(function (r) { return r.right; }));
  var bottom = Math.max.apply(null, boxes.map(function (r) { return r.bottom; }));
  var width = stage.clientWidth, height = stage.clientHeight;
  if (right - left > width - 2 * margin) { right = left + width - 2 * margin; }
  if (bottom - top > height - 2 * margin) { bottom = top + height - 2 * margin; }
  if (left < c.left + margin) { stage.scrollLeft += left - c.left - margin; }
  else if (right > c.left + width - margin) { stage.scrollLeft += right - c.left - width + margin; }
  if (top < c.top + margin) { stage.scrollTop += top - c.top - margin; }
  else if (bottom > c.top + height - margin) { stage.scrollTop += bottom - c.top - height + margin; }
}
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
  write(step);
  root.querySelector(".mgs-count").textContent = "step " + current + " of " + (steps.length - 1);
  root.setAttribute("data-step", String(current));
  root.setAttribute("data-phase", step.phase);
  slider.value = String(current);
  if (data.frames) { showFrame(step); }
  reveal(step);
}
function showFrame(step) {
  var frame = data.frames[step.frame];
  stage.innerHTML = frame.svg;
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
    if (go === "reset") { detail.textContent = ""; detail.classList.remove("mgs-open"); keepHeight();
if (typeof ResizeObserver !== "undefined") { new ResizeObserver(keepHeight).observe(text); }
show(0); }
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
keepHeight();
if (typeof ResizeObserver !== "undefined") { new ResizeObserver(keepHeight).observe(text); }
show(0);
