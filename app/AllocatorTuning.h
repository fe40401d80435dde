#pragma once

#include <QtGlobal>

#ifdef ORS_TCMALLOC
#include <gperftools/malloc_extension.h>
#endif

namespace ors {

// tcmalloc keeps the memory freed to reuse it and hands it back to the system slowly by default.
// A sync frees a page's rows (tens of MB) at every page, so it returns memory ten times as fast:
// the peak RSS stays where glibc's allocator had it, at no measurable cost in speed
// (docs/PERFORMANCE.md, "The allocator"). A TCMALLOC_RELEASE_RATE the user set wins.
inline void tuneAllocator() {
#ifdef ORS_TCMALLOC
    if (!qEnvironmentVariableIsSet("TCMALLOC_RELEASE_RATE"))
        MallocExtension::instance()->SetMemoryReleaseRate(10);
#endif
}

} // namespace ors
