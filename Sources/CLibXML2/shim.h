#ifndef FEEDWATCH_CLIBXML2_SHIM_H
#define FEEDWATCH_CLIBXML2_SHIM_H

// Debian's libxml2 is built with ICU, and libxml/encoding.h then includes <unicode/ucnv.h>,
// whose types clash with Foundation's own ICU module ("'UErrorCode' has different definitions
// in different modules") on clean builds. Turning the ICU switch off before the other headers
// keeps ICU out; feedwatch never uses libxml2's ICU-backed converters.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <libxml/HTMLparser.h>
// inputPush: HTMLText feeds each fragment to a reused HTML parser context.
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#endif
