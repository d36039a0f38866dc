/* The public site works without this file. With it, the form suggests the kinds of problem
   whose keywords appear in what the resident wrote, as buttons that choose the kind. */
(function () {
  "use strict";
  var description = document.getElementById("id_description");
  var box = document.getElementById("topic-suggestions");
  if (!description || !box) { return; }
  var buttons = box.querySelector(".lx-suggest-buttons");
  var topics = Array.prototype.slice.call(document.querySelectorAll(".lx-topic[data-keywords]"));
  var shown = "";
  var timer = null;

  function matches(text) {
    var found = [];
    topics.forEach(function (topic) {
      var score = 0;
      topic.getAttribute("data-keywords").split(",").forEach(function (word) {
        if (word && text.indexOf(word) !== -1) { score += word.length; }
      });
      if (score > 0) { found.push({ score: score, topic: topic }); }
    });
    found.sort(function (a, b) { return b.score - a.score; });
    return found.slice(0, 3).map(function (item) { return item.topic; });
  }

  function choose(topic) {
    var radio = topic.querySelector("input[name='topic']");
    radio.checked = true;
    radio.dispatchEvent(new Event("change", { bubbles: true }));
    topic.scrollIntoView({ block: "center" });
    radio.focus();
  }

  function update() {
    var found = matches(description.value);
    var key = found.map(function (t) { return t.getAttribute("data-name"); }).join("|");
    if (key === shown) { return; }
    shown = key;
    buttons.textContent = "";
    found.forEach(function (topic) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-outline-dark";
      button.textContent = topic.getAttribute("data-name");
      button.addEventListener("click", function () { choose(topic); });
      buttons.appendChild(button);
    });
    box.hidden = found.length === 0;
  }

  description.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 400);
  });
  update();
})();
