/* Backward induction on a perfect-information game tree at ONE parameter point, in one pass over the nodes.

   The compiled counterpart of negosim/solve/spe_point.py (the levelised numpy pass) and spe_chance.py:
   the same floats in the same order, so the same answers bit for bit. The Python wrapper
   (negosim/solve/spe_native.py) allocates the outputs, checks their sizes and dtypes, and builds the
   Solution; this file reads the nodes (the Python C API: attributes of negosim.game.tree.Node objects),
   walks the tree once in preorder, decides every node bottom-up and fills the outputs.

   What is computed, node by node (as the numpy pass does):
   - a leaf's value is its outcome's payoffs; the tolerance is rtol * max(spread, 1e-12), the spread of
     the payoffs of the outcomes some leaf uses (`tolerance.scaled_tol`);
   - a chance node's value is the sum, child by child from 0.0, of probability times the child's value;
   - at a decision node the mover's best value is the maximum over its children; the actions whose
     value is >= best - tol are tied; the first tied action wins unless a tie-rule callable is given,
     which is asked (only where two or more actions are tied) for the node's priority order;
   - each player's best-reply value is carried along (the mover maximises its own column, the others'
     columns follow the chosen child); through chance nodes it is recomputed afterwards by
     `spe_chance._best_reply`'s bucket recursion, in its order;
   - reach probabilities are multiplied down the tree in preorder and the outcome distribution summed
     over the leaves in preorder.
   `gaps` then reads the choices and values back from the arrays written, for the caller's verification
   (each decision's best value minus its chosen child's, as `spe._verify` checks it).

   The compiler must not contract a * b + c into a fused multiply-add (that rounds once, numpy twice):
   each compiler is told so below (GCC also leaves it off under setup.py's -std=c99).

   Never crashes on bad input: every index is checked against its range, the walk visits each node at
   most once (a cycle or a shared child is a ValueError), and every buffer's size and item format are
   checked before anything is written. */

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

enum { OUT_VALUES, OUT_CHOICE, OUT_REACH, OUT_TIED, OUT_KIDS, OUT_BEHAVIOR, OUT_SPANS, OUT_DEC, OUT_PRE,
       OUT_OUTCOME_PROBS, OUT_REPLIES, OUT_CODE, N_OUT };

typedef struct {
    Py_ssize_t n, n_edges, n_players, n_out;
    Py_ssize_t *count, *offset, *kids, *code, *pre;
    char *chance;   /* per node: 1 for a chance node */
    double *weight; /* per edge (index order): chance probability, or 1.0 / 0.0 after a decision */
    double *br;     /* n * n_players: best-reply values (trees without chance nodes) */
} Tree;

static void free_tree(Tree *t) {
    PyMem_Free(t->count);
    PyMem_Free(t->offset);
    PyMem_Free(t->kids);
    PyMem_Free(t->code);
    PyMem_Free(t->pre);
    PyMem_Free(t->chance);
    PyMem_Free(t->weight);
    PyMem_Free(t->br);
}

/* An index (an int, or anything with __index__ such as numpy's integers) in [0, bound); -1 with an
   exception set otherwise (TypeError for a non-integer, ValueError out of range). */
static Py_ssize_t as_index(PyObject *obj, Py_ssize_t bound, const char *what, Py_ssize_t i) {
    Py_ssize_t v = PyLong_Check(obj) ? PyLong_AsSsize_t(obj) : PyNumber_AsSsize_t(obj, PyExc_OverflowError);
    if (v == -1 && PyErr_Occurred())
        return -1;
    if (v < 0 || v >= bound) {
        PyErr_Format(PyExc_ValueError, "node %zd: %s out of range [0, %zd)", i, what, bound);
        return -1;
    }
    return v;
}

/* An index attribute of a node (see `as_index`). */
static Py_ssize_t index_attr(PyObject *node, PyObject *name, Py_ssize_t bound, const char *what, Py_ssize_t i) {
    PyObject *obj = PyObject_GetAttr(node, name);
    if (obj == NULL)
        return -1;
    Py_ssize_t v = as_index(obj, bound, what, i);
    Py_DECREF(obj);
    return v;
}

/* A writable C-contiguous buffer of `length` items of format `fmt` (one character) and `itemsize` bytes. */
static int get_out(PyObject *obj, Py_buffer *view, const char *fmt, Py_ssize_t itemsize, Py_ssize_t length,
                   int k) {
    if (PyObject_GetBuffer(obj, view, PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
        return -1;
    const char *f = view->format ? view->format : "B";
    if (f[0] == '=' || f[0] == '<' || f[0] == '@')
        f++;
    int same = view->itemsize == itemsize && (f[0] == fmt[0] || (fmt[0] == 'q' && f[0] == 'l' && itemsize == 8));
    if (!same || f[1] != '\0' || view->len != length * itemsize) {
        PyErr_Format(PyExc_ValueError, "output %d: expected %zd items of format '%s'", k, length, fmt);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

/* Read the nodes into `t`; 1 on success, 0 when the tree is not for this pass (an information set of
   several nodes, or no decision), -1 on error. */
static int read_tree(Tree *t, PyObject *nodes, Py_ssize_t root, PyObject *chance_probs) {
    Py_ssize_t n = t->n, P = t->n_players;
    PyObject *s_children = PyUnicode_InternFromString("children");
    PyObject *s_player = PyUnicode_InternFromString("player");
    PyObject *s_outcome = PyUnicode_InternFromString("outcome");
    PyObject *s_infoset = PyUnicode_InternFromString("infoset");
    PyObject *infosets = PySet_New(NULL);
    int status = -1;
    Py_ssize_t edges = 0, deciding = 0;
    if (!s_children || !s_player || !s_outcome || !s_infoset || !infosets)
        goto done;
    t->count = PyMem_Calloc(n, sizeof(Py_ssize_t));
    t->offset = PyMem_Calloc(n, sizeof(Py_ssize_t));
    t->kids = PyMem_Calloc(n, sizeof(Py_ssize_t));
    t->code = PyMem_Calloc(n, sizeof(Py_ssize_t));
    t->pre = PyMem_Calloc(n, sizeof(Py_ssize_t));
    t->chance = PyMem_Calloc(n, 1);
    t->weight = PyMem_Calloc(n, sizeof(double));
    if (!t->count || !t->offset || !t->kids || !t->code || !t->pre || !t->chance || !t->weight) {
        PyErr_NoMemory();
        goto done;
    }
    if (chance_probs != Py_None) {
        PyObject *key, *value;
        Py_ssize_t pos = 0;
        if (!PyDict_Check(chance_probs)) {
            PyErr_SetString(PyExc_TypeError, "chance probabilities: a dict");
            goto done;
        }
        while (PyDict_Next(chance_probs, &pos, &key, &value)) {
            Py_ssize_t i = as_index(key, n, "chance node", -1);
            if (i < 0)
                goto done;
            t->chance[i] = 1;
        }
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *node = PyTuple_GET_ITEM(nodes, i);
        PyObject *attr = PyObject_GetAttr(node, s_children);
        if (attr == NULL)
            goto done;
        PyObject *children = PySequence_Fast(attr, "children must be a sequence");  /* (a tuple: itself) */
        Py_DECREF(attr);
        if (children == NULL)
            goto done;
        Py_ssize_t k = PySequence_Fast_GET_SIZE(children);
        if (k > n - 1 - edges) {  /* a tree has n - 1 edges */
            Py_DECREF(children);
            PyErr_SetString(PyExc_ValueError, "more edges than a tree of this many nodes has");
            goto done;
        }
        t->count[i] = k;
        t->offset[i] = edges;
        for (Py_ssize_t j = 0; j < k; j++) {
            Py_ssize_t v = as_index(PySequence_Fast_GET_ITEM(children, j), n, "a child index", i);
            if (v < 0) {
                Py_DECREF(children);
                goto done;
            }
            t->kids[edges++] = v;
        }
        Py_DECREF(children);
        if (k == 0) {
            if ((t->code[i] = index_attr(node, s_outcome, t->n_out, "outcome", i)) < 0)
                goto done;
        } else if (t->chance[i]) {
            t->code[i] = -1;
        } else {
            if ((t->code[i] = index_attr(node, s_player, P, "player", i)) < 0)
                goto done;
            PyObject *infoset = PyObject_GetAttr(node, s_infoset);
            if (infoset == NULL)
                goto done;
            int added = PySet_Add(infosets, infoset);
            Py_DECREF(infoset);
            if (added < 0)
                goto done;
            deciding++;
        }
    }
    t->n_edges = edges;
    if (deciding == 0 || PySet_GET_SIZE(infosets) != deciding) {
        status = 0;
        goto done;
    }
    if (edges != n - 1) {
        PyErr_SetString(PyExc_ValueError, "a tree of n nodes has n - 1 edges");
        goto done;
    }
    /* Preorder from the root (children in action order), each node visited once: `t->weight` is free
       until the probabilities are read, so it marks the nodes pushed. */
    {
        Py_ssize_t *stack = PyMem_Malloc(n * sizeof(Py_ssize_t));
        Py_ssize_t top = 0, m = 0;
        if (stack == NULL) {
            PyErr_NoMemory();
            goto done;
        }
        stack[top++] = root;
        t->weight[root] = 1.0;
        while (top > 0) {
            Py_ssize_t i = stack[--top];
            t->pre[m++] = i;
            for (Py_ssize_t j = t->count[i] - 1; j >= 0; j--) {
                Py_ssize_t c = t->kids[t->offset[i] + j];
                if (t->weight[c] != 0.0) {
                    PyMem_Free(stack);
                    PyErr_SetString(PyExc_ValueError, "not a tree: a node is reached twice");
                    goto done;
                }
                t->weight[c] = 1.0;
                stack[top++] = c;  /* at most n pushes: each node once */
            }
        }
        PyMem_Free(stack);
        if (m != n) {
            PyErr_SetString(PyExc_ValueError, "not a tree: a node is not reached from the root");
            goto done;
        }
        memset(t->weight, 0, n * sizeof(double));
    }
    if (chance_probs != Py_None) {
        PyObject *key, *value;
        Py_ssize_t pos = 0;
        while (PyDict_Next(chance_probs, &pos, &key, &value)) {
            Py_ssize_t i = PyLong_AsSsize_t(key);
            Py_buffer view;
            if (PyObject_GetBuffer(value, &view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
                goto done;
            int ok = view.itemsize == 8 && view.format && strcmp(view.format, "d") == 0 &&
                     view.len == t->count[i] * 8;
            if (ok)
                memcpy(t->weight + t->offset[i], view.buf, view.len);
            PyBuffer_Release(&view);
            if (!ok) {
                PyErr_Format(PyExc_ValueError, "chance node %zd: probabilities must be float64, one per child", i);
                goto done;
            }
        }
    }
    status = 1;
done:
    Py_XDECREF(s_children);
    Py_XDECREF(s_player);
    Py_XDECREF(s_outcome);
    Py_XDECREF(s_infoset);
    Py_XDECREF(infosets);
    return status;
}

/* The action the tie rules choose among the tied ones: the first in `priority(i)`'s order that is tied
   (left as `*choice` if none is). 0, or -1 with an exception set. */
static int rule_choice(PyObject *priority, Py_ssize_t i, const char *tied, Py_ssize_t k, Py_ssize_t *choice) {
    PyObject *order = PyObject_CallFunction(priority, "n", i);
    if (order == NULL)
        return -1;
    PyObject *seq = PySequence_Fast(order, "tie rules: the priority must be a sequence");
    Py_DECREF(order);
    if (seq == NULL)
        return -1;
    Py_ssize_t m = PySequence_Fast_GET_SIZE(seq);
    for (Py_ssize_t a = 0; a < m; a++) {
        Py_ssize_t j = PyLong_AsSsize_t(PySequence_Fast_GET_ITEM(seq, a));
        if (j == -1 && PyErr_Occurred()) {
            Py_DECREF(seq);
            return -1;
        }
        if (j >= 0 && j < k && tied[j]) {
            *choice = j;
            break;
        }
    }
    Py_DECREF(seq);
    return 0;
}

/* Player p's best payoff against the others' behaviour through chance nodes: `spe_chance._best_reply`,
   with its dict of buckets as an array (bucket k + 1 for edge k, bucket 0 for "no own move yet"). */
static double chance_best_reply(const Tree *t, Py_ssize_t root, Py_ssize_t p, const double *pay, double *reach,
                                Py_ssize_t *last, double *bucket) {
    Py_ssize_t n = t->n, P = t->n_players;
    reach[root] = 1.0;
    last[root] = -1;
    for (Py_ssize_t a = 0; a < n; a++) {
        Py_ssize_t i = t->pre[a], o = t->offset[i];
        double r = reach[i];
        if (t->count[i] && t->code[i] == p) {
            for (Py_ssize_t j = 0; j < t->count[i]; j++) {
                reach[t->kids[o + j]] = r;  /* p's own moves are left out of its reach */
                last[t->kids[o + j]] = o + j;
            }
        } else {
            for (Py_ssize_t j = 0; j < t->count[i]; j++) {
                reach[t->kids[o + j]] = r * t->weight[o + j];
                last[t->kids[o + j]] = last[i];
            }
        }
    }
    memset(bucket, 0, (t->n_edges + 1) * sizeof(double));
    for (Py_ssize_t a = 0; a < n; a++) {
        Py_ssize_t i = t->pre[a];
        if (t->count[i] == 0)
            bucket[last[i] + 1] += reach[i] * pay[t->code[i] * P + p];
    }
    for (Py_ssize_t a = n - 1; a >= 0; a--) {
        Py_ssize_t i = t->pre[a], o = t->offset[i];
        if (t->count[i] == 0 || t->code[i] != p)
            continue;
        double best = bucket[o + 1];
        for (Py_ssize_t j = 1; j < t->count[i]; j++) {
            double v = bucket[o + j + 1];
            best = best >= v ? best : v;
        }
        bucket[last[i] + 1] += best;
    }
    return bucket[0];
}

PyDoc_STRVAR(solve_doc,
"solve(nodes, root, pay, n_players, chance_probs, rtol, priority, outputs)\n"
"--\n\n"
"Backward induction at one point. `nodes`: a tuple of Node; `pay`: float64 buffer (n_outcomes * n_players);\n"
"`chance_probs`: None or a dict node index -> float64 array (one probability per child); `priority`: None\n"
"(the first tied action wins) or a callable i -> action indices, most preferred first; `outputs`: a tuple of\n"
"writable arrays (see negosim/solve/spe_native.py). Returns None when the tree has an information set of\n"
"several nodes or no decision, NotImplemented for a non-finite payoff, else (number of decisions, payoff\n"
"spread, tolerance, common number of actions or 0, tied decision nodes bottom-up).");

static PyObject *solve(PyObject *self, PyObject *args) {
    PyObject *nodes, *pay_obj, *chance_probs, *priority, *outs, *result = NULL, *tied_nodes = NULL;
    Py_ssize_t root, P;
    double rtol;
    Py_buffer pay_view, view[N_OUT];
    int got = 0, have_pay = 0;
    Tree t;
    char *node_tied = NULL, *used = NULL;
    double *reach2 = NULL, *bucket = NULL;
    Py_ssize_t *last = NULL;
    (void)self;
    memset(&t, 0, sizeof t);
    if (!PyArg_ParseTuple(args, "O!nOnOdOO!", &PyTuple_Type, &nodes, &root, &pay_obj, &P, &chance_probs, &rtol,
                          &priority, &PyTuple_Type, &outs))
        return NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(nodes);
    if (n < 1 || root < 0 || root >= n || P < 1 || PyTuple_GET_SIZE(outs) != N_OUT ||
        (priority != Py_None && !PyCallable_Check(priority))) {
        PyErr_SetString(PyExc_ValueError, "solve: bad arguments (nodes, root, players, priority or outputs)");
        return NULL;
    }
    if (PyObject_GetBuffer(pay_obj, &pay_view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
        return NULL;
    have_pay = 1;
    if (pay_view.itemsize != 8 || !pay_view.format || strcmp(pay_view.format, "d") != 0 ||
        pay_view.len % (8 * P) != 0) {
        PyErr_SetString(PyExc_ValueError, "solve: payoffs must be float64, n_outcomes * n_players of them");
        goto done;
    }
    const double *pay = pay_view.buf;
    t.n = n;
    t.n_players = P;
    t.n_out = pay_view.len / (8 * P);
    int status = read_tree(&t, nodes, root, chance_probs);
    if (status < 0)
        goto done;
    if (status == 0) {
        Py_INCREF(Py_None);
        result = Py_None;
        goto done;
    }
    /* The tolerance: over the outcomes the leaves use, as `spe` takes it. */
    used = PyMem_Calloc(t.n_out ? t.n_out : 1, 1);
    node_tied = PyMem_Calloc(n, 1);
    if (!used || !node_tied) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < t.n_out * P; k++) {
        if (!isfinite(pay[k])) {
            Py_INCREF(Py_NotImplemented);
            result = Py_NotImplemented;
            goto done;
        }
    }
    int has_chance = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (t.count[i] == 0)
            used[t.code[i]] = 1;
        has_chance |= t.chance[i];
    }
    double hi = -INFINITY, lo = INFINITY;
    for (Py_ssize_t k = 0; k < t.n_out; k++) {
        for (Py_ssize_t q = 0; used[k] && q < P; q++) {
            double v = pay[k * P + q];
            hi = v > hi ? v : hi;
            lo = v < lo ? v : lo;
        }
    }
    double spread = hi - lo;
    double tol = rtol * (spread < 1e-12 ? 1e-12 : spread);  /* `scaled_tol` */

    const char *formats[N_OUT] = {"d", "q", "d", "?", "q", "d", "q", "q", "q", "d", "d", "q"};
    const Py_ssize_t sizes[N_OUT] = {8, 8, 8, 1, 8, 8, 8, 8, 8, 8, 8, 8};
    const Py_ssize_t lengths[N_OUT] = {n * P, n, n, n - 1, n - 1, n - 1, 2 * n, n, n, t.n_out, P, n};
    for (got = 0; got < N_OUT; got++) {
        if (get_out(PyTuple_GET_ITEM(outs, got), &view[got], formats[got], sizes[got], lengths[got], got) < 0)
            goto done;
    }
    double *values = view[OUT_VALUES].buf, *reach = view[OUT_REACH].buf;
    double *behavior = view[OUT_BEHAVIOR].buf, *outcome_probs = view[OUT_OUTCOME_PROBS].buf;
    double *replies = view[OUT_REPLIES].buf;
    int64_t *choice = view[OUT_CHOICE].buf, *spans = view[OUT_SPANS].buf, *dec = view[OUT_DEC].buf;
    int64_t *pre_dec = view[OUT_PRE].buf, *kids = view[OUT_KIDS].buf, *code = view[OUT_CODE].buf;
    char *tied = view[OUT_TIED].buf;
    memset(choice, 0, n * sizeof(int64_t));
    memset(tied, 0, n - 1);
    if (!has_chance && (t.br = PyMem_Malloc(n * P * sizeof(double))) == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    /* Bottom-up (reverse preorder: every child before its parent). */
    for (Py_ssize_t a = n - 1; a >= 0; a--) {
        Py_ssize_t i = t.pre[a], k = t.count[i], o = t.offset[i];
        double *row = values + i * P;
        if (k == 0) {
            memcpy(row, pay + t.code[i] * P, P * sizeof(double));
            if (t.br)
                memcpy(t.br + i * P, row, P * sizeof(double));
        } else if (t.chance[i]) {
            for (Py_ssize_t q = 0; q < P; q++) {
                double s = 0.0;
                for (Py_ssize_t j = 0; j < k; j++)
                    s += t.weight[o + j] * values[t.kids[o + j] * P + q];
                row[q] = s;
            }
        } else {
            Py_ssize_t p = t.code[i], first = -1, n_tied = 0;
            const Py_ssize_t *kid = t.kids + o;
            double best = values[kid[0] * P + p];
            for (Py_ssize_t j = 1; j < k; j++) {
                double v = values[kid[j] * P + p];
                best = v > best ? v : best;
            }
            double floor = best - tol;
            for (Py_ssize_t j = 0; j < k; j++) {
                tied[o + j] = values[kid[j] * P + p] >= floor;  /* `spe._decide`'s test */
                if (tied[o + j]) {
                    n_tied++;
                    first = first < 0 ? j : first;
                }
            }
            Py_ssize_t c = first < 0 ? 0 : first;
            if (priority != Py_None && n_tied > 1 && rule_choice(priority, i, tied + o, k, &c) < 0)
                goto done;
            choice[i] = c;
            node_tied[i] = n_tied > 1;
            memcpy(row, values + kid[c] * P, P * sizeof(double));
            for (Py_ssize_t j = 0; j < k; j++)
                t.weight[o + j] = j == c ? 1.0 : 0.0;  /* the behaviour, as an edge's factor of reach */
            if (t.br) {
                double *br = t.br + i * P;
                memcpy(br, t.br + kid[c] * P, P * sizeof(double));
                double top = t.br[kid[0] * P + p];
                for (Py_ssize_t j = 1; j < k; j++) {
                    double v = t.br[kid[j] * P + p];
                    top = v > top ? v : top;
                }
                br[p] = top;
            }
        }
    }
    /* Reach down the tree and the outcome distribution over the leaves, both in preorder. */
    memset(outcome_probs, 0, t.n_out * sizeof(double));
    reach[root] = 1.0;
    Py_ssize_t n_dec = 0, n_pre = 0, width = -1, pos = 0;
    for (Py_ssize_t a = 0; a < n; a++) {
        Py_ssize_t i = t.pre[a], k = t.count[i], o = t.offset[i];
        for (Py_ssize_t j = 0; j < k; j++)
            reach[t.kids[o + j]] = reach[i] * t.weight[o + j];
        if (k == 0)
            outcome_probs[t.code[i]] += reach[i];
        else if (!t.chance[i]) {
            pre_dec[n_pre++] = i;
            memcpy(behavior + pos, t.weight + o, k * sizeof(double));
            pos += k;
            width = width == -1 || width == k ? k : 0;
        }
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        spans[2 * i] = t.offset[i];
        spans[2 * i + 1] = t.offset[i] + t.count[i];
        code[i] = t.code[i];
        if (t.count[i] && !t.chance[i])
            dec[n_dec++] = i;
    }
    for (Py_ssize_t e = 0; e < n - 1; e++)
        kids[e] = t.kids[e];
    if (t.br) {
        for (Py_ssize_t q = 0; q < P; q++)
            replies[q] = 0.0 + t.br[root * P + q];  /* (as the numpy pass: no negative zero) */
    } else {
        reach2 = PyMem_Malloc(n * sizeof(double));
        last = PyMem_Malloc(n * sizeof(Py_ssize_t));
        bucket = PyMem_Malloc(n * sizeof(double));  /* n - 1 edges and the bucket before any own move */
        if (!reach2 || !last || !bucket) {
            PyErr_NoMemory();
            goto done;
        }
        for (Py_ssize_t q = 0; q < P; q++)
            replies[q] = chance_best_reply(&t, root, q, pay, reach2, last, bucket);
    }
    if ((tied_nodes = PyList_New(0)) == NULL)
        goto done;
    for (Py_ssize_t a = n_pre - 1; a >= 0; a--) {
        if (node_tied[pre_dec[a]]) {
            PyObject *i = PyLong_FromSsize_t(pre_dec[a]);
            if (i == NULL || PyList_Append(tied_nodes, i) < 0) {
                Py_XDECREF(i);
                goto done;
            }
            Py_DECREF(i);
        }
    }
    result = Py_BuildValue("nddnO", n_dec, spread, tol, width < 0 ? 0 : width, tied_nodes);
done:
    Py_XDECREF(tied_nodes);
    for (int k = 0; k < got; k++)
        PyBuffer_Release(&view[k]);
    if (have_pay)
        PyBuffer_Release(&pay_view);
    free_tree(&t);
    PyMem_Free(node_tied);
    PyMem_Free(used);
    PyMem_Free(reach2);
    PyMem_Free(last);
    PyMem_Free(bucket);
    return result;
}

PyDoc_STRVAR(gaps_doc,
"gaps(decisions, spans, kids, code, values, choice, gap)\n"
"--\n\n"
"Each decision's gap for verification: the mover's best value over the node's children minus the value of\n"
"the chosen child, read from the arrays `solve` wrote (int64 except `values` and `gap`, float64).\n"
"`gap` (one per node) is 0 elsewhere.");

static PyObject *gaps(PyObject *self, PyObject *args) {
    PyObject *obj[7];
    Py_buffer v[7];
    int got = 0, ok = 0;
    (void)self;
    if (!PyArg_ParseTuple(args, "OOOOOOO", &obj[0], &obj[1], &obj[2], &obj[3], &obj[4], &obj[5], &obj[6]))
        return NULL;
    const char *formats[7] = {"q", "q", "q", "q", "d", "q", "d"};
    for (got = 0; got < 7; got++) {
        if (PyObject_GetBuffer(obj[got], &v[got], PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
            goto done;
        const char *f = v[got].format ? v[got].format : "B";
        if (v[got].itemsize != 8 || f[1] != '\0' || (f[0] != formats[got][0] && !(formats[got][0] == 'q' && f[0] == 'l'))) {
            got++;
            PyErr_Format(PyExc_ValueError, "gaps: argument %d must be a contiguous %s array", got,
                         formats[got - 1][0] == 'd' ? "float64" : "int64");
            goto done;
        }
    }
    {
        const int64_t *decisions = v[0].buf, *spans = v[1].buf, *kids = v[2].buf, *code = v[3].buf;
        const int64_t *choice = v[5].buf;
        const double *values = v[4].buf;
        double *gap = v[6].buf;
        Py_ssize_t n_dec = v[0].len / 8, n = v[6].len / 8, n_edges = v[2].len / 8;
        int64_t P = n ? (int64_t)(v[4].len / 8 / n) : 0;
        if (v[1].len != 16 * n || v[3].len != 8 * n || v[5].len != 8 * n || P < 1 || v[4].len != 8 * P * n) {
            PyErr_SetString(PyExc_ValueError, "gaps: arrays of inconsistent sizes");
            goto done;
        }
        memset(gap, 0, n * sizeof(double));
        for (Py_ssize_t a = 0; a < n_dec; a++) {
            int64_t i = decisions[a];
            if (i < 0 || i >= n || spans[2 * i] < 0 || spans[2 * i] >= spans[2 * i + 1] || spans[2 * i + 1] > n_edges ||
                code[i] < 0 || code[i] >= P || choice[i] < 0 || choice[i] >= spans[2 * i + 1] - spans[2 * i]) {
                PyErr_SetString(PyExc_ValueError, "gaps: a decision, its edges, mover or choice out of range");
                goto done;
            }
            int64_t p = code[i];
            double best = 0.0, taken = 0.0;
            for (int64_t e = spans[2 * i]; e < spans[2 * i + 1]; e++) {
                if (kids[e] < 0 || kids[e] >= n) {
                    PyErr_SetString(PyExc_ValueError, "gaps: a child out of range");
                    goto done;
                }
                double x = values[kids[e] * P + p];
                best = e == spans[2 * i] || x > best ? x : best;
                if (e - spans[2 * i] == choice[i])
                    taken = x;
            }
            gap[i] = best - taken;
        }
    }
    ok = 1;
done:
    for (int k = 0; k < got; k++)
        PyBuffer_Release(&v[k]);
    if (!ok)
        return NULL;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"solve", solve, METH_VARARGS, solve_doc},
    {"gaps", gaps, METH_VARARGS, gaps_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_spe_point",
    "Backward induction on a perfect-information tree at one point (see negosim/solve/spe_native.py).", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__spe_point(void) { return PyModule_Create(&module); }
