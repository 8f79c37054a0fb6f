/* All Nash equilibria of ONE small 2-player game, decided as negosim/solve/bimatrix_lean.py and
 * negosim/solve/small.py + lean.py decide them, in C (the fixed cost of one game).
 *
 * solve(payoffs, m, n, rtol) -> tuple | int
 *   payoffs: a C-contiguous buffer of 2*m*n doubles (A then B, row-major), checked by the wrapper
 *   (negosim/solve/bimatrix_native.py) and again here.
 *   Returns (E, floats, flags, point_tol) when the game is answered: `floats` a bytearray of doubles
 *   x (E*m), y (E*n), payoffs (E*2), regret (E), player_tol (E*2); `flags` a bytearray of bytes
 *   best responses (E*m, E*n), player_tied (E*2), tied_actions (E*m, E*n), tied (E).
 *   Returns UNDECIDED (0) where bimatrix_lean.one_game returns None (the general path answers), and
 *   PYTHON (1) where the Python code must run as today: a vertex to recompute in rational arithmetic,
 *   or a closed-form profile that fails verification (the Python path raises).
 * configure(...) sets the thresholds from the Python modules once (one source of truth).
 *
 * The rules are the Python path's, term for term (see bimatrix_lean's module docstring): every
 * (support K, tight set T) system of both best-response polytopes is solved; a candidate is decided
 * with twice the margin or the game is left to the general path; labels near the degeneracy
 * thresholds, coarse payoffs, near-merging equilibria, best-response flags within rounding of their
 * threshold all leave it undecided. The 2x2 closed form (small.two_by_two) is verified with Python's
 * float arithmetic (lean.lean_solution), so its numbers are bit for bit the Python path's.
 *
 * The GIL is held throughout and nothing here calls back into Python while the static work buffers
 * are in use, so they are not shared between calls.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* no fused multiply-add: the 2x2 closed form must round as Python's floats do (GCC contracts nothing in
 * ISO C mode, -std=c99; clang follows the pragma) */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

#define UNDECIDED 0
#define PYTHON 1
#define MAX_S 6           /* the smaller player's actions: comb(14, 7) - 1 > 3000, so 6 at most */
#define MAX_SYSTEMS 3000  /* per polytope, as bimatrix_lean.MAX_SYSTEMS */
#define MAX_LABELS 62     /* labels are bits of a 64-bit mask */
#define MAX_CELLS 961     /* m * n with m + n <= 62 */
#define MAX_EQ 4096       /* equilibria kept; more leaves the game undecided (never reached by a fitting game) */

static double PROB_TOL = 1e-9, NOISE = 256 * DBL_EPSILON, MARGIN = 64 * 256 * DBL_EPSILON, LOOSE = 1.25;
static double COND_LIMIT = 1e10, REFINE_COND = 1e3, RESOLUTION = 1.4551915228366852e-11, BAND = 256 * DBL_EPSILON;
static double SAFE = 1e-6, CLOSE = 2e-9;
static long max_systems = MAX_SYSTEMS;

typedef struct {
    uint64_t labels;
    double cond;
    int k;
    int K[MAX_S];
    double z[MAX_S];
} Vertex;

static Vertex vertices[2][MAX_SYSTEMS];
static int eq_p[MAX_EQ], eq_q[MAX_EQ];
static double eq_x[MAX_EQ * MAX_LABELS], eq_y[MAX_EQ * MAX_LABELS];

/* Python's sum() of floats: left to right (before 3.12), Neumaier-compensated from 3.12. */
static double py_sum(const double *v, int len) {
    if (len == 0) return 0.0;
    double s = 0.0 + v[0];
#if PY_VERSION_HEX >= 0x030C0000
    double c = 0.0;
    for (int i = 1; i < len; i++) {
        double x = v[i], t = s + x;
        if (fabs(s) >= fabs(x)) c += (s - t) + x;
        else c += (x - t) + s;
        s = t;
    }
    if (c != 0.0 && isfinite(c)) s += c;
#else
    for (int i = 1; i < len; i++) s += v[i];
#endif
    return s;
}

/* Python's max(a, b): a unless b is greater. */
static double py_max(double a, double b) { return b > a ? b : a; }

static int next_combination(int *c, int k, int n) {
    int i = k - 1;
    while (i >= 0 && c[i] == n - k + i) i--;
    if (i < 0) return 0;
    c[i]++;
    for (int j = i + 1; j < k; j++) c[j] = c[j - 1] + 1;
    return 1;
}

/* In-place Gauss-Jordan inversion of the k x k matrix W (row-major) with partial pivoting: the row
 * interchanges of M become column interchanges of its inverse, undone in reverse order at the end.
 * z: the inverse's row sums; *norm: its largest absolute row sum. 0 on a zero pivot or overflow. */
static inline __attribute__((always_inline)) int gauss_jordan(double *W, const int k, double *z, double *norm) {
    int piv[MAX_S];
    for (int col = 0; col < k; col++) {
        int p = col;
        for (int r = col + 1; r < k; r++)
            if (fabs(W[r * k + col]) > fabs(W[p * k + col])) p = r;
        if (!(W[p * k + col] != 0.0)) return 0;
        piv[col] = p;
        if (p != col)
            for (int j = 0; j < k; j++) {
                double tmp = W[col * k + j];
                W[col * k + j] = W[p * k + j];
                W[p * k + j] = tmp;
            }
        double inv = 1.0 / W[col * k + col];
        W[col * k + col] = 1.0;
        for (int j = 0; j < k; j++) W[col * k + j] *= inv;
        for (int r = 0; r < k; r++) {
            if (r == col) continue;
            double f = W[r * k + col];
            W[r * k + col] = 0.0;
            for (int j = 0; j < k; j++) W[r * k + j] -= f * W[col * k + j];
        }
    }
    for (int col = k - 1; col >= 0; col--)
        if (piv[col] != col)
            for (int r = 0; r < k; r++) {
                double tmp = W[r * k + col];
                W[r * k + col] = W[r * k + piv[col]];
                W[r * k + piv[col]] = tmp;
            }
    double best = 0.0;
    for (int i = 0; i < k; i++) {
        double r = 0.0, a = 0.0;
        for (int t = 0; t < k; t++) {
            r += W[i * k + t];
            a += fabs(W[i * k + t]);
        }
        if (!isfinite(r) || !isfinite(a)) return 0;
        z[i] = r;
        if (a > best) best = a;
    }
    *norm = best;
    return 1;
}

/* One system M z = 1 (M[t][i], k x k): the row sums r of the inverse (z), its condition estimate
 * 2k max_i sum_t |inv[i][t]| and the determinant's sign convention of polytope._solve_ones (k <= 3:
 * adjugate over determinant; larger: Gauss-Jordan with partial pivoting). Returns 0 on an exactly
 * singular or non-finite system (the Python path answers None there too). */
static int solve_system(double M[MAX_S][MAX_S], int k, double *z, double *cond) {
    double norm = 0.0;
    if (k <= 3) {
        double adj[3][3], det;
        if (k == 1) {
            adj[0][0] = 1.0;
            det = M[0][0];
        } else if (k == 2) {
            double a = M[0][0], b = M[0][1], c = M[1][0], d = M[1][1];
            adj[0][0] = d; adj[0][1] = -b; adj[1][0] = -c; adj[1][1] = a;
            det = a * d - b * c;
        } else {
            double cols[3][3];
            const double *u, *v;
            for (int t = 0; t < 3; t++) {
                u = M[(t + 1) % 3];
                v = M[(t + 2) % 3];
                cols[t][0] = u[1] * v[2] - u[2] * v[1];
                cols[t][1] = u[2] * v[0] - u[0] * v[2];
                cols[t][2] = u[0] * v[1] - u[1] * v[0];
            }
            for (int i = 0; i < 3; i++)
                for (int t = 0; t < 3; t++) adj[i][t] = cols[t][i];
            det = M[0][0] * cols[0][0] + M[0][1] * cols[0][1] + M[0][2] * cols[0][2];
        }
        if (!(det != 0.0) || !isfinite(det)) return 0;
        for (int i = 0; i < k; i++) {
            double r = 0.0, a = 0.0;
            for (int t = 0; t < k; t++) {
                r += adj[i][t];
                a += fabs(adj[i][t]);
            }
            z[i] = r / det;
            if (a > norm) norm = a;
        }
        *cond = 2 * k * norm / fabs(det);
        return isfinite(*cond);
    }
    double W[MAX_S * MAX_S];
    for (int t = 0; t < k; t++)
        for (int i = 0; i < k; i++) W[t * k + i] = M[t][i];
    int ok;
    switch (k) { /* a constant size each: the compiler unrolls the loops */
    case 4: ok = gauss_jordan(W, 4, z, &norm); break;
    case 5: ok = gauss_jordan(W, 5, z, &norm); break;
    default: ok = gauss_jordan(W, 6, z, &norm); break;
    }
    if (!ok) return 0;
    *cond = 2 * k * norm;
    return 1;
}

/* The equilibria (x, y) of a 2x2 game in closed form (small.two_by_two), sorted as it sorts them;
 * returns their number, or -1 where the closed form does not answer. */
static int spread_ok(const double *v, double *spread) {
    double s[4];
    memcpy(s, v, sizeof s);
    for (int i = 1; i < 4; i++)
        for (int j = i; j > 0 && s[j - 1] > s[j]; j--) {
            double t = s[j];
            s[j] = s[j - 1];
            s[j - 1] = t;
        }
    *spread = s[3] - s[0];
    if (!(*spread > 0) || *spread == INFINITY) return 0;
    for (int i = 0; i < 3; i++)
        if (s[i + 1] != s[i] && s[i + 1] - s[i] < RESOLUTION * *spread) return 0;
    return 1;
}

static int two_by_two(const double *pay, double *xs, double *ys) {
    const double *A = pay, *B = pay + 4;
    double range_a, range_b;
    if (!spread_ok(A, &range_a) || !spread_ok(B, &range_b)) return -1;
    double a0 = A[0] - A[2], a1 = A[1] - A[3], b0 = B[0] - B[1], b1 = B[2] - B[3];
    if (fmin(fabs(a0), fabs(a1)) <= SAFE * range_a || fmin(fabs(b0), fabs(b1)) <= SAFE * range_b) return -1;
    int E = 0;
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            int row_best = (j == 0 ? a0 : a1) > 0, col_best = (i == 0 ? b0 : b1) > 0;
            if (row_best == (i == 0) && col_best == (j == 0)) {
                xs[2 * E] = 1.0 - i;
                xs[2 * E + 1] = (double)i;
                ys[2 * E] = 1.0 - j;
                ys[2 * E + 1] = (double)j;
                E++;
            }
        }
    if ((a0 > 0) != (a1 > 0) && (b0 > 0) != (b1 > 0)) {
        double x0 = b1 / (b1 - b0), y0 = a1 / (a1 - a0);
        xs[2 * E] = x0;
        xs[2 * E + 1] = 1.0 - x0;
        ys[2 * E] = y0;
        ys[2 * E + 1] = 1.0 - y0;
        E++;
    }
    /* stable insertion sort by (-x0, -y0) */
    for (int a = 1; a < E; a++)
        for (int b = a; b > 0; b--) {
            double *p = xs + 2 * b, *q = xs + 2 * (b - 1), *py = ys + 2 * b, *qy = ys + 2 * (b - 1);
            if (!(-p[0] < -q[0] || (-p[0] == -q[0] && -py[0] < -qy[0]))) break;
            for (int c = 0; c < 2; c++) {
                double t = p[c];
                p[c] = q[c];
                q[c] = t;
                t = py[c];
                py[c] = qy[c];
                qy[c] = t;
            }
        }
    return E;
}

typedef struct {
    int m, n, E;
    double *x, *y;          /* E x m, E x n */
    double unit[2][MAX_CELLS];
    int exps[2];
} Game;

static double round9(double v) { return rint(v * 1e9) / 1e9; }

/* Verification (lean.lean_solution when `closed_form`, else bimatrix_lean.lean_verified) and the
 * result tuple. Returns a new reference, or an int code object. */
static PyObject *verified(Game *g, double rtol, int closed_form) {
    int m = g->m, n = g->n, E = g->E, mn = m * n;
    const double *UA = g->unit[0], *UB = g->unit[1];
    double top[2], bottom[2], big[2];
    for (int p = 0; p < 2; p++) {
        double hi = g->unit[p][0], lo = g->unit[p][0];
        for (int a = 1; a < mn; a++) {
            if (g->unit[p][a] > hi) hi = g->unit[p][a];
            if (g->unit[p][a] < lo) lo = g->unit[p][a];
        }
        top[p] = hi;
        bottom[p] = lo;
        big[p] = closed_form ? py_max(hi, -lo) : fmax(hi, -lo);
    }
    /* rows sorted by their strategies rounded to 9 decimals, in decreasing lexicographic order (stable) */
    int order[MAX_EQ];
    for (int e = 0; e < E; e++) order[e] = e;
    if (!closed_form)
        for (int a = 1; a < E; a++)
            for (int b = a; b > 0; b--) {
                int u = order[b], v = order[b - 1], less = 0, decided = 0;
                for (int c = 0; c < m + n && !decided; c++) {
                    double ku = round9(c < m ? g->x[u * m + c] : g->y[u * n + c - m]);
                    double kv = round9(c < m ? g->x[v * m + c] : g->y[v * n + c - m]);
                    if (ku != kv) {
                        less = ku > kv;
                        decided = 1;
                    }
                }
                if (!less) break;
                order[b] = v;
                order[b - 1] = u;
            }
    double colmax[MAX_LABELS], colmin[MAX_LABELS], rowmax[MAX_LABELS], rowmin[MAX_LABELS];
    for (int j = 0; j < n; j++) {
        colmax[j] = colmin[j] = UA[j];
        for (int i = 1; i < m; i++) {
            colmax[j] = fmax(colmax[j], UA[i * n + j]);
            colmin[j] = fmin(colmin[j], UA[i * n + j]);
        }
    }
    for (int i = 0; i < m; i++) {
        rowmax[i] = rowmin[i] = UB[i * n];
        for (int j = 1; j < n; j++) {
            rowmax[i] = fmax(rowmax[i], UB[i * n + j]);
            rowmin[i] = fmin(rowmin[i], UB[i * n + j]);
        }
    }
    Py_ssize_t nf = (Py_ssize_t)E * (m + n + 5), nb = (Py_ssize_t)E * (2 * (m + n) + 3);
    PyObject *fl = PyByteArray_FromStringAndSize(NULL, nf * (Py_ssize_t)sizeof(double));
    PyObject *bo = PyByteArray_FromStringAndSize(NULL, nb);
    if (!fl || !bo) {
        Py_XDECREF(fl);
        Py_XDECREF(bo);
        return NULL;
    }
    double *F = (double *)PyByteArray_AS_STRING(fl);
    unsigned char *Bf = (unsigned char *)PyByteArray_AS_STRING(bo);
    double *X = F, *Y = X + E * m, *PAY = Y + E * n, *REG = PAY + 2 * E, *PTOL = REG + E;
    unsigned char *BR1 = Bf, *BR2 = BR1 + E * m, *PT = BR2 + E * n, *TA1 = PT + 2 * E, *TA2 = TA1 + E * m,
                  *TIED = TA2 + E * n;
    double point_tol = 0.0;
    if (closed_form) {
        for (int p = 0; p < 2; p++)
            point_tol = py_max(point_tol, ldexp(rtol * (top[p] - bottom[p]) + NOISE * big[p], g->exps[p]));
    } else {
        for (int p = 0; p < 2; p++)
            point_tol = fmax(point_tol, ldexp(rtol * (top[p] - bottom[p]) + NOISE * big[p], g->exps[p]));
    }
    double V[MAX_LABELS], terms[MAX_LABELS], stray_terms[MAX_LABELS];
    for (int r = 0; r < E; r++) {
        const double *x = g->x + order[r] * m, *y = g->y + order[r] * n;
        memcpy(X + r * m, x, m * sizeof(double));
        memcpy(Y + r * n, y, n * sizeof(double));
        double own[2], gain[2], tol[2];
        for (int p = 0; p < 2; p++) {
            int d = p == 0 ? m : n, c = p == 0 ? n : m;
            const double *S = p == 0 ? x : y, *opp = p == 0 ? y : x;
            if (closed_form) {
                double lo = 0.0, hi = 0.0;
                int any = 0;
                /* lean._check: the values of the player's actions in Python's sum() */
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < c; b++) terms[b] = (p == 0 ? UA[a * n + b] : UB[b * n + a]) * opp[b];
                    V[a] = py_sum(terms, c);
                }
                for (int a = 0; a < d; a++)
                    for (int b = 0; b < c; b++)
                        if (opp[b] > PROB_TOL) {
                            double u = p == 0 ? UA[a * n + b] : UB[b * n + a];
                            if (!any) {
                                hi = lo = u;
                                any = 1;
                            }
                            if (u > hi) hi = u;
                            if (u < lo) lo = u;
                        }
                if (!any) {
                    Py_DECREF(fl);
                    Py_DECREF(bo);
                    return PyLong_FromLong(PYTHON);
                }
                tol[p] = rtol * (hi - lo) + NOISE * py_max(hi, -lo);
                int ns = 0;
                for (int b = 0; b < c; b++)
                    if (fabs(opp[b]) <= PROB_TOL) stray_terms[ns++] = fabs(opp[b]);
                tol[p] += 2.0 * py_sum(stray_terms, ns) * big[p];
                for (int a = 0; a < d; a++) terms[a] = V[a] * S[a];
                own[p] = py_sum(terms, d);
                /* the probability-vector test of lean_solution (a failure raises there) */
                double smin = S[0];
                for (int a = 1; a < d; a++) smin = S[a] < smin ? S[a] : smin;
                if (smin < -PROB_TOL || fabs(py_sum(S, d) - 1) > PROB_TOL) {
                    Py_DECREF(fl);
                    Py_DECREF(bo);
                    return PyLong_FromLong(PYTHON);
                }
            } else {
                for (int a = 0; a < d; a++) {
                    double v = 0.0;
                    for (int b = 0; b < c; b++) v += (p == 0 ? UA[a * n + b] : UB[b * n + a]) * opp[b];
                    V[a] = v;
                }
                double hi = -INFINITY, lo = INFINITY, stray = 0.0;
                for (int b = 0; b < c; b++) {
                    if (opp[b] > PROB_TOL) {
                        hi = fmax(hi, p == 0 ? colmax[b] : rowmax[b]);
                        lo = fmin(lo, p == 0 ? colmin[b] : rowmin[b]);
                    }
                    if (fabs(opp[b]) <= PROB_TOL) stray += fabs(opp[b]);
                }
                tol[p] = rtol * (hi - lo) + NOISE * fmax(hi, -lo);
                tol[p] += 2.0 * stray * big[p];
                double o = 0.0;
                for (int a = 0; a < d; a++) o += V[a] * S[a];
                own[p] = o;
            }
            double best = V[0];
            for (int a = 1; a < d; a++) best = V[a] > best ? V[a] : best;
            double diff = best - own[p];
            gain[p] = closed_form ? (0.0 > diff ? 0.0 : diff) : fmax(diff, 0.0);
            if (!(gain[p] <= tol[p])) {
                Py_DECREF(fl);
                Py_DECREF(bo);
                /* lean_solution raises (the Python path says why); lean_verified answers None */
                return PyLong_FromLong(closed_form ? PYTHON : UNDECIDED);
            }
            double edge = best - tol[p];
            unsigned char *br = p == 0 ? BR1 + r * d : BR2 + r * d, *ta = p == 0 ? TA1 + r * d : TA2 + r * d;
            int tied = 0;
            for (int a = 0; a < d; a++) {
                br[a] = V[a] >= edge;
                if (!closed_form && fabs(V[a] - edge) <= 64 * DBL_EPSILON * (fabs(edge) + fabs(V[a]))) {
                    Py_DECREF(fl);
                    Py_DECREF(bo);
                    return PyLong_FromLong(UNDECIDED);
                }
                if (br[a] && S[a] <= PROB_TOL) tied = 1;
            }
            for (int a = 0; a < d; a++) ta[a] = br[a] && tied;
            PT[2 * r + p] = (unsigned char)tied;
            PTOL[2 * r + p] = ldexp(tol[p], g->exps[p]);
            PAY[2 * r + p] = ldexp(own[p], g->exps[p]);
        }
        double r0 = ldexp(gain[0], g->exps[0]), r1 = ldexp(gain[1], g->exps[1]);
        REG[r] = closed_form ? py_max(r0, r1) : fmax(r0, r1);
        TIED[r] = PT[2 * r] || PT[2 * r + 1];
        double pt = closed_form ? py_max(PTOL[2 * r], PTOL[2 * r + 1]) : fmax(PTOL[2 * r], PTOL[2 * r + 1]);
        point_tol = closed_form ? py_max(point_tol, pt) : fmax(point_tol, pt);
    }
    return Py_BuildValue("(nNNd)", (Py_ssize_t)E, fl, bo, point_tol);
}

/* bimatrix_lean.one_game's decisions: fills g->x, g->y, g->E; returns UNDECIDED, PYTHON or -1 (answered). */
static int lean_equilibria(Game *g, double rtol) {
    int m = g->m, n = g->n, mn = m * n, s = m < n ? m : n;
    double res[2][MAX_CELLS]; /* rescaled payoffs, `polytope.rescaled` */
    for (int p = 0; p < 2; p++) {
        const double *u = g->unit[p];
        double sorted[MAX_CELLS];
        memcpy(sorted, u, mn * sizeof(double));
        for (int i = 1; i < mn; i++)
            for (int j = i; j > 0 && sorted[j - 1] > sorted[j]; j--) {
                double t = sorted[j];
                sorted[j] = sorted[j - 1];
                sorted[j - 1] = t;
            }
        double lo = sorted[0], hi = sorted[mn - 1], spread = hi - lo, mingap = INFINITY;
        for (int i = 1; i < mn; i++) {
            double gap = sorted[i] - sorted[i - 1];
            if (gap > 0 && gap < mingap) mingap = gap;
        }
        if (mingap < RESOLUTION * spread) return UNDECIDED; /* `confirm.coarse_points` */
        double scale = fmax(spread, rtol * fmax(hi, -lo));
        if (!(scale > 0)) scale = 1.0;
        for (int a = 0; a < mn; a++) res[p][a] = (u[a] - lo) / scale + 1.0;
    }
    static double CT[2][MAX_CELLS];
    for (int r = 0; r < m; r++)
        for (int j = 0; j < n; j++) {
            CT[0][r * n + j] = res[1][r * n + j];
            CT[1][j * m + r] = res[0][r * n + j];
        }
    int nv[2] = {0, 0};
    for (int k = 1; k <= s; k++)
        for (int player = 0; player < 2; player++) {
            int d = player == 0 ? m : n, c = player == 0 ? n : m;
            /* C[r * c + j]: P's constraints are B' (m x n), Q's A'^T (n x m) */
            const double *C = CT[player];
            int K[MAX_S], T[MAX_S];
            for (int i = 0; i < k; i++) K[i] = i;
            do {
                for (int i = 0; i < k; i++) T[i] = i;
                do {
                    double M[MAX_S][MAX_S], z[MAX_S], cond;
                    for (int t = 0; t < k; t++)
                        for (int i = 0; i < k; i++)
                            M[t][i] = C[K[i] * c + T[t]];
                    if (!solve_system(M, k, z, &cond)) return UNDECIDED; /* singular: decided exactly elsewhere */
                    double total = 0.0;
                    for (int i = 0; i < k; i++) total += z[i];
                    int positive = total > 0;
                    if (!(cond < COND_LIMIT / 2)) return UNDECIDED; /* neither valid nor invalid */
                    double margin = 2 * MARGIN * cond;
                    if (!positive) continue; /* invalid: decided */
                    double inv_s = 1.0 / total, zmin = INFINITY;
                    for (int i = 0; i < k; i++) {
                        z[i] /= total;
                        if (z[i] < zmin) zmin = z[i];
                    }
                    if (zmin < -margin) continue; /* invalid */
                    double gmax = -INFINITY, gtight = INFINITY;
                    int ti = 0;
                    for (int j = 0; j < c; j++) {
                        double v = 0.0;
                        for (int i = 0; i < k; i++) v += z[i] * C[K[i] * c + j];
                        v -= inv_s;
                        if (ti < k && T[ti] == j) {
                            ti++;
                            if (v < gtight) gtight = v;
                        } else if (v > gmax) {
                            gmax = v;
                        }
                    }
                    if (gmax > margin) continue; /* invalid */
                    if (!(zmin > margin && gmax < -margin)) return UNDECIDED; /* inside the margins */
                    double band = BAND * cond;
                    if (zmin <= LOOSE * rtol + band || gmax >= -LOOSE * rtol - band || gtight <= -LOOSE * rtol + band)
                        return UNDECIDED; /* a label near the degeneracy thresholds */
                    if (nv[player] >= max_systems) return UNDECIDED;
                    Vertex *v = &vertices[player][nv[player]++];
                    uint64_t own = 0;
                    int ki = 0;
                    for (int r = 0; r < d; r++) {
                        if (ki < k && K[ki] == r) ki++;
                        else own |= (uint64_t)1 << r;
                    }
                    for (int t = 0; t < k; t++) own |= (uint64_t)1 << (d + T[t]);
                    /* P's labels are global already; Q's own (y_j = 0 is j, row i tight is n + i) become m + j and i */
                    v->labels = player == 0 ? own : ((own & (((uint64_t)1 << n) - 1)) << m) | (own >> n);
                    v->cond = cond;
                    v->k = k;
                    for (int i = 0; i < k; i++) {
                        v->K[i] = K[i];
                        v->z[i] = z[i];
                    }
                } while (next_combination(T, k, c));
            } while (next_combination(K, k, d));
        }
    uint64_t full = (m + n == 64) ? ~(uint64_t)0 : (((uint64_t)1 << (m + n)) - 1);
    int E = 0, refine = 0;
    for (int a = 0; a < nv[0]; a++)
        for (int b = 0; b < nv[1]; b++)
            if ((vertices[0][a].labels | vertices[1][b].labels) == full) {
                if (E >= MAX_EQ) return UNDECIDED;
                double cx = vertices[0][a].cond, cy = vertices[1][b].cond;
                if (cx > REFINE_COND / 2 || cy > REFINE_COND / 2) {
                    if ((cx > REFINE_COND / 2 && !(cx > 2 * REFINE_COND)) ||
                        (cy > REFINE_COND / 2 && !(cy > 2 * REFINE_COND)))
                        return UNDECIDED; /* whether the general path recomputes the vertex exactly is not certain */
                    refine = 1;
                }
                eq_p[E] = a;
                eq_q[E] = b;
                E++;
            }
    /* every candidate must be decided before a refinement is handed over, as in one_game */
    if (refine) return PYTHON;
    for (int e = 0; e < E; e++) {
        double *x = eq_x + e * m, *y = eq_y + e * n;
        const Vertex *vp = &vertices[0][eq_p[e]], *vq = &vertices[1][eq_q[e]];
        memset(x, 0, m * sizeof(double));
        memset(y, 0, n * sizeof(double));
        for (int i = 0; i < vp->k; i++) x[vp->K[i]] = vp->z[i];
        for (int i = 0; i < vq->k; i++) y[vq->K[i]] = vq->z[i];
        double sx = 0.0, sy = 0.0; /* `confirm.expand` */
        for (int i = 0; i < m; i++) sx += x[i];
        for (int j = 0; j < n; j++) sy += y[j];
        for (int i = 0; i < m; i++) x[i] /= sx;
        for (int j = 0; j < n; j++) y[j] /= sy;
    }
    for (int a = 0; a < E; a++) /* two equilibria `vertex.dedupe` would merge */
        for (int b = a + 1; b < E; b++) {
            double dmax = 0.0;
            for (int i = 0; i < m; i++) dmax = fmax(dmax, fabs(eq_x[a * m + i] - eq_x[b * m + i]));
            for (int j = 0; j < n; j++) dmax = fmax(dmax, fabs(eq_y[a * n + j] - eq_y[b * n + j]));
            if (dmax <= CLOSE) return UNDECIDED;
        }
    if (E == 0) return UNDECIDED;
    g->E = E;
    g->x = eq_x;
    g->y = eq_y;
    return -1;
}

/* bimatrix_lean.fits: comb(m + n, m) - 1 systems per polytope at most `max_systems`, m + n labels in 62 bits */
static int fits(long m, long n) {
    if (m < 1 || n < 1 || m + n > MAX_LABELS) return 0;
    double c = 1.0; /* comb(m + n, m), exact in a double at these sizes until it exceeds the bound */
    long small = m < n ? m : n;
    for (long i = 1; i <= small; i++) {
        c = c * (double)(m + n - small + i) / (double)i;
        if (c - 1 > (double)max_systems) return 0;
    }
    return c - 1 <= (double)max_systems;
}

static PyObject *bimatrix_solve(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "solve(payoffs, m, n, rtol) takes 4 arguments");
        return NULL;
    }
    long m = PyLong_AsLong(args[1]), n = PyLong_AsLong(args[2]);
    double rtol = PyFloat_AsDouble(args[3]);
    if (PyErr_Occurred()) return NULL;
    if (m < 1 || n < 1 || m + n > MAX_LABELS || (m < n ? m : n) > MAX_S || !fits(m, n)) {
        PyErr_SetString(PyExc_ValueError, "solve: a shape bimatrix_lean.fits does not accept");
        return NULL;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(args[0], &view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) return NULL;
    const char *fmt = view.format ? view.format : "B";
    if (view.itemsize != (Py_ssize_t)sizeof(double) || !(strcmp(fmt, "d") == 0 || strcmp(fmt, "<d") == 0 ||
                                                         strcmp(fmt, "=d") == 0) ||
        view.len != (Py_ssize_t)(2 * m * n * sizeof(double))) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "solve: payoffs must be 2*m*n contiguous float64 values");
        return NULL;
    }
    static Game g;
    double pay[2 * MAX_CELLS];
    memcpy(pay, view.buf, view.len);
    PyBuffer_Release(&view);
    g.m = (int)m;
    g.n = (int)n;
    int mn = g.m * g.n;
    for (int a = 0; a < 2 * mn; a++)
        if (!isfinite(pay[a])) return PyLong_FromLong(UNDECIDED); /* the general path refuses it */
    /* each player's payoffs over a power of two (`tolerance.player_exponents`), exactly */
    for (int p = 0; p < 2; p++) {
        double big = 0.0;
        for (int a = 0; a < mn; a++) big = fmax(big, fabs(pay[p * mn + a]));
        frexp(big, &g.exps[p]);
        for (int a = 0; a < mn; a++) g.unit[p][a] = ldexp(pay[p * mn + a], -g.exps[p]);
    }
    if (m == 2 && n == 2) {
        double xs[10], ys[10];
        int E = two_by_two(pay, xs, ys);
        if (E > 0) {
            g.E = E;
            g.x = xs;
            g.y = ys;
            return verified(&g, rtol, 1);
        }
    }
    int code = lean_equilibria(&g, rtol);
    if (code >= 0) return PyLong_FromLong(code);
    return verified(&g, rtol, 0);
}

static PyObject *bimatrix_configure(PyObject *self, PyObject *args) {
    (void)self;
    if (!PyArg_ParseTuple(args, "ddddddddddl", &PROB_TOL, &NOISE, &MARGIN, &LOOSE, &COND_LIMIT, &REFINE_COND,
                          &RESOLUTION, &BAND, &SAFE, &CLOSE, &max_systems))
        return NULL;
    if (max_systems > MAX_SYSTEMS || max_systems < 1) {
        max_systems = MAX_SYSTEMS;
        PyErr_SetString(PyExc_ValueError, "configure: MAX_SYSTEMS beyond the kernel's buffers");
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"solve", (PyCFunction)(void (*)(void))bimatrix_solve, METH_FASTCALL,
     "solve(payoffs, m, n, rtol): the equilibria of one small 2-player game, 0 (undecided) or 1 (Python path)."},
    {"configure", bimatrix_configure, METH_VARARGS,
     "configure(PROB_TOL, NOISE, MARGIN, LOOSE, COND_LIMIT, REFINE_COND, RESOLUTION, BAND, SAFE, CLOSE, "
     "MAX_SYSTEMS)."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_bimatrix_small",
                                    "All Nash equilibria of one small 2-player game (see bimatrix_small.c).", -1,
                                    methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__bimatrix_small(void) { return PyModule_Create(&module); }
