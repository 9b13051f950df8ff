/* mandate ballot: drag-and-drop ranking on top of the rank selectors.
 *
 * The page works without this script: each candidate has a rank selector, and the form posts
 * those. This script only adds a "Your ranking" list that candidates can be dragged into and
 * reordered in; every drop rewrites the selectors (1, 2, 3, ... in list order), and changing a
 * selector re-orders the lists. The selectors remain the one source of what is submitted.
 */
(function () {
  "use strict";

  var form = document.getElementById("ballot-form");
  var pool = document.getElementById("candidates");
  if (!form || !pool) {
    return;
  }
  document.documentElement.classList.add("js");
  var status = document.getElementById("dnd-status");

  var rankedTitle = document.createElement("p");
  rankedTitle.className = "dropzone-title";
  rankedTitle.id = "ranked-title";
  rankedTitle.textContent = "Your ranking (drag candidates here, in order)";
  var ranked = document.createElement("ol");
  ranked.id = "ranked";
  ranked.className = "ballot-list dropzone";
  ranked.setAttribute("aria-labelledby", "ranked-title");
  var poolTitle = document.createElement("p");
  poolTitle.className = "dropzone-title";
  poolTitle.id = "pool-title";
  poolTitle.textContent = "Not ranked";
  pool.classList.add("dropzone");
  pool.setAttribute("aria-labelledby", "pool-title");
  pool.parentNode.insertBefore(rankedTitle, pool);
  pool.parentNode.insertBefore(ranked, pool);
  pool.parentNode.insertBefore(poolTitle, pool);

  function items(list) {
    return Array.prototype.slice.call(list.querySelectorAll("li.candidate"));
  }
  function indexOf(li) {
    return parseInt(li.getAttribute("data-index"), 10);
  }
  function selectOf(li) {
    return li.querySelector("select");
  }
  function rankOf(li) {
    var value = parseInt(selectOf(li).value, 10);
    return isNaN(value) ? 0 : value;
  }
  function nameOf(li) {
    return li.querySelector(".name").textContent;
  }
  function announce(text) {
    if (status) {
      status.textContent = text;
    }
  }
  function mark() {
    items(ranked).forEach(function (li) { li.classList.add("ranked"); });
    items(pool).forEach(function (li) { li.classList.remove("ranked"); });
  }

  /* Put candidates where their selectors say: ranked ones in rank order, the rest in ballot order. */
  function layout() {
    var all = items(ranked).concat(items(pool));
    all.sort(function (a, b) { return indexOf(a) - indexOf(b); });
    all.filter(function (li) { return rankOf(li) > 0; })
      .sort(function (a, b) { return rankOf(a) - rankOf(b) || indexOf(a) - indexOf(b); })
      .forEach(function (li) { ranked.appendChild(li); });
    all.filter(function (li) { return rankOf(li) === 0; })
      .forEach(function (li) { pool.appendChild(li); });
    mark();
  }

  /* Write the selectors from the lists: 1, 2, 3, ... down "Your ranking", none for the rest. */
  function renumber() {
    items(ranked).forEach(function (li, i) { selectOf(li).value = String(i + 1); });
    items(pool).forEach(function (li) { selectOf(li).value = ""; });
    mark();
  }

  var dragged = null;
  var allItems = items(pool);
  allItems.forEach(function (li) {
    li.setAttribute("draggable", "true");
    li.addEventListener("dragstart", function (event) {
      dragged = li;
      li.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", li.getAttribute("data-index"));
    });
    li.addEventListener("dragend", function () {
      li.classList.remove("dragging");
      dragged = null;
      allItems.forEach(function (other) { other.classList.remove("drop-target"); });
    });
    selectOf(li).addEventListener("change", function () {
      layout();
      selectOf(li).focus(); // moving the card in the page must not lose the keyboard focus
      var rank = rankOf(li);
      announce(rank ? nameOf(li) + " given rank " + rank : nameOf(li) + " not ranked");
    });
  });

  [ranked, pool].forEach(function (list) {
    list.addEventListener("dragover", function (event) {
      if (!dragged) {
        return;
      }
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      allItems.forEach(function (other) { other.classList.remove("drop-target"); });
      var over = event.target.closest ? event.target.closest("li.candidate") : null;
      if (over && over !== dragged) {
        over.classList.add("drop-target");
      }
    });
    list.addEventListener("drop", function (event) {
      if (!dragged) {
        return;
      }
      event.preventDefault();
      var over = event.target.closest ? event.target.closest("li.candidate") : null;
      if (over && over !== dragged && over.parentNode === list) {
        var box = over.getBoundingClientRect();
        if (event.clientY < box.top + box.height / 2) {
          list.insertBefore(dragged, over);
        } else {
          list.insertBefore(dragged, over.nextSibling);
        }
      } else if (!over) {
        list.appendChild(dragged);
      }
      renumber();
      var rank = rankOf(dragged);
      announce(rank ? nameOf(dragged) + " moved to rank " + rank : nameOf(dragged) + " not ranked");
    });
  });

  layout();
}());
