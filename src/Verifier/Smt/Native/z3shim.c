/*
 * z3shim.c — makes the Microsoft.Z3 4.12.2 managed API safe on top of Debian's libz3 4.8.12.
 *
 * Why: the 4.12 managed API releases native objects from .NET finalizer threads (~Z3Object calls a
 * *_dec_ref function) and relies on Z3_enable_concurrent_dec_ref (Z3 >= 4.12) to make that safe.
 * 4.8.12 has no such mode and no such symbol, and its reference counts are not thread-safe: a
 * dec_ref running on a finalizer thread while the owning thread is inside Z3 corrupts memory.
 *
 * What: this library is built as "libz3.so" and placed next to the managed assemblies, so the managed
 * API loads it instead of the system library. It is linked with --no-as-needed against libz3.so.4,
 * so every Z3_* symbol it does not define resolves to the real library. It defines:
 *   - Z3_enable_concurrent_dec_ref: accepted and ignored (the queue below provides the guarantee);
 *   - every *_dec_ref / Z3_del_constructor(_list) the managed API may call: these only QUEUE
 *     (kind, object) for the context, under a mutex, and never touch Z3;
 *   - Z3_solver_check, Z3_solver_check_assumptions, Z3_optimize_check: drain the context's queue on
 *     the calling thread (the thread that uses the context), then run the real function;
 *   - Z3_del_context: marks the context retired (later dec_refs for it are dropped), drains its queue,
 *     and deletes it — after a short quarantine, see below;
 *   - Z3_mk_context(_rc): registers the new context with a fresh generation number;
 *   - Z3_interrupt: forwards only for a live registered context (the managed Interrupt() does not lock
 *     against Dispose, so it may race with deletion);
 *   - Z3_mk_real_int64 (missing in 4.8.12): built exactly from a "num/den" numeral.
 *
 * Address reuse: a context pointer is a heap address. Once the real context is freed, a new context can
 * be allocated at the same address, and a late dec_ref carrying the old pointer would be applied to the
 * wrong context. The managed 4.12.2 API already orders its dec_refs before Z3_del_context (it checks
 * Context.nCtx under lock(Context)), but Interrupt() and the Constructor finalizers do not. Therefore a
 * deleted context is only *retired*: its memory stays allocated (so its address cannot be handed to a
 * new context) for at least QUARANTINE_NS, and at most MAX_RETIRED contexts are kept. Every registered
 * context carries a generation number, and queued work is tagged by the entry it was queued on, so work
 * queued for one generation is never applied to another.
 *
 * Re-entrancy: libz3.so.4 calls its own exported API through the PLT (its log replayer does), and those
 * calls would resolve to these wrappers. A thread-local depth counter makes every wrapper a plain
 * pass-through while the shim itself is inside a real Z3 call.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <z3.h>

#define QUARANTINE_NS 200000000LL /* 200 ms */
#define MAX_RETIRED 4

/* ------------------------------------------------------------------ real functions */

enum kind {
    K_AST, K_SOLVER, K_MODEL, K_PARAMS, K_PARAM_DESCRS, K_GOAL, K_TACTIC, K_PROBE, K_APPLY_RESULT,
    K_FUNC_INTERP, K_FUNC_ENTRY, K_AST_VECTOR, K_AST_MAP, K_STATS, K_OPTIMIZE, K_FIXEDPOINT,
    K_DEL_CONSTRUCTOR, K_DEL_CONSTRUCTOR_LIST, K_COUNT
};

static const char *const kind_symbol[K_COUNT] = {
    "Z3_dec_ref", "Z3_solver_dec_ref", "Z3_model_dec_ref", "Z3_params_dec_ref", "Z3_param_descrs_dec_ref",
    "Z3_goal_dec_ref", "Z3_tactic_dec_ref", "Z3_probe_dec_ref", "Z3_apply_result_dec_ref",
    "Z3_func_interp_dec_ref", "Z3_func_entry_dec_ref", "Z3_ast_vector_dec_ref", "Z3_ast_map_dec_ref",
    "Z3_stats_dec_ref", "Z3_optimize_dec_ref", "Z3_fixedpoint_dec_ref", "Z3_del_constructor",
    "Z3_del_constructor_list",
};

typedef void (*release_fn)(Z3_context, void *);
static release_fn real_release[K_COUNT];
static Z3_lbool (*real_solver_check)(Z3_context, Z3_solver);
static Z3_lbool (*real_solver_check_assumptions)(Z3_context, Z3_solver, unsigned, Z3_ast const[]);
static Z3_lbool (*real_optimize_check)(Z3_context, Z3_optimize, unsigned, Z3_ast const[]);
static void (*real_del_context)(Z3_context);
static Z3_context (*real_mk_context)(Z3_config);
static Z3_context (*real_mk_context_rc)(Z3_config);
static void (*real_interrupt)(Z3_context);

static pthread_once_t resolve_once = PTHREAD_ONCE_INIT;
static int resolve_failed;

static void *must_resolve(void *lib, const char *name)
{
    void *f = dlsym(lib, name);
    if (!f) {
        fprintf(stderr, "z3shim: cannot resolve %s in libz3.so.4: %s\n", name, dlerror());
        resolve_failed = 1;
    }
    return f;
}

static void resolve_real(void)
{
    /* Already loaded as our DT_NEEDED dependency; dlsym on its own handle finds its definitions,
       not ours. */
    void *lib = dlopen("libz3.so.4", RTLD_NOW | RTLD_NOLOAD);
    if (!lib) lib = dlopen("libz3.so.4", RTLD_NOW);
    if (!lib) {
        fprintf(stderr, "z3shim: cannot open libz3.so.4: %s\n", dlerror());
        abort();
    }
    for (int k = 0; k < K_COUNT; k++) real_release[k] = (release_fn)must_resolve(lib, kind_symbol[k]);
    real_solver_check = must_resolve(lib, "Z3_solver_check");
    real_solver_check_assumptions = must_resolve(lib, "Z3_solver_check_assumptions");
    real_optimize_check = must_resolve(lib, "Z3_optimize_check");
    real_del_context = must_resolve(lib, "Z3_del_context");
    real_mk_context = must_resolve(lib, "Z3_mk_context");
    real_mk_context_rc = must_resolve(lib, "Z3_mk_context_rc");
    real_interrupt = must_resolve(lib, "Z3_interrupt");
    if (resolve_failed) abort(); /* a half-working shim would be worse than none */
}

static void ensure_resolved(void) { pthread_once(&resolve_once, resolve_real); }

/* ------------------------------------------------------------------ re-entrancy guard */

static __thread int inside_real; /* > 0 while this thread runs a real Z3 call on behalf of the shim */

#define ENTER_REAL() (inside_real++)
#define LEAVE_REAL() (inside_real--)

/* ------------------------------------------------------------------ context registry */

typedef struct pending { int kind; void *obj; } pending;

enum state { LIVE, CLOSING, RETIRED }; /* CLOSING: being drained by Z3_del_context */

typedef struct entry {
    Z3_context ctx;
    uint64_t generation;
    int state;
    int64_t retired_at_ns;
    pending *items;
    size_t count, capacity;
    struct entry *next;
} entry;

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static entry *registry;           /* live and retired contexts, newest first */
static uint64_t next_generation = 1;

/* Counters for tests and diagnostics (read with z3shim_stats). */
static uint64_t n_queued, n_applied, n_dropped, n_contexts_created, n_contexts_deleted, n_interrupts_dropped;

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Caller holds registry_lock. */
static entry *find_live(Z3_context c)
{
    for (entry *e = registry; e; e = e->next)
        if (e->ctx == c && e->state == LIVE) return e;
    return NULL;
}

/* Caller holds registry_lock. Takes the queued items out of the entry. */
static pending *take_items(entry *e, size_t *count)
{
    pending *items = e->items;
    *count = e->count;
    e->items = NULL;
    e->count = e->capacity = 0;
    return items;
}

/* Called without the lock, on a thread that may use the context. */
static void apply_items(Z3_context c, pending *items, size_t count)
{
    ENTER_REAL();
    for (size_t i = 0; i < count; i++) real_release[items[i].kind](c, items[i].obj);
    LEAVE_REAL();
    free(items);
}

static void drain(Z3_context c)
{
    size_t count = 0;
    pending *items = NULL;
    pthread_mutex_lock(&registry_lock);
    entry *e = find_live(c);
    if (e) items = take_items(e, &count);
    n_applied += count;
    pthread_mutex_unlock(&registry_lock);
    if (items) apply_items(c, items, count);
}

static void enqueue(Z3_context c, int kind, void *obj)
{
    if (inside_real) { real_release[kind](c, obj); return; } /* Z3 calling itself: same thread */
    if (!obj) return;
    pthread_mutex_lock(&registry_lock);
    entry *e = find_live(c);
    if (!e) {
        /* Unknown or retired context: everything it owned is (being) freed with it. */
        n_dropped++;
    } else {
        if (e->count == e->capacity) {
            size_t cap = e->capacity ? 2 * e->capacity : 64;
            pending *grown = realloc(e->items, cap * sizeof(pending));
            if (!grown) { n_dropped++; pthread_mutex_unlock(&registry_lock); return; } /* leak, never corrupt */
            e->items = grown;
            e->capacity = cap;
        }
        e->items[e->count].kind = kind;
        e->items[e->count].obj = obj;
        e->count++;
        n_queued++;
    }
    pthread_mutex_unlock(&registry_lock);
}

/* Unlinks retired entries whose quarantine is over, or the oldest beyond MAX_RETIRED, and returns them
   as a list to delete outside the lock. Caller holds registry_lock. */
static entry *collect_expired(int64_t now, int force_all)
{
    entry *expired = NULL;
    int retired_seen = 0;
    entry **link = &registry;
    while (*link) {
        entry *e = *link;
        if (e->state == RETIRED) {
            retired_seen++;
            if (force_all || now - e->retired_at_ns >= QUARANTINE_NS || retired_seen > MAX_RETIRED) {
                *link = e->next;
                e->next = expired;
                expired = e;
                continue;
            }
        }
        link = &e->next;
    }
    return expired;
}

static void delete_expired(entry *list)
{
    while (list) {
        entry *next = list->next;
        ENTER_REAL();
        real_del_context(list->ctx);
        LEAVE_REAL();
        free(list->items);
        free(list);
        list = next;
    }
}

static void register_context(Z3_context c)
{
    if (!c) return;
    entry *e = calloc(1, sizeof(entry));
    if (!e) abort();
    e->ctx = c;
    e->state = LIVE;
    pthread_mutex_lock(&registry_lock);
    e->generation = next_generation++;
    e->next = registry;
    registry = e;
    n_contexts_created++;
    entry *expired = collect_expired(now_ns(), 0);
    pthread_mutex_unlock(&registry_lock);
    delete_expired(expired);
}

/* ------------------------------------------------------------------ exported wrappers */

Z3_context Z3_API Z3_mk_context_rc(Z3_config cfg)
{
    ensure_resolved();
    if (inside_real) return real_mk_context_rc(cfg);
    ENTER_REAL();
    Z3_context c = real_mk_context_rc(cfg);
    LEAVE_REAL();
    register_context(c);
    return c;
}

Z3_context Z3_API Z3_mk_context(Z3_config cfg)
{
    ensure_resolved();
    if (inside_real) return real_mk_context(cfg);
    ENTER_REAL();
    Z3_context c = real_mk_context(cfg);
    LEAVE_REAL();
    register_context(c);
    return c;
}

void Z3_API Z3_enable_concurrent_dec_ref(Z3_context c) { (void)c; ensure_resolved(); }

void Z3_API Z3_del_context(Z3_context c)
{
    ensure_resolved();
    if (inside_real) { real_del_context(c); return; }
    size_t count = 0;
    pending *items = NULL;
    pthread_mutex_lock(&registry_lock);
    entry *e = find_live(c);
    if (e) {
        items = take_items(e, &count);
        n_applied += count;
        e->state = CLOSING; /* from here on, dec_refs and interrupts for c are dropped */
        n_contexts_deleted++;
    }
    pthread_mutex_unlock(&registry_lock);
    if (!e) {
        /* Not a live context of ours: already deleted (a second delete would be a double free) or
           never created through this library. Leaking is the safe choice. */
        return;
    }
    /* Release what was queued, in order, while the context is still fully alive. */
    if (items) apply_items(c, items, count);
    pthread_mutex_lock(&registry_lock);
    e->retired_at_ns = now_ns();
    e->state = RETIRED; /* quarantined: the address stays allocated for a while */
    entry *expired = collect_expired(e->retired_at_ns, 0);
    pthread_mutex_unlock(&registry_lock);
    delete_expired(expired);
}

void Z3_API Z3_interrupt(Z3_context c)
{
    ensure_resolved();
    if (inside_real) { real_interrupt(c); return; }
    pthread_mutex_lock(&registry_lock);
    /* Held across the call so Z3_del_context cannot retire (and later free) c meanwhile. Z3_interrupt
       only flips a flag under Z3's own lock, so holding ours is short. */
    if (find_live(c)) real_interrupt(c);
    else n_interrupts_dropped++;
    pthread_mutex_unlock(&registry_lock);
}

Z3_lbool Z3_API Z3_solver_check(Z3_context c, Z3_solver s)
{
    ensure_resolved();
    if (!inside_real) drain(c);
    ENTER_REAL();
    Z3_lbool r = real_solver_check(c, s);
    LEAVE_REAL();
    return r;
}

Z3_lbool Z3_API Z3_solver_check_assumptions(Z3_context c, Z3_solver s, unsigned n, Z3_ast const a[])
{
    ensure_resolved();
    if (!inside_real) drain(c);
    ENTER_REAL();
    Z3_lbool r = real_solver_check_assumptions(c, s, n, a);
    LEAVE_REAL();
    return r;
}

Z3_lbool Z3_API Z3_optimize_check(Z3_context c, Z3_optimize o, unsigned n, Z3_ast const a[])
{
    ensure_resolved();
    if (!inside_real) drain(c);
    ENTER_REAL();
    Z3_lbool r = real_optimize_check(c, o, n, a);
    LEAVE_REAL();
    return r;
}

#define QUEUED_RELEASE(name, type, kind) \
    void Z3_API name(Z3_context c, type o) { ensure_resolved(); enqueue(c, kind, (void *)o); }

QUEUED_RELEASE(Z3_dec_ref, Z3_ast, K_AST)
QUEUED_RELEASE(Z3_solver_dec_ref, Z3_solver, K_SOLVER)
QUEUED_RELEASE(Z3_model_dec_ref, Z3_model, K_MODEL)
QUEUED_RELEASE(Z3_params_dec_ref, Z3_params, K_PARAMS)
QUEUED_RELEASE(Z3_param_descrs_dec_ref, Z3_param_descrs, K_PARAM_DESCRS)
QUEUED_RELEASE(Z3_goal_dec_ref, Z3_goal, K_GOAL)
QUEUED_RELEASE(Z3_tactic_dec_ref, Z3_tactic, K_TACTIC)
QUEUED_RELEASE(Z3_probe_dec_ref, Z3_probe, K_PROBE)
QUEUED_RELEASE(Z3_apply_result_dec_ref, Z3_apply_result, K_APPLY_RESULT)
QUEUED_RELEASE(Z3_func_interp_dec_ref, Z3_func_interp, K_FUNC_INTERP)
QUEUED_RELEASE(Z3_func_entry_dec_ref, Z3_func_entry, K_FUNC_ENTRY)
QUEUED_RELEASE(Z3_ast_vector_dec_ref, Z3_ast_vector, K_AST_VECTOR)
QUEUED_RELEASE(Z3_ast_map_dec_ref, Z3_ast_map, K_AST_MAP)
QUEUED_RELEASE(Z3_stats_dec_ref, Z3_stats, K_STATS)
QUEUED_RELEASE(Z3_optimize_dec_ref, Z3_optimize, K_OPTIMIZE)
QUEUED_RELEASE(Z3_fixedpoint_dec_ref, Z3_fixedpoint, K_FIXEDPOINT)
QUEUED_RELEASE(Z3_del_constructor, Z3_constructor, K_DEL_CONSTRUCTOR)
QUEUED_RELEASE(Z3_del_constructor_list, Z3_constructor_list, K_DEL_CONSTRUCTOR_LIST)

/* Missing in 4.8.12; the managed API declares it. Exact: the numeral is given as "num/den". */
Z3_ast Z3_API Z3_mk_real_int64(Z3_context c, int64_t num, int64_t den)
{
    char text[64];
    snprintf(text, sizeof text, "%lld/%lld", (long long)num, (long long)den);
    return Z3_mk_numeral(c, text, Z3_mk_real_sort(c));
}

/* ------------------------------------------------------------------ diagnostics */

/* Marks this library as the shim (the managed side checks for it) and reports its counters:
   out[0..7] = queued, applied, dropped, contexts created, contexts deleted, contexts live,
   contexts retired (still quarantined), interrupts dropped. Returns the number of values written. */
int z3shim_stats(uint64_t *out, int n)
{
    uint64_t v[8];
    pthread_mutex_lock(&registry_lock);
    uint64_t live = 0, retired = 0;
    for (entry *e = registry; e; e = e->next) { if (e->state == LIVE) live++; else retired++; }
    v[0] = n_queued; v[1] = n_applied; v[2] = n_dropped; v[3] = n_contexts_created;
    v[4] = n_contexts_deleted; v[5] = live; v[6] = retired; v[7] = n_interrupts_dropped;
    pthread_mutex_unlock(&registry_lock);
    int k = n < 8 ? n : 8;
    for (int i = 0; i < k; i++) out[i] = v[i];
    return k;
}

/* Applies a context's queued releases now. Only call it from the thread that uses the context. */
void z3shim_drain(Z3_context c)
{
    ensure_resolved();
    if (!inside_real) drain(c);
}

/* Ends the quarantine of every retired context (frees their memory). For tests and shutdown. */
void z3shim_flush_retired(void)
{
    ensure_resolved();
    pthread_mutex_lock(&registry_lock);
    entry *expired = collect_expired(now_ns(), 1);
    pthread_mutex_unlock(&registry_lock);
    delete_expired(expired);
}
