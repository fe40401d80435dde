#include "cli/CliApp.h"

#include <QCoreApplication>

#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace {

// A sync makes and frees a page's buffers and rows (tens of MB) every page, on several threads.
// With glibc's defaults much of that goes back to the kernel after each page (large blocks as
// their own mappings, the heap's top trimmed) and is faulted in afresh for the next, a cost that
// dominates on virtual machines where page faults are expensive: there the CLI spent 30-40 % less
// CPU with the memory kept (docs/PERFORMANCE.md, "glibc's malloc keeps freed memory"). The peak
// stays what the pages need; the process simply does not shrink between them. The desktop keeps
// glibc's defaults, since it idles in the tray between runs. A user's own GLIBC_TUNABLES for the
// allocator win.
void keepFreedMemory() {
#if defined(__GLIBC__)
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    if (tunables && std::strstr(tunables, "glibc.malloc."))
        return;
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_TOP_PAD, 64 << 20);
#endif
}

} // namespace

int main(int argc, char* argv[]) {
    keepFreedMemory();
    QCoreApplication app(argc, argv);
    // Both executables use the same names, so they share QStandardPaths locations.
    QCoreApplication::setOrganizationName(QStringLiteral("openresync"));
    QCoreApplication::setApplicationName(QStringLiteral("openresync"));
    QCoreApplication::setApplicationVersion(QStringLiteral(OPENRESYNC_VERSION));
    return ors::CliApp::run(QCoreApplication::arguments());
}
