#ifndef CLIBXML2_ANNEX_SHIM_H
#define CLIBXML2_ANNEX_SHIM_H
// Debian's libxml2 is built with ICU and its headers pull in the system ICU headers, whose types clash
// with the ICU copy inside Foundation on a clean build. xmlversion.h first, then turn ICU off.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
// The HTML parser reads "xls" files that are HTML tables (after the ICU #undef, like the rest).
#include <libxml/HTMLparser.h>

// xmlFree is a global function pointer variable, which Swift 6 rejects as shared mutable state.
static inline void annex_xmlFree(void *p) { xmlFree(p); }
#endif
