/* The regime map's per-pixel painting, in one pass: the compiled counterpart of the numpy code in
   negosim/present/figures/regime_pixels.py (`region_index`, `region_colours`, `blend`) and of
   regime_png's hatch shading, with the same floats in the same order, so the same bytes.

   `regions` paints the plot's pixels straight into the canvas: for pixel (r, c) the region is the outcome
   at the grid point nearest its centre, unless the grid cell around the centre has more than one outcome at
   its corners, where it is the first outcome whose field, interpolated bilinearly in float32 exactly as
   numpy does it ((f00 * (1 - s)) * (1 - t) + (f10 * s) * (1 - t) + (f01 * (1 - s)) * t + (f11 * s) * t,
   summed left to right), is largest; its hatch's shade (0-255) comes from the region's tile (one inch
   square, repeating from the plot's top left), and its colour from the (k * 256, 3) table of
   `region_colours`. The numpy path builds a million-entry index array, a shade array and a gather; this
   writes each pixel once, with no temporary the size of the plot.

   `blend` paints a colour over 8-bit pixels by a cover in [0, 1] as `regime_pixels.blend` does:
   rint(p + (c * 255 - p) * cover) in float32, round half to even (nearbyintf in the default rounding
   mode). The cover is given as float32, or as 8-bit levels turned into float32 by one division or one
   multiplication (as numpy's `levels / 255` or `levels * scale`).

   The compiler must not contract a * b + c into a fused multiply-add (that rounds once, numpy twice).

   Never crashes on bad input: every buffer's size and item format is checked before anything is read or
   written, every grid index is checked against the grid, every outcome code against the table. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#elif defined(_MSC_VER)
#pragma fp_contract(off)
#endif

#define MAX_OUTCOMES 32768 /* codes are int16 */

/* A C-contiguous buffer of `count` items of `itemsize` bytes (format letter in `formats`); 0 on success,
   -1 with an exception set (and the buffer released) otherwise. */
static int get_buffer(PyObject *obj, Py_buffer *view, int writable, Py_ssize_t count, Py_ssize_t itemsize,
                      const char *formats, const char *what) {
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, view, flags) < 0)
        return -1;
    const char *f = view->format ? view->format : "B";
    if (*f == '<' || *f == '=' || *f == '@')
        f++;
    if (view->itemsize != itemsize || strlen(f) != 1 || strchr(formats, *f) == NULL) {
        PyErr_Format(PyExc_TypeError, "%s: expected items of %zd bytes in format '%s', got %zd bytes '%s'", what,
                     itemsize, formats, view->itemsize, view->format ? view->format : "B");
        PyBuffer_Release(view);
        return -1;
    }
    if (view->len != count * itemsize) {
        PyErr_Format(PyExc_ValueError, "%s: expected %zd items, got %zd", what, count, view->len / itemsize);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

enum { B_CANVAS, B_BEST, B_FIELDS, B_CI, B_CS, B_RJ, B_RT, B_TILES, B_TABLE, N_BUF };

/* regions(canvas, width, height, x0, y0, w, h, best, nx, ny, fields, k, ci, cs, rj, rt, tiles, n, table)

   canvas: (height, width, 3) uint8, written at rows y0..y0+h-1, columns x0..x0+w-1.
   best: (nx, ny) int16, the outcome at each grid point; fields: (k, nx, ny) float32 or int8 (turned into
   float32 exactly, as numpy does), or None (the outcome at the nearest grid point everywhere). ci, cs: (w,) int64 and float32, the grid cell left of each
   column's centre and the weight of its right neighbour; rj, rt: (h,) the same for each row.
   tiles: (k, n, n) uint8 hatch shades; table: (k * 256, 3) uint8 colours. */
static PyObject *regions(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *obj[N_BUF];
    Py_ssize_t width, height, x0, y0, w, h, nx, ny, k, n;
    if (!PyArg_ParseTuple(args, "OnnnnnnOnnOnOOOOOnO", &obj[B_CANVAS], &width, &height, &x0, &y0, &w, &h,
                          &obj[B_BEST], &nx, &ny, &obj[B_FIELDS], &k, &obj[B_CI], &obj[B_CS], &obj[B_RJ],
                          &obj[B_RT], &obj[B_TILES], &n, &obj[B_TABLE]))
        return NULL;
    if (width < 0 || height < 0 || w < 0 || h < 0 || x0 < 0 || y0 < 0 || x0 + w > width || y0 + h > height) {
        PyErr_SetString(PyExc_ValueError, "the plot does not lie inside the canvas");
        return NULL;
    }
    if (nx < 2 || ny < 2 || k < 1 || k > MAX_OUTCOMES || n < 1 || nx > PY_SSIZE_T_MAX / ny / k / 4
        || n > 1 << 14 || width > PY_SSIZE_T_MAX / 3 / (height ? height : 1)) {
        PyErr_SetString(PyExc_ValueError, "grid, outcome count or tile size out of range");
        return NULL;
    }
    Py_buffer v[N_BUF];
    int got[N_BUF] = {0};
    int ok = 1;
    const Py_ssize_t counts[N_BUF] = {width * height * 3, nx * ny, k * nx * ny, w, w, h, h, k * n * n, k * 256 * 3};
    const Py_ssize_t sizes[N_BUF] = {1, 2, 4, 8, 4, 8, 4, 1, 1};
    const char *formats[N_BUF] = {"B", "h", "f", "ql", "f", "ql", "f", "B", "B"};
    const char *names[N_BUF] = {"canvas", "best", "fields", "ci", "cs", "rj", "rt", "tiles", "table"};
    for (int b = 0; b < N_BUF && ok; b++) {
        if (b == B_FIELDS && obj[b] == Py_None)
            continue;
        Py_ssize_t size = sizes[b];
        const char *format = formats[b];
        if (b == B_FIELDS) { /* float32 or int8: read the item size first */
            if (PyObject_GetBuffer(obj[b], &v[b], PyBUF_C_CONTIGUOUS) < 0) {
                ok = 0;
                break;
            }
            if (v[b].itemsize == 1) {
                size = 1;
                format = "b";
            }
            PyBuffer_Release(&v[b]);
        }
        ok = get_buffer(obj[b], &v[b], b == B_CANVAS, counts[b], size, format, names[b]) == 0;
        got[b] = ok;
    }
    if (ok) {
        const int64_t *ci = v[B_CI].buf, *rj = v[B_RJ].buf;
        for (Py_ssize_t c = 0; c < w && ok; c++)
            ok = ci[c] >= 0 && ci[c] <= nx - 2;
        for (Py_ssize_t r = 0; r < h && ok; r++)
            ok = rj[r] >= 0 && rj[r] <= ny - 2;
        if (!ok)
            PyErr_SetString(PyExc_ValueError, "a pixel's grid cell lies outside the grid");
    }
    if (ok) {
        const int16_t *best = v[B_BEST].buf;
        for (Py_ssize_t q = 0; q < nx * ny && ok; q++)
            ok = best[q] >= 0 && best[q] < k;
        if (!ok)
            PyErr_SetString(PyExc_ValueError, "an outcome code lies outside [0, k)");
    }
    /* per column, worked out once: the nearest grid row's offset in `best`, the cell's, the tile column */
    Py_ssize_t *near = NULL, *cell = NULL, *tile_col = NULL;
    if (ok) {
        near = PyMem_Malloc((size_t)(w ? w : 1) * sizeof(Py_ssize_t));
        cell = PyMem_Malloc((size_t)(w ? w : 1) * sizeof(Py_ssize_t));
        tile_col = PyMem_Malloc((size_t)(w ? w : 1) * sizeof(Py_ssize_t));
        if (!near || !cell || !tile_col) {
            PyErr_NoMemory();
            ok = 0;
        }
    }
    if (ok) {
        uint8_t *canvas = v[B_CANVAS].buf;
        const int16_t *best = v[B_BEST].buf;
        const float *fields = got[B_FIELDS] && v[B_FIELDS].itemsize == 4 ? (const float *)v[B_FIELDS].buf : NULL;
        const int8_t *signs = got[B_FIELDS] && v[B_FIELDS].itemsize == 1 ? (const int8_t *)v[B_FIELDS].buf : NULL;
        const int64_t *ci = v[B_CI].buf, *rj = v[B_RJ].buf;
        const float *cs = v[B_CS].buf, *rt = v[B_RT].buf;
        const uint8_t *tiles = v[B_TILES].buf, *table = v[B_TABLE].buf;
        const Py_ssize_t plane = nx * ny, tile_size = n * n;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t c = 0; c < w; c++) {
            cell[c] = (Py_ssize_t)ci[c] * ny;
            near[c] = ((Py_ssize_t)ci[c] + (cs[c] >= 0.5f)) * ny;
            tile_col[c] = c % n;
        }
        for (Py_ssize_t r = 0; r < h; r++) {
            const Py_ssize_t j = (Py_ssize_t)rj[r];
            const float t = rt[r], u = 1.0f - t;
            const Py_ssize_t jn = j + (t >= 0.5f);
            const uint8_t *tile_row = tiles + (r % n) * n;
            uint8_t *out = canvas + ((y0 + r) * width + x0) * 3;
            for (Py_ssize_t c = 0; c < w; c++, out += 3) {
                Py_ssize_t at = best[near[c] + jn];
                if (fields || signs) {
                    const Py_ssize_t q = cell[c] + j;
                    const int16_t b00 = best[q];
                    if (b00 != best[q + ny] || b00 != best[q + 1] || b00 != best[q + ny + 1]) {
                        /* a cell some boundary crosses: the largest interpolated field, the first of equals */
                        const float s = cs[c], sm = 1.0f - s;
                        float top = 0.0f;
                        for (Py_ssize_t o = 0; o < k; o++) {
                            const Py_ssize_t p = o * plane + q;
                            float f00, f10, f01, f11;
                            if (fields) {
                                f00 = fields[p], f10 = fields[p + ny], f01 = fields[p + 1], f11 = fields[p + ny + 1];
                            } else {
                                f00 = signs[p], f10 = signs[p + ny], f01 = signs[p + 1], f11 = signs[p + ny + 1];
                            }
                            float a = f00 * sm;
                            a = a * u;
                            float b = f10 * s;
                            b = b * u;
                            float d = f01 * sm;
                            d = d * t;
                            float e = f11 * s;
                            e = e * t;
                            const float value = ((a + b) + d) + e;
                            if (o == 0 || value > top) {
                                top = value;
                                at = o;
                            }
                        }
                    }
                }
                const uint8_t *colour = table + (at * 256 + tile_row[at * tile_size + tile_col[c]]) * 3;
                out[0] = colour[0];
                out[1] = colour[1];
                out[2] = colour[2];
            }
        }
        Py_END_ALLOW_THREADS
    }
    PyMem_Free(near);
    PyMem_Free(cell);
    PyMem_Free(tile_col);
    for (int b = 0; b < N_BUF; b++)
        if (got[b])
            PyBuffer_Release(&v[b]);
    if (!ok)
        return NULL;
    Py_RETURN_NONE;
}

/* blend(part, color, cover, mode, scale)

   part: an (h, w, 3) uint8 array, rows anywhere (a view into the canvas), pixels and channels contiguous.
   color: (3,) float32 in [0, 1]. cover: mode 0, (h, w) float32; mode 1, (h, w) uint8 levels divided by
   `scale`; mode 2, (h, w) uint8 levels multiplied by `scale` (scale taken as float32). */
static PyObject *blend(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *part_obj, *color_obj, *cover_obj;
    int mode;
    float scale;
    if (!PyArg_ParseTuple(args, "OOOif", &part_obj, &color_obj, &cover_obj, &mode, &scale))
        return NULL;
    if (mode < 0 || mode > 2) {
        PyErr_SetString(PyExc_ValueError, "mode must be 0, 1 or 2");
        return NULL;
    }
    Py_buffer pv, cv, kv;
    if (PyObject_GetBuffer(part_obj, &pv, PyBUF_STRIDES | PyBUF_FORMAT | PyBUF_WRITABLE) < 0)
        return NULL;
    const char *pf = pv.format ? pv.format : "B";
    if (pv.ndim != 3 || pv.itemsize != 1 || strcmp(pf, "B") != 0 || pv.shape[2] != 3 || pv.strides[2] != 1
        || pv.strides[1] != 3 || pv.strides[0] < 0) {
        PyErr_SetString(PyExc_ValueError, "part: expected an (h, w, 3) uint8 array with contiguous pixels");
        PyBuffer_Release(&pv);
        return NULL;
    }
    const Py_ssize_t h = pv.shape[0], w = pv.shape[1];
    if (get_buffer(color_obj, &cv, 0, 3, 4, "f", "color") < 0) {
        PyBuffer_Release(&pv);
        return NULL;
    }
    if (get_buffer(cover_obj, &kv, 0, h * w, mode == 0 ? 4 : 1, mode == 0 ? "f" : "B", "cover") < 0) {
        PyBuffer_Release(&cv);
        PyBuffer_Release(&pv);
        return NULL;
    }
    const float *color = cv.buf;
    const float ink[3] = {color[0] * 255.0f, color[1] * 255.0f, color[2] * 255.0f};
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t r = 0; r < h; r++) {
        uint8_t *row = (uint8_t *)pv.buf + r * pv.strides[0];
        for (Py_ssize_t c = 0; c < w; c++) {
            float cover;
            if (mode == 0)
                cover = ((const float *)kv.buf)[r * w + c];
            else {
                const uint8_t level = ((const uint8_t *)kv.buf)[r * w + c];
                if (level == 0)
                    continue;
                cover = mode == 1 ? (float)level / scale : (float)level * scale;
            }
            if (cover == 0.0f)
                continue; /* numpy's rint(p + (c - p) * 0) is p */
            uint8_t *px = row + 3 * c;
            for (int ch = 0; ch < 3; ch++) {
                const float p = (float)px[ch];
                float mixed = ink[ch] - p;
                mixed = mixed * cover;
                mixed = p + mixed;
                const float rounded = nearbyintf(mixed);
                /* numpy's float -> uint8 cast of values already in [0, 255] */
                px[ch] = (uint8_t)(rounded < 0.0f ? 0.0f : rounded > 255.0f ? 255.0f : rounded);
            }
        }
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&kv);
    PyBuffer_Release(&cv);
    PyBuffer_Release(&pv);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"regions", regions, METH_VARARGS, "Paint the regime map's regions, hatched, into the canvas."},
    {"blend", blend, METH_VARARGS, "Paint a colour over 8-bit pixels by a cover."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_regime_paint",
    "The regime map's per-pixel painting (negosim.present.figures.regime_pixels), compiled.", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__regime_paint(void) { return PyModule_Create(&module); }
