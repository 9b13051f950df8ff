/* The paper-batch form's running total: as a scrutineer types, count the ballots and spoilt
 * papers of the batch, set them against the envelopes still to match in its class, tally
 * first preferences, and name the first line whose choice is no candidate or several. It
 * reads choices as the server does (mandate.service.paper.match_candidate): a candidate's
 * number, or their name with accents, case and spacing forgiven, or whole words of it when
 * one candidate only has them. The form works the same without this script; the server
 * checks everything again. */
(function () {
  "use strict";
  var ballots = document.getElementById("batch-ballots");
  var spoiltInput = document.getElementById("batch-spoilt");
  var classSelect = document.getElementById("batch-class");
  var out = document.getElementById("paper-total");
  var list = document.getElementById("paper-candidates");
  if (!ballots || !out || !list) {
    return;
  }
  var names = Array.prototype.map.call(list.querySelectorAll("li"), function (li) {
    return li.getAttribute("data-name");
  });
  function key(text) {
    var bare = text.normalize ? text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "") : text;
    return bare.toLowerCase().split(/\s+/).filter(Boolean);
  }
  function contains(words, part) {
    for (var i = 0; i + part.length <= words.length; i++) {
      var same = true;
      for (var j = 0; j < part.length; j++) {
        if (words[i + j] !== part[j]) { same = false; break; }
      }
      if (same) { return true; }
    }
    return false;
  }
  function match(typed) {
    var text = typed.trim();
    if (names.indexOf(text) >= 0) { return { name: text }; }
    if (/^[0-9]+$/.test(text)) {
      var n = parseInt(text, 10);
      return n >= 1 && n <= names.length ? { name: names[n - 1] } : { unknown: text };
    }
    var k = key(text);
    if (!k.length) { return { unknown: text }; }
    var joined = k.join(" ");
    var exact = names.filter(function (c) { return key(c).join(" ") === joined; });
    var found = exact.length ? exact : names.filter(function (c) { return contains(key(c), k); });
    if (found.length === 1) { return { name: found[0] }; }
    return found.length ? { several: found, typed: text } : { unknown: text };
  }
  function plural(n, word) {
    return n.toLocaleString("en-GB") + " " + word + (n === 1 ? "" : "s");
  }
  function update() {
    var lines = ballots.value.replace(/\s+$/, "").split(/\r?\n/);
    if (lines.length === 1 && !lines[0].trim()) { lines = []; }
    var first = {};
    var problem = "";
    lines.forEach(function (line, index) {
      var choices = line.split(">");
      choices.forEach(function (choice, rank) {
        var m = match(choice);
        if (m.name) {
          if (rank === 0) { first[m.name] = (first[m.name] || 0) + 1; }
        } else if (!problem) {
          problem = "Line " + (index + 1) + ": " + (m.several
            ? "\u201c" + m.typed + "\u201d could be " + m.several.join(" or ") + "."
            : (m.unknown ? "\u201c" + m.unknown + "\u201d is no candidate." : "a blank choice."));
        }
      });
    });
    var spoilt = parseInt(spoiltInput && spoiltInput.value, 10) || 0;
    var papers = lines.length + spoilt;
    var text = "Running total: " + plural(lines.length, "ballot") + " and " +
      spoilt.toLocaleString("en-GB") + " spoilt = " + plural(papers, "paper") + ".";
    var row = classSelect && document.querySelector(
      '#paper-room tr[data-class="' + classSelect.value + '"]');
    if (row) {
      var room = parseInt(row.getAttribute("data-room"), 10) || 0;
      var title = row.querySelector("th").textContent;
      text += " " + room.toLocaleString("en-GB") + " still to enter for " + title +
        (papers > room ? ": " + plural(papers - room, "paper") + " too many." : ".");
    }
    var tally = names.filter(function (c) { return first[c]; }).map(function (c) {
      return c + " " + first[c].toLocaleString("en-GB");
    });
    if (tally.length) { text += " First preferences: " + tally.join(", ") + "."; }
    if (problem) { text += " " + problem; }
    out.textContent = text;
    out.hidden = false;
  }
  ballots.addEventListener("input", update);
  if (spoiltInput) { spoiltInput.addEventListener("input", update); }
  if (classSelect) { classSelect.addEventListener("change", update); }
  update();
}());
