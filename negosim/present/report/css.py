"""The handout's stylesheet: readable projected, clean printed on A4 and Letter (inline, no fonts fetched).

The page has no fixed paper size: `@page` sets margins only, so the browser prints on the
reader's paper, and every block fits the narrower text width of the two (A4: 210 - 2 x 15 = 180 mm).
Colours are black on white with the Okabe-Ito blue as the one accent; nothing depends on colour
alone, and no background is needed to read the page (browsers drop backgrounds when printing).
"""

CSS = """
:root { --accent: #0072B2; --rule: #888; --soft: #f2f2f2; --ink: #111; }
* { box-sizing: border-box; }
html { font-size: 18px; }
body {
  margin: 0 auto; padding: 1.5rem 2rem 3rem; max-width: 58rem;
  font-family: "DejaVu Sans", "Liberation Sans", "Helvetica Neue", Arial, sans-serif;
  line-height: 1.45; color: var(--ink); background: #fff;
}
header.title { border-bottom: 3px solid var(--accent); margin-bottom: 1rem; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 0.3rem; }
.kind { font-size: 0.85rem; text-transform: uppercase; letter-spacing: 0.08em; color: #444; margin: 0; }
.meta { color: #333; margin: 0.2rem 0 0.6rem; }
h2 {
  font-size: 1.35rem; margin: 1.6rem 0 0.5rem; padding-bottom: 0.15rem;
  border-bottom: 1px solid var(--rule); break-after: avoid; page-break-after: avoid;
}
h3 { font-size: 1.1rem; margin: 1.1rem 0 0.35rem; break-after: avoid; page-break-after: avoid; }
h4 { font-size: 1rem; margin: 0.9rem 0 0.25rem; break-after: avoid; page-break-after: avoid; }
p { margin: 0.45rem 0; }
code, .mono { font-family: "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; font-size: 0.92em; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 0.8rem; font-size: 0.9rem; }
th, td { border: 1px solid #bbb; padding: 0.25rem 0.45rem; text-align: left; vertical-align: top; }
thead th { background: var(--soft); border-bottom: 2px solid #666; }
tr { break-inside: avoid; page-break-inside: avoid; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.name { font-weight: bold; white-space: nowrap; }
table.params td.desc { width: 50%; }
td.answer { width: 35%; }
table.matrix { width: auto; margin: 0.6rem auto; font-size: 1.15rem; }
table.matrix th, table.matrix td { padding: 0.6rem 1.2rem; text-align: center; vertical-align: middle; }
table.matrix td { min-width: 7rem; }
table.ce-plan { width: auto; margin: 0.5rem auto 0.8rem; }
table.ce-plan td { min-width: 5rem; }
.p0 { color: #0072B2; } .p1 { color: #D55E00; } .p2 { color: #009E73; }
ol.tasks > li { margin: 0.5rem 0; break-inside: avoid; page-break-inside: avoid; }
figure {
  margin: 0.8rem 0 1rem; break-inside: avoid; page-break-inside: avoid; text-align: center;
}
figure svg { width: 100%; height: auto; max-height: 80vh; display: block; margin: 0 auto; }
figure.narrow svg { max-width: 75%; }
figcaption { font-size: 0.88rem; color: #333; margin-top: 0.35rem; text-align: left; }
.box {
  border: 1px solid var(--rule); border-left: 5px solid var(--accent); padding: 0.5rem 0.8rem;
  margin: 0.7rem 0; break-inside: avoid; page-break-inside: avoid;
}
.note { font-size: 0.9rem; color: #333; }
.eq, .keep { break-inside: avoid; page-break-inside: avoid; }
.concept > h3, .concept > p { break-after: avoid; page-break-after: avoid; }
.eq dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 0.8rem; margin: 0.3rem 0; }
.eq dt { font-weight: bold; }
.eq dd { margin: 0; }
pre.derivation {
  white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.8rem; line-height: 1.35;
  border-left: 3px solid var(--accent); padding: 0.4rem 0.8rem; margin: 0.5rem 0; background: #fafafa;
}
ol.questions > li { margin: 0.5rem 0; break-inside: avoid; page-break-inside: avoid; }
.lines { margin: 0.3rem 0 0.8rem; }
.lines span { display: block; height: 2rem; border-bottom: 1px solid #999; }
ul.sources li { margin: 0.2rem 0; }
math { font-size: 1.05em; }
.typed { font-family: "DejaVu Sans Mono", "Liberation Mono", Menlo, monospace; font-size: 0.8em; color: #444; }
dl.symbols { columns: 2; column-gap: 1.5rem; margin: 0.3rem 0; font-size: 0.88rem; }
dl.symbols > div { break-inside: avoid; page-break-inside: avoid; margin: 0 0 0.25rem; }
dl.symbols dt { display: inline; font-weight: bold; }
dl.symbols dd { display: inline; margin: 0 0 0 0.3rem; }
table.decisions td.answer { width: 45%; }
p.players { margin: 0.4rem 0; }
ol.key > li, ol.questions.key > li { margin: 0.5rem 0; }
ol.questions.key p { margin: 0.2rem 0; }
ol.questions.key p.ask { font-style: italic; }
ul.compact { margin: 0.2rem 0; padding-left: 1.2rem; }
ul.players { margin: 0.3rem 0; padding-left: 1.2rem; }
/* Projector: large type across the screen's full width (negosim report --projector). */
body.projector { max-width: none; padding: 1rem 2.5vw 2rem; }
html:has(body.projector) { font-size: 28px; }
body.projector figure svg { max-height: 85vh; }
body.projector table.matrix { font-size: 1.5rem; }
@media screen and (max-width: 640px) {
  html { font-size: 16px; }
  body { padding: 1rem 0.8rem 2rem; }
  dl.symbols { columns: 1; }
  table.matrix { font-size: 1rem; }
  table.matrix th, table.matrix td { padding: 0.35rem 0.5rem; }
  table.matrix td { min-width: 0; }
}
@media screen and (min-width: 1800px) {
  html { font-size: 24px; }
  body { max-width: 92vw; }
}
footer.provenance {
  margin-top: 2rem; padding-top: 0.5rem; border-top: 1px solid var(--rule);
  font-size: 0.75rem; color: #333; overflow-wrap: anywhere; break-inside: avoid; page-break-inside: avoid;
}
footer.provenance dl { margin: 0; }
footer.provenance dt { display: inline; font-weight: bold; }
footer.provenance dd { display: inline; margin: 0 0.8rem 0 0.3rem; }

@page { margin: 10mm 12mm; }
@media print {
  html, html:has(body.projector) { font-size: 10.5pt; }
  body, body.projector { max-width: none; padding: 0; }
  h1 { font-size: 20pt; }
  h2 { font-size: 14pt; }
  h3 { font-size: 12pt; }
  h4 { font-size: 11pt; }
  table { font-size: 9.5pt; }
  figure svg { max-height: 215mm; }
  pre.derivation { font-size: 8pt; padding: 0.2rem 0 0.2rem 0.5rem; background: none; }
  .lines span { height: 7.5mm; }
  h2 { margin: 0.9rem 0 0.35rem; }
  header.title { margin-bottom: 0.5rem; }
  table { margin: 0.3rem 0 0.5rem; }
  .worksheet { font-size: 10pt; line-height: 1.35; }
  .worksheet h1 { font-size: 16pt; }
  .worksheet h2 { font-size: 12.5pt; margin: 0.7rem 0 0.3rem; }
  .worksheet footer.provenance { font-size: 6.5pt; margin-top: 0.5rem; }
  .worksheet figure svg { max-height: 96mm; }
  .worksheet dl.symbols { font-size: 8.5pt; }
  .worksheet .lines span { height: 7mm; }
  .worksheet table.decisions td { height: 7.5mm; }
  .worksheet figure { margin: 0.3rem 0; }
  .worksheet table.outcomes, .worksheet table.decisions { font-size: 8.5pt; }
  .worksheet th, .worksheet td { padding: 0.12rem 0.35rem; }
  .worksheet ol.tasks > li, .worksheet ol.questions > li { margin: 0.3rem 0; }
  .worksheet .lines { margin: 0 0 0.3rem; }
  footer.provenance { margin-top: 0.8rem; font-size: 7pt; break-before: avoid; page-break-before: avoid; }
  a { color: inherit; text-decoration: none; }
  thead { display: table-header-group; }
}
"""
