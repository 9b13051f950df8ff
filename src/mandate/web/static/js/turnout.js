/* Live turnout on the officials' contest page: re-read /api/contests/<id>/turnout every few
 * seconds while the ballot is open. The table is complete without this script. */
(function () {
  "use strict";
  var table = document.getElementById("turnout-table");
  if (!table || !table.getAttribute("data-live") || !window.fetch) {
    return;
  }
  var contest = table.getAttribute("data-contest");
  function format(n) {
    return n.toLocaleString("en-GB");
  }
  function refresh() {
    fetch("/api/contests/" + encodeURIComponent(contest) + "/turnout", { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) {
          return;
        }
        data.classes.forEach(function (row) {
          var tr = table.querySelector('tr[data-class="' + row.voter_class + '"]');
          if (tr) {
            tr.querySelector(".voted").textContent = format(row.voted);
            tr.querySelector(".percent").textContent = row.percent + "%";
          }
        });
        var total = table.querySelector('tr[data-class="total"]');
        if (total) {
          total.querySelector(".voted").textContent = format(data.voted);
          total.querySelector(".percent").textContent = data.percent + "%";
        }
      })
      .catch(function () { /* try again next time */ });
  }
  window.setInterval(refresh, 5000);
}());
