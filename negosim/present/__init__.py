"""Presentation, in sub-packages by kind: `text` (terminal tables and wording), `explain` (step-by-step
derivations), `report` (the HTML handout, LaTeX, MathML), `play` (play mode at a prompt) and `figures`
(matplotlib figures, imported only when drawn). Only this layer imports matplotlib."""
