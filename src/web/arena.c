/*
 * The per-request arena: blocks chained and freed at once when the request completes
 * (h2o lib/common/memory.c, h2o_mem_clear_pool). Requests allocate a few kilobytes of parsed
 * fields; one large upload field gets its own block.
 */
#include "web/internal.h"

#include "base/mem.h"

#include <stdlib.h>
#include <string.h>

struct web_arena_block {
    web_arena_block *next;
    size_t used, cap;
    _Alignas(max_align_t) unsigned char data[];
};

enum { ARENA_BLOCK = 8192 };

void *web_arena_alloc(web_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    web_arena_block *b = a->head;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;
        MSK_ASSERT(cap < ((size_t)1 << 40));
        b = msk_malloc(sizeof *b + cap);
        b->used = 0;
        b->cap = cap;
        if (a->head && n > ARENA_BLOCK) { /* keep the current block for small allocations */
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
    }
    void *p = b->data + b->used;
    b->used += n;
    return p;
}

char *web_arena_strndup(web_arena *a, const char *s, size_t n)
{
    char *p = web_arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void web_arena_release(web_arena *a)
{
    web_arena_block *b = a->head;
    while (b) {
        web_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}
