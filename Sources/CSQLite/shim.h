#ifndef CSQLITE_ANNEX_SHIM_H
#define CSQLITE_ANNEX_SHIM_H
#include <sqlite3.h>

// SQLITE_TRANSIENT is a cast macro ((sqlite3_destructor_type)-1); Swift cannot import it.
static inline sqlite3_destructor_type annex_sqlite_transient(void) {
    return SQLITE_TRANSIENT;
}
#endif
