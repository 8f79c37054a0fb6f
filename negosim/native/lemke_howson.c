/* One Lemke-Howson path of a 2-player game, pivot by pivot in C: `negosim.native._lemke_howson.follow`.
 *
 * The same arithmetic as `negosim.solve.lemke_howson._pivot` (numpy), operation for operation and in
 * the same order, so a path visits the same bases and ends at the same floating-point point: the
 * minimum-ratio test over rows whose entering-column entry exceeds eps times max(1, the column's
 * largest magnitude), ties within 1e-12 relative broken lexicographically on the columns of the
 * initial basis, the first tied row leaving, then the rank-1 update T[i] - f_i * (T[r] / T[r, e]).
 * setup.py compiles with -ffp-contract=off so that no multiply-add is fused (numpy does not fuse).
 *
 * The caller (`negosim.solve.lemke_howson.paths`) checks every buffer's shape and dtype; this file
 * checks them again and raises ValueError rather than read out of bounds.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _WIN32
#include <windows.h>
#endif

#define PIVOT_EPS 1e-12
#define TIE_RTOL 1e-12
/* Pivots between two looks at Ctrl-C (PyErr_CheckSignals) and at the clock. */
#define CHECK_EVERY 64

static double seconds_now(void) {
#ifdef _WIN32
    return (double)GetTickCount64() / 1000.0;
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
#endif
}

/* One pivot of the (rows x cols) tableau T on column `entering`; lexicographic ties on columns
 * [lex_lo, lex_hi). Returns the label that leaves, or -1 when no row can leave (an unbounded ray).
 * `ratio` and `tie` are scratch arrays of `rows` entries. */
static long pivot(double *T, long *basis, Py_ssize_t rows, Py_ssize_t cols, Py_ssize_t entering,
                  Py_ssize_t lex_lo, Py_ssize_t lex_hi, double *ratio, char *tie) {
    double biggest = 0.0;
    for (Py_ssize_t i = 0; i < rows; i++) {
        double a = fabs(T[i * cols + entering]);
        if (a > biggest) biggest = a;
    }
    double threshold = PIVOT_EPS * (biggest > 1.0 ? biggest : 1.0);
    double best = INFINITY;
    Py_ssize_t any = 0;
    for (Py_ssize_t i = 0; i < rows; i++) {
        double c = T[i * cols + entering];
        if (c > threshold) {
            ratio[i] = T[i * cols + cols - 1] / c;
            if (ratio[i] < best) best = ratio[i];
            any = 1;
        } else {
            ratio[i] = INFINITY;
        }
    }
    if (!any) return -1;
    double slack = TIE_RTOL * (fabs(best) > 1.0 ? fabs(best) : 1.0);
    Py_ssize_t ties = 0;
    for (Py_ssize_t i = 0; i < rows; i++) {
        double c = T[i * cols + entering];
        tie[i] = (char)(c > threshold && ratio[i] <= best + slack);
        ties += tie[i];
    }
    for (Py_ssize_t j = lex_lo; j < lex_hi && ties > 1; j++) {
        double low = INFINITY;
        for (Py_ssize_t i = 0; i < rows; i++) {
            if (tie[i]) {
                ratio[i] = T[i * cols + j] / T[i * cols + entering];
                if (ratio[i] < low) low = ratio[i];
            }
        }
        double tol = TIE_RTOL * (fabs(low) > 1.0 ? fabs(low) : 1.0);
        ties = 0;
        for (Py_ssize_t i = 0; i < rows; i++) {
            if (tie[i]) {
                tie[i] = (char)(ratio[i] <= low + tol);
                ties += tie[i];
            }
        }
    }
    Py_ssize_t row = 0;
    while (!tie[row]) row++;
    long leaving = basis[row];
    double *pr = T + row * cols;
    double element = pr[entering];
    for (Py_ssize_t k = 0; k < cols; k++) pr[k] = pr[k] / element;
    for (Py_ssize_t i = 0; i < rows; i++) {
        if (i == row) continue;
        double f = T[i * cols + entering];
        double *ti = T + i * cols;
        for (Py_ssize_t k = 0; k < cols; k++) {
            double product = f * pr[k];
            ti[k] = ti[k] - product;
        }
    }
    basis[row] = (long)entering;
    return leaving;
}

static int get_matrix(PyObject *obj, Py_buffer *view, int writable, const char *what) {
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, view, flags) < 0) return -1;
    if (view->itemsize != sizeof(double) || view->format == NULL || strcmp(view->format, "d") != 0) {
        PyErr_Format(PyExc_ValueError, "%s must hold float64 numbers", what);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

PyDoc_STRVAR(follow_doc,
"follow(P, Q, m, start, max_pivots, seconds, x, y) -> (reached, pivots)\n\n"
"Follow the Lemke-Howson path that drops label `start` from the initial tableaux P (n x (m+n+1):\n"
"B^T x + s = 1) and Q (m x (m+n+1): r + A y = 1), both float64 and C-contiguous (left unchanged).\n"
"At most `max_pivots` pivots and `seconds` seconds of wall-clock time. Where the path ends at a\n"
"completely labelled point, its unnormalised x (m,) and y (n,) are written into the float64\n"
"buffers x and y (which must hold zeros) and `reached` is True. `pivots` counts the pivots made.");

static PyObject *follow(PyObject *self, PyObject *args) {
    PyObject *P_obj, *Q_obj, *x_obj, *y_obj;
    Py_ssize_t m, start, max_pivots;
    double seconds;
    (void)self;
    if (!PyArg_ParseTuple(args, "OOnnndOO", &P_obj, &Q_obj, &m, &start, &max_pivots, &seconds, &x_obj, &y_obj))
        return NULL;
    Py_buffer P, Q, X, Y;
    if (get_matrix(P_obj, &P, 0, "P") < 0) return NULL;
    if (get_matrix(Q_obj, &Q, 0, "Q") < 0) { PyBuffer_Release(&P); return NULL; }
    if (get_matrix(x_obj, &X, 1, "x") < 0) { PyBuffer_Release(&P); PyBuffer_Release(&Q); return NULL; }
    if (get_matrix(y_obj, &Y, 1, "y") < 0) {
        PyBuffer_Release(&P); PyBuffer_Release(&Q); PyBuffer_Release(&X); return NULL;
    }
    PyObject *result = NULL;
    double *TP = NULL, *TQ = NULL, *ratio = NULL;
    long *basis_P = NULL, *basis_Q = NULL;
    char *tie = NULL;
    Py_ssize_t n = Y.len / (Py_ssize_t)sizeof(double);
    Py_ssize_t L = m + n, cols = L + 1;
    if (m < 1 || n < 1 || X.len / (Py_ssize_t)sizeof(double) != m || P.ndim != 2 || Q.ndim != 2 || P.shape[0] != n || P.shape[1] != cols
        || Q.shape[0] != m || Q.shape[1] != cols || start < 0 || start >= L || max_pivots < 0) {
        PyErr_SetString(PyExc_ValueError, "follow: tableaux, label and strategy buffers do not fit together");
        goto done;
    }
    TP = malloc((size_t)(n * cols) * sizeof(double));
    TQ = malloc((size_t)(m * cols) * sizeof(double));
    ratio = malloc((size_t)(m > n ? m : n) * sizeof(double));
    tie = malloc((size_t)(m > n ? m : n));
    basis_P = malloc((size_t)n * sizeof(long));
    basis_Q = malloc((size_t)m * sizeof(long));
    if (!TP || !TQ || !ratio || !tie || !basis_P || !basis_Q) { PyErr_NoMemory(); goto done; }
    memcpy(TP, P.buf, (size_t)(n * cols) * sizeof(double));
    memcpy(TQ, Q.buf, (size_t)(m * cols) * sizeof(double));
    for (Py_ssize_t i = 0; i < n; i++) basis_P[i] = (long)(m + i);
    for (Py_ssize_t i = 0; i < m; i++) basis_Q[i] = (long)i;
    double *x = (double *)X.buf, *y = (double *)Y.buf;
    double began = seconds_now();
    int in_P = start < m;  /* dropping a row label lets x_k enter P first; a column label, y_j enters Q */
    long label = (long)start;
    Py_ssize_t made = 0;
    int reached = 0;
    for (Py_ssize_t step = 0; step < max_pivots; step++) {
        if (step % CHECK_EVERY == 0) {
            if (PyErr_CheckSignals() < 0) goto done;
        }
        if (seconds_now() - began > seconds) break;
        long leaving = in_P ? pivot(TP, basis_P, n, cols, label, m, m + n, ratio, tie)
                            : pivot(TQ, basis_Q, m, cols, label, 0, m, ratio, tie);
        in_P = !in_P;
        made = step + 1;
        if (leaving < 0) break;
        if (leaving == (long)start) {
            for (Py_ssize_t i = 0; i < n; i++)
                if (basis_P[i] < m) x[basis_P[i]] = TP[i * cols + cols - 1];
            for (Py_ssize_t i = 0; i < m; i++)
                if (basis_Q[i] >= m) y[basis_Q[i] - m] = TQ[i * cols + cols - 1];
            reached = 1;
            break;
        }
        label = leaving;
    }
    result = Py_BuildValue("(On)", reached ? Py_True : Py_False, made);
done:
    free(TP); free(TQ); free(ratio); free(tie); free(basis_P); free(basis_Q);
    PyBuffer_Release(&P); PyBuffer_Release(&Q); PyBuffer_Release(&X); PyBuffer_Release(&Y);
    return result;
}

static PyMethodDef methods[] = {
    {"follow", follow, METH_VARARGS, follow_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_lemke_howson",
    "Lemke-Howson paths pivot by pivot in C (see negosim.solve.lemke_howson).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__lemke_howson(void) { return PyModule_Create(&module); }
