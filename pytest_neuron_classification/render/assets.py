"""The stylesheet and the script the HTML report inlines (:mod:`.html`).

Inline because the page must open from a CI artifact with nothing to fetch. The script only
filters what the HTML already holds (buttons by level, kind and status, and a search box): with
JavaScript off every item is shown and the filters stay hidden, so no control pretends to work.
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
  function apply() {
    var q = search.value.trim().toLowerCase();
    if (q && texts === null) {
      texts = items.map(function (el) { return el.textContent.toLowerCase(); });
    }
    var n = 0;
    items.forEach(function (el, i) {
      var ok = (!chosen.level || el.dataset.level === chosen.level) &&
        (!chosen.kind || el.dataset.kind === chosen.kind) &&
        (!chosen.status || el.dataset.status.split(" ").indexOf(chosen.status) >= 0) &&
        (!q || texts[i].indexOf(q) >= 0);
      el.hidden = !ok;
      if (ok) { n += 1; }
    });
    shown.textContent = "Showing " + n + " of " + items.length + " items";
  }
  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-filter]");
    if (!button) { return; }
    chosen[button.dataset.filter] = button.dataset.value;
    form.querySelectorAll("button[data-filter=" + button.dataset.filter + "]").forEach(function (other) {
      other.setAttribute("aria-pressed", String(other === button));
    });
    apply();
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  search.addEventListener("input", apply);
  function openTarget() {
    var target = document.getElementById(location.hash.slice(1));
    if (target && target.classList.contains("item")) {
      target.hidden = false;
      target.querySelector("details").open = true;
    }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
  form.hidden = false;
})();
"""
