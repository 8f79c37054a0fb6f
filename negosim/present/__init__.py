"""Presentation: terminal tables now; figures, LaTeX and reports as they arrive. Only this layer imports matplotlib."""
