// The playground's script: it only shows what Python wrote into the JSON blob.
// `root` is this playground's own element; nothing is global, nothing is fetched.
var data = JSON.parse(root.querySelector("script.mgp-data").textContent);
var frames = data.frames;
var slider = root.querySelector(".mgp-slider");
var button = root.querySelector(".mgp-play");
var detail = root.querySelector(".mgp-detail");
var maps = root.querySelectorAll("image.mgp-map");
var edges = root.querySelectorAll("path.mgp-edge");
var boundary = root.querySelector("path.mgp-boundary");
var marker = root.querySelector(".mgp-now");
var sofar = root.querySelector(".mgp-sofar");
var units = root.querySelectorAll("g.mgp-unit");
var current = 0;
var selected = null;
var timer = null;

function showDetail() {
  if (selected === null) { return; }
  var k = Number(selected.slice(1));
  var lines = selected.charAt(0) === "i" ? data.inputs[k]
    : frames[current].units[k].concat(data.notes[k]);
  detail.textContent = lines.join("\n");
}

function show(k) {
  current = Math.max(0, Math.min(frames.length - 1, k));
  var frame = frames[current];
  maps.forEach(function (image) { image.setAttribute("href", frame.map); });
  edges.forEach(function (edge, i) {
    var style = frame.edges[i];
    edge.setAttribute("stroke-width", style[1]);
    edge.setAttribute("stroke", style[2]);
    edge.querySelector("title").textContent = style[3];
  });
  boundary.setAttribute("d", frame.boundary);
  marker.setAttribute("cx", frame.now[0]);
  marker.setAttribute("cy", frame.now[1]);
  sofar.setAttribute("points", frame.sofar);
  root.querySelector(".mgp-status").textContent = frame.status.join("\n");
  root.querySelector(".mgp-count").textContent = frame.count;
  root.setAttribute("data-frame", String(current));
  slider.value = String(current);
  showDetail();
}

function stop() {
  if (timer !== null) { clearInterval(timer); timer = null; }
  button.textContent = "▶ play";
  root.removeAttribute("data-playing");
}

function play() {
  if (timer !== null) { stop(); return; }
  if (current >= frames.length - 1) { show(0); }
  button.textContent = "❚❚ pause";
  root.setAttribute("data-playing", "");
  timer = setInterval(function () {
    if (current >= frames.length - 1) { stop(); return; }
    show(current + 1);
  }, 120);
}

units.forEach(function (g) {
  g.addEventListener("click", function (event) {
    event.stopPropagation();
    selected = g.getAttribute("data-unit");
    units.forEach(function (other) {
      other.classList.toggle("mgp-selected", other.getAttribute("data-unit") === selected);
    });
    detail.classList.add("mgp-open");
    showDetail();
  });
});
slider.addEventListener("input", function () { stop(); show(Number(slider.value)); });
button.addEventListener("click", function () { play(); root.focus(); });
root.addEventListener("keydown", function (event) {
  if (event.target !== root) { return; }  // the slider and the button keep their own keys
  if (event.key === " ") { event.preventDefault(); play(); return; }
  var keys = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: frames.length - 1 };
  if (!(event.key in keys)) { return; }
  event.preventDefault();
  stop();
  show(keys[event.key]);
});
show(0);
