/* Vertex enumeration of the best-response polytopes of one 2-player game by pivoting (negosim.solve.hull_native).
 *
 * A polytope here is {z >= 0, C^T z <= 1} with C (d x c, row-major, entries in [1, 2]); its labels are
 * i < d for z_i = 0 and d + j for constraint j tight. A vertex is stored as its d labels, sorted. From the
 * origin (labels 0..d-1) a breadth-first walk of the vertex graph proposes, for each label of a vertex, the
 * neighbour along the edge that frees that label (a ratio test), and a hash set of label sets (bit masks)
 * keeps each vertex once. Every vertex is then decided on its own, from scratch: its square system C[K, T]^T z_K = 1 is
 * inverted (Gauss-Jordan, partial pivoting) and every coordinate and slack must clear zero, and the loose
 * tolerances of the degeneracy test, by a margin of `margin` times the system's condition estimate
 * (2k max_i sum_t |inv[i][t]|, the estimate of negosim.solve.polytope). A proposal is only a proposal:
 * a vertex that is decided valid with exactly d labels and shares d - 1 labels with its predecessor is the
 * other end of that edge whatever the ratio test's rounding, so when every vertex reached is decided, the
 * set reached is closed under the edges of a simple polytope and is all of its vertices (the graph of a
 * polytope is connected). Anything else (a vertex or partner not decided, a singular or ill-conditioned
 * system, no blocking constraint) stops the walk with "undecided" and the caller runs its general path.
 *
 * When a partner polytope Q is given, each nonzero vertex (K, T) of P is matched with the solution of
 * Q's system with support T and tight set K: decided valid (an extreme equilibrium), decided invalid
 * (none), or undecided (stop). The walk reports the matched (K, T) pairs; the caller recomputes their
 * coordinates with its own arithmetic.
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3") /* the row loops below vectorise at O3; setup.py builds at O2 */
#endif
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { INVALID = 0, VALID = 1, UNDECIDED = 2 };
enum { ST_UNDECIDED = 0, ST_DECIDED = 1, ST_TOO_MANY = 2, ST_NOMEM = 3, ST_INTERRUPTED = 4 };
/* Vertices walked between two looks at Ctrl-C: the walk runs without the GIL and can take seconds at 20x20. */
#define CHECK_EVERY 512

/* Whether a signal handler raised (KeyboardInterrupt): takes the GIL for the look, leaves the error set. */
static int interrupted(void)
{
    PyGILState_STATE g = PyGILState_Ensure();
    int raised = PyErr_CheckSignals() < 0;
    PyGILState_Release(g);
    return raised;
}

typedef struct {
    int d, c;
    const double *C; /* d x c, row-major */
    double prob_loose, loose_pay, margin, cond_limit;
} Poly;

typedef struct { /* scratch for systems up to n x n and slacks of up to m constraints */
    double *S, *inv, *zraw, *zbar, *s, *g, *rate, *delta;
    int *K, *T, *inT;
} Work;

static void work_free(Work *w)
{
    free(w->S); free(w->inv); free(w->zraw); free(w->zbar); free(w->s); free(w->g); free(w->rate); free(w->delta);
    free(w->K); free(w->T); free(w->inT);
    memset(w, 0, sizeof(*w));
}

static int work_alloc(Work *w, int n, int m)
{
    memset(w, 0, sizeof(*w));
    size_t nn = (size_t)n * (size_t)n + 1;
    w->S = malloc(nn * sizeof(double));
    w->inv = malloc(nn * sizeof(double));
    w->zraw = malloc(((size_t)n + 1) * sizeof(double));
    w->zbar = malloc(((size_t)n + 1) * sizeof(double));
    w->s = malloc(((size_t)m + 1) * sizeof(double));
    w->g = malloc(((size_t)m + 1) * sizeof(double));
    w->rate = malloc(((size_t)m + 1) * sizeof(double));
    w->delta = malloc(((size_t)n + 1) * sizeof(double));
    w->K = malloc(((size_t)n + 1) * sizeof(int));
    w->T = malloc(((size_t)n + 1) * sizeof(int));
    w->inT = malloc(((size_t)m + 1) * sizeof(int));
    if (!w->S || !w->inv || !w->zraw || !w->zbar || !w->s || !w->g || !w->rate || !w->delta || !w->K || !w->T || !w->inT) {
        work_free(w);
        return 0;
    }
    return 1;
}

/* The row r >= col of the k x k matrix S with the largest |S[r][col]| (the first such), and that magnitude. */
static int pivot_row(const double *S, int k, int col, double *best)
{
    int piv = col;
    *best = fabs(S[col * k + col]);
    for (int r = col + 1; r < k; r++)
        if (fabs(S[r * k + col]) > *best) {
            *best = fabs(S[r * k + col]);
            piv = r;
        }
    return piv;
}

/* inv = S^-1 for S[t][i] = C[K_i, T_t] (k x k) by Gauss-Jordan with partial pivoting; the condition
 * estimate 2k max_i sum_t |inv[i][t]| in *cond. Returns 0 when a pivot is exactly zero or a number is
 * not finite. */
static int invert(const Poly *P, int k, const int *K, const int *T, double *S, double *inv, double *cond)
{
    int c = P->c;
    for (int t = 0; t < k; t++)
        for (int i = 0; i < k; i++) {
            S[t * k + i] = P->C[(size_t)K[i] * c + T[t]];
            inv[t * k + i] = (t == i) ? 1.0 : 0.0;
        }
    for (int col = 0; col < k; col++) {
        double best;
        int piv = pivot_row(S, k, col, &best);
        if (!(best > 0.0))
            return 0;
        if (piv != col)
            for (int j = 0; j < k; j++) {
                double a = S[piv * k + j], b = inv[piv * k + j];
                S[piv * k + j] = S[col * k + j];
                inv[piv * k + j] = inv[col * k + j];
                S[col * k + j] = a;
                inv[col * k + j] = b;
            }
        double p = 1.0 / S[col * k + col];
        for (int j = col + 1; j < k; j++) /* S's columns before col are done: zeros in this row */
            S[col * k + j] *= p;
        for (int j = 0; j < k; j++)
            inv[col * k + j] *= p;
        for (int r = 0; r < k; r++) {
            if (r == col)
                continue;
            double f = S[r * k + col];
            if (f == 0.0)
                continue;
            for (int j = col + 1; j < k; j++)
                S[r * k + j] -= f * S[col * k + j];
            for (int j = 0; j < k; j++)
                inv[r * k + j] -= f * inv[col * k + j];
        }
    }
    double norm = 0.0;
    for (int i = 0; i < k; i++) {
        double row = 0.0;
        for (int t = 0; t < k; t++)
            row += fabs(inv[i * k + t]);
        if (!isfinite(row))
            return 0;
        if (row > norm)
            norm = row;
    }
    *cond = 2.0 * k * norm;
    return isfinite(*cond);
}

/* Whether a raw solution whose sum is within rounding of zero has a coordinate below -bound. Then the
 * general path finds it invalid whichever sign its own sum takes: not positive, the system is unusable;
 * positive, it is at most about twice the rounding band, and that coordinate divided by it is below -1,
 * far beyond any margin. */
static int clearly_negative(const double *z, int k, double bound)
{
    for (int i = 0; i < k; i++)
        if (z[i] < -bound)
            return 1;
    return 0;
}

/* Decide the system with support K and tight set T (k of each, sorted) of polytope P: VALID (a vertex
 * with exactly these labels, every other coordinate and slack clear of the loose tolerances), INVALID
 * (some coordinate or slack clearly on the wrong side, or the solution's sum clearly negative) or
 * UNDECIDED. Leaves inv, zraw (raw solution), zbar (normalised) and s (raw slacks 1 - C^T z) in w. */
static int decide(const Poly *P, int k, const int *K, const int *T, Work *w)
{
    int c = P->c;
    double cond;
    if (!invert(P, k, K, T, w->S, w->inv, &cond))
        return UNDECIDED;
    if (!(cond < P->cond_limit))
        return UNDECIDED;
    double mg = P->margin * cond;
    double sum = 0.0, abs_sum = 0.0;
    for (int i = 0; i < k; i++) {
        double z = 0.0;
        for (int t = 0; t < k; t++)
            z += w->inv[i * k + t];
        w->zraw[i] = z;
        sum += z;
        abs_sum += fabs(z);
    }
    if (!(sum > mg * abs_sum))
        return (sum < -mg * abs_sum || clearly_negative(w->zraw, k, 4.0 * mg * abs_sum)) ? INVALID : UNDECIDED;
    double inv_s = 1.0 / sum;
    int bad = 0, doubt = 0;
    for (int i = 0; i < k; i++) {
        double z = w->zraw[i] / sum;
        w->zbar[i] = z;
        if (z > mg && z > P->prob_loose + mg)
            continue;
        if (z < -mg)
            bad = 1;
        else
            doubt = 1;
    }
    if (bad)
        return INVALID; /* whatever the slacks: the general path finds it bad too */
    for (int j = 0; j < c; j++) {
        w->inT[j] = 0;
        w->g[j] = 0.0;
        w->s[j] = 0.0;
    }
    for (int t = 0; t < k; t++)
        w->inT[T[t]] = 1;
    for (int i = 0; i < k; i++) { /* row by row (contiguous); each sum still runs over i in order */
        const double *row = P->C + (size_t)K[i] * c;
        double zb = w->zbar[i], zr = w->zraw[i];
        double *g = w->g, *s = w->s;
        for (int j = 0; j < c; j++) {
            g[j] += zb * row[j];
            s[j] += zr * row[j];
        }
    }
    for (int j = 0; j < c; j++) {
        double g = w->g[j] - inv_s;
        w->s[j] = 1.0 - w->s[j];
        if (w->inT[j])
            continue; /* tight: at most k such labels, whichever way rounding puts them */
        if (g < -(P->loose_pay + mg))
            continue;
        if (g > mg)
            bad = 1;
        else
            doubt = 1;
    }
    return bad ? INVALID : (doubt ? UNDECIDED : VALID);
}

/* A quick INVALID for a partner system, without its inverse: LU with partial pivoting solves it, and
 * ||S^-1|| <= ||M(U)^-1 1|| ||M(L)^-1 1|| (M the comparison matrix of a triangular factor; infinity norms)
 * bounds the condition estimate from above (doubled against rounding). Returns INVALID only when a
 * coordinate (or the sum) is below minus the margin of that bound, which is then larger than the margin
 * `decide` would use; UNDECIDED means "ask `decide`". */
static int quick_invalid(const Poly *P, int k, const int *K, const int *T, Work *w)
{
    int c = P->c;
    double *S = w->S, *y = w->zraw, *u = w->zbar, *l = w->delta;
    for (int t = 0; t < k; t++)
        for (int i = 0; i < k; i++)
            S[t * k + i] = P->C[(size_t)K[i] * c + T[t]];
    for (int col = 0; col < k; col++) { /* S = P^T L U in place (L unit lower, below the diagonal) */
        double best;
        int piv = pivot_row(S, k, col, &best);
        if (!(best > 0.0))
            return UNDECIDED;
        if (piv != col)
            for (int j = 0; j < k; j++) {
                double a = S[piv * k + j];
                S[piv * k + j] = S[col * k + j];
                S[col * k + j] = a;
            }
        double p = 1.0 / S[col * k + col];
        for (int r = col + 1; r < k; r++) {
            double f = S[r * k + col] * p;
            S[r * k + col] = f;
            if (f != 0.0)
                for (int j = col + 1; j < k; j++)
                    S[r * k + j] -= f * S[col * k + j];
        }
    }
    /* the right-hand side is all ones, which the row permutation leaves unchanged */
    for (int r = 0; r < k; r++) { /* L y = 1, and M(L) l = 1 */
        double a = 1.0, b = 1.0;
        for (int j = 0; j < r; j++) {
            a -= S[r * k + j] * y[j];
            b += fabs(S[r * k + j]) * l[j];
        }
        y[r] = a;
        l[r] = b;
    }
    for (int r = k - 1; r >= 0; r--) { /* U z = y (into y), and M(U) u = 1 */
        double a = y[r], b = 1.0;
        for (int j = r + 1; j < k; j++) {
            a -= S[r * k + j] * y[j];
            b += fabs(S[r * k + j]) * u[j];
        }
        y[r] = a / S[r * k + r];
        u[r] = b / fabs(S[r * k + r]);
    }
    double nl = 0.0, nu = 0.0;
    for (int r = 0; r < k; r++) {
        if (l[r] > nl)
            nl = l[r];
        if (u[r] > nu)
            nu = u[r];
    }
    double cond = 2.0 * (2.0 * k * nu * nl);
    if (!isfinite(cond) || !(cond < P->cond_limit))
        return UNDECIDED;
    double mg = P->margin * cond, sum = 0.0, abs_sum = 0.0;
    for (int i = 0; i < k; i++) {
        if (!isfinite(y[i]))
            return UNDECIDED;
        sum += y[i];
        abs_sum += fabs(y[i]);
    }
    if (!(sum > mg * abs_sum))
        return (sum < -mg * abs_sum || clearly_negative(y, k, 4.0 * mg * abs_sum)) ? INVALID : UNDECIDED;
    for (int i = 0; i < k; i++)
        if (y[i] / sum < -mg)
            return INVALID;
    return UNDECIDED;
}

/* ---- a set of label sets (bit masks of W 64-bit words), in discovery order, with an open-addressing index ---- */
typedef struct {
    int W;
    uint64_t *keys;
    uint64_t *done; /* per vertex: the labels whose edge was already followed from its other end */
    size_t n, cap, max_n;
    uint32_t *table; /* index + 1, 0 = empty */
    size_t tcap;
} VSet;

static uint64_t hash_key(const uint64_t *key, int W)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL;
    for (int i = 0; i < W; i++) { /* splitmix64 of each word, chained */
        uint64_t x = key[i] + h;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
        h = x ^ (x >> 31);
    }
    return h;
}

static void vset_free(VSet *v)
{
    free(v->keys);
    free(v->done);
    free(v->table);
    memset(v, 0, sizeof(*v));
}

static int vset_init(VSet *v, int W, size_t max_n)
{
    memset(v, 0, sizeof(*v));
    v->W = W;
    v->max_n = max_n;
    v->cap = 256;
    v->tcap = 1024;
    v->keys = malloc(v->cap * (size_t)W * sizeof(uint64_t));
    v->done = malloc(v->cap * (size_t)W * sizeof(uint64_t));
    v->table = calloc(v->tcap, sizeof(uint32_t));
    if (!v->keys || !v->done || !v->table) {
        vset_free(v);
        return 0;
    }
    return 1;
}

static int vset_grow_table(VSet *v)
{
    size_t tcap = v->tcap * 2;
    uint32_t *table = calloc(tcap, sizeof(uint32_t));
    if (!table)
        return 0;
    for (size_t q = 0; q < v->n; q++) {
        size_t h = (size_t)hash_key(v->keys + q * v->W, v->W) & (tcap - 1);
        while (table[h])
            h = (h + 1) & (tcap - 1);
        table[h] = (uint32_t)(q + 1);
    }
    free(v->table);
    v->table = table;
    v->tcap = tcap;
    return 1;
}

/* Add a label set: 1 if new, 0 if present (its index in *at either way), ST_TOO_MANY / ST_NOMEM as
 * negative codes. */
static int vset_add(VSet *v, const uint64_t *key, size_t *at)
{
    int W = v->W;
    size_t h = (size_t)hash_key(key, W) & (v->tcap - 1);
    while (v->table[h]) {
        if (memcmp(v->keys + (size_t)(v->table[h] - 1) * W, key, (size_t)W * sizeof(uint64_t)) == 0) {
            *at = v->table[h] - 1;
            return 0;
        }
        h = (h + 1) & (v->tcap - 1);
    }
    if (v->n >= v->max_n)
        return -ST_TOO_MANY;
    if (v->n == v->cap) {
        uint64_t *keys = realloc(v->keys, v->cap * 2 * (size_t)W * sizeof(uint64_t));
        if (!keys)
            return -ST_NOMEM;
        v->keys = keys;
        uint64_t *done = realloc(v->done, v->cap * 2 * (size_t)W * sizeof(uint64_t));
        if (!done)
            return -ST_NOMEM;
        v->done = done;
        v->cap *= 2;
    }
    memcpy(v->keys + v->n * W, key, (size_t)W * sizeof(uint64_t));
    memset(v->done + v->n * W, 0, (size_t)W * sizeof(uint64_t));
    *at = v->n;
    v->table[h] = (uint32_t)(v->n + 1);
    v->n++;
    if (2 * v->n > v->tcap && !vset_grow_table(v))
        return -ST_NOMEM;
    return 1;
}

/* ---- the walk ---- */
typedef struct { /* matched (K, T) pairs, each as k then K then T */
    int *data;
    size_t n, cap, count;
} Pairs;

static int pairs_add(Pairs *p, int k, const int *K, const int *T)
{
    size_t need = p->n + 1 + 2 * (size_t)k;
    if (need > p->cap) {
        size_t cap = p->cap ? p->cap : 64;
        while (cap < need)
            cap *= 2;
        int *data = realloc(p->data, cap * sizeof(int));
        if (!data)
            return 0;
        p->data = data;
        p->cap = cap;
    }
    p->data[p->n++] = k;
    for (int i = 0; i < k; i++)
        p->data[p->n++] = K[i];
    for (int t = 0; t < k; t++)
        p->data[p->n++] = T[t];
    p->count++;
    return 1;
}

#define HAS(key, l) (((key)[(l) >> 6] >> ((l) & 63)) & 1ULL)
#define FLIP(key, l) ((key)[(l) >> 6] ^= 1ULL << ((l) & 63))

/* Walk the vertices of P; with Q, match each nonzero vertex with its partner. Returns an ST_ code;
 * *count the vertices found. */
static int walk(const Poly *P, const Poly *Q, Pairs *pairs, size_t max_n, size_t *count)
{
    int d = P->d, c = P->c, W = (d + c + 63) / 64;
    int status = ST_DECIDED;
    VSet v;
    Work w, wq;
    int big = d > c ? d : c;
    uint64_t *cur = malloc(3 * (size_t)W * sizeof(uint64_t)), *next = cur ? cur + W : NULL;
    uint64_t *skip = cur ? cur + 2 * W : NULL;
    size_t at = 0;
    double *CKt = malloc(((size_t)big * (size_t)c + 1) * sizeof(double)); /* C[K, :] transposed: c x k */
    double *b = malloc(((size_t)big + 1) * sizeof(double));
    *count = 0;
    if (!cur || !CKt || !b || !vset_init(&v, W, max_n)) {
        free(cur); free(CKt); free(b);
        return ST_NOMEM;
    }
    if (!work_alloc(&w, big, c) || !work_alloc(&wq, big, d)) {
        work_free(&w);
        vset_free(&v);
        free(cur); free(CKt); free(b);
        return ST_NOMEM;
    }
    memset(next, 0, (size_t)W * sizeof(uint64_t));
    for (int i = 0; i < d; i++)
        FLIP(next, i);
    int added = vset_add(&v, next, &at);
    if (added < 0)
        status = -added;
    for (size_t q = 0; status == ST_DECIDED && q < v.n; q++) {
        if (q % CHECK_EVERY == CHECK_EVERY - 1 && interrupted()) {
            status = ST_INTERRUPTED;
            break;
        }
        memcpy(cur, v.keys + q * W, (size_t)W * sizeof(uint64_t)); /* v.keys may move when it grows */
        memcpy(skip, v.done + q * W, (size_t)W * sizeof(uint64_t));
        int k = 0, nt = 0;
        for (int i = 0; i < d; i++)
            if (!HAS(cur, i))
                w.K[k++] = i;
        for (int j = 0; j < c; j++)
            if (HAS(cur, d + j))
                w.T[nt++] = j;
        if (nt != k) { /* a label set of the wrong size cannot come from a pivot; never trust it */
            status = ST_UNDECIDED;
            break;
        }
        if (k == 0) {
            for (int j = 0; j < c; j++) {
                w.s[j] = 1.0;
                w.inT[j] = 0;
            }
        } else {
            int st = decide(P, k, w.K, w.T, &w);
            if (st != VALID) {
                status = ST_UNDECIDED;
                break;
            }
            if (Q) {
                int sq = quick_invalid(Q, k, w.T, w.K, &wq);
                if (sq != INVALID)
                    sq = decide(Q, k, w.T, w.K, &wq);
                if (sq == UNDECIDED) {
                    status = ST_UNDECIDED;
                    break;
                }
                if (sq == VALID && !pairs_add(pairs, k, w.K, w.T)) {
                    status = ST_NOMEM;
                    break;
                }
            }
        }
        for (int j = 0; j < c; j++)
            for (int i = 0; i < k; i++)
                CKt[(size_t)j * k + i] = P->C[(size_t)w.K[i] * c + j];
        /* one edge per label: free it, move until the first coordinate or slack reaches zero */
        for (int e = 0; e < d + c && status == ST_DECIDED; e++) {
            if (!HAS(cur, e) || HAS(skip, e))
                continue; /* not a label, or its edge leads to a vertex decided before (the one that found it) */
            double best = INFINITY;
            int in = -1;
            const double *own = NULL;
            if (e >= d) { /* a tight constraint T[p] becomes slack: z_K moves by -inv[:, p] */
                int p = 0;
                while (w.T[p] != e - d)
                    p++;
                for (int i = 0; i < k; i++)
                    w.delta[i] = -w.inv[i * k + p];
            } else { /* z_e grows from 0; the tight constraints stay tight */
                own = P->C + (size_t)e * c;
                for (int t = 0; t < k; t++)
                    b[t] = own[w.T[t]];
                for (int i = 0; i < k; i++) {
                    const double *row = w.inv + (size_t)i * k;
                    double a = 0.0;
                    for (int t = 0; t < k; t++)
                        a += row[t] * b[t];
                    w.delta[i] = -a;
                }
            }
            for (int i = 0; i < k; i++)
                if (w.delta[i] < 0.0 && w.zraw[i] < best * -w.delta[i]) { /* z_i / -delta_i < best */
                    best = w.zraw[i] / -w.delta[i];
                    in = w.K[i];
                }
            for (int j = 0; j < c; j++) {
                if (w.inT[j])
                    continue;
                const double *col = CKt + (size_t)j * k;
                double rate = own ? own[j] : 0.0;
                for (int i = 0; i < k; i++)
                    rate += col[i] * w.delta[i];
                if (rate > 0.0 && w.s[j] < best * rate) { /* s_j / rate < best, without dividing */
                    best = w.s[j] / rate;
                    in = d + j;
                }
            }
            if (in < 0 || !(best >= 0.0) || !isfinite(best)) {
                status = ST_UNDECIDED;
                break;
            }
            memcpy(next, cur, (size_t)W * sizeof(uint64_t));
            FLIP(next, e);
            FLIP(next, in);
            added = vset_add(&v, next, &at);
            if (added < 0)
                status = -added;
            else /* from the vertex reached, freeing `in` leads back here: nothing left to find there */
                v.done[at * W + (in >> 6)] |= 1ULL << (in & 63);
        }
    }
    *count = v.n;
    work_free(&w);
    work_free(&wq);
    vset_free(&v);
    free(cur); free(CKt); free(b);
    return status;
}

/* The matched pairs as a list of (K, T) tuples of ints (a new reference, NULL on a Python error). */
static PyObject *pairs_list(const Pairs *pairs)
{
    PyObject *list = PyList_New(0);
    if (!list)
        return NULL;
    size_t at = 0;
    for (size_t e = 0; e < pairs->count; e++) {
        int k = pairs->data[at++];
        PyObject *K = PyTuple_New(k), *T = PyTuple_New(k), *pair = NULL;
        if (K && T) {
            int ok = 1;
            for (int i = 0; i < k; i++) {
                PyObject *a = PyLong_FromLong(pairs->data[at + i]), *b = PyLong_FromLong(pairs->data[at + k + i]);
                PyTuple_SET_ITEM(K, i, a); /* a NULL item is released safely with its tuple */
                PyTuple_SET_ITEM(T, i, b);
                ok &= a != NULL && b != NULL;
            }
            if (ok)
                pair = PyTuple_Pack(2, K, T);
        }
        Py_XDECREF(K);
        Py_XDECREF(T);
        at += 2 * (size_t)k;
        if (!pair || PyList_Append(list, pair) < 0) {
            Py_XDECREF(pair);
            Py_DECREF(list);
            return NULL;
        }
        Py_DECREF(pair);
    }
    return list;
}

static int read_poly(Py_buffer *buf, int d, int c, double prob_loose, double loose_pay, double margin,
                     double cond_limit, Poly *P)
{
    if (d < 1 || c < 1 || d > 30000 || c > 30000 || d + c > 60000) {
        PyErr_SetString(PyExc_ValueError, "polytope dimensions out of range");
        return 0;
    }
    if (buf->len != (Py_ssize_t)d * c * (Py_ssize_t)sizeof(double)) {
        PyErr_SetString(PyExc_ValueError, "constraint buffer does not hold d * c doubles");
        return 0;
    }
    P->d = d;
    P->c = c;
    P->C = (const double *)buf->buf;
    P->prob_loose = prob_loose;
    P->loose_pay = loose_pay;
    P->margin = margin;
    P->cond_limit = cond_limit;
    return 1;
}

PyDoc_STRVAR(enumerate_doc,
"enumerate(C_small, ds, cs, C_big, db, cb, check_big, prob_loose, loose_pay_small, loose_pay_big,\n"
"          margin, cond_limit, max_vertices) -> (status, pairs, vertices_small, vertices_big)\n\n"
"Walk the vertices of {z >= 0, C_small^T z <= 1} (C_small: ds * cs float64, row-major) and match each with\n"
"the big polytope's system (C_big: db * cb, db == cs, cb == ds); with check_big, walk the big polytope too.\n"
"status: 1 decided (pairs: list of (K, T) tuples of the matched vertices), 0 undecided, 2 too many vertices.");

static PyObject *py_enumerate(PyObject *self, PyObject *args)
{
    (void)self;
    Py_buffer bs, bb;
    int ds, cs, db, cb, check_big;
    double prob_loose, lp_s, lp_b, margin, cond_limit;
    Py_ssize_t max_vertices;
    if (!PyArg_ParseTuple(args, "y*iiy*iipdddddn", &bs, &ds, &cs, &bb, &db, &cb, &check_big, &prob_loose, &lp_s,
                          &lp_b, &margin, &cond_limit, &max_vertices))
        return NULL;
    Poly P, Q;
    PyObject *result = NULL;
    if (!read_poly(&bs, ds, cs, prob_loose, lp_s, margin, cond_limit, &P) ||
        !read_poly(&bb, db, cb, prob_loose, lp_b, margin, cond_limit, &Q))
        goto done;
    if (db != cs || cb != ds || max_vertices < 1 || max_vertices > 0xFFFFFFF0LL) {
        PyErr_SetString(PyExc_ValueError, "the two polytopes do not belong to one game");
        goto done;
    }
    Pairs pairs = {NULL, 0, 0, 0};
    size_t n_small = 0, n_big = 0;
    int status;
    Py_BEGIN_ALLOW_THREADS
    status = walk(&P, &Q, &pairs, (size_t)max_vertices, &n_small);
    if (status == ST_DECIDED && check_big)
        status = walk(&Q, NULL, NULL, (size_t)max_vertices, &n_big);
    Py_END_ALLOW_THREADS
    if (status == ST_NOMEM || status == ST_INTERRUPTED) {
        free(pairs.data);
        if (status == ST_NOMEM)
            PyErr_NoMemory();
        goto done; /* interrupted: the signal handler's exception (KeyboardInterrupt) is set */
    }
    PyObject *list = status == ST_DECIDED ? pairs_list(&pairs) : PyList_New(0);
    if (!list) {
        free(pairs.data);
        goto done;
    }
    free(pairs.data);
    result = Py_BuildValue("(iNnn)", status == ST_DECIDED ? 1 : (status == ST_TOO_MANY ? 2 : 0), list,
                           (Py_ssize_t)n_small, (Py_ssize_t)n_big);
done:
    PyBuffer_Release(&bs);
    PyBuffer_Release(&bb);
    return result;
}

/* ==== solve: one game end to end (negosim.solve.hull_native.one_game_solution) ====
 *
 * The qhull-free path of one game, from the payoffs to the verified solution's arrays, repeating the
 * Python path's arithmetic operation for operation wherever its numbers reach the answer:
 * player_exponents, confirm.coarse_points and polytope.rescaled (elementwise, exact); the walk above;
 * the matched systems solved as polytope._solve_ones solves them (the closed forms up to 3x3 in the same
 * order of operations, LAPACK's inverse beyond, through the `inverter` callable set by configure, which
 * calls numpy's own gufunc: a system's inverse does not depend on the others in its call); the checks
 * of hull_native.native_game; hull_batch._expanded (numpy's pairwise sum); vertex.dedupe; and
 * verify.verified_solution's sort, tolerances, regrets and best responses. The strategies and
 * tolerances are therefore bit for bit the Python path's. The action values are sums of products in
 * another order than numpy's einsum, so payoffs and regrets may differ in the last bits; every decision
 * they feed (a profile passing, an action a best response) is taken only when it clears its threshold
 * by more than a bound on that difference, and otherwise the call answers R_PYTHON.
 *
 * Answers: R_NONE where one_game_solution's Python code returns None (a non-finite payoff, a coarse game,
 * a walk that does not decide, a matched system the checks reject); where that code must finish (R_PYTHON:
 * an equilibrium to recompute in rational arithmetic, a decision within rounding of its threshold, a
 * profile that fails, a coordinate within PROB_TOL of zero but not zero), the walk's matched pairs as
 * `enumerate` lists them, so that it need not walk again; else (E, floats, flags, point_tol) in the
 * layout of bimatrix_small.solve. */
enum { R_NONE = 0, R_PYTHON = 1 };
#define MAX_ROWS 4096 /* equilibria answered here; more go to the Python path (none in a random game) */

static double PROB_TOL = 1e-9, NOISE = 256 * 2.220446049250313e-16, MARGIN = 64 * 256 * 2.220446049250313e-16;
static double LOOSE = 1.25, COND_LIMIT = 1e10, REFINE_COND = 1e3, RESOLUTION = 1.4551915228366852e-11;
static double MERGE = 1e-9, SAFETY = 3.0;
static Py_ssize_t MAX_VERTICES = 50000000, FULL_CHECK_DIM = 12;
static PyObject *inverter = NULL; /* (bytes of N k x k doubles, N, k) -> C-contiguous float64 buffer of inverses */

/* numpy's pairwise sum of n doubles (the reduction of a contiguous row: add.reduce), preceded by its 0.0 */
static double np_pairwise(const double *a, size_t n)
{
    if (n < 8) {
        double r = 0.0;
        for (size_t i = 0; i < n; i++)
            r += a[i];
        return r;
    }
    if (n <= 128) {
        double r[8];
        size_t i;
        for (int j = 0; j < 8; j++)
            r[j] = a[j];
        for (i = 8; i < n - (n % 8); i += 8)
            for (int j = 0; j < 8; j++)
                r[j] += a[i + j];
        double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++)
            res += a[i];
        return res;
    }
    size_t n2 = n / 2;
    n2 -= n2 % 8;
    return np_pairwise(a, n2) + np_pairwise(a + n2, n - n2);
}

static double np_sum(const double *a, size_t n) { return 0.0 + np_pairwise(a, n); }

#define MAX_K 64 /* the largest system solved here; beyond, the Python path (a walk that size never ends anyway) */

/* polytope._solve_ones for one k x k system M[t][i] (k <= 3: closed forms; else from LAPACK's inverse
 * inv[i][t], NULL when that had a non-finite entry), k <= MAX_K: normalised z (k), condition estimate,
 * usability. */
static void solve_ones(int k, const double *M, const double *inv, double *z, double *cond, int *usable)
{
    double adj[9], det, r[MAX_K], a[MAX_K];
    if (k <= 3) {
        if (k == 1) {
            adj[0] = 1.0;
            det = M[0];
        } else if (k == 2) {
            double a0 = M[0], b0 = M[1], c0 = M[2], d0 = M[3];
            adj[0] = d0;
            adj[1] = -b0;
            adj[2] = -c0;
            adj[3] = a0;
            det = a0 * d0 - b0 * c0;
        } else { /* polytope._cross: the adjugate's columns */
            const double *us[3][2] = {{M + 3, M + 6}, {M + 6, M}, {M, M + 3}};
            double cols[3][3];
            for (int t = 0; t < 3; t++) {
                const double *u = us[t][0], *v = us[t][1];
                cols[t][0] = u[1] * v[2] - u[2] * v[1];
                cols[t][1] = u[2] * v[0] - u[0] * v[2];
                cols[t][2] = u[0] * v[1] - u[1] * v[0];
            }
            for (int i = 0; i < 3; i++)
                for (int t = 0; t < 3; t++)
                    adj[i * 3 + t] = cols[t][i];
            det = M[0] * cols[0][0] + M[1] * cols[0][1] + M[2] * cols[0][2];
        }
        double norm = 0.0;
        for (int i = 0; i < k; i++) { /* _max of _sum: left to right, as the Python loops */
            double s = fabs(adj[i * k]);
            for (int t = 1; t < k; t++)
                s = s + fabs(adj[i * k + t]);
            norm = i == 0 || s > norm || isnan(s) ? s : norm;
        }
        *cond = det != 0.0 ? (double)(2 * k) * norm / fabs(det) : INFINITY;
        inv = adj;
    } else {
        det = 1.0;
        if (!inv || k > MAX_K) {
            *cond = INFINITY;
            *usable = 0;
            return;
        }
        double norm = 0.0;
        for (int i = 0; i < k; i++) { /* np.abs(inv).sum(-1).max(-1) */
            for (int t = 0; t < k; t++)
                a[t] = fabs(inv[i * k + t]);
            double s = np_sum(a, (size_t)k);
            norm = i == 0 || s > norm || isnan(s) ? s : norm;
        }
        *cond = (double)(2 * k) * norm;
    }
    for (int i = 0; i < k; i++) { /* _sum of each row of the adjugate (or inverse), then of those */
        double s = inv[i * k];
        for (int t = 1; t < k; t++)
            s = s + inv[i * k + t];
        r[i] = s;
    }
    double total = r[0];
    for (int i = 1; i < k; i++)
        total = total + r[i];
    *usable = *cond < COND_LIMIT && total * det > 0.0;
    if (!*usable)
        total = 1.0;
    for (int i = 0; i < k; i++)
        z[i] = r[i] / total;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* confirm.coarse_points for one player's scaled payoffs (count values): 1 when coarse, -1 out of memory */
static int coarse(const double *u, size_t count)
{
    double *s = malloc(count * sizeof(double));
    if (!s)
        return -1;
    memcpy(s, u, count * sizeof(double));
    qsort(s, count, sizeof(double), cmp_double);
    double smallest = INFINITY;
    for (size_t i = 1; i < count; i++) {
        double gap = s[i] - s[i - 1];
        if (gap > 0.0 && gap < smallest)
            smallest = gap;
    }
    int out = smallest < RESOLUTION * (s[count - 1] - s[0]);
    free(s);
    return out;
}

static double round9(double v) { return rint(v * 1e9) / 1e9; }

typedef struct {
    int m, n, E;
    int exps[2];
    double *unit;  /* 2 * m * n: each player's payoffs / 2**exps */
    double top[2], bottom[2], big[2]; /* each player's largest, smallest and largest absolute unit payoff */
    double *CP;    /* m x n: B rescaled (P's constraints) */
    double *CQ;    /* n x m: A rescaled, transposed (Q's constraints) */
    double *x, *y; /* the equilibria, E x m and E x n */
} Game1;

static void game_free(Game1 *g)
{
    free(g->unit); free(g->CP); free(g->CQ); free(g->x); free(g->y);
    memset(g, 0, sizeof(*g));
}

/* player_exponents, coarse_points and rescaled: R_NONE (not finite, coarse), -1 (no memory) or 2 (ready) */
static int prepare(Game1 *g, const double *pay, double rtol)
{
    int m = g->m, n = g->n;
    size_t mn = (size_t)m * n;
    g->unit = malloc(2 * mn * sizeof(double));
    g->CP = malloc(mn * sizeof(double));
    g->CQ = malloc(mn * sizeof(double));
    if (!g->unit || !g->CP || !g->CQ)
        return -1;
    for (int p = 0; p < 2; p++) {
        const double *P = pay + p * mn;
        double hi = P[0], lo = P[0];
        for (size_t a = 0; a < mn; a++) {
            if (!isfinite(P[a]))
                return R_NONE;
            hi = P[a] > hi ? P[a] : hi;
            lo = P[a] < lo ? P[a] : lo;
        }
        double big = hi > -lo ? hi : -lo;
        frexp(big, &g->exps[p]);
        double *U = g->unit + p * mn;
        for (size_t a = 0; a < mn; a++)
            U[a] = ldexp(P[a], -g->exps[p]);
    }
    for (int p = 0; p < 2; p++) {
        int c = coarse(g->unit + p * mn, mn);
        if (c != 0)
            return c < 0 ? -1 : R_NONE;
    }
    for (int p = 0; p < 2; p++) {
        const double *U = g->unit + p * mn;
        double hi = U[0], lo = U[0], mag = fabs(U[0]);
        for (size_t a = 1; a < mn; a++) {
            hi = U[a] > hi ? U[a] : hi;
            lo = U[a] < lo ? U[a] : lo;
            mag = fabs(U[a]) > mag ? fabs(U[a]) : mag;
        }
        g->top[p] = hi;
        g->bottom[p] = lo;
        g->big[p] = mag; /* verified_rows' tolerances read them */
        double spread = hi - lo, floor_ = rtol * mag;
        double scale = floor_ > spread ? floor_ : spread; /* np.maximum (no NaN here) */
        if (!(scale > 0.0))
            scale = 1.0;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double v = (U[(size_t)i * n + j] - lo) / scale + 1.0;
                if (p == 0)
                    g->CQ[(size_t)j * m + i] = v;
                else
                    g->CP[(size_t)i * n + j] = v;
            }
    }
    return 2;
}

/* LAPACK's inverses of N k x k matrices (S, row-major) into out, through `inverter`: 1, 0 (a Python error) */
static int inverses(const double *S, Py_ssize_t N, int k, double *out)
{
    Py_ssize_t len = N * k * k * (Py_ssize_t)sizeof(double);
    PyObject *bytes = PyBytes_FromStringAndSize((const char *)S, len);
    if (!bytes)
        return 0;
    PyObject *res = PyObject_CallFunction(inverter, "Oni", bytes, N, k);
    Py_DECREF(bytes);
    if (!res)
        return 0;
    Py_buffer view;
    if (PyObject_GetBuffer(res, &view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) {
        Py_DECREF(res);
        return 0;
    }
    int ok = view.len == len && view.itemsize == 8 && view.format && strcmp(view.format, "d") == 0;
    if (ok)
        memcpy(out, view.buf, (size_t)len);
    else
        PyErr_SetString(PyExc_ValueError, "the inverter did not return N k x k float64 values");
    PyBuffer_Release(&view);
    Py_DECREF(res);
    return ok;
}

/* Solve the matched pairs' systems (own on the small polytope, partner on the big one), check them as
 * native_game does and expand them into g->x, g->y (E rows). R_NONE, R_PYTHON, 2 (done), -1 (Python error). */
static int matched(Game1 *g, const Poly *Ps, const Poly *Pb, int swap, const Pairs *pairs)
{
    size_t N = pairs->count;
    int ds = Ps->d, db = Pb->d, status = 2;
    if (N > MAX_ROWS || ds > MAX_K)
        return R_PYTHON;
    int **Ks = NULL, **Ts = NULL, *ks = NULL;
    double *zs = NULL, *zb = NULL, *S = NULL, *inv = NULL, *full = NULL;
    size_t kk = 0; /* room for the largest group of systems of one size: 2 per pair, k x k each */
    for (int k = 1; k <= ds; k++) {
        size_t cnt = 0;
        for (size_t e = 0, at = 0; e < N; e++) {
            cnt += pairs->data[at] == k;
            at += 1 + 2 * (size_t)pairs->data[at];
        }
        kk = cnt * k * k > kk ? cnt * k * k : kk;
    }
    ks = malloc((N + 1) * sizeof(int));
    Ks = malloc((N + 1) * sizeof(int *));
    Ts = malloc((N + 1) * sizeof(int *));
    zs = malloc((N * ds + 1) * sizeof(double));
    zb = malloc((N * ds + 1) * sizeof(double));
    S = malloc((2 * kk + 1) * sizeof(double));
    inv = malloc((2 * kk + 1) * sizeof(double));
    full = malloc(((size_t)(db > ds ? db : ds) + 1) * sizeof(double));
    g->x = malloc((N * g->m + 1) * sizeof(double));
    g->y = malloc((N * g->n + 1) * sizeof(double));
    if (!ks || !Ks || !Ts || !zs || !zb || !S || !inv || !full || !g->x || !g->y) {
        PyErr_NoMemory();
        status = -1;
        goto out;
    }
    size_t at = 0;
    for (size_t e = 0; e < N; e++) {
        ks[e] = pairs->data[at];
        Ks[e] = pairs->data + at + 1;
        Ts[e] = pairs->data + at + 1 + ks[e];
        at += 1 + 2 * (size_t)ks[e];
    }
    for (int k = 1; k <= ds && status == 2; k++) {
        size_t cnt = 0; /* the systems of size k, own then partner per pair: as solved_many stacks them */
        for (size_t e = 0; e < N; e++) {
            if (ks[e] != k)
                continue;
            double *so = S + cnt * k * k, *sp = so + (size_t)k * k;
            for (int t = 0; t < k; t++)
                for (int i = 0; i < k; i++) {
                    so[t * k + i] = Ps->C[(size_t)Ks[e][i] * Ps->c + Ts[e][t]];
                    sp[t * k + i] = Pb->C[(size_t)Ts[e][i] * Pb->c + Ks[e][t]];
                }
            cnt += 2;
        }
        if (!cnt)
            continue;
        if (k > 3 && !inverses(S, (Py_ssize_t)cnt, k, inv)) {
            status = -1;
            break;
        }
        size_t q = 0;
        for (size_t e = 0; e < N && status == 2; e++) {
            if (ks[e] != k)
                continue;
            double cond[2];
            int ok[2];
            for (int side = 0; side < 2; side++, q++) {
                const double *iv = NULL;
                if (k > 3) {
                    iv = inv + q * k * k;
                    for (int a = 0; a < k * k; a++)
                        if (!isfinite(iv[a])) {
                            iv = NULL;
                            break;
                        }
                }
                solve_ones(k, S + q * k * k, iv, (side ? zb : zs) + e * ds, &cond[side], &ok[side]);
            }
            if (!ok[0] || !ok[1] || !(cond[1] < COND_LIMIT)) {
                status = R_NONE;
                break;
            }
            for (int i = 0; i < k; i++)
                if (!(zs[e * ds + i] > 0.0) || !(zb[e * ds + i] > 0.0))
                    status = R_NONE;
            if (status == 2 && (cond[0] > REFINE_COND || cond[1] > REFINE_COND))
                status = R_PYTHON; /* hull_batch.assembled recomputes it in rational arithmetic */
        }
    }
    if (status != 2)
        goto out;
    for (size_t e = 0; e < N; e++) { /* hull_batch._expanded, both sides */
        for (int side = 0; side < 2; side++) {
            int d = side ? db : ds;
            const int *sup = side ? Ts[e] : Ks[e];
            const double *z = (side ? zb : zs) + e * ds;
            for (int i = 0; i < d; i++)
                full[i] = 0.0;
            for (int i = 0; i < ks[e]; i++)
                full[sup[i]] = z[i] > 0.0 ? z[i] : 0.0;
            double total = np_sum(full, (size_t)d);
            double div = total > 0.0 ? total : 1.0;
            int is_x = (side == 0) == (swap != 0); /* small side is P (x) when swapped */
            double *dst = is_x ? g->x + e * g->m : g->y + e * g->n;
            for (int i = 0; i < d; i++)
                dst[i] = full[i] / div;
        }
    }
    g->E = (int)N;
out:
    free(ks); free(Ks); free(Ts); free(zs); free(zb); free(S); free(inv); free(full);
    return status;
}

/* Row u of the E x (m + n) profiles (x then y) against row v: -1, 0, 1 by exact values, lexicographic */
static int row_cmp(const Game1 *g, int u, int v)
{
    for (int c = 0; c < g->m + g->n; c++) {
        double a = c < g->m ? g->x[u * g->m + c] : g->y[u * g->n + c - g->m];
        double b = c < g->m ? g->x[v * g->m + c] : g->y[v * g->n + c - g->m];
        if (a != b)
            return a < b ? -1 : 1;
    }
    return 0;
}

/* vertex.dedupe (one point, no exact rows) then verified_solution's order: order[0..*E) the rows kept */
static int ordered(const Game1 *g, int *order, int *E_out)
{
    int E = g->E, m = g->m, n = g->n, w = m + n;
    for (int e = 0; e < E; e++)
        order[e] = e;
    for (int a = 1; a < E; a++) /* stable insertion sort, ascending (np.lexsort) */
        for (int b = a; b > 0 && row_cmp(g, order[b], order[b - 1]) < 0; b--) {
            int t = order[b];
            order[b] = order[b - 1];
            order[b - 1] = t;
        }
    int kept = 0;
    for (int a = 0; a < E; a++) /* identical rows: the first stays */
        if (a == 0 || row_cmp(g, order[a], order[a - 1]) != 0)
            order[kept++] = order[a];
    int *keep = malloc(((size_t)kept + 1) * sizeof(int));
    if (!keep)
        return 0;
    for (int j = 0; j < kept; j++) {
        keep[j] = 1;
        for (int i = 0; i < j && keep[j]; i++) { /* a later row within MERGE of an earlier one goes */
            double dx = 0.0, dy = 0.0;
            const double *xi = g->x + order[i] * m, *xj = g->x + order[j] * m;
            const double *yi = g->y + order[i] * n, *yj = g->y + order[j] * n;
            for (int c = 0; c < m; c++)
                dx = fabs(xi[c] - xj[c]) > dx ? fabs(xi[c] - xj[c]) : dx;
            for (int c = 0; c < n; c++)
                dy = fabs(yi[c] - yj[c]) > dy ? fabs(yi[c] - yj[c]) : dy;
            if (dx <= MERGE && dy <= MERGE)
                keep[j] = 0;
        }
    }
    int E2 = 0;
    for (int j = 0; j < kept; j++)
        if (keep[j])
            order[E2++] = order[j];
    free(keep);
    /* verified_solution: decreasing in the strategies rounded to 9 decimals, stable */
    for (int a = 1; a < E2; a++)
        for (int b = a; b > 0; b--) {
            int u = order[b], v = order[b - 1], less = 0;
            for (int c = 0; c < w; c++) {
                double ku = round9(c < m ? g->x[u * m + c] : g->y[u * n + c - m]);
                double kv = round9(c < m ? g->x[v * m + c] : g->y[v * n + c - m]);
                if (ku != kv) {
                    less = ku > kv;
                    break;
                }
            }
            if (!less)
                break;
            order[b] = v;
            order[b - 1] = u;
        }
    *E_out = E2;
    return 1;
}

/* verify.verified_solution's numbers for the rows `order` (see the section comment): the result tuple,
 * R_PYTHON, or NULL (a Python error) */
static PyObject *verified_rows(const Game1 *g, const int *order, int E, double rtol)
{
    int m = g->m, n = g->n;
    size_t mn = (size_t)m * n;
    const double *UA = g->unit, *UB = g->unit + mn;
    double *colmax = malloc(((size_t)n + 1) * sizeof(double)), *colmin = malloc(((size_t)n + 1) * sizeof(double));
    double *rowmax = malloc(((size_t)m + 1) * sizeof(double)), *rowmin = malloc(((size_t)m + 1) * sizeof(double));
    double *V = malloc(((size_t)(m > n ? m : n) + 1) * sizeof(double));
    Py_ssize_t nf = (Py_ssize_t)E * (m + n + 5), nb = (Py_ssize_t)E * (2 * (m + n) + 3);
    PyObject *fl = PyByteArray_FromStringAndSize(NULL, nf * (Py_ssize_t)sizeof(double) + 8);
    PyObject *bo = PyByteArray_FromStringAndSize(NULL, nb + 1);
    PyObject *result = NULL;
    if (!colmax || !colmin || !rowmax || !rowmin || !V || !fl || !bo) {
        if (!PyErr_Occurred())
            PyErr_NoMemory();
        goto out;
    }
    for (int j = 0; j < n; j++) { /* player 1 chooses among A's columns in y's support, player 2 among B's rows */
        colmax[j] = colmin[j] = UA[j];
        for (int i = 1; i < m; i++) {
            double v = UA[(size_t)i * n + j];
            colmax[j] = v > colmax[j] ? v : colmax[j];
            colmin[j] = v < colmin[j] ? v : colmin[j];
        }
    }
    for (int i = 0; i < m; i++) {
        rowmax[i] = rowmin[i] = UB[(size_t)i * n];
        for (int j = 1; j < n; j++) {
            double v = UB[(size_t)i * n + j];
            rowmax[i] = v > rowmax[i] ? v : rowmax[i];
            rowmin[i] = v < rowmin[i] ? v : rowmin[i];
        }
    }
    double *F = (double *)PyByteArray_AS_STRING(fl);
    unsigned char *Bf = (unsigned char *)PyByteArray_AS_STRING(bo);
    double *X = F, *Y = X + (size_t)E * m, *PAY = Y + (size_t)E * n, *REG = PAY + 2 * (size_t)E, *PTOL = REG + E;
    unsigned char *BR1 = Bf, *BR2 = BR1 + (size_t)E * m, *PT = BR2 + (size_t)E * n, *TA1 = PT + 2 * (size_t)E;
    unsigned char *TA2 = TA1 + (size_t)E * m, *TIED = TA2 + (size_t)E * n;
    double point_tol = 0.0;
    for (int p = 0; p < 2; p++) { /* point_tolerances */
        double t = ldexp(rtol * (g->top[p] - g->bottom[p]) + NOISE * g->big[p], g->exps[p]);
        point_tol = p == 0 ? t : (t > point_tol ? t : point_tol);
    }
    for (int r = 0; r < E; r++) {
        const double *x = g->x + (size_t)order[r] * m, *y = g->y + (size_t)order[r] * n;
        memcpy(X + (size_t)r * m, x, (size_t)m * sizeof(double));
        memcpy(Y + (size_t)r * n, y, (size_t)n * sizeof(double));
        double gain[2];
        for (int p = 0; p < 2; p++) {
            int d = p == 0 ? m : n, c = p == 0 ? n : m;
            const double *own_s = p == 0 ? x : y, *opp = p == 0 ? y : x;
            /* _verify_checked's probability-vector test (numbers bit for bit the Python path's) */
            double smin = own_s[0];
            for (int a = 1; a < d; a++)
                smin = own_s[a] < smin ? own_s[a] : smin;
            if (!(smin >= -PROB_TOL) || !(fabs(np_sum(own_s, (size_t)d) - 1.0) <= PROB_TOL))
                goto python;
            double umax = 0.0;
            for (int a = 0; a < d; a++) {
                double v = 0.0;
                for (int b = 0; b < c; b++) {
                    double u = p == 0 ? UA[(size_t)a * n + b] : UB[(size_t)b * n + a];
                    v += u * opp[b];
                    umax = fabs(u) > umax ? fabs(u) : umax;
                }
                V[a] = v;
            }
            double hi = -INFINITY, lo = INFINITY;
            for (int b = 0; b < c; b++) {
                if (opp[b] > PROB_TOL) {
                    double h = p == 0 ? colmax[b] : rowmax[b], l = p == 0 ? colmin[b] : rowmin[b];
                    hi = h > hi ? h : hi;
                    lo = l < lo ? l : lo;
                } else if (opp[b] != 0.0) {
                    goto python; /* a stray probability: its share of the tolerance is left to the Python path */
                }
            }
            double mag = hi > -lo ? hi : -lo;
            double tol = rtol * (hi - lo) + NOISE * mag;
            double own = 0.0, best = V[0];
            for (int a = 0; a < d; a++)
                own += V[a] * own_s[a];
            for (int a = 1; a < d; a++)
                best = V[a] > best ? V[a] : best;
            /* how far this order of summation can be from einsum's: each value a sum of c products of
             * payoffs (|u| <= umax) with probabilities summing to 1, each rounding within (c + 2) eps */
            double band = 4.0 * (c + 4) * DBL_EPSILON * (umax > 1.0 ? umax : 1.0);
            double diff = best - own;
            gain[p] = diff > 0.0 ? diff : 0.0;
            if (!(diff + band < tol))
                goto python; /* fails, or within rounding of failing: the Python path decides (or raises) */
            double edge = best - tol;
            unsigned char *br = p == 0 ? BR1 + (size_t)r * d : BR2 + (size_t)r * d;
            unsigned char *ta = p == 0 ? TA1 + (size_t)r * d : TA2 + (size_t)r * d;
            int tied = 0;
            for (int a = 0; a < d; a++) {
                if (fabs(V[a] - edge) <= band + 4.0 * DBL_EPSILON * fabs(edge))
                    goto python;
                br[a] = V[a] >= edge;
                if (br[a] && own_s[a] <= PROB_TOL)
                    tied = 1;
            }
            for (int a = 0; a < d; a++)
                ta[a] = br[a] && tied;
            PT[2 * r + p] = (unsigned char)tied;
            PTOL[2 * r + p] = ldexp(tol, g->exps[p]);
            PAY[2 * r + p] = ldexp(own, g->exps[p]);
        }
        double r0 = ldexp(gain[0], g->exps[0]), r1 = ldexp(gain[1], g->exps[1]);
        REG[r] = r1 > r0 ? r1 : r0;
        TIED[r] = PT[2 * r] || PT[2 * r + 1];
        double pt = PTOL[2 * r + 1] > PTOL[2 * r] ? PTOL[2 * r + 1] : PTOL[2 * r];
        point_tol = pt > point_tol ? pt : point_tol;
    }
    result = Py_BuildValue("(nOOd)", (Py_ssize_t)E, fl, bo, point_tol);
    goto out;
python:
    result = PyLong_FromLong(R_PYTHON);
out:
    Py_XDECREF(fl);
    Py_XDECREF(bo);
    free(colmax); free(colmin); free(rowmax); free(rowmin); free(V);
    return result;
}

PyDoc_STRVAR(solve_doc,
"solve(payoffs, m, n, rtol) -> (E, floats, flags, point_tol) | 0 | list\n\n"
"One 2-player game (payoffs: 2*m*n float64, A then B, row-major) by the walk, verified: the arrays in the\n"
"layout of bimatrix_small.solve; 0 where hull_native.one_game_solution's Python code answers None; where\n"
"that code must finish (R_PYTHON), the walk's matched pairs as enumerate gives them. configure() first.");

static PyObject *py_solve(PyObject *self, PyObject *args)
{
    (void)self;
    Py_buffer buf;
    int m, n;
    double rtol;
    if (!PyArg_ParseTuple(args, "y*iid", &buf, &m, &n, &rtol))
        return NULL;
    PyObject *result = NULL;
    Game1 g;
    memset(&g, 0, sizeof(g));
    Pairs pairs = {NULL, 0, 0, 0};
    if (!inverter) {
        PyErr_SetString(PyExc_RuntimeError, "configure() was not called");
        goto done;
    }
    if (m < 2 || n < 2 || m > 30000 || n > 30000 || m + n > 60000 ||
        buf.len != 2 * (Py_ssize_t)m * n * (Py_ssize_t)sizeof(double) || !(rtol >= 0.0) || !isfinite(rtol)) {
        PyErr_SetString(PyExc_ValueError, "payoffs must be 2 * m * n float64 values, m, n >= 2, rtol >= 0");
        goto done;
    }
    g.m = m;
    g.n = n;
    int st = prepare(&g, (const double *)buf.buf, rtol);
    if (st != 2) {
        result = st < 0 ? PyErr_NoMemory() : PyLong_FromLong(st);
        goto done;
    }
    int swap = n > m;
    double lp = LOOSE * (rtol * 1.0); /* LOOSE * float(Thresholds.pay), the payoff tolerance rtol * 1.0 */
    Poly Ps, Pb;
    Ps.prob_loose = Pb.prob_loose = LOOSE * rtol;
    Ps.loose_pay = Pb.loose_pay = lp;
    Ps.margin = Pb.margin = SAFETY * MARGIN;
    Ps.cond_limit = Pb.cond_limit = COND_LIMIT / SAFETY;
    if (swap) { /* the enumerated polytope is the player with fewer actions' (P when n > m) */
        Ps.d = m; Ps.c = n; Ps.C = g.CP;
        Pb.d = n; Pb.c = m; Pb.C = g.CQ;
    } else {
        Ps.d = n; Ps.c = m; Ps.C = g.CQ;
        Pb.d = m; Pb.c = n; Pb.C = g.CP;
    }
    size_t n_small = 0, n_big = 0;
    int status;
    Py_BEGIN_ALLOW_THREADS
    status = walk(&Ps, &Pb, &pairs, (size_t)MAX_VERTICES, &n_small);
    if (status == ST_DECIDED && Pb.d <= FULL_CHECK_DIM)
        status = walk(&Pb, NULL, NULL, (size_t)MAX_VERTICES, &n_big);
    Py_END_ALLOW_THREADS
    if (status == ST_NOMEM || status == ST_INTERRUPTED) {
        if (status == ST_NOMEM)
            PyErr_NoMemory();
        goto done;
    }
    if (status != ST_DECIDED) {
        result = PyLong_FromLong(R_NONE);
        goto done;
    }
    st = matched(&g, &Ps, &Pb, swap, &pairs);
    if (st != 2) {
        result = st < 0 ? NULL : (st == R_PYTHON ? pairs_list(&pairs) : PyLong_FromLong(st));
        goto done;
    }
    int *order = malloc(((size_t)g.E + 1) * sizeof(int));
    int E = 0;
    if (!order || !ordered(&g, order, &E)) {
        free(order);
        PyErr_NoMemory();
        goto done;
    }
    result = verified_rows(&g, order, E, rtol);
    free(order);
    if (result && PyLong_Check(result)) { /* R_PYTHON: the Python code finishes from the walk's pairs */
        Py_DECREF(result);
        result = pairs_list(&pairs);
    }
done:
    free(pairs.data);
    game_free(&g);
    PyBuffer_Release(&buf);
    return result;
}

PyDoc_STRVAR(configure_doc,
"configure(inverter, PROB_TOL, NOISE, MARGIN, LOOSE, COND_LIMIT, REFINE_COND, RESOLUTION, MERGE, SAFETY,\n"
"          MAX_VERTICES, FULL_CHECK_DIM)\n\nThe thresholds of the Python modules, and the callable giving\n"
"LAPACK's inverses: inverter(bytes of N k x k float64, N, k) -> C-contiguous float64 buffer.");

static PyObject *py_configure(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *inv;
    double p[9];
    Py_ssize_t maxv, full;
    if (!PyArg_ParseTuple(args, "Oddddddddd" "nn", &inv, &p[0], &p[1], &p[2], &p[3], &p[4], &p[5], &p[6], &p[7],
                          &p[8], &maxv, &full))
        return NULL;
    if (!PyCallable_Check(inv) || maxv < 1 || maxv > 0xFFFFFFF0LL) {
        PyErr_SetString(PyExc_ValueError, "configure: inverter must be callable, MAX_VERTICES in range");
        return NULL;
    }
    Py_INCREF(inv);
    Py_XSETREF(inverter, inv);
    PROB_TOL = p[0]; NOISE = p[1]; MARGIN = p[2]; LOOSE = p[3]; COND_LIMIT = p[4]; REFINE_COND = p[5];
    RESOLUTION = p[6]; MERGE = p[7]; SAFETY = p[8];
    MAX_VERTICES = maxv;
    FULL_CHECK_DIM = full;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"enumerate", py_enumerate, METH_VARARGS, enumerate_doc},
    {"solve", py_solve, METH_VARARGS, solve_doc},
    {"configure", py_configure, METH_VARARGS, configure_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_bimatrix_hull",
    "Vertex enumeration of a 2-player game's best-response polytopes by pivoting (see negosim.solve.hull_native).",
    -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__bimatrix_hull(void)
{
    return PyModule_Create(&module);
}
