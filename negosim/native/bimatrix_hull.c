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
    PyObject *list = PyList_New(0);
    if (!list) {
        free(pairs.data);
        goto done;
    }
    if (status == ST_DECIDED) {
        size_t at = 0;
        for (size_t e = 0; e < pairs.count; e++) {
            int k = pairs.data[at++];
            PyObject *K = PyTuple_New(k), *T = PyTuple_New(k), *pair = NULL;
            if (K && T) {
                int ok = 1;
                for (int i = 0; i < k; i++) {
                    PyObject *a = PyLong_FromLong(pairs.data[at + i]), *b = PyLong_FromLong(pairs.data[at + k + i]);
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
                free(pairs.data);
                goto done;
            }
            Py_DECREF(pair);
        }
    }
    free(pairs.data);
    result = Py_BuildValue("(iNnn)", status == ST_DECIDED ? 1 : (status == ST_TOO_MANY ? 2 : 0), list,
                           (Py_ssize_t)n_small, (Py_ssize_t)n_big);
done:
    PyBuffer_Release(&bs);
    PyBuffer_Release(&bb);
    return result;
}

static PyMethodDef methods[] = {
    {"enumerate", py_enumerate, METH_VARARGS, enumerate_doc},
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
