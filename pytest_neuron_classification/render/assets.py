"""The stylesheet and the script the HTML report inlines (:mod:`.html`).

Inline because the page must open from a CI artifact with nothing to fetch. The script filters
what the HTML holds (buttons by level, kind and status, and a search box) and, on a large page,
draws the quiet items it keeps as data (:mod:`.item_data`) when a filter, the search, a link or
"Show them" asks for them: with JavaScript off every drawn item is shown and the filters stay
hidden, so no control pretends to work.
Colours repeat what the text and the symbol already say; they never say it alone.
"""

from __future__ import annotations

STYLE = """
:root{--ok:#116329;--bad:#b3261e;--warn:#8a5300;--dim:#5f6368;--line:#d0d7de;--bg:#f6f8fa;--accent:#0b57d0}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;margin:0 auto;
max-width:1100px;padding:1rem 1.25rem 3rem}
h1{font-size:1.6rem;margin:.2rem 0 .6rem}h2{font-size:1.25rem;margin:1.8rem 0 .6rem;border-bottom:1px solid var(--line)}
h3{font-size:1.05rem;margin:1rem 0 .4rem}h4{font-size:.95rem;margin:.9rem 0 .3rem}
table{border-collapse:collapse;margin:.3rem 0 .6rem;width:100%}
th,td{border:1px solid var(--line);padding:.25rem .5rem;text-align:left;vertical-align:top}
thead th{background:var(--bg)}
.verdict{font-size:1.1rem;padding:.6rem .8rem;border-radius:6px;border-left:6px solid;background:var(--bg)}
.v-ok{border-color:var(--ok)}.v-warn{border-color:var(--warn)}.v-fail{border-color:var(--bad)}
.facts{display:flex;flex-wrap:wrap;gap:.3rem 1.6rem;margin:.6rem 0}.facts div{min-width:8rem}
.facts dt{font-size:.8rem;color:var(--dim);text-transform:uppercase;letter-spacing:.03em}.facts dd{margin:0}
.s{white-space:nowrap;font-weight:600}
.s-met,.s-passed,.s-collected{color:var(--ok)}
.s-failing,.s-missing,.s-skipped,.s-unmeasured,.s-failed,.s-error{color:var(--bad)}
.s-waived,.s-not-run,.s-out-of-scope,.s-xfailed{color:var(--dim)}.s-note{color:var(--warn)}
#filters{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:.5rem .7rem;margin:.5rem 0}
#filters div{margin:.25rem 0}.fl{display:inline-block;min-width:4.2rem;font-weight:600}
#filters button{font:inherit;font-size:.85rem;padding:.1rem .55rem;margin:0 .15rem .2rem 0;border:1px solid var(--line);
border-radius:999px;background:#fff;cursor:pointer}
#filters button[aria-pressed=true]{background:var(--accent);border-color:var(--accent);color:#fff}
#filters button[aria-pressed=true]::before{content:"✓ "}
#search{font:inherit;padding:.2rem .4rem;width:min(28rem,100%)}#shown{margin:.3rem 0 0;color:var(--dim)}
.item{border:1px solid var(--line);border-radius:6px;margin:.35rem 0;background:#fff}
.item summary{padding:.4rem .6rem;cursor:pointer}.item details[open] summary{border-bottom:1px solid var(--line)}
.item details>:not(summary){margin-left:.8rem;margin-right:.8rem;max-width:calc(100% - 1.6rem)}
.lk{color:var(--dim);font-size:.85rem}.n{color:var(--dim);font-size:.85rem}
ul.tests{font:12.5px/1.35 ui-monospace,SFMono-Regular,Menlo,monospace;max-height:20rem;overflow:auto;
margin:.2rem 0 .6rem;padding-left:1.4rem;word-break:break-all}
figure.trend{margin:1rem 0 1.6rem}figcaption{color:var(--dim);font-size:.9rem}
svg.chart{max-width:100%;height:auto;font-family:inherit}
svg .grid{stroke:#e6e8eb}svg .axis{stroke:#444;fill:none}svg .tick{font-size:11px;fill:#444}
svg .label{font-size:12px;fill:#1f2328}svg .legend text{font-size:11px;fill:#1f2328}
svg .band{fill:#0b57d0;fill-opacity:.12}svg .baseline{stroke:#0b57d0;stroke-dasharray:5 4}
svg .values{fill:none;stroke:#1f2328;stroke-width:1.6}svg .point{fill:#1f2328}svg .point.regressed{fill:var(--bad)}
nav{margin:.4rem 0;font-size:.9rem}nav a{margin-right:1rem;color:var(--accent)}
[hidden]{display:none!important}
@media print{#filters{display:none!important}}
"""

SCRIPT = """
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  var items = Array.prototype.slice.call(document.querySelectorAll(".item"));
  var chosen = {level: "", kind: "", status: ""};
  var search = document.getElementById("search");
  var shown = document.getElementById("shown");
  var texts = null;
  // The quiet items (every obligation met, nothing else to show) of a large page: data, drawn on demand.
  var packed = document.getElementById("quiet-data");
  var box = document.getElementById("quiet-items");
  var showAll = document.getElementById("quiet-show");
  var more = document.getElementById("quiet-more");
  var quiet = null, everything = false, limit = 1000, STEP = 1000;
  var SYMBOL = {"passed": "\u2714", "met": "\u2714", "failed": "\u2718", "error": "\u2718", "skipped": "\u2718",
    "xfailed": "\u25cb", "not-run": "\u25cb", "collected": "\u25cf"};
  function quietItems() {
    if (quiet === null) {
      var d = JSON.parse(packed.textContent);
      quiet = d.items.map(function (r) {
        return {index: r[0], label: r[1], level: r[2], kind: r[3], since: r[4], id: r[5] || r[1], declared: r[6],
          obligations: r[7].split(",").filter(Boolean).map(function (o) {
            var p = o.split(":"); return {name: d.names[+p[0]], tests: +p[1]};
          }), ranges: r[8], text: null, el: null};
      });
      quiet.data = d;
    }
    return quiet;
  }
  function testsOf(q) {
    var d = quiet.data, out = [];
    q.ranges.split(",").filter(Boolean).forEach(function (span) {
      var ab = span.split("-"), k = +ab[0], last = ab.length > 1 ? +ab[1] : k;
      for (; k <= last; k += 1) {
        var t = d.tests[k];
        out.push({id: d.files[t[0]] + t[1], outcome: d.outcomes[t[2]], extra: t[3] || ""});
      }
    });
    return out;
  }
  function textOf(q) {
    if (q.text === null) {
      q.text = [q.label, q.id, q.level, q.kind, "met", q.since, q.declared].concat(
        q.obligations.map(function (o) { return o.name; }),
        testsOf(q).map(function (t) { return t.id + t.extra; })).join(" ").toLowerCase();
    }
    return q.text;
  }
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }
  function badge(name, extra) { return el("span", (SYMBOL[name] || "\u2022") + " " + name + extra, "s s-" + name); }
  function plural(n, noun) { return n + " " + noun + (n === 1 ? "" : "s"); }
  function draw(q) {
    if (q.el) { return q.el; }
    var tests = testsOf(q);
    var div = el("div", "", "item"), details = el("details"), summary = el("summary");
    div.id = "item-" + q.index;
    div.dataset.level = q.level; div.dataset.kind = q.kind; div.dataset.status = "met";
    var strong = el("strong", q.label);
    summary.append(badge("met", ""), " ", el("span", q.level + " " + q.kind, "lk"), " ", strong,
      q.since ? " since " + q.since : "", " ",
      el("span", q.obligations.length + " of " + q.obligations.length + " obligations met, " +
        plural(tests.length, "test"), "n"));
    details.append(summary);
    details.addEventListener("toggle", function () {
      if (!details.open || details.childNodes.length > 1) { return; }
      details.append(el("p", "id " + q.id + "; declared by " + q.declared, "n"), el("h4", "Obligations"));
      var table = el("table"), head = el("tr");
      ["obligation", "status", "tests", "measured", "to close it, waiver"].forEach(function (h) {
        var th = el("th", h); th.scope = "col"; head.append(th);
      });
      table.append(el("thead")); table.firstChild.append(head);
      var body = el("tbody");
      q.obligations.forEach(function (o) {
        var row = el("tr"), status = el("td");
        status.append(badge("met", ""));
        row.append(el("td", o.name), status, el("td", String(o.tests)), el("td"), el("td"));
        body.append(row);
      });
      table.append(body); details.append(table);
      if (!tests.length) { return; }
      details.append(el("h4", "Tests (" + tests.length + ")"));
      quiet.data.outcomes.forEach(function (outcome) {  // in the order the drawn items group them
        var group = tests.filter(function (t) { return t.outcome === outcome; });
        if (!group.length) { return; }
        var p = el("p"), ul = el("ul", "", "tests");
        p.append(badge(outcome, ": " + group.length));
        group.forEach(function (t) { ul.append(el("li", t.id + t.extra)); });
        details.append(p, ul);
      });
    });
    div.append(details);
    q.el = div;
    return div;
  }
  function fits(level, kind, statuses, text, q) {
    return (!chosen.level || level === chosen.level) && (!chosen.kind || kind === chosen.kind) &&
      (!chosen.status || statuses.indexOf(chosen.status) >= 0) && (!q || text().indexOf(q) >= 0);
  }
  function apply() {
    var q = search.value.trim().toLowerCase();
    if (q && texts === null) {
      texts = items.map(function (item) { return item.textContent.toLowerCase(); });
    }
    var n = 0, total = items.length;
    items.forEach(function (item, i) {
      var ok = fits(item.dataset.level, item.dataset.kind, item.dataset.status.split(" "),
        function () { return texts[i]; }, q);
      item.hidden = !ok;
      if (ok) { n += 1; }
    });
    var note = "";
    if (packed) {
      var all = quietItems(), wanted = everything || q || chosen.level || chosen.kind || chosen.status;
      var matched = !wanted ? [] : all.filter(function (one) {
        return fits(one.level, one.kind, ["met"], function () { return textOf(one); }, q);
      });
      var drawn = matched.slice(0, limit);
      box.replaceChildren.apply(box, drawn.map(draw));
      more.hidden = matched.length <= drawn.length;
      n += drawn.length; total += all.length;
      if (matched.length > drawn.length) {
        note = "; " + (matched.length - drawn.length) + " more match (Show more)";
      }
      showAll.hidden = everything;
    }
    shown.textContent = "Showing " + n + " of " + total + " items" + note;
  }
  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-filter]");
    if (!button) { return; }
    chosen[button.dataset.filter] = button.dataset.value;
    form.querySelectorAll("button[data-filter=" + button.dataset.filter + "]").forEach(function (other) {
      other.setAttribute("aria-pressed", String(other === button));
    });
    limit = STEP;
    apply();
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  search.addEventListener("input", function () { limit = STEP; apply(); });
  if (packed) {
    showAll.hidden = false;
    showAll.addEventListener("click", function () { everything = true; apply(); });
    more.addEventListener("click", function () { limit += STEP; apply(); });
  }
  function openTarget() {
    var target = document.getElementById(location.hash.slice(1));
    if (!target && packed && /^#item-[0-9]+$/.test(location.hash)) {
      var index = +location.hash.slice(6);
      var found = quietItems().filter(function (one) { return one.index === index; })[0];
      if (found) { target = draw(found); if (!target.parentNode) { box.prepend(target); } }
    }
    if (target && target.classList.contains("item")) {
      target.hidden = false;
      target.querySelector("details").open = true;
      target.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
  form.hidden = false;
})();
"""
